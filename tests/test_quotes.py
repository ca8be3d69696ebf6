"""Who said what: attribution rules on the seeds, the quote index on both backends, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.attribution.quotes import Quote, find_quotes
from assistant.ingest.metadata import dateline_of, outlet_of
from tests.conftest import SEEDS, line_of, run_cli

AFP = "seeds/000_729b03bd7a238ff7.txt"
FOX = "seeds/002_33031038dede83a4.txt"
EXPECTED_ROLES = {  # speaker -> the role each seed gives (AFP, Fox)
    "Sviatoslav Palamar": ("the Azov regiment’s deputy commander", "Deputy Commander of Azov regiment"),
    "Denys Prokopenko": ("Azov commander", None),
    "Volodymyr Zelensky": ("Ukrainian President", None),
    "Vadym Boichenko": ("Mariupol Mayor", None),
    "Pavlo Kyrylenko": ("the governor of the Donbas region", None),
    "Oleksiy Arestovych": (None, "Ukrainian presidential advisor"),
    "Dmitry Peskov": (None, "Kremlin spokesman"),
}


def seed_quotes(name: str) -> tuple[str, list[Quote]]:
    text = (SEEDS / Path(name).name).read_bytes().decode("utf-8-sig")
    return text, find_quotes(text, name)


def assert_exact(text: str, quote: Quote) -> None:
    """Quote and speaker spans are exact offsets with the right lines."""
    assert text[quote.start_char : quote.end_char] == quote.quote
    assert quote.start_line == line_of(text, quote.start_char)
    assert quote.end_line == line_of(text, quote.end_char - 1)
    assert text[quote.speaker_start : quote.speaker_end] == quote.mention
    assert quote.speaker_line == line_of(text, quote.speaker_start)


@pytest.mark.parametrize("name", [AFP, FOX])
def test_every_seed_speaker_is_named_with_the_role_its_article_gives(name: str) -> None:
    text, quotes = seed_quotes(name)
    column = 0 if name == AFP else 1
    for quote in quotes:
        assert_exact(text, quote)
    speakers = {q.speaker: q.role for q in quotes if q.speaker}
    for speaker, roles in EXPECTED_ROLES.items():
        if roles[column] is not None:
            assert speakers.get(speaker) == roles[column], (speaker, speakers)


def test_direct_quotes_pronouns_and_continuations() -> None:
    _, quotes = seed_quotes(FOX)
    by_start = {q.quote[:30]: q for q in quotes}
    rebuttal = by_start["No one knocked out anyone, the"]
    assert rebuttal.speaker == "Sviatoslav Palamar" and rebuttal.mention == "he"  # "he said according to"
    # “A,” he said according to Interfax. “B.”: one statement, the cue between its two parts
    assert rebuttal.quote.startswith("No one knocked out anyone, they [the Russians] are at the plant")
    assert rebuttal.quote.endswith("Heavy fighting is going on.")
    adviser = by_start["We can say that yesterday Russ"]
    assert adviser.speaker == "Oleksiy Arestovych" and adviser.cue == "said"
    assert adviser.quote.endswith("They were driven out by our defenders")  # across two sentences
    denial = next(q for q in quotes if q.speaker == "Russia")
    assert denial.kind == "reported" and denial.cue == "denied"
    assert denial.quote == "its forces have engaged in any ground conflict at the Azovstal steel plant"
    assert {q.outlet for q in quotes} == {None}  # outlet comes with the document, not the rules


def test_reported_speech_and_descriptions() -> None:
    _, quotes = seed_quotes(AFP)
    reported = [q for q in quotes if q.kind == "reported"]
    he_said = next(q for q in reported if q.quote.startswith("the Russians had broken their pledge"))
    assert he_said.speaker == "Sviatoslav Palamar" and he_said.mention == "He"
    leader = next(q for q in quotes if q.mention == "The Ukrainian leader")
    assert leader.speaker == "Volodymyr Zelensky"
    kyrylenko = next(q for q in reported if q.speaker == "Pavlo Kyrylenko")
    assert kyrylenko.cue == "saying" and kyrylenko.quote.startswith("at least 25 civilians were wounded")
    unnamed = next(q for q in quotes if q.mention.startswith("A commander of the Azov battalion"))
    # nobody named: the description as the article gives it is who said it, marked unnamed
    assert (unnamed.speaker, unnamed.unnamed) == ("A commander of the Azov battalion", True)
    assert unnamed.label() == "A commander of the Azov battalion"
    assert not any(q.unnamed for q in quotes if q.speaker == "Sviatoslav Palamar")
    boichenko = [q for q in quotes if q.speaker == "Vadym Boichenko"]
    assert {q.mention for q in boichenko} == {"Vadym Boichenko", "he"}


def test_curly_quote_with_said_first_and_an_appositive() -> None:
    text = "“We hold the line,” said Ivan Petrenko, the brigade’s commander. “Nobody leaves,” he added.\n"
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.role, q.quote, q.cue) for q in quotes] == [
        ("Ivan Petrenko", "the brigade’s commander", "We hold the line", "said"),
        ("Ivan Petrenko", "the brigade’s commander", "Nobody leaves", "added"),
    ]


def test_ambiguous_he_and_the_commander_stay_unresolved() -> None:
    text = (
        "Colonel Ivan Petrenko, the brigade’s commander, and General Oleh Marchenko, "
        "the army commander, met.\n"
        "“We will not retreat,” the commander said.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [q.speaker for q in quotes] == [None]


def test_article_metadata_cues() -> None:
    afp = (SEEDS / Path(AFP).name).read_text(encoding="utf-8")
    fox = (SEEDS / Path(FOX).name).read_text(encoding="utf-8")
    assert (outlet_of(fox), dateline_of(afp)) == ("Fox News", "MARIUPOL")
    assert outlet_of(afp) is None
    assert dateline_of("KYIV, Ukraine (AP) — Russian forces shelled the city.") == "KYIV, Ukraine"
    assert outlet_of("KYIV, Ukraine (AP) — Russian forces shelled the city.") == "AP"


@pytest.fixture
def indexed(store_options: dict[str, object], seeds: Path) -> Assistant:
    assistant = Assistant(**store_options)  # type: ignore[arg-type]
    assistant.ingest([seeds])
    return assistant


def test_quote_index_names_every_seed_speaker_on_both_backends(indexed: Assistant) -> None:
    quotes = indexed.quotes()
    for quote in quotes:
        assert_exact((Path.cwd() / quote.source).read_bytes().decode("utf-8-sig"), quote)
    speakers = {q.speaker for q in quotes}
    assert set(EXPECTED_ROLES) <= speakers
    assert {q.outlet for q in quotes if q.source == FOX} == {"Fox News"}
    assert {q.date for q in quotes if q.source == FOX} == {"2022-05-05"}
    peskov = indexed.quotes(speaker="peskov")
    assert [q.role for q in peskov] == ["Kremlin spokesman"] and peskov[0].cue == "told"
    kremlin = indexed.quotes(speaker="Kremlin")  # matches the role too
    assert kremlin == peskov
    assert {q.source for q in indexed.quotes(sources=[FOX])} == {FOX}
    closest = indexed.quotes(query="Russian troops were driven out by the defenders", k=5)
    assert any(q.speaker == "Oleksiy Arestovych" for q in closest)


def test_quote_index_follows_edits_and_deletions(indexed: Assistant, seeds: Path) -> None:
    before = indexed.quote_index.store.count()
    report = indexed.ingest([seeds])
    assert report.chunks == 0 and indexed.quote_index.store.count() == before  # nothing rewritten
    fox = seeds / Path(FOX).name
    fox.write_text(
        fox.read_text(encoding="utf-8").replace("spokesman Dmitry Peskov", "aide Ivan Ivanov"),
        encoding="utf-8",
    )
    indexed.ingest([seeds])
    assert not indexed.quotes(speaker="Peskov")
    assert [q.role for q in indexed.quotes(speaker="Ivanov")] == ["Kremlin aide"]
    assert indexed.quote_index.store.count() == before  # stale quotes deleted with stale chunks
    # Chunks removed by any other means take their quotes with them.
    indexed.store.delete(sorted(indexed.store.ids_where({"source": FOX})))
    assert indexed.quotes(speaker="Ivanov") == []


def test_sidecar_and_outlet_option(tmp_path: Path, seeds: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    (seeds / (Path(AFP).name + ".meta.json")).write_text('{"outlet": "AFP"}', encoding="utf-8")
    assistant.ingest([seeds], outlet="Wire")
    outlets = {q.source: q.outlet for q in assistant.quotes()}
    assert outlets == {AFP: "AFP", FOX: "Wire"}  # sidecar first, then --outlet, then the text
    assert {p.outlet for p in assistant.retrieve("Peskov", k=3, sources=[FOX])} == {"Wire"}


@pytest.mark.slow
def test_cli_quotes(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    index = str(tmp_path / "index")
    assert run_cli("--data-dir", index, "ingest", "seeds", cwd=tmp_path).returncode == 0
    listed = run_cli("--data-dir", index, "quotes", "--speaker", "Peskov", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["speaker"] for r in rows] == ["Dmitry Peskov"]
    assert set(rows[0]) >= {"speaker", "role", "cue", "quote", "source", "start_char", "end_char"}
    shown = run_cli("--data-dir", index, "quotes", "--speaker", "Arestovych", cwd=tmp_path)
    assert "Oleksiy Arestovych (Ukrainian presidential advisor)" in shown.stdout
    assert "They were driven out by our defenders" in shown.stdout


def test_each_quotation_goes_to_the_subject_of_the_verb_it_hangs_under() -> None:
    text = (
        "Paul Dorsey met Donald Whitman in Lviv on Friday.\n\n"
        "When the meeting was over, both issued a statement expressing optimism about working "
        "together – Dorsey saying he was “very encouraged” and Whitman calling it a “great meeting.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert {q.speaker for q in quotes if "very encouraged" in q.quote} == {"Paul Dorsey"}
    assert {q.speaker for q in quotes if q.quote.startswith("it a")} == {"Donald Whitman"}


def test_a_quotation_without_a_cue_goes_to_its_sentence_subject_not_the_previous_speaker() -> None:
    text = (
        "Senator Rosa Delgado and Governor Mark Ellison debated the budget on Tuesday.\n\n"
        "“Workers have sacrificed enough,” Ellison said.\n\n"
        "Delgado supports “modest pay raises,” opposes the freeze and wants a review of the pension fund.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.quote, q.speaker) for q in quotes] == [
        ("Workers have sacrificed enough", "Mark Ellison"),
        ("modest pay raises", "Rosa Delgado"),
    ]
    assert all(text[q.speaker_start : q.speaker_end] == q.mention for q in quotes)


def test_a_quotation_without_a_cue_keeps_its_speaker_over_a_word_inside_a_hyphenated_modifier() -> None:
    """`a Dutch-funded survey` names no one: the next paragraph's quotation goes on with Olsen."""
    text = (
        "Harbour works resume\n\n"
        "“The cranes will be back by spring,” Mira Olsen, the port’s director, said in a statement.\n\n"
        "“With the help of engineers, the harbour resumed repairs in order to reopen the quay.” The "
        "statement came as a Dutch-funded survey was due to begin at the damaged quay, where dozens "
        "of workers have waited for weeks.\n"
    )
    quotes = find_quotes(text, "harbour.txt")
    assert [(q.speaker, q.quote.split(",")[0]) for q in quotes] == [
        ("Mira Olsen", "The cranes will be back by spring"),
        ("Mira Olsen", "With the help of engineers"),
    ]
