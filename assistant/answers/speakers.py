"""Who speaks in a citation: the attributed quote it cites, and rebuttals of a speaker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.attribution.agreement import speaker_of
from assistant.attribution.disputes import rebutted
from assistant.models import Answer, Citation, Quote, Sentence
from assistant.text.sentences import sentence_spans
from assistant.text.words import PERSONAL_PRONOUNS, REBUTTALS, alternation

# A statement whose speaker the cited sentence names is theirs when its words are at least this
# share of the citation: the rest is the attribution (", said Leslie Wimes, a ..."), not narration
# quoting a phrase ("compared Trump to a coach who is "working the referees"").
NAMED_SHARE = 0.25
_REBUTTAL = re.compile(rf"\b(?:{alternation(REBUTTALS)})\b")


def rebuts(sentences: list[Sentence], j: int, speaker: Quote | None) -> bool:
    """True when the sentence before `j` says someone rebutted `speaker` ("But Palamar
    contradicted the adviser’s synopsis"): sentence `j` is then the rebuttal (`disputes.rebutted`)."""
    if speaker is None or j == 0:
        return False
    before = sentences[j - 1]
    if before.source != sentences[j].source or sentences[j].start_char - before.end_char > 3:
        return False
    return rebutted(before.text, speaker)


def speaking(citation: Citation, quotes: Sequence[Quote]) -> Quote | None:
    """The attributed statement `citation` quotes: one that covers most of it, or one whose words
    and speaker both lie in it (", said Leslie Wimes, a ..."). None when a sentence of the citation
    is neither the statement nor names its speaker: narration is no one's quote."""
    quote = speaker_of(quotes, citation.source, citation.start_char, citation.end_char)
    if quote is None:
        inside = [
            q
            for q in quotes
            if q.source == citation.source
            and q.speaker
            and citation.start_char <= q.start_char
            and q.end_char <= citation.end_char
            and citation.start_char <= q.speaker_start < citation.end_char
            and q.mention[:1].isupper()
            and q.mention.lower() not in PERSONAL_PRONOUNS  # named here, not "he" resolved elsewhere
            and q.end_char - q.start_char >= NAMED_SHARE * (citation.end_char - citation.start_char)
        ]
        quote = max(inside, key=lambda q: q.end_char - q.start_char, default=None)
    if quote is None:
        return None
    for start, end in sentence_spans(citation.quote):
        a, b = citation.start_char + start, citation.start_char + end
        if min(b, quote.end_char) <= max(a, quote.start_char) and not a <= quote.speaker_start < b:
            return None
    return quote


def attributed(citation: Citation, quotes: Sequence[Quote]) -> Citation:
    """`citation` with the speaker and role of the statement it quotes, if it quotes one (`speaking`)."""
    quote = speaking(citation, quotes)
    if quote is None:
        return citation
    return replace(citation, speaker=quote.speaker, role=quote.role, outlet=citation.outlet or quote.outlet)


def with_speakers(answer: Answer, quotes: Sequence[Quote]) -> Answer:
    """`answer` (a model's, once verified) with each citation saying who speaks in it."""
    return replace(answer, citations=[attributed(c, quotes) for c in answer.citations])
