"""Measure retrieval and offline answers over the indexes `scripts/tune_fusion.py collect` built.

    python scripts/measure_indexes.py --work /tmp/tune [--datasets nq] [--no-answers]
    python scripts/measure_indexes.py --work /tmp/tune --fusion 0.7 --cosine 0.1 --confidence 12

The rows `assistant eval` prints for this project (dense, bm25, fused, hybrid hit@1 / hit@5 /
hit@10; first citation and median quote of `ask()`), with the runner's own hit rule, over the
same files and questions, without indexing the LangChain tutorial pipeline beside them. Also how
much of a dense hit@1 miss is chunking: the share of questions whose dense top passage is from
the gold file (one paragraph per file for NQ) without holding the whole answer span.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from tune_fusion import DATASETS, indexed

from assistant.evaluation.runner import ConfigResult, is_hit, score
from assistant.retrieval.fusion import WEIGHT, Fusion
from assistant.retrieval.rerankers import CONFIDENCE, COSINE, RANK_PRIOR, SentenceReranker


def measure(work: Path, name: str, args: argparse.Namespace) -> None:
    """Print one dataset's rows as Markdown."""
    questions, assistant = indexed(work, name)
    retriever = assistant.parts.retriever
    retriever.fusion = Fusion("convex", args.fusion)
    reranker = retriever.reranker
    assert isinstance(reranker, SentenceReranker)
    reranker.cosine, reranker.confidence, reranker.rank_prior = args.cosine, args.confidence, args.prior
    print(
        f"\n{name}, {len(questions)} questions; fusion {args.fusion}, cosine {args.cosine}, "
        f"confidence {args.confidence}, prior {args.prior}"
    )
    print("| ranking | hit@1 | hit@5 | hit@10 |\n|---|---|---|---|")
    same_file = 0
    for mode in ("dense", "lexical", "fused", "hybrid"):
        result = ConfigResult(mode)
        for question in questions:
            found = assistant.retrieve(question.text, k=10, mode=mode)
            spans = [(Path(p.source).name, p.start_char, p.end_char) for p in found]
            score(question, spans, result)
            if mode == "dense" and spans and not is_hit(question, spans[0]):
                same_file += any(spans[0][0] == s for s, _, _ in question.spans)
        print(f"| {mode} | {result.hit_at(1):.3f} | {result.hit_at(5):.3f} | {result.hit_at(10):.3f} |")
    print(
        f"dense top passage from the gold file but cutting the answer span: {same_file / len(questions):.3f}"
    )
    if args.no_answers:
        return
    hits, lengths = [], []
    for question in questions:
        answer = assistant.ask(question.text)
        first = answer.citations[0] if answer.citations else None
        hits.append(
            bool(first) and is_hit(question, (Path(first.source).name, first.start_char, first.end_char))
        )
        if first:
            lengths.append(len(first.quote))
    print(
        f"first citation holds the answer: {sum(hits) / len(hits):.3f}; "
        f"median quote {statistics.median(lengths)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--fusion", type=float, default=WEIGHT)
    parser.add_argument("--cosine", type=float, default=COSINE)
    parser.add_argument("--confidence", type=float, default=CONFIDENCE)
    parser.add_argument("--prior", type=float, default=RANK_PRIOR)
    parser.add_argument("--no-answers", action="store_true")
    args = parser.parse_args()
    for name in args.datasets:
        measure(args.work, name, args)


if __name__ == "__main__":
    main()
