"""Commands that read the index: search, sources, quotes, ask, chat, serve, eval."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.interfaces.cli_common import answerable_sources, settings_options, user_errors
from assistant.interfaces.terminal import print_answer
from assistant.settings import SearchMode

if TYPE_CHECKING:
    from assistant.api import Assistant


# How `search` orders its passages; the cosine it prints ranked them only in dense mode.
ORDER = {
    "hybrid": "Best first: dense and BM25 rankings fused, then reranked by each passage's best sentence.",
    "fused": "Best first: dense and BM25 rankings fused.",
    "dense": "Best first, by cosine.",
    "lexical": "Best first, by BM25.",
}


@click.command("search")
@click.argument("query")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(min=1), help="Passages to return.")
@click.option("--source", "sources", multiple=True, help="Only search this source (repeatable).")
@click.option("--per-source", type=click.IntRange(min=1), help="At most this many passages per source.")
@click.option(
    "--mode",
    default=SearchMode.HYBRID.value,
    show_default=True,
    type=click.Choice([mode.value for mode in SearchMode]),
    help="Ranking to use.",
)
@click.option("--date-from", help="Only articles dated on or after YYYY-MM-DD.")
@click.option("--date-to", help="Only articles dated on or before YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Print passages as a JSON list.")
@click.pass_obj
@user_errors
def search_command(
    open_assistant: Callable[[], Assistant],
    query: str,
    k: int,
    sources: tuple[str, ...],
    per_source: int | None,
    mode: str,
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
) -> None:
    """Show the passages most similar to QUERY, with file, lines and offsets."""
    passages = open_assistant().retrieve(
        query,
        k=k,
        sources=list(sources) or None,
        per_source=per_source,
        mode=mode,
        date_from=date_from,
        date_to=date_to,
    )
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in passages], indent=2, ensure_ascii=False))
        return
    if not passages:
        click.echo("Nothing indexed matches. Ingest files first: assistant ingest PATH")
        return
    click.echo(ORDER[mode] + " cosine: the passage's similarity to the query.\n")
    for rank, p in enumerate(passages, start=1):
        click.secho(
            f"[{rank}] {p.source}{' (extracted text)' if p.extracted else ''}, "
            f"lines {p.start_line}-{p.end_line}, "
            f"chars {p.start_char}-{p.end_char}, cosine {p.score:.3f}",
            bold=True,
        )
        click.echo(f"    {p.text}\n")


@click.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print sources as a JSON list.")
@click.pass_obj
@user_errors
def sources_command(open_assistant: Callable[[], Assistant], as_json: bool) -> None:
    """List the indexed files with their titles and chunk counts."""
    sources = open_assistant().sources()
    if as_json:
        rows = [{"source": s.source, "title": s.title, "chunks": s.chunks} for s in sources]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not sources:
        click.echo("No sources indexed yet. Run: assistant ingest PATH")
    for s in sources:
        click.echo(f"{s.chunks:5d}  {s.source}  {s.title}")


@click.command("quotes")
@click.option(
    "--speaker",
    help="Only quotes of this person however articles name them, or whose speaker or role contains this.",
)
@click.option("--query", help="The quotes closest in meaning to this text, best first.")
@click.option("--source", "sources", multiple=True, help="Only quotes of this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print quotes as a JSON list.")
@click.pass_obj
@user_errors
def quotes_command(
    open_assistant: Callable[[], Assistant],
    speaker: str | None,
    query: str | None,
    sources: tuple[str, ...],
    as_json: bool,
) -> None:
    """List who said what in the indexed articles, with exact spans."""
    from dataclasses import asdict

    quotes = open_assistant().quotes(speaker=speaker, query=query, sources=list(sources) or None)
    if as_json:
        click.echo(json.dumps([asdict(q) for q in quotes], indent=2, ensure_ascii=False))
        return
    if not quotes:
        click.echo(
            "No quotes found." + ("" if speaker or query else " Ingest articles first: assistant ingest PATH")
        )
    for q in quotes:
        source = f"{q.source} (extracted text)" if q.extracted else q.source
        where = f"{source}, lines {q.start_line}-{q.end_line}, chars {q.start_char}-{q.end_char}"
        if q.page is not None:
            where += f", page {q.page}"
        outlet = f", {q.outlet}" if q.outlet else ""
        click.secho(f"{q.label()} {q.cue} ({q.kind}{outlet}) {where}", bold=True)
        click.echo(f"    {q.quote}")


@click.command("ask")
@click.argument("question")
@click.option("--source", "sources", multiple=True, help="Only answer from this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as one JSON object.")
@settings_options("answer")
@click.pass_obj
@user_errors
def ask_command(
    open_assistant: Callable[..., Assistant],
    question: str,
    sources: tuple[str, ...],
    as_json: bool,
) -> None:
    """Answer QUESTION from the indexed sources, citing file, lines and quote."""
    assistant = open_assistant()
    chosen = answerable_sources(assistant, sources)
    if as_json:
        answer = assistant.ask(question, sources=chosen)
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    print_answer(assistant.stream(question, sources=chosen))


@click.command("chat")
@click.option("--source", "sources", multiple=True, help="Only answer from this source (repeatable).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print each Answer as one line of JSON (prompts go to stderr)."
)
@settings_options("answer")
@click.pass_obj
@user_errors
def chat_command(
    open_assistant: Callable[..., Assistant],
    sources: tuple[str, ...],
    as_json: bool,
) -> None:
    """Ask questions in turn; follow-ups use the conversation. Ctrl-D or an empty line ends it."""
    assistant = open_assistant()
    chosen = answerable_sources(assistant, sources)
    history: list[tuple[str, str]] = []
    while True:
        try:
            question = click.prompt("\nYou", default="", show_default=False, err=as_json).strip()
        except (EOFError, click.Abort):
            return
        if not question:
            return
        if as_json:
            answer = assistant.ask(question, history=history, sources=chosen)
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
        else:
            click.secho("\nAssistant:", bold=True)
            answer = print_answer(assistant.stream(question, history=history, sources=chosen))
        history.append((question, answer.text))


def _parse_auth(value: str | None) -> tuple[str, str] | None:
    """USER:PASS as a (user, password) pair."""
    if value is None:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise click.BadParameter("expected USER:PASS", param_hint="--auth")
    return user, password


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option(
    "--auth",
    envvar="ASSISTANT_AUTH",
    metavar="USER:PASS",
    help="Require this login (visible in `ps`: prefer ASSISTANT_AUTH).",
)
@settings_options("answer")
@click.pass_obj
@user_errors
def serve_command(
    open_assistant: Callable[..., Assistant],
    host: str,
    port: int,
    auth: str | None,
) -> None:
    """Serve the web chat (never a public share link); Ctrl-C stops it."""
    credentials = _parse_auth(auth)
    assistant = open_assistant()
    from assistant.interfaces.web import serve

    click.echo(f"Serving on http://{host}:{port}", err=True)
    serve(assistant, host=host, port=port, auth=credentials)


@click.command("eval")
@click.argument(
    "dataset",
    type=click.Choice(["squad", "hotpot", "nq", "attribution", "speakers", "agreement", "newsqa"]),
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--sample", "n", type=click.IntRange(min=1), help="Questions to draw (default: all).")
@click.option("--seed", default=7, show_default=True, help="Seed of the random sample.")
@click.option(
    "--out",
    "out_dir",
    default="eval-results",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for results.json, results.md and hit_at_k.png.",
)
@click.option("--no-answers", is_flag=True, help="Measure retrieval only, not offline answers.")
@click.option(
    "--unanswerable",
    is_flag=True,
    help="squad/nq: remove the gold paragraph of half the questions; measure declined and false declines.",
)
@click.option(
    "--texts",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="newsqa: the folder of article texts (default: polnear/dev/text beside PATH).",
)
@click.option(
    "--compare-backend",
    "compare",
    multiple=True,
    type=click.Choice(["torch", "onnx", "onnx-int8"]),
    help="Also index and run hybrid with this embedding backend, in the same run (repeatable).",
)
@click.pass_context
@user_errors
def eval_command(
    ctx: click.Context,
    dataset: str,
    path: Path,
    n: int | None,
    seed: int,
    out_dir: Path,
    no_answers: bool,
    unanswerable: bool,
    texts: Path | None,
    compare: tuple[str, ...],
) -> None:
    """Compare retrieval and answers with the LangChain tutorial pipeline and BM25 on DATASET.

    The dataset's articles are written to a throwaway folder and indexed there; the
    data dir is not touched. --model is honoured. `attribution PATH` instead measures who said
    what on a PolNeAR split folder (text/, attributions/), with no index at all; `speakers PATH`
    whether each person's quotes land in one entry of the Speakers list, on the same data.
    `agreement PATH` measures agree / conflict / figures on a JSON-lines file of labelled pairs, or
    asks the kind-f questions of a newsqa-polnear file (both sides cited, conflict flagged).
    `newsqa PATH` answers reader questions (newsqa-polnear-dev.jsonl) and judges them per kind.
    """
    if dataset == "attribution":
        from assistant.evaluation.attribution import compare_on_polnear

        click.echo(compare_on_polnear(path))
        return
    if dataset == "speakers":
        from assistant.evaluation.speakers import evaluate_speakers, speakers_table

        click.echo(speakers_table(evaluate_speakers(path)))
        return
    if dataset == "agreement":
        from assistant.evaluation.agreement import report as agreement_report

        click.echo(agreement_report(path))
        return
    root = ctx.find_root().params
    if dataset == "newsqa":
        from assistant.evaluation.newsqa import evaluate_newsqa, newsqa_table

        found = evaluate_newsqa(path, texts, out_dir, model=root.get("model"))
        click.echo(newsqa_table(found))
        click.echo(f"\nWritten to {out_dir}/ (results.json, results.md)")
        return
    try:
        from assistant.evaluation.runner import evaluate, markdown_table
    except ImportError as exc:
        raise click.ClickException(
            f"`assistant eval` needs the evaluation extras ({exc.name} is missing): pip install -e '.[eval]'"
        ) from exc

    report = evaluate(
        dataset,
        path,
        out_dir,
        n=n,
        seed=seed,
        answers=not no_answers,
        model=root.get("model"),
        cross_encoder=root.get("cross_encoder"),
        backend=root.get("embedding_backend"),
        compare_backends=compare,
        unanswerable=unanswerable,
    )
    click.echo(markdown_table(report))
    click.echo(f"\nWritten to {out_dir}/ (results.json, results.md, hit_at_k.png)")
