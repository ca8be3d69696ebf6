"""Public QA datasets written out as source files, with where each gold answer lies in them.

SQuAD v1.1: one file per article, paragraphs joined by a blank line, so an answer's span in
the file is its paragraph's offset plus `answer_start`. HotpotQA (distractor): one file per
paragraph (title line, blank line, the sentences); a question is answered by two files. Natural
Questions (the QED sample): one file per distinct paragraph, its text alone, so the answer's
offsets in the paragraph are its offsets in the file.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError


@dataclass(frozen=True)
class EvalQuestion:
    """A question and its gold evidence: answer spans in files, or whole supporting files."""

    text: str
    spans: tuple[tuple[str, int, int], ...] = ()  # (file, start, end): any one contained is a hit
    supporting: tuple[str, ...] = ()  # files that together answer a multi-document question


def _load(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the dataset ({exc}).") from exc


def _file_name(number: int, title: str) -> str:
    return f"{number:04d}_{re.sub(r'[^A-Za-z0-9]+', '_', title)[:50].strip('_')}.txt"


def write_squad(path: Path, folder: Path) -> list[EvalQuestion]:
    """Write SQuAD articles to `folder`; every question with its answer spans."""
    data = _load(path)
    if not isinstance(data, dict) or "data" not in data:
        raise InputError(f"{path}: not a SQuAD v1.1 file (no 'data' list).")
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    for number, article in enumerate(data["data"]):
        name = _file_name(number, article["title"])
        offset, paragraphs = 0, []
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                spans = tuple(
                    (name, offset + a["answer_start"], offset + a["answer_start"] + len(a["text"]))
                    for a in qa["answers"]
                )
                questions.append(EvalQuestion(qa["question"], spans=spans))
            paragraphs.append(paragraph["context"])
            offset += len(paragraph["context"]) + 2
        (folder / name).write_text("\n\n".join(paragraphs), encoding="utf-8")
    return questions


def write_hotpot(path: Path, folder: Path) -> list[EvalQuestion]:
    """Write every HotpotQA paragraph to its own file in `folder`; questions with their two files."""
    data = _load(path)
    if not isinstance(data, list) or not data or "supporting_facts" not in data[0]:
        raise InputError(f"{path}: not a HotpotQA file in the Hugging Face layout.")
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    questions = []
    for item in data:
        context = item["context"]
        for title, sentences in zip(context["title"], context["sentences"], strict=True):
            if title not in names:
                names[title] = _file_name(len(names), title)
                (folder / names[title]).write_text(
                    f"{title}\n\n{''.join(sentences).strip()}", encoding="utf-8"
                )
        supporting = tuple(dict.fromkeys(names[t] for t in item["supporting_facts"]["title"]))
        questions.append(EvalQuestion(item["question"], supporting=supporting))
    return questions


def write_nq(path: Path, folder: Path) -> list[EvalQuestion]:
    """Write every distinct NQ (QED layout) paragraph to `folder`; questions with their answer span.

    One JSON object a line: `question_text`, `paragraph_text`, `title_text` and
    `original_nq_answers[0][0]` with `start`/`end` character offsets into the paragraph.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        folder.mkdir(parents=True, exist_ok=True)
        names: dict[str, str] = {}
        questions = []
        for row in rows:
            paragraph = row["paragraph_text"]
            if paragraph not in names:
                names[paragraph] = _file_name(len(names), row["title_text"])
                (folder / names[paragraph]).write_text(paragraph, encoding="utf-8")
            gold = row["original_nq_answers"][0][0]
            span = (names[paragraph], int(gold["start"]), int(gold["end"]))
            questions.append(EvalQuestion(row["question_text"], spans=(span,)))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(f"{path}: not a Natural Questions file in the QED layout ({exc}).") from exc
    return questions


def remove_gold(
    folder: Path, questions: list[EvalQuestion], chosen: list[EvalQuestion]
) -> tuple[list[EvalQuestion], list[EvalQuestion]]:
    """Take the gold paragraphs of the `chosen` questions out of the files in `folder`.

    A paragraph is the text between blank lines around a gold span; a file left empty is deleted.
    Returns (answerable, unanswerable): the questions with a gold span left (offsets moved to the
    rewritten files), and those with none (the chosen ones, and any that shared their paragraphs).
    """
    cuts: dict[str, list[tuple[int, int]]] = {}
    texts: dict[str, str] = {}
    for question in chosen:
        for name, start, end in question.spans:
            text = texts.setdefault(name, (folder / name).read_text(encoding="utf-8"))
            begin = text.rfind("\n\n", 0, start)
            begin = 0 if begin < 0 else begin + 2
            stop = text.find("\n\n", end)
            stop = len(text) if stop < 0 else stop + 2
            cuts.setdefault(name, []).append((begin, stop))
    for name, ranges in cuts.items():
        ranges[:] = _merged(ranges)
        kept, at = [], 0
        for begin, stop in ranges:
            kept.append(texts[name][at:begin])
            at = stop
        rest = "".join(kept) + texts[name][at:]
        if rest.strip():
            (folder / name).write_text(rest, encoding="utf-8")
        else:
            (folder / name).unlink()

    def moved(span: tuple[str, int, int]) -> tuple[str, int, int] | None:
        name, start, end = span
        ranges = cuts.get(name, [])
        if any(begin <= start and end <= stop for begin, stop in ranges):
            return None
        shift = sum(stop - begin for begin, stop in ranges if stop <= start)
        return name, start - shift, end - shift

    answerable, unanswerable = [], []
    for question in questions:
        if question.supporting:
            answerable.append(question)
            continue
        spans = tuple(s for s in (moved(span) for span in question.spans) if s is not None)
        if spans:
            answerable.append(EvalQuestion(question.text, spans=spans))
        else:
            unanswerable.append(question)
    return answerable, unanswerable


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, stop in sorted(ranges):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((begin, stop))
    return merged


def sample(questions: list[EvalQuestion], n: int | None, seed: int) -> list[EvalQuestion]:
    """A fixed random sample of `n` questions (all of them, shuffled, when n is None)."""
    order = list(range(len(questions)))
    random.Random(seed).shuffle(order)
    return [questions[i] for i in order[: n or len(order)]]
