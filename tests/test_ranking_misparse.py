"""The speaker ranking over a parse that hangs a sentence's object on its verb as a preposition."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from assistant.attribution.parsing import parser
from assistant.attribution.ranking import best, options

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def test_a_noun_parsed_as_a_preposition_is_an_object_not_the_speaker() -> None:
    # `Aaron Kall, the director, compared Trump to a coach who is "working the referees".` as the
    # small English model parses it in a PolNeAR article: Kall the root, "compared" a clause on
    # him, and "Trump" hung on "compared" as a preposition.
    words = ["Aaron", "Kall", ",", "the", "director", ",", "compared", "Trump", "to", "a", "coach",
             "who", "is", '"', "working", "the", "referees", '"', "."]  # fmt: skip
    heads = [1, 1, 1, 4, 1, 1, 1, 6, 7, 10, 8, 14, 14, 14, 10, 16, 14, 14, 1]
    deps = ["compound", "ROOT", "punct", "det", "appos", "punct", "acl", "prep", "prep", "det", "pobj",
            "nsubj", "aux", "punct", "relcl", "det", "dobj", "punct", "punct"]  # fmt: skip
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB", "PROPN", "ADP", "DET", "NOUN",
           "PRON", "AUX", "PUNCT", "VERB", "DET", "NOUN", "PUNCT", "PUNCT"]  # fmt: skip
    doc = Doc(parser().vocab, words=words, heads=heads, deps=deps, pos=pos)
    for token in doc:
        token.lemma_ = token.lower_
    text = doc.text
    q_start, q_end = text.index('"'), text.rindex('"') + 1
    choices = options(doc, 0, text, q_start, q_end, [(q_start, q_end)], None)
    pick = best(choices)
    assert pick is not None and pick.mention.name == "Aaron Kall"
    assert next(o for o in choices if o.mention.text == "Trump").features["object"] == 1.0
