"""The `assistant` command in real processes, as a user runs it."""

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from assistant.models import Passage
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


def test_a_messy_folder_is_ingested_file_by_file_and_every_problem_listed(tmp_path: Path) -> None:
    messy = tmp_path / "messy"
    (messy / "sub").mkdir(parents=True)
    (messy / "good.txt").write_text("Kyiv said the convoy arrived on Tuesday.\n")
    (messy / "windows.txt").write_bytes("The mayor said “we hold” – at the café.\n".encode("cp1252"))
    (messy / "sub" / "utf16.md").write_bytes("Officials said the bridge “is open”.\n".encode("utf-16"))
    (messy / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (messy / "empty.txt").write_text("  \n")
    (messy / "huge.txt").write_text("Long words. " * 20_000)
    (messy / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (messy / "io-error.txt").symlink_to("/proc/self/mem")

    result = run_cli("ingest", "messy", "missing.txt", "--max-file-mb", "0.1", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    out = result.stdout
    assert "decoded as cp125" in out and "messy/windows.txt" in out
    assert "decoded as utf-16: messy/sub/utf16.md" in out
    assert "skipped messy/photo.txt: binary data" in out
    assert "skipped messy/empty.txt: empty or whitespace only" in out
    assert "failed messy/huge.txt: 0.2 MB is over the 0.1 MB limit" in out
    assert "failed messy/gone.txt: broken symbolic link" in out
    assert "failed messy/io-error.txt: cannot read" in out
    assert "failed missing.txt: no such file or directory" in out
    listed = json.loads(run_cli("sources", "--json", cwd=tmp_path).stdout)
    assert [s["source"] for s in listed] == ["messy/good.txt", "messy/sub/utf16.md", "messy/windows.txt"]
    found = json.loads(run_cli("search", "mayor café", "-k", "1", "--json", cwd=tmp_path).stdout)
    assert found[0]["text"] == "The mayor said “we hold” – at the café."

    # Skipped files are listed but are not failures: exit code 0.
    (messy / "huge.txt").unlink()
    (messy / "gone.txt").unlink()
    (messy / "io-error.txt").unlink()
    again = run_cli("ingest", "messy", "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    report = json.loads(again.stdout)
    assert {p["source"] for p in report["skipped"]} == {"messy/photo.txt", "messy/empty.txt"}
    assert report["failed"] == [] and len(report["unchanged"]) == 3 and report["chunks"] == 0


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
