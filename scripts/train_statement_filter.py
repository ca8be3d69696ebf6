"""Fit the weights of `assistant/attribution/plausible.py` on PolNeAR train/.

    python scripts/train_statement_filter.py ../shared/eval/polnear/train [--check]

Each statement the rules find (`find_quotes(..., screen=False)`) is an example: 1 when it lies at
least half inside the article's gold content spans (the metric's precision), else 0. A logistic
model is fitted on one half of the articles (sorted by name, every other one) and checked on the
other, both ways round: for each threshold, the statements kept (then run on, `clauses`) inside
gold and the direct quotes found, beside keeping everything. Without `--check`, fits on all of
FOLDER and writes the weights, with their data, script and date, to `assistant/fitted/plausible.json`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click
import numpy as np
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import fitted  # noqa: E402
from assistant.attribution.clauses import run_on  # noqa: E402
from assistant.attribution.plausible import FEATURES, THRESHOLD, features  # noqa: E402
from assistant.attribution.quotes import find_quotes  # noqa: E402
from assistant.evaluation.attribution import AttributionScore, score_article  # noqa: E402
from assistant.evaluation.polnear import GoldArticle, read_split  # noqa: E402
from assistant.models import Quote  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402

L2 = 1e-3
THRESHOLDS = sorted({0.0, 0.6, 0.65, 0.7, 0.71, 0.72, 0.73, 0.74, THRESHOLD, 0.8})

Found = dict[str, tuple[list[Quote], np.ndarray, np.ndarray]]


def examples(articles: list[GoldArticle]) -> Found:
    """Per article: its statements, their feature rows and labels."""
    found: Found = {}
    for article in articles:
        quotes = find_quotes(article.text, article.name + ".txt", screen=False)
        gold = [span for g in article.attributions for span in g.content]
        labels = []
        for q in quotes:
            inside = sum(1 for i in range(q.start_char, q.end_char) if any(a <= i < b for a, b in gold))
            labels.append(int(inside >= 0.5 * max(1, q.end_char - q.start_char)))
        spans = sentence_spans(article.text)
        rows = np.array([features(q, article.text, spans) for q in quotes], dtype=float)
        found[article.name] = (quotes, rows.reshape(len(quotes), len(FEATURES)), np.array(labels))
    return found


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression weights (scikit-learn), every weight under the L2 penalty, the bias too.

    The features hold the bias column, so there is no separate intercept. scikit-learn minimises
    C * sum(log loss) + |w|^2 / 2; C = 1 / (2 * L2 * n) makes that the mean log loss + L2 * |w|^2
    the earlier hand-written fit minimised, so the weights are the same optimum. Two all-zero rows,
    one of each label, let a split whose examples are all of one label be fitted too: their loss
    is log 2 whatever the weights, so they move no weight.
    """
    zeros = np.zeros((2, x.shape[1]))
    model = LogisticRegression(C=1.0 / (2 * L2 * len(y)), fit_intercept=False, tol=1e-8, max_iter=10_000)
    model.fit(np.vstack([x, zeros]), np.concatenate([y, [0, 1]]))
    return np.asarray(model.coef_[0], dtype=float)


def check(articles: list[GoldArticle], found: Found, weights: np.ndarray) -> None:
    """Direct quotes found and precision on `articles` at each threshold."""
    for threshold in THRESHOLDS:
        score = AttributionScore()
        for article in articles:
            quotes, rows, _ = found[article.name]
            p = 1.0 / (1.0 + np.exp(-(rows @ weights))) if len(quotes) else np.zeros(0)
            kept = [q for q, pq in zip(quotes, p, strict=True) if pq >= threshold]
            score_article(article, run_on(kept, article.text), score)
        report(score, threshold)


def report(score: AttributionScore, threshold: float) -> None:
    """One threshold's line of a check: direct quotes found, statements inside gold."""
    inside, kept = score.predicted_inside, score.predicted
    print(
        f"  threshold {threshold:.2f}: direct found {score.direct_found} of {score.direct}, "
        f"inside {inside} of {kept} ({inside / max(1, kept):.4f})"
    )


def fit_on_halves(
    folder: Path,
    check_only: bool,
    examples: Callable[[list[GoldArticle]], Found],
    check: Callable[[list[GoldArticle], Found, np.ndarray], None],
    model: tuple[str, Sequence[str], str],
    out: Path = fitted.FOLDER,
) -> None:
    """Fit on each half of FOLDER's articles (sorted by name, every other one) and `check` on the
    other, both ways round; then, unless `check_only`, fit on all of them and write the weights to
    `assistant/fitted/<name>.json`, `model` being (name, its FEATURES, the script)."""
    articles = sorted(read_split(folder), key=lambda a: a.name)
    found = examples(articles)
    halves = (articles[0::2], articles[1::2])
    for n, (half, held) in enumerate((halves, halves[::-1])):
        weights = fit(*_stack(half, found))
        print(f"fitted on the {'even' if n == 0 else 'odd'} half, checked on the other:")
        check(held, found, weights)
    if not check_only:
        weights = fit(*_stack(articles, found))
        name, names, script = model
        out.mkdir(parents=True, exist_ok=True)
        previous = json.loads((fitted.FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        path = fitted.write(
            name,
            names,
            list(weights),
            data=previous["data"].replace("../shared/eval/polnear/train", str(folder)),
            script=script,
            method=previous["method"],
            about=previous["about"],
            folder=out,
        )
        print(f"fitted on all {len(articles)} articles, written to {path}")


def _stack(articles: list[GoldArticle], found: Found) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.vstack([found[a.name][1] for a in articles]),
        np.concatenate([found[a.name][2] for a in articles]),
    )


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Only the checks on each half; no final fit.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=fitted.FOLDER,
    help="Folder to write the weights file to (default: the package's assistant/fitted).",
)
def main(folder: Path, check_only: bool, out: Path) -> None:
    """Fit the statement filter on FOLDER (PolNeAR train/)."""
    fit_on_halves(
        folder, check_only, examples, check, ("plausible", FEATURES, "scripts/train_statement_filter.py"), out
    )


if __name__ == "__main__":
    main()
