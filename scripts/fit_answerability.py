"""Fit the answer model: how likely a retrieved sentence answers the question (assistant/answers/support.py).

    python scripts/fit_answerability.py collect --work /tmp/fit   # index, retrieve once, cache
    python scripts/fit_answerability.py fit --work /tmp/fit       # features, fit, threshold

`collect` writes each tune dataset's files as `assistant eval` does, takes the gold out of every
other question (Natural Questions: its paragraph, as `assistant eval nq --unanswerable`;
HotpotQA: both supporting files, leaving the distractors as near misses), indexes the rest and
stores the passages and quotes the answerer sees for every question. `fit` computes
`support.FEATURES` for the candidate sentences of every question, fits a logistic regression
(scikit-learn) of "this sentence holds the gold answer", and chooses the decline threshold:
the highest at which the model declines at most 1.5% more of the questions whose gold is there
than the constraints and the relevance floor alone (5-fold cross-validated on the tune data, the
datasets pooled), with the declines of those without gold printed beside it.
It writes assistant/fitted/support.json.
SQuAD is never used here: it is the data the figures are reported on (docs/answers.md).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant import fitted
from assistant.answers.candidates import rank
from assistant.answers.extractive import ELIGIBLE_SHARE, RELEVANCE_FLOOR
from assistant.answers.support import FEATURES, likelihood
from assistant.attribution.agreement import speaker_of
from assistant.evaluation.datasets import (
    EvalQuestion,
    remove_gold,
    sample,
    write_hotpot,
    write_nq,
)
from assistant.evaluation.runner import is_hit
from assistant.models import Passage, Quote
from assistant.retrieval.scoring import Scorer, sentences_of

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
DATASETS = {
    "nq": (write_nq, EVAL / "nq-qed-tune.jsonl"),
    "hotpot": (write_hotpot, EVAL / "hotpot-dev-distractor-100.json"),
}


@dataclass
class Asked:
    """One question with what the answerer sees, and whether its gold is still in the corpus."""

    question: EvalQuestion
    passages: list[Passage]
    quotes: list[Quote]
    answerable: bool


def without_gold(name: str, folder: Path, questions: list[EvalQuestion]) -> tuple[list, list]:
    """(answerable, unanswerable): the gold of every other question taken out of `folder`."""
    if name != "hotpot":
        return remove_gold(folder, questions, questions[::2])
    gone = {f for q in questions[::2] for f in q.supporting}
    for file in gone:
        (folder / file).unlink(missing_ok=True)
    kept = [q for q in questions if not set(q.supporting) & gone]
    return kept, [q for q in questions if set(q.supporting) & gone]


def collect(work: Path, names: list[str]) -> None:
    """Index each dataset (gold of half the questions removed) and cache what the answerer sees."""
    from assistant.api import Assistant

    for name in names:
        writer, path = DATASETS[name]
        folder = work / name
        questions = sample(writer(path, folder / "files"), None, 7)
        answerable, unanswerable = without_gold(name, folder / "files", questions)
        assistant = Assistant(data_dir=folder / "index")
        assistant.ingest([folder / "files"])
        steps = assistant.parts.answer_steps()
        asked = []
        for number, (question, ok) in enumerate(
            [(q, True) for q in answerable] + [(q, False) for q in unanswerable]
        ):
            passages = steps.search(question.text, steps.passages, None)
            asked.append(Asked(question, list(passages), list(steps.quotes_within(passages)), ok))
            if number % 100 == 0:
                print(f"{name}: {number}", file=sys.stderr)
        with (work / f"{name}-asked.pkl").open("wb") as out:
            pickle.dump(asked, out)
        print(f"{name}: {len(asked)} questions cached", file=sys.stderr)


def gold_of(asked: Asked, spans: list[tuple[str, int, int]]) -> np.ndarray:
    """Per candidate span (file, start, end): it holds the gold answer (HotpotQA: lies in a
    supporting file)."""
    return np.array([asked.answerable and is_hit(asked.question, span) for span in spans], dtype=bool)


@dataclass
class Judged:
    """One question's candidates as the answerer judges them."""

    dataset: str
    x: np.ndarray  # support.FEATURES per candidate, in the answerer's order
    y: np.ndarray  # the candidate holds the gold answer
    meets: np.ndarray  # the candidate misses no constraint but a year or month
    answerable: bool


def judged(name: str, asked: Asked, scorer: Scorer) -> Judged:
    """The candidates of one question, their features and labels (see `candidates.rank`)."""
    sentences = sentences_of(asked.passages)
    who = [speaker_of(asked.quotes, s.source, s.start_char, s.end_char) for s in sentences]
    ranked = rank(asked.question.text, asked.passages, scorer, who)
    spans = [
        (Path(sentences[i].source).name, sentences[i].start_char, sentences[i].end_char) for i in ranked.order
    ]
    meets = np.array([not any(not m.partial for m in ranked.missing[i]) for i in ranked.order], dtype=bool)
    x = ranked.x if len(ranked.order) else np.zeros((0, len(FEATURES)))
    return Judged(name, x, gold_of(asked, spans), meets, asked.answerable)


