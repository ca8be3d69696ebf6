"""What finding quotes costs as an article names more people: it must grow with the text, not its square.

Three tables (Markdown), on files made here, one attributed quote a line:

1. `find_quotes` on 1,000 / 2,000 / 4,000 / 8,000 one-line quotes, each by a different named
   person (`Anna Bakova said "We will repair bridge 17 before the winter comes."`): CPU
   seconds of this process (other jobs on the machine count less than in wall time), wall
   seconds, and CPU milliseconds per quote, which must stay flat (within 1.5x);
2. the shape of issue 32's probe, `AideN said "yes N".`, at 2,500 / 5,000 / 10,000 / 50,000 lines;
3. `Assistant.ingest` of three such files of 6,000 speakers each (about 430 KB each, 18,000
   people in all) into a new index, with the embedding backend the index chose: wall seconds,
   and CPU seconds of this process and of the model's worker process (`vectorstore.worker`,
   which embeds the chunks and the quotes).

    python scripts/bench_speakers.py [--sizes 1000 2000] [--probe 2500] [--no-ingest]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = "We will repair bridge {} before the winter comes."
FIRST = (
    "Anna Boris Clara David Elena Farid Greta Hugo Irina Jonas Karin Leon Maria Nikolai Olga Pavel".split()
)


def surname(i: int) -> str:
    """A made-up surname of its own for each number: "Bakova", "Cekova", ..."""
    letters = ""
    while True:
        letters += "bcdfghklmnprstvz"[i % 16] + "aeiou"[i // 16 % 5]
        i //= 80
        if not i:
            return letters.capitalize() + "kova"


def speakers(n: int, first: int = 0) -> str:
    """`n` one-line quotes, each by a different named person (numbered from `first`)."""
    return "".join(
        f'{FIRST[i % len(FIRST)]} {surname(i)} said "{WORDS.format(i % 100)}"\n'
        for i in range(first, first + n)
    )


def probe(n: int) -> str:
    """Issue 32's probe: `AideN said "yes N".`, `n` lines."""
    return "".join(f'Aide{i} said "yes {i}".\n' for i in range(n))


def timed_find(text: str) -> tuple[int, float, float]:
    """(quotes, CPU seconds, wall seconds) of `find_quotes` on `text`."""
    from assistant.attribution.quotes import find_quotes

    cpu, wall = time.process_time(), time.perf_counter()
    found = find_quotes(text, "bench.txt")
    return len(found), time.process_time() - cpu, time.perf_counter() - wall


def table(title: str, sizes: list[int], make: object) -> None:
    print(f"\n{title}\n")
    print("| lines | KB | quotes | CPU s | wall s | CPU ms per quote |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        text = make(n)  # type: ignore[operator]
        quotes, cpu, wall = timed_find(text)
        per = 1000 * cpu / max(1, quotes)
        print(
            f"| {n:,} | {len(text.encode()) // 1000} | {quotes:,} | {cpu:.2f} | {wall:.2f} | {per:.3f} |",
            flush=True,
        )


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by the running child processes of this one (the
    model's worker), from /proc."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == os.getpid():
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def ingest_three(files: int, people: int) -> None:
    from assistant import Assistant

    with tempfile.TemporaryDirectory(prefix="speakers-bench-") as scratch:
        folder = Path(scratch) / "files"
        folder.mkdir()
        sizes = []
        for k in range(files):
            path = folder / f"digest-{k}.txt"
            path.write_text(speakers(people, first=k * people), encoding="utf-8")
            sizes.append(path.stat().st_size // 1000)
        assistant = Assistant(data_dir=Path(scratch) / "index")
        assistant.embedder.embed(["warm up"])  # the model loaded before the clock, as in bench.py
        from assistant.attribution.parsing import parses

        parses(["The parser loaded before the clock."])
        wall, cpu, worker = time.perf_counter(), time.process_time(), children_cpu()
        report = assistant.ingest([folder])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        worker = children_cpu() - worker
        quotes = len(assistant.quotes())
        print(
            f"\n`Assistant.ingest` of {files} files of {people:,} speakers each "
            f"({', '.join(map(str, sizes))} KB)\n"
        )
        print(
            "| backend | files | quotes stored | chunks | wall s | CPU s: this process | the worker "
            "| load average | quotes stopped |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        print(
            f"| {assistant.embedder.backend} | {len(report.added)} | {quotes:,} | {report.chunks} "
            f"| {wall:.1f} | {cpu:.1f} | {worker:.1f} | {os.getloadavg()[0]:.1f} "
            f"| {len(report.quotes_stopped)} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--probe", type=int, nargs="+", default=[2500, 5000, 10000, 50000])
    parser.add_argument("--files", type=int, default=3, help="Files ingested whole (0: none).")
    parser.add_argument("--people", type=int, default=6000, help="Speakers per ingested file.")
    args = parser.parse_args()
    from assistant.attribution.parsing import parses

    parses(["The parser loaded before the clock."])
    table("`find_quotes`, one quote a line, each by a different person", args.sizes, speakers)
    table('`find_quotes`, issue 32\'s probe: `AideN said "yes N".`', args.probe, probe)
    if args.files:
        ingest_three(args.files, args.people)


if __name__ == "__main__":
    main()
