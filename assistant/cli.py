"""The `assistant` command line. Library errors become one clear line here and nowhere else."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.records import Answer, IngestReport
    from assistant.settings import Settings

EXIT_SOME_FILES_FAILED = 3
F = TypeVar("F", bound=Callable[..., Any])


def user_errors(command: F) -> F:
    """Turn library errors into a one-line message on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pydantic import ValidationError

        from assistant.errors import AssistantError
        from vectorstore.errors import VectorStoreError

        try:
            return command(*args, **kwargs)
        except (AssistantError, VectorStoreError) as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise click.ClickException(f"Invalid setting ({problems}).") from exc

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    envvar="ASSISTANT_DATA_DIR",
    type=click.Path(path_type=Path),
    help="Folder of the index (default ./.assistant).",
)
@click.option("--chroma-host", envvar="ASSISTANT_CHROMA_HOST", help="Use the Chroma server on this host.")
@click.option(
    "--chroma-port", envvar="ASSISTANT_CHROMA_PORT", type=int, help="Chroma server port (default 8000)."
)
@click.option(
    "--chroma-timeout",
    envvar="ASSISTANT_CHROMA_TIMEOUT",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for the Chroma server before giving up (default 5).",
)
@click.option(
    "--model",
    envvar="ASSISTANT_MODEL",
    help="Local sentence-transformers folder (default: bundled all-MiniLM-L6-v2).",
)
@click.option(
    "--cross-encoder",
    envvar="ASSISTANT_CROSS_ENCODER",
    help="Local CrossEncoder folder to rerank retrieved passages with (default: none).",
)
@click.option(
    "--embedding-backend",
    envvar="ASSISTANT_EMBEDDING_BACKEND",
    type=click.Choice(["torch", "onnx", "onnx-int8"]),
    help="What computes the vectors (default onnx-int8; an index keeps the one it was built with).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    data_dir: Path | None,
    chroma_host: str | None,
    chroma_port: int | None,
    chroma_timeout: float | None,
    model: str | None,
    cross_encoder: str | None,
    embedding_backend: str | None,
) -> None:
    """Ask questions about news articles and get answers that cite file, lines and quote."""
    given = {
        "data_dir": data_dir,
        "chroma_host": chroma_host,
        "chroma_port": chroma_port,
        "chroma_timeout": chroma_timeout,
        "model": model,
        "cross_encoder": cross_encoder,
        "embedding_backend": embedding_backend,
    }

    def open_assistant(**options: Any) -> Assistant:
        from assistant.api import Assistant

        return Assistant(settings=settings_of(**options))

    def settings_of(**options: Any) -> Settings:
        from assistant.settings import Settings

        chosen = {k: v for k, v in {**given, **options}.items() if v is not None}
        return Settings(**chosen)

    ctx.obj = open_assistant
    ctx.meta["settings_of"] = settings_of


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Also remove sources under PATHS whose files are gone.")
@click.option(
    "--wait",
    default=0.0,
    type=click.FloatRange(min=0),
    help="Seconds to wait for another ingest on the same index (default: refuse at once).",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    envvar="ASSISTANT_MAX_FILE_MB",
    help="Refuse files larger than this (default 20).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--outlet", help="Outlet of these files, unless a NAME.meta.json sidecar says otherwise.")
@click.pass_obj
@user_errors
def ingest_command(
    open_assistant: Callable[..., Assistant],
    paths: tuple[Path, ...],
    prune: bool,
    wait: float,
    max_file_mb: float | None,
    as_json: bool,
    outlet: str | None,
) -> None:
    """Index .txt, .md, .html and .pdf files and folders (recursively); unchanged files cost nothing.

    Binary and empty files are skipped (listed). Exit code 0 when no file failed,
    3 when some files failed (listed with the reason), 1 on other errors.
    """
    assistant = open_assistant(max_file_mb=max_file_mb)
    with _progress_bar(disabled=as_json) as progress:
        report = assistant.ingest(paths, progress=progress, prune=prune, wait=wait, outlet=outlet)
    _finish(report, as_json)


