"""Speakers across the collection: one entry per person, whatever each article calls them.

Within an article `people` has already made every surname, pronoun and description of a
person their full name. Across articles this module

- lists every span once: statements of one file that overlap are one statement (a direct
  quotation before reported speech over the same words, then the longer);
- ties a described but unnamed speaker ("A commander of the Azov battalion") to the one person
  of the same article whose role has the description's role noun and every capitalised word of
  it ("Azov commander Denys Prokopenko"); statements sharing a speaker mention share the longest
  description of it;
- joins full names that are one person: the same surname (or a spelling within SPELLING of it:
  "Zelensky" and "Zelenskyy") and compatible first names ("Sergey"/"Sergei", "J."/"John"), the
  same suffix ("Jr.");
- makes a lone surname ("Palamar") the one person of the collection with that surname; a lone
  word that is nobody's surname and has no role is an organisation or country ("Russia");
- keeps organisations ("the Kremlin", "Kyiv’s army") apart from people, and each unnamed person
  ("a senior Democrat") an entry of its own article: two articles' "a spokesman" are not one man.

Nothing here knows any article: see tests/test_persons.py for articles made to test it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.models import Quote
from assistant.models.speakers import ORGANISATION, PERSON, UNNAMED, Speaker
from assistant.text.words import (
    NOT_NAMES,
    NOT_PERSON_WORDS,
    PERSONAL_PRONOUNS,
    ROLE_CONTEXT,
    ROLE_NOUNS,
    ROLE_SYNONYMS,
    STOP_WORDS,
    TITLES,
)

SPELLING = 0.85  # similarity of two surnames (difflib ratio) that are one name spelled two ways
FIRST_NAME = 0.75  # the same for first names ("Sergey"/"Sergei")
MIN_FUZZY = 5  # shorter surnames must be spelled the same
DOMINANT = 4  # a lone surname means the person of that surname quoted this many times more than the rest
_PARTICLES = frozenset("de da di del dos du la le van von der den bin al ibn".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_WORD = re.compile(r"[\w’'\-.]+")
_ARTICLE = re.compile(r"(?i)^(?:the|a|an)\s+")
# Words before a name that are no part of it: "Speaker Paul Ryan", "Mr. Trump", "Even Lindsey Graham".
_TITLE_WORDS = (
    ROLE_CONTEXT
    | {w.lower() for w in NOT_NAMES | set(TITLES)}
    | frozenset("mr mrs ms miss dr sir rep sen gov gen col capt lt sgt prof rev even also then".split())
    | frozenset("speaker whip former ambassador director attorney vice majority minority".split())
    | STOP_WORDS - {"will", "may", "said"}  # "Now Bloomberg", "Himself Betsy Sharp"; "Will Hurd" is a name
)


@dataclass(frozen=True)
class Directory:
    """Every speaker of a set of quotes and their statements (date order, undated last)."""

    speakers: tuple[Speaker, ...]
    statements: dict[str, tuple[Quote, ...]]  # by Speaker.name; each Quote's speaker is that name
    unresolved: int = 0  # statements whose speaker the articles do not let us name

    def find(self, name: str) -> Speaker | None:
        """The speaker `name` means: a canonical name, a name an article uses, or a surname."""
        wanted = fold(bare_name(name))
        if not wanted:
            return None
        for test in (
            lambda s: fold(s.name) == wanted,
            lambda s: any(fold(n) == wanted for n in s.names),
            lambda s: s.kind == PERSON and _similar(_surname(s.name), wanted, SPELLING),
        ):
            found = [s for s in self.speakers if test(s)]
            if len(found) == 1:
                return found[0]
        return None


@lru_cache(maxsize=65536)
def fold(words: str) -> str:
    """Lower case, without accents, dots or a leading article; one kind of apostrophe."""
    plain = unicodedata.normalize("NFKD", words)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("’", "'").replace(".", "")
    return _ARTICLE.sub("", " ".join(plain.casefold().split()))


def distinct(quotes: Iterable[Quote]) -> list[Quote]:
    """The quotes with each span once: of overlapping statements of one file, a direct
    quotation before reported speech, then the longer. In article order."""
    by_source: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        by_source[quote.source].append(quote)
    kept: list[Quote] = []
    for found in by_source.values():
        chosen: list[Quote] = []
        for quote in sorted(
            found, key=lambda q: (q.kind != "direct", q.start_char - q.end_char, q.start_char)
        ):
            if not any(quote.start_char < c.end_char and c.start_char < quote.end_char for c in chosen):
                chosen.append(quote)
        kept.extend(chosen)
    return sorted(kept, key=lambda q: (q.source, q.start_char))


def is_full_name(words: str) -> bool:
    """Two to five name words, none a body's ("Department", "News"): "Sviatoslav Palamar"."""
    tokens = words.split()
    if not 2 <= len(tokens) <= 5 or _ARTICLE.match(words):
        return False
    for i, token in enumerate(tokens):
        if token.endswith(("’s", "'s")) or token.strip(".") in NOT_PERSON_WORDS:
            return False
        if not token[:1].isupper() and not (0 < i < len(tokens) - 1 and token.lower() in _PARTICLES):
            return False
    return True


