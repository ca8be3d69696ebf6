"""The Python API on the seeds, on embedded Chroma and on a real Chroma server."""

import json
import shutil
from pathlib import Path

import pytest
from langchain_core.retrievers import BaseRetriever

from assistant import Assistant, InputError, Passage
from assistant.ingest.reading import read_document
from tests.conftest import line_of, run_cli
from vectorstore import ModelMismatchError
from vectorstore.modelfiles import bundled_model_dir

QUESTION = "Who said Russian troops were driven out of Azovstal?"
FOX = "seeds/002_33031038dede83a4.txt"
AFP = "seeds/000_729b03bd7a238ff7.txt"


def all_passages(assistant: Assistant) -> list[Passage]:
    return assistant.retrieve("Azovstal", k=1000)


def assert_exact(passage: Passage, root: Path) -> None:
    text = (root / passage.source).read_bytes().decode("utf-8-sig")
    assert text[passage.start_char : passage.end_char] == passage.text
    assert passage.start_line == line_of(text, passage.start_char)
    assert passage.end_line == line_of(text, passage.end_char - 1)


def test_ingest_then_every_passage_points_at_its_exact_place(
    store_options: dict, seeds: Path, tmp_path: Path
) -> None:
    assistant = Assistant(**store_options)
    report = assistant.ingest([seeds])
    assert sorted(report.added) == [AFP, FOX]
    assert not report.failed and report.chunks > 0
    passages = all_passages(assistant)
    assert len(passages) == report.chunks
    for passage in passages:
        assert_exact(passage, tmp_path)
    [fox_title] = {p.title for p in passages if p.source == FOX}
    assert fox_title.startswith("The battle for the Azovstal steel plant")  # not its site line
    assert {p.date for p in passages if p.source == FOX} == {"2022-05-05"}
    assert [(s.source, s.chunks) for s in assistant.sources()] == [
        (AFP, sum(p.source == AFP for p in passages)),
        (FOX, sum(p.source == FOX for p in passages)),
    ]


def test_the_adviser_question_finds_the_fox_passage_first(store_options: dict, seeds: Path) -> None:
    assistant = Assistant(**store_options)
    assistant.ingest([seeds])
    best = assistant.retrieve(QUESTION, k=3)[0]
    assert best.source == FOX
    assert "They were driven out by our defenders" in best.text
    assert 0 < best.score <= 1


def test_a_second_ingest_embeds_nothing(
    store_options: dict, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = Assistant(**store_options)
    first = assistant.ingest([seeds])
    count = assistant.store.count()

    def no_embedding(texts: list[str]) -> None:
        raise AssertionError(f"embedded {len(texts)} texts on an unchanged ingest")

    monkeypatch.setattr(assistant.embedder, "embed", no_embedding)
    second = assistant.ingest([seeds])
    assert sorted(second.unchanged) == sorted(first.added)
    assert second.added == second.replaced == [] and second.chunks == 0
    assert assistant.store.count() == count


def test_an_edited_file_replaces_its_chunks(store_options: dict, seeds: Path) -> None:
    assistant = Assistant(**store_options)
    assistant.ingest([seeds])
    fox = seeds / "002_33031038dede83a4.txt"
    old = "They were driven out by our defenders"
    new = "Every invader was repelled by the garrison of the steelworks"
    fox.write_text(fox.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    report = assistant.ingest([seeds])
    assert report.replaced == [FOX] and report.unchanged == [AFP]
    passages = all_passages(assistant)
    assert not [p for p in passages if old in p.text]
    assert sum(p.source == FOX for p in passages) == len(assistant.chunker.chunk(read_document(fox)))
    best = assistant.retrieve("Who says every invader was repelled by the garrison?", k=1)[0]
    assert new in best.text


def test_sources_filter_and_langchain_retriever(store_options: dict, seeds: Path) -> None:
    assistant = Assistant(**store_options)
    assistant.ingest([seeds])
    only_afp = assistant.retrieve(QUESTION, k=5, sources=[AFP])
    assert only_afp and {p.source for p in only_afp} == {AFP}

    retriever = assistant.as_retriever(k=2)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke(QUESTION)
    assert len(documents) == 2
    meta = documents[0].metadata
    assert set(meta) - {"outlet", "dateline", "extracted", "page_starts", "path"} == {
        "source",
        "title",
        "date",
        "start_char",
        "end_char",
        "start_line",
        "end_line",
        "score",
    }
    assert documents[0].page_content == assistant.retrieve(QUESTION, k=1)[0].text


def test_data_persists_into_a_new_process(store_options: dict, seeds: Path, tmp_path: Path) -> None:
    Assistant(**store_options).ingest([seeds])
    if "data_dir" in store_options:
        options = ["--data-dir", str(store_options["data_dir"])]
    else:
        options = [
            "--chroma-host",
            store_options["chroma_host"],
            "--chroma-port",
            str(store_options["chroma_port"]),
        ]
    result = run_cli(*options, "search", QUESTION, "-k", "2", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    passages = json.loads(result.stdout)
    assert passages[0]["source"] == FOX
    assert "They were driven out by our defenders" in passages[0]["text"]


def test_an_index_refuses_a_different_model(store_options: dict, seeds: Path, tmp_path: Path) -> None:
    Assistant(**store_options).ingest([seeds])
    other = tmp_path / "other-model"
    shutil.copytree(bundled_model_dir(), other)
    with pytest.raises(ModelMismatchError, match="all-MiniLM-L6-v2") as error:
        Assistant(**store_options, model=str(other))
    assert "other-model" in str(error.value)


def test_chroma_never_embeds_by_itself(store_options: dict, seeds: Path) -> None:
    assistant = Assistant(**store_options)
    assistant.ingest([seeds])
    collection = assistant.store._existing()  # the raw Chroma collection
    with pytest.raises(Exception, match=r"(?i)embedding function"):
        collection.query(query_texts=["Azovstal"], n_results=1)


def test_bad_arguments_are_clear_errors(tmp_path: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    with pytest.raises(InputError, match="empty"):
        assistant.retrieve("  ")
    with pytest.raises(InputError, match="k must be"):
        assistant.retrieve("x", k=0)
    with pytest.raises(InputError, match="No paths"):
        assistant.ingest([])
    assert assistant.retrieve("anything") == []
