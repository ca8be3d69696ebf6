"""What every command shares: library errors as one clear line, and the language-model options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

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
