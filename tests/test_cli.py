"""The `assistant` command in real processes, as a user runs it."""

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from assistant.records import Passage
from tests.conftest import free_port, run_cli

QUESTION = "Who said Russian troops were driven out of Azovstal?"


def test_ingest_search_sources_and_a_second_ingest(seeds: Path, tmp_path: Path) -> None:
    ingest = run_cli("ingest", "seeds", cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "Ingest summary" in ingest.stdout
    assert (tmp_path / ".assistant").is_dir()  # the default data dir, under the working directory

    search = run_cli("search", QUESTION, "--json", cwd=tmp_path)
    assert search.returncode == 0, search.stderr
    passages = json.loads(search.stdout)
    assert len(passages) == 5
    assert all(set(p) == {f.name for f in fields(Passage)} for p in passages)
    assert passages[0]["source"] == "seeds/002_33031038dede83a4.txt"
    assert "They were driven out by our defenders" in passages[0]["text"]

    sources = json.loads(run_cli("sources", "--json", cwd=tmp_path).stdout)
    assert [set(s) for s in sources] == [{"source", "title", "chunks"}] * 2
    assert [s["source"] for s in sources] == [
        "seeds/000_729b03bd7a238ff7.txt",
        "seeds/002_33031038dede83a4.txt",
    ]

    again = run_cli("ingest", "seeds", "--json", cwd=tmp_path)
    report = json.loads(again.stdout)
    assert len(report["unchanged"]) == 2 and report["chunks"] == 0 and report["added"] == []


def test_failed_files_are_listed_and_set_exit_code_3(seeds: Path, tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes(b"Caf\xe9 society in Kyiv.")
    result = run_cli("ingest", "seeds/000_729b03bd7a238ff7.txt", "missing.txt", "latin1.txt", cwd=tmp_path)
    assert result.returncode == 3
    assert "missing.txt: no such file or directory" in result.stdout
    assert "latin1.txt: not valid UTF-8" in result.stdout
    listed = json.loads(run_cli("sources", "--json", cwd=tmp_path).stdout)
    assert [s["source"] for s in listed] == ["seeds/000_729b03bd7a238ff7.txt"]


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    port = free_port()
    cases = [
        (["--model", str(tmp_path / "no-such-model"), "search", "x"], "no-such-model"),
        (["--chroma-host", "127.0.0.1", "--chroma-port", str(port), "sources"], f"127.0.0.1:{port}"),
        (["search", "   "], "query is empty"),
    ]
    for args, expected in cases:
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1, result
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], result.stderr


def test_settings_come_from_the_environment(seeds: Path, tmp_path: Path) -> None:
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "elsewhere")}
    assert run_cli("ingest", "seeds", cwd=tmp_path, env=env).returncode == 0
    assert (tmp_path / "elsewhere").is_dir() and not (tmp_path / ".assistant").exists()
    bad = run_cli("sources", cwd=tmp_path, env={"ASSISTANT_CHROMA_PORT": "not-a-port"})
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_python_dash_m_and_help(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0
    for command in ("ingest", "search", "sources"):
        assert command in result.stdout
