"""Ingest time with the parser-based attribution against the patterns alone, in one process.

    python scripts/bench_attribution.py ../shared/eval/polnear/dev --articles 20 --runs 2

Copies the first ARTICLES texts of a PolNeAR split to a temporary folder (nothing is kept),
loads the embedding model before the clock starts, then ingests them into fresh indexes,
alternating: quotes found by the patterns alone (`parse=False`, as before the parser) and by the
patterns with the spaCy parse. The first parsed run includes loading spaCy (once per process,
started in the background when the ingest plans its first file); later ones do not. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import assistant.attribution.quote_index as quote_index  # noqa: E402
from assistant.api import Assistant  # noqa: E402
from assistant.attribution.parsing import load_parser_in_background  # noqa: E402
from assistant.attribution.quotes import find_quotes  # noqa: E402


def _nothing() -> None:
    pass


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("split", type=Path)
    options.add_argument("--articles", type=int, default=20)
    options.add_argument("--runs", type=int, default=2)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "articles").mkdir()
        texts = sorted((args.split / "text").glob("*.txt"))[: args.articles]
        for path in texts:
            shutil.copy(path, work / "articles" / path.name)
        characters = sum(len(p.read_text(encoding="utf-8")) for p in texts)
        Assistant(data_dir=work / "warm").embedder.embed(["load the model before the clock starts"])
        timings: dict[str, list[float]] = {"patterns only": [], "patterns + spaCy parse": []}
        for run in range(args.runs):
            for label, parse in (("patterns only", False), ("patterns + spaCy parse", True)):
                quote_index.find_quotes = lambda *a, parse=parse, **k: find_quotes(*a, parse=parse, **k)
                # the patterns alone need no parser: do not start loading it in their runs
                quote_index.load_parser_in_background = load_parser_in_background if parse else _nothing
                assistant = Assistant(data_dir=work / f"index-{run}-{parse}")
                started = time.perf_counter()
                assistant.ingest([work / "articles"])
                timings[label].append(time.perf_counter() - started)
                print(f"run {run + 1}, {label}: {timings[label][-1]:.1f} s", file=sys.stderr)
    base = timings["patterns only"]
    print(f"{len(texts)} articles, {characters:,} characters, {args.runs} runs each, alternating\n")
    print("| attribution | ingest seconds per run | vs patterns only |")
    print("|---|---|---|")
    for label, values in timings.items():
        ratios = ", ".join(f"{v / b:.2f}" for v, b in zip(values, base, strict=True))
        print(f"| {label} | {', '.join(f'{v:.1f}' for v in values)} | {ratios} |")


if __name__ == "__main__":
    main()
