"""Quote vectors pooled from their chunk's model pass against quotes embedded in a pass of their
own ("label: quote", as the quote index does): `quotes(query=...)` hit rates on eval/quotes.jsonl,
with the queries of scripts/bench_quotes.py, on one index whose quote vectors are swapped.

A quote inside one stored chunk gets the mean of its word pieces as the model read them in that
chunk (`OnnxEncoder.encode_spans`), alone or averaged with the mean of its speaker's mention ("he",
"Palamar"); a quote across chunks keeps its own vector. Measures what the second pass buys
before the quote index (assistant/attribution) would be changed to skip it.

    python scripts/bench_quote_vectors.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPO = Path(__file__).resolve().parent.parent

from bench_quotes import hit_rates  # noqa: E402


def main() -> None:
    import numpy as np

    from assistant.api import Assistant

    labels = [json.loads(line) for line in (REPO / "eval" / "quotes.jsonl").read_text().splitlines() if line]
    folders = {Path(label["file"]).parent for label in labels}
    with tempfile.TemporaryDirectory(prefix="quote-vectors-") as scratch:
        work = Path(scratch)
        for folder in folders:
            shutil.copytree(REPO / folder, work / folder, dirs_exist_ok=True)
        assistant = Assistant(data_dir=work / "index", embedding_backend="onnx-int8")
        assistant.ingest([work / folder for folder in folders])
        columns = ["anchor hit@1", "anchor hit@5", "speaker+words hit@1", "speaker+words hit@5"]
        print("| quote vectors | queries | " + " | ".join(columns) + " |")
        print("|---|---|---|---|---|---|")
        print(f"| own pass (label: quote) | {len(labels)} | {hit_rates(assistant, labels)} |", flush=True)
        chunks: dict[str, list[tuple[int, int, str]]] = {}
        for _, text, meta in assistant.store.everything():
            chunks.setdefault(str(meta["source"]), []).append(
                (int(meta["start_char"]), int(meta["end_char"]), text)
            )
        store = assistant.quote_index.store
        rows = list(store.everything())
        model = assistant.embedder._load()
        for variant in ("quote", "quote and speaker mention"):
            pooled = [pool(model, chunks, meta, variant == "quote") for _, _, meta in rows]
            keep = [n for n, v in enumerate(pooled) if v is not None]
            store.add(
                ids=[rows[n][0] for n in keep],
                texts=[rows[n][1] for n in keep],
                metadatas=[rows[n][2] for n in keep],
                embeddings=np.vstack([pooled[n] for n in keep]),
            )
            print(
                f"| pooled in the chunk: {variant} ({len(keep)} of {len(rows)} inside one chunk) | "
                f"{len(labels)} | {hit_rates(assistant, labels)} |",
                flush=True,
            )


def pool(model: Any, chunks: dict[str, list[tuple[int, int, str]]], meta: dict[str, Any], alone: bool) -> Any:
    """The quote's vector pooled in its chunk (with the speaker's mention unless `alone`), or None."""
    import numpy as np

    start, end = int(meta["start_char"]), int(meta["end_char"])
    home = next((c for c in chunks[str(meta["source"])] if c[0] <= start and end <= c[1]), None)
    if home is None:
        return None
    spans = [(start - home[0], end - home[0])]
    mention = (int(meta["speaker_start"]) - home[0], int(meta["speaker_end"]) - home[0])
    if (
        not alone
        and 0 <= mention[0] < mention[1] <= len(home[2])
        and not (spans[0][0] <= mention[0] < spans[0][1])
    ):
        spans.append(mention)
    _, found = model.encode_spans([home[2]], [spans], 8)
    vectors = [v for v in found[0] if v is not None]
    if not vectors:
        return None
    mean = np.vstack(vectors).mean(axis=0)  # quote and mention weigh alike
    return mean / np.linalg.norm(mean)


if __name__ == "__main__":
    main()
