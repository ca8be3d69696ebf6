"""A quote-heavy source costs answers no more than the passages they serve.

`quote_heavy` writes an article with one attributed quote per line. The fast test counts what
the quote lookup reads; the `slow` one prints ask() latency before and after a 1.4 MB source with
thousands of quotes, and runs 20 concurrent askers checking every citation.
"""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.models import Answer, Passage
from tests.conftest import assert_citations_exact

NAMES = ["Olena Kovalenko", "Petro Shevchuk", "Iryna Bondar", "Taras Melnyk", "Oksana Lysenko"]
HARBOUR = (
    "Harbour news\n\n"
    "The harbour master Mykola Hrytsenko said on Monday that 12 ships were waiting to unload grain. "
    "“We expect the queue to clear within a week,” Hrytsenko said.\n"
)
QUESTIONS = ["How many ships were waiting to unload grain?", "What grew at the checkpoint this morning?"]


def quote_heavy(path: Path, lines: int) -> Path:
    """An article of `lines` lines, each an attributed quote and a sentence with a number."""
    path.write_text(
        "Checkpoint diary\n\n"
        + "".join(
            f"“The queue at checkpoint {n} grew again this morning, and the buses waited for hours,” "
            f"{NAMES[n % len(NAMES)]} said. The council counted {n * 3} cars on the bridge road.\n"
            for n in range(lines)
        ),
        encoding="utf-8",
    )
    return path


def test_quote_lookup_reads_only_the_quotes_inside_the_passages(tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    quote_heavy(tmp_path / "diary.txt", 400)
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest(["harbour.txt", "diary.txt"])
    store = assistant.quote_index.store
    read: dict[str, int] = {"everything": 0, "get": 0}
    everything, get = store.everything, store.get

    def counted_everything(*args: Any, **kwargs: Any) -> Any:
        rows = list(everything(*args, **kwargs))
        read["everything"] += len(rows)
        return iter(rows)

    def counted_get(*args: Any, **kwargs: Any) -> Any:
        hits = get(*args, **kwargs)
        read["get"] += len(hits)
        return hits

    store.everything = counted_everything  # type: ignore[method-assign]
    store.get = counted_get  # type: ignore[method-assign]
    assistant.quote_index.within(assistant.retrieve(QUESTIONS[1], k=5))  # a file version's offsets: once
    read.update(everything=0, get=0)
    passages = assistant.retrieve("checkpoint 250 queue buses", k=5)
    assert {p.source for p in passages} == {"diary.txt"}
    found = assistant.quote_index.within(passages)
    inside = [q for q in found if any(_inside(q.start_char, q.end_char, p) for p in passages)]
    assert found == inside and len(found) >= 5
    assert read == {"everything": 0, "get": len(found)}  # not the 400 quotes of the file


def _inside(start: int, end: int, passage: Passage) -> bool:
    return passage.start_char <= start <= end <= passage.end_char


def _p50_ask(assistant: Assistant, rounds: int = 10) -> float:
    times = []
    for n in range(rounds):
        started = time.perf_counter()
        assistant.ask(QUESTIONS[n % 2])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.mark.slow
def test_a_quote_heavy_source_keeps_answers_fast_and_exact_under_load(tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    quote_heavy(tmp_path / "seed_diary.txt", 40)
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest(["harbour.txt", "seed_diary.txt"])
    assistant.ask(QUESTIONS[0])  # warm the model and caches
    before = _p50_ask(assistant)
    heavy = quote_heavy(tmp_path / "diary.txt", 8600)  # 1.41 MB
    started = time.perf_counter()
    assistant.ingest([heavy])
    ingest_seconds = time.perf_counter() - started
    quotes = len(assistant.quotes(sources=["diary.txt"], k=100_000))
    assistant.ask(QUESTIONS[1])
    after = _p50_ask(assistant)

    answers: list[Answer] = []
    errors: list[BaseException] = []

    def asker(n: int) -> None:
        try:
            for round_ in range(3):
                answers.append(assistant.ask(QUESTIONS[(n + round_) % 2]))
        except BaseException as exc:  # every failure counts, whatever its class
            errors.append(exc)

    threads = [threading.Thread(target=asker, args=(n,)) for n in range(20)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    wall = time.perf_counter() - started
    wrong = 0
    for answer in answers:
        try:
            assert_citations_exact(answer)
        except AssertionError:
            wrong += 1
    machine = subprocess.run(["sh", "-c", "lscpu | grep 'Model name'"], capture_output=True, text=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"\n{machine.stdout.strip()}; load average {' '.join(load)}\n"
        f"quote-heavy source: {heavy.stat().st_size / 1e6:.2f} MB, {quotes} quotes, ingested in "
        f"{ingest_seconds:.1f} s\nask() p50 before {before * 1000:.0f} ms, after {after * 1000:.0f} ms "
        f"({after / before:.2f}x)\n20 concurrent askers x 3: {len(answers)} answers in {wall:.1f} s "
        f"({len(answers) / wall:.2f}/s), {wrong} with a wrong citation, {len(errors)} errors"
    )
    assert not errors and wrong == 0 and len(answers) == 60
    assert all(a.citations for a in answers)
