"""Settings are declared once (assistant/settings.py); the CLI, `Assistant(...)` and the docs
table are derived from that declaration, and a bad value is refused naming setting, value and
choices. All fast: nothing here opens the embedding model or Chroma."""

from __future__ import annotations

from typing import Any

import click
import pytest
from click.testing import CliRunner

from assistant import Assistant
from assistant.components import Components
from assistant.interfaces.cli import cli
from assistant.retrieval.fusion import Fusion
from assistant.settings import (
    EmbeddingBackend,
    SearchMode,
    Settings,
    SettingsError,
    env_name,
    extra_of,
    make_settings,
    option_name,
    settings_table,
)
from tests.conftest import REPO

pytestmark = pytest.mark.fast


class Opened(Exception):
    """Raised in place of building the parts: carries the settings an Assistant was opened with."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Components.build` records its settings instead of loading the model and Chroma."""

    def record(settings: Settings, rebuilding: bool = False) -> Any:
        raise Opened(settings)

    monkeypatch.setattr(Components, "build", record)


def _commands() -> list[click.Command]:
    assert isinstance(cli, click.Group)
    return [cli, *cli.commands.values()]


def test_the_docs_options_table_is_the_one_declaration() -> None:
    usage = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")
    assert settings_table() in usage, "docs/usage.md is stale: run python scripts/write_settings_table.py"
    for name in Settings.model_fields:
        assert f"`{env_name(name)}`" in settings_table()


def test_every_setting_option_of_every_command_comes_from_its_declaration() -> None:
    seen = set()
    for command in _commands():
        for param in command.params:
            if param.name in Settings.model_fields:
                field = Settings.model_fields[param.name]
                assert isinstance(param, click.Option)
                assert param.opts == [option_name(param.name)]
                assert param.envvar == env_name(param.name)
                assert (param.help or "").startswith(str(field.description)), (command.name, param.name)
                seen.add(param.name)
    declared = {name for name in Settings.model_fields if extra_of(name).get("cli")}
    assert seen == declared


def test_options_and_environment_reach_the_assistant_a_command_opens(
    opened: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_ANSWER_PASSAGES", "7")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    result = CliRunner().invoke(
        cli,
        ["--chroma-port", "9001", "--embedding-backend", "onnx", "ask", "--llm", "openai:m", "Why?"],
    )
    assert isinstance(result.exception, Opened), result.output
    settings = result.exception.settings
    assert settings.chroma_port == 9001
    assert settings.embedding_backend is EmbeddingBackend.ONNX
    assert settings.llm == "openai:m"
    assert settings.llm_base_url == "http://127.0.0.1:9/v1"
    assert settings.answer_passages == 7  # an environment-only setting


def test_a_bad_mode_on_the_command_line_or_in_the_environment_names_setting_value_and_choices() -> None:
    result = CliRunner().invoke(cli, ["--embedding-backend", "gpu", "sources"])
    assert result.exit_code == 2
    assert "--embedding-backend" in result.output and "'gpu'" in result.output
    assert "onnx-int8" in result.output
    result = CliRunner().invoke(cli, ["sources"], env={"ASSISTANT_CHUNK_TOKENS": "4"})
    assert result.exit_code == 1
    assert "chunk_tokens (ASSISTANT_CHUNK_TOKENS) = '4'" in result.output
    assert "Traceback" not in result.output


def test_the_api_takes_every_setting_by_name_and_refuses_unknown_ones(opened: None) -> None:
    with pytest.raises(Opened) as found:
        Assistant("/tmp/index", answer_passages=3, chroma_timeout=1.5)
    assert found.value.settings.answer_passages == 3
    assert found.value.settings.chroma_timeout == 1.5
    with pytest.raises(SettingsError, match=r"Unknown setting 'chroma_prot'.*chroma_port"):
        Assistant(chroma_prot=9000)
    with pytest.raises(SettingsError, match=r"embedding_backend .* = 'gpu'.*'onnx-int8'"):
        Assistant(embedding_backend="gpu")
    base = Settings(data_dir="/tmp/a", chroma_port=8100)
    with pytest.raises(Opened) as found:
        Assistant(settings=base, llm="ollama:m")
    assert (found.value.settings.chroma_port, found.value.settings.llm) == (8100, "ollama:m")
    with pytest.raises(SettingsError, match="chroma_port"):
        make_settings(base, chroma_port=0)  # validated, not copied blindly


def test_modes_are_enums_and_an_unknown_one_is_named_with_the_allowed_ones() -> None:
    assert Fusion("rrf").method == "rrf"
    with pytest.raises(SettingsError, match="Unknown fusion method 'sum': choose one of rrf, convex"):
        Fusion("sum")
    assert list(SearchMode) == ["hybrid", "fused", "dense", "lexical"]
    search = next(c for c in _commands() if c.name == "search")
    mode = next(p for p in search.params if p.name == "mode")
    assert isinstance(mode.type, click.Choice)
    assert list(mode.type.choices) == [m.value for m in SearchMode]


def test_every_embedding_backend_the_encoder_knows_can_be_chosen() -> None:
    from vectorstore.embeddings import BACKENDS

    assert {b.value for b in EmbeddingBackend} == set(BACKENDS)
