"""Ingestion you can trust: sync semantics, crashes, concurrent writers and readers, model changes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from assistant import Assistant, reindex
from assistant.errors import IngestBusyError
from assistant.ingest.discovery import find_files
from assistant.ingest.locking import writer_lock
from assistant.ingest.pipeline import ingest
from assistant.ingest.reading import read_document
from assistant.settings import Settings
from tests.conftest import SHARED, assert_citations_exact, run_cli
from vectorstore import ModelMismatchError
from vectorstore.modelfiles import bundled_model_dir


def index_contents(assistant: Assistant) -> dict[str, set[tuple[str, str]]]:
    """What the store holds: source -> {(chunk id, text)}."""
    found: dict[str, set[tuple[str, str]]] = {}
    for chunk_id, text, meta in assistant.store.everything():
        found.setdefault(str(meta["source"]), set()).add((chunk_id, text))
    return found


def expected_contents(assistant: Assistant, folder: Path) -> dict[str, set[tuple[str, str]]]:
    """What a clean ingest of `folder` as it is now would store."""
    expected = {}
    for path, problem in find_files([folder]):
        assert problem is None
        document = read_document(path)
        expected[document.source] = {(c.id, c.text) for c in assistant.chunker.chunk(document)}
    return expected


def test_unchanged_files_are_neither_chunked_nor_embedded(seeds: Path, tmp_path: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([seeds])

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was chunked or embedded")

    assistant.chunker.chunk = forbidden  # type: ignore[method-assign]
    assistant.embedder.embed = forbidden  # type: ignore[method-assign]
    assistant.embedder.embed_in_context = forbidden  # type: ignore[method-assign]
    report = assistant.ingest([seeds])
    assert len(report.unchanged) == 2 and report.chunks == 0


def test_quotes_are_found_beside_the_chunks_model_pass_and_a_failure_there_records_nothing(
    tmp_path: Path,
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "harbour.txt").write_text(
        "Harbour works resume\n\n"
        "“The cranes will be back by spring,” said Mira Olsen, the port’s director, on Monday.\n\n"
        "Dock workers had waited since the storm for the repairs to start.\n",
        encoding="utf-8",
    )
    assistant = Assistant(data_dir=tmp_path / "index")
    prepare = assistant.quote_index.prepare
    threads: list[int] = []

    def failing(plans: object) -> object:
        threads.append(threading.get_ident())
        raise OSError("quote search failed")

    assistant.quote_index.prepare = failing  # type: ignore[method-assign]
    with pytest.raises(OSError, match="quote search failed"):
        assistant.ingest([articles])
    assert threads and threads[0] != threading.get_ident()  # on a thread of its own
    assert assistant.store.manifest() == {}  # the batch's file is not recorded: the next ingest redoes it
    assert not any(
        t.name.startswith(("embedder", "quote-finder", "chroma-writer")) for t in threading.enumerate()
    )

    assistant.quote_index.prepare = prepare  # type: ignore[method-assign]
    report = assistant.ingest([articles])
    assert report.added == ["articles/harbour.txt"]
    assert [(q.speaker, q.quote) for q in assistant.quotes()] == [
        ("Mira Olsen", "The cranes will be back by spring")
    ]


def test_a_failed_batch_write_stops_the_ingest_and_no_later_batch_is_recorded(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(4):
        (articles / f"report-{n}.txt").write_text(
            f"Report {n}\n\n“The ferry {n} sails at dawn,” said Ana Ruiz, the harbour master.\n",
            encoding="utf-8",
        )
    assistant = Assistant(data_dir=tmp_path / "index")
    add = assistant.store.add
    calls: list[int] = []

    def second_write_fails(**records: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        add(**records)  # type: ignore[arg-type]

    assistant.store.add = second_write_fails  # type: ignore[method-assign]
    interval = sys.getswitchinterval()  # an ingest leaves Python's switch interval alone
    with pytest.raises(OSError, match="disk full"):
        ingest(
            [articles], assistant.store, assistant.embedder, assistant.chunker,
            batch_chunks=1, quotes=assistant.quote_index,
        )  # fmt: skip
    assert list(assistant.store.manifest()) == ["articles/report-0.txt"]  # the batch written before
    assert len(calls) == 2  # no batch after the failed one was written
    assert sys.getswitchinterval() == interval
    assert not any(
        t.name.startswith(("embedder", "quote-finder", "chroma-writer")) for t in threading.enumerate()
    )

    assistant.store.add = add  # type: ignore[method-assign]
    report = assistant.ingest([articles])
    assert sorted(report.added) == [f"articles/report-{n}.txt" for n in (1, 2, 3)]
    assert report.unchanged == ["articles/report-0.txt"] and len(assistant.quotes()) == 4


def test_an_edited_files_old_chunks_never_show_up_again(store_options: dict, seeds: Path) -> None:
    assistant = Assistant(**store_options)
    assistant.ingest([seeds])
    fox = seeds / "002_33031038dede83a4.txt"
    fox.write_text("Mariupol update. The steel plant was quiet overnight, a resident told reporters.\n")
    report = assistant.ingest([seeds])
    assert report.replaced == ["seeds/002_33031038dede83a4.txt"]
    assert index_contents(assistant) == expected_contents(assistant, seeds)
    found = assistant.retrieve("driven out by our defenders Arestovych", k=20, sources=[report.replaced[0]])
    assert [p.text for p in found] == [fox.read_text().strip()]


def test_prune_and_remove_drop_sources_and_nothing_else(
    store_options: dict, seeds: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "kept.txt").write_text("A report from Kharkiv about the school reopening.\n")
    assistant = Assistant(**store_options)
    assistant.ingest([seeds, other])
    (seeds / "000_729b03bd7a238ff7.txt").unlink()
    (other / "kept.txt").rename(other / "moved.txt")  # outside the pruned path: kept as it was

    report = assistant.ingest([seeds], prune=True)
    assert report.removed == ["seeds/000_729b03bd7a238ff7.txt"]
    assert [s.source for s in assistant.sources()] == ["other/kept.txt", "seeds/002_33031038dede83a4.txt"]

    assert assistant.remove(["other/kept.txt"]) == ["other/kept.txt"]
    assert [s.source for s in assistant.sources()] == ["seeds/002_33031038dede83a4.txt"]
    assert set(index_contents(assistant)) == {"seeds/002_33031038dede83a4.txt"}
    with pytest.raises(Exception, match=r"Not in the index: nope\.txt"):
        assistant.remove(["nope.txt"])


def test_cli_prune_and_remove(seeds: Path, tmp_path: Path) -> None:
    assert run_cli("ingest", "seeds", cwd=tmp_path).returncode == 0
    (seeds / "000_729b03bd7a238ff7.txt").unlink()
    pruned = json.loads(run_cli("ingest", "seeds", "--prune", "--json", cwd=tmp_path).stdout)
    assert pruned["removed"] == ["seeds/000_729b03bd7a238ff7.txt"]
    removed = run_cli("remove", "seeds/002_33031038dede83a4.txt", cwd=tmp_path)
    assert removed.returncode == 0 and "removed seeds/002_33031038dede83a4.txt" in removed.stdout
    assert json.loads(run_cli("sources", "--json", cwd=tmp_path).stdout) == []


SENTENCES = [
    "The governor said the convoy reached Zaporizhzhia on Sunday.",
    "Officials in Kyiv denied the report.",
    "A spokesman said talks would resume next week.",
    "The mayor told residents to stay in shelters.",
    "Witnesses described heavy shelling near the port.",
    "The ministry said 40 people were evacuated.",
]


class FolderSync(RuleBasedStateMachine):
    """Random create / edit / delete / ingest / prune over a small folder.

    After every ingest the index holds exactly the chunks of the files ingested, at their
    current version; after every prune, nothing of deleted files.
    """

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(os.environ["FOLDER_SYNC_ROOT"]) / f"run-{random.getrandbits(48):x}"
        self.folder = self.root / "news"
        self.folder.mkdir(parents=True)
        self.assistant = Assistant(data_dir=self.root / "index")
        self.indexed: dict[str, set[tuple[str, str]]] = {}  # what the index must hold

    def teardown(self) -> None:
        self.assistant.store.release()
        shutil.rmtree(self.root, ignore_errors=True)

    @rule(
        name=st.sampled_from(["a.txt", "b.txt", "c.md", "deep/d.txt"]),
        picks=st.lists(st.integers(0, 5), min_size=1, max_size=12),
    )
    def write(self, name: str, picks: list[int]) -> None:
        path = self.folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(" ".join(SENTENCES[i] for i in picks) + "\n")

    @precondition(lambda self: any(self.folder.rglob("*.*")))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        files = sorted(p for p in self.folder.rglob("*") if p.is_file())
        data.draw(st.sampled_from(files)).unlink()

    @rule(prune=st.booleans())
    def ingest(self, prune: bool) -> None:
        report = self.assistant.ingest([self.folder], prune=prune)
        assert not report.failed
        current = expected_contents(self.assistant, self.folder)
        self.indexed.update(current)
        if prune:
            self.indexed = current
        assert index_contents(self.assistant) == self.indexed
        sources = {s.source: s.chunks for s in self.assistant.sources()}
        assert sources == {s: len(chunks) for s, chunks in self.indexed.items()}

    @invariant()
    def no_duplicate_passages(self) -> None:
        texts = Counter(
            (meta["source"], meta["start_char"]) for _, _, meta in self.assistant.store.everything()
        )
        assert all(n == 1 for n in texts.values())


@pytest.mark.slow
def test_random_create_edit_delete_ingest_prune_keeps_the_index_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLDER_SYNC_ROOT", str(tmp_path))
    run_state_machine_as_test(
        FolderSync,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_a_second_writer_is_refused_or_waits(seeds: Path, tmp_path: Path) -> None:
    settings_ = Settings(data_dir=tmp_path / ".assistant")
    lock = tmp_path / ".assistant" / "ingest.lock"
    with writer_lock(lock, "test"):
        refused = run_cli("ingest", "seeds", cwd=tmp_path)
        assert refused.returncode == 1
        assert "Another ingest is writing to data dir .assistant (pid" in refused.stderr
        assert "--wait" in refused.stderr
        with pytest.raises(IngestBusyError):
            Assistant(settings=settings_).ingest([seeds])

    holder = threading.Thread(target=lambda: _hold(lock, seconds=3))
    holder.start()
    time.sleep(0.5)
    waited = run_cli("ingest", "seeds", "--wait", "60", "--json", cwd=tmp_path)
    holder.join()
    assert waited.returncode == 0, waited.stderr
    assert len(json.loads(waited.stdout)["added"]) == 2


def _hold(lock: Path, seconds: float) -> None:
    with writer_lock(lock, "test"):
        time.sleep(seconds)


def write_corpus(folder: Path, articles: int) -> None:
    """Real news-like text: SQuAD articles, one file per article."""
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads((SHARED / "eval" / "squad-dev-v1.1.json").read_text())["data"]
    for n, article in enumerate(data[:articles]):
        text = "\n\n".join(p["context"] for p in article["paragraphs"])
        (folder / f"{n:03d}_{article['title'][:30]}.txt").write_text(article["title"] + "\n\n" + text + "\n")


@pytest.mark.slow
def test_the_api_keeps_answering_and_sees_what_a_cli_ingest_adds(seeds: Path, tmp_path: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / ".assistant")
    assistant.ingest([seeds])
    write_corpus(tmp_path / "more", articles=3)
    answers: list[str] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                answers.append(assistant.ask("How long did the siege of Azovstal last?").text)
            except BaseException as exc:
                errors.append(exc)
                return

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        result = run_cli("ingest", "more", cwd=tmp_path)
    finally:
        stop.set()
        asker.join()
    assert result.returncode == 0, result.stderr
    assert not errors and len(answers) >= 2
    new_source = sorted(s.name for s in (tmp_path / "more").iterdir())[0]
    best = assistant.retrieve("Super Bowl 50 Denver Broncos", k=1)[0]  # written by the other process
    assert best.source == f"more/{new_source}"
    assert {s.source for s in assistant.sources()} >= {f"more/{new_source}"}


def test_twenty_threads_asking_at_once_all_get_verbatim_citations(seeds: Path, tmp_path: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([seeds])
    questions = [
        "How long did the siege of Azovstal last?",
        "Who said Russian troops were driven out of Azovstal?",
        "What did the Kremlin say about fighting at the plant?",
        "How many civilians were evacuated?",
    ]
    results: dict[int, object] = {}
    barrier = threading.Barrier(20)

    def ask(n: int) -> None:
        barrier.wait()
        try:
            results[n] = assistant.ask(questions[n % len(questions)])
        except BaseException as exc:
            results[n] = exc

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    alone = {q: assistant.ask(q) for q in questions}
    for n in range(20):
        answer = results[n]
        assert not isinstance(answer, BaseException), answer
        assert_citations_exact(answer)  # type: ignore[arg-type]
        assert answer.text == alone[questions[n % len(questions)]].text  # type: ignore[union-attr]
        assert answer.grounded  # type: ignore[union-attr]


def test_a_model_change_is_refused_and_reindex_rebuilds(seeds: Path, tmp_path: Path) -> None:
    other_model = tmp_path / "other-model"
    shutil.copytree(bundled_model_dir(), other_model)  # same weights, but another model to the index
    data_dir = tmp_path / ".assistant"
    Assistant(data_dir=data_dir).ingest([seeds])

    with pytest.raises(ModelMismatchError, match="reindex"):
        Assistant(data_dir=data_dir, model=str(other_model))
    refused = run_cli("--model", str(other_model), "ingest", "seeds", cwd=tmp_path)
    assert refused.returncode == 1 and "assistant reindex" in refused.stderr

    rebuilt = run_cli("--model", str(other_model), "reindex", "--json", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert sorted(json.loads(rebuilt.stdout)["added"]) == [
        "seeds/000_729b03bd7a238ff7.txt",
        "seeds/002_33031038dede83a4.txt",
    ]
    assistant = Assistant(data_dir=data_dir, model=str(other_model))
    assert index_contents(assistant) == expected_contents(assistant, seeds)
    with pytest.raises(ModelMismatchError):
        Assistant(data_dir=data_dir)  # now the old model is the stranger
    report = reindex(Settings(data_dir=data_dir))  # and back, through the Python API
    assert len(report.added) == 2 and not report.failed


CHILD = """
import sys
import assistant.ingest.pipeline as ingestion
from assistant import Assistant
from assistant.ingest.batching import Batch
ingestion.BATCH_CHUNKS = 16  # many small batches: kills land in every phase of a write
flush = Batch.flush


