"""Calibrates the offline answerer's relevance threshold on SQuAD questions outside the eval sample.

    .venv/bin/python scripts/calibrate.py [--squad ../shared/eval/squad-dev-v1.1.json] [--questions 300]
    .venv/bin/python scripts/calibrate.py --nq ../shared/eval/nq-qed-tune.jsonl   # NQ tune instead

`assistant eval squad --sample 2000 --seed 7` uses the first 2,000 questions of the seed-7
shuffle; this script uses the next ones. For each, the best sentence score is taken against its
own article (answerable) and against another article (unanswerable: the question asked of the
wrong source); it prints how well each threshold separates the two and the best one. With
`--nq`, the first 300 of the seed-7 shuffle of Natural Questions tune, one file per paragraph
(questions typed without seeing the text: they share fewer words with it than SQuAD's).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import Assistant  # noqa: E402
from assistant.answers.candidates import rank  # noqa: E402
from assistant.evaluation.datasets import sample, write_nq, write_squad  # noqa: E402
from assistant.ingest.discovery import source_name  # noqa: E402

EVAL_SAMPLE = 2000


def best_scores(assistant: Assistant, question: str, source: str) -> float:
    """The best sentence score the answerer sees for `question` within `source` alone."""
    passages = assistant.retrieve(question, k=assistant.settings.answer_passages, sources=[source])
    scores = rank(question, passages, assistant.parts.scorer).scores
    return float(scores[np.isfinite(scores)].max(initial=0.0))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--squad", type=Path, default=REPO.parent / "shared" / "eval" / "squad-dev-v1.1.json")
    parser.add_argument("--nq", type=Path, help="calibrate on this NQ (QED layout) file instead")
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        files = Path(scratch) / "files"
        if args.nq:
            questions = sample(write_nq(args.nq, files), None, 7)[: args.questions]
        else:
            questions = sample(write_squad(args.squad, files), None, 7)[
                EVAL_SAMPLE : EVAL_SAMPLE + args.questions
            ]
        assistant = Assistant(data_dir=Path(scratch) / "index")
        assistant.ingest([files])
        names = sorted(p.name for p in files.glob("*.txt"))
        rng = random.Random(0)
        answerable, unanswerable = [], []
        for question in questions:
            own = question.spans[0][0]
            other = rng.choice([n for n in names if n != own])
            answerable.append(best_scores(assistant, question.text, source_name(files / own)))
            unanswerable.append(best_scores(assistant, question.text, source_name(files / other)))
    kept, refused = np.array(answerable), np.array(unanswerable)
    rows = []
    for cut in np.arange(0.20, 0.61, 0.05):
        rows.append(
            {
                "threshold": round(float(cut), 2),
                "answerable_kept": round(float(np.mean(kept >= cut)), 3),
                "unanswerable_refused": round(float(np.mean(refused < cut)), 3),
            }
        )
    best = max(rows, key=lambda r: r["answerable_kept"] + r["unanswerable_refused"])
    print(json.dumps({"questions": len(questions), "rows": rows, "best": best}, indent=1))


if __name__ == "__main__":
    main()
