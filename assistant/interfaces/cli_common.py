"""What every command shares: library errors as one clear line, and the language-model options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from assistant.api import Assistant

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(command: F) -> F:
    """Turn library errors into a one-line message on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pydantic import ValidationError

        from assistant.errors import AssistantError

        try:
            return command(*args, **kwargs)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise click.ClickException(f"Invalid setting ({problems}).") from exc

    return wrapper  # type: ignore[return-value]


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


def answerable_sources(assistant: Assistant, sources: tuple[str, ...]) -> list[str] | None:
    """The `--source` names to answer from (None: all), once something is indexed and each is.

    An empty index or a misspelt source would otherwise read as "not covered by the sources".
    """
    indexed = {info.source for info in assistant.sources()}
    if not indexed:
        raise click.ClickException("Nothing is indexed yet: run `assistant ingest PATH` first.")
    unknown = [source for source in sources if source not in indexed]
    if unknown:
        raise click.ClickException(
            f"Not indexed: {', '.join(unknown)}. `assistant sources` lists the sources by name."
        )
    return list(sources) or None
