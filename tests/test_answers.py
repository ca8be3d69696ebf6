"""Offline (extractive) answers on the seeds; citations are checked by conftest on every answer."""

import json
from pathlib import Path

import pytest
from langchain_core.runnables import Runnable

from assistant import Assistant
from assistant.answers.chain import build_chain, retrieve_step, standalone_step
from assistant.models import Answer
from tests.conftest import run_cli

AFP = "seeds/000_729b03bd7a238ff7.txt"
FOX = "seeds/002_33031038dede83a4.txt"


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("answers")


@pytest.fixture
def assistant(module_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Assistant:
    """One index of the seeds for the module, under its own working directory."""
    monkeypatch.chdir(module_dir)
    if not (module_dir / "seeds").exists():
        import shutil

        from tests.conftest import SEEDS

        shutil.copytree(SEEDS, module_dir / "seeds")
    assistant = Assistant(data_dir=module_dir / "index")
    assistant.ingest(["seeds"])
    return assistant


def test_a_fact_both_articles_report_is_cited_in_both(assistant: Assistant) -> None:
    answer = assistant.ask("How long have the defenders been fighting?")
    assert answer.grounded and answer.mode == "extractive"
    with_71 = [c for c in answer.citations if "71 days" in c.quote]
    assert {c.source for c in with_71} == {AFP, FOX}
    # Both sources back one claim: their markers sit together after the same sentence.
    first_line = answer.text.split("\n")[0]
    assert all(f"[{c.n}]" in first_line for c in with_71)


def test_who_is_the_mayor(assistant: Assistant) -> None:
    answer = assistant.ask("Who is Vadym Boichenko?")
    first = answer.citations[0]
    assert first.source == AFP
    assert "Mariupol Mayor Vadym Boichenko" in first.quote
    assert first.start_line == first.end_line == 29


def test_a_question_the_sources_do_not_cover(assistant: Assistant) -> None:
    answer = assistant.ask("What is the capital of France?")
    assert not answer.grounded
    assert answer.citations == []
    assert "do not cover" in answer.text
    assert answer.passages  # what was retrieved is still reported


def test_a_quotation_is_cited_with_its_speaker(assistant: Assistant) -> None:
    answer = assistant.ask("Were Russian troops driven out of Azovstal?")
    adviser = [c for c in answer.citations if "They were driven out by our defenders" in c.quote]
    assert adviser and "Arestovych" in adviser[0].quote  # the sentence that names who said it
    assert "We can say that yesterday" in adviser[0].quote  # and the start of the quotation


def test_stream_yields_text_before_the_same_answer(assistant: Assistant) -> None:
    pieces = list(assistant.stream("How long have the defenders been fighting?"))
    *texts, final = pieces
    assert texts and all(isinstance(t, str) for t in texts)
    assert isinstance(final, Answer)
    assert "".join(texts) == final.text == assistant.ask("How long have the defenders been fighting?").text


def test_follow_up_carries_the_entities_of_the_last_turn(assistant: Assistant) -> None:
    first = assistant.ask("What did Vadym Boichenko call for?")
    follow_up = assistant.ask("What did he say on Telegram?", history=[(first.question, first.text)])
    assert any("every Mariupol resident" in c.quote for c in follow_up.citations)


def test_sources_restrict_the_answer(assistant: Assistant) -> None:
    answer = assistant.ask("How long have the defenders been fighting?", sources=[FOX])
    assert answer.citations and {c.source for c in answer.citations} == {FOX}


def test_citation_like_text_in_a_document_is_not_a_marker(assistant: Assistant, module_dir: Path) -> None:
    (module_dir / "notes").mkdir(exist_ok=True)
    (module_dir / "notes" / "dam.txt").write_text(
        "Dam report\n\nThe dam near Kherson failed at 4 a.m. on Tuesday [7], engineers said [12].\n",
        encoding="utf-8",
    )
    assistant.ingest(["notes"])
    answer = assistant.ask("When did the dam near Kherson fail?", sources=["notes/dam.txt"])
    assert "(7)" in answer.text and "[7]" not in answer.text
    assert "[7]" in answer.citations[0].quote  # the quote itself stays verbatim


def test_the_chain_is_made_of_reusable_runnables(assistant: Assistant) -> None:
    steps = assistant.parts.answer_steps()
    chain = build_chain(steps)
    assert isinstance(chain, Runnable)
    answer = chain.invoke({"question": "Who is Vadym Boichenko?"})
    assert isinstance(answer, Answer) and answer.citations[0].source == AFP
    first_steps = standalone_step(steps.model) | retrieve_step(steps.search, steps.passages)
    state = first_steps.invoke({"question": "71 days", "k": 3})
    assert len(state["passages"]) == 3


def test_cli_ask_json(assistant: Assistant, module_dir: Path) -> None:
    result = run_cli(
        "--data-dir", str(module_dir / "index"), "ask", "Who is Vadym Boichenko?", "--json", cwd=module_dir
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"text", "citations", "passages", "grounded", "unsupported", "mode"}
    citation = answer["citations"][0]
    text = (module_dir / citation["source"]).read_bytes().decode("utf-8-sig")
    assert text[citation["start_char"] : citation["end_char"]] == citation["quote"]
    assert answer["mode"] == "extractive" and answer["grounded"] is True


def test_conflicting_claims_are_each_given_with_their_speaker(assistant: Assistant) -> None:
    answer = assistant.ask("Were Russian troops driven out of Azovstal?")
    adviser = next(c for c in answer.citations if "They were driven out by our defenders" in c.quote)
    rebuttal = next(c for c in answer.citations if "No one knocked out anyone" in c.quote)
    assert (adviser.speaker, adviser.role) == ("Oleksiy Arestovych", "Ukrainian presidential advisor")
    assert (rebuttal.speaker, rebuttal.role) == ("Sviatoslav Palamar", "Deputy Commander of Azov regiment")
    assert adviser.source == rebuttal.source == FOX and rebuttal.outlet == "Fox News"
    assert rebuttal.label().startswith(
        "Sviatoslav Palamar (Deputy Commander of Azov regiment), quoted in " + FOX
    )
    conflicts = [a for a in answer.agreements if a.kind == "conflict"]
    assert any({adviser.n, rebuttal.n} == set(a.citations) for a in conflicts)
    # Both claims are in the text, each introduced by who says it.
    assert "Oleksiy Arestovych (Ukrainian presidential advisor), in Fox News:" in answer.text
    assert "But Sviatoslav Palamar (Deputy Commander of Azov regiment), in Fox News:" in answer.text
    assert "Sources disagree:" in answer.text


def test_who_said_and_what_the_kremlin_said(assistant: Assistant) -> None:
    kremlin = assistant.ask("What did the Kremlin say?")
    first = kremlin.citations[0]
    assert (first.speaker, first.role, first.outlet) == ("Dmitry Peskov", "Kremlin spokesman", "Fox News")
    assert kremlin.text.startswith("Dmitry Peskov (Kremlin spokesman), in Fox News: ")
    who = assistant.ask("Who said Russian troops were driven out of Azovstal?")
    assert who.citations[0].speaker == "Oleksiy Arestovych"


def test_agreement_across_sources_is_noted(assistant: Assistant) -> None:
    answer = assistant.ask("How long have the defenders been fighting?")
    agree = [a for a in answer.agreements if a.kind == "agree"]
    assert agree and {answer.citations[n - 1].source for n in agree[0].citations} == {AFP, FOX}
    assert "Sources agree:" in answer.text and not [a for a in answer.agreements if a.kind == "conflict"]


def test_differing_figures_are_shown_side_by_side_and_not_as_a_disagreement(assistant: Assistant) -> None:
    answer = assistant.ask("How many civilians are thought to still be inside the plant?")
    assert not [a for a in answer.agreements if a.kind == "conflict"]
    assert "Sources disagree" not in answer.text and "No one knocked out anyone" not in answer.body
    figures = [a for a in answer.agreements if a.kind == "figures"]
    quotes = {c.n: c.quote for c in answer.citations}
    assert any(
        any("between 200 and 300 civilians" in quotes[n] for n in a.citations)
        and any("roughly 200 civilians" in quotes[n] for n in a.citations)
        for a in figures
    )
    assert "Figures differ:" in answer.text
