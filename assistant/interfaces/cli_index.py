"""Commands that write the index: ingest, remove, reindex."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.interfaces.cli_common import settings_options, user_errors
from assistant.interfaces.terminal import finish, progress_bar

if TYPE_CHECKING:
    from assistant.api import Assistant


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Also remove sources under PATHS whose files are gone.")
@click.option(
    "--wait",
    default=0.0,
    type=click.FloatRange(min=0),
    help="Seconds to wait for another ingest on the same index (default: refuse at once).",
)
@settings_options("ingest")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--outlet", help="Outlet of these files, unless a NAME.meta.json sidecar says otherwise.")
@click.pass_obj
@user_errors
def ingest_command(
    open_assistant: Callable[..., Assistant],
    paths: tuple[Path, ...],
    prune: bool,
    wait: float,
    as_json: bool,
    outlet: str | None,
) -> None:
    """Index .txt, .md, .html and .pdf files and folders (recursively); unchanged files cost nothing.

    Binary and empty files are skipped (listed). Exit code 0 when no file failed,
    3 when some files failed (listed with the reason), 1 on other errors.
    """
    assistant = open_assistant()
    with progress_bar(disabled=as_json) as progress:
        report = assistant.ingest(paths, progress=progress, prune=prune, wait=wait, outlet=outlet)
    finish(report, as_json)


@click.command("remove")
@click.argument("sources", nargs=-1, required=True)
@click.option("--wait", default=0.0, type=click.FloatRange(min=0), help="Seconds to wait for an ingest.")
@click.pass_obj
@user_errors
def remove_command(open_assistant: Callable[[], Assistant], sources: tuple[str, ...], wait: float) -> None:
    """Remove SOURCES (names as `assistant sources` lists them) from the index."""
    for source in open_assistant().remove(sources, wait=wait):
        click.echo(f"removed {source}")


@click.command("reindex")
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
    with progress_bar(disabled=as_json) as progress:
        report = reindex(settings, list(paths) or None, progress=progress, wait=wait)
    if report.set_aside and not as_json:
        click.echo(f"The damaged index files were moved to {report.set_aside}; delete them when done.")
    finish(report, as_json)
