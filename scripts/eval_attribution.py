"""Measure speaker attribution and agreement/conflict detection on the labelled data in eval/.

    python scripts/eval_attribution.py          # prints the two Markdown tables of docs/answers.md

Speaker attribution (eval/quotes.jsonl): each gold statement is an anchor text in a file and
the speaker the article means (null: the article names nobody). A predicted quote matches a
gold statement when their spans overlap. Precision: predicted quotes with a speaker whose
speaker is the gold one (a prediction matching no gold statement, or one whose gold speaker is
null, counts as wrong). Recall: gold statements with a named speaker that some overlapping
prediction attributes to that speaker. Names compare by their last word, case-insensitively,
bodies ("the port operator") without a leading "the".

Agreement (eval/agreement.jsonl): pairs labelled agree / conflict / neutral, classified by
`assistant.attribution.agreement.relate`, slot by slot ("none" counts as neutral).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.attribution.agreement import relate  # noqa: E402
from assistant.attribution.quotes import find_quotes  # noqa: E402


def _same(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is gold

    def key(name: str) -> str:
        name = name.casefold().removeprefix("the ").strip()
        return name.split()[-1] if name else name

    return key(predicted) == key(gold)


def attribution(only: str = "", data: str = "quotes") -> dict[str, float | int]:
    """Precision and recall over the gold statements of files whose name starts with `only`."""
    lines = (REPO / "eval" / f"{data}.jsonl").read_text("utf-8").splitlines()
    gold_rows = [row for row in map(json.loads, lines) if row["file"].startswith(only)]
    by_file: dict[str, list[dict]] = {}
    for row in gold_rows:
        by_file.setdefault(row["file"], []).append(row)
    predicted_named = correct_predictions = gold_named = found = 0
    for name, rows in by_file.items():
        text = (REPO / name).read_bytes().decode("utf-8-sig")
        # someone the article does not name ("a commander") is no named speaker here: gold says null
        quotes = [replace(q, speaker=None) if q.unnamed else q for q in find_quotes(text, name)]
        spans = []
        for row in rows:
            start = text.index(row["anchor"])
            assert text.count(row["anchor"]) == 1, f"anchor not unique in {name}: {row['anchor']!r}"
            spans.append((start, start + len(row["anchor"]), row["speaker"]))
        for quote in quotes:
            if quote.speaker is None:
                continue
            predicted_named += 1
            golds = [g for a, b, g in spans if quote.start_char < b and a < quote.end_char]
            if golds and any(g is not None and _same(quote.speaker, g) for g in golds):
                correct_predictions += 1
        for a, b, gold in spans:
            if gold is None:
                continue
            gold_named += 1
            if any(q.start_char < b and a < q.end_char and _same(q.speaker, gold) for q in quotes):
                found += 1
    return {
        "gold statements": len(gold_rows),
        "with a named speaker": gold_named,
        "files": len(by_file),
        "predicted with a speaker": predicted_named,
        "precision": round(correct_predictions / predicted_named, 3),
        "recall": round(found / gold_named, 3),
    }


def agreement(data: str) -> tuple[dict[str, Counter[str]], int]:
    rows = [json.loads(line) for line in (REPO / "eval" / f"{data}.jsonl").read_text("utf-8").splitlines()]
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("agree", "conflict", "neutral")}
    for row in rows:
        kind = relate(row["a"], row["b"]).kind
        counts[row["label"]]["neutral" if kind in {"none", "figures"} else kind] += 1
    return counts, len(rows)


def main() -> None:
    print("| data | statements (named speaker) | predictions with a speaker | precision | recall |")
    print("|---|---|---|---|---|")
    rows = (
        ("seeds", "seeds/", "quotes"),
        ("written articles (seen while writing the rules)", "eval/", "quotes"),
        ("held-out articles (first run: 0.75 / 0.714; rules changed after it)", "", "heldout"),
        ("second held-out article (labelled before its only run)", "", "heldout2"),
    )
    for label, only, data in rows:
        result = attribution(only, data)
        print(
            f"| {label} ({result['files']} files) | {result['gold statements']} "
            f"({result['with a named speaker']}) | {result['predicted with a speaker']} | "
            f"{result['precision']} | {result['recall']} |"
        )
    print("\n| pairs | relation | precision | recall |")
    print("|---|---|---|---|")
    for data in ("agreement", "agreement_heldout", "agreement_polnear_dev"):
        counts, total = agreement(data)
        sizes = ", ".join(f"{k} {sum(v.values())}" for k, v in counts.items())
        for kind in ("conflict", "agree"):
            predicted = sum(c[kind] for c in counts.values())
            hit = counts[kind][kind]
            gold = sum(counts[kind].values())
            precision = f"{hit / predicted:.3f}" if predicted else "n/a"
            print(
                f"| {data} ({total}: {sizes}) | {kind} | {precision} ({hit}/{predicted}) | "
                f"{hit / gold:.3f} ({hit}/{gold}) |"
            )
        print(f"<!-- {data} confusion (gold -> predicted): { ({k: dict(v) for k, v in counts.items()}) } -->")


if __name__ == "__main__":
    main()
