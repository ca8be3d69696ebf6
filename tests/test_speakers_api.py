"""`Assistant.speakers()`, `Assistant.statements()`, `quotes(speaker=...)` and `assistant speakers`
over a real index (the bundled embedding model, embedded Chroma)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import InputError
from assistant.models import Speaker
from tests.conftest import run_cli
from tests.test_persons import COURIER, HERALD, LEDGER

SEVEN = ("Palamar", "Arestovych", "Peskov", "Prokopenko", "Boichenko", "Putin", "Shoigu", "Zelensky")


@pytest.fixture
def made(tmp_path: Path) -> Assistant:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text, meta in (
        ("herald.txt", HERALD, {"outlet": "The Herald", "date": "2024-03-05"}),
        ("courier.txt", COURIER, {"outlet": "The Courier", "date": "2024-03-06"}),
        ("ledger.txt", LEDGER, {}),
    ):
        (articles / name).write_text(text, encoding="utf-8")
        if meta:
            (articles / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([articles])
    return assistant


def test_speakers_and_statements_by_canonical_person(made: Assistant, tmp_path: Path) -> None:
    speakers = made.speakers()
    assert all(isinstance(s, Speaker) for s in speakers)
    names = [s.name for s in speakers]
    assert names.count("Mirela Kostadinova") == 1 and "Mirela Kostadinowa" not in names
    person = next(s for s in speakers if s.name == "Mirela Kostadinova")
    assert set(person.outlets) == {"The Herald", "The Courier", "ledger.txt"}
    said = made.statements("kostadinowa")  # any name an article uses, any case
    assert said == made.statements(person) and len(said) == person.statements == 5
    assert [q.date for q in said] == [*sorted(q.date for q in said if q.date), None]
    spans = [(q.source, q.start_char, q.end_char) for q in made.quotes()]
    assert len(spans) == len(set(spans))  # each span listed once
    by_name = made.quotes(speaker="Kostadinova")
    assert {q.speaker for q in by_name} == {"Mirela Kostadinova"} and len(by_name) == 5
    with pytest.raises(InputError, match="assistant speakers"):
        made.statements("Nobody Here")
    printed = run_cli("--data-dir", str(tmp_path / "index"), "speakers", "--json", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    rows = json.loads(printed.stdout)
    assert [r["name"] for r in rows].count("Mirela Kostadinova") == 1
    assert next(r for r in rows if r["name"] == "Pavel Dragomirov")["roles"] == {
        "The Courier": ["Interior Minister"]
    }


def test_the_seeds_list_each_person_once_with_both_outlets_roles(seeds: Path, tmp_path: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([seeds])
    speakers = assistant.speakers()
    for surname in SEVEN:
        assert len([s for s in speakers if s.name.endswith(surname)]) == 1, surname
    palamar = next(s for s in speakers if s.name == "Sviatoslav Palamar")
    assert palamar.roles["Fox News"] == ("Deputy Commander of Azov regiment",)
    assert len(palamar.outlets) == 2 and len(palamar.role_list()) == 2
    organisations = [s.name for s in speakers if s.kind == "organisation"]
    assert sorted(organisations) == ["Kyiv’s army", "Russia", "Ukraine"]
    statements = [(q.source, q.start_char) for s in speakers for q in assistant.statements(s)]
    assert len(statements) == len(set(statements))


def test_answers_name_speakers_as_the_speakers_list_does(made: Assistant) -> None:
    answer = made.ask("When was the spillway repaired?")
    speakers = {c.speaker for c in answer.citations if "spillway" in c.quote}
    assert speakers == {"Mirela Kostadinova"}  # the Courier spells her "Kostadinowa"
    assert answer.text.startswith("Mirela Kostadinova (")
