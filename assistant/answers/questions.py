"""What a question asks: the people, organisations, places, years, months and numbers it names,
the kind of answer it wants (who, when, where, how many / how much) and the thing it asks about
(its "focus"), read from the spaCy parse and entities of the question. `answerability` checks
them against the evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answers.selection import asks_for
from assistant.attribution.parsing import entity_parser
from assistant.text.dates import MONTHS
from assistant.text.words import PERSON_NOUNS, STOP_WORDS

_NAMED = {"PERSON": "person", "ORG": "name", "GPE": "name", "LOC": "name", "FAC": "name", "EVENT": "name"}
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMERAL = re.compile(r"\d(?:[\d,.]*\d)?")
_WH = re.compile(r"\b(?:who|whom|whose|what|which|when|where|how)\b", re.IGNORECASE)
_PART = re.compile(r"\?\s*|,?\s+and\s+(?=(?:who|what|which|when|where|how|why)\b)", re.IGNORECASE)
MONTH = re.compile(rf"\b({'|'.join(m.capitalize() for m in MONTHS)})\b")
_SPEECH_QUESTION = re.compile(
    r"\b(?:what|how) (?:did|does|do|has|have|had|will|would) (?P<who>.+?) "
    r"(?:say|tell|think|argue|claim|write|respond|react|explain|answer|justify|describe|call)\b",
    re.IGNORECASE,
)
# Nouns a focus is too general to check ("what figure", "how many people", "what share").
_GENERIC = frozenset(
    """figure number amount total share percentage percent rate people person thing things way
    kind type part time year years day days much many money size level name title source goal
    issue purpose meaning role reason cause use value point idea main first last""".split()
)


@dataclass(frozen=True)
class Constraints:
    """What a question asks for and names."""

    people: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # organisations, places, events; "A|B": coordinated, either will do
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    kind: str | None = None  # "who", "when", "where", "number" (see `selection.asks_for`)
    focus: tuple[str, ...] = ()  # word stems of the thing asked about; any one meets it
    focus_words: str = ""  # as the question writes them, for a decline's wording


def stem(word: str) -> str:
    """A crude stem: lower case without a plural or verb ending ("viewers" -> "view")."""
    word = word.lower().strip("'’")
    for ending in ("ings", "ing", "ers", "er", "ies", "es", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def parts(question: str) -> list[str]:
    """The questions `question` asks: "X? Y?" and "what ..., and how ..." are two; text in
    brackets (which outlets to read) is left out."""
    plain = re.sub(r"\([^)]*\)", " ", question)
    found = [p.strip(" ,;") for p in _PART.split(plain)]
    return [p for p in found if len(p.split()) >= 3] or [plain]


@lru_cache(maxsize=256)
def constraints(question: str) -> Constraints:
    """The constraints of one question (see `parts`), from its parse and entities."""
    doc = entity_parser()(question)
    people, names = [], []
    groups: dict[int, list[str]] = {}  # names in one coordination ("in A, B and C"): any one will do
    for ent in doc.ents:
        kind = _NAMED.get(ent.label_)
        text = re.sub(r"^(?:the|The)\s+|[’']s$", "", ent.text).strip()
        if not any(c.isupper() for c in text):
            continue  # a name the question writes in lower case is the recognizer's guess
        if kind == "person":
            people.append(text)
        elif kind == "name" and len(text) > 1:
            root = ent.root
            while root.dep_ == "conj" and root.head is not root:
                root = root.head
            if root.i not in groups:
                names.append(text)
                groups[root.i] = []
            groups[root.i].append(text)
    names = [next("|".join(g) for g in groups.values() if g[0] == n) for n in names]
    # a figure ("$916 million", "10,000"), not the number of a season or a sequel ("season 8")
    numbers = [
        n for n in _NUMERAL.findall(question) if not YEAR.fullmatch(n) and sum(c.isdigit() for c in n) >= 3
    ]
    focus, words = _focus(doc)
    return Constraints(
        people=tuple(dict.fromkeys(people)),
        names=tuple(dict.fromkeys(n for n in names if n not in people)),
        years=tuple(dict.fromkeys(YEAR.findall(question))),
        months=tuple(dict.fromkeys(MONTH.findall(question))),
        numbers=tuple(dict.fromkeys(numbers)),
        kind=_kind(question, doc),
        focus=focus,
        focus_words=words,
    )


def _kind(question: str, doc: object) -> str | None:
    """What the question's own wh-word asks for (not a "who" inside a relative clause)."""
    wh = next(
        (
            w
            for w in _WH.finditer(question)
            if not question[: w.start()].strip(" ,") or question[: w.start()].rstrip().endswith(",")
        ),
        None,
    )
    if wh is None:
        return None
    opening = " ".join(question[wh.start() :].split()[:4])
    kind = asks_for(opening)
    if kind is None and wh.group().lower() in {"which", "what"}:
        tokens = [t for t in doc if t.idx >= wh.start()]  # type: ignore[attr-defined]
        # "Which congressman ...", "Which retired Air Force general ...": the noun phrase right after
        run = tokens[1 : 1 + next((k for k, t in enumerate(tokens[1:5]) if t.pos_ in {"AUX", "VERB"}), 4)]
        head = next((t for t in run if t.pos_ == "NOUN" and t.dep_ != "compound"), None)
        if head is not None and head.lemma_.lower() in PERSON_NOUNS:
            return "who"
    return kind


def _focus(doc: object) -> tuple[tuple[str, ...], str]:
    """The stems of the noun a "how many / how much / what N" question asks about, with its
    compounds and adjectives ("television viewers"), generic nouns left out."""
    tokens = list(doc)  # type: ignore[call-overload]
    for i, token in enumerate(tokens):
        lowered = token.lower_
        head = None
        if lowered in {"many", "much"} and i and tokens[i - 1].lower_ == "how":
            after = tokens[i + 1 : i + 4]
            if after and after[0].lower_ == "of":  # "how much of his pay", "of the world's diamonds"
                after = [c for c in after[0].children if c.dep_ == "pobj"][:1]
            # the noun right after ("how many television viewers"), not a name further on
            stop = next((k for k, t in enumerate(after) if t.pos_ not in {"NOUN", "ADJ"}), 3)
            run = after[:stop]
            head = next((t for t in reversed(run) if t.pos_ == "NOUN"), None)
        if head is not None:
            parts = [
                t
                for t in head.children
                if t.dep_ in {"compound", "amod"} and t.i < head.i and t.lower_ not in {"many", "much"}
            ]
            chosen = [*parts, head]
            kept = [t for t in chosen if t.lower_ not in _GENERIC and t.lower_ not in STOP_WORDS]
            if head.lemma_.lower() in PERSON_NOUNS:
                return (), ""
            if kept:
                return tuple(stem(t.text) for t in kept), " ".join(t.text for t in chosen)
            return (), ""
    return (), ""


def speech_subject(question: str) -> str | None:
    """Whose words "What did X say ..." asks for: X, else None."""
    found = _SPEECH_QUESTION.search(question)
    return found.group("who") if found else None
