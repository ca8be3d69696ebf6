"""One person, one entry: speakers grouped across articles and outlets, on articles made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.attribution.persons import directory, distinct, is_full_name, same_person
from assistant.attribution.quotes import find_quotes
from assistant.evaluation.speakers import evaluate_speakers, speakers_table
from assistant.models import Quote
from assistant.models.speakers import ORGANISATION, PERSON, UNNAMED
from tests.conftest import write_polnear_article

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma

HERALD = (
    "“The dam will hold through the winter,” said Mirela Kostadinova, the river authority’s chief "
    "engineer. “We checked every gate,” Kostadinova said on Tuesday.\n\n"
    "The Ministry of Water said in a statement that repairs would cost 40 million.\n\n"
    "“Nobody will be evacuated,” Kostadinova said.\n"
)
COURIER = (
    "“The spillway was repaired in March and its gates were tested twice before the floods came,” "
    "river authority chief engineer Mirela Kostadinowa said on Wednesday.\n\n"
    "“We are ready for the floods,” Interior Minister Pavel Dragomirov told reporters.\n\n"
    "A spokesman of the Danube flood service, speaking in Ruse, said late on Tuesday that the gates "
    "were “checked twice.” “We checked them twice,” Danube spokesman Lev Sarafov said on Telegram.\n"
)
LEDGER = "“The gates are old,” Kostadinova said. “The valley must be ready,” said Bulgaria.\n"


def quotes_of(text: str, source: str, outlet: str | None, date: str | None) -> list[Quote]:
    return find_quotes(text, source, outlet=outlet, date=date)


def collection() -> list[Quote]:
    return (
        quotes_of(HERALD, "herald.txt", "The Herald", "2024-03-05")
        + quotes_of(COURIER, "courier.txt", "The Courier", "2024-03-06")
        + quotes_of(LEDGER, "ledger.txt", None, None)
    )


def test_one_person_across_outlets_and_spellings_with_each_outlets_role() -> None:
    book = directory(collection())
    person = book.find("Kostadinova")
    assert person is not None and person.kind == PERSON
    assert person.name == "Mirela Kostadinova"  # the spelling most statements use
    assert set(person.outlets) == {"The Herald", "The Courier", "ledger.txt"}
    assert person.roles["The Herald"] == ("the river authority’s chief engineer",)
    assert person.roles["The Courier"] == ("river authority chief engineer",)
    assert (person.first_date, person.last_date) == ("2024-03-05", "2024-03-06")
    said = book.statements[person.name]
    assert person.statements == len(said) == 5
    assert [q.date for q in said] == ["2024-03-05"] * 3 + ["2024-03-06", None]  # date order, undated last
    assert {q.speaker for q in said} == {"Mirela Kostadinova"}
    assert [p.name for p in book.speakers].count("Mirela Kostadinova") == 1
    assert book.find("Mirela Kostadinowa") == person


def test_unnamed_description_goes_to_the_one_person_whose_role_fits() -> None:
    book = directory(quotes_of(COURIER, "courier.txt", "The Courier", None))
    sarafov = book.find("Lev Sarafov")
    assert sarafov is not None
    texts = [q.quote for q in book.statements[sarafov.name]]
    assert any("twice" in t and "We checked" not in t for t in texts)  # the spokesman's own words
    assert not [s for s in book.speakers if s.kind == UNNAMED]


def test_organisations_apart_from_people() -> None:
    book = directory(collection())
    kinds = {s.name: s.kind for s in book.speakers}
    assert kinds["Bulgaria"] == ORGANISATION
    assert kinds["Pavel Dragomirov"] == PERSON


def test_a_description_that_fits_nobody_stays_an_unnamed_entry_of_its_article() -> None:
    text = "A senior diplomat said the talks had failed. “They failed,” Ana Petrova said.\n"
    book = directory(quotes_of(text, "a.txt", None, None) + quotes_of(text, "b.txt", None, None))
    unnamed = [s for s in book.speakers if s.kind == UNNAMED]
    assert len(unnamed) == 2  # two articles' "a senior diplomat" are not one man
    assert [s.statements for s in book.speakers if s.name == "Ana Petrova"] == [2]


def test_the_same_span_is_listed_once() -> None:
    text = "Officials in Varna said Monday the port was “closed to all ships” after the storm.\n"
    quotes = find_quotes(text, "a.txt")  # the rules find it as a quotation and as reported speech
    once = distinct(quotes)
    assert len(once) == 1 < len(quotes) and once[0].kind == "direct"
    direct = Quote(
        source="a.txt",
        start_char=0,
        end_char=20,
        start_line=1,
        end_line=1,
        speaker="X Y",
        role=None,
        cue="said",
        kind="direct",
        quote="",
        mention="X Y",
        speaker_start=30,
        speaker_end=33,
        speaker_line=1,
    )
    reported = Quote(**{**direct.__dict__, "kind": "reported", "start_char": 5, "end_char": 60})
    assert distinct([reported, direct]) == [direct]


def test_names() -> None:
    assert same_person("Volodymyr Zelensky", "Volodymyr Zelenskyy")
    assert same_person("Sergey Shoigu", "Sergei Shoigu")
    assert same_person("J. Smith", "John Smith")
    assert not same_person("Hillary Clinton", "Bill Clinton")
    assert not same_person("Donald Trump", "Donald Trump Jr.")
    assert not same_person("Ana Lee", "Ana Lew")  # short surnames must match exactly
    assert is_full_name("Jean de la Fontaine") and not is_full_name("Kyiv’s army")
    assert not is_full_name("the Kremlin") and not is_full_name("State Department")


def _ann(text: str, quote: str, source: str) -> str:
    """A BRAT line pair: one direct attribution of `quote` (with its marks) to `source`."""
    c, s = text.index(quote), text.index(source)
    return (
        f"T1\tContent {c} {c + len(quote)}\t{quote}\nT2\tSource {s} {s + len(source)}\t{source}\n"
        "E1\tAttribution:T1 Content:T1 Source:T2\n"
    )


def test_eval_speakers_counts_each_person_in_one_entry(tmp_path: Path) -> None:
    first = "“The levee is safe,” said Marta Ilieva, the county engineer.\n"
    second = "“We will rebuild the levee,” Ilieva said on Monday.\n"
    third = "“The levee failed twice,” Marta Ilieva, the county engineer, said.\n"
    for n, text, source in ((1, first, "Marta Ilieva"), (2, second, "Ilieva"), (3, third, "Marta Ilieva")):
        quote = text[: text.index("”") + 1]
        write_polnear_article(tmp_path, f"herald_2016-0{n}-01_levee", text, _ann(text, quote, source))
    score = evaluate_speakers(tmp_path)
    assert (score.named_direct, score.found, score.right_entry, score.persons) == (3, 3, 3, 1)
    assert score.entries_per_person == 1.0 and score.people_per_entry == 1.0
    assert "entries per real person | 1.000" in speakers_table(score)
