"""What the command line prints: progress, ingest reports and answers as they stream."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator

import click

from assistant.answers.rendering import CHECKED, citation_heading, left_out
from assistant.models import Answer, IngestReport

EXIT_SOME_FILES_FAILED = 3


@contextlib.contextmanager
def progress_bar(disabled: bool) -> Iterator[Callable[[str, int, int], None]]:
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


def finish(report: IngestReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        print_report(report)
    if not report.ok:
        sys.exit(EXIT_SOME_FILES_FAILED)


def print_report(report: IngestReport) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # One row per count: the table fits an 80-column terminal whole, however wide the numbers.
    table = Table(title="Ingest summary", show_header=False)
    table.add_column("files")
    table.add_column("count", justify="right")
    counts = {
        "added": len(report.added),
        "replaced": len(report.replaced),
        "unchanged": len(report.unchanged),
        "removed": len(report.removed),
        "skipped": len(report.skipped),
        "failed": len(report.failed),
    }
    for name, count in counts.items():
        table.add_row(name, str(count))
    table.add_row("chunks embedded", str(report.chunks))
    table.add_row("seconds", str(report.seconds))
    console = Console()
    console.print(table)
    for source, encoding in sorted(report.encodings.items()):
        console.print(f"decoded as {encoding}: {source}", markup=False, highlight=False)
    for source in report.removed:
        console.print(f"removed {source} (its file is gone)", markup=False, highlight=False)
    for problem in report.quotes_stopped:
        console.print(f"no quotes for {problem.source}: {problem.reason}", markup=False, highlight=False)
    for problem in report.skipped:
        console.print(f"skipped {problem.source}: {problem.reason}", markup=False, highlight=False)
    for problem in report.failed:
        line = escape(f"{problem.source}: {problem.reason}")
        console.print(f"[red]failed[/red] {line}", markup=True, highlight=False)


def print_answer(pieces: Iterator[str | Answer]) -> Answer:
    """Print text pieces as they arrive, then the verified answer's citations; return the Answer."""
    streamed = ""
    for piece in pieces:
        if isinstance(piece, str):
            click.echo(piece, nl=False)
            streamed += piece
            continue
        if streamed:
            click.echo("\n")
        # With a model only checked sentences stream; the final text says it again only where the
        # check of the whole answer changed what was shown.
        if piece.mode == "llm" and streamed.strip() != piece.text.strip():
            click.secho(CHECKED, bold=True)
            click.echo(piece.text + "\n")
        for c in piece.citations:
            click.secho(citation_heading(c), bold=True)
            click.echo(f"    {c.quote}")
        if piece.unsupported:
            click.secho(left_out(piece), fg="yellow")
        return piece
    raise RuntimeError("the answer stream ended without an Answer")