@cli.command("remove")
@click.argument("sources", nargs=-1, required=True)
@click.option("--wait", default=0.0, type=click.FloatRange(min=0), help="Seconds to wait for an ingest.")
@click.pass_obj
@user_errors
def remove_command(open_assistant: Callable[[], Assistant], sources: tuple[str, ...], wait: float) -> None:
    """Remove SOURCES (names as `assistant sources` lists them) from the index."""
    for source in open_assistant().remove(sources, wait=wait):
        click.echo(f"removed {source}")


@cli.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--wait", default=0.0, type=click.FloatRange(min=0), help="Seconds to wait for an ingest.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@user_errors
def reindex_command(ctx: click.Context, paths: tuple[Path, ...], wait: float, as_json: bool) -> None:
    """Rebuild the index from its source files (or PATHS), with the current --model.

    For a model change, or an index reported damaged (its files are moved aside, not deleted).
    """
    from assistant.reindexing import reindex

    settings = ctx.meta["settings_of"]()
    with _progress_bar(disabled=as_json) as progress:
        report = reindex(settings, list(paths) or None, progress=progress, wait=wait)
    if report.set_aside and not as_json:
        click.echo(f"The damaged index files were moved to {report.set_aside}; delete them when done.")
    _finish(report, as_json)


@contextlib.contextmanager
def _progress_bar(disabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr while files are ingested; yields the progress callback."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("Ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
        disable=disabled,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(source: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=source)

        yield progress


def _finish(report: IngestReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print_report(report)
    if not report.ok:
        sys.exit(EXIT_SOME_FILES_FAILED)


def _print_report(report: IngestReport) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Ingest summary")
    columns = ("added", "replaced", "unchanged", "removed", "skipped", "failed", "chunks embedded", "seconds")
    for column in columns:
        table.add_column(column, justify="right")
    counts = (report.added, report.replaced, report.unchanged, report.removed, report.skipped, report.failed)
    table.add_row(*(str(len(c)) for c in counts), str(report.chunks), str(report.seconds))
    console = Console()
    console.print(table)
    for source, encoding in sorted(report.encodings.items()):
        console.print(f"decoded as {encoding}: {source}", markup=False, highlight=False)
    for source in report.removed:
        console.print(f"removed {source} (its file is gone)", markup=False, highlight=False)
    for problem in report.skipped:
        console.print(f"skipped {problem.source}: {problem.reason}", markup=False, highlight=False)
    for problem in report.failed:
        line = escape(f"{problem.source}: {problem.reason}")
        console.print(f"[red]failed[/red] {line}", markup=True, highlight=False)


@cli.command("search")
@click.argument("query")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(min=1), help="Passages to return.")
@click.option("--source", "sources", multiple=True, help="Only search this source (repeatable).")
@click.option("--per-source", type=click.IntRange(min=1), help="At most this many passages per source.")
@click.option(
    "--mode",
    default="hybrid",
    show_default=True,
    type=click.Choice(["hybrid", "fused", "dense", "lexical"]),
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
    for rank, p in enumerate(passages, start=1):
        click.secho(
            f"[{rank}] {p.source}, lines {p.start_line}-{p.end_line}, "
            f"chars {p.start_char}-{p.end_char}, score {p.score:.3f}",
            bold=True,
        )
        click.echo(f"    {p.text}\n")


@cli.command("sources")
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


@cli.command("quotes")
@click.option("--speaker", help="Only quotes whose speaker or role contains this (any case).")
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
        where = f"{q.source}, lines {q.start_line}-{q.end_line}, chars {q.start_char}-{q.end_char}"
        if q.page is not None:
            where += f", page {q.page}"
        outlet = f", {q.outlet}" if q.outlet else ""
        click.secho(f"{q.label()} {q.cue} ({q.kind}{outlet}) {where}", bold=True)
        click.echo(f"    {q.quote}")


def llm_options(command: F) -> F:
    """The options that choose a language model; without them answers are extractive, offline."""
    command = click.option(
        "--llm-base-url",
        envvar="ASSISTANT_LLM_BASE_URL",
        help="Base URL of an OpenAI-compatible server (vLLM, llama.cpp, LM Studio) or of Ollama.",
    )(command)
    return click.option(
        "--llm",
        envvar="ASSISTANT_LLM",
        help="openai:MODEL or ollama:MODEL (keys from OPENAI_API_KEY). Default: offline answers.",
    )(command)


@cli.command("ask")
@click.argument("question")
@click.option("--source", "sources", multiple=True, help="Only answer from this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as one JSON object.")
@llm_options
@click.pass_obj
@user_errors
def ask_command(
    open_assistant: Callable[..., Assistant],
    question: str,
    sources: tuple[str, ...],
    as_json: bool,
    llm: str | None,
    llm_base_url: str | None,
) -> None:
    """Answer QUESTION from the indexed sources, citing file, lines and quote."""
    assistant = open_assistant(llm=llm, llm_base_url=llm_base_url)
    if as_json:
        answer = assistant.ask(question, sources=list(sources) or None)
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_answer(assistant.stream(question, sources=list(sources) or None))


@cli.command("chat")
@llm_options
@click.pass_obj
@user_errors
def chat_command(open_assistant: Callable[..., Assistant], llm: str | None, llm_base_url: str | None) -> None:
    """Ask questions in turn; follow-ups use the conversation. Ctrl-D or an empty line ends it."""
    assistant = open_assistant(llm=llm, llm_base_url=llm_base_url)
    history: list[tuple[str, str]] = []
    while True:
        try:
            question = click.prompt("\nYou", default="", show_default=False).strip()
        except (EOFError, click.Abort):
            return
        if not question:
            return
        answer = _print_answer(assistant.stream(question, history=history))
        history.append((question, answer.text))


def _parse_auth(value: str | None) -> tuple[str, str] | None:
    """USER:PASS as a (user, password) pair."""
    if value is None:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise click.BadParameter("expected USER:PASS", param_hint="--auth")
    return user, password


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--auth", envvar="ASSISTANT_AUTH", metavar="USER:PASS", help="Require this login.")
@llm_options
@click.pass_obj
@user_errors
def serve_command(
    open_assistant: Callable[..., Assistant],
    host: str,
    port: int,
    auth: str | None,
    llm: str | None,
    llm_base_url: str | None,
) -> None:
    """Serve the web chat (never a public share link); Ctrl-C stops it."""
    credentials = _parse_auth(auth)
    assistant = open_assistant(llm=llm, llm_base_url=llm_base_url)
    from assistant.ui import serve

    click.echo(f"Serving on http://{host}:{port}", err=True)
    serve(assistant, host=host, port=port, auth=credentials)


@cli.command("eval")
@click.argument("dataset", type=click.Choice(["squad", "hotpot"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
    compare: tuple[str, ...],
) -> None:
    """Compare retrieval and answers with the LangChain tutorial pipeline and BM25 on DATASET.

    The dataset's articles are written to a throwaway folder and indexed there; the
    data dir is not touched. --model is honoured.
    """
    from assistant.evaluation import evaluate, markdown_table

    root = ctx.find_root().params
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
    )
    click.echo(markdown_table(report))
    click.echo(f"\nWritten to {out_dir}/ (results.json, results.md, hit_at_k.png)")


def _print_answer(pieces: Iterator[str | Answer]) -> Answer:
    """Print text pieces as they arrive, then the verified answer's citations; return the Answer."""
    streamed = False
    for piece in pieces:
        if isinstance(piece, str):
            click.echo(piece, nl=False)
            streamed = True
            continue
        if streamed:
            click.echo("\n")
        if piece.mode == "llm":  # the model's raw words were streamed; this is the checked text
            click.secho("Checked answer:", bold=True)
            click.echo(piece.text + "\n")
        for c in piece.citations:
            where = f"{c.label()}, chars {c.start_char}-{c.end_char}"
            click.secho(f"[{c.n}] {where}" + (f" ({c.date})" if c.date else ""), bold=True)
            click.echo(f"    {c.quote}")
        for claim in piece.unsupported:
            click.secho(f"Not supported by the cited sources: {claim}", fg="yellow")
        return piece
    raise RuntimeError("the answer stream ended without an Answer")


def main() -> None:
    """Entry point of the `assistant` console script."""
    from vectorstore.embeddings import offline_environment

    offline_environment()  # before gradio or transformers read the environment
    cli(prog_name="assistant")
