"""The attribute ruler's patterns matched by lookup give spaCy's own matches and parse."""

from __future__ import annotations

import pytest
import spacy

from assistant.attribution.parsing import parser
from assistant.attribution.ruler import PatternLookup, install

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma

# Made up to meet the model's rarer patterns: two-token lemmas (gonna, y all, ain't, let's,
# c'mon), pronouns by dependency, "there is", auxiliaries, "but" as an adverb, runs of spaces.
TEXT = (
    "Y all gonna tell me it ain't so? Let's go, c'mon. There is    a gap here,\n\n  and there were two.\n"
    "I said it to you, and you gave it to me. It did what it did, but he had done it. "
    "“We got ta run,” said Ana Ruiz, who runs the shelter, adding that 40 families stayed. "
    "Which one? That one, which was all but gone.\t \n"
)


def spacys_own_match(ruler: object) -> object:
    return type(ruler).match.__get__(ruler)  # type: ignore[attr-defined]


def test_the_lookup_finds_the_matchers_matches_and_the_same_parse() -> None:
    nlp = parser()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, PatternLookup)  # installed when the parser loads

    unruled = nlp.make_doc(TEXT)
    for _, component in nlp.pipeline[: nlp.pipe_names.index("attribute_ruler")]:
        unruled = component(unruled)
    matches = spacys_own_match(ruler)(unruled)
    assert {m[0] for m in matches} >= {147, 158, 161, 163, 166, 174, 177}  # the rare ones ran
    assert ruler.match(unruled) == matches

    def read(doc: object) -> list[tuple[str, str, str, str, str, int]]:
        return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]  # type: ignore[attr-defined]

    looked_up = read(nlp(TEXT))
    ruler.match = spacys_own_match(ruler)
    try:
        assert read(nlp(TEXT)) == looked_up
    finally:
        install(nlp)


def test_patterns_beyond_plain_token_tests_keep_spacys_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], {"LEMMA": "fine"})
    assert install(nlp) is False
    assert not isinstance(ruler.match, PatternLookup)


def test_a_rule_of_two_patterns_matching_one_span_matches_it_once() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "ok"}], [{"LOWER": {"IN": ["ok", "fine"]}}]], {"LEMMA": "good"})
    ruler.add(
        [[{"LOWER": {"REGEX": "^go+d$"}}, {"IS_SPACE": False, "LOWER": {"NOT_IN": ["ok"]}}]],
        {"LEMMA": "x"},
        1,
    )
    doc = nlp.make_doc("ok fine goood day goood ok")
    own = spacys_own_match(ruler)(doc)
    assert install(nlp) is True
    assert ruler.match(doc) == own
    assert [(m[0], m[2], m[3]) for m in own] == [(0, 0, 1), (0, 1, 2), (0, 5, 6), (1, 2, 4)]
    assert [t.lemma_ for t in nlp("ok fine goood day")] == ["good", "good", "", "x"]
