import shutil
from pathlib import Path

import numpy as np
import pytest

from vectorstore import Embedder, ModelError
from vectorstore.modelfiles import DEFAULT_MODEL_SHA256, bundled_model_dir, file_sha256, verify_files


def test_bundled_model_is_the_official_one() -> None:
    folder = bundled_model_dir()
    for name, digest in DEFAULT_MODEL_SHA256.items():
        assert file_sha256(folder / name) == digest


def test_a_tampered_model_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(bundled_model_dir(), copy)
    with (copy / "tokenizer.json").open("a") as handle:
        handle.write(" ")
    with pytest.raises(ModelError, match=r"tokenizer\.json"):
        verify_files(copy, DEFAULT_MODEL_SHA256)


def test_a_model_name_that_is_not_a_local_folder_is_refused_without_download() -> None:
    with pytest.raises(ModelError, match="Nothing is downloaded"):
        Embedder("sentence-transformers/all-mpnet-base-v2")


def test_vectors_are_normalized_and_similar_texts_are_close() -> None:
    embedder = Embedder()
    vectors = embedder.embed(
        [
            "The mayor of Mariupol asked for evacuations.",
            "Mariupol's mayor called for evacuations.",
            "A recipe for bread.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


@pytest.mark.parametrize("backend", ["torch", "onnx", "onnx-int8", "onnx-int8-dynamic"])
def test_batching_does_not_change_vectors(backend: str) -> None:
    texts = [f"Sentence number {i} about the steel plant{'s' * i}." for i in range(9)]
    one_by_one = np.vstack([Embedder(backend=backend).embed([t]) for t in texts])
    batched = Embedder(backend=backend).embed(texts)
    assert np.allclose(one_by_one, batched, atol=1e-5)
    if backend != "onnx-int8-dynamic":  # it quantizes activations per call: one text a call
        assert np.allclose(Embedder(backend=backend, batch_size=4).embed(texts), batched, atol=1e-5)


def test_token_counts_use_the_model_tokenizer() -> None:
    embedder = Embedder()
    assert embedder.max_tokens == 256
    assert embedder.count_tokens(["Azovstal"]) == [len(embedder.tokenizer.encode("Azovstal").ids) - 2]
    assert embedder.count_tokens(["Azovstal"])[0] > 1  # a rare name is several word pieces
