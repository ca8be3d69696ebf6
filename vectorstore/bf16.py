"""The `torch-bf16` backend's pass: sentence-transformers under `torch.autocast` in bfloat16.

On CPUs with AMX (Intel Sapphire Rapids and later) the matrix products run on the tile unit;
with AVX-512 BF16 on its bf16 dot products. Its vectors are within 0.99997 cosine of fp32, but
bf16 rounding makes a text's vector depend on the padding its batch-mates force on it (up to
1e-3 per component), so texts are batched only with texts of the same number of word pieces:
no padding, and a text's vector is the same alone or in any batch (to the bit, measured).
"""

from __future__ import annotations

from typing import Any


def encode_bf16(model: Any, tokenizer: Any, texts: list[str], batch_size: int, max_tokens: int) -> Any:
    """Unit float32 vectors of `texts` from the torch `model` in bf16, batched by equal length."""
    import numpy as np
    import torch

    lengths = [min(len(e.ids), max_tokens) for e in tokenizer.encode_batch(texts, add_special_tokens=True)]
    groups: dict[int, list[int]] = {}
    for i, length in enumerate(lengths):
        groups.setdefault(length, []).append(i)
    vectors = np.zeros((len(texts), 0), dtype=np.float32)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        for rows in groups.values():
            found = model.encode(
                [texts[i] for i in rows],
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            if not vectors.shape[1]:
                vectors = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
            vectors[rows] = np.asarray(found, dtype=np.float32)
    return vectors
