"""Statements that contradict each other: a speaker's own two, or theirs and someone else's.

Two statements contradict when `agreement.compare` calls them a conflict (a negated predicate
the other affirms, or another name or date in the same frame); nothing else is compared here.
Each statement's claim is parsed once per process and text.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.attribution.agreement import Relation, compare
from assistant.attribution.claims import Statement, statements
from assistant.models import Quote


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

    def of(self, theirs: Sequence[Quote], everyone: Sequence[Quote]) -> list[Dispute]:
        """Every conflict of one of `theirs` with another statement of `everyone` (theirs
        included), each pair once, in the order of `theirs`."""
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
                if relation.kind == "conflict":
                    seen.add(pair)
                    found.append(Dispute(quote, other, relation))
        return found


def _where(quote: Quote) -> tuple[str, int, int]:
    return quote.source, quote.start_char, quote.end_char
