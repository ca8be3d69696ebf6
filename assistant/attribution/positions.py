"""Who a quotation belongs to from where it stands, whatever the verb: right after it, its speaker
and a verb (`“Go back to Univision,” Trump barked`, `“This is fantastic!” beamed Donald Hartley`,
`“Would it be negotiable?” Hannity pressed`); or before it, a clause and a comma (`Trump issued a
statement, “...”`, `she released a statement saying, “...”`, `he began by saying, “...”`).

The speech verbs of `text.words` and the parse's subjects miss these: the verb is no word of the
list, and the parser, meeting a verb it does not expect after a quotation, often hangs the name
on the quotation instead of making it the verb's subject. The place alone says who spoke: a
quotation that ends with a comma, a question or an exclamation, then a noun phrase and a verb in
the past or present (or the verb first, then a name), is a quotation and its speaker; so is a
quotation a clause introduces with a comma, spoken by that clause's subject.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.attribution.cues import before_cue
from assistant.attribution.mentions import Mention, mention_after, mention_at
from assistant.attribution.speech import speaker_phrase, starting_within
from assistant.text.sentences import inside, sentence_around

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_FINITE = {"VBD", "VBZ", "VBP", "VBN"}  # `Trump barked` is often tagged as a participle
_NOMINAL = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PUNCT", "ADV"}
_LONGEST = 8  # words of a speaker phrase at most


def trailing_speaker(
    doc: Doc, offset: int, text: str, q_start: int, q_end: int
) -> tuple[str, Mention] | None:
    """(verb, speaker) of the quotation `text[q_start:q_end]` from the noun phrase and verb right
    after it; None when its last words end a sentence or no finite verb follows a noun phrase."""
    if text[q_end - 2 : q_end - 1] not in {",", "?", "!"} and text[q_end : q_end + 1] != ",":
        return None
    after = list(starting_within(doc, q_end - offset, len(doc.text) + 1))
    while after and after[0].is_punct:
        after = after[1:]
    if not after or after[0].tag_ in {"WDT", "WP"}:
        return None  # `“radical Islam,” which some Republicans want`: a clause about the words
    if _finite(after[0]):  # `“...!” beamed Donald Hartley`
        start, end = _end_of(after[0]) + offset, after[0].sent.end_char + offset
        while start < end and text[start].isspace():
            start += 1
        mention = mention_after(text, start, end)
        return (after[0].text, mention) if mention is not None and mention.name else None
    for n, token in enumerate(after[: _LONGEST + 1]):
        if _finite(token):
            phrase = after[:n]
            mention = mention_at(text, phrase[0].idx + offset, _end_of(phrase[-1]) + offset)
            return (token.text, mention) if mention is not None else None
        if token.pos_ not in _NOMINAL or token.text in {".", ";", ":", "“", '"'}:
            return None
    return None


def introducing_speaker(
    doc: Doc, offset: int, text: str, q_start: int, q_end: int, marks: list[tuple[int, int]]
) -> tuple[str, Mention] | None:
    """(verb, speaker) of the quotation `text[q_start:q_end]`, which ends its sentence, from the
    clause before it that ends in a comma: the subject of the first verb up the parse from the
    comma that has one, the verb nearest the quotation its cue; None without such a clause, or
    when the quotation holds no verb (a name for something, not words said)."""
    before = text[:q_start].rstrip()
    rest = text[q_end : q_end + 2].lstrip(" ")
    if not before.endswith(",") or (rest and (rest[0].islower() or rest[0] in ",—–-")):
        return None  # `as he puts it, “...” is that ...`: the quotation is part of a clause going on
    words = [t for t in starting_within(doc, 0, len(before) - 1 - offset) if not t.is_punct]
    if not words or inside(marks, words[-1].idx + offset):
        return None
    quoted = list(starting_within(doc, q_start - offset, q_end - offset))
    if not any(t.pos_ in {"VERB", "AUX"} for t in quoted):
        return None  # `the charged term, “radical Islam,”`: a name for something, not words said
    current, cue = words[-1], None
    for _ in range(6):
        if inside(marks, current.idx + offset) or current.sent != words[-1].sent:
            return None
        if current.pos_ in {"VERB", "AUX"}:
            cue = cue or current
            subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.i < words[-1].i:
                mention = speaker_phrase(text, offset, subject, marks)
                return (cue.text, mention) if mention is not None else None
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def _finite(token: Token) -> bool:
    """A verb in the past or present that may say something (not `had`, `was`, `did`)."""
    return token.pos_ == "VERB" and token.tag_ in _FINITE and token.lemma_ not in {"be", "have", "do"}


def _end_of(token: Token) -> int:
    return token.idx + len(token.text)


_SIGNATURE = re.compile(r"[ \t]*[-—―–]+[ \t]*(?P<np>[^,.;:“”\"\d]{2,80}?)[ \t]*(?:,|\.?[ \t]*$)")
_SIGNATURE_LINE = 200  # characters at most of a paragraph that signs the quotation above it


def signed_below(
    text: str, paragraphs: list[tuple[int, int]], p_index: int, q_end: int
) -> tuple[str, Mention] | None:
    """`"Great speech. ..."` then a paragraph `-President Obama, tweeting after Clinton's speech.`:
    the name that signs a quotation ending its paragraph, on the next line; None without one."""
    if p_index + 1 >= len(paragraphs) or text[q_end : paragraphs[p_index][1]].strip(' \t”".,'):
        return None
    start, end = paragraphs[p_index + 1]
    signed = _SIGNATURE.match(text, start, end) if end - start <= _SIGNATURE_LINE else None
    if signed is None:
        return None
    mention = mention_at(text, signed.start("np"), signed.end("np"))
    return ("―", mention) if mention is not None and mention.name else None


def said_just_before(
    text: str, p_start: int, q_start: int, marks: list[tuple[int, int]]
) -> tuple[str, Mention] | None:
    """`Sam Lau, the party's spokesman, said in a statement. “There are no ballots ...”`: a
    quotation opening a sentence right after one whose speech cue has a subject, in the same
    paragraph, is that subject's; None otherwise."""
    stop = text[:q_start].rstrip(' \t“"')
    if stop <= text[:p_start] or not stop.endswith(".") or inside(marks, len(stop) - 1):
        return None
    s_start = sentence_around(text, p_start, len(stop), marks, len(stop) - 1)[0]
    if any(s_start <= a < len(stop) for a, _ in marks):
        return None  # a sentence with a quotation of its own has its own statement
    return before_cue(text, s_start, len(stop), s_start, marks)
