"""PolNeAR (Newell, Margolin, Ruths, LREC 2018): news articles with their attributions.

A split folder holds `text/NAME.txt` and `attributions/NAME_XXXX.ann` (BRAT standoff, one file per
annotator; the first by name is used). Offsets count characters of the text read as UTF-8 with
newlines untranslated. An attribution (`E` line) ties a `Content` span to its `Source` and `Cue`;
a span may come in fragments (`Content 315 448;463 553`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: what was said (content), by whom (source), with which cue."""

    content: Fragments
    source: Fragments
    cue: Fragments
    direct: bool  # the content holds a quotation mark


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def _fragments(spec: str) -> Fragments:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in spec.split(";")))


def parse_ann(ann: str, text: str) -> tuple[GoldAttribution, ...]:
    """The attributions of one BRAT file that have a content span."""
    spans: dict[str, Fragments] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            _, _, spec = fields[1].partition(" ")
            spans[fields[0]] = _fragments(spec)
        elif line.startswith("E") and len(fields) >= 2:
            roles = dict(part.split(":", 1) for part in fields[1].split() if ":" in part)
            events.append(roles)
    found = []
    for roles in events:
        content = spans.get(roles.get("Content", ""), ())
        if not content:
            continue
        words = "".join(text[a:b] for a, b in content)
        found.append(
            GoldAttribution(
                content=content,
                source=spans.get(roles.get("Source", ""), ()),
                cue=spans.get(roles.get("Cue", ""), ()),
                direct=bool(re.search('[“”"]', words)),
            )
        )
    return tuple(found)


def read_split(folder: Path) -> list[GoldArticle]:
    """Every article of a PolNeAR split folder (`.../dev`) with the first annotator's attributions."""
    texts = sorted((folder / "text").glob("*.txt"))
    if not texts:
        raise InputError(f"{folder}: no text/*.txt here; point at a PolNeAR split such as polnear/dev.")
    anns = sorted((folder / "attributions").glob("*.ann"))
    articles = []
    for path in texts:
        first = next((a for a in anns if a.stem.rsplit("_", 1)[0] == path.stem), None)
        if first is None:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        ann = first.read_text(encoding="utf-8")
        articles.append(GoldArticle(path.stem, text, parse_ann(ann, text)))
    return articles
