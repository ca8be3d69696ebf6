"""Reported speech: `X said (that) ...`, `..., X said.`, `According to X, ...`, `..., according to X`,
found by patterns outside quotation marks; and `Found`, an attribution before its speaker is resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.attribution.budget import spend
from assistant.attribution.cues import CUE, CUE_WORDS, subject_of
from assistant.attribution.mentions import Mention, has_role_noun, is_body, mention_at, trim_adverbials
from assistant.text.sentences import inside, sentences_outside
from assistant.text.words import REPORTING_CUES, alternation

if TYPE_CHECKING:
    from assistant.attribution.ranking import Option

_REPORT_CUE = re.compile(rf"\b(?:{alternation(REPORTING_CUES)})\b")
_LEAD = re.compile(
    r"\s*(?:(?:on|late on|early on|late|early|last|this|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|night|week|later|earlier|also|reporters|journalists|him|her|them|us|me|"
    r"in (?:a|an|his|her|their|the)\s+(?:[\w’'\-]+\s+){0,4}?(?:statement|video|address|post|interview|"
    r"briefing|message|speech|note|tweet|remarks|comments|forum|debate|letter|testimony|appearance|email)(?:\s+(?:address|message|post|statement|briefing))?)\s+)*(?:that\s+)?"
)


@dataclass
class Found:
    """An attribution found by the rules, before its speaker is resolved."""

    start: int
    end: int
    cue: str
    kind: str
    mention: Mention | None  # None: continues the previous quote's speaker
    options: list[Option] = field(default_factory=list)  # of a direct quotation: the scored speakers


def reported_speech(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> list[Found]:
    """`X said (that) CLAUSE` and `CLAUSE, according to X` outside quotation marks."""
    spend()  # one paragraph read, against the file's budget (`budget`)
    found: list[Found] = []
    for s_start, s_end in sentences_outside(text, p_start, p_end, marks):
        sentence = text[s_start:s_end]
        if any(s_start <= a and b <= s_end and b - a > 0.6 * (s_end - s_start) for a, b in marks):
            continue  # a quotation with its attribution, handled as direct
        opening = re.match(r"According to ([^,]{2,80}),\s+", sentence)
        if opening:
            mention = mention_at(text, s_start + opening.start(1), s_start + opening.end(1))
            if mention:
                found.append(
                    Found(
                        s_start + opening.end(),
                        strip_end(text, s_start, s_end),
                        "according to",
                        "reported",
                        mention,
                    )
                )
            continue
        tail = re.search(
            rf",\s+([^,;“”\"]{{2,80}}?)\s+({CUE_WORDS})\b[^,;“”\"]{{0,40}}?(?:[.!?]$|,)", sentence
        )
        if tail and tail.start() > 20 and not CUE.search(sentence, 0, tail.start()) and not _goes_on(tail):
            mention = mention_at(
                text, s_start + tail.start(1), s_start + trim_adverbials(sentence, 0, tail.end(1))
            )
            if mention:
                found.append(
                    Found(
                        s_start,
                        strip_end(text, s_start, s_start + tail.start()),
                        tail.group(2),
                        "reported",
                        mention,
                    )
                )
                continue
        according = re.search(r",\s+according to\s+([^,.;]+?)[.!?]?$", sentence)
        if according and not CUE.search(sentence, 0, according.start()):
            mention = mention_at(text, s_start + according.start(1), s_start + according.end(1))
            if mention:
                q_end = strip_end(text, s_start, s_start + according.start())
                found.append(Found(s_start, q_end, "according to", "reported", mention))
            continue
        for cue in _REPORT_CUE.finditer(text, s_start, s_end):
            if inside(marks, cue.start()):
                continue
            after = text[cue.end() : s_end]
            lead = _LEAD.match(after)
            clause_start = cue.end() + (lead.end() if lead else 0)
            that = re.compile(r"[^“”\"]{0,80}?\bthat\s+").match(text, clause_start, s_end)
            if that and _NOT_SAID.match(text, clause_start):  # "said at the debate in Ohio that ..."
                clause_start = that.end()
            # a quotation's own full stop ends the clause: `X says Y “...together.” He warns ...`
            stop = re.compile(r"[.!?][”\"](?=\s+[A-Z])").search(text, clause_start, s_end)
            clause_end = strip_end(text, clause_start, stop.end() if stop else s_end)
            clause = text[clause_start:clause_end]
            if (
                clause[:1] in ",;:"
                or len(clause.split()) < 3
                or clause.lstrip().startswith(("“", '"'))
                or clause_start >= s_end
            ):
                continue
            pronoun_clause = re.match(r"(?:he|she|they|it|we|I)\s", clause)
            if (
                cue.group(0) in {"said", "says", "told"}
                and not pronoun_clause
                and not re.search(
                    r"\bthat\b|\bwas\b|\bwere\b|\bhad\b|\bhave\b|\bhas\b|\bis\b|\bare\b|\bwould\b|\bwill\b|\bcould\b|\bshould\b|\bcan\b|\bmust\b|\bmay\b|\bmight\b",
                    clause,
                )
            ):
                continue
            mention = subject_of(text, cue.start(), s_start, marks)
            if mention is None or (
                mention.name is None
                and not mention.pronoun
                and not has_role_noun(mention.text)
                and not is_body(mention.text)
            ):
                continue
            found.append(Found(clause_start, clause_end, cue.group(0), "reported", mention))
            break
    return [f for f in found if not _NOT_SAID.match(text, f.start)]


CLAUSE_WORDS = 5  # words after a cue, past its time and place, that say something of their own


def _goes_on(tail: re.Match[str]) -> bool:
    """True when the cue of `, X said ...` is followed by a clause of its own (`A week later, Lind
    said the plan would have to wait.`) or a quotation: what it said comes after it, not before."""
    rest = tail.string[tail.end(2) : tail.end()].rstrip(".!?,")
    lead = _LEAD.match(rest)
    if tail.string[tail.end() :].lstrip()[:1] in {"“", '"'}:
        return True  # `..., X said Wednesday, “...”`: the quotation is what X said
    return len(rest[lead.end() if lead else 0 :].split()) >= CLAUSE_WORDS


# What a statement does not open with: a circumstance (`Wednesday at the debate`, `In a
# Trump-Clinton matchup`, `Speaking on radio show ...`) or an aside in brackets.
_NOT_SAID = re.compile(
    r"(?:\(|(?:In|On|With|Of|From|During|After|Before|As|Then|Speaking|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|in|on|with|of|from|during|speaking)\b|[Aa]t\b(?! least| most))"
)


def strip_end(text: str, start: int, end: int) -> int:
    """End of a statement with trailing spaces and stops left out."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return end
