"""Requests and orders as reported speech, read from the parse: `X called on his forces not to
invade the plant`, `X urged residents to stay indoors`, `X told reporters to wait`.

What was said is whom the verb addresses and the infinitive clause after it ("his forces not to
invade the plant"), as PolNeAR annotates such attributions; the speaker is the verb's subject,
or that of the clause the verb is joined to (`Putin declared victory ... and called on ...`).
Only sentences outside quotation marks with a directive verb form and a "to" after it are parsed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.attribution.mentions import Mention
from assistant.attribution.parsing import parses
from assistant.attribution.reported import Found
from assistant.attribution.speech import speaker_phrase
from assistant.text.sentences import inside, sentences_outside
from assistant.text.words import DIRECTIVE_PARTICLES, DIRECTIVE_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Forms of the verbs above with a "to" after them: only these sentences are parsed, and the parse
# decides (by lemma, object and infinitive) which ones are requests.
_CANDIDATE = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|call(?:s|ed|ing)?\s+(?:on|upon)|order(?:s|ed|ing)?|"
    r"tell(?:s|ing)?|told|instruct(?:s|ed|ing)?|implor(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)|"
    r"beg(?:s|ged|ging)?|appeal(?:s|ed|ing)?\s+to|advis(?:e|es|ed|ing)|warn(?:s|ed|ing)?|"
    r"press(?:es|ed|ing)?|direct(?:s|ed|ing)?|command(?:s|ed|ing)?|exhort(?:s|ed|ing)?|"
    r"plead(?:s|ed|ing)?\s+with|challeng(?:e|es|ed|ing))\s+(?:[^\s.;:!?“”\"]+\s+){1,8}?(?:not\s+)?to\s+[a-z]"
)
_OBJECTS = {"dobj", "dative"}
# Links of a verb to the clause it belongs to, up to a subject: "and called on" (conj), "despite
# ... to take ... and called" (acl, pobj, prep), "..., urging X to" (advcl, xcomp).
_UP = {"conj", "acl", "advcl", "xcomp", "pobj", "prep", "pcomp"}


def directives(
    text: str, paragraphs: list[tuple[int, int]], marked: list[list[tuple[int, int]]], found: list[Found]
) -> list[Found]:
    """The requests and orders of an article as reported statements, in order, but for those
    over the words of a statement already `found` (`urged` is a reporting cue of its own)."""
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    for (p_start, p_end), marks in zip(paragraphs, marked, strict=True):
        for s_start, s_end in sentences_outside(text, p_start, p_end, marks):
            hit = _CANDIDATE.search(text, s_start, s_end)
            if hit is not None and not inside(marks, hit.start()):
                windows.append((s_start, s_end, marks))
    if not windows:
        return []
    requests = []
    for (start, _, marks), doc in zip(windows, parses(text[a:b] for a, b, _ in windows), strict=True):
        said = directive(doc, start, text, marks)
        if said is not None and not any(said.start < f.end and f.start < said.end for f in found):
            requests.append(said)
    return requests


def directive(doc: Doc, offset: int, text: str, marks: list[tuple[int, int]]) -> Found | None:
    """The first request or order in the parse `doc` of `text[offset:...]`; None without one."""
    for verb in doc:
        if (
            verb.pos_ != "VERB"
            or verb.lemma_.lower() not in DIRECTIVE_VERBS
            or inside(marks, verb.idx + offset)
        ):
            continue
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            continue  # "he was asked to leave": asked by whom the sentence does not say
        addressed, particle = _addressed(verb)
        clause = next((c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and _infinitive(c)), None)
        if addressed is None or clause is None or clause.i < addressed.i:
            continue
        subject = _subject(verb)
        if subject is None:
            continue
        mention = speaker_phrase(text, offset, subject, marks)
        if mention is None:
            continue
        start = addressed.left_edge.idx + offset
        last = clause.right_edge
        while last.i > clause.i and last.is_punct:
            last = doc[last.i - 1]
        end = last.idx + len(last.text) + offset
        if inside(marks, start) or _mentions_overlap(mention, start, end):
            continue
        cue = verb.text if particle is None else f"{verb.text} {particle.text}"
        return Found(start, end, cue, "reported", mention)
    return None


def _addressed(verb: Token) -> tuple[Token | None, Token | None]:
    """Whom a directive verb addresses, its object or the object of its particle (`called on X`),
    and that particle."""
    for child in verb.children:
        if child.dep_ in _OBJECTS and child.i > verb.i:
            return child, None
        if child.dep_ == "prep" and child.lower_ in DIRECTIVE_PARTICLES.get(verb.lemma_.lower(), set()):
            return next((c for c in child.children if c.dep_ == "pobj"), None), child
    return None, None


def _infinitive(clause: Token) -> bool:
    """True for `to VERB ...` (with `not`), the shape of what someone is asked to do."""
    return clause.pos_ in {"VERB", "AUX"} and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
    )


def _subject(verb: Token) -> Token | None:
    """The subject of the verb, or of the first verb up its clause that has one."""
    current = verb
    for _ in range(6):
        subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
        if current.dep_ not in _UP or current.head.i == current.i:
            return None
        current = current.head
    return None


def _mentions_overlap(mention: Mention, start: int, end: int) -> bool:
    return mention.start < end and start < mention.end
