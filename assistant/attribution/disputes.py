"""Statements that contradict each other: a speaker's own two, or theirs and someone else's.

The comparison is the offline answer's: two statements contradict when `agreement.compare` calls
them a conflict (a negated predicate the other affirms, another name or date in the same frame,
opposite predicates), or when the article says one speaker rebuts the other (`rebutted`: "But
Palamar contradicted the adviser's synopsis" before Palamar's words, against the adviser's).
Each statement's claim is parsed once per process and text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.attribution.agreement import Relation, compare
from assistant.attribution.claims import Statement, statements
from assistant.errors import AssistantError
from assistant.models import Quote
from assistant.text.sentences import sentence_spans
from assistant.text.words import REBUTTALS, ROLE_NOUNS, alternation

REBUTTAL = Relation("conflict")  # the text says one speaker rebuts the other: no slot to name
_REBUTTAL = re.compile(rf"\b(?:{alternation(REBUTTALS)})\b")
ADJACENT = 4  # characters between the sentence that announces a rebuttal and the rebuttal's words


def rebutted(before: str, speaker: Quote) -> bool:
    """The sentence `before` a statement says its speaker rebuts `speaker` ("But Palamar
    contradicted the adviser’s synopsis", by surname or by a role noun of theirs)."""
    verb = _REBUTTAL.search(before)
    if speaker.speaker is None or not verb:
        return False
    target = before[verb.end() :].lower()
    names = {speaker.speaker.split()[-1].lower()}
    names |= {w.lower() for w in re.findall(r"[A-Za-z]+", speaker.role or "") if w.lower() in ROLE_NOUNS}
    names |= {"adviser" if n == "advisor" else "advisor" if n == "adviser" else n for n in names}
    return any(re.search(rf"\b{re.escape(n)}", target) for n in names)


@dataclass(frozen=True)
class Dispute:
    """`statement` (of the speaker asked about) and `other` conflict in `relation.slot`."""

    statement: Quote
    other: Quote
    relation: Relation


class Disputes:
    """Finds conflicts between statements, keeping each text's parsed claim.

    Example:
        Disputes().of(book.statements["Ana Petrova"], every_statement)
    """

    def __init__(self) -> None:
        self._claims: dict[str, Statement] = {}
        self._lock = threading.Lock()

    def _claims_of(self, texts: Sequence[str]) -> list[Statement]:
        with self._lock:
            new = [t for t in dict.fromkeys(texts) if t not in self._claims]
        parsed = dict(zip(new, statements(new), strict=True)) if new else {}
        with self._lock:
            self._claims.update(parsed)
            return [self._claims[t] for t in texts]

    def of(
        self, theirs: Sequence[Quote], everyone: Sequence[Quote], text_of: Callable[[str], str] | None = None
    ) -> list[Dispute]:
        """Every conflict of one of `theirs` with another statement of `everyone` (theirs
        included), each pair once, in the order of `theirs`. With `text_of` (a source's text, as
        `Assistant.source_text`), a statement the article says rebuts another's speaker too."""
        texts: dict[str, str] = {}
        mine = self._claims_of([q.quote for q in theirs])
        all_claims = self._claims_of([q.quote for q in everyone])
        found: list[Dispute] = []
        seen: set[frozenset[tuple[str, int, int]]] = set()
        for quote, claim in zip(theirs, mine, strict=True):
            for other, other_claim in zip(everyone, all_claims, strict=True):
                pair = frozenset({_where(quote), _where(other)})
                if len(pair) == 1 or pair in seen:
                    continue
                relation = compare(claim, other_claim)
                if (
                    text_of is not None
                    and relation.kind != "conflict"
                    and _rebuts(quote, other, text_of, texts)
                ):
                    relation = REBUTTAL
                if relation.kind == "conflict":
                    seen.add(pair)
                    found.append(Dispute(quote, other, relation))
        return found


def _rebuts(a: Quote, b: Quote, text_of: Callable[[str], str], texts: dict[str, str]) -> bool:
    """One of two statements of one article, by two speakers, is announced as rebutting the other's
    speaker by the sentence right before it."""
    if a.source != b.source or a.speaker == b.speaker:
        return False
    first, second = sorted((a, b), key=lambda q: q.start_char)
    if first.end_char > second.start_char:
        return False
    if a.source not in texts:
        try:
            texts[a.source] = text_of(a.source)
        except AssistantError:  # the file moved or changed since ingest: no article to read it in
            texts[a.source] = ""
    text = texts[a.source]
    # the sentence that ends right before the rebuttal's words (an opening quotation mark aside)
    spans = [
        (s, e) for s, e in sentence_spans(text[: second.start_char]) if any(c.isalpha() for c in text[s:e])
    ]
    if not spans or second.start_char - spans[-1][1] > ADJACENT:
        return False
    return rebutted(text[spans[-1][0] : spans[-1][1]], first)


def _where(quote: Quote) -> tuple[str, int, int]:
    return quote.source, quote.start_char, quote.end_char
