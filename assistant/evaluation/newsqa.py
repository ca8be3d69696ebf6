"""`assistant eval newsqa PATH`: reader questions on a news collection, answered and judged per kind.

PATH is a JSON-lines file (`newsqa-polnear-dev.jsonl`): one object a line with `question`, `kind`
(a facts, b what a person said, c who said it, d two passages, e not answered, f two sides),
`answers` (`{file, start, end, text}` in the texts folder), `short_answer`, `speaker`, `near_miss`.

What each figure means (a span "covers" a gold span when it contains all of it):
- hit@1, hit@5: a retrieved passage among the first 1 / 5 covers a gold span (this project's hybrid
  retrieval, and the LangChain tutorial's chunks beside it).
- first citation: the answer's first citation covers a gold span (the tutorial: its first chunk).
- answer right: the answer is not declined and one of its citations covers a gold span; both
  sides (kinds d, f): every gold span is covered by one of its citations.
- speaker right (b, c): the first citation covering a gold span names the gold speaker (its
  label's last name), or has no label and its quote names them; a wrong label is wrong.
- declined: the answer says the sources do not say it (declined or partial); for kind e that is
  right, for the other kinds a false decline.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.models import Answer

KINDS = "abcdef"
ANSWERABLE = "abcd"  # the kinds a false decline is counted on (f: two sides, counted apart)
GoldSpan = tuple[str, int, int]


@dataclass(frozen=True)
class NewsQuestion:
    """One reader question with its gold spans (file name, start, end)."""

    text: str
    kind: str
    spans: tuple[GoldSpan, ...]
    short_answer: str
    speaker: str | None


def load_newsqa(path: Path) -> list[NewsQuestion]:
    """The questions of a newsqa JSON-lines file; a bad line is named with what is wrong."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the questions ({exc}).") from exc
    found = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            spans = tuple((str(a["file"]), int(a["start"]), int(a["end"])) for a in row["answers"])
            speaker = row.get("speaker")
            kind = str(row["kind"])
            if kind not in KINDS:
                raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
            found.append(
                NewsQuestion(
                    text=str(row["question"]),
                    kind=kind,
                    spans=spans,
                    short_answer=str(row.get("short_answer") or ""),
                    speaker=speaker if isinstance(speaker, str) else None,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}, line {number}: not a newsqa question ({exc}); each line needs "
                "question, kind, answers [{file, start, end}]."
            ) from exc
    if not found:
        raise InputError(f"{path}: no questions in it.")
    return found


def covers(span: GoldSpan, gold: GoldSpan) -> bool:
    """`span` (file name, start, end) contains all of the `gold` span."""
    return span[0] == gold[0] and span[1] <= gold[1] and gold[2] <= span[2]


def first_cover(spans: Sequence[GoldSpan], question: NewsQuestion, k: int) -> bool:
    """One of the first `k` spans covers a gold span."""
    return any(covers(s, g) for s in spans[:k] for g in question.spans)


def is_declined(answer: Answer) -> bool:
    """The answer says the sources do not (fully) say it, or cites nothing."""
    return answer.status != "answered" or not answer.citations


def speaker_named(answer: Answer, question: NewsQuestion) -> bool:
    """The first citation covering a gold span names the gold speaker (see the module's doc)."""
    if not question.speaker:
        return False
    name = question.speaker.split()[-1].casefold()
    for citation in answer.citations:
        span = (Path(citation.source).name, citation.start_char, citation.end_char)
        if any(covers(span, g) for g in question.spans):
            if citation.speaker:
                return name in citation.speaker.casefold()
            return name in citation.quote.casefold()
    return False


@dataclass
class KindScore:
    """The outcomes of one kind of question, one list entry per question."""

    hit1: list[bool] = field(default_factory=list)
    hit5: list[bool] = field(default_factory=list)
    tutorial_hit1: list[bool] = field(default_factory=list)
    tutorial_hit5: list[bool] = field(default_factory=list)
    first_citation: list[bool] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)
    both_sides: list[bool] = field(default_factory=list)
    speaker: list[bool] = field(default_factory=list)
    declined: list[bool] = field(default_factory=list)

    def figures(self) -> dict[str, float | None]:
        def share(values: list[bool]) -> float | None:
            return round(sum(values) / len(values), 3) if values else None

        return {
            "questions": len(self.declined),
            "hit@1": share(self.hit1),
            "hit@5": share(self.hit5),
            "tutorial hit@1": share(self.tutorial_hit1),
            "tutorial hit@5": share(self.tutorial_hit5),
            "first citation": share(self.first_citation),
            "answer right": share(self.right),
            "both sides": share(self.both_sides),
            "speaker right": share(self.speaker),
            "declined": share(self.declined),
        }


