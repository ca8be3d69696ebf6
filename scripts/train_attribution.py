"""Fit the weights of `assistant.attribution.antecedents` (whom "he" or "she" means) on PolNeAR train/.

    python scripts/train_attribution.py ../shared/eval/polnear/train          # check, then fit on all
    python scripts/train_attribution.py ../shared/eval/polnear/train --check  # held-out check only

Examples: every attribution whose gold source holds a name met earlier in the article. Its
candidates are the names before the source span (`antecedents.candidates`); the right one is the
candidate whose last word is the source name's last word. The held-out check fits on all
articles but every eighth (`sorted(names)[4::8]`) and prints, on those, top-1 accuracy and, per
threshold, the share of examples given a name and the accuracy of the names given. The final
fit uses every article of the folder and is written, with its data, script and date, to
`assistant/fitted/ranking.json` and `antecedents.json` (read by ranking.py and antecedents.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import numpy as np
from scipy.optimize import minimize

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import fitted  # noqa: E402
from assistant.attribution import antecedents, ranking  # noqa: E402
from assistant.attribution.antecedents import candidates  # noqa: E402
from assistant.attribution.quotes import statements  # noqa: E402
from assistant.evaluation.attribution import last_name  # noqa: E402
from assistant.evaluation.polnear import GoldArticle, read_split  # noqa: E402

L2 = 0.001  # on the weights, per example
PRONOUN_REACH = 2000  # characters from a named source to a pronoun source that continues it


def _overlap(a: int, b: int, spans: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(b, y) - max(a, x)) for x, y in spans)


def speaker_examples(articles: list[GoldArticle]) -> list[tuple[np.ndarray, int]]:
    """(option features, index of the right option) for each direct quotation the rules find
    that matches gold statements (the metric's way: it covers half their content or more) whose
    source span some option overlaps. A quotation without a cue of its own has the previous
    statement's speaker among its options (`ranking.instead_of_previous`): right when the gold
    source is that speaker's mention."""
    found = []
    for article in articles:
        raws, _ = statements(article.text)
        golds = [g for g in article.attributions if g.direct and g.source]
        for raw in raws:
            if len(raw.options) < 2:
                continue
            # nested attributions (`“...,” he said, according to CNN`) match several gold ones:
            # the speaker of any of them is right, the rules' pick first when it is one
            matched = [
                g
                for g in golds
                if _overlap(raw.start, raw.end, g.content) >= 0.5 * sum(b - a for a, b in g.content)
            ]
            right = [
                i
                for i, o in enumerate(raw.options)
                if any(_overlap(o.mention.start, o.mention.end, g.source) for g in matched)
            ]
            if right:
                found.append((ranking.matrix(raw.options), right[0]))
    return found


def pronoun_examples(articles: list[GoldArticle]) -> list[tuple[np.ndarray, int]]:
    """(candidate features, index of the right candidate) for each gold source "he" or "she"
    with a named gold source before it (within PRONOUN_REACH characters): the right candidate is
    the person of that named source, the one the article spoke of last as a speaker."""
    found = []
    for article in articles:
        text = article.text
        golds = sorted((g for g in article.attributions if g.source), key=lambda g: g.source[0][0])
        named: list[tuple[int, str]] = []  # (offset, last name) of the named sources so far
        for gold in golds:
            at = gold.source[0][0]
            words = " ".join(text[a:b] for a, b in gold.source)
            name = last_name(words)
            if words.lower() in {"he", "she"} and named and at - named[-1][0] <= PRONOUN_REACH:
                options = candidates(text, at)
                right = [i for i, c in enumerate(options) if c.key == named[-1][1]]
                if right and len(options) > 1:
                    found.append((antecedents.matrix(options), right[0]))
            elif name is not None:
                named.append((at, name.lower().removesuffix("’s").removesuffix("'s")))
    return found


def fit(data: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Weights maximising the conditional log-likelihood, with an L2 penalty."""
    size = data[0][0].shape[1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = L2 * len(data) * float(w @ w), 2 * L2 * len(data) * w
        for x, right in data:
            s = x @ w
            s = s - s.max()
            p = np.exp(s) / np.exp(s).sum()
            total -= s[right] - np.log(np.exp(s).sum())
            grad -= x[right] - p @ x
        return total / len(data), grad / len(data)

    return minimize(loss, np.zeros(size), jac=True, method="L-BFGS-B").x


def report(weights: np.ndarray, data: list[tuple[np.ndarray, int]], thresholds: bool) -> None:
    """Top-1 accuracy on `data`, and per threshold the share given a choice and its accuracy."""
    top = []
    for x, right in data:
        p = np.exp(x @ weights - (x @ weights).max())
        p = p / p.sum()
        top.append((float(p.max()), int(p.argmax()) == right))
    print(f"  {len(data)} examples, top-1 accuracy {sum(ok for _, ok in top) / len(top):.3f}")
    for threshold in (0.4, 0.5, 0.6) if thresholds else ():
        given = [ok for p, ok in top if p >= threshold]
        if given:
            share, right = len(given) / len(top), sum(given) / len(given)
            print(f"  threshold {threshold}: named {share:.3f}, right {right:.3f}")


def _baseline(module: object) -> np.ndarray:
    """Weights that pick the rules' choice: the option marked `rule`, or the name met last."""
    features: tuple[str, ...] = module.FEATURES  # type: ignore[attr-defined]
    weights = np.zeros(len(features))
    weights[features.index("rule" if "rule" in features else "nearest")] = 1.0
    return weights


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only the held-out check; no final fit.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=fitted.FOLDER,
    help="Folder to write the weights file to (default: the package's assistant/fitted).",
)
def main(folder: Path, check: bool, out: Path) -> None:
    """Fit the speaker and antecedent weights on FOLDER (PolNeAR train/)."""
    articles = sorted(read_split(folder), key=lambda a: a.name)
    held = {a.name for a in articles[4::8]}
    for label, name, module, examples in (
        ("speaker options (ranking.py)", "ranking", ranking, speaker_examples),
        ("antecedents of he/she (antecedents.py)", "antecedents", antecedents, pronoun_examples),
    ):
        train = examples([a for a in articles if a.name not in held])
        test = examples([a for a in articles if a.name in held])
        if not train or not test:
            print(f"{label}: too few examples in {folder} ({len(train)} to fit, {len(test)} held out)")
            continue
        weights = fit(train)
        thresholds = module is antecedents
        print(f"{label}: held-out (every eighth article of {folder}), fitted on {len(train)} examples:")
        report(weights, test, thresholds)
        print("  the rules' choice, for comparison:")
        report(_baseline(module), test, thresholds=False)
        print("  held-out fit: " + ", ".join(f"{w:.4g}" for w in weights))
        if not check:
            weights = fit(train + test)
            out.mkdir(parents=True, exist_ok=True)
            previous = json.loads((fitted.FOLDER / f"{name}.json").read_text(encoding="utf-8"))
            path = fitted.write(
                name,
                module.FEATURES,
                list(weights),
                data=previous["data"].replace("../shared/eval/polnear/train", str(folder)),
                script="scripts/train_attribution.py",
                method=previous["method"],
                about=previous["about"],
                folder=out,
            )
            print(f"  fitted on all {len(train + test)} examples, written to {path}")


if __name__ == "__main__":
    main()
