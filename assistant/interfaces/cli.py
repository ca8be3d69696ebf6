"""The `assistant` command line: the group, its options, and its commands (`cli_index`, `cli_ask`).

Library errors become one clear line at the command edge (`cli_common.user_errors`) and nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from assistant.interfaces import cli_ask, cli_index, cli_show, cli_speakers

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.settings import Settings


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
    type=click.Choice(["torch", "onnx", "onnx-int8", "torch-bf16"]),
    help="What computes the vectors (default: chosen for this CPU; an index keeps its own).",
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
