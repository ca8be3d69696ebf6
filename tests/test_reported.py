"""Reported speech: `CLAUSE, X said` is what X said only when nothing of X's own follows the cue."""

from __future__ import annotations

import pytest

from assistant.attribution.quotes import find_quotes

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def statements(text: str) -> list[tuple[str, str | None, str]]:
    return [(q.kind, q.speaker, q.quote) for q in find_quotes(text, "a.txt")]


def test_a_circumstance_before_a_cue_with_its_own_clause_is_not_what_was_said() -> None:
    text = (
        "Marta Lind spoke at the harbour on Monday. Quite suddenly, after the ferry company and "
        "the city fell out, Lind said the harbour plan would have to wait.\n"
    )
    assert statements(text) == [("reported", "Marta Lind", "the harbour plan would have to wait")]


def test_a_clause_before_a_cue_is_what_was_said_unless_a_quotation_follows() -> None:
    said = "Tomas Berg leads the council. The city has never paid for a ferry before, Berg said on Tuesday"
    assert statements(said + ".\n") == [
        ("reported", "Tomas Berg", "The city has never paid for a ferry before")
    ]
    quoted = statements(said + ", “and we will not start now.”\n")
    assert quoted == [("direct", "Tomas Berg", "and we will not start now.")]