def bare_name(name: str) -> str:
    """A name without the titles before it: "House Speaker Paul Ryan" -> "Paul Ryan", "Mr. Trump"
    -> "Trump"; anything else as it is."""
    words = name.split()
    if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        return name
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=65536)
def name_parts(name: str) -> tuple[str, str, str]:
    """(first name, surname, suffix) of a name, folded; the first name "" for a lone surname
    ("de Blasio"). A surname keeps its particles: "Bill de Blasio" -> ("bill", "de blasio", "")."""
    words = [w for w in fold(name).replace(",", " ").split() if w]
    suffix = words.pop() if len(words) > 2 and words[-1] in _SUFFIXES else ""
    start = len(words) - 1
    while start > 0 and words[start - 1] in _PARTICLES:
        start -= 1
    return (words[0] if start else ""), " ".join(words[start:]), suffix


def _surname(name: str) -> str:
    return name_parts(name)[1] if name.split() else ""


@lru_cache(maxsize=65536)
def _similar(a: str, b: str, threshold: float) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY and threshold == SPELLING:
        return False
    if a[:1] != b[:1] or 2 * min(len(a), len(b)) < threshold * (len(a) + len(b)):
        return False  # the ratio cannot reach the threshold: no need to compute it
    matcher = SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def same_person(a: str, b: str) -> bool:
    """Whether two full names name one person ("Volodymyr Zelensky", "Volodymyr Zelenskyy")."""
    first_a, last_a, suffix_a = name_parts(a)
    first_b, last_b, suffix_b = name_parts(b)
    if suffix_a != suffix_b or not _similar(last_a, last_b, SPELLING) or not first_a or not first_b:
        return False
    words_a, words_b = set(fold(a).split()), set(fold(b).split())
    if words_a <= words_b or words_b <= words_a:  # "Rodham Clinton", "Hillary Rodham Clinton"
        return True
    if len(first_a) == 1 or len(first_b) == 1:  # an initial
        return first_a[0] == first_b[0]
    return _similar(first_a, first_b, FIRST_NAME)


def _role_words(words: str) -> set[str]:
    return {fold(w).removesuffix("'s") for w in _WORD.findall(words)}


def _fits(description: str, role: str) -> bool:
    """Whether a role ("Azov commander") fits an unnamed speaker's description ("A commander of
    the Azov battalion"): its role noun, and every capitalised word of the description."""
    words = [w for w in _WORD.findall(description)[1:] if w.lower() not in {"the", "a", "an", "of"}]
    nouns = [w.lower() for w in words if w.lower() in ROLE_NOUNS]
    capitalised = {fold(w).removesuffix("'s") for w in words if w[:1].isupper()}
    if not nouns or not capitalised:
        return False
    have = _role_words(role)
    said = {fold(w) for w in words}
    heads = ROLE_SYNONYMS.get(nouns[0], {nouns[0]})
    # "a commander" is not "the deputy commander": every role noun of the role is in the description
    extra = {w for w in have if w in ROLE_NOUNS} - said - heads
    return bool(heads & have) and capitalised <= have and not extra


def _linked(quotes: list[Quote]) -> list[Quote]:
    """Unnamed speakers tied to the one named person of their article whose role fits."""
    longest: dict[tuple[str, int], str] = {}
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for q in quotes:
        if q.unnamed and q.speaker:
            key = (q.source, q.speaker_start)
            if len(q.speaker) > len(longest.get(key, "")):
                longest[key] = q.speaker
        elif q.speaker and q.role and _full(bare_name(q.speaker)):
            roles[q.source][q.speaker].add(q.role)
    linked = []
    for q in quotes:
        if q.unnamed and q.speaker:
            description = longest[(q.source, q.speaker_start)]
            fitting = [p for p, given in roles[q.source].items() if any(_fits(description, r) for r in given)]
            if len(fitting) == 1:
                person = fitting[0]
                q = replace(q, speaker=person, role=sorted(roles[q.source][person])[0], unnamed=False)
            else:
                q = replace(q, speaker=description)
        linked.append(q)
    return linked


def _person_keys(names: Iterable[str]) -> dict[str, str]:
    """Each full name -> the name its person is listed under (the most used of its spellings)."""
    counts = Counter(names)
    ordered = sorted(counts, key=lambda n: (-counts[n], -len(n), n))
    heads: dict[str, list[str]] = defaultdict(list)  # by the surname's first letter: `_similar` needs it
    key: dict[str, str] = {}
    for name in ordered:
        bucket = heads[name_parts(name)[1][:1]]
        head = next((h for h in bucket if same_person(h, name)), None)
        if head is None:
            bucket.append(name)
            head = name
        key[name] = head
    return key


def _full(name: str) -> bool:
    """A first name and a surname: "Paul D. Ryan", not "De Blasio" or "Kyiv’s army"."""
    return is_full_name(name) and bool(name_parts(name)[0])


