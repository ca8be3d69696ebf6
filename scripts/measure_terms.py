"""Retrieval hit@1 and hit@5 with each way of making content words (`assistant/text/terms.py`).

    python scripts/measure_terms.py ../shared/eval/nq-qed-tune.jsonl [--sample N]

The articles are indexed once (dense vectors do not depend on the words); for each variant the
BM25 index is rebuilt and the scorer's word lists forgotten, then the BM25, fused and hybrid
rankings are scored as `assistant eval nq` scores them. Variants: the hand-written suffix
stripper with the project's stop words (`words.STOP_WORDS`), Snowball English (PyStemmer, as
bm25s uses it) with the same stop words, and Snowball with bm25s's English stop words.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import Assistant  # noqa: E402
from assistant.evaluation.datasets import sample, write_nq  # noqa: E402
from assistant.evaluation.runner import run_config  # noqa: E402
from assistant.text import terms as terms_module  # noqa: E402
from assistant.text.words import STOP_WORDS  # noqa: E402


def variants() -> dict[str, tuple[Callable[[str], str], frozenset[str]]]:
    """Each variant's stemmer and stop words."""
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    snowball = Stemmer.Stemmer("english").stemWord
    return {
        "hand-written stem, project stop words": (terms_module.stem, frozenset(STOP_WORDS)),
        "Snowball (PyStemmer), project stop words": (snowball, frozenset(STOP_WORDS)),
        "Snowball (PyStemmer), bm25s stop words": (snowball, frozenset(STOPWORDS_EN)),
    }


@contextmanager
def words_made_by(stem: Callable[[str], str], stop_words: frozenset[str]) -> Iterator[None]:
    """`terms()` with this stemmer and these stop words for the length of the block."""
    saved = terms_module.stem, terms_module.STOP_WORDS
    terms_module.stem, terms_module.STOP_WORDS = stem, stop_words  # type: ignore[assignment]
    try:
        yield
    finally:
        terms_module.stem, terms_module.STOP_WORDS = saved  # type: ignore[assignment]


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sample", "n", type=click.IntRange(min=1), help="Questions to draw (default: all).")
@click.option("--seed", default=7, show_default=True)
def main(path: Path, n: int | None, seed: int) -> None:
    """Index PATH (Natural Questions in QED's layout) once; score each variant's rankings."""
    from rich.progress import Progress

    with tempfile.TemporaryDirectory(prefix="measure-terms-") as scratch:
        work = Path(scratch)
        questions = sample(write_nq(path, work / "files"), n, seed)
        Assistant(data_dir=work / "index").ingest([work / "files"])
        print(f"{len(questions)} questions of {path}")
        print("| words | ranking | hit@1 | hit@5 |\n|---|---|---|---|")
        for name, (stem, stop_words) in variants().items():
            with words_made_by(stem, stop_words):
                shutil.rmtree(work / "index" / "lexical", ignore_errors=True)  # rebuilt with these words
                assistant = Assistant(data_dir=work / "index")
                for mode in ("lexical", "fused", "hybrid"):

                    def search(
                        query: str, k: int, mode: str = mode, engine: Assistant = assistant
                    ) -> list[tuple[str, int, int]]:
                        found = engine.retrieve(query, k=k, mode=mode)
                        return [(Path(p.source).name, p.start_char, p.end_char) for p in found]

                    with Progress(transient=True) as progress:
                        figures = run_config(mode, search, questions, progress).summary()
                    print(f"| {name} | {mode} | {figures['hit@1']} | {figures['hit@5']} |", flush=True)


if __name__ == "__main__":
    main()
