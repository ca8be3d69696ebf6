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

from assistant.models import Quote
from assistant.models.speakers import ORGANISATION, PERSON, UNNAMED, Speaker
from assistant.text.words import NOT_PERSON_WORDS, PERSONAL_PRONOUNS, ROLE_NOUNS, ROLE_SYNONYMS

SPELLING = 0.85  # similarity of two surnames (difflib ratio) that are one name spelled two ways
FIRST_NAME = 0.75  # the same for first names ("Sergey"/"Sergei")
MIN_FUZZY = 5  # shorter surnames must be spelled the same
_PARTICLES = frozenset("de da di del dos du la le van von der den bin al ibn".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_WORD = re.compile(r"[\w’'\-.]+")
_ARTICLE = re.compile(r"(?i)^(?:the|a|an)\s+")


@dataclass(frozen=True)
class Directory:
    """Every speaker of a set of quotes and their statements (date order, undated last)."""

    speakers: tuple[Speaker, ...]
    statements: dict[str, tuple[Quote, ...]]  # by Speaker.name; each Quote's speaker is that name
    unresolved: int = 0  # statements whose speaker the articles do not let us name

    def find(self, name: str) -> Speaker | None:
        """The speaker `name` means: a canonical name, a name an article uses, or a surname."""
        wanted = fold(name)
        if not wanted:
            return None
        for test in (
            lambda s: fold(s.name) == wanted,
            lambda s: any(fold(n) == wanted for n in s.names),
            lambda s: s.kind == PERSON and _surname(s.name) == wanted,
        ):
            found = [s for s in self.speakers if test(s)]
            if len(found) == 1:
                return found[0]
        return None


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


def _parts(name: str) -> tuple[str, str, str]:
    """(first name, surname, suffix) of a full name, folded."""
    words = [w for w in fold(name).replace(",", " ").split() if w]
    suffix = words.pop() if len(words) > 2 and words[-1] in _SUFFIXES else ""
    return words[0], words[-1], suffix


def _surname(name: str) -> str:
    return _parts(name)[1] if is_full_name(name) else fold(name)


def _similar(a: str, b: str, threshold: float) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY and threshold == SPELLING:
        return False
    return a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= threshold


def same_person(a: str, b: str) -> bool:
    """Whether two full names name one person ("Volodymyr Zelensky", "Volodymyr Zelenskyy")."""
    first_a, last_a, suffix_a = _parts(a)
    first_b, last_b, suffix_b = _parts(b)
    if suffix_a != suffix_b or not _similar(last_a, last_b, SPELLING):
        return False
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
        elif q.speaker and q.role and is_full_name(q.speaker):
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
    heads: list[str] = []
    key: dict[str, str] = {}
    for name in ordered:
        head = next((h for h in heads if same_person(h, name)), None)
        if head is None:
            heads.append(name)
            head = name
        key[name] = head
    return key


def _entry_of(quote: Quote, people: dict[str, str], here: set[str]) -> tuple[str, str]:
    """(kind, key) of the entry a quote's speaker belongs to; `here`: the persons of its article."""
    speaker = quote.speaker or ""
    if quote.unnamed:
        return UNNAMED, f"{quote.source}\0{speaker}"
    if is_full_name(speaker):
        return PERSON, people[speaker]
    if len(speaker.split()) == 1:
        same = {h for n, h in people.items() if _similar(_parts(n)[1], fold(speaker), SPELLING)}
        for candidates in (same & here, same):
            if len(candidates) == 1:
                return PERSON, candidates.pop()
        if quote.role:
            return PERSON, speaker
    return ORGANISATION, fold(speaker)


def directory(quotes: Sequence[Quote]) -> Directory:
    """Group `quotes` by speaker: the collection's speakers and their statements.

    Example:
        >>> book = directory(quote_index.search())
        >>> [(s.name, s.statements, s.outlets) for s in book.speakers]
    """
    found = distinct(_linked(list(quotes)))
    named = [q for q in found if q.speaker]
    people = _person_keys(q.speaker for q in named if not q.unnamed and q.speaker and is_full_name(q.speaker))
    persons_in: dict[str, set[str]] = defaultdict(set)
    for quote in named:
        if quote.speaker in people:
            persons_in[quote.source].add(people[quote.speaker])
    groups: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    for quote in named:
        groups[_entry_of(quote, people, persons_in[quote.source])].append(quote)
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