def _lone_surname(name: str) -> bool:
    """One name word, with its particles: "Palamar", "de Blasio"."""
    words = name.split()
    return (
        bool(words)
        and words[-1][:1].isupper()
        and not words[-1].endswith(("’s", "'s"))
        and words[-1] not in NOT_PERSON_WORDS
        and all(w.lower() in _PARTICLES for w in words[:-1])
    )


@dataclass(frozen=True)
class _Persons:
    """The persons of a collection by full name: whom each name and surname means."""

    head: dict[str, str]  # full name -> the name its person is listed under
    statements: Counter[str]  # statements of each listed person, by full name
    of_source: dict[str, set[str]]  # the listed persons of each article
    surnames: dict[str, set[tuple[str, str]]]  # (surname, listed name) by the surname's first letter

    def surname(self, name: str, source: str) -> str | None:
        """The one person a lone surname means: the only one of that surname in its article or
        the collection, or one with DOMINANT times the statements of the others together."""
        surname = name_parts(name)[1]
        same = {h for other, h in self.surnames.get(surname[:1], ()) if _similar(other, surname, SPELLING)}
        for candidates in (same & self.of_source[source], same):
            if len(candidates) == 1:
                return candidates.pop()
        ranked = sorted(same, key=lambda h: -self.statements[h])
        if ranked and self.statements[ranked[0]] >= DOMINANT * sum(self.statements[h] for h in ranked[1:]):
            return ranked[0]
        return None


def _entry_of(quote: Quote, name: str, persons: _Persons) -> tuple[str, str]:
    """(kind, key) of the entry a quote's speaker (`name`: without titles) belongs to."""
    if quote.unnamed:
        return UNNAMED, f"{quote.source}\0{quote.speaker}"
    if _full(name):
        return PERSON, persons.head[name]
    if _lone_surname(name):
        person = persons.surname(name, quote.source)
        if person is not None:
            return PERSON, person
        if quote.role or name != quote.speaker:  # "Mr. Trump", or a surname with a role
            return PERSON, name
    return ORGANISATION, fold(quote.speaker or "")


def directory(quotes: Sequence[Quote]) -> Directory:
    """Group `quotes` by speaker: the collection's speakers and their statements.

    Example:
        book = directory(quote_index.search())
        [(s.name, s.statements, s.outlets) for s in book.speakers]
    """
    found = distinct(_linked(list(quotes)))
    named = [q for q in found if q.speaker]
    bare = {q.speaker: bare_name(q.speaker) for q in named if q.speaker and not q.unnamed}
    full = [(q, bare[q.speaker]) for q in named if q.speaker in bare and _full(bare[q.speaker])]
    head = _person_keys(name for _, name in full)
    of_source: dict[str, set[str]] = defaultdict(set)
    for q, name in full:
        of_source[q.source].add(head[name])
    surnames: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for name, listed in head.items():
        surnames[name_parts(name)[1][:1]].add((name_parts(name)[1], listed))
    persons = _Persons(head, Counter(head[name] for _, name in full), of_source, surnames)
    groups: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    for quote in named:
        groups[_entry_of(quote, bare.get(quote.speaker or "", ""), persons)].append(quote)
    speakers: list[Speaker] = []
    statements: dict[str, tuple[Quote, ...]] = {}
    for (kind, key), members in groups.items():
        name = _display_name(kind, key, members)
        if name in statements:  # a person and a body written alike: keep both, told apart
            name = f"{name} ({kind})"
        ordered = sorted(members, key=lambda q: (q.date is None, q.date or "", q.source, q.start_char))
        statements[name] = tuple(replace(q, speaker=name) for q in ordered)
        speakers.append(_speaker(name, kind, ordered))
    speakers.sort(key=lambda s: (-s.statements, s.name))
    return Directory(tuple(speakers), statements, unresolved=len(found) - len(named))


def _display_name(kind: str, key: str, members: list[Quote]) -> str:
    if kind == PERSON:
        return key
    forms = Counter(q.speaker or "" for q in members)
    return sorted(forms, key=lambda f: (-forms[f], -len(f), f))[0]


def where(quote: Quote) -> str:
    """The outlet of a quote, or its source's file name where the outlet is not known."""
    return quote.outlet or quote.source.rsplit("/", 1)[-1]


def _speaker(name: str, kind: str, statements: list[Quote]) -> Speaker:
    roles: dict[str, dict[str, str]] = defaultdict(dict)
    for q in statements:
        roles[where(q)]
        if q.role:
            roles[where(q)].setdefault(fold(q.role), q.role)
    dates = sorted(q.date for q in statements if q.date)
    return Speaker(
        name=name,
        kind=kind,
        statements=len(statements),
        outlets=tuple(roles),
        roles={outlet: tuple(r.values()) for outlet, r in roles.items() if r},
        names=tuple(
            dict.fromkeys(
                n
                for q in statements
                for n in (q.speaker or "", q.mention)
                if n and n.lower() not in PERSONAL_PRONOUNS
            )
        ),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
    )
