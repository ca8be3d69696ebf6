"""The people of one article: full names, roles, and whom "he" or "the commander" means.

Resolution never guesses: a surname means the one full name that ends with it; "he"/"she"
means the person the text last spoke about (the latest speaker, or a sentence that opens with
a person), if that was within the last ~1,000 characters; "the deputy commander" means the one
person met so far whom the article ties to those words (a role that has them, or a title or an
appositive written with the name: "former Florida Gov. Jeb Bush", "Marco Rubio, the Florida
senator,"). A description tied to nobody stays the speaker as the article words it; one tied to
several stays unresolved.
"""

from __future__ import annotations

import bisect
import re

from assistant.attribution.antecedents import antecedent
from assistant.attribution.budget import spend
from assistant.attribution.mentions import Mention, has_role_noun, mention_at
from assistant.attribution.occurrences import Occurrences, Openings
from assistant.text.words import (
    GROUP_NOUNS,
    NOT_NAMES,
    NOT_PERSON_WORDS,
    PREPOSITIONS,
    ROLE_CONTEXT,
    ROLE_NOUNS,
    ROLE_SYNONYMS,
    TITLES,
    alternation,
)

SALIENCE_CHARS = 1000
CONTEXT_CHARS = 80  # around a person's mention, the words that may describe them
AUTHOR = "the author"  # the speaker of a first-person op-ed's own "I said"
_ROLE_WORD = re.compile(r"[\w’'\-]+")
_DESCRIPTOR = re.compile(rf"(?:The|the)\s+((?:[\w’'\-]+\s+){{0,3}}?)({alternation(ROLE_NOUNS)})\b")
_TITLED_NAME = re.compile(
    rf"\b(?:[A-Z][\w’'\-]*\s+)?(?:{alternation(TITLES)})\s+((?:[A-ZÀ-Þ][\w’'\-]+\s+)?[A-ZÀ-Þ][\w’'\-]+)"
)
_TITLE_BEFORE = re.compile(rf"[^,;:“”\"()—\n]{{0,{CONTEXT_CHARS}}}$")
_APPOSITIVE = re.compile(rf",\s+[^,;:.“”\"()—\n]{{1,{CONTEXT_CHARS}}}")
# A role word's abbreviation before a name: "Sen. Marco Rubio" is "the senator".
_ABBREVIATIONS = {
    "senator": "sen",
    "governor": "gov",
    "representative": "rep",
    "secretary": "sec",
    "general": "gen",
    "colonel": "col",
    "captain": "capt",
    "lieutenant": "lt",
    "sergeant": "sgt",
    "professor": "prof",
    "doctor": "dr",
}
_ROLE_AFTER = re.compile(r",\s+((?:the|a|an)\s[^,.;“”\"]{3,100})")
_SENTENCE_OPENING = re.compile(r"(?:^|(?<=[.!?”\"]\s)|(?<=\n))\s*(?:(?:But|And|So|Yet|Meanwhile),?\s+)?")
_QUOTATION = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_NOT_FIRST = NOT_NAMES | NOT_PERSON_WORDS
_NAME_CHAR = re.compile(r"[\w’'\-]")
_INDEFINITE = re.compile(r"(?i)(?:a|an|one|another|some|two|three|several)\b")
_GROUP = re.compile(rf"(?i)(?:the\s+)?(?:\w+\s+)?(?:{alternation(GROUP_NOUNS)})")


def _description_words(words: str) -> list[str]:
    """The words of a role or description, lower case, without "the", "a", "’s" or a full stop."""
    found = (w.lower().removesuffix("’s").removesuffix("'s").rstrip(".") for w in _ROLE_WORD.findall(words))
    return [w for w in found if w and w not in {"the", "a", "an"}]


