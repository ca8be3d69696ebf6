"""The record of sources under faults caused for real: an emptied or deleted `chroma.sqlite3`
is damage, never an empty index, and no command but `remove` / `--prune` forgets a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant
from tests.conftest import run_cli

ARTICLES = {
    "harbour.txt": "Harbour reopens after storm\n\nThe harbour of Velmora reopened on Monday after "
    "a storm closed it for nine days, the port authority said.\n",
    "bridge.txt": "Bridge repairs finished\n\nWorkers finished repairing the Kasten bridge on "
    "Friday, two weeks ahead of the schedule the city council set in March.\n",
    "library.txt": "Library extends its hours\n\nThe public library of Orlen will stay open until "
    "ten in the evening from June, its director Mara Quill announced.\n",
}


def _write_articles(folder: Path, articles: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text)


def _listed(data_dir: Path, cwd: Path) -> set[str]:
    result = run_cli("--data-dir", str(data_dir), "sources", "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return {entry["source"] for entry in json.loads(result.stdout)}


def _empty(database: Path) -> None:
    database.write_bytes(b"")  # `: > chroma.sqlite3`


@pytest.mark.parametrize("fault", ["emptied", "deleted"])
def test_a_lost_database_is_damage_and_no_ingest_forgets_the_recorded_sources(
    fault: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "index"
    _write_articles(tmp_path / "news", ARTICLES)
    _write_articles(
        tmp_path / "new",
        {
            "ferry.txt": "Ferry timetable changes\n\nThe ferry to Aska "
            "will leave at seven from next week, the operator said.\n"
        },
    )
    assert run_cli("--data-dir", str(data_dir), "ingest", "news", cwd=tmp_path).returncode == 0
    recorded = json.loads((data_dir / "sources.json").read_text())
    assert set(recorded) == {f"news/{name}" for name in ARTICLES}

    database = data_dir / "chroma.sqlite3"
    _empty(database) if fault == "emptied" else database.unlink()

    for command in (["ingest", "new"], ["sources"], ["search", "harbour storm"]):
        result = run_cli("--data-dir", str(data_dir), *command, cwd=tmp_path)
        assert result.returncode == 1, (command, result.stdout)
        assert "damaged" in result.stderr and "Run `assistant reindex`" in result.stderr, result.stderr
        assert "lost 3 of the 3 source files" in result.stderr
        assert "Traceback" not in result.stderr
    assert json.loads((data_dir / "sources.json").read_text()) == recorded  # nothing forgotten

    rebuilt = run_cli("--data-dir", str(data_dir), "reindex", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _listed(data_dir, tmp_path) == set(recorded)  # every file restored, under its own name
    assert run_cli("--data-dir", str(data_dir), "ingest", "new", cwd=tmp_path).returncode == 0
    assert _listed(data_dir, tmp_path) == set(recorded) | {"new/ferry.txt"}
    found = json.loads(
        run_cli("--data-dir", str(data_dir), "search", "harbour storm", "--json", cwd=tmp_path).stdout
    )
    assert found[0]["source"] == "news/harbour.txt"


def test_only_remove_and_prune_shrink_the_record_of_sources(tmp_path: Path) -> None:
    data_dir = tmp_path / "index"
    _write_articles(tmp_path / "news", ARTICLES)
    assistant = Assistant(data_dir=data_dir)
    assistant.ingest([tmp_path / "news"])

    def remembered() -> set[str]:
        return set(json.loads((data_dir / "sources.json").read_text()))

    assistant.ingest([tmp_path / "news" / "bridge.txt"])  # an ingest of one file forgets no other
    assert remembered() == {f"news/{name}" for name in ARTICLES}
    assistant.remove(["news/bridge.txt"])
    assert remembered() == {"news/harbour.txt", "news/library.txt"}
    (tmp_path / "news" / "bridge.txt").unlink()
    (tmp_path / "news" / "library.txt").unlink()
    assert assistant.ingest([tmp_path / "news"], prune=True).removed == ["news/library.txt"]
    assert remembered() == {"news/harbour.txt"}
    assert [s.source for s in Assistant(data_dir=data_dir).sources()] == ["news/harbour.txt"]
