"""Which noun phrase a quotation's speaker is: the rules' pick and every other noun phrase of the
quotation's sentence and the ones beside it, scored by a linear model over features of the
parse, fitted as a conditional logit (a softmax over each quotation's candidates) by
`scripts/train_attribution.py` on PolNeAR `train/`; the best-scored one is the speaker mention.

The rules find a cue and its subject; where they pick "That" (`That makes her “...”`), a
dateline (`LONDON (Reuters) - Trump said ...`) or a place, the score prefers the phrase a reader
would name. Every feature is read from the spaCy parse the rules already made.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from assistant import fitted
from assistant.attribution.mentions import Mention, has_role_noun
from assistant.attribution.speech import is_speech, speaker_phrase, subject_token
from assistant.text.sentences import inside
from assistant.text.words import NOT_NAMES, NOT_PERSON_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FEATURES = (
    "rule",  # 1 for the rules' pick (the subject of the cue next to the quotation, or a pattern's)
    "speech_subject",  # 1 for the subject of a speech verb outside quotation marks
    "nearest_speech_subject",  # 1 for the subject of the speech verb nearest the quotation
    "verb_subject",  # 1 for the subject of any verb
    "according",  # 1 for the object of "according to"
    "object",  # 1 for another verb's or preposition's object
    "proper",  # 1 for a proper noun head
    "person_pronoun",  # 1 for he, she, I
    "other_pronoun",  # 1 for it, they, that, who ...
    "role",  # 1 when the phrase holds a role noun ("spokeswoman", "senator")
    "named",  # 1 when the phrase holds a name
    "same_sentence",  # 1 in the quotation's own sentence
    "after",  # 1 after the quotation
    "distance",  # ln(1 + characters between phrase and quotation / 20)
    "upper",  # 1 for a phrase in capitals (a dateline, a headline)
    "body_word",  # 1 for a phrase with a place or body word ("New Hampshire", "State Department")
    "governs",  # 1 for the subject of a verb the quotation hangs under (`Ryan saying he was “...”`)
    "person_name",  # 1 for a name the article also gives as a person's full name ("Kasich")
    "thing",  # 1 for a common noun that is no role ("the first incident", "his final assessment")
    "previous",  # 1 for the previous statement's speaker, kept by a quotation without a cue of its own
)
FITTED = fitted.load("ranking", FEATURES)  # assistant/fitted/ranking.json: the data, script and date
WEIGHTS = FITTED.weights
_HEADS = {"PROPN", "NOUN", "PRON"}
_NOT_HEADS = {"compound", "poss", "amod", "nmod", "det", "nummod", "flat", "case", "npadvmod"}
# two or three capitalised words, the last one a surname: "Carl Bialik", "Michael P. McDonald"
_FULL_NAME = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ’'\-]+(?:\s+[A-Z]\.)?(?:\s+[A-ZÀ-Þ][a-zà-ÿ’'\-]+){1,2}\b")


@dataclass
class Option:
    """A noun phrase that may be a quotation's speaker, with the cue it is the subject of."""

    mention: Mention
    cue: str | None
    features: dict[str, float]


def options(
    doc: Doc,
    offset: int,
    text: str,
    q_start: int,
    q_end: int,
    marks: list[tuple[int, int]],
    rule: tuple[str, Mention] | None,
) -> list[Option]:
    """The candidate speakers of the quotation `text[q_start:q_end]` in the parse `doc` (of the
    text from `offset` on); the rules' pick `rule` first, when there is one."""
    sentences = list(doc.sents)
    own = [
        i for i, s in enumerate(sentences) if s.start_char + offset < q_end and q_start < s.end_char + offset
    ]
    if not own:
        return []
    near = range(max(0, own[0] - 1), min(len(sentences), own[-1] + 2))
    speech = [
        (t, subject_token(t))
        for i in near
        for t in sentences[i]
        if not inside(marks, t.idx + offset) and is_speech(t)
    ]
    subjects = {s.i: v for v, s in speech if s is not None}
    # `“...,” he said, according to Interfax`: the one quoted speaks, the outlet reports it
    reporters = {s.i for v, s in speech if s is not None and v.lower_ == "according"}
    if len(reporters) == len(subjects):
        reporters = set()
    nearest = min(
        ((v, s) for v, s in speech if s is not None),
        key=lambda vs: abs(vs[0].idx + offset - (q_start if vs[0].idx + offset < q_start else q_end)),
        default=None,
    )
    # verbs the quotation's words hang under: `Ryan saying he was “very encouraged”`
    quoted = [t for i in own for t in sentences[i] if q_start <= t.idx + offset < q_end]
    governing = {a.i for t in quoted[:1] for a in t.ancestors if a.pos_ in {"VERB", "AUX"}}
    surnames = _surnames(text)
    found: list[Option] = []
    if rule is not None:
        found.append(Option(rule[1], rule[0], {}))
    taken = {(rule[1].start, rule[1].end)} if rule is not None else set()
    for i in near:
        for t in sentences[i]:
            at = t.idx + offset
            if t.pos_ not in _HEADS or t.dep_ in _NOT_HEADS or inside(marks, at) or q_start <= at < q_end:
                continue
            if t.i in reporters:
                continue
            mention = speaker_phrase(text, offset, t, marks)
            if mention is None or (mention.start, mention.end) in taken:
                continue
            taken.add((mention.start, mention.end))
            verb = subjects.get(t.i)
            found.append(Option(mention, verb.text if verb is not None else None, {}))
    for option in found:
        head = _head(doc, offset, option.mention)
        option.features = _features(option, head, offset, q_start, q_end, own, sentences, subjects, nearest)
        option.features["governs"] = float(
            head is not None and head.dep_ in {"nsubj", "nsubjpass"} and head.head.i in governing
        )
        name = option.mention.name
        option.features["person_name"] = float(
            name is not None and not name.isupper() and name.split()[-1] in surnames
        )
        option.features["rule"] = float(rule is not None and option is found[0])
    return found