def judge(
    question: NewsQuestion,
    answer: Answer,
    retrieved: Sequence[GoldSpan],
    tutorial: Sequence[GoldSpan] | None,
    score: KindScore,
) -> None:
    """Add one question's outcomes to its kind's `score`."""
    declined = is_declined(answer)
    score.declined.append(declined)
    if not question.spans:  # kind e: only declining is judged
        return
    cited = [(Path(c.source).name, c.start_char, c.end_char) for c in answer.citations]
    score.hit1.append(first_cover(retrieved, question, 1))
    score.hit5.append(first_cover(retrieved, question, 5))
    if tutorial is not None:
        score.tutorial_hit1.append(first_cover(tutorial, question, 1))
        score.tutorial_hit5.append(first_cover(tutorial, question, 5))
    score.first_citation.append(not declined and first_cover(cited, question, 1))
    score.right.append(not declined and first_cover(cited, question, len(cited)))
    if question.kind in "df":
        score.both_sides.append(
            not declined and all(any(covers(c, g) for c in cited) for g in question.spans)
        )
    if question.kind in "bc":
        score.speaker.append(not declined and speaker_named(answer, question))


def summary(scores: dict[str, KindScore]) -> dict[str, Any]:
    """Per-kind figures, and the rows the targets speak of: answerable (a-d), b+c, e."""
    rows: dict[str, Any] = {kind: scores[kind].figures() for kind in KINDS if kind in scores}

    def pooled(kinds: str) -> KindScore:
        total = KindScore()
        for kind in kinds:
            for name, values in vars(scores.get(kind, KindScore())).items():
                getattr(total, name).extend(values)
        return total

    rows["a-d"] = pooled(ANSWERABLE).figures()
    rows["b+c"] = pooled("bc").figures()
    rows["all answerable (a-d, f)"] = pooled("abcdf").figures()
    return rows


def evaluate_newsqa(
    path: Path,
    texts: Path | None = None,
    out_dir: Path | None = None,
    data_dir: Path | None = None,
    tutorial: bool = True,
    model: str | None = None,
) -> dict[str, Any]:
    """Index the texts, ask every question offline, judge each answer; writes results.json/.md.

    `texts` defaults to `polnear/dev/text` beside PATH. `data_dir` keeps (and reuses) the index;
    by default it is a throwaway folder.
    """
    import time

    from assistant.api import Assistant

    questions = load_newsqa(path)
    texts = texts or path.parent / "polnear" / "dev" / "text"
    if not texts.is_dir():
        raise InputError(f"{texts}: no such folder of article texts; pass --texts FOLDER.")
    missing = sorted({g[0] for q in questions for g in q.spans} - {p.name for p in texts.iterdir()})
    if missing:
        raise InputError(f"{texts}: the questions cite files not in it ({', '.join(missing[:3])}).")
    with tempfile.TemporaryDirectory(prefix="assistant-newsqa-") as scratch:
        work = Path(scratch)
        index = data_dir or work / "index"
        assistant = Assistant(data_dir=index, model=model)
        if not assistant.sources():
            assistant.ingest([texts])
        search = None
        if tutorial:
            from assistant.evaluation.baselines import TutorialPipeline

            search = TutorialPipeline(texts, work / "tutorial").search
        scores: dict[str, KindScore] = {}
        details = []
        for question in questions:
            passages = assistant.retrieve(question.text, k=10)
            retrieved = [(Path(p.source).name, p.start_char, p.end_char) for p in passages]
            chunks = search(question.text, 10) if search else None
            answer = assistant.ask(question.text)
            judge(question, answer, retrieved, chunks, scores.setdefault(question.kind, KindScore()))
            details.append({"question": question.text, "kind": question.kind, "answer": answer.text})
    report = {
        "dataset": "newsqa",
        "path": str(path),
        "questions": len(questions),
        "date": time.strftime("%Y-%m-%d"),
        "kinds": summary(scores),
        "answers": details,
    }
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(report, indent=2))
        (out_dir / "results.md").write_text(
            f"newsqa {path.name}, {report['date']}\n\n{newsqa_table(report)}\n"
        )
    return report


def newsqa_table(report: dict[str, Any]) -> str:
    """The per-kind figures as a Markdown table (an empty cell: not measured for that kind)."""
    rows = report["kinds"]
    keys = list(next(iter(rows.values())))
    lines = ["| kind | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for kind, figures in rows.items():
        cells = ["" if figures[k] is None else str(figures[k]) for k in keys]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
