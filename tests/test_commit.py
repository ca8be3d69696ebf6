"""A file is seen whole or not at all: chunks of a file an ingest stored before a real `kill -9`,
but never recorded in the manifest, are not searched, cited or quoted."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from assistant import Assistant

CHILD = """
import sys, time
import assistant.attribution.quote_index as quote_index
from assistant import Assistant

write = quote_index.QuoteIndex.write


def write_then_hang(index, updates):
    # Called after a batch's chunks are stored and before the files are recorded.
    write(index, updates)
    print("chunks stored", flush=True)
    time.sleep(600)


quote_index.QuoteIndex.write = write_then_hang
Assistant(data_dir=sys.argv[1]).ingest([sys.argv[2]])
"""
ARTICLE = (
    "Dam inspection\n\n"
    "Inspectors found 14 cracks in the Kakhovka spillway on Tuesday, the engineer Roman Dudnyk said. "
    "“The spillway will hold for now,” Dudnyk said.\n"
)
QUESTION = "How many cracks did inspectors find in the Kakhovka spillway?"


def test_chunks_of_a_file_killed_before_its_record_are_never_found(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("Weather\n\nIt rained in Odesa on Monday, forecasters said.\n")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest(["old.txt"])
    assistant.store.release()
    (tmp_path / "dam.txt").write_text(ARTICLE, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "index"), "dam.txt"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "chunks stored"
    child.send_signal(signal.SIGKILL)
    child.wait()

    reader = Assistant(data_dir=tmp_path / "index")
    assert reader.store.ids_where({"source": "dam.txt"})  # the chunks are there, unrecorded
    assert [s.source for s in reader.sources()] == ["old.txt"]
    for mode in ("hybrid", "dense", "lexical"):
        assert all(p.source == "old.txt" for p in reader.retrieve(QUESTION, k=5, mode=mode))
    answer = reader.ask(QUESTION)
    assert all(c.source == "old.txt" for c in answer.citations)
    assert reader.quotes(speaker="Dudnyk") == [] and reader.quotes(query="spillway will hold") == []

    reader.ingest(["dam.txt"])  # the next ingest finishes the job: now it is seen, whole
    assert reader.retrieve(QUESTION, k=1)[0].source == "dam.txt"
    assert {q.speaker for q in reader.quotes(speaker="Dudnyk")} == {"Roman Dudnyk"}
