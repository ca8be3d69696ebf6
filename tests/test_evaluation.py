"""`assistant eval` on tiny datasets made here, in both formats."""

import json
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.evaluation.datasets import EvalQuestion, sample, write_hotpot, write_nq, write_squad
from assistant.evaluation.runner import ConfigResult, evaluate, is_hit, score
from tests.conftest import run_cli

ARTICLES = {
    "Harbour": [
        "The harbour of Port Elin was rebuilt in 1931 after a storm destroyed the old pier.",
        "Its lighthouse keeper, Ada Morrow, kept a log of every ship for forty years.",
    ],
    "Glaciers": [
        "The Varn glacier retreats about twelve metres each summer, surveyors report.",
        "Meltwater from the glacier feeds the river Isk, which powers three mills.",
    ],
}
QUESTIONS = [
    ("When was the harbour of Port Elin rebuilt?", "Harbour", 0, "1931"),
    ("Who kept a log of every ship?", "Harbour", 1, "Ada Morrow"),
    ("How far does the Varn glacier retreat each summer?", "Glaciers", 0, "about twelve metres"),
    ("What does the river Isk power?", "Glaciers", 1, "three mills"),
]


def squad_file(path: Path) -> Path:
    data = []
    for title, paragraphs in ARTICLES.items():
        entries = []
        for i, context in enumerate(paragraphs):
            qas = [
                {"id": q, "question": q, "answers": [{"text": a, "answer_start": context.index(a)}]}
                for q, t, p, a in QUESTIONS
                if t == title and p == i
            ]
            entries.append({"context": context, "qas": qas})
        data.append({"title": title, "paragraphs": entries})
    path.write_text(json.dumps({"data": data, "version": "1.1"}))
    return path


def hotpot_file(path: Path) -> Path:
    titles = ["Port Elin", "Ada Morrow", "Varn glacier", "River Isk"]
    sentences = [
        [ARTICLES["Harbour"][0]],
        [ARTICLES["Harbour"][1]],
        [ARTICLES["Glaciers"][0]],
        [ARTICLES["Glaciers"][1]],
    ]
    items = [
        {
            "question": "Which keeper logged ships at the harbour rebuilt in 1931?",
            "answer": "Ada Morrow",
            "supporting_facts": {"title": ["Port Elin", "Ada Morrow"], "sent_id": [0, 0]},
            "context": {"title": titles, "sentences": sentences},
        },
        {
            "question": "What do the waters of the retreating Varn glacier power?",
            "answer": "three mills",
            "supporting_facts": {"title": ["Varn glacier", "River Isk"], "sent_id": [0, 0]},
            "context": {"title": titles, "sentences": sentences},
        },
    ]
    path.write_text(json.dumps(items))
    return path


def test_squad_files_hold_the_gold_spans(tmp_path: Path) -> None:
    questions = write_squad(squad_file(tmp_path / "squad.json"), tmp_path / "files")
    for question, (_, _, _, answer) in zip(questions, QUESTIONS, strict=True):
        name, start, end = question.spans[0]
        assert (tmp_path / "files" / name).read_text()[start:end] == answer
    assert [q.text for q in sample(questions, 2, seed=1)] == [q.text for q in sample(questions, 2, seed=1)]


def test_hits_and_both_at_k() -> None:
    result = ConfigResult("x")
    question = EvalQuestion("q", supporting=("a.txt", "b.txt"))
    score(question, [("c.txt", 0, 1), ("a.txt", 0, 1), ("d.txt", 0, 1), ("b.txt", 0, 1)], result)
    assert result.first_hit == [2] and result.both_at == [4]
    assert is_hit(EvalQuestion("q", spans=(("f", 5, 9),)), ("f", 0, 10))
    assert not is_hit(EvalQuestion("q", spans=(("f", 5, 9),)), ("f", 6, 10))


@pytest.mark.slow
def test_evaluate_squad_writes_every_report(tmp_path: Path) -> None:
    report = evaluate("squad", squad_file(tmp_path / "squad.json"), tmp_path / "out", n=None, seed=7)
    configs = report["configs"]
    assert set(configs) == {
        "langchain tutorial (dense)",
        "bm25 (same chunks)",
        "this project, dense",
        "this project, bm25",
        "this project, fused",
        "this project, hybrid",
    }
    hybrid = configs["this project, hybrid"]
    assert hybrid["hit@5"] == 1.0 and hybrid["first_citation_hit"] == 1.0
    assert 0 < hybrid["median_quote_chars"] < 120
    for figures in configs.values():
        assert 0 <= figures["hit@1"] <= figures["hit@5"] <= figures["hit@10"] <= 1
    assert json.loads((tmp_path / "out" / "results.json").read_text())["questions"] == 4
    assert "| this project, hybrid |" in (tmp_path / "out" / "results.md").read_text()
    assert (tmp_path / "out" / "hit_at_k.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_cli_eval_hotpot(tmp_path: Path) -> None:
    data = hotpot_file(tmp_path / "hotpot.json")
    options = ("--out", "out", "--no-answers", "--compare-backend", "torch")
    result = run_cli("eval", "hotpot", str(data), *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    assert report["configs"]["this project, hybrid"]["both@5"] == 1.0
    assert report["embedding_backend"] == "onnx-int8"
    assert report["configs"]["this project, hybrid [torch]"]["both@5"] == 1.0
    assert "both@5" in result.stdout


def test_hotpot_writes_one_file_per_paragraph(tmp_path: Path) -> None:
    questions = write_hotpot(hotpot_file(tmp_path / "hotpot.json"), tmp_path / "files")
    files = sorted((tmp_path / "files").glob("*.txt"))
    assert len(files) == 4  # paragraphs shared by both questions are written once
    first = (tmp_path / "files" / questions[0].supporting[0]).read_text()
    assert first.startswith("Port Elin\n\n") and "1931" in first
    assert len(questions[1].supporting) == 2


def nq_file(path: Path) -> Path:
    rows = []
    for question, title, paragraph, answer in QUESTIONS:
        context = ARTICLES[title][paragraph]
        start = context.index(answer)
        gold = {"start": start, "end": start + len(answer), "string": answer}
        rows.append(
            {
                "question_text": question.lower().rstrip("?"),
                "title_text": title,
                "paragraph_text": context,
                "original_nq_answers": [[gold], [{"start": 0, "end": 3, "string": "The"}]],
            }
        )
    rows.append(dict(rows[0], question_text="when was port elin's harbour rebuilt"))  # same paragraph
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


def test_nq_writes_each_paragraph_once_with_the_first_annotators_span(tmp_path: Path) -> None:
    questions = write_nq(nq_file(tmp_path / "nq.jsonl"), tmp_path / "files")
    assert len(questions) == 5 and len(list((tmp_path / "files").glob("*.txt"))) == 4
    for question, (_, _, _, answer) in zip(questions, QUESTIONS, strict=False):
        (name, start, end), *others = question.spans
        assert (tmp_path / "files" / name).read_text()[start:end] == answer and not others
    assert questions[4].spans == questions[0].spans


def test_nq_refuses_another_layout(tmp_path: Path) -> None:
    path = tmp_path / "nq.jsonl"
    path.write_text(json.dumps({"question": "q", "context": "c"}) + "\n")
    with pytest.raises(InputError, match="QED layout"):
        write_nq(path, tmp_path / "files")
