"""Where a reported statement ends: at the clause boundary where what was said ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.attribution.extent import FEATURES, THRESHOLD
from assistant.attribution.quotes import find_quotes
from tests.conftest import run_script, write_polnear_article

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma

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


def _write_split(folder: Path) -> None:
    """A made-up PolNeAR-style split: what was said ends before the writer's relative clause."""
    for n in range(12):
        name, said = f"Lena Ruiz{n}", f"the ferry to pier {n} will run again in spring"
        text = f"{name} said {said}, which few people in the harbour district believe.\n"
        start = text.index(said)
        ann = (
            f"T1\tSource 0 {len(name)}\t{name}\n"
            f"T2\tCue {len(name) + 1} {len(name) + 5}\tsaid\n"
            f"T3\tContent {start} {start + len(said)}\t{said}\n"
            "E1\tCue:T2 Source:T1 Content:T3\n"
        )
        write_polnear_article(folder, f"a{n:02}", text, ann)


def test_training_script_fits_where_statements_end_on_a_split(tmp_path: Path) -> None:
    _write_split(tmp_path / "train")
    printed = run_script("train_extent.py", str(tmp_path / "train"), "--out", str(tmp_path / "fitted"))
    written = json.loads((tmp_path / "fitted" / "extent.json").read_text(encoding="utf-8"))
    assert list(written["weights"]) == list(FEATURES) and written["script"] == "scripts/train_extent.py"
    # on each half, the model fitted on the other ends every statement where the gold one ends
    assert printed.count(f"threshold {THRESHOLD:.2f}: direct found 0 of 0, inside 6 of 6") == 2
    assert printed.count("threshold 1.01: direct found 0 of 0, inside 0 of 6") == 2
