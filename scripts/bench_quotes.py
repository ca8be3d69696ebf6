"""Hit rates of `Assistant.quotes(query=...)` per embedding backend, on eval/quotes.jsonl.

Each labelled quote (file, anchor: a fragment of the quote, speaker) gives two queries: the
anchor itself, and "What did SPEAKER say about ..." with the anchor's last five words. A hit
at k: one of the first k quotes returned contains the anchor. The articles (seeds/ and
eval/articles/) are indexed into a temporary folder, once per backend.

    python scripts/bench_quotes.py [--backend onnx-int8-dynamic --backend onnx-int8 ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPO = Path(__file__).resolve().parent.parent


def hit_rates(assistant: Any, labels: list[dict[str, str]]) -> str:
    """Anchor and speaker + words hit@1 and @5 of `assistant.quotes(query=...)`, as table cells."""
    hits = {(form, k): 0 for form in ("anchor", "speaker") for k in (1, 5)}
    for label in labels:
        anchor = label["anchor"]
        words = " ".join(anchor.split()[-5:])
        for form, query in (
            ("anchor", anchor),
            ("speaker", f"What did {label['speaker']} say about {words}?"),
        ):
            found = assistant.quotes(query=query, k=5)
            for k in (1, 5):
                hits[form, k] += any(anchor.casefold() in q.quote.casefold() for q in found[:k])
    return " | ".join(f"{hits[f, k] / len(labels):.3f}" for f in ("anchor", "speaker") for k in (1, 5))


def main() -> None:
    from assistant.api import Assistant

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", action="append", help="Backends to compare (repeatable).")
    args = parser.parse_args()
    backends = args.backend or ["torch", "onnx-int8-dynamic", "onnx-int8"]
    labels = [json.loads(line) for line in (REPO / "eval" / "quotes.jsonl").read_text().splitlines() if line]
    print("| backend | queries | anchor hit@1 | anchor hit@5 | speaker+words hit@1 | speaker+words hit@5 |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="quotes-bench-") as scratch:
        work = Path(scratch)
        for folder in {Path(label["file"]).parent for label in labels}:
            shutil.copytree(REPO / folder, work / folder, dirs_exist_ok=True)
        for backend in backends:
            assistant = Assistant(data_dir=work / f"index-{backend}", embedding_backend=backend)
            assistant.ingest([work / folder for folder in {Path(label["file"]).parent for label in labels}])
            n = len(labels)
            figures = hit_rates(assistant, labels)
            print(f"| {backend} | {n} | {figures} |", flush=True)


if __name__ == "__main__":
    main()
