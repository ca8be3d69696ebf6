"""`assistant eval agreement PATH` on a file of labelled pairs made in the test."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

DAM = "The dam was built by Siemens in 1998."
MINE = "workers are still inside the mine."
PAIRS = [
    (DAM, "The dam was built by Bechtel in 1998.", "conflict", "name"),
    (
        "The dam was built by Siemens in 1998.",
        "The dam was built by Siemens in 1998, officials said.",
        "agree",
        "frame",
    ),
    (
        "About 40 workers are still inside the mine.",
        "About 90 workers are still inside the mine.",
        "figures",
        "number",
    ),
    (DAM, "Heavy rain is expected on Friday.", "neutral", "other"),
]


def test_per_label_precision_and_recall_on_labelled_pairs(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    rows = [{"a": a, "b": b, "label": label, "kind": kind} for a, b, label, kind in PAIRS]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli("eval", "agreement", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| conflict | 1 | 1 | 1.000 | 1.000 |" in lines
    assert "| agree | 1 | 1 | 1.000 | 1.000 |" in lines
    assert "| figures | 1 | 1 | 1.000 | 1.000 |" in lines
    assert "| none / other | 1 | 0.000 | 0.000 | 0.000 | 1.000 |" in lines


def test_a_bad_pair_is_named_with_its_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"a": "x", "label": "agree"}\n', encoding="utf-8")
    result = run_cli("eval", "agreement", str(path), cwd=tmp_path)
    assert (
        result.returncode != 0 and "pair 1: field 'b'" in result.stderr and "Traceback" not in result.stderr
    )
    path.write_text("{not json\n", encoding="utf-8")
    result = run_cli("eval", "agreement", str(path), cwd=tmp_path)
    assert "line 1: not JSON" in result.stderr


def test_per_question_the_two_sides_of_a_dispute_are_retrieved_cited_and_flagged(tmp_path: Path) -> None:
    from assistant.evaluation.agreement import report

    article = (
        "Harbor Ledger\n\n"
        "Radio host Dale Marsh has hosted a weekly show on the harbor network since 2015. "
        "Mr. Marsh, who works directly for the network, has recently seemed supportive of Mr. Ortiz, "
        "Vera Lind said.\n\n"
        "Mr. Marsh generally supported the old council during his time at the station, "
        "and said he did not support Mr. Ortiz, the presumed favorite.\n"
    )
    texts = tmp_path / "polnear" / "dev" / "text"
    texts.mkdir(parents=True)
    (texts / "ledger.txt").write_text(article, encoding="utf-8")
    sides = ["has recently seemed supportive of Mr. Ortiz", "said he did not support Mr. Ortiz"]
    answers = [
        {"file": "ledger.txt", "start": article.index(s), "end": article.index(s) + len(s), "text": s}
        for s in sides
    ]
    row = {
        "question": "Does host Dale Marsh back Ortiz? What do Vera Lind and Marsh himself say?",
        "kind": "f",
        "answers": answers,
        "speaker": ["Vera Lind", "Dale Marsh"],
    }
    path = tmp_path / "newsqa.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    table = report(path)
    assert "| both sides retrieved | both sides cited | flagged |" in table
    assert "| **all 1** | 1.000 | 1.000 | 1.000 |" in table
