"""The `assistant` command line: the group, its options, and its commands (`cli_index`, `cli_ask`).

Library errors become one clear line at the command edge (`cli_common.user_errors`) and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from assistant.interfaces import cli_ask, cli_index, cli_show, cli_speakers
from assistant.interfaces.cli_common import GIVEN, settings_options

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@settings_options("global")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Ask questions about news articles and get answers that cite file, lines and quote."""

    def open_assistant(**options: Any) -> Assistant:
        from assistant.api import Assistant

        return Assistant(settings=settings_of(**options))

    def settings_of(**options: Any) -> Settings:
        from assistant.settings import make_settings

        return make_settings(**{**ctx.meta.get(GIVEN, {}), **options})

    ctx.obj = open_assistant
    ctx.meta["settings_of"] = settings_of


for command in (
    cli_index.ingest_command,
    cli_index.remove_command,
    cli_index.reindex_command,
    cli_ask.search_command,
    cli_ask.sources_command,
    cli_show.show_command,
    cli_ask.quotes_command,
    cli_speakers.speakers_command,
    cli_ask.ask_command,
    cli_ask.chat_command,
    cli_ask.serve_command,
    cli_ask.eval_command,
):
    cli.add_command(command)


def main() -> None:
    """Entry point of the `assistant` console script."""
    from vectorstore.modelfiles import offline_environment

    offline_environment()  # before gradio or transformers read the environment
    cli(prog_name="assistant")