def standardised_fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """Logistic regression on standardised features; weights in raw units, the intercept first."""
    from sklearn.linear_model import LogisticRegression

    body = x[:, 1:]
    mean, std = body.mean(axis=0), body.std(axis=0) + 1e-9
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit((body - mean) / std, y)
    w = model.coef_[0] / std
    return np.concatenate([[model.intercept_[0] - float(w @ mean)], w])


def decide(case: Judged, p: np.ndarray, threshold: float, constrained: bool = True) -> tuple[bool, bool]:
    """(declined, the first claim holds the gold answer) for one question, as
    `extractive.answerability` decides (its candidates are in the selector's order)."""
    if not len(p):
        return True, False
    score = case.x[:, FEATURES.index("score")]
    best = float(case.x[0, FEATURES.index("best_score")])
    usable = (score >= RELEVANCE_FLOOR) & (p >= threshold) & (case.meets if constrained else True)
    if not usable.any():
        return True, False
    eligible = usable & (score >= max(RELEVANCE_FLOOR, ELIGIBLE_SHARE * best))
    first = int(np.argmax(eligible)) if eligible.any() else int(np.argmax(usable))
    return False, bool(case.y[first])


def figures(cases: list[Judged], probs: list[np.ndarray], threshold: float, constrained: bool) -> tuple:
    """(unanswerable declined, answerable declined, first claim holds the gold) over `cases`."""
    found = [(c.answerable, *decide(c, p, threshold, constrained)) for c, p in zip(cases, probs, strict=True)]
    gone = [d for a, d, _ in found if not a]
    kept = [(d, h) for a, d, h in found if a]
    return (
        float(np.mean(gone)) if gone else float("nan"),
        float(np.mean([d for d, _ in kept])),
        float(np.mean([h for _, h in kept])),
    )


def fit(work: Path, names: list[str], out: Path, c: float = 1.0, added: float = 0.015) -> None:
    """Fit the answer model and choose its threshold (see the module's doc); print what it does."""
    from assistant.api import Assistant

    cases: list[Judged] = []
    for name in names:
        cached = work / f"{name}-judged.pkl"  # delete it when the features change
        if not cached.exists():
            asked = pickle.loads((work / f"{name}-asked.pkl").read_bytes())
            scorer = Assistant(data_dir=work / name / "index").parts.scorer
            cached.write_bytes(pickle.dumps([judged(name, a, scorer) for a in asked]))
        cases += pickle.loads(cached.read_bytes())
        print(f"{name}: judged", file=sys.stderr)
    usable = [k for k in cases if len(k.y)]
    folds = 5
    held: list[np.ndarray] = [np.zeros(0)] * len(usable)
    for fold in range(folds):
        train = [k for n, k in enumerate(usable) if n % folds != fold]
        weights = standardised_fit(np.vstack([k.x for k in train]), np.concatenate([k.y for k in train]), c)
        for n, k in enumerate(usable):
            if n % folds == fold:
                held[n] = likelihood(k.x, weights)
    grid = [round(t, 2) for t in np.arange(0.0, 0.96, 0.05)]
    print(
        f"\n5-fold cross-validated on the tune data ({', '.join(names)}): declined without gold / "
        "with gold declined / first claim holds the gold"
    )
    for constrained in (True, False):  # with the constraints, and the model's gate alone
        print(
            f"\n| threshold | {' | '.join(names)} |  "
            + ("(constraints and model)" if constrained else "(model alone, no constraints)")
        )
        print("|---" * (len(names) + 1) + "|")
        for t in grid:
            cells = []
            for name in names:
                mine = [(k, p) for k, p in zip(usable, held, strict=True) if k.dataset == name]
                g, a, h = figures([k for k, _ in mine], [p for _, p in mine], t, constrained)
                cells.append(f"{g:.3f} / {a:.3f} / {h:.3f}")
            print(f"| {t} | {' | '.join(cells)} |")
    before = figures(usable, held, 0.0, True)[1]  # the constraints and the relevance floor alone
    allowed = [t for t in grid if figures(usable, held, t, True)[1] <= before + added]
    chosen = max(allowed, default=grid[0])
    weights = standardised_fit(np.vstack([k.x for k in usable]), np.concatenate([k.y for k in usable]), c)
    path = fitted.write(
        "support",
        FEATURES,
        list(weights),
        data=f"{', '.join(names)} tune sets (../shared/eval), the gold of every other question removed",
        script="scripts/fit_answerability.py fit",
        method=f"logistic regression (scikit-learn, C {c}, balanced classes) on standardised features, "
        "per candidate sentence: does it hold the gold answer",
        about="How likely a retrieved sentence answers the question (assistant/answers/support.py).",
        folder=out,
        thresholds={"decline_below": chosen},
    )
    print(
        f"\nchosen threshold {chosen} (the highest declining at most {added} more of the questions with "
        f"gold than without the model ({before:.3f}), cross-validated, all datasets pooled); "
        f"weights written to {path}"
    )
    for f, w in zip(FEATURES, weights, strict=True):
        print(f"  {f:22s} {w:+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["collect", "fit"])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--out", type=Path, default=fitted.FOLDER, help="folder for support.json")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.step == "collect":
        collect(args.work, args.datasets)
    else:
        fit(args.work, args.datasets, args.out)


if __name__ == "__main__":
    main()