class People:
    """Persons named in one article, with roles and a memory of who was spoken about last.

    Its cost grows with the article's length and its number of names, never their product:
    every name and surname is found in one pass over the text (`Occurrences`), each sentence's
    opening person by one automaton of the names (`Openings`), and a role word leads to the
    persons that have it by an index, not a scan of everyone.
    """

    def __init__(self, text: str, named: list[Mention]) -> None:
        self.text = text
        self.roles: dict[str, str | None] = {}
        self.first_seen: dict[str, int] = {}
        self._by_surname: dict[str, list[str]] = {}
        self._role_words: dict[str, frozenset[str]] = {}  # a person's role as words
        self._with_role_word: dict[str, list[str]] = {}  # a role word -> persons whose role has it
        self._titles: dict[str, list[tuple[int, frozenset[str]]]] = {}
        self._described_by: dict[str, list[tuple[int, str, frozenset[str]]]] | None = None
        self._fallbacks: dict[str, set[str]] = {}
        for mention in named:
            assert mention.name is not None
            if len(mention.name.split()) >= 2:
                self._meet(mention.name, mention.role, mention.start)
        self._learn_names_with_titles()
        singles = {m.name for m in named if m.name and len(m.name.split()) == 1}
        self._found = Occurrences(text, {k for n in self.roles for k in (n, n.split()[-1])} | singles)
        self._find_roles(list(self.roles))
        self.events: list[tuple[int, str]] = []  # (offset, person), sorted
        self._subjects()
        self.events.sort()

    def _meet(self, name: str, role: str | None, at: int) -> None:
        if name not in self.roles:
            self.roles[name] = None
            self._by_surname.setdefault(name.split()[-1], []).append(name)
            if self._described_by is not None:
                self._index_descriptions(name)
        if self.roles[name] is None and role:
            self._set_role(name, role)
        self.first_seen[name] = min(at, self.first_seen.get(name, at))

    def _set_role(self, name: str, role: str) -> None:
        self.roles[name] = role
        words = frozenset(_description_words(role))
        self._role_words[name] = words
        for word in words:
            self._with_role_word.setdefault(word, []).append(name)

    def _learn_names_with_titles(self) -> None:
        """Titled names that never speak still count: "Ukrainian President Volodymyr Zelensky"."""
        for m in _TITLED_NAME.finditer(self.text):
            found = mention_at(self.text, m.start(), m.end())
            if found and found.name and len(found.name.split()) >= 2:
                self._meet(found.name, found.role, found.start)

    def _find_roles(self, names: list[str]) -> None:
        """Roles given where a name stands: before it ("Kremlin spokesman ...") or after it (", the ...")."""
        for name in names:
            spend()
            for start in self._found.literal(name):
                if self.roles[name]:
                    break
                after = _ROLE_AFTER.match(self.text, start + len(name))
                if after and has_role_noun(after.group(1)):
                    self._set_role(name, after.group(1).strip())
                    continue
                before = self._role_before(start)
                if before and has_role_noun(before):
                    self._set_role(name, before)

    def _role_before(self, at: int) -> str | None:
        """Title words right before a name, back to a preposition, a verb or punctuation."""
        words = list(_ROLE_WORD.finditer(self.text[max(0, at - 100) : at]))
        base = max(0, at - 100)
        start = at
        for w in reversed(words):
            between = self.text[base + w.end() : start]
            if between.strip():  # punctuation between the words
                break
            word = w.group(0)
            if word.lower() in PREPOSITIONS - {"of"} or word in {"But", "And", "On", "In"}:
                break
            if word[0].islower() and word.lower() not in ROLE_CONTEXT and word not in {"of", "the"}:
                break
            start = base + w.start()
        role = self.text[start:at].strip()
        return role or None

    def _subjects(self) -> None:
        """Note (offset, person) for each sentence that opens with a known person or description."""
        names = list(self.roles)
        ranks: dict[str, int] = {}
        for rank, name in enumerate(names):  # the first person in order met wins a shared prefix
            for key in (name, name.split()[-1] + " "):
                ranks.setdefault(key, rank)
        openings = Openings(ranks)
        for m in _SENTENCE_OPENING.finditer(self.text):
            spend()
            head = self.text[m.end() : m.end() + 90]
            person = self._person_at_start(head, m.end(), openings, names)
            if person:
                self.events.append((m.end(), person))
        # Any mention of a known person outside quotation marks makes them the one "he" means next.
        quoted = [(q.start(), q.end()) for q in _QUOTATION.finditer(self.text)]
        starts = [a for a, _ in quoted]
        for name in names:
            spend()
            for start, end in self._found.words(name):
                n = bisect.bisect_right(starts, start) - 1
                if n < 0 or start >= quoted[n][1]:
                    self.events.append((end, name))

    def _person_at_start(self, head: str, at: int, openings: Openings, names: list[str]) -> str | None:
        descriptor = _DESCRIPTOR.match(head)
        if descriptor:
            return self._by_role(descriptor.group(0), at)
        words = head.split()[:8]
        persons = openings.at(" ".join(words))  # where a known person's mention starts: word start -> rank
        start = 0
        for i, word in enumerate(words):
            if i and words[i - 1].lower() in PREPOSITIONS:
                return None
            if start in persons:
                return names[persons[start]]
            if word[:1].islower() and word.lower() not in ROLE_CONTEXT:
                return None
            start += len(word) + 1
        return None

    def canonical(self, name: str) -> str | None:
        """The full name a name or surname stands for, or None when it names nobody known."""
        if name in self.roles:
            return name
        surname = name.split()[-1]
        matches = set(self._by_surname.get(surname, ()))
        if not matches and len(name.split()) == 1:
            # A full name met only where nobody speaks: "The commission's chairwoman, Elena Marin, ..."
            # Measured (scripts/ablate_rules.py, PolNeAR dev, not written from, 2026-12-08): source
            # right 0.906 -> 0.910, Speakers right entry 0.761 -> 0.771 with it.
            matches = set(self._written_before(surname))
            for full in matches:
                self._meet(full, None, self._found.starts(full)[0])
            self._find_roles(list(matches))
        if len(matches) == 1:
            return matches.pop()
        return None

    def _written_before(self, surname: str) -> set[str]:
        """ "Elena Marin" for "Marin": each capitalised word right before the surname, found from
        the surname's occurrences (what a search of the text for the pair would find, none
        overlapping); a possessive or a word of NOT_NAMES is no first name."""
        if surname not in self._fallbacks:
            pattern = re.compile(rf"\b([A-ZÀ-Þ][\w’'\-]+) {re.escape(surname)}\b")
            found: set[str] = set()
            end = 0
            for space in self._found.starts(" " + surname):
                spend()
                start = space
                while start > end and _NAME_CHAR.match(self.text, start - 1):
                    start -= 1  # back over the word before the space: the match starts in it
                for at in range(start, space):
                    m = pattern.match(self.text, at)
                    if m:
                        first = m.group(1)  # "the Washington Post Trump": "Post" is no first name
                        if first not in _NOT_FIRST and not first.endswith(("’s", "'s")):
                            found.add(m.group(0))
                        end = m.end()
                        break
            self._fallbacks[surname] = found
        return self._fallbacks[surname]

    def _by_role(self, description: str, at: int) -> str | None:
        """The one person seen before `at` whom the article ties to "the deputy commander" (by a
        role that fits, or by the description's words around a mention of them); else None."""
        tied = self._tied(description, at)
        return tied[0] if len(tied) == 1 else None

    def _tied(self, description: str, at: int) -> list[str]:
        """Persons seen before `at` whom the article ties to the description: at most two, as
        one is the answer and two say that the description is ambiguous."""
        words = _description_words(description)
        return (self._fitting(words, at) or self._described(words, at)) if words else []

    def _described(self, words: list[str], at: int) -> list[str]:
        """Persons with every word of the description in a title or appositive written with one
        of their mentions before `at`: "former Florida Gov. Jeb Bush" for "the former Florida governor"."""
        if self._described_by is None:
            self._described_by = {}
            for name in self.roles:
                self._index_descriptions(name)
        head, modifiers = words[-1], words[:-1]
        heads = ROLE_SYNONYMS.get(head, {head}) | {_ABBREVIATIONS.get(head, head)}
        found: list[str] = []
        for word in heads:
            for end, name, around in self._described_by.get(word, ()):
                spend()
                if name not in found and end <= at and all(w in around for w in modifiers):
                    found.append(name)
                    if len(found) == 2:
                        return found
        return found

    def _index_descriptions(self, name: str) -> None:
        """File each mention of `name` under the words written with it (`_written_with`)."""
        assert self._described_by is not None
        for end, around in self._written_with(name):
            for word in around:
                self._described_by.setdefault(word, []).append((end, name, around))

    def _written_with(self, name: str) -> list[tuple[int, frozenset[str]]]:
        """(end, words) of the title before each mention of `name` or its surname, back to
        punctuation ("former Florida Gov."), and the appositive after it (", the Florida senator")."""
        if name not in self._titles:
            found = []
            for start, stop in self._found.words(name):
                before = _TITLE_BEFORE.search(self.text, max(0, start - CONTEXT_CHARS), start)
                appositive = _APPOSITIVE.match(self.text, stop)
                words = (
                    (before.group(0) if before else "") + " " + (appositive.group(0) if appositive else "")
                )
                end = appositive.end() if appositive else stop
                found.append((end, frozenset(_description_words(words))))
            self._titles[name] = found
        return self._titles[name]

    def _fitting(self, words: list[str], at: int) -> list[str]:
        """Persons seen before `at` whose role has the head word of `words` and its other words:
        "deputy commander" fits "the Azov regiment’s deputy commander"."""
        head = words[-1]
        fitting: list[str] = []
        for word in ROLE_SYNONYMS.get(head, {head}):
            for name in self._with_role_word.get(word, ()):
                spend()
                role_words = self._role_words[name]
                if name in fitting or self.first_seen.get(name, 0) > at:
                    continue
                if all(m in role_words or m.rstrip("n") in role_words for m in words[:-1]):
                    fitting.append(name)
                    if len(fitting) == 2:
                        return fitting
        return fitting

    def salient(self, at: int) -> str | None:
        """The person spoken about last before `at`, if recently enough."""
        n = bisect.bisect_left(self.events, (at,))
        if n == 0:
            return None
        offset, person = self.events[n - 1]
        return person if at - offset <= SALIENCE_CHARS else None

    def _antecedent(self, at: int) -> str | None:
        """The scored choice among the names before `at` (`antecedents`), as its full name if known."""
        name = antecedent(self.text, at)
        return (self.canonical(name) or name) if name else None

    def spoke(self, person: str, at: int) -> None:
        """Remember that `person` was quoted up to `at`."""
        if person in self.roles:
            bisect.insort(self.events, (at, person))

    def resolve(self, mention: Mention, at: int) -> tuple[str | None, str | None, bool]:
        """(speaker, role, unnamed) of a mention; speaker None when it cannot be told without
        guessing; unnamed True when the speaker is a description of someone the article does not
        name ("a senior Democrat", "a spokesman for the campaign"), given as the article gives it."""
        spend()
        if mention.pronoun:
            person = self.salient(mention.start) or self._antecedent(mention.start)
            return (person, self.roles.get(person), False) if person else (None, None, False)
        if mention.name:
            full = self.canonical(mention.name)
            if full:
                return full, mention.role or self.roles.get(full), False
            if len(mention.name.split()) == 1 and mention.role is None:
                return mention.text, None, False  # "Russia", "Ukraine": a country or body speaks
            return mention.name, mention.role, False
        descriptor = _DESCRIPTOR.search(mention.text)
        if descriptor and mention.text[:1] in "Tt" and mention.text.lower().startswith("the "):
            tied = self._tied(descriptor.group(0), mention.start)
            if not tied:
                # "the former Florida governor" where the article never says who that is: the
                # description as the article words it, never the person just spoken about
                return mention.text, None, True
            person = tied[0] if len(tied) == 1 else None
            return (person, self.roles.get(person), False) if person else (None, None, False)
        if mention.text == "I":
            return AUTHOR, None, True  # "I" in the narration, outside quotation marks: the writer
        if _GROUP.fullmatch(mention.text) or mention.text.lower() in {"they", "we", "you", "it"}:
            return None, None, False  # unnamed people speak: not a speaker to attribute to
        if "|" in mention.text or not re.search(r"[^\W\d_]", mention.text):
            return None, None, False
        if _INDEFINITE.match(mention.text) or has_role_noun(mention.text):
            # "A commander of the Azov battalion", "one senior Democrat": someone not named, who
            # for a reader is still who said it
            return mention.text, None, True
        return mention.text, None, False  # "Kyiv’s army", "the Kremlin"
