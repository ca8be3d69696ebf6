"""A source is one file whatever the working directory: ingested from two folders it is one
source, a process started elsewhere opens it, `reindex` keeps its name, and another file that
happens to have the same relative name is a source of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.interfaces.web_panels import quote_in_file
from tests.conftest import run_cli

ARTICLES = {
    "harbour.txt": "Harbour reopens after the storm\n\nThe harbour of Velmora reopened on Monday after "
    "a storm closed it for nine days, the port authority said.\n",
    "bridge.txt": "Bridge repairs finished early\n\nWorkers finished repairing the Kasten bridge on "
    "Friday, two weeks ahead of the schedule the city council set in March.\n",
}
QUESTION = "How long was the harbour of Velmora closed?"


def _listed(data_dir: Path, cwd: Path) -> dict[str, int]:
    result = run_cli("--data-dir", str(data_dir), "sources", "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return {entry["source"]: entry["chunks"] for entry in json.loads(result.stdout)}


def test_a_file_is_one_source_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = tmp_path / "desk"
    (desk / "news").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (desk / "news" / name).write_text(text)
    data_dir = tmp_path / "index"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    assert run_cli("--data-dir", str(data_dir), "ingest", "news", cwd=desk).returncode == 0
    names = {"news/harbour.txt": 1, "news/bridge.txt": 1}
    assert _listed(data_dir, desk) == names
    # the same files from the parent folder: the same sources, nothing added or embedded
    again = run_cli("--data-dir", str(data_dir), "ingest", "desk/news", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _listed(data_dir, tmp_path) == names
    assert _listed(data_dir, elsewhere) == names

    # a process started elsewhere cites each file once and opens it
    monkeypatch.chdir(elsewhere)
    answer = Assistant(data_dir=data_dir).ask(QUESTION)
    assert answer.grounded and [c.source for c in answer.citations] == ["news/harbour.txt"]
    text, problem = quote_in_file(answer.citations[0])
    assert problem is None and text == ARTICLES["harbour.txt"]

    # reindex from elsewhere keeps every name
    rebuilt = run_cli("--data-dir", str(data_dir), "reindex", cwd=elsewhere)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _listed(data_dir, elsewhere) == names

    # another file that happens to have the same relative name is another source
    other = tmp_path / "other"
    (other / "news").mkdir(parents=True)
    (other / "news" / "harbour.txt").write_text(
        "Harbour fees rise\n\nThe harbour of Orlen will charge higher fees from July, its board said.\n"
    )
    assert run_cli("--data-dir", str(data_dir), "ingest", "news", cwd=other).returncode == 0
    assert _listed(data_dir, elsewhere) == {**names, (other / "news" / "harbour.txt").as_posix(): 1}
