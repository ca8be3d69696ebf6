"""Whom "he" or "she" means when the article's last speaker or subject does not say: a linear
score over the capitalised names before the pronoun, fitted as a conditional logit (a softmax
over each pronoun's candidates) by `scripts/train_attribution.py` on PolNeAR `train/`.

PolNeAR marks no coreference, so the score learns from a weak label: for each gold source "he"
or "she", the named gold source before it (within 2,000 characters) is taken as the one meant.
A name is chosen only when its probability reaches THRESHOLD (on held-out train/ articles,
0.797 of the names so chosen matched the label); otherwise the speaker stays unresolved. Every
feature is a regular expression or a count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from assistant import fitted
from assistant.text.words import NOT_NAMES, NOT_PERSON_WORDS, PREPOSITIONS, SPEECH_VERBS, STOP_WORDS, TITLES

FEATURES = (
    "nearest",  # 1 for the name met last before the pronoun
    "rank",  # ln(1 + its rank by recency among the distinct names)
    "distance",  # ln(1 + characters from its last mention to the pronoun, in hundreds)
    "full_name",  # 1 when some mention of it has two or more name words ("Florent Groberg")
    "mentions",  # ln(1 + its mentions before the pronoun)
    "opens_sentence",  # 1 when its last mention opens a sentence (the sentence is about it)
    "titled",  # 1 when a title stands before a mention of it ("Sen.", "President", "spokesman")
    "speaks",  # 1 when a speech verb stands right after or before a mention of it
    "last_speaker",  # 1 for the name met last with a speech verb beside it
    "possessive",  # 1 when its last mention is a possessive ("Trump’s")
    "after_preposition",  # 1 when its last mention follows a preposition ("in Iowa")
    "same_paragraph",  # 1 when its last mention is in the pronoun's paragraph
)
FITTED = fitted.load("antecedents", FEATURES)  # assistant/fitted/antecedents.json: the data, script and date
WEIGHTS = FITTED.weights
THRESHOLD = 0.6  # the least probability at which a name is taken as the pronoun's antecedent
WINDOW = 3000  # characters before the pronoun in which names are candidates

_ABBREVIATED_TITLES = "sen rep gov mr mrs ms dr capt lt col gen sgt maj adm cpl pvt rev".split()
_RUN = re.compile(r"[A-ZÀ-Þ][\w’'\-]*\.?(?:\s+[A-ZÀ-Þ][\w’'\-]*\.?){0,3}")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_WORD_BEFORE = re.compile(r"([\w’'\-.]+)\W*$")
_WORD_AFTER = re.compile(r"\W*?([\w’'\-]+)")
_TITLE_WORDS = frozenset(t.rstrip(".").lower() for t in TITLES) | set(_ABBREVIATED_TITLES)
_NOT_NAME_WORDS = frozenset(w.lower() for w in NOT_NAMES | NOT_PERSON_WORDS) | STOP_WORDS
_SPEECH = frozenset(SPEECH_VERBS) | {"said", "says", "told", "added", "asked", "wrote", "tweeted"}


@dataclass
class Candidate:
    """A name met before a pronoun, with the features of its mentions."""

    name: str  # the longest form met ("Florent Groberg")
    key: str  # its last word, lower case: how mentions of one person are grouped
    features: dict[str, float]


def _mentions(text: str, start: int, end: int) -> list[tuple[int, int, list[str], bool]]:
    """(start, end, name words, titled) of capitalised runs outside quotation marks in
    `text[start:end]`, titles and words that name no person left out."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text, max(0, start - 500), end)]
    found = []
    for m in _RUN.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        words = m.group(0).split()
        titled = False
        while words and (words[0].rstrip(".").lower() in _TITLE_WORDS or words[0].lower() in _NOT_NAME_WORDS):
            titled = titled or words[0].rstrip(".").lower() in _TITLE_WORDS
            words = words[1:]
        words = [w.rstrip(".") for w in words]
        if not words or any(w in NOT_PERSON_WORDS for w in words) or words[-1].lower() in _NOT_NAME_WORDS:
            continue
        if not re.search(r"[a-z]", words[-1]):
            continue  # "ISIS", "GOP": an acronym names a body
        found.append((m.start(), m.end(), words, titled))
    return found


def candidates(text: str, at: int) -> list[Candidate]:
    """The distinct names before offset `at` (within WINDOW characters), most recent first."""
    window = max(0, at - WINDOW)
    paragraph = text.rfind("\n", 0, at)
    groups: dict[str, Candidate] = {}
    for start, end, words, titled in reversed(_mentions(text, window, at)):
        possessive = words[-1].endswith(("’s", "'s"))
        key = re.sub(r"(?:’s|'s)$", "", words[-1]).lower()
        if not key:
            continue
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        after = _WORD_AFTER.match(text, end)
        word_before = before.group(1).lower() if before else ""
        word_after = after.group(1).lower() if after else ""
        speaks = float(word_after in _SPEECH or word_before in _SPEECH)
        name = " ".join(words).removesuffix("’s").removesuffix("'s")
        if key in groups:  # an earlier mention of a name met again later
            found = groups[key]
            f = found.features
            f["mentions"] += 1
            f["full_name"] = max(f["full_name"], float(len(words) >= 2))
            f["titled"] = max(f["titled"], float(titled))
            f["speaks"] = max(f["speaks"], speaks)
            if len(name) > len(found.name):
                found.name = name
            continue
        opens = re.search(
            r"(?:^|[.!?”\"]\s+|\n\s*)(?:(?:But|And|So|Yet|Still|Then),?\s+)?$",
            text[max(0, start - 40) : start],
        )
        groups[key] = Candidate(
            name,
            key,
            {
                "nearest": float(not groups),
                "rank": math.log1p(len(groups)),
                "distance": math.log1p((at - end) / 100),
                "full_name": float(len(words) >= 2),
                "mentions": 1.0,
                "opens_sentence": float(opens is not None),
                "titled": float(titled),
                "speaks": speaks,
                "last_speaker": 0.0,
                "possessive": float(possessive),
                "after_preposition": float(word_before in PREPOSITIONS),
                "same_paragraph": float(paragraph < start),
            },
        )
    speakers = [c for c in groups.values() if c.features["speaks"]]
    for found in groups.values():
        found.features["mentions"] = math.log1p(found.features["mentions"])
        found.features["last_speaker"] = float(bool(speakers) and found is speakers[0])
    return list(groups.values())


def matrix(found: list[Candidate]) -> np.ndarray:
    """The candidates' features as rows, in FEATURES order."""
    return np.array([[c.features[name] for name in FEATURES] for c in found], dtype=float).reshape(
        len(found), len(FEATURES)
    )


def probabilities(found: list[Candidate], weights: np.ndarray = WEIGHTS) -> np.ndarray:
    """The softmax of the candidates' scores."""
    scores = matrix(found) @ weights
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


def antecedent(text: str, at: int) -> str | None:
    """The name "he" or "she" at offset `at` most likely means, or None when no name is likely enough.

    Example:
        >>> text = "Florent Groberg spoke on Sunday.\\n\\n“We stay,” he said."
        >>> antecedent(text, text.index("he said"))
        'Florent Groberg'
    """
    found = candidates(text, at)
    if not found:
        return None
    p = probabilities(found)
    best = int(p.argmax())
    return found[best].name if p[best] >= THRESHOLD else None
