"""Arguments the facade refuses with an error that says what is wrong, shared by CLI, web and API;
and the same file named twice, which is one source, never a "damaged" index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import InputError, LanguageModelError
from tests.conftest import run_cli

ARTICLE = (
    "Harbour news\n\n"
    "The harbour master Olena Kovalenko said on Monday that 12 ships were waiting to unload grain. "
    "She expects the queue to clear within a week.\n"
)


@pytest.fixture
def indexed(tmp_path: Path) -> Assistant:
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest(["x.txt"])
    return assistant


@pytest.mark.parametrize("twice", [[".", "x.txt"], ["x.txt", "x.txt"], ["./x.txt", "{cwd}/x.txt"]])
def test_a_file_named_twice_is_ingested_once_not_called_damaged(tmp_path: Path, twice: list[str]) -> None:
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    result = run_cli("ingest", *[t.format(cwd=os.getcwd()) for t in twice], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "damaged" not in result.stdout + result.stderr
    sources = run_cli("sources", cwd=tmp_path)
    assert sources.returncode == 0 and "x.txt" in sources.stdout


def test_a_huge_k_is_a_clear_error_not_a_damaged_index(indexed: Assistant) -> None:
    with pytest.raises(InputError, match="k must be from 1 to") as caught:
        indexed.retrieve("ships waiting", k=10**12)
    assert "damaged" not in str(caught.value)
    # The store itself never asks Chroma for more than it holds.
    vector = indexed.embedder.embed(["ships waiting"])[0]
    assert len(indexed.store.query(vector, 10**12)) == indexed.store.count()


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"question": "Who said \ud800 that?"}, "not valid Unicode"),
        ({"question": "How many ships?", "k": "3"}, "k must be a whole number"),
        ({"question": "How many ships?", "history": "not a list"}, "history must be a list"),
        ({"question": "How many ships?", "history": [("only a question",)]}, "history turn 1"),
        ({"question": 3}, "must be text, not int"),
        ({"question": "x" * (2001)}, "the limit is 2,000"),
    ],
)
def test_offline_argument_errors_say_what_is_wrong_not_that_a_model_failed(
    indexed: Assistant, kwargs: dict[str, object], says: str
) -> None:
    with pytest.raises(InputError, match=says) as caught:
        indexed.ask(**kwargs)  # type: ignore[arg-type]
    assert not isinstance(caught.value, LanguageModelError)
    assert "language model" not in str(caught.value)


def test_a_number_as_the_web_question_is_a_clear_error(indexed: Assistant, tmp_path: Path) -> None:
    import gradio as gr

    from assistant.interfaces.web_chat import ChatApp

    app = ChatApp(indexed)
    with pytest.raises(gr.Error) as caught:
        app.ask_api(42)  # type: ignore[arg-type]
    assert "must be text" in caught.value.message and "went wrong" not in caught.value.message


def test_the_question_length_cap_holds_for_the_cli_too(indexed: Assistant, tmp_path: Path) -> None:
    result = run_cli("--data-dir", "index", "ask", "y" * 3000, cwd=tmp_path)
    assert result.returncode != 0 and "the limit is 2,000" in result.stderr


def test_a_write_naming_one_id_twice_says_so_not_damaged(indexed: Assistant) -> None:
    from vectorstore.errors import DuplicateEntryError

    vectors = indexed.embedder.embed(["one", "two"])
    with pytest.raises(DuplicateEntryError, match="same id twice") as caught:
        indexed.store.add(["same", "same"], ["one", "two"], [{"source": "a"}, {"source": "a"}], vectors)
    assert "damaged" not in str(caught.value)
