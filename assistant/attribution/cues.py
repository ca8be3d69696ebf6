"""Speech cues and the subjects they belong to: `“...,” said X`, `X said: “...”`, `X, the ROLE, said`."""

from __future__ import annotations

import re

from assistant.attribution.mentions import Mention, has_role_noun, mention_after, mention_at, trim_adverbials
from assistant.text.sentences import inside
from assistant.text.words import CLAUSE_BOUNDARIES, ROLE_NOUNS, SPEECH_CUES, alternation

CUE_WORDS = alternation(SPEECH_CUES)
CUE = re.compile(rf"\b(?:{CUE_WORDS})\b")
_CONJUNCTION = re.compile(r"^(?:But|And|So|Yet|Meanwhile|However|Still|Later|Then|Also)\b,?\s*")


def after_cue(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """`, said X` or `, X said` right after a quotation."""
    segment = text[start:end]
    signed = re.match(r"^\s*[―—]\s*(?P<np>[^,.;:“”\"]{2,80}?)\s*$", segment)
    if signed:  # `“...” ― Pamela Padilla`: a quotation signed with a name
        mention = mention_at(text, start + signed.start("np"), start + signed.end("np"))
        return ("―", mention) if mention and mention.name else None
    inverted = re.match(rf"^[\s,—–-]*({CUE_WORDS})\s+", segment)
    if inverted:
        cue = inverted.group(1)
        mention = mention_after(text, start + inverted.end(), end)
        return (cue, mention) if mention else None
    normal = re.match(rf"^[\s,—–-]*(?P<np>[^,.;:“”\"]{{1,120}}?)\s+(?P<cue>{CUE_WORDS})\b", segment)
    if normal:
        np_start = start + normal.start("np")
        np_end = trim_adverbials(text, np_start, start + normal.end("np"))
        mention = mention_at(text, np_start, np_end)
        return (normal.group("cue"), mention) if mention else None
    return None


def before_cue(
    text: str, start: int, end: int, sentence_start: int, marks: list[tuple[int, int]]
) -> tuple[str, Mention] | None:
    """`X said: “...` or `X said that ... “...”`: the last cue before the quotation."""
    cues = [m for m in CUE.finditer(text, start, end) if not inside(marks, m.start())]
    if not cues:
        return None
    cue = cues[-1]
    mention = subject_of(text, cue.start(), sentence_start, marks)
    return (cue.group(0), mention) if mention else None


def subject_of(text: str, cue_start: int, floor: int, marks: list[tuple[int, int]]) -> Mention | None:
    """The noun phrase a cue verb at `cue_start` belongs to."""
    np_end = trim_adverbials(text, floor, cue_start)
    before = text[floor:np_end]
    if before.rstrip().endswith(","):
        # ", saying ...": the participle's subject is the sentence's, or a parenthesis ends here.
        inner = before.rstrip()[:-1]
        comma = inner.rfind(",")
        # Without it nothing changes on PolNeAR dev (scripts/ablate_rules.py, 2026-12-08).
        appositive = _appositive(text, floor, floor + comma, floor + len(inner)) if comma >= 0 else None
        if appositive is not None:
            return appositive
        if comma >= 0 and re.match(r"\s*(?:\w+ing|who|which|of|from|at|in|with)\b", inner[comma + 1 :]):
            np_end = floor + comma
        else:
            return _sentence_subject(text, floor, np_end, marks)
    np_start = floor
    for m in re.finditer(r"[,;:—–]|\s--\s|\b(?:" + "|".join(CLAUSE_BOUNDARIES) + r")\b", text[floor:np_end]):
        np_start = floor + m.end()
    if np_start == floor and text[floor:np_end].count(",") == 0:
        np_start = floor
    return mention_at(text, np_start, np_end)


def _appositive(text: str, floor: int, comma: int, end: int) -> Mention | None:
    """`A spokesman for the operator, Tomasz Wrona,` or `Dr. Jonas Berg, an infectious disease
    specialist,` before a cue: the name, with the other half as its role."""
    left_start = floor
    for m in re.finditer(r"[,;:]|\b(?:with|and|but|while|as)\b", text[floor:comma]):
        left_start = floor + m.end()
    clause = re.search(r"\s+(?:that|who|which)\s", text[left_start:comma])
    left_end = left_start + clause.start() if clause else comma  # "The contractor that maintained it"
    left = mention_at(text, left_start, left_end)
    right = mention_at(text, comma + 1, end)
    described = left is not None and not left.name and re.match(r"(?:The|the|A|An|a|an)\s", left.text)
    if right and right.name and left and not left.name and (has_role_noun(left.text) or described):
        right.role = right.role or left.text
        return right
    role = text[comma + 1 : end].strip()
    if left and left.name and re.match(r"(?:the|a|an)\s", role) and has_role_noun(role):
        left.role = left.role or role
        return left
    return None


def _sentence_subject(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> Mention | None:
    """The subject at the start of a sentence: up to its first cue verb, or a name at its start."""
    cue = next(
        (
            m
            for m in CUE.finditer(text, start, end)
            if not inside(marks, m.start()) and not text[start : m.start()].rstrip().endswith(",")
        ),
        None,
    )
    if cue is not None:
        return subject_of(text, cue.start(), start, marks)
    head = _CONJUNCTION.match(text, start)
    first = head.end() if head else start
    described = re.match(r"((?:The|A|An) [^,.;“”\"]{2,60}), ((?:[A-ZÀ-Þ][\w’'\-]+ ?){1,3}),", text[first:end])
    if described:
        name = mention_at(text, first + described.start(2), first + described.end(2))
        if name and name.name:
            name.role = name.role or described.group(1)
            return name
    role_noun = re.match(
        rf"(?:The|A|An)\s+(?:[\w’'\-]+\s+){{0,3}}?(?:{'|'.join(sorted(ROLE_NOUNS))})s?\b", text[first:end]
    )
    if role_noun:
        return mention_at(text, first, first + role_noun.end())
    words = re.match(r"(?:[A-ZÀ-Þ][\w’'\-]*\.?\s+)*[A-ZÀ-Þ][\w’'\-]*|[Hh]e\b|[Ss]he\b", text[first:end])
    return mention_at(text, first, first + words.end()) if words else None
