"""`assistant show SOURCE`: one indexed source, and with `--text` the exact text its offsets count in."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from assistant.interfaces.cli_common import user_errors

if TYPE_CHECKING:
    from assistant.api import Assistant


@click.command("show")
@click.argument("source")
@click.option(
    "--text",
    "as_text",
    is_flag=True,
    help="Print the text that citations' offsets count in (for HTML and PDF: the extracted text).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the source's record and its text as JSON.")
@click.pass_obj
@user_errors
def show_command(open_assistant: Callable[[], Assistant], source: str, as_text: bool, as_json: bool) -> None:
    """Show SOURCE as `assistant sources` names it; --text prints exactly the text citations index.

    `chars a-b` of a citation is `text[a:b]` of this text. For a .txt or .md file that is the
    file itself; for HTML and PDF it is the text extracted from the file, which citations
    mark "(extracted text)".
    """
    assistant = open_assistant()
    info = next((s for s in assistant.sources() if s.source == source), None)
    if info is None:
        from assistant.errors import InputError

        raise InputError(f"{source} is not indexed: `assistant sources` lists the sources by name.")
    text = assistant.source_text(source)
    extracted = source.lower().endswith((".html", ".htm", ".pdf"))
    if as_json:
        record = {"source": source, "title": info.title, "chunks": info.chunks}
        click.echo(json.dumps({**record, "extracted": extracted, "text": text}, indent=2, ensure_ascii=False))
        return
    if as_text:
        click.echo(text, nl=False)
        return
    click.echo(f"{info.source}\n  title: {info.title}\n  chunks: {info.chunks}\n  characters: {len(text):,}")
    if extracted:
        click.echo(
            "  Offsets of its citations count in the text extracted from the file, not in the file's bytes:\n"
            f"  assistant show {shlex.quote(source)} --text   prints that text."
        )
