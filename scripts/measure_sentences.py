"""The project's sentence splitter (`assistant/text/sentences.py`) beside spaCy's: agreement and speed.

    python scripts/measure_sentences.py ../shared/eval/polnear/dev/text [--runs 3]

PolNeAR has no gold sentences, so agreement is measured between splitters: the share of one's
sentence spans (exact character offsets) that the other gives too, and boundary precision and
recall of each spaCy splitter against the project's. spaCy runs per line (paragraph), as the
project's splitter treats every line break as a sentence end; `sentencizer` is spaCy's rule
splitter, `senter` the small model's statistical one, `parser` the sentences of the full
dependency parse. Speed: CPU seconds for all texts, each splitter timed in turn, `--runs`
times, alternating, in one process; the smallest of each is printed.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.attribution.parsing import MODEL_PACKAGE  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402

Splitter = Callable[[str], list[tuple[int, int]]]


def spacy_splitters() -> dict[str, Splitter]:
    """spaCy's sentencizer, senter and parser, each run per line, as character spans."""
    from importlib import resources

    import spacy

    folder = str(resources.files(MODEL_PACKAGE) / f"{MODEL_PACKAGE}-3.8.0")
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    senter = spacy.load(folder, exclude=["parser", "ner", "lemmatizer", "attribute_ruler"])
    senter.enable_pipe("senter")
    parser = spacy.load(folder, exclude=["ner", "lemmatizer", "senter"])

    def per_line(nlp: spacy.Language) -> Splitter:
        def split(text: str) -> list[tuple[int, int]]:
            lines = list(re.finditer(r"[^\r\n]+", text))
            spans = []
            for line, doc in zip(lines, nlp.pipe(m.group() for m in lines), strict=True):
                for sent in doc.sents:
                    stripped = sent.text.strip()
                    if stripped:
                        start = line.start() + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                        spans.append((start, start + len(stripped)))
            return spans

        return split

    return {
        "spaCy sentencizer": per_line(sentencizer),
        "spaCy senter": per_line(senter),
        "spaCy parser": per_line(parser),
    }


def agreement(
    ours: list[list[tuple[int, int]]], theirs: list[list[tuple[int, int]]]
) -> tuple[float, float, float]:
    """Share of our spans they give exactly; boundary precision and recall of theirs against ours."""
    same = total = 0
    found = right = wanted = 0
    for a, b in zip(ours, theirs, strict=True):
        same += len(set(a) & set(b))
        total += len(a)
        ends_a, ends_b = {e for _, e in a}, {e for _, e in b}
        right += len(ends_a & ends_b)
        found += len(ends_b)
        wanted += len(ends_a)
    return same / max(1, total), right / max(1, found), right / max(1, wanted)


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--runs", default=3, show_default=True, type=click.IntRange(min=1))
def main(folder: Path, runs: int) -> None:
    """Compare the splitters on every .txt file of FOLDER."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    splitters: dict[str, Splitter] = {"project (sentences.py)": sentence_spans, **spacy_splitters()}
    results = {name: [split(t) for t in texts] for name, split in splitters.items()}  # also warms up
    for spans, text in ((s, t) for name in results for s, t in zip(results[name], texts, strict=True)):
        assert all(text[a:b] == text[a:b].strip() and b > a for a, b in spans)  # exact, trimmed offsets
    seconds = {name: float("inf") for name in splitters}
    for _ in range(runs):
        for name, split in splitters.items():
            started = time.process_time()
            for text in texts:
                split(text)
            seconds[name] = min(seconds[name], time.process_time() - started)
    ours = results["project (sentences.py)"]
    print(f"{len(texts)} texts of {folder}, {sum(map(len, ours))} sentences by the project's splitter")
    print(
        "| splitter | sentences | same spans as the project's | boundary precision | recall "
        "| CPU s (all texts) |"
    )
    print("|---|---|---|---|---|---|")
    for name, found in results.items():
        same, precision, recall = agreement(ours, found)
        print(
            f"| {name} | {sum(map(len, found))} | {same:.3f} | {precision:.3f} | {recall:.3f} "
            f"| {seconds[name]:.3f} |"
        )


if __name__ == "__main__":
    main()
