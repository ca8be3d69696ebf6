"""The ONNX backends: local export, cached and checked; vectors close to torch's; the vector cache."""

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from tests.conftest import run_cli
from vectorstore import Embedder, ModelError, ModelMismatchError, metering
from vectorstore.cache import VectorCache
from vectorstore.embeddings import DEFAULT_BACKEND, INT8_SUFFIX
from vectorstore.export import FILES, MANIFEST, exported_model
from vectorstore.modelfiles import bundled_model_dir
from vectorstore.onnx import OnnxEncoder, batches, open_session
from vectorstore.quantization import quantize_per_row_int8

TEXTS = [
    "The defenders of the city have been fighting alone for 71 days.",
    "Mariupol Mayor Vadym Boichenko on Thursday called for a full evacuation.",
    "Who is the mayor?",
    "A recipe for bread with flour, water, salt and yeast, baked for forty minutes. " * 6,
    "Azovstal",
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return Embedder(backend="torch").embed(TEXTS)


@pytest.mark.parametrize(
    ("backend", "least"), [("onnx", 0.99999), ("onnx-int8", 0.995), ("onnx-int8-dynamic", 0.99)]
)
def test_onnx_vectors_are_close_to_the_fp32_model(backend: str, least: float, reference: np.ndarray) -> None:
    vectors = Embedder(backend=backend).embed(TEXTS)
    assert vectors.shape == reference.shape and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * reference).sum(axis=1).min() > least


def test_text_beyond_the_model_window_is_cut_as_sentence_transformers_cuts_it(reference: np.ndarray) -> None:
    long = " ".join(["Azovstal steel plant"] * 200)  # far past 256 word pieces
    torch_vector = Embedder(backend="torch").embed([long])[0]
    assert float(Embedder(backend="onnx").embed([long])[0] @ torch_vector) > 0.99999


def test_the_index_name_tells_int8_vectors_apart() -> None:
    assert Embedder(backend="torch").name == Embedder(backend="onnx").name == "all-MiniLM-L6-v2"
    assert (
        Embedder(backend="onnx-int8").name == "all-MiniLM-L6-v2" + INT8_SUFFIX == "all-MiniLM-L6-v2+int8-rows"
    )
    assert Embedder(backend="onnx-int8-dynamic").name == "all-MiniLM-L6-v2+int8"  # indexes built before
    assert DEFAULT_BACKEND == "onnx-int8"
    with pytest.raises(ModelError, match="torch, onnx, onnx-int8"):
        Embedder(backend="tensorrt")


def test_export_is_made_once_then_reused(tmp_path: Path) -> None:
    embedder = Embedder(cache_dir=tmp_path)
    first = exported_model(embedder.folder, embedder.fingerprint, "onnx-int8", tmp_path)
    stamp = first.stat().st_mtime_ns
    again = exported_model(
        embedder.folder, embedder.fingerprint, "onnx-int8", tmp_path, check_source=_must_not_export
    )
    assert again == first and first.stat().st_mtime_ns == stamp
    assert json.loads((first.parent / MANIFEST).read_text())["sha256"].keys() == {
        "model.onnx",
        "model-int8-rows.onnx",
        "model-int8.onnx",
    }
    assert not [p for p in first.parent.parent.iterdir() if p.name.startswith(".")]  # no leftovers


@pytest.mark.parametrize("damage", ["truncate", "delete", "manifest"])
def test_a_damaged_export_is_detected_and_made_again(tmp_path: Path, damage: str) -> None:
    embedder = Embedder(cache_dir=tmp_path)
    path = exported_model(embedder.folder, embedder.fingerprint, "onnx-int8", tmp_path)
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a half-written file
    elif damage == "delete":
        path.unlink()
    else:
        (path.parent / MANIFEST).write_text("{")
    checked = []
    again = exported_model(
        embedder.folder, embedder.fingerprint, "onnx-int8", tmp_path, check_source=lambda: checked.append(1)
    )
    assert checked == [1]  # the source was verified before exporting again
    vectors = Embedder(backend="onnx-int8", cache_dir=tmp_path)._load().encode(TEXTS[:2])
    assert again == path and vectors.shape == (2, 384)


