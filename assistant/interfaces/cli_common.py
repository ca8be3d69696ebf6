"""What every command shares: library errors as one clear line, and the options of the settings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
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
        from assistant.settings import describe

        try:
            return command(*args, **kwargs)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            raise click.ClickException(describe(exc)) from exc

    return wrapper  # type: ignore[return-value]


# Where the setting options a command was given wait for `open_assistant` (ctx.meta is shared).
GIVEN = "assistant.settings.given"


def settings_options(scope: str) -> Callable[[F], F]:
    """Add an option for each setting declared with `cli=scope` (see `assistant.settings`).

    Name, environment variable, type, choices and help all come from the declaration. The
    command never sees the values: they are kept in the click context, and `open_assistant()`
    or `settings_of()` (cli.py) apply them.
    """
    from assistant.settings import Settings, extra_of

    names = [name for name in Settings.model_fields if extra_of(name).get("cli") == scope]

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = click.get_current_context().meta.setdefault(GIVEN, {})
            for name in names:
                value = kwargs.pop(name)
                if value is not None:
                    given[name] = value
            return command(*args, **kwargs)

        for name in reversed(names):
            wrapper = setting_option(name)(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


def setting_option(name: str) -> Callable[[F], F]:
    """The click option of one setting, derived from its declaration."""
    from assistant.settings import Settings, default_text, env_name, extra_of, option_name

    field = Settings.model_fields[name]
    default = default_text(name).replace("`", "")
    return click.option(
        option_name(name),
        name,
        envvar=env_name(name),
        show_envvar=True,
        type=option_type(name),
        metavar=extra_of(name).get("metavar"),
        help=f"{field.description} Default: {default}.",
    )


def option_type(name: str) -> click.ParamType:
    """The click type of a setting: its enum's choices, its numeric bounds, a path or text."""
    from assistant.settings import Settings, enum_of

    kind = enum_of(name)
    if kind is not None:
        return click.Choice([member.value for member in kind])
    field = Settings.model_fields[name]
    bounds = {
        key: getattr(rule, key) for rule in field.metadata for key in ("ge", "gt", "le") if hasattr(rule, key)
    }
    annotation = field.annotation
    if annotation is int:
        return click.IntRange(min=bounds.get("ge"), max=bounds.get("le"))
    if annotation is float:
        low = bounds.get("gt", bounds.get("ge"))
        return click.FloatRange(min=low, max=bounds.get("le"), min_open="gt" in bounds)
    if annotation is Path:
        return click.Path(path_type=Path)
    return click.STRING


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
