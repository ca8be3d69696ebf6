"""The vector cache (`vectors.sqlite`) damaged for real: a file that fails SQLite's integrity
check is dropped and rebuilt when the index is opened, and said so; answers are then the same
as with a clean cache."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from tests.conftest import run_cli

ARTICLES = {
    "harbour.txt": (
        "Harbour reopens after the storm\n\n"
        "The harbour of Velmora reopened on Monday after a storm closed it for nine days. "
        "The port authority said that forty ships had waited outside. "
        "Captain Ilse Marn said her crew had run low on fresh water. "
        "Repairs to the northern pier will cost about two million euros, the authority said.\n\n"
        "Fishermen returned to the harbour at dawn. Prices of fish fell by a third on the first day.\n"
    ),
    "library.txt": (
        "Library extends its hours\n\n"
        "The public library of Orlen will stay open until ten in the evening from June. "
        "Its director, Mara Quill, said students had asked for longer hours for years. "
        "The city council approved the money for two more librarians in March. "
        "The reading room on the second floor will be closed for repairs in July.\n"
    ),
    "railway.txt": (
        "Night trains to the coast\n\n"
        "A night train between Kasten and Velmora will run three times a week from September. "
        "The operator said tickets would go on sale in August. "
        "The journey will take eleven hours, with a stop in Orlen. "
        "Unions warned that the line lacked drivers for a daily service.\n"
    ),
}
QUESTIONS = [
    "How long was the harbour of Velmora closed?",
    "How many ships waited outside the harbour?",
    "What will the pier repairs cost?",
    "Who is the director of the Orlen library?",
    "When will the night train to Velmora start?",
    "How long will the train journey take?",
]


def _answers(assistant: Assistant) -> list[tuple[str, list[tuple[str, int, int]]]]:
    answers = [assistant.ask(question) for question in QUESTIONS]
    return [(a.text, [(c.source, c.start_char, c.end_char) for c in a.citations]) for a in answers]


def _integrity(path: Path) -> list[str]:
    try:
        with sqlite3.connect(path) as db:
            return [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _scramble_pages(path: Path) -> None:
    """Damage as a bad disk would: the first two cells of each leaf page swapped (keys out of
    order: the integrity check fails, yet the file opens and reads), random bytes in every
    second overflow page (vectors changed)."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(11)
    overflow = 0
    for start in range(page_size, len(data), page_size):
        if data[start] == 0x0A and int.from_bytes(data[start + 3 : start + 5]) >= 2:  # index leaf
            pointers = slice(start + 8, start + 12)
            data[pointers] = data[start + 10 : start + 12] + data[start + 8 : start + 10]
        elif data[start] == 0:  # an overflow page: the rest of a vector
            overflow += 1
            if overflow % 2:
                data[start + 100 : start + 600] = rng.bytes(500)
    path.write_bytes(bytes(data))


def test_a_damaged_vector_cache_is_dropped_rebuilt_and_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "news").mkdir()
    for name, text in ARTICLES.items():
        (tmp_path / "news" / name).write_text(text)
    data_dir = tmp_path / "index"
    clean = Assistant(data_dir=data_dir)
    clean.ingest([tmp_path / "news"])
    expected = _answers(clean)
    cache = data_dir / "vectors.sqlite"
    _scramble_pages(cache)
    assert _integrity(cache) != ["ok"]  # the fault is real

    with caplog.at_level(logging.WARNING):
        reopened = Assistant(data_dir=data_dir)
    said = " ".join(record.getMessage() for record in caplog.records)
    assert "vectors.sqlite failed SQLite's integrity check" in said and "rebuilt" in said
    assert _integrity(cache) == ["ok"]
    assert _answers(reopened) == expected

    _scramble_pages(cache)  # the CLI says so too, on stderr, and answers
    result = run_cli("--data-dir", str(data_dir), "ask", QUESTIONS[0], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "integrity check" in result.stderr and "rebuilt" in result.stderr
    assert _integrity(cache) == ["ok"]
