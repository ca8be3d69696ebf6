"""Sentence vectors in context (from the chunk's own model pass at ingest) against sentences
embedded alone at query time: hybrid hit@1 / hit@5, first-citation hits and `ask()` p50, per
dataset, each question a first sight (the scorer's memory emptied before it).

Configurations, all on one index per dataset:
- `alone-limit`: what an index without stored sentence vectors does (the best
  EMBED_LIMIT sentences by word overlap embedded alone, the passage's cosine for the rest);
- `in-context`: every sentence's vector stored by ingest, looked up, nothing embedded but the query;
- `alone-all`: every candidate sentence embedded alone (the scorer's ideal, slow).

    python scripts/bench_sentences.py --work /tmp/sentences [--datasets squad,nq,hotpot] [--no-answers]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.api import Assistant
from assistant.evaluation.datasets import sample, write_hotpot, write_nq, write_squad
from assistant.evaluation.runner import is_hit
from assistant.retrieval.scoring import EMBED_LIMIT

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
DATASETS = {
    "squad": (write_squad, EVAL / "squad-dev-v1.1.json", 2000),
    "nq": (write_nq, EVAL / "nq-qed-tune.jsonl", None),
    "hotpot": (write_hotpot, EVAL / "hotpot-dev-distractor-100.json", None),
}
CONFIGS = ("alone-limit", "in-context", "alone-all")


def configure(assistant: Any, name: str, stored: Any, vectors: Any) -> None:
    """Point the assistant's scorer at one configuration's vectors."""
    limit = None if name == "alone-all" else EMBED_LIMIT
    assistant.parts.retriever.reranker.embed = limit
    assistant.parts.answerer.embed = limit
    assistant.embedder._in_context = stored if name == "in-context" else None
    # the slow ideal may reuse sentences embedded for earlier questions; the others start cold
    assistant.embedder._vectors = vectors if name == "alone-all" else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, required=True, help="Folder for the files and indexes (kept).")
    parser.add_argument("--datasets", default="squad,nq,hotpot")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--no-answers", action="store_true", help="Retrieval only.")
    args = parser.parse_args()
    print("| dataset | configuration | questions | hit@1 | hit@5 | first citation | ask p50 ms |")
    print("|---|---|---|---|---|---|---|")
    for dataset in args.datasets.split(","):
        writer, path, n = DATASETS[dataset]
        root = args.work / dataset
        questions = sample(writer(path, root / "files"), n, 7)
        assistant = Assistant(data_dir=root / "index")
        if not (root / "indexed").exists():
            assistant.ingest([root / "files"])
            (root / "indexed").touch()
        stored, vectors = assistant.embedder._in_context, assistant.embedder._vectors
        for name in args.configs.split(","):
            configure(assistant, name, stored, vectors)
            hits = {1: 0, 5: 0}
            cited, asks = 0, []
            for question in questions:
                assistant.parts.scorer.clear()
                found = assistant.retrieve(question.text, k=5)
                spans = [(Path(p.source).name, p.start_char, p.end_char) for p in found]
                for k in hits:
                    hits[k] += any(is_hit(question, s) for s in spans[:k])
                if args.no_answers:
                    continue
                assistant.parts.scorer.clear()
                started = time.perf_counter()
                answer = assistant.ask(question.text)
                asks.append((time.perf_counter() - started) * 1000)
                if answer.citations:
                    first = answer.citations[0]
                    cited += is_hit(question, (Path(first.source).name, first.start_char, first.end_char))
            total = len(questions)
            answers = f"{cited / total:.3f} | {statistics.median(asks):.0f}" if asks else "- | -"
            rates = f"{hits[1] / total:.3f} | {hits[5] / total:.3f}"
            print(f"| {dataset} | {name} | {total} | {rates} | {answers} |", flush=True)


if __name__ == "__main__":
    main()
