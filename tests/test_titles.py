"""Titles of articles made up here: a headline line, never a date or a line of site furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.ingest.titles import title_of


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Harbour strike ends in Tallinn\n\nThe strike ended on Monday.\n", "Harbour strike ends in Tallinn"),
        ("# Vote *count* delayed\n\nThe count was delayed.\n", "Vote *count* delayed"),
        (
            "date 2024-03-02 NEW You can now listen to Example News articles!\nBridge opens\n\nBody.\n",
            "Bridge opens",
        ),
        (
            "May 5, 2022\nPublished 10:00 GMT\nSubscribe to our newsletter\nWho won the vote?\n\nBody.\n",
            "Who won the vote?",
        ),
        (
            "The mayor opened the bridge on Monday. Crowds cheered.\n",
            "The mayor opened the bridge on Monday.",
        ),
        ("Date palms thrive in Elche\n\nBody.\n", "Date palms thrive in Elche"),
        ("2024-01-02\n\n\n", ""),
    ],
)
def test_title_is_the_first_headline_line(text: str, title: str) -> None:
    assert title_of(text) == title


def test_an_index_made_under_older_title_rules_gets_the_new_title(tmp_path: Path) -> None:
    article = tmp_path / "tram.txt"
    article.write_text(
        "Updated 2024-05-01 09:30\nTram line to Pirita opens\n\nThe Pirita tram carried 8,000 riders.\n",
        encoding="utf-8",
    )
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([article])
    [record] = assistant.store.manifest().values()
    assistant.store.record_sources(
        [{**record, "title": "Updated 2024-05-01 09:30"}]
    )  # as older rules named it
    report = assistant.ingest([article])
    assert report.replaced == ["tram.txt"]
    assert [s.title for s in assistant.sources()] == ["Tram line to Pirita opens"]
    assert {str(m["title"]) for m in assistant.store.metadatas()} == {"Tram line to Pirita opens"}


def test_a_long_first_sentence_is_cut_at_a_word_boundary() -> None:
    from assistant.ingest.titles import TITLE_MAX, title_of

    sentence = "The battle for the steel plant continues to rage as forces look to capture " * 4
    title = title_of(sentence.strip() + ".\n")
    assert len(title) <= TITLE_MAX and title.endswith("…")
    assert title[:-1].split()[-1] in sentence.split()  # a whole word before the ellipsis
