"""Shared fixtures: every data directory under tmp_path, real model, real Chroma."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.models import Answer

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
ASSISTANT_BIN = Path(sys.executable).parent / "assistant"
CHROMA_BIN = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder (ONNX exports) for the whole session: the model is exported once."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, session_cache: Path) -> None:
    """No test reads the user's ASSISTANT_* settings or writes outside the test's folders."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(session_cache))  # also seen by `assistant` processes
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the seed articles at `./seeds` (the working directory is tmp_path)."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ChromaServer:
    """A real `chroma run` process on 127.0.0.1."""

    host: str
    port: int
    path: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_chroma_server(path: Path, port: int | None = None) -> ChromaServer:
    port = port or free_port()
    log = (path.parent / f"chroma-{port}.log").open("ab")
    process = subprocess.Popen(
        [str(CHROMA_BIN), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = ChromaServer("127.0.0.1", port, path, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return server
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"chroma run did not start on 127.0.0.1:{port}")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A fresh Chroma server with its own storage, stopped after the test."""
    server = start_chroma_server(tmp_path / "chroma-server")
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "server"])
def store_options(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, object]:
    """Assistant keyword arguments for each backend a behaviour must hold on."""
    if request.param == "embedded":
        return {"data_dir": tmp_path / "index"}
    server = request.getfixturevalue("chroma_server")
    return {"chroma_host": server.host, "chroma_port": server.port}


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this one's without the user's `ASSISTANT_*` settings
    or another app's `GRADIO_TEMP_DIR`, with `extra` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "GRADIO_TEMP_DIR"}
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `assistant` console script in a new process."""
    return subprocess.run(
        [str(ASSISTANT_BIN), *args],
        cwd=cwd,
        env=child_env(**(env or {})),
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def served(code: str, *args: str, cwd: Path, timeout: float = 300, **env: str) -> Iterator[str]:
    """Run the Python `code` (which serves the web app on port `sys.argv[1]`, then `args`) in a
    subprocess in `cwd`; its URL once it answers (a login page too), until the block ends.

    Its output goes to `cwd/server.log`; `env` is added to `child_env()`.
    """
    port = free_port()
    env.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    log = (cwd / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(port), *args],
        cwd=cwd,
        env=child_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout  # a fresh cache exports the model first
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except urllib.error.HTTPError:
                break  # up: it asks for a login
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the app server did not start at {url}; see {cwd}/server.log"
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def run_script(name: str, *args: str) -> str:
    """Run `scripts/NAME` with this Python and give what it printed; fails the test if it fails."""
    script = Path(__file__).resolve().parent.parent / "scripts" / name
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=True
    ).stdout


def write_polnear_article(folder: Path, name: str, text: str, ann: str) -> None:
    """One article of a made-up PolNeAR-style split in `folder`: its text and its BRAT standoff."""
    for part, content, suffix in (("text", text, ".txt"), ("attributions", ann, "_x.ann")):
        (folder / part).mkdir(parents=True, exist_ok=True)
        (folder / part / (name + suffix)).write_text(content, encoding="utf-8")


def line_of(text: str, offset: int) -> int:
    """1-based line number of the character at `offset`."""
    return text.count("\n", 0, offset) + 1


def assert_citations_exact(answer: Answer) -> None:
    """Each citation's file text, sliced by its offsets, is its quote; its lines are right."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}, (answer.text, answer.citations)
    for citation in answer.citations:
        # HTML and PDF: offsets count in the stored extracted text that the citation names;
        # else the file, by its canonical path (the source name may be relative to another folder).
        where = citation.extracted or citation.path or citation.source
        text = (Path.cwd() / where).read_bytes().decode("utf-8-sig")
        assert text[citation.start_char : citation.end_char] == citation.quote
        assert citation.start_line == line_of(text, citation.start_char)
        assert citation.end_line == line_of(text, citation.end_char - 1)
        assert 0 < len(citation.quote) < 600  # a sentence or two, never a whole chunk
    if not answer.grounded:
        assert answer.citations == []


@pytest.fixture(autouse=True)
def _every_answer_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test asks, in any mode, every Answer produced is checked for exact citations."""
    ask, stream = Assistant.ask, Assistant.stream

    def checked_ask(self: Assistant, *args: Any, **kwargs: Any) -> Answer:
        answer = ask(self, *args, **kwargs)
        assert_citations_exact(answer)
        return answer

    def checked_stream(self: Assistant, *args: Any, **kwargs: Any) -> Iterator[str | Answer]:
        for piece in stream(self, *args, **kwargs):
            if isinstance(piece, Answer):
                assert_citations_exact(piece)
            yield piece

    monkeypatch.setattr(Assistant, "ask", checked_ask)
    monkeypatch.setattr(Assistant, "stream", checked_stream)


def indexed(folder: Path, articles: dict[str, str], **settings: Any) -> Assistant:
    """An Assistant whose index (in `folder`/index) holds `articles` (file name -> text), written
    to `folder`/news and ingested: the small made-up corpus a test asks its questions of."""
    (folder / "news").mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / "news" / name).write_text(text, encoding="utf-8")
    assistant = Assistant(data_dir=folder / "index", **settings)
    assistant.ingest([folder / "news"])
    return assistant


def add_filler(assistant: Assistant, count: int) -> None:
    """Store `count` random unit vectors: past Chroma's in-memory threshold (1,000), the vector
    index lives in its own files."""
    import numpy as np

    filler = np.random.default_rng(1).normal(size=(count, 384)).astype(np.float32)
    filler /= np.linalg.norm(filler, axis=1, keepdims=True)
    assistant.store.add(
        ids=[f"filler-{i}" for i in range(count)],
        texts=["filler"] * count,
        metadatas=[{"source": "filler", "start_char": i} for i in range(count)],
        embeddings=filler,
    )


@pytest.fixture
def fake_embedder() -> Any:
    """A deterministic stand-in for the embedding model (tests/fakes.py): the fast tier's."""
    from tests.fakes import FakeEmbedder

    return FakeEmbedder()