def test_a_tampered_source_is_refused_before_export(tmp_path: Path) -> None:
    embedder = Embedder(cache_dir=tmp_path / "cache")
    with pytest.raises(ModelError, match="sha256"):
        exported_model(
            embedder.folder,
            "0" * 64,
            "onnx",
            tmp_path / "cache",
            check_source=lambda: (_ for _ in ()).throw(ModelError("model.safetensors has sha256 0")),
        )
    assert not (tmp_path / "cache" / "onnx").exists() or not any((tmp_path / "cache" / "onnx").iterdir())


def test_a_model_that_does_not_pool_by_mean_is_refused(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "cls-model"
    shutil.copytree(bundled_model_dir(), copy)
    config = copy / "1_Pooling" / "config.json"
    settings = json.loads(config.read_text())
    config.write_text(
        json.dumps({**settings, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True})
    )
    with pytest.raises(ModelError, match="--embedding-backend torch"):
        Embedder(str(copy), backend="onnx", cache_dir=tmp_path / "cache").embed(["x"])


def test_the_vector_cache_returns_identical_vectors_without_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Embedder(vector_cache=tmp_path / "vectors.sqlite")
    vectors = first.embed(TEXTS)
    first.flush()  # written on the cache's own thread; found in memory by `first` until then
    second = Embedder(vector_cache=tmp_path / "vectors.sqlite")  # as a new process would

    def no_model(texts: list[str], *args: object) -> np.ndarray:
        raise AssertionError(f"encoded {texts} although they are cached")

    monkeypatch.setattr(second, "_encode", no_model)
    again = second.embed([TEXTS[2], *TEXTS])
    assert np.array_equal(again[1:], vectors) and np.array_equal(again[0], vectors[2])


def test_vectors_put_in_the_cache_are_found_before_their_write_lands(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "vectors.sqlite", model_key="m")
    held = threading.Event()
    cache._database._writer.submit(held.wait)  # the cache's writer thread busy until released
    vectors = np.eye(3, dtype=np.float32)
    cache.put(["a", "b", "c"], vectors)
    assert VectorCache(tmp_path / "vectors.sqlite", model_key="m").get(["a"]) == {}  # not written yet
    found = cache.get(["c", "a", "z"])
    assert set(found) == {"a", "c"} and np.array_equal(found["c"], vectors[2])
    held.set()
    cache.flush()
    again = VectorCache(tmp_path / "vectors.sqlite", model_key="m").get(["a", "b", "c"])
    assert all(np.array_equal(again[t], v) for t, v in zip("abc", vectors, strict=True))


def test_the_vector_cache_keeps_backends_apart_and_survives_damage(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    int8 = Embedder(backend="onnx-int8", vector_cache=path).embed(TEXTS[:1])
    fp32 = Embedder(backend="torch", vector_cache=path).embed(TEXTS[:1])
    assert not np.array_equal(int8, fp32)
    path.write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    vectors = Embedder(backend="torch", vector_cache=path).embed(TEXTS[:1])  # a cache: never fatal
    assert np.allclose(vectors, fp32, atol=1e-5)


def _must_not_export() -> None:
    raise AssertionError("exported again although a verified export exists")


def test_an_index_refuses_vectors_of_another_backend(seeds: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    Assistant(data_dir=index, embedding_backend="onnx-int8").ingest([seeds])
    refusal = r"'all-MiniLM-L6-v2\+int8-rows'.*--embedding-backend onnx-int8"
    with pytest.raises(ModelMismatchError, match=refusal):
        Assistant(data_dir=index, embedding_backend="torch")
    result = run_cli(
        "--data-dir", str(index), "--embedding-backend", "onnx", "search", "71 days", cwd=tmp_path
    )
    assert result.returncode == 1 and "--embedding-backend onnx-int8" in result.stderr
    assert "Traceback" not in result.stderr


def test_fp32_backends_share_an_index(seeds: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    Assistant(data_dir=index, embedding_backend="torch").ingest([seeds])
    question = "Who said Russian troops were driven out of Azovstal?"
    by_torch = Assistant(data_dir=index, embedding_backend="torch").retrieve(question, k=3, mode="dense")
    by_onnx = Assistant(data_dir=index, embedding_backend="onnx").retrieve(question, k=3, mode="dense")
    assert [p.text for p in by_onnx] == [p.text for p in by_torch]
    assert [p.score for p in by_onnx] == pytest.approx([p.score for p in by_torch], abs=1e-4)


def test_the_onnx_path_and_the_cli_never_import_torch(tmp_path: Path) -> None:
    Embedder(backend="onnx-int8").embed(["export now, in this process"])
    code = (
        "import sys\n"
        "from assistant.interfaces.cli import cli\n"
        "from vectorstore import Embedder\n"
        "assert not {'torch', 'onnxruntime', 'chromadb'} & set(sys.modules)\n"
        "Embedder(backend='onnx-int8').embed(['Who defends Azovstal?'])\n"
        "assert 'onnxruntime' in sys.modules\n"
        "assert not {'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_an_unset_backend_keeps_the_one_the_index_was_built_with(seeds: Path, tmp_path: Path) -> None:
    assert Assistant(data_dir=tmp_path / "new").embedder.backend == DEFAULT_BACKEND
    Assistant(data_dir=tmp_path / "fp32", embedding_backend="torch").ingest([seeds])
    reopened = Assistant(data_dir=tmp_path / "fp32")
    assert reopened.embedder.backend == "onnx" and reopened.embedder.name == "all-MiniLM-L6-v2"
    assert reopened.retrieve("How long have the defenders been fighting?", k=1)[0].text
    Assistant(data_dir=tmp_path / "int8").ingest([seeds])
    assert Assistant(data_dir=tmp_path / "int8").embedder.name.endswith(INT8_SUFFIX)


def test_an_index_of_the_earlier_int8_vectors_still_opens_and_explicit_onnx_int8_says_what_to_do(
    seeds: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    Assistant(data_dir=index, embedding_backend="onnx-int8-dynamic").ingest([seeds])  # as before
    reopened = Assistant(data_dir=index)
    assert reopened.embedder.backend == "onnx-int8-dynamic" and reopened.embedder.batch_size == 1
    assert reopened.retrieve("How long have the defenders been fighting?", k=1)[0].text
    with pytest.raises(ModelMismatchError, match=r"leave --embedding-backend unset.*assistant reindex"):
        Assistant(data_dir=index, embedding_backend="onnx-int8")


def test_the_int8_graph_quantizes_each_word_piece_on_its_own(tmp_path: Path) -> None:
    """A text's int8 vector is the same alone, in any batch, beside any padding."""
    texts = [*TEXTS, "Short.", "A much longer sentence about the steel plant and its defenders " * 3]
    embedder = Embedder(backend="onnx-int8")
    alone = np.vstack([embedder.embed([t]) for t in texts])
    for size in (2, 3, 16):
        assert np.allclose(Embedder(backend="onnx-int8", batch_size=size).embed(texts), alone, atol=1e-5)
    assert np.allclose(embedder.embed([texts[4], texts[3]]), alone[[4, 3]], atol=1e-5)
    encoder = embedder._load()
    for pieces in (8, 40, 10_000):  # cut by word pieces: other batch-mates, other padding
        assert np.allclose(encoder.encode(texts, batch_size=64, max_pieces=pieces), alone, atol=1e-5)


def test_many_batch_and_one_batch_calls_at_once_give_every_text_its_own_vector() -> None:
    """An ingest's calls of many batches (run side by side, a core each), its quotes' calls beside
    them (a batch at a time on one core) and questions' calls of one batch (on every core) from
    several threads at once: none waits forever, no vector lands on another text's row, and the
    word pieces the bench counts are all counted once."""
    texts = [f"{n} defenders {'held the plant ' * (n % 7)}and spoke to reporters." for n in range(40)]
    encoder = Embedder(backend="onnx-int8")._load()
    alone = np.vstack([encoder.encode([t]) for t in texts])
    pieces = sum(len(e.ids) for e in encoder.tokenizer.encode_batch(texts))
    meter = metering.meter_sessions(encoder)  # the bench's count, outside the encoder
    before = meter.word_pieces
    with ThreadPoolExecutor(6) as pool:
        many = [pool.submit(encoder.encode, texts, 4, 120) for _ in range(2)]
        many.append(pool.submit(encoder.encode, texts, 4, 120, True))  # beside the others
        one = [pool.submit(encoder.encode, [t]) for t in texts[:12]]
        for done in many:
            assert np.allclose(done.result(timeout=300), alone, atol=1e-5)
        for n, done in enumerate(one):
            assert np.allclose(done.result(timeout=300), alone[[n]], atol=1e-5)
    assert meter.word_pieces - before == 3 * pieces + sum(
        len(e.ids) for e in encoder.tokenizer.encode_batch(texts[:12])
    )


def test_the_slow_fusions_are_left_out_and_the_vectors_stay_close_to_the_fused_graphs(tmp_path: Path) -> None:
    """ONNX Runtime fuses SkipLayerNormalization and BiasGelu by default, and those fused CPU
    kernels are slower than the ops they replace (issue 17, round 5): the encoder's sessions run
    the ops unfused. The sums are the same but rounded in another order, which can move a row's
    int8 rounding: the vectors stay as close to the fused graph's as int8 is to fp32."""
    base = Embedder(backend="onnx-int8")._load()

    def encoder(prefix: str, unfused: tuple[str, ...] | None) -> tuple[np.ndarray, set[str]]:
        made = OnnxEncoder(base.path, base.tokenizer, base.max_tokens, threads=1)
        options = {} if unfused is None else {"unfused": unfused}
        made.session = made.single = open_session(base.path, 1, str(tmp_path / prefix), **options)
        vectors = made.encode(TEXTS, batch_size=64)
        events = json.loads(Path(made.session.end_profiling()).read_text())
        return vectors, {e["args"]["op_name"] for e in events if e.get("cat") == "Node"}

    vectors, ops = encoder("ours", None)
    fused_vectors, fused_ops = encoder("fused", ())
    assert {"SkipLayerNormalization", "BiasGelu"} <= fused_ops  # what ONNX Runtime would run
    assert not ops & {"SkipLayerNormalization", "BiasGelu"} and {"LayerNormalization", "Gelu"} <= ops
    assert (vectors * fused_vectors).sum(axis=1).min() > 0.995


def test_the_attention_mask_folded_into_the_scores_changes_no_vector(tmp_path: Path) -> None:
    """The shipped int8 graph adds the padding mask inside the attention scores' MatMul (recipe
    5); a word piece's scores are the same floats, so every vector, padded or not, is the one
    of the graph that adds the mask on its own (recipe 4: indexes built with it need nothing)."""
    import onnx

    base = Embedder(backend="onnx-int8")._load()
    shipped = onnx.load(str(base.path)).graph
    producers = {name: node for node in shipped.node for name in node.output}
    assert all(producers[n.input[0]].op_type == "Mul" for n in shipped.node if n.op_type == "Softmax")
    unfolded = tmp_path / "unfolded.onnx"
    quantize_per_row_int8(base.path.with_name(FILES["onnx-int8-dynamic"]), unfolded, fold_mask=False)
    reference = OnnxEncoder(unfolded, base.tokenizer, base.max_tokens, threads=1)
    ours = OnnxEncoder(base.path, base.tokenizer, base.max_tokens, threads=1)
    texts = [*TEXTS, "Short.", "A much longer sentence about the steel plant and its defenders " * 3]
    spans = [[(0, len(t) // 2), (len(t) // 2, len(t))] for t in texts]
    for size in (1, 3, 64):  # alone, beside some padding, beside much
        vectors, pooled = ours.encode_spans(texts, spans, batch_size=size)
        expected, expected_pooled = reference.encode_spans(texts, spans, batch_size=size)
        assert np.abs(vectors - expected).max() < 1e-6
        for got, wanted in zip(pooled, expected_pooled, strict=True):
            assert all(np.abs(g - w).max() < 1e-6 for g, w in zip(got, wanted, strict=True) if g is not None)


def test_calls_are_cut_by_texts_and_by_padded_word_pieces() -> None:
    assert batches([3, 3, 3, 10, 10, 40], batch_size=64, max_pieces=12) == [(0, 3), (3, 4), (4, 5), (5, 6)]
    assert batches([3, 3, 3, 10, 10, 40], batch_size=64, max_pieces=20) == [(0, 3), (3, 5), (5, 6)]
    assert batches([1] * 5, batch_size=2, max_pieces=100) == [(0, 2), (2, 4), (4, 5)]
    assert batches([5] * 5, batch_size=3, max_pieces=None) == [(0, 3), (3, 5)]
    assert batches([], batch_size=8, max_pieces=640) == []