def _head(doc: Doc, offset: int, mention: Mention) -> Token | None:
    """The syntactic head of a mention's words in the parse, if they are in it."""
    span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _features(
    option: Option,
    head: Token | None,
    offset: int,
    q_start: int,
    q_end: int,
    own: list[int],
    sentences: list,
    subjects: dict[int, Token],
    nearest: tuple[Token, Token | None] | None,
) -> dict[str, float]:
    mention = option.mention
    words = mention.text
    lower = words.lower()
    gap = q_start - mention.end if mention.end <= q_start else max(0, mention.start - q_end)
    f = {
        "speech_subject": 0.0,
        "nearest_speech_subject": 0.0,
        "verb_subject": 0.0,
        "according": 0.0,
        "object": 0.0,
        "proper": 0.0,
        "person_pronoun": float(lower in {"he", "she", "i"}),
        "other_pronoun": 0.0,
        "role": float(has_role_noun(words)),
        "named": float(mention.name is not None),
        "same_sentence": 0.0,
        "after": float(mention.start >= q_end),
        "distance": math.log1p(gap / 20),
        "upper": float(len(words) > 2 and words.isupper()),
        "body_word": float(any(w in NOT_PERSON_WORDS for w in words.split())),
        "thing": 0.0,
        "previous": 0.0,
    }
    if head is not None:
        f["speech_subject"] = float(head.i in subjects)
        f["nearest_speech_subject"] = float(
            nearest is not None and nearest[1] is not None and head.i == nearest[1].i
        )
        f["verb_subject"] = float(head.dep_ in {"nsubj", "nsubjpass"})
        to = head.head
        f["according"] = float(head.dep_ == "pobj" and to.lower_ == "to" and to.head.lower_ == "according")
        # a noun the parse hangs on a verb as a preposition (`compared Trump to ...`) is its object
        misparsed = head.dep_ == "prep" and head.pos_ in _HEADS
        f["object"] = float((head.dep_ in {"dobj", "pobj"} or misparsed) and not f["according"])
        f["proper"] = float(head.pos_ == "PROPN")
        f["other_pronoun"] = float(head.pos_ == "PRON" and not f["person_pronoun"])
        f["same_sentence"] = float(any(sentences[i].start <= head.i < sentences[i].end for i in own))
        f["thing"] = float(head.pos_ == "NOUN" and not f["role"] and mention.name is None)
    return f


@lru_cache(maxsize=4)
@lru_cache(maxsize=4)  # asked once per quotation, of the same article
def _surnames(text: str) -> frozenset[str]:
    """Last words of the full names of persons in an article: runs of two or three capitalised
    words with no place or body word ("Carl Bialik", not "New Hampshire" or "State Department")."""
    found = set()
    for m in _FULL_NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0] in NOT_NAMES:  # "President Barack Obama", "But Carl Bialik"
            words = words[1:]
        if len(words) >= 2 and not any(w in NOT_PERSON_WORDS or w in NOT_NAMES for w in words):
            found.add(words[-1])
    return frozenset(found)


def matrix(found: list[Option]) -> np.ndarray:
    """The options' features as rows, in FEATURES order."""
    rows = [[o.features[name] for name in FEATURES] for o in found]
    return np.array(rows, dtype=float).reshape(len(found), len(FEATURES))


def best(found: list[Option], weights: np.ndarray = WEIGHTS) -> Option | None:
    """The option of highest score (the first on a tie: the rules' pick), None for none."""
    if not found:
        return None
    return found[int(np.argmax(matrix(found) @ weights))]


def instead_of_previous(found: list[Option], previous: Mention, q_start: int) -> Option | None:
    """For a quotation without a cue of its own, which the rules give to the previous statement's
    speaker `previous`: the option that scores above that speaker (`Clinton supports “...”` after
    a quote of Sanders), or None to keep it. The previous speaker joins `found` as an option."""
    if not found:
        return None
    gap = max(0, q_start - previous.end)
    features = dict.fromkeys(FEATURES, 0.0) | {"previous": 1.0, "distance": math.log1p(gap / 20)}
    found.append(Option(previous, None, features))
    pick = best(found)
    return None if pick is found[-1] else pick
