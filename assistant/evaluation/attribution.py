"""`assistant eval attribution SPLIT`: who said what, measured on PolNeAR with the team's metric.

- Gold: each attribution with a content span; "direct" when its content holds “, ” or ".
- Found: the predicted statement with the largest overlap covers at least half of the gold content.
- Precision: predicted statements lying at least half inside the article's gold content spans.
- Source right: the found statement's speaker mention overlaps the gold source span and its
  speaker is resolved (not None).
- Who-said-what: direct gold statements found with the source right, over all direct ones.
- Named speaker right: among found direct statements whose gold source holds a capitalised
  name, the resolved speaker contains that name's last word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.attribution.quotes import RULES_VERSION, find_quotes
from assistant.evaluation.polnear import Fragments, GoldArticle, read_split
from assistant.models import Quote

Extractor = Callable[[str, str], Sequence[Quote]]
_NOT_NAME = frozenset("He She It They We I You The A An This That His Her Their Its Our But And".split())
_CAPITALISED = re.compile(r"[A-Z][\w’'\-.]*")


@dataclass
class AttributionScore:
    """Counts behind the five figures of one extractor on one split."""

    articles: int = 0
    gold: int = 0
    direct: int = 0
    direct_found: int = 0
    source_right: int = 0
    named: int = 0
    named_right: int = 0
    predicted: int = 0
    predicted_inside: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (article, what, words)

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "direct-quote recall": ratio(self.direct_found, self.direct),
            "precision": ratio(self.predicted_inside, self.predicted),
            "source right": ratio(self.source_right, self.direct_found),
            "who-said-what": ratio(self.source_right, self.direct),
            "named speaker right": ratio(self.named_right, self.named),
        }


def _overlap(a: int, b: int, fragments: Fragments) -> int:
    return sum(max(0, min(b, y) - max(a, x)) for x, y in fragments)


def last_name(source: str) -> str | None:
    """The last word of the name in a gold source span: the first run of two or more capitalised
    words ("Senate Majority Leader Mitch McConnell (R-Ky.)" -> "McConnell", "Ryan’s spokeswoman,
    AshLee Strong" -> "Strong"), else the last capitalised word ("Trump"); None for "he", "a source"."""
    runs: list[list[str]] = [[]]
    for token in re.findall(r"[\w’'\-.]+|[^\w\s]", source):
        if _CAPITALISED.fullmatch(token) and token not in _NOT_NAME and not token.endswith(("’s", "'s")):
            runs[-1].append(token.rstrip("."))
        elif runs[-1]:
            runs.append([])
    runs = [r for r in runs if r]
    name = next((r for r in runs if len(r) >= 2), runs[-1] if runs else None)
    return name[-1] if name else None


def score_article(article: GoldArticle, quotes: Sequence[Quote], score: AttributionScore) -> None:
    """Add one article's counts to `score`."""
    text = article.text
    score.articles += 1
    score.gold += len(article.attributions)
    contents = tuple(f for gold in article.attributions for f in gold.content)
    for quote in quotes:
        score.predicted += 1
        length = max(1, quote.end_char - quote.start_char)
        # gold content spans overlap each other (nested attributions): count each character once
        inside = sum(
            1 for i in range(quote.start_char, quote.end_char) if any(x <= i < y for x, y in contents)
        )
        if inside >= 0.5 * length:
            score.predicted_inside += 1
        else:
            score.misses.append((article.name, "extra", quote.quote[:100]))
    for gold in article.attributions:
        if not gold.direct:
            continue
        score.direct += 1
        size = sum(b - a for a, b in gold.content)
        best = max(quotes, key=lambda q: _overlap(q.start_char, q.end_char, gold.content), default=None)
        words = " ".join(text[a:b] for a, b in gold.content)[:100]
        if best is None or _overlap(best.start_char, best.end_char, gold.content) < 0.5 * size:
            score.misses.append((article.name, "missed", words))
            continue
        score.direct_found += 1
        source = " ".join(text[a:b] for a, b in gold.source)
        if best.speaker is not None and _overlap(best.speaker_start, best.speaker_end, gold.source) > 0:
            score.source_right += 1
        else:
            score.misses.append(
                (article.name, f"source {source!r} got {best.mention!r}->{best.speaker!r}", words)
            )
        name = last_name(source)
        if name is not None:
            score.named += 1
            if best.speaker is not None and name.casefold() in best.speaker.casefold():
                score.named_right += 1
            else:
                score.misses.append((article.name, f"named {name!r} got {best.speaker!r}", words))


def evaluate_attribution(folder: Path, extractors: dict[str, Extractor]) -> dict[str, AttributionScore]:
    """Score each extractor (`find_quotes`-like: text, source name -> quotes) on a PolNeAR split."""
    articles = read_split(folder)
    scores = {label: AttributionScore() for label in extractors}
    for article in articles:
        for label, extract in extractors.items():
            score_article(article, extract(article.text, article.name + ".txt"), scores[label])
    return scores


def attribution_table(scores: dict[str, AttributionScore]) -> str:
    """The Markdown table `assistant eval attribution` prints."""
    first = next(iter(scores.values()))
    header = list(first.figures())
    lines = [
        f"{first.articles} articles, {first.gold} attributions, {first.direct} direct quotes",
        "",
        "| method | " + " | ".join(header) + " |",
        "|---" * (len(header) + 1) + "|",
    ]
    for label, score in scores.items():
        lines.append(f"| {label} | " + " | ".join(f"{v:.3f}" for v in score.figures().values()) + " |")
    return "\n".join(lines)


def compare_on_polnear(folder: Path) -> str:
    """The table of `assistant eval attribution FOLDER`: the patterns alone (no parser)
    beside the patterns with the spaCy parse (the current rules)."""
    scores = evaluate_attribution(
        folder,
        {
            "patterns only (no parser)": lambda text, name: find_quotes(text, name, parse=False),
            f"patterns + spaCy parse (rules v{RULES_VERSION})": lambda text, name: find_quotes(text, name),
        },
    )
    return attribution_table(scores)
