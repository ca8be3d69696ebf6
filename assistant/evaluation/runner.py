"""`assistant eval`: this project's retrieval and answers against the usual pipelines, in one run.

Every configuration sees the same files and questions. A retrieved span is a hit when it
contains a gold answer span (SQuAD, Natural Questions) or is one of the supporting files (HotpotQA, where
`both@k` asks for both supporting files within the top k).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import InputError
from assistant.evaluation.datasets import (
    EvalQuestion,
    remove_gold,
    sample,
    write_hotpot,
    write_nq,
    write_squad,
)

Span = tuple[str, int, int]
Search = Callable[[str, int], list[Span]]
KS = (1, 5, 10)


@dataclass
class ConfigResult:
    """Per-question outcomes of one configuration."""

    name: str
    first_hit: list[int | None] = field(default_factory=list)  # 1-based rank of the first hit
    both_at: list[int | None] = field(default_factory=list)  # rank by which all supporting files are in
    latencies_ms: list[float] = field(default_factory=list)
    citation_hits: list[bool] = field(default_factory=list)
    quote_lengths: list[int] = field(default_factory=list)
    ask_latencies_ms: list[float] = field(default_factory=list)
    declined: list[bool] = field(default_factory=list)  # gold paragraph removed: declined?
    false_declines: list[bool] = field(default_factory=list)  # answerable: declined?

    def hit_at(self, k: int) -> float:
        return float(np.mean([r is not None and r <= k for r in self.first_hit]))

    def summary(self) -> dict[str, Any]:
        """The figures of this configuration."""
        figures: dict[str, Any] = {f"hit@{k}": round(self.hit_at(k), 3) for k in KS}
        figures["mrr@10"] = round(float(np.mean([1 / r if r else 0.0 for r in self.first_hit])), 3)
        if any(r is not None for r in self.both_at) or self.both_at:
            for k in (5, 10):
                figures[f"both@{k}"] = round(
                    float(np.mean([r is not None and r <= k for r in self.both_at])), 3
                )
        if self.citation_hits:
            figures["first_citation_hit"] = round(float(np.mean(self.citation_hits)), 3)
            figures["median_quote_chars"] = statistics.median(self.quote_lengths) if self.quote_lengths else 0
            figures["ask_p50_ms"] = round(float(np.percentile(self.ask_latencies_ms, 50)), 1)
            figures["ask_p95_ms"] = round(float(np.percentile(self.ask_latencies_ms, 95)), 1)
        if self.declined:
            figures["unanswerable_declined"] = round(float(np.mean(self.declined)), 3)
        if self.false_declines:
            figures["answerable_declined"] = round(float(np.mean(self.false_declines)), 3)
        figures["p50_ms"] = round(float(np.percentile(self.latencies_ms, 50)), 1)
        figures["p95_ms"] = round(float(np.percentile(self.latencies_ms, 95)), 1)
        return figures


def is_hit(question: EvalQuestion, span: Span) -> bool:
    """Does this retrieved span hold the gold evidence?"""
    source, start, end = span
    if question.supporting:
        return source in question.supporting
    return any(source == s and start <= a and b <= end for s, a, b in question.spans)


def score(question: EvalQuestion, ranked: Sequence[Span], result: ConfigResult) -> None:
    """Record where the first hit, and (multi-document) all supporting files, appear."""
    hits = [is_hit(question, span) for span in ranked[:10]]
    result.first_hit.append(hits.index(True) + 1 if any(hits) else None)
    if question.supporting:
        seen: set[str] = set()
        rank = None
        for position, span in enumerate(ranked[:10], start=1):
            if span[0] in question.supporting:
                seen.add(span[0])
            if seen == set(question.supporting):
                rank = position
                break
        result.both_at.append(rank)


def run_config(name: str, search: Search, questions: Sequence[EvalQuestion], progress: Any) -> ConfigResult:
    """Run one retrieval configuration over every question."""
    result = ConfigResult(name)
    task = progress.add_task(name, total=len(questions))
    for question in questions:
        started = time.perf_counter()
        ranked = search(question.text, 10)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        score(question, ranked, result)
        progress.advance(task)
    return result


def evaluate(
    dataset: str,
    path: Path,
    out_dir: Path,
    n: int | None = None,
    seed: int = 7,
    answers: bool = True,
    model: str | None = None,
    cross_encoder: str | None = None,
    backend: str | None = None,
    compare_backends: Sequence[str] = (),
    unanswerable: bool = False,
) -> dict[str, Any]:
    """Index the dataset's files with every pipeline and measure each; writes JSON, Markdown, PNG.

    `compare_backends` adds a hybrid row for each of those embedding backends, indexed apart.
    `unanswerable` takes the gold paragraph of every other sampled question out of the files:
    those questions should be declined, the rest (the control) answered.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.api import Assistant
    from assistant.evaluation.baselines import BM25Baseline, TutorialPipeline

    writer = {"squad": write_squad, "hotpot": write_hotpot, "nq": write_nq}[dataset]
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as scratch:
        work = Path(scratch)
        questions = sample(writer(path, work / "files"), n, seed)
        gone: list[EvalQuestion] = []
        if unanswerable:
            if dataset == "hotpot":
                raise InputError("--unanswerable takes squad or nq, whose gold is one paragraph.")
            questions, gone = remove_gold(work / "files", questions, questions[::2])
        timings: dict[str, float] = {}
        started = time.perf_counter()
        tutorial = TutorialPipeline(work / "files", work / "tutorial")
        timings["tutorial_index_s"] = round(time.perf_counter() - started, 1)
        bm25 = BM25Baseline(tutorial)
        started = time.perf_counter()
        assistant = Assistant(data_dir=work / "index", model=model, embedding_backend=backend)
        reranked = Assistant(
            data_dir=work / "index", model=model, cross_encoder=cross_encoder, embedding_backend=backend
        )
        assistant.ingest([work / "files"])
        timings["project_index_s"] = round(time.perf_counter() - started, 1)
        others = {}
        for other in dict.fromkeys(compare_backends):
            started = time.perf_counter()
            others[other] = Assistant(data_dir=work / f"index-{other}", model=model, embedding_backend=other)
            others[other].ingest([work / "files"])
            timings[f"project_index_s[{other}]"] = round(time.perf_counter() - started, 1)

        def project(mode: str, engine: Any = assistant) -> Search:
            def search(query: str, k: int) -> list[Span]:
                found = engine.retrieve(query, k=k, mode=mode)
                return [(Path(p.source).name, p.start_char, p.end_char) for p in found]

            return search

        configs: list[tuple[str, Search]] = [
            ("langchain tutorial (dense)", tutorial.search),
            ("bm25 (same chunks)", bm25.search),
            ("this project, dense", project("dense")),
            ("this project, bm25", project("lexical")),
            ("this project, fused", project("fused")),
            ("this project, hybrid", project("hybrid")),
        ]
        if cross_encoder:
            configs.append(("this project, hybrid + cross-encoder", project("hybrid", reranked)))
        configs += [
            (f"this project, hybrid [{b}]", project("hybrid", engine)) for b, engine in others.items()
        ]
        columns = (
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns) as progress:
            results = [run_config(name, search, questions, progress) for name, search in configs]
            if answers:
                default = next(r for r in results if r.name == "this project, hybrid")
                _answer_all(assistant, questions, default, progress)
                if unanswerable:
                    _decline_all(assistant, gone, default, progress)
    report = {
        "dataset": dataset,
        "path": str(path),
        "questions": len(questions),
        **({"unanswerable_questions": len(gone)} if unanswerable else {}),
        "seed": seed,
        "date": time.strftime("%Y-%m-%d"),
        "embedding_backend": assistant.embedder.backend,
        **timings,
        "configs": {r.name: r.summary() for r in results},
    }
    write_reports(report, results, out_dir)
    return report


