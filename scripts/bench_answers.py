"""Benchmark of offline answers on SQuAD dev, and calibration of the relevance threshold.

    .venv/bin/python scripts/bench_answers.py [--squad ../shared/eval/squad-dev-v1.1.json]
        [--sample 1000] [--seed 7] [--calibrate 300]

Articles become files (one per article, paragraphs joined by a blank line) indexed with the
project's own ingest (cached under bench/.cache). For a fixed random sample of questions it
reports the share of answers whose first citation's span contains a gold answer span, the
median quote length, and warm `ask()` latency. Calibration uses *other* questions: the best
sentence score of each against its own article (answerable) and against a different
article (unanswerable), and the threshold that separates them best.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import Assistant  # noqa: E402
from assistant.extractive import ExtractiveAnswerer  # noqa: E402


@dataclass(frozen=True)
class Question:
    text: str
    source: str
    spans: list[tuple[int, int]]  # gold answer spans in the file


def write_articles(squad: Path, folder: Path) -> list[Question]:
    """One file per article; returns every question with its answer spans in the file."""
    data = json.loads(squad.read_text(encoding="utf-8"))["data"]
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    for number, article in enumerate(data):
        path = folder / f"{number:03d}_{article['title'][:40]}.txt"
        offset, parts = 0, []
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                spans = [
                    (offset + a["answer_start"], offset + a["answer_start"] + len(a["text"]))
                    for a in qa["answers"]
                ]
                questions.append(Question(qa["question"], path.relative_to(REPO).as_posix(), spans))
            parts.append(paragraph["context"])
            offset += len(paragraph["context"]) + 2
        text = "\n\n".join(parts)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return questions


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def benchmark(assistant: Assistant, questions: list[Question]) -> dict[str, float]:
    for question in questions[:10]:  # warm-up: model loaded, caches primed
        assistant.ask(question.text)
    hits, quote_lengths, latencies, grounded = 0, [], [], 0
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question.text)
        latencies.append((time.perf_counter() - started) * 1000)
        grounded += answer.grounded
        if answer.citations:
            first = answer.citations[0]
            quote_lengths.append(len(first.quote))
            hits += first.source == question.source and any(
                first.start_char <= s and e <= first.end_char for s, e in question.spans
            )
    return {
        "questions": len(questions),
        "first_citation_hit": hits / len(questions),
        "grounded": grounded / len(questions),
        "median_quote_chars": statistics.median(quote_lengths) if quote_lengths else 0,
        "ask_p50_ms": percentile(latencies, 50),
        "ask_p95_ms": percentile(latencies, 95),
    }


def calibrate(assistant: Assistant, questions: list[Question], sources: list[str]) -> dict[str, float]:
    """Best sentence scores of answerable vs unanswerable questions, and the best cut."""
    probe = ExtractiveAnswerer(assistant.scorer, threshold=-1.0)
    rng = random.Random(0)
    answerable, unanswerable = [], []
    for question in questions:
        wrong = rng.choice([s for s in sources if s != question.source])
        for restrict, scores in (([question.source], answerable), ([wrong], unanswerable)):
            passages = assistant.retrieve(
                question.text, k=assistant.settings.answer_passages, sources=restrict
            )
            claims = probe.claims(question.text, passages)
            scores.append(claims[0].score if claims else 0.0)
    best_cut, best_accuracy = 0.0, 0.0
    for cut in np.arange(0.2, 0.8, 0.01):
        accuracy = (np.mean(np.array(answerable) >= cut) + np.mean(np.array(unanswerable) < cut)) / 2
        if accuracy > best_accuracy:
            best_cut, best_accuracy = float(cut), float(accuracy)
    threshold = assistant.extractive.threshold
    return {
        "questions": len(questions),
        "best_cut": round(best_cut, 2),
        "balanced_accuracy_at_best_cut": best_accuracy,
        "threshold_in_use": threshold,
        "answerable_kept_at_threshold": float(np.mean(np.array(answerable) >= threshold)),
        "unanswerable_refused_at_threshold": float(np.mean(np.array(unanswerable) < threshold)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--squad", type=Path, default=REPO.parent / "shared" / "eval" / "squad-dev-v1.1.json")
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--calibrate", type=int, default=300, help="questions for calibration (0: skip)")
    args = parser.parse_args()

    cache = REPO / "bench" / ".cache" / "squad"
    questions = write_articles(args.squad, cache / "articles")
    import os

    os.chdir(REPO)
    assistant = Assistant(data_dir=cache / "index")
    started = time.perf_counter()
    report = assistant.ingest([cache / "articles"])
    print(
        f"ingest: {len(report.added) + len(report.replaced)} indexed, {len(report.unchanged)} unchanged, "
        f"{report.chunks} chunks embedded in {time.perf_counter() - started:.1f}s"
    )

    order = list(range(len(questions)))
    random.Random(args.seed).shuffle(order)
    sample = [questions[i] for i in order[: args.sample]]
    held_out = [questions[i] for i in order[args.sample : args.sample + args.calibrate]]
    if held_out:
        sources = sorted({q.source for q in questions})
        print(
            "calibration (questions outside the sample):", json.dumps(calibrate(assistant, held_out, sources))
        )
    print("answers:", json.dumps(benchmark(assistant, sample)))


if __name__ == "__main__":
    main()
