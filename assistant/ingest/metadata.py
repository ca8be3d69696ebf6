"""Article metadata shown with every citation: outlet, dateline, date and title.

From the text (a byline, "(Reuters) -", "listen to Fox News articles", a dateline such as
"MARIUPOL-"), overridden by what the user says: `--outlet` for every file of an ingest, or a
sidecar file beside the article, `article.txt.meta.json`:

    {"outlet": "AFP", "date": "2022-05-05", "title": "...", "dateline": "MARIUPOL"}

Every key is optional. Metadata the user gives is part of the document's hash, so changing
it re-indexes the file on the next ingest.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

from assistant.errors import InputError
from assistant.models import Document
from assistant.text.dates import is_iso_date
from assistant.text.words import OUTLETS

SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("outlet", "date", "title", "dateline")
_OUTLET = "|".join(re.escape(o) for o in sorted(OUTLETS, key=len, reverse=True))
_OUTLET_CUES = (
    # "NEW You can now listen to Fox News articles!": unmeasured, no held-out text carries it.
    re.compile(r"\blisten to ([A-Z][\w&.'’ -]{1,40}?) articles\b"),
    re.compile(rf"\(({_OUTLET})\)\s*[-—–]"),
    re.compile(rf"(?m)^\s*By [A-Z][\w.'’ -]{{1,60}}?,\s+({_OUTLET})\b"),
    re.compile(rf"(?:Copyright|©)\s*(?:\d{{4}}\s+)?({_OUTLET})\b"),
    re.compile(rf"(?m)^\s*({_OUTLET})\s*$"),
)
_DATELINE = re.compile(
    r"(?m)^\s*(?:\|\s*)?([A-Z][A-Z.'’ ]{2,30}?(?:,\s*[A-Z][\w.]+(?: [A-Z][\w.]+)?)?)"
    r"\s*(?:\((?:Reuters|AP|AFP)\))?\s*[-—–]{1,2}\s*(?=[A-Z“\"])"
)


def outlet_of(text: str) -> str | None:
    """The outlet a cue in the text names (byline, wire tag, "listen to X articles"), or None."""
    head = text[:5000]
    for pattern in _OUTLET_CUES:
        match = pattern.search(head)
        if match:
            return match.group(1).strip()
    return None


def dateline_of(text: str) -> str | None:
    """The place of a dateline opening one of the first paragraphs ("MARIUPOL-"), or None."""
    for line in text.splitlines()[:6]:
        match = _DATELINE.match(line)
        if match and any(c.isalpha() for c in match.group(1)):
            return match.group(1).strip()
    return None


def sidecar_of(path: Path) -> dict[str, str]:
    """The metadata in `path`'s sidecar file (`NAME.meta.json`), or {} when there is none."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}: cannot read its metadata file {sidecar.name} ({exc}); fix or delete it"
        ) from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError(f'{path}: {sidecar.name} must be a JSON object of strings, e.g. {{"outlet": "AFP"}}')
    unknown = sorted(set(data) - set(SIDECAR_KEYS))
    if unknown:
        raise InputError(f"{path}: {sidecar.name} has unknown keys {unknown}; use {list(SIDECAR_KEYS)}")
    if "date" in data and not is_iso_date(data["date"]):
        raise InputError(f"{path}: {sidecar.name} date must be written YYYY-MM-DD, not {data['date']!r}")
    return dict(data)


def with_metadata(document: Document, path: Path, outlet: str | None = None) -> Document:
    """`document` with outlet and dateline filled in; the sidecar, then `outlet`, win over the text."""
    given = sidecar_of(path)
    if outlet and "outlet" not in given:
        given["outlet"] = outlet
    found = replace(
        document,
        outlet=document.outlet or outlet_of(document.text),
        dateline=document.dateline or dateline_of(document.text),
    )
    if not given:
        return found
    return replace(
        found,
        outlet=given.get("outlet", found.outlet),
        dateline=given.get("dateline", found.dateline),
        title=given.get("title", found.title),
        date=given.get("date", found.date),
        sha256=versioned(document.sha256, given),
    )


def versioned(sha256: str, given: dict[str, str]) -> str:
    """The version recorded for a file whose bytes hash to `sha256` and whose metadata `given`
    (sidecar, or `--outlet`) says more: a change of either is a new version, re-indexed."""
    if not given:
        return sha256
    key = json.dumps(given, sort_keys=True)
    return hashlib.sha256(f"{sha256}\n{key}".encode()).hexdigest()


def same_version(recorded: str, data: bytes, path: Path, outlet: str | None) -> bool:
    """True when the file's bytes `data` (at `path`, indexed with `outlet`) are the version
    `recorded`: the metadata it was indexed with is read again from the sidecar and the outlet."""
    sha256 = hashlib.sha256(data).hexdigest()
    given = sidecar_of(path)
    versions = {sha256, versioned(sha256, given)}
    if outlet:
        versions.add(versioned(sha256, {"outlet": outlet, **given}))
    return recorded in versions