def flush_and_say(batch):
    done = flush(batch)
    print("stored", flush=True)  # the parent counts batches to choose its moment
    return done


Batch.flush = flush_and_say
assistant = Assistant(data_dir=sys.argv[1])
assistant.embedder.embed(["warm up"])
print("ready", flush=True)
assistant.ingest([sys.argv[2]])
print("done", flush=True)
"""


@pytest.mark.slow
def test_sigkill_at_random_moments_then_ingest_again_gives_a_clean_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, articles=8)
    data_dir = tmp_path / "index"
    rng = random.Random(5)
    kills = 0
    for attempt in range(11):
        if attempt == 5:  # edit files half way: the kills now also land in replacements
            for path in sorted(corpus.iterdir())[::2]:
                path.write_text(path.read_text().replace(" the ", " THE ", 40))
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), str(corpus)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        # A moment chosen by progress, not by the clock: after 0 to 2 stored batches, plus a
        # random part of the next one (embedding, storing, deleting, recording).
        for _ in range(rng.randint(0, 2)):
            child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.5))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
    assert kills >= 10

    assistant = Assistant(data_dir=data_dir)
    report = assistant.ingest([corpus])
    assert not report.failed
    assert index_contents(assistant) == expected_contents(assistant, corpus)
    clean = Assistant(data_dir=tmp_path / "clean")
    clean.ingest([corpus])
    assert {s.source: s.chunks for s in assistant.sources()} == {s.source: s.chunks for s in clean.sources()}
    first = sorted(corpus.iterdir())[1]
    question = first.read_text().split("\n")[2][:120]
    assert assistant.retrieve(question, k=1)[0].source == f"corpus/{first.name}"
