"""The statement filter: what the rules find that is no statement at all is left out."""

from __future__ import annotations

from assistant.attribution.plausible import likely
from assistant.attribution.quotes import find_quotes


def test_a_scare_quote_given_to_a_later_verbs_subject_is_left_out() -> None:
    text = (
        "Ana Ruiz, the port director, spoke on Monday.\n\n"
        "“We will rebuild the bridge before the winter comes,” Ruiz said.\n\n"
        "The pact is really a “pre-deal” because several ministers did not actually agree.\n"
    )
    every = [q.quote for q in find_quotes(text, "a.txt", screen=False)]
    kept = [(q.speaker, q.quote) for q in find_quotes(text, "a.txt")]
    assert "really a “pre-deal”" in every  # the rules alone give it to "several ministers"
    assert kept == [("Ana Ruiz", "We will rebuild the bridge before the winter comes")]


def test_a_quoted_sentence_with_its_named_speaker_is_likely_a_statement() -> None:
    text = "“We will rebuild the bridge before the winter comes,” Ana Ruiz said on Monday.\n"
    (quote,) = find_quotes(text, "a.txt", screen=False)
    assert likely(quote, text) > 0.9
