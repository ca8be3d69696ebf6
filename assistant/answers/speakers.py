"""Who speaks in a citation: the attributed quote it cites, and rebuttals of a speaker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.attribution.agreement import speaker_of
from assistant.models import Answer, Citation, Quote, Sentence
from assistant.text.words import REBUTTALS, ROLE_NOUNS, alternation

_REBUTTAL = re.compile(rf"\b(?:{alternation(REBUTTALS)})\b")


def rebuts(sentences: list[Sentence], j: int, speaker: Quote | None) -> bool:
    """True when the sentence before `j` says someone rebutted `speaker` ("But Palamar
    contradicted the adviser’s synopsis"): sentence `j` is then the rebuttal."""
    if speaker is None or speaker.speaker is None or j == 0:
        return False
    before = sentences[j - 1]
    if before.source != sentences[j].source or sentences[j].start_char - before.end_char > 3:
        return False
    verb = _REBUTTAL.search(before.text)
    if not verb:
        return False
    target = before.text[verb.end() :].lower()
    names = {speaker.speaker.split()[-1].lower()}
    names |= {w.lower() for w in re.findall(r"[A-Za-z]+", speaker.role or "") if w.lower() in ROLE_NOUNS}
    names |= {"adviser" if n == "advisor" else "advisor" if n == "adviser" else n for n in names}
    return any(re.search(rf"\b{re.escape(n)}", target) for n in names)


def attributed(citation: Citation, quotes: Sequence[Quote]) -> Citation:
    """`citation` with the speaker and role of the quote it cites, if it cites one."""
    quote = speaker_of(quotes, citation.source, citation.start_char, citation.end_char)
    if quote is None:
        return citation
    return replace(citation, speaker=quote.speaker, role=quote.role, outlet=citation.outlet or quote.outlet)


def with_speakers(answer: Answer, quotes: Sequence[Quote]) -> Answer:
    """`answer` (a model's, once verified) with each citation saying who speaks in it."""
    return replace(answer, citations=[attributed(c, quotes) for c in answer.citations])
