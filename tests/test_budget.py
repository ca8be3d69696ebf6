"""A file whose quotes cost more than its budget is indexed with its passages and no quotes,
and the ingest report says why: one such file never stalls the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.attribution.budget import QuotesStopped, limited
from assistant.attribution.quotes import find_quotes
from assistant.models import FileProblem
from tests.test_people import many_speakers

HARBOUR = (
    "Harbour news\n\n"
    "The harbour master Mykola Hrytsenko said on Monday that 12 ships were waiting to unload grain. "
    "“We expect the queue to clear within a week,” Hrytsenko said.\n"
)


def test_finding_quotes_stops_once_the_file_has_used_its_steps() -> None:
    text = many_speakers(60)
    with limited(steps=40), pytest.raises(QuotesStopped, match="40 steps"):
        find_quotes(text, "a.txt")
    with limited(steps=None, cpu_seconds=None):
        assert len(find_quotes(text, "a.txt")) == 60
    assert len(find_quotes(text, "a.txt")) == 60  # no budget outside `limited`


def test_a_file_over_its_budget_is_indexed_without_quotes_and_the_report_says_why(tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (tmp_path / "digest.txt").write_text("Digest\n\n" + many_speakers(300), encoding="utf-8")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.quote_index.steps = 200  # the digest needs about 1,500
    report = assistant.ingest(["harbour.txt", "digest.txt"])
    assert sorted(report.added) == ["digest.txt", "harbour.txt"] and report.ok
    assert report.quotes_stopped == [
        FileProblem("digest.txt", "finding quotes stopped after 200 steps (its work budget)")
    ]
    assert report.to_dict()["quotes_stopped"] == [
        {"source": "digest.txt", "reason": "finding quotes stopped after 200 steps (its work budget)"}
    ]
    assert {(q.source, q.speaker) for q in assistant.quotes()} == {("harbour.txt", "Mykola Hrytsenko")}
    assert {s.source for s in assistant.sources() if s.chunks} == {"digest.txt", "harbour.txt"}
    hits = assistant.retrieve("Who will repair bridge 217 before winter?", k=5)
    assert any("bridge 217 " in h.text for h in hits)
