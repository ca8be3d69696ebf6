"""Notes on where the sources of an offline answer agree or disagree, on articles made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant

ARTICLES = {
    "gazette.txt": (
        "Harbour Gazette\n\n"
        "The new ferry terminal was designed by Maria Lopez, the port authority said on Monday. "
        "Work on the terminal will start in the spring.\n"
    ),
    "courier.txt": (
        "Coast Courier\n\n"
        "The new ferry terminal was designed by John Berg, according to the city council. "
        "The council expects the first ferries to dock there next year.\n"
    ),
    "herald.txt": (
        "Valley Herald\n\n"
        "“The mill owners started the flood by opening the old sluice,” councillor Ann Weber said. "
        "That claim is false.\n\n"
        "“The rescuers are at the mill,” Ann Weber said later. "
        "“Heavy rain is slowing the work of everyone,” Ann Weber added.\n"
    ),
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("agreements")
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    assistant = Assistant(data_dir=root / "index")
    assistant.ingest([root])
    return assistant


def test_two_sources_naming_different_people_are_a_conflict_naming_both(assistant: Assistant) -> None:
    answer = assistant.ask("Who designed the new ferry terminal?")
    conflicts = [a for a in answer.agreements if a.kind == "conflict"]
    assert conflicts and not [a for a in answer.agreements if a.kind == "agree"]
    quotes = {answer.citations[n - 1].quote for n in conflicts[0].citations}
    assert any("Maria Lopez" in q for q in quotes) and any("John Berg" in q for q in quotes)
    assert "Maria Lopez" in conflicts[0].note and "John Berg" in conflicts[0].note
    assert "Sources disagree:" in answer.text


def test_a_sentence_calling_the_claim_before_it_false_is_a_conflict(assistant: Assistant) -> None:
    answer = assistant.ask("Did the mill owners start the flood?")
    conflicts = [a for a in answer.agreements if a.kind == "conflict"]
    quotes = [answer.citations[n - 1].quote for a in conflicts for n in a.citations]
    assert any("started the flood" in q for q in quotes) and "That claim is false." in quotes


def test_one_speaker_saying_two_compatible_things_gets_no_note(assistant: Assistant) -> None:
    answer = assistant.ask("What did Ann Weber say about the rescuers at the mill?")
    assert any("The rescuers are at the mill" in c.quote for c in answer.citations)
    assert not [a for a in answer.agreements if a.kind in {"conflict", "figures"}]


def test_the_note_names_who_says_what(tmp_path: Path) -> None:
    from assistant.answers.rendering import conflict_note, figures_note
    from assistant.models import Citation

    def cite(n: int, source: str, speaker: str | None) -> Citation:
        return Citation(
            source=source, start_char=0, end_char=1, start_line=1, end_line=1, n=n, title="", date=None,
            quote="x", speaker=speaker, outlet="Coast Courier",
        )  # fmt: skip

    a, b = cite(1, "a.txt", "Ann Weber"), cite(2, "b.txt", None)
    assert conflict_note(a, b, "place", ("Tampa", "Glendale")) == (
        "Ann Weber (Coast Courier, a.txt) [1] says Tampa; the text (Coast Courier, b.txt) [2] says "
        "Glendale (the place); both are given."
    )
    assert conflict_note(a, b, "negation", ("states", "denies")).startswith(
        "the text (Coast Courier, b.txt) [2] denies what Ann Weber"
    )
    assert "gives 200 civilians" in figures_note(a, b, ("300 civilians", "200 civilians"))
