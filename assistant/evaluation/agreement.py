"""`assistant eval agreement PATH`: how well agreement, conflict and differing figures are found.

PATH is either a JSON-lines file of labelled pairs (`a`, `b`, `label` one of agree / conflict
/ figures / none, "neutral" read as none; an optional `kind` says how the pair was made), scored
per label with `agreement.relate`; or the newsqa-polnear file (rows with `kind` and `answers`),
whose kind-f questions are asked offline of an index of the PolNeAR dev articles beside it
(`polnear/dev/text/`): per question, whether both sides are retrieved (in the passages the
answer was made from), cited, and the conflict flagged.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.attribution.agreement import KINDS, compare
from assistant.attribution.claims import statements
from assistant.errors import InputError

LABELS = ("agree", "conflict", "figures")


@dataclass(frozen=True)
class PairScores:
    """Gold label -> predicted label counts, overall and by how each pair was made (`kind`)."""

    confusion: dict[str, Counter[str]]
    by_kind: dict[str, Counter[str]]

    def precision(self, label: str) -> float | None:
        predicted = sum(c[label] for c in self.confusion.values())
        return self.confusion.get(label, Counter())[label] / predicted if predicted else None

    def recall(self, label: str) -> float | None:
        gold = sum(self.confusion.get(label, Counter()).values())
        return self.confusion[label][label] / gold if gold else None


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, one a line; a clear error naming the bad line."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}, line {n}: not JSON ({exc.msg}); write one JSON object a line."
            ) from exc
        if not isinstance(row, dict):
            raise InputError(f"{path}, line {n}: a JSON object is needed, not {type(row).__name__}.")
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no pairs in it; write one JSON object a line.")
    return rows


def score_pairs(path: Path, rows: list[dict[str, Any]]) -> PairScores:
    """Classify each labelled pair and count gold -> predicted."""
    for n, row in enumerate(rows, 1):
        missing = [k for k in ("a", "b", "label") if not isinstance(row.get(k), str)]
        if missing:
            raise InputError(f"{path}, pair {n}: field {missing[0]!r} (a string) is missing.")
        if _label(row["label"]) not in KINDS:
            raise InputError(f"{path}, pair {n}: label {row['label']!r} is not one of {', '.join(KINDS)}.")
    parsed = statements([t for row in rows for t in (row["a"], row["b"])])
    confusion: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    by_kind: dict[str, Counter[str]] = {}
    for n, row in enumerate(rows):
        guess = compare(parsed[2 * n], parsed[2 * n + 1]).kind
        confusion[_label(row["label"])][guess] += 1
        kind = f"{_label(row['label'])} / {row.get('kind') or 'pairs'}"
        by_kind.setdefault(kind, Counter())[guess] += 1
    return PairScores(confusion, by_kind)


def pairs_table(path: Path, scores: PairScores) -> str:
    """Per label precision and recall, then each kind of pair and what it was called."""
    lines = [
        f"Pairs: {path}",
        "",
        "| label | gold | predicted | precision | recall |",
        "|---|---|---|---|---|",
    ]
    for label in LABELS:
        gold = sum(scores.confusion[label].values())
        predicted = sum(c[label] for c in scores.confusion.values())
        lines.append(
            f"| {label} | {gold} | {predicted} | "
            f"{_share(scores.precision(label))} | {_share(scores.recall(label))} |"
        )
    lines += ["", "| gold / kind | pairs | " + " | ".join(KINDS) + " |", "|---|---|" + "---|" * len(KINDS)]
    for kind, counts in sorted(scores.by_kind.items()):
        total = sum(counts.values())
        lines.append(f"| {kind} | {total} | " + " | ".join(f"{counts[k] / total:.3f}" for k in KINDS) + " |")
    return "\n".join(lines)


def f_questions(path: Path, rows: list[dict[str, Any]]) -> str:
    """Ask the kind-f questions of a newsqa file offline; per question: both sides cited, flagged."""
    from assistant.api import Assistant

    texts = path.parent / "polnear" / "dev" / "text"
    if not texts.is_dir():
        raise InputError(f"{path}: its articles are read from {texts}, which is not there.")
    questions = [r for r in rows if r.get("kind") == "f"]
    if not questions:
        raise InputError(f"{path}: no questions of kind 'f' (two sides that contradict each other).")
    lines = ["| question | both sides retrieved | both sides cited | flagged |", "|---|---|---|---|"]
    both_retrieved = both_cited = flagged = 0
    with tempfile.TemporaryDirectory(prefix="eval-agreement-") as tmp:
        assistant = Assistant(data_dir=Path(tmp) / "index")
        assistant.ingest([texts])
        for row in questions:
            answer = assistant.ask(row["question"], llm=False)
            sides = [[c.n for c in answer.citations if _covers(c, side)] for side in row["answers"][:2]]
            retrieved = all(any(_covers(p, side) for p in answer.passages) for side in row["answers"][:2])
            cited = all(sides)
            noted = any(
                a.kind in {"conflict", "figures"}
                and set(a.citations) & set(sides[0])
                and set(a.citations) & set(sides[1])
                for a in answer.agreements
            )
            both_retrieved += retrieved
            both_cited += cited
            flagged += cited and noted
            lines.append(
                f"| {row['question'][:70]} | {_yes(retrieved)} | {_yes(cited)} | {_yes(cited and noted)} |"
            )
    n = len(questions)
    lines.append(f"| **all {n}** | {both_retrieved / n:.3f} | {both_cited / n:.3f} | {flagged / n:.3f} |")
    return "\n".join(lines)


def report(path: Path) -> str:
    """The Markdown report for PATH (labelled pairs, or a newsqa file's f questions)."""
    rows = read_rows(path)
    if all("answers" in r and "kind" in r for r in rows):
        return f_questions(path, rows)
    return pairs_table(path, score_pairs(path, rows))


def _covers(citation: Any, side: dict[str, Any]) -> bool:
    """The citation's (or passage's) span holds the gold side's span, in the same file."""
    same_file = Path(citation.source).name == side["file"]
    return same_file and citation.start_char <= side["start"] and citation.end_char >= side["end"]


def _label(label: str) -> str:
    return "none" if label == "neutral" else label


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
