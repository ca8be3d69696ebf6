"""The embedding backend of a new index is chosen for the CPU from its ISA flags; an index keeps
the backend its vectors were made with, on any machine, and never mixes in another's vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from vectorstore import Embedder, ModelMismatchError
from vectorstore.embeddings import BF16_SUFFIX
from vectorstore.isa import CHOICE_FILE, choose_backend, cpu_info, isa_summary

EPYC = ("AMD EPYC", frozenset("fpu avx2 avx512f avx512_vnni avx512_bf16 avx_vnni".split()))
XEON = (
    "Intel(R) Xeon(R) Platinum 8480+",
    frozenset("avx2 avx512f avx512_vnni avx512_bf16 amx_bf16 amx_int8".split()),
)


def never(backend: str) -> float:
    raise AssertionError(f"{backend} was timed")


def test_without_amx_the_int8_graph_is_chosen_without_measuring(tmp_path: Path) -> None:
    assert choose_backend(tmp_path, EPYC, timer=never) == "onnx-int8"
    assert choose_backend(tmp_path, ("old", frozenset({"sse4_2"})), timer=never) == "onnx-int8"
    assert not (tmp_path / CHOICE_FILE).exists()


def test_with_amx_both_candidates_are_timed_once_and_the_faster_is_remembered(tmp_path: Path) -> None:
    timed: list[str] = []

    def timer(backend: str) -> float:
        timed.append(backend)
        return {"onnx-int8": 2.0, "torch-bf16": 1.5}[backend]

    assert choose_backend(tmp_path, XEON, timer=timer) == "torch-bf16"
    assert sorted(set(timed)) == ["onnx-int8", "torch-bf16"]
    assert choose_backend(tmp_path, XEON, timer=never) == "torch-bf16"  # read back, not measured
    record = json.loads((tmp_path / CHOICE_FILE).read_text())
    [(key, choice)] = record.items()
    assert key.startswith("Intel(R) Xeon") and "amx_bf16" in key
    assert choice["backend"] == "torch-bf16" and choice["cpu_seconds"] == {
        "onnx-int8": 2.0,
        "torch-bf16": 1.5,
    }
    # another CPU model is measured for itself
    other = ("Intel(R) Xeon(R) 6", XEON[1])
    assert (
        choose_backend(tmp_path, other, timer=lambda b: {"onnx-int8": 1.0, "torch-bf16": 3.0}[b])
        == "onnx-int8"
    )


def test_the_measurement_times_the_real_models(tmp_path: Path) -> None:
    chosen = choose_backend(tmp_path, XEON)
    seconds = json.loads((tmp_path / CHOICE_FILE).read_text())[f"{XEON[0]}|{isa_summary(XEON[1])}"][
        "cpu_seconds"
    ]
    assert chosen in {"onnx-int8", "torch-bf16"} and all(s > 0 for s in seconds.values())
    assert chosen == min(seconds, key=seconds.get)


def test_this_cpus_flags_are_read() -> None:
    model, flags = cpu_info()
    assert model and isinstance(flags, frozenset)
    assert cpu_info(Path("/no/such/cpuinfo")) == ("unknown", frozenset())


def test_bf16_vectors_are_close_to_fp32_and_the_same_in_any_batch() -> None:
    texts = [f"Sentence number {i} about the steel plant{'s' * i}." for i in range(9)] + [
        "The council of the district voted on Tuesday to repair the bridge before winter. " * 3
    ]
    bf16 = Embedder(backend="torch-bf16")
    batched = bf16.embed(texts)
    one_by_one = np.vstack([bf16.embed([t]) for t in texts])
    assert np.array_equal(one_by_one, batched)
    assert np.array_equal(Embedder(backend="torch-bf16", batch_size=3).embed(texts), batched)
    fp32 = Embedder(backend="torch").embed(texts)
    assert np.min(np.sum(fp32 * batched, axis=1)) > 0.9999


def test_an_index_keeps_its_backend_and_refuses_another_ones_vectors(tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text(
        "Harbour news\n\nThe harbour master said on Monday that 12 ships were waiting to unload grain.\n",
        encoding="utf-8",
    )
    index = tmp_path / "bf16"
    Assistant(data_dir=index, embedding_backend="torch-bf16").ingest(["harbour.txt"])
    reopened = Assistant(data_dir=index)  # on any machine: the backend the index records
    assert reopened.embedder.backend == "torch-bf16" and reopened.embedder.name.endswith(BF16_SUFFIX)
    assert "12 ships" in reopened.retrieve("How many ships were waiting?", k=1)[0].text
    with pytest.raises(ModelMismatchError, match=r"\+bf16'.*--embedding-backend torch-bf16"):
        Assistant(data_dir=index, embedding_backend="onnx-int8")
    # a new index gets this CPU's choice
    assert Assistant(data_dir=tmp_path / "new").embedder.backend == choose_backend(tmp_path / "choices")
