"""`assistant speakers`: everyone quoted in the indexed articles, one entry per person."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from assistant.interfaces.cli_common import user_errors

if TYPE_CHECKING:
    from assistant.api import Assistant


@click.command("speakers")
@click.option("--source", "sources", multiple=True, help="Only speakers of this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print speakers as a JSON list.")
@click.pass_obj
@user_errors
def speakers_command(
    open_assistant: Callable[[], Assistant], sources: tuple[str, ...], as_json: bool
) -> None:
    """List everyone quoted: each person once, with roles, statements, outlets and dates."""
    speakers = open_assistant().speakers(sources=list(sources) or None)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in speakers], indent=2, ensure_ascii=False))
        return
    if not speakers:
        click.echo("Nobody is quoted yet. Ingest articles first: assistant ingest PATH")
    for s in speakers:
        dates = f", {s.first_date}" + (f" to {s.last_date}" if s.last_date != s.first_date else "")
        kind = "" if s.kind == "person" else f" [{s.kind}]"
        click.secho(f"{s.statements:4d}  {s.name}{kind}", bold=True, nl=False)
        click.echo(f"  ({', '.join(s.outlets)}{dates if s.first_date else ''})")
        for outlet, roles in s.roles.items():
            click.echo(f"        {outlet}: {'; '.join(roles)}")
