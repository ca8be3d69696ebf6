"""Requests and orders are statements: `X called on Y not to ...`, `X urged Y to ...`."""

from __future__ import annotations

import pytest

from assistant.attribution.persons import directory
from assistant.attribution.quotes import find_quotes

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def test_called_on_someone_not_to_is_what_the_speaker_said() -> None:
    text = (
        "Governor Elena Marsh spoke to reporters in Dover.\n\n"
        "Last week Prime Minister Arno Keld declared the flooding over despite the rain and called "
        "on his ministers not to close the bridge but to patrol it instead.\n"
    )
    said = [q for q in find_quotes(text, "a.txt") if q.speaker == "Arno Keld"]
    assert [(q.kind, q.cue, q.quote) for q in said] == [
        ("reported", "called on", "his ministers not to close the bridge but to patrol it instead")
    ]
    assert text[said[0].speaker_start : said[0].speaker_end] == "Arno Keld"
    assert "Arno Keld" in [s.name for s in directory(find_quotes(text, "a.txt")).speakers]


@pytest.mark.parametrize(
    ("sentence", "speaker", "words"),
    [
        (
            "Mayor Tom Reyes urged residents to stay indoors on Friday.",
            "Tom Reyes",
            "residents to stay indoors on Friday",
        ),
        (
            "Senator Jane Holt asked the committee to delay the vote until March.",
            "Jane Holt",
            "the committee to delay the vote until March",
        ),
        ("Ana Pry ordered the company to pay the fine.", "Ana Pry", "the company to pay the fine"),
    ],
)
def test_requests_and_orders_by_the_parse(sentence: str, speaker: str, words: str) -> None:
    quotes = find_quotes(f"The town council met on Monday.\n\n{sentence}\n", "a.txt")
    assert [(q.speaker, q.kind, q.quote) for q in quotes] == [(speaker, "reported", words)]


def test_no_statement_without_a_speaker_or_an_addressee() -> None:
    text = (
        "The town council met on Monday.\n\n"
        "He was asked to leave the room.\n\n"
        "Anna Berg decided to leave the room.\n\n"
        "Tom Reyes called to complain about the noise.\n"
    )
    assert find_quotes(text, "a.txt") == []
