"""All settings in one place, read from `ASSISTANT_*` environment variables.

Each setting is declared once here: its name, type, default and help text. The command line
(`interfaces/cli_common.settings_options`), `Assistant(...)` and the options table of
docs/usage.md (`settings_table`) are all derived from these declarations. Settings are built at
the edges (CLI, UI) and passed down as plain parameters.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import Field, ValidationError
from pydantic.json_schema import JsonDict
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import InputError
from vectorstore.modelfiles import default_cache_dir

ENV_PREFIX = "ASSISTANT_"


class EmbeddingBackend(StrEnum):
    """What computes the vectors (see docs/evaluation.md, "Performance")."""

    TORCH = "torch"
    ONNX = "onnx"
    ONNX_INT8 = "onnx-int8"
    ONNX_INT8_DYNAMIC = "onnx-int8-dynamic"  # earlier int8 indexes open with it
    TORCH_BF16 = "torch-bf16"


class SearchMode(StrEnum):
    """Which ranking `retrieve` returns: fused then reranked, fused, or one ranking alone."""

    HYBRID = "hybrid"
    FUSED = "fused"
    DENSE = "dense"
    LEXICAL = "lexical"


class FusionMethod(StrEnum):
    """How the dense and BM25 rankings are fused: reciprocal rank or a convex combination."""

    RRF = "rrf"
    CONVEX = "convex"


class AnswerMode(StrEnum):
    """Who writes an answer: the offline extractive answerer, or a language model."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


class SettingsError(InputError, ValueError):
    """A setting with a value it cannot take (the message names the setting, value and choices)."""


E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: str, setting: str) -> E:
    """`value` as a member of the enum `kind`, or a SettingsError naming `setting` and the choices.

    Example:
        >>> choice(FusionMethod, "rrf", "fusion method")
        <FusionMethod.RRF: 'rrf'>
        >>> choice(FusionMethod, "mean", "fusion method")
        Traceback (most recent call last):
        ...
        assistant.settings.SettingsError: Unknown fusion method 'mean': choose one of rrf, convex.
    """
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise SettingsError(f"Unknown {setting} {value!r}: choose one of {allowed}.") from None


def setting(
    default: Any = None,
    help: str = "",
    *,
    cli: str | None = None,
    metavar: str | None = None,
    unset: str | None = None,
    **constraints: Any,
) -> Any:
    """Declare one setting: `help` is its help text everywhere, `cli` the commands taking it.

    `cli` is "global" (an option before the command), a command group ("ingest", "answer":
    ask, chat and serve) or None (environment and Python only); `unset` says what an unset
    (None) default means; `constraints` are pydantic's (ge, le, gt, default_factory).
    """
    extra: JsonDict = {"cli": cli, "metavar": metavar, "unset": unset}
    if "default_factory" in constraints:
        return Field(description=help, json_schema_extra=extra, **constraints)
    return Field(default, description=help, json_schema_extra=extra, **constraints)