def _answer_all(
    assistant: Any, questions: Sequence[EvalQuestion], result: ConfigResult, progress: Any
) -> None:
    """Offline answers: does the first citation hold the gold evidence, and how long is its quote?"""
    task = progress.add_task("answers (hybrid, extractive)", total=len(questions))
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question.text)
        result.ask_latencies_ms.append((time.perf_counter() - started) * 1000)
        if answer.citations:
            first = answer.citations[0]
            result.citation_hits.append(
                is_hit(question, (Path(first.source).name, first.start_char, first.end_char))
            )
            result.quote_lengths.append(len(first.quote))
        else:
            result.citation_hits.append(False)
        result.false_declines.append(_declined(answer))
        progress.advance(task)


def _decline_all(
    assistant: Any, questions: Sequence[EvalQuestion], result: ConfigResult, progress: Any
) -> None:
    """Questions whose gold paragraph was removed: is each declined?"""
    task = progress.add_task("unanswerable (declined?)", total=len(questions))
    for question in questions:
        result.declined.append(_declined(assistant.ask(question.text)))
        progress.advance(task)


def _declined(answer: Any) -> bool:
    """The answer says the sources do not (fully) say it, or cites nothing."""
    return bool(answer.status != "answered" or not answer.citations)


def markdown_table(report: dict[str, Any]) -> str:
    """The figures of every configuration as a Markdown table."""
    configs = report["configs"]
    keys = list(dict.fromkeys(k for figures in configs.values() for k in figures))
    lines = ["| configuration | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for name, figures in configs.items():
        lines.append(f"| {name} | " + " | ".join(str(figures.get(k, "")) for k in keys) + " |")
    return "\n".join(lines)


def write_reports(report: dict[str, Any], results: Sequence[ConfigResult], out_dir: Path) -> None:
    """results.json, results.md and hit_at_k.png in `out_dir`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(report, indent=2))
    title = f"{report['dataset']}: {report['questions']} questions (seed {report['seed']}), {report['date']}"
    (out_dir / "results.md").write_text(f"{title}\n\n{markdown_table(report)}\n")
    figure, axes = plt.subplots(figsize=(7, 4.5))
    ks = list(range(1, 11))
    for result in results:
        axes.plot(ks, [result.hit_at(k) for k in ks], marker="o", label=result.name)
    axes.set_xlabel("k (passages retrieved)")
    axes.set_ylabel("hit@k")
    axes.set_title(title)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(out_dir / "hit_at_k.png", dpi=110)
    plt.close(figure)
