"""Where a reported statement ends: at the clause boundary where what was said ends."""

from __future__ import annotations

import pytest

from assistant.attribution.quotes import find_quotes

SAID = "Marta Lind, the harbour councillor, said "


@pytest.mark.parametrize(
    ("clause", "what_she_said"),
    [
        (
            "she is willing to meet the council, which has refused every meeting since May.",
            "she is willing to meet the council",
        ),
        (
            "the ferry will run again in spring, when the new crane is in place.",
            "the ferry will run again in spring",
        ),
    ],
)
def test_a_reported_statement_ends_before_the_writers_own_clause(clause: str, what_she_said: str) -> None:
    quotes = find_quotes(SAID + clause + "\n", "a.txt")
    assert [(q.kind, q.speaker, q.quote) for q in quotes] == [("reported", "Marta Lind", what_she_said)]


def test_a_list_and_a_statement_holding_a_quotation_stay_whole() -> None:
    listed = "the ferry, the crane and the new quay will cost the city 40 million crowns"
    quoted = "the ferry would be “back by spring,” which few in the city believe"
    for clause in (listed, quoted):
        quotes = find_quotes(SAID + clause + ".\n", "a.txt")
        assert {q.quote for q in quotes if q.kind == "reported"} == {clause}


def test_without_screen_every_reported_statement_runs_to_its_sentence_end() -> None:
    text = SAID + "she is willing to meet the council, which has refused every meeting since May.\n"
    (quote,) = find_quotes(text, "a.txt", screen=False)
    assert quote.quote.endswith("since May")