class Settings(BaseSettings):
    """Where the index lives, which model embeds it and how answers are made.

    Example:
        >>> Settings(data_dir=Path("/tmp/index")).chroma_port
        8000
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    data_dir: Path = setting(Path(".assistant"), "Folder of the index.", cli="global", metavar="DIR")
    chroma_host: str | None = setting(
        None,
        "Use the Chroma server on this host.",
        cli="global",
        metavar="HOST",
        unset="embedded Chroma in the data dir",
    )
    chroma_port: int = setting(8000, "Chroma server port.", cli="global", metavar="PORT", ge=1, le=65535)
    chroma_timeout: float = setting(
        5.0,
        "Seconds to wait for the Chroma server before a clear error.",
        cli="global",
        metavar="SECONDS",
        gt=0,
    )
    model: str | None = setting(
        None,
        "Local sentence-transformers folder to embed with.",
        cli="global",
        metavar="PATH",
        unset="the bundled all-MiniLM-L6-v2",
    )
    embedding_backend: EmbeddingBackend | None = setting(
        None,
        "What computes the vectors.",
        cli="global",
        unset="the backend the index was built with (`onnx` for an fp32 index); for a new index "
        "the one chosen for the CPU (`onnx-int8`; with AMX the faster of `onnx-int8` and "
        '`torch-bf16`, timed once); see "Performance"',
    )
    cross_encoder: str | None = setting(
        None,
        "Local CrossEncoder folder to rerank retrieved passages with.",
        cli="global",
        metavar="PATH",
        unset="rerank by each passage's best sentence",
    )
    cache_dir: Path = setting(
        help="Folder for the local ONNX exports of the model.",
        default_factory=default_cache_dir,
        unset="`~/.cache/source-assistant` (or `$XDG_CACHE_HOME/source-assistant`)",
    )
    max_file_mb: float = setting(
        20.0, "Files larger than this are refused.", cli="ingest", metavar="MB", gt=0
    )
    quote_seconds: float = setting(
        60.0,
        "CPU seconds at most for finding one file's quotes; a file that needs more is indexed "
        "without quotes (listed under `quotes_stopped` in the ingest report).",
        gt=0,
    )
    chunk_tokens: int = setting(180, "Target chunk size in word pieces.", ge=16, le=512)
    answer_passages: int = setting(12, "Passages retrieved for an answer.", ge=1, le=50)
    llm: str | None = setting(
        None,
        "openai:MODEL or ollama:MODEL to write answers (keys from OPENAI_API_KEY).",
        cli="answer",
        metavar="SPEC",
        unset="offline extractive answers",
    )
    llm_base_url: str | None = setting(
        None,
        "Base URL of an OpenAI-compatible server (vLLM, llama.cpp, LM Studio) or of Ollama.",
        cli="answer",
        metavar="URL",
        unset="OpenAI: `OPENAI_BASE_URL` or api.openai.com; Ollama: `OLLAMA_HOST` or "
        "`http://127.0.0.1:11434`",
    )
    llm_timeout: float = setting(60.0, "Seconds to wait for the language model.", gt=0)


def env_name(name: str) -> str:
    """The environment variable of the setting `name`."""
    return ENV_PREFIX + name.upper()


def option_name(name: str) -> str:
    """The command-line option of the setting `name`."""
    return "--" + name.replace("_", "-")


def extra_of(name: str) -> dict[str, Any]:
    """The `setting(...)` extras (cli, metavar, unset) of the setting `name`."""
    extra = Settings.model_fields[name].json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def make_settings(base: Settings | None = None, **given: Any) -> Settings:
    """Settings from `base` (else the environment and defaults) with the `given` values not None.

    An unknown name or a value a setting cannot take raises SettingsError naming the setting,
    its environment variable, the value and what it accepts.

    Example:
        >>> make_settings(chroma_port=9000).chroma_port
        9000
        >>> make_settings(chroma_prot=9000)
        Traceback (most recent call last):
        ...
        assistant.settings.SettingsError: Unknown setting 'chroma_prot'; the settings are: ...
    """
    unknown = sorted(set(given) - set(Settings.model_fields))
    if unknown:
        raise SettingsError(
            f"Unknown setting {unknown[0]!r}; the settings are: {', '.join(Settings.model_fields)}."
        )
    chosen = {name: value for name, value in given.items() if value is not None}
    try:
        if base is None:
            return Settings(**chosen)
        return Settings.model_validate({**base.model_dump(), **chosen})
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """A ValidationError of Settings as one line per bad setting: name, variable, value, rule."""
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "settings"
        where = f"{name} ({env_name(name)})" if name in Settings.model_fields else name
        problems.append(f"{where} = {error.get('input')!r}: {error['msg']}")
    return "Invalid setting " + "; ".join(problems) + "."


def default_text(name: str) -> str:
    """The default of the setting `name` as the docs and `--help` state it."""
    unset = extra_of(name).get("unset")
    if unset:
        return str(unset)
    default = Settings.model_fields[name].default
    if isinstance(default, float) and default.is_integer():
        default = int(default)
    return f"`./{default}`" if isinstance(default, Path) else f"`{default}`"


def settings_table() -> str:
    """The Markdown table of every setting: option, environment variable, default, meaning."""
    rows = [
        "| option | environment variable | default | what it sets |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        extra = extra_of(name)
        scope = extra.get("cli")
        if scope is None:
            option = "(Python/env only)"
        else:
            metavar = extra.get("metavar") or choices_text(name)
            option = f"`{option_name(name)} {metavar}`"
            option += " (before the command)" if scope == "global" else f" ({COMMANDS[scope]})"
        rows.append(f"| {option} | `{env_name(name)}` | {default_text(name)} | {field.description} |")
    return "\n".join(rows)


def choices_text(name: str) -> str:
    """`a\\|b\\|c` for a setting whose values are an enum's, else NAME."""
    kind = enum_of(name)
    return "\\|".join(m.value for m in kind) if kind else name.upper()


def enum_of(name: str) -> type[StrEnum] | None:
    """The enum a setting's value must belong to, if any."""
    annotation = Settings.model_fields[name].annotation
    for candidate in getattr(annotation, "__args__", (annotation,)):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return candidate
    return None


# Which commands take the options of each `cli` scope other than "global".
COMMANDS = {"ingest": "`ingest`", "answer": "`ask`, `chat`, `serve`"}


def local_path(settings: Settings, name: str) -> Path:
    """A file or folder of this machine's state for the index: in the data dir, named per server."""
    if settings.chroma_host:
        name = f"{name}-{settings.chroma_host}-{settings.chroma_port}"
    return Path(settings.data_dir) / name
