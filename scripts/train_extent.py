"""Fit the weights of `assistant/attribution/extent.py` on PolNeAR train/.

    python scripts/train_extent.py ../shared/eval/polnear/train [--check]

Each reported statement the rules keep (`find_quotes` before `extent`) whose first clause boundary
may end it, and which overlaps a gold attribution, is an example: 1 when the gold content it
overlaps most ends at or before that boundary, else 0. A logistic model is fitted on one half of
the articles (sorted by name, every other one) and checked on the other, both ways round: for each
threshold, the statements inside gold and the direct quotes found, beside cutting nothing. Without
`--check`, fits on all of FOLDER and writes the weights to `assistant/fitted/extent.json`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from train_statement_filter import fit_on_halves, report  # noqa: E402

from assistant import fitted  # noqa: E402
from assistant.attribution.clauses import run_on  # noqa: E402
from assistant.attribution.extent import FEATURES, THRESHOLD, ended, features, first_boundary  # noqa: E402
from assistant.attribution.plausible import plausible  # noqa: E402
from assistant.attribution.quotes import find_quotes  # noqa: E402
from assistant.evaluation.attribution import AttributionScore, score_article  # noqa: E402
from assistant.evaluation.polnear import GoldArticle  # noqa: E402
from assistant.models import Quote  # noqa: E402

THRESHOLDS = sorted({0.2, THRESHOLD, 0.3, 0.4, 0.5, 1.01})  # 1.01: never cut

Found = dict[str, tuple[list[Quote], np.ndarray, np.ndarray]]


def examples(articles: list[GoldArticle]) -> Found:
    """Per article: its statements as the rules keep them, the feature rows and labels."""
    found: Found = {}
    for article in articles:
        text = article.text
        quotes = run_on(plausible(find_quotes(text, article.name + ".txt", screen=False), text), text)
        rows, labels = [], []
        for quote in quotes:
            boundary = first_boundary(quote, text)
            overlaps = [
                (sum(max(0, min(quote.end_char, b) - max(quote.start_char, a)) for a, b in g.content), g)
                for g in article.attributions
            ]
            size, gold = max(overlaps, key=lambda o: o[0], default=(0, None))
            if boundary is None or gold is None or size == 0:
                continue
            rows.append(features(quote, text, boundary))
            labels.append(int(max(b for _, b in gold.content) <= boundary.start() + 2))
        found[article.name] = (
            quotes,
            np.array(rows, dtype=float).reshape(len(rows), len(FEATURES)),
            np.array(labels),
        )
    return found


def check(articles: list[GoldArticle], found: Found, weights: np.ndarray) -> None:
    """Direct quotes found and precision on `articles` at each threshold."""
    for threshold in THRESHOLDS:
        score = AttributionScore()
        for article in articles:
            score_article(article, ended(found[article.name][0], article.text, threshold, weights), score)
        report(score, threshold)


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
    """Fit where reported statements end on FOLDER (PolNeAR train/)."""
    fit_on_halves(folder, check_only, examples, check, ("extent", FEATURES, "scripts/train_extent.py"), out)


if __name__ == "__main__":
    main()
