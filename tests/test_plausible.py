"""The statement filter: what the rules find that is no statement at all is left out."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.attribution.plausible import likely, quoted_share, speech_verb
from assistant.attribution.quotes import find_quotes

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def test_a_scare_quote_given_to_a_later_verbs_subject_scores_well_below_a_statement() -> None:
    text = (
        "Ana Ruiz, the port director, spoke on Monday.\n\n"
        "“We will rebuild the bridge before the winter comes,” Ruiz said.\n\n"
        "The pact is really a “pre-deal” because several ministers did not actually agree.\n"
    )
    said, scare = find_quotes(text, "a.txt", screen=False)
    assert scare.quote == "really a “pre-deal”"  # the rules alone give it to "several ministers"
    # Since rules version 17 it scores 0.78 and is kept (version 16 left it out at 0.70): the
    # refitted filter gains on PolNeAR train/ as a whole, not on this sentence
    assert likely(scare, text) < likely(said, text) - 0.15


def test_a_quoted_sentence_with_its_named_speaker_is_likely_a_statement() -> None:
    text = "“We will rebuild the bridge before the winter comes,” Ana Ruiz said on Monday.\n"
    (quote,) = find_quotes(text, "a.txt", screen=False)
    assert likely(quote, text) > 0.9


def test_speech_verbs_in_any_form_and_other_verbs() -> None:
    assert all(speech_verb(cue) for cue in ("said", "quipped", "tweeting", "testifies", "called for"))
    assert not any(speech_verb(cue) for cue in ("crushed", "activated", "joined", ""))


def test_the_share_of_a_statement_inside_quotation_marks() -> None:
    text = "Lind called the plan “a fine idea” for the city."
    start = text.index("the plan")
    quote = find_quotes("“We will act,” Lind said.\n", "a.txt")[0]
    assert quoted_share(replace(quote, start_char=start, end_char=len(text) - 1), text) == pytest.approx(
        len("a fine idea") / len("the plan “a fine idea” for the city")
    )
