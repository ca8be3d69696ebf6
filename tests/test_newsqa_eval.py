"""`assistant eval newsqa` and the unanswerable mode of `eval squad|nq`, on data made here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.evaluation.datasets import EvalQuestion, remove_gold
from assistant.evaluation.newsqa import evaluate_newsqa, load_newsqa, newsqa_table

TEXTS = {
    "harbor.txt": (
        "Harbor report\n\n"
        "The Kelden harbor handled 4.2 million tonnes of grain in 2024, the port authority said.\n\n"
        "“We will dredge the east basin next spring,” said harbor master Jonas Berg.\n"
    ),
    "bridge.txt": (
        "Bridge works\n\nThe Orrin bridge reopened on Monday after repairs that cost 12 million euros.\n"
    ),
}


def gold(name: str, words: str) -> dict[str, object]:
    start = TEXTS[name].index(words)
    return {"file": name, "start": start, "end": start + len(words), "text": words}


def write_questions(path: Path) -> None:
    rows = [
        {"question": "How much grain did the Kelden harbor handle in 2024?", "kind": "a",
         "answers": [gold("harbor.txt", "The Kelden harbor handled 4.2 million tonnes of grain in 2024")],
         "short_answer": "4.2 million tonnes", "speaker": None, "near_miss": None},
        {"question": "What did Jonas Berg say about the east basin?", "kind": "b",
         "answers": [gold("harbor.txt", "We will dredge the east basin next spring")],
         "short_answer": "It will be dredged next spring.", "speaker": "Jonas Berg", "near_miss": None},
        {"question": "How much did the repairs of the Talvi tunnel cost?", "kind": "e", "answers": [],
         "short_answer": "", "speaker": None, "near_miss": None},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")


def test_eval_newsqa_judges_each_kind(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for name, text in TEXTS.items():
        (texts / name).write_text(text, encoding="utf-8")
    questions = tmp_path / "newsqa.jsonl"
    write_questions(questions)
    report = evaluate_newsqa(questions, texts, tmp_path / "out")
    kinds = report["kinds"]
    assert kinds["a"]["first citation"] == 1.0 and kinds["a"]["declined"] == 0.0
    assert kinds["b"]["speaker right"] == 1.0
    assert kinds["e"]["declined"] == 1.0  # no article names the Talvi tunnel
    assert kinds["a"]["tutorial hit@5"] == 1.0
    table = newsqa_table(report)
    assert "| e | 1 |" in table and "tutorial hit@1" in table
    assert json.loads((tmp_path / "out" / "results.json").read_text())["questions"] == 3


def test_a_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "Why?", "kind": "z", "answers": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: .*kind 'z'"):
        load_newsqa(path)


def test_remove_gold_takes_out_the_paragraph_and_moves_the_rest(tmp_path: Path) -> None:
    text = "First paragraph about dams.\n\nSecond one about bridges.\n\nThird about ferries."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Only paragraph.", encoding="utf-8")
    dams = EvalQuestion("dams?", spans=(("a.txt", 0, 5),))
    bridges = EvalQuestion("bridges?", spans=(("a.txt", text.index("bridges"), text.index("bridges") + 7),))
    ferries = EvalQuestion("ferries?", spans=(("a.txt", text.index("ferries"), text.index("ferries") + 7),))
    only = EvalQuestion("only?", spans=(("b.txt", 0, 4),))
    answerable, gone = remove_gold(tmp_path, [dams, bridges, ferries, only], [bridges, only])
    assert [q.text for q in gone] == ["bridges?", "only?"]
    rewritten = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert "bridges" not in rewritten and not (tmp_path / "b.txt").exists()
    for question in answerable:
        _, start, end = question.spans[0]
        assert rewritten[start:end] in {"First", "ferries"}
