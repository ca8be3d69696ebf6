"""The store under faults caused for real: a Chroma server paused or killed, a full or
read-only disk, damaged index files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.errors import IndexWriteError
from assistant.settings import Settings
from tests.conftest import ChromaServer, add_filler, run_cli, start_chroma_server
from tests.test_ingest import expected_contents, index_contents, write_corpus
from vectorstore import ChromaStore, StoreUnavailableError, VectorStoreError

QUESTION = "Who said Russian troops were driven out of Azovstal?"


def server_settings(server: ChromaServer, timeout: float = 2.0) -> Settings:
    return Settings(chroma_host=server.host, chroma_port=server.port, chroma_timeout=timeout)


@pytest.mark.server
def test_a_paused_server_fails_within_the_timeout_and_answers_again_when_resumed(
    chroma_server: ChromaServer, seeds: Path
) -> None:
    assistant = Assistant(settings=server_settings(chroma_server, timeout=2.0))
    assistant.ingest([seeds])
    assert assistant.retrieve(QUESTION, k=1)
    os.kill(chroma_server.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match=r"did not answer within 2 s") as error:
            assistant.retrieve(QUESTION, k=1)
        assert time.monotonic() - started < 15  # bounded by the timeout, not hung
        assert f"{chroma_server.host}:{chroma_server.port}" in str(error.value)
        cli = run_cli(
            "--chroma-host",
            chroma_server.host,
            "--chroma-port",
            str(chroma_server.port),
            "--chroma-timeout",
            "1",
            "search",
            "Azovstal",
            cwd=seeds.parent,
        )
        assert cli.returncode == 1 and len(cli.stderr.strip().splitlines()) == 1, cli.stderr
    finally:
        os.kill(chroma_server.process.pid, signal.SIGCONT)
    assert assistant.ask(QUESTION).grounded


@pytest.mark.server
def test_a_killed_server_gives_a_clear_error_and_a_restarted_one_answers(
    chroma_server: ChromaServer, seeds: Path
) -> None:
    assistant = Assistant(settings=server_settings(chroma_server))
    assistant.ingest([seeds])
    chroma_server.process.kill()
    chroma_server.process.wait()
    with pytest.raises(
        StoreUnavailableError, match=f"Cannot reach Chroma server 127.0.0.1:{chroma_server.port}"
    ):
        assistant.retrieve(QUESTION, k=1)
    restarted = _restart(chroma_server)
    try:
        assert assistant.retrieve(QUESTION, k=1)[0].source == "seeds/002_33031038dede83a4.txt"
    finally:
        restarted.stop()


def _restart(server: ChromaServer) -> ChromaServer:
    """The same storage on the same port, as after an operator restarts the server."""
    for _ in range(50):
        try:
            return start_chroma_server(server.path, port=server.port)
        except RuntimeError:
            time.sleep(0.2)
    raise RuntimeError("the Chroma server did not come back")


@pytest.mark.server
@pytest.mark.slow
def test_a_server_killed_during_an_ingest_then_reingest_leaves_no_duplicates(
    chroma_server: ChromaServer, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "corpus", articles=6)  # more than one batch of chunks
    address = ["--chroma-host", chroma_server.host, "--chroma-port", str(chroma_server.port)]
    child = subprocess.Popen(
        [*_assistant_command(), *address, "ingest", "corpus"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_passages(chroma_server, child)  # the first batch is stored: kill in mid-ingest
    chroma_server.process.kill()
    chroma_server.process.wait()
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 1, stderr
    assert f"Chroma server 127.0.0.1:{chroma_server.port}" in stderr and "Traceback" not in stderr

    restarted = _restart(chroma_server)
    try:
        again = run_cli(*address, "ingest", "corpus", "--json", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assistant = Assistant(chroma_host=chroma_server.host, chroma_port=chroma_server.port)
        assert index_contents(assistant) == expected_contents(assistant, tmp_path / "corpus")
        places = Counter((m["source"], m["start_char"]) for _, _, m in assistant.store.everything())
        assert max(places.values()) == 1
    finally:
        restarted.stop()


def _wait_for_passages(server: ChromaServer, child: subprocess.Popen[str]) -> None:
    import chromadb

    client = chromadb.HttpClient(host=server.host, port=server.port)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and child.poll() is None:
        names = {getattr(c, "name", c) for c in client.list_collections()}
        if "passages" in names and client.get_collection("passages").count() > 0:
            return
        time.sleep(0.05)
    raise AssertionError("the ingest stored nothing, or finished, before the server could be killed")


def _assistant_command() -> list[str]:
    from tests.conftest import ASSISTANT_BIN

    return [str(ASSISTANT_BIN)]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 30 MB file system (tmpfs), unmounted after the test."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=30m", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_fails_the_ingest_cleanly_and_keeps_what_was_stored(
    small_disk: Path, seeds: Path, tmp_path: Path
) -> None:
    data_dir = small_disk / "index"
    assistant = Assistant(data_dir=data_dir)
    assistant.ingest([seeds])
    before = index_contents(assistant)
    write_corpus(tmp_path / "corpus", articles=1)
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * (free - 64 * 1024))  # leave 64 KB

    with pytest.raises((VectorStoreError, IndexWriteError), match="full or read-only"):
        assistant.ingest([tmp_path / "corpus"])
    result = run_cli("--data-dir", str(data_dir), "ingest", "corpus", cwd=tmp_path)
    assert result.returncode == 1 and "full or read-only" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr

    found = json.loads(
        run_cli("--data-dir", str(data_dir), "search", QUESTION, "--json", cwd=tmp_path).stdout
    )
    assert found[0]["source"] == "seeds/002_33031038dede83a4.txt"
    filler.unlink()
    reopened = Assistant(data_dir=data_dir)
    assert {s: c for s, c in index_contents(reopened).items() if s.startswith("seeds/")} == before
    report = reopened.ingest([tmp_path / "corpus"])  # space again: the ingest completes
    assert not report.failed and len(report.added) == 1


def test_a_disk_another_program_fills_mid_write_says_no_space_and_the_index_stays_fine(
    tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=80m", "tmpfs", str(disk)], check=True)
    try:
        assistant = Assistant(data_dir=disk / "index")
        assistant.ingest([seeds])
        add_filler(assistant, 3000)  # the vector index in files of its own, compacted on writes
        filler = disk / "filler"

        bump = ChromaStore._bump_generation

        def another_program_fills_the_disk(store: ChromaStore, collection: object) -> None:
            """Once the write's room was checked and it began, as a program writing elsewhere would."""
            bump(store, collection)
            if not filler.exists():
                left = shutil.disk_usage(disk).free - 300_000
                subprocess.run(["fallocate", "-l", str(left), str(filler)], check=True)

        monkeypatch.setattr(ChromaStore, "_bump_generation", another_program_fills_the_disk)
        vectors = np.random.default_rng(2).normal(size=(2000, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with pytest.raises(StoreUnavailableError, match="no space") as failure:
            assistant.store.add(
                ids=[f"more-{i}" for i in range(2000)],
                texts=["more"] * 2000,
                metadatas=[{"source": "more", "start_char": i} for i in range(2000)],
                embeddings=vectors,
            )
        assert "damaged" not in str(failure.value)
        monkeypatch.undo()
        filler.unlink()

        searched = run_cli("--data-dir", str(disk / "index"), "search", QUESTION, "--json", cwd=tmp_path)
        assert searched.returncode == 0, searched.stderr
        assert json.loads(searched.stdout)[0]["source"] == "seeds/002_33031038dede83a4.txt"
        # Reopened as a new process would (reopened in this process, Chroma's count once waited
        # forever on the client whose write had failed: noted for a hardening issue).
        listed = run_cli("--data-dir", str(disk / "index"), "sources", "--json", cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        expected = {f"seeds/{p.name}" for p in seeds.iterdir()}
        assert {s["source"] for s in json.loads(listed.stdout)} == expected
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_read_only_data_dir_refuses_to_ingest_and_still_answers(
    small_disk: Path, seeds: Path, tmp_path: Path
) -> None:
    data_dir = small_disk / "index"
    assert run_cli("--data-dir", str(data_dir), "ingest", "seeds", cwd=tmp_path).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    (tmp_path / "new.txt").write_text("A new article about the grain corridor.\n")

    result = run_cli("--data-dir", str(data_dir), "ingest", "new.txt", cwd=tmp_path)
    assert result.returncode == 1 and "read-only or full" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: Cannot create the lock file")
    found = json.loads(
        run_cli("--data-dir", str(data_dir), "search", QUESTION, "--json", cwd=tmp_path).stdout
    )
    assert found[0]["source"] == "seeds/002_33031038dede83a4.txt"


def _damaged_copy(source: Path, target: Path, how: str) -> None:
    shutil.copytree(source, target)
    if how == "truncated database":
        database = target / "chroma.sqlite3"
        with database.open("r+b") as handle:
            handle.truncate(database.stat().st_size // 3)
    elif how == "scrambled data_level0.bin":  # the graph's neighbour ids: native code once crashed
        for path in target.glob("*/data_level0.bin"):
            if path.stat().st_size:
                path.write_bytes(np.random.default_rng(7).bytes(path.stat().st_size))
    else:  # scrambled vector index files
        for name in ("header.bin", "link_lists.bin"):
            for path in target.glob(f"*/{name}"):
                path.write_bytes(np.random.default_rng(3).bytes(path.stat().st_size or 512))


@pytest.mark.parametrize("how", ["truncated database", "scrambled vector index", "scrambled data_level0.bin"])
def test_a_damaged_index_says_run_reindex_and_reindex_restores_it(
    how: str, seeds: Path, tmp_path: Path
) -> None:
    original = tmp_path / "original"
    assistant = Assistant(data_dir=original)
    assistant.ingest([seeds])
    add_filler(assistant, 3000)  # past Chroma's in-memory threshold: the vector index is in files
    assistant.store.release()
    copy = tmp_path / "copy"
    _damaged_copy(original, copy, how)

    for command in (["search", QUESTION], ["sources"]):
        result = run_cli("--data-dir", str(copy), *command, cwd=tmp_path)
        assert result.returncode == 1, (result.returncode, result.stdout)  # -11: SIGSEGV
        assert "damaged" in result.stderr and "assistant reindex" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr

    rebuilt = run_cli("--data-dir", str(copy), "reindex", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    found = json.loads(run_cli("--data-dir", str(copy), "search", QUESTION, "--json", cwd=tmp_path).stdout)
    assert found[0]["source"] == "seeds/002_33031038dede83a4.txt"
    restored = Assistant(data_dir=copy)
    assert index_contents(restored) == expected_contents(restored, seeds)
    if how == "truncated database":
        assert "moved to" in rebuilt.stdout and list(copy.glob("damaged-*/chroma.sqlite3"))
