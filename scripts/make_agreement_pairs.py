"""Labelled statement pairs for `assistant eval agreement`, built from PolNeAR train/ contents.

    python scripts/make_agreement_pairs.py ../shared/eval/polnear/train OUT_DIR

Each statement is the content span of one annotated attribution (one fragment, 40-300
characters): what someone is reported to claim. Pairs, with `label`, `kind` and `article`:

- conflict / name: a name in the content (a name PolNeAR annotates as a source somewhere in the
  split, found by string, not by spaCy) swapped for another such name;
- conflict / year: a year changed; conflict / negation: "not" put after its first auxiliary;
- figures / number: a number before a word changed;
- agree / frame: the content as another speaker's ("..., a spokesman said."); agree / shorter:
  a name cut to its last word ("Donald Trump" -> "Trump");
- none / same-article: two contents of one article (compatible statements, often one speaker);
  none / other-article: two contents of different articles.

Articles are split by a hash of their name: `tune.jsonl` (half of them, for setting the
thresholds) and `report.jsonl` (the other half, for the figures), PER_KIND pairs of each kind
at most. Nothing here is labelled by
hand; the files are derived from PolNeAR and stay outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.polnear import read_split  # noqa: E402
from assistant.text.words import STOP_WORDS  # noqa: E402

PER_KIND = 200  # pairs of each kind in each part, drawn at random (seed 27)

_NAME = re.compile(r"^(?:[A-Z][a-z’'\-]+\.? ?){1,3}$")
_YEAR = re.compile(r"\b(19[5-9]\d|20[01]\d)\b")
_NUMBER = re.compile(r"(?<![\d.,$])\b(\d{1,3}(?:,\d{3})*|\d+)(?![\d.,]\d)(?= [a-z])")
_AUX = re.compile(r"\b(is|was|are|were|will|would|can|could|should|has|have|had)\b(?! not| n’t| never)")
_TITLES = {"Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "President", "The", "A", "He", "She"}


def main(split: Path, out: Path) -> None:
    rng = random.Random(27)
    articles = read_split(split)
    names = sorted(
        {
            name
            for article in articles
            for a in article.attributions
            if len(a.source) == 1
            for name in [article.text[a.source[0][0] : a.source[0][1]].strip()]
            if _NAME.match(name) and name.split()[0] not in _TITLES and len(name) > 3
            if " " in name or name.lower() not in STOP_WORDS
        }
    )
    contents: dict[str, list[str]] = {}
    for article in articles:
        for a in article.attributions:
            if len(a.content) != 1:
                continue
            text = " ".join(article.text[a.content[0][0] : a.content[0][1]].split())
            if 40 <= len(text) <= 300:
                contents.setdefault(article.name, []).append(text)
    out.mkdir(parents=True, exist_ok=True)
    parts = {"tune": [], "report": []}
    for name, texts in sorted(contents.items()):
        part = "tune" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "report"
        others = [n for n in contents if n != name]
        for i, text in enumerate(texts):
            for label, kind, changed in _changes(text, names, rng):
                parts[part].append({"a": text, "b": changed, "label": label, "kind": kind, "article": name})
            if i + 1 < len(texts) and texts[i + 1] != text:
                parts[part].append(_pair(text, texts[i + 1], "same-article", name))
            other = contents[rng.choice(others)]
            parts[part].append(_pair(text, rng.choice(other), "other-article", name))
    for part, rows in parts.items():
        kinds = sorted({row["kind"] for row in rows})
        rows = [r for kind in kinds for r in _some([r for r in rows if r["kind"] == kind], rng)]
        with (out / f"{part}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{out / part}.jsonl: {len(rows)} pairs")


def _some(rows: list[dict[str, str]], rng: random.Random) -> list[dict[str, str]]:
    return rows if len(rows) <= PER_KIND else rng.sample(rows, PER_KIND)


def _pair(a: str, b: str, kind: str, article: str) -> dict[str, str]:
    return {"a": a, "b": b, "label": "none", "kind": kind, "article": article}


def _changes(text: str, names: list[str], rng: random.Random) -> list[tuple[str, str, str]]:
    """The constructed variants of one content: (label, kind, changed text)."""
    found = []
    present = [n for n in names if n in text and re.search(rf"\b{re.escape(n)}\b", text)]
    if present:
        name = rng.choice(present)
        last = name.split()[-1]
        other = rng.choice([n for n in names if n.split()[-1] != last and last not in n])
        found.append(("conflict", "name", re.sub(rf"\b{re.escape(name)}\b", other, text)))
        if " " in name:
            found.append(("agree", "shorter", re.sub(rf"\b{re.escape(name)}\b", last, text)))
    year = _YEAR.search(text)
    if year:
        shifted = str(int(year.group()) + rng.choice([-3, -2, -1, 1, 2, 3]))
        found.append(("conflict", "year", text[: year.start()] + shifted + text[year.end() :]))
    number = _NUMBER.search(text)
    if number and not _YEAR.fullmatch(number.group(1)):
        value = int(number.group(1).replace(",", ""))
        new = value * rng.choice([2, 3, 10]) if value else 7
        found.append(("figures", "number", text[: number.start(1)] + f"{new:,}" + text[number.end(1) :]))
    aux = _AUX.search(text)
    if aux and not re.search(r"\b(not|never|no)\b|n’t|n't", text):
        found.append(("conflict", "negation", text[: aux.end()] + " not" + text[aux.end() :]))
    speaker = rng.choice(["a spokesman said", "officials said", "the report said"])
    found.append(("agree", "frame", f"{text.rstrip('.')}, {speaker}."))
    return found


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
