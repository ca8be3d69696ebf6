"""Speaker labels only on a speaker's own words: named in the same sentence, never on narration,
the right one of two people, markup never part of a name. Articles made here."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.attribution.quotes import find_quotes
from tests.conftest import indexed

ARTICLES = {
    "depot.txt": (
        "Depot repairs\n\n"
        "Transport minister Alina Voss visited the tram depot on Monday. "
        "“We will rebuild the depot bridge before winter,” Voss said. "
        "Repairs to the depot bridge cost 18.6 million euros, according to the city budget.\n"
    ),
    "caucus.txt": (
        "Turnout worries\n\n"
        "“The turnout campaign is in panic mode. Full panic mode,” said Leslie Wimes, a South "
        "Florida-based president of the Democratic African-American Women Caucus, at a meeting in "
        "Miami on Tuesday.\n"
    ),
    "rally.txt": (
        "Rally in Toledo\n\n"
        "Barack Obama campaigned for Hillary Clinton at the Toledo rally on Tuesday. "
        "“Nobody has ever been more qualified for the presidency,” Obama said of Clinton.\n"
    ),
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return indexed(tmp_path_factory.mktemp("speakers"), ARTICLES)


def test_narration_next_to_a_quote_is_no_ones_quote(assistant: Assistant) -> None:
    answer = assistant.ask("How much do the depot bridge repairs cost?")
    cost = [c for c in answer.citations if "18.6 million" in c.quote]
    assert cost and cost[0].speaker is None  # the figure is the reporter's, not the minister's
    assert all("18.6 million" not in c.quote for c in answer.citations if c.speaker)


def test_a_speaker_named_in_the_same_sentence_is_the_label(assistant: Assistant) -> None:
    answer = assistant.ask("Who said the turnout campaign was in full panic mode?")
    assert answer.citations[0].speaker == "Leslie Wimes"
    assert answer.text.startswith("Leslie Wimes (")


def test_of_two_people_in_one_sentence_the_speaker_is_labelled(assistant: Assistant) -> None:
    answer = assistant.ask("What did Obama say about Clinton at the Toledo rally?")
    quoted = [c for c in answer.citations if "Nobody has ever been more qualified" in c.quote]
    assert quoted and quoted[0].speaker == "Barack Obama"


def test_a_name_ends_where_markup_starts() -> None:
    text = "“We are all fine,” Captain Ann <svg/onload=alert(1)> said on Monday.\n"
    speakers = {q.speaker for q in find_quotes(text, "a.txt")}
    assert speakers and all(s is not None and "<" not in s and "svg" not in s for s in speakers)


def test_a_quote_ends_at_its_closing_mark() -> None:
    text = 'The chair said the meeting "ended at nine" and left the room.\n'
    quotes = find_quotes(text, "a.txt")
    assert quotes and all(not q.quote.endswith("left the room") for q in quotes)
    assert all(q.quote == text[q.start_char : q.end_char] for q in quotes)


def test_a_described_speaker_is_not_a_name() -> None:
    quotes = find_quotes("“Stay home,” the notice said.\n", "a.txt")
    assert quotes and all(q.unnamed for q in quotes)
