"""The words that name a speaker: where a name starts and ends in the sentence around it."""

from __future__ import annotations

import pytest

from assistant.attribution.mentions import mention_at
from assistant.attribution.quotes import find_quotes

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def test_an_outlet_right_before_a_name_is_no_part_of_it() -> None:
    text = (
        "Mayor Dana Whitlock spoke on Monday.\n\n"
        "In a meeting with the editorial board of the Harbor Times Whitlock said that the bridge "
        "would need to close for a year.\n"
    )
    said = [q for q in find_quotes(text, "a.txt") if q.kind == "reported"]
    assert [(q.speaker, q.mention) for q in said] == [("Dana Whitlock", "Whitlock")]
    mention = mention_at(text, text.index("Harbor"), text.index(" said that"))
    assert mention is not None and mention.name == "Whitlock"


def test_a_cue_opening_the_sentence_is_no_first_name() -> None:
    text = (
        "“It is hard to avoid,” said Nora Quist, an analyst at the Tax Institute.\n\n"
        "The plan would make the code more complicated. Said Quist: “I do not get the sense "
        "they want reform at all.”\n"
    )
    speakers = [q.speaker for q in find_quotes(text, "a.txt") if q.kind == "direct"]
    assert speakers == ["Nora Quist", "Nora Quist"]


def test_an_honorific_and_a_surname_name_the_person_the_article_names_in_full() -> None:
    text = (
        "Tom Clarke bought the old bridge in 2014.\n\n"
        "“I sort of felt like I was having my Jeffersonian moment,” Mr. Clarke said.\n\n"
        "“It was hard,” Ms. Vale said.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.mention, q.unnamed) for q in quotes] == [
        ("Tom Clarke", "Clarke", False),
        ("Vale", "Vale", False),
    ]


@pytest.mark.parametrize(
    ("words", "name", "role"),
    [
        ("Tarn, a top Walsh surrogate", "Tarn", None),
        ("the vote, Nora Quist, a senior adviser", "Nora Quist", "a senior adviser"),
        ("Nora Quist, the mayor’s deputy", "Nora Quist", "the mayor’s deputy"),
    ],
)
def test_a_name_between_commas_is_the_speaker_and_the_description_after_it_the_role(
    words: str, name: str, role: str | None
) -> None:
    mention = mention_at(words, 0, len(words))
    assert mention is not None and (mention.name, mention.text, mention.role) == (name, name, role)
    assert words[mention.start : mention.end] == name


def test_names_in_a_list_are_no_name_and_role() -> None:
    mention = mention_at("Tarn, Quist", 0, len("Tarn, Quist"))
    assert mention is None or mention.name != "Tarn"
