"""Dates and figures in a statement: the year, month or weekday a date names, and each number with
the thing it counts ("30 civilians and 300 children" -> civilian: 30, child: 300). Read by
`claims` for the slots two statements are compared on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.text.words import STOP_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SCALES = frozenset("hundred thousand million billion trillion".split())
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTHS = "january february march april may june july august september october november december".split()
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Value:
    """One name or date a statement gives, as written, with the slot it fills."""

    text: str
    slot: str  # "person", "organisation", "place", "group" or "date"
    key: frozenset[str]  # its lower-case words (a date: its year, weekday or month)


def dates_of(ent: Span) -> list[Value]:
    """The year, weekday, month and day a DATE entity names ("March 15"; relative dates and
    durations, "last month", "10 years", none)."""
    lower = ent.text.lower()
    keys = set(_YEAR.findall(lower))
    keys |= {w for w in re.findall(r"[a-z]+", lower) if w in _WEEKDAYS or w in _MONTHS}
    if keys - set(_WEEKDAYS):  # a day of the month with its month or year
        keys |= {n for n in re.findall(r"\b\d{1,2}\b", lower)}
    return [Value(ent.text, "date", frozenset(keys))] if keys else []


def figures_of(
    content: list[Token], inside: set[int]
) -> tuple[dict[str, frozenset[str]], dict[str, str], dict[str, frozenset[str]], set[int]]:
    """Each counted thing with its numbers, as written, and the words around it ("still
    inside the plant"); the tokens of the numbers."""
    found: dict[str, set[str]] = {}
    written: dict[str, str] = {}
    context: dict[str, set[str]] = {}
    used: set[int] = set()
    for token in content:
        if not is_number(token) or token.i in used or _in_calendar_date(token):
            continue
        top = token
        while is_number(top.head) and top.head.i != top.i and top.head.i in inside:
            top = top.head
        group = [t for t in top.subtree if is_number(t) or t.lower_ in SCALES or t.text in "$€£"]
        used.update(t.i for t in group)
        numbers = [t for t in group if is_number(t) and t.lower_ not in SCALES]
        scale = " ".join(t.lower_ for t in group if t.lower_ in SCALES)
        counted = _counted(top, group)
        if counted is None:
            continue
        thing, noun = counted
        for n in numbers:
            found.setdefault(thing, set()).add(_plain(n.lower_) + (f" {scale}" if scale else ""))
        ends = [t.i for t in group] + ([noun.i] if noun is not None else [])
        written.setdefault(thing, top.doc[min(ends) : max(ends) + 1].text)
        around = noun.subtree if noun is not None else top.head.subtree
        context.setdefault(thing, set()).update(
            lemma(t) for t in around if t.is_alpha and t.lower_ not in STOP_WORDS and t is not noun
        )
    frozen = {k: frozenset(v) for k, v in context.items()}
    return {k: frozenset(v) for k, v in found.items()}, written, frozen, used


def _in_calendar_date(token: Token) -> bool:
    """A year, or a day with its month: a date, not a figure."""
    if token.ent_type_ != "DATE":
        return False
    words = {t.lower_ for t in token.sent if t.ent_type_ == "DATE"}
    return bool(_YEAR.fullmatch(token.text)) or bool(words & set(_MONTHS))


def _counted(top: Token, group: list[Token]) -> tuple[str, Token | None] | None:
    """What a number counts (its noun, "civilian"; a currency; "percent"; "334 of the 865
    delegates": delegate), and the noun's token; else the word it qualifies ("100 more")."""
    currency = next((t.text for t in group if t.text in "$€£"), None)
    if currency:
        return currency, None
    if top.dep_ in {"nummod", "quantmod"} and top.head.pos_ in {"NOUN", "PROPN"}:
        return ("percent" if top.head.lower_ in {"percent", "%"} else lemma(top.head)), top.head
    if top.dep_ == "pobj" and top.head.lower_ == "of" and top.head.head.pos_ == "NOUN":
        return lemma(top.head.head), None  # "a total of 30"
    of = next((c for c in top.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if noun is not None and noun.pos_ == "NOUN":
        return lemma(noun), noun
    return f"({lemma(top.head)})", None


def _plain(number: str) -> str:
    """ "100,000" and "100000" alike."""
    return number.replace(",", "").rstrip(".")


def is_number(token: Token) -> bool:
    """A number, in figures or words."""
    return token.pos_ == "NUM" or token.like_num


def lemma(token: Token) -> str:
    """A token's lemma, lower-case."""
    return token.lemma_.lower()
