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

import re

from assistant.attribution.antecedents import antecedent
from assistant.attribution.mentions import Mention, has_role_noun, mention_at
from assistant.text.sentences import inside
from assistant.text.words import (
    GROUP_NOUNS,
    NOT_NAMES,
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
_INDEFINITE = re.compile(r"(?i)(?:a|an|one|another|some|two|three|several)\b")
_GROUP = re.compile(rf"(?i)(?:the\s+)?(?:\w+\s+)?(?:{alternation(GROUP_NOUNS)})")


def _description_words(words: str) -> list[str]:
    """The words of a role or description, lower case, without "the", "a", "’s" or a full stop."""
    found = (w.lower().removesuffix("’s").removesuffix("'s").rstrip(".") for w in _ROLE_WORD.findall(words))
    return [w for w in found if w and w not in {"the", "a", "an"}]


class People:
    """Persons named in one article, with roles and a memory of who was spoken about last."""

    def __init__(self, text: str, named: list[Mention]) -> None:
        self.text = text
        self.roles: dict[str, str | None] = {}
        self.first_seen: dict[str, int] = {}
        for mention in named:
            assert mention.name is not None
            if len(mention.name.split()) >= 2:
                self._meet(mention.name, mention.role, mention.start)
        self._learn_names_with_titles()
        self._find_roles()
        self._titles: dict[str, list[tuple[int, frozenset[str]]]] = {}
        self.events: list[tuple[int, str]] = []
        self._subjects()

    def _meet(self, name: str, role: str | None, at: int) -> None:
        if name not in self.roles or (self.roles[name] is None and role):
            self.roles[name] = role
        self.first_seen[name] = min(at, self.first_seen.get(name, at))

    def _learn_names_with_titles(self) -> None:
        """Titled names that never speak still count: "Ukrainian President Volodymyr Zelensky"."""
        for m in _TITLED_NAME.finditer(self.text):
            found = mention_at(self.text, m.start(), m.end())
            if found and found.name and len(found.name.split()) >= 2:
                self._meet(found.name, found.role, found.start)

    def _find_roles(self) -> None:
        """Roles given where a name stands: before it ("Kremlin spokesman ...") or after it (", the ...")."""
        for name in list(self.roles):
            for m in re.finditer(re.escape(name), self.text):
                if self.roles[name]:
                    break
                after = re.match(r",\s+((?:the|a|an)\s[^,.;“”\"]{3,100})", self.text[m.end() :])
                if after and has_role_noun(after.group(1)):
                    self.roles[name] = after.group(1).strip()
                    continue
                before = self._role_before(m.start())
                if before and has_role_noun(before):
                    self.roles[name] = before

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
            if word.lower() in PREPOSITIONS - {"of"} or word in {"But", "And", "Last", "On", "In"}:
                break
            if word[0].islower() and word.lower() not in ROLE_CONTEXT and word not in {"of", "the"}:
                break
            start = base + w.start()
        role = self.text[start:at].strip()
        return role or None

    def _subjects(self) -> None:
        """Note (offset, person) for each sentence that opens with a known person or description."""
        # Every prefix a known person's mention can start with: most words start none of them.
        openings = tuple(p for name in self.roles for p in (name, name.split()[-1] + " "))
        for m in re.finditer(
            r"(?:^|(?<=[.!?”\"]\s)|(?<=\n))\s*(?:(?:But|And|So|Yet|Meanwhile),?\s+)?", self.text
        ):
            head = self.text[m.end() : m.end() + 90]
            person = self._person_at_start(head, m.end(), openings)
            if person:
                self.events.append((m.end(), person))
        # Any mention of a known person outside quotation marks makes them the one "he" means next.
        quoted = [(q.start(), q.end()) for q in re.finditer(r"“[^”]*”|\"[^\"\n]*\"", self.text)]
        for name in self.roles:
            pattern = rf"\b(?:{re.escape(name)}|{re.escape(name.split()[-1])})\b"
            for m in re.finditer(pattern, self.text):
                if not inside(quoted, m.start()):
                    self.events.append((m.end(), name))

    def _person_at_start(self, head: str, at: int, openings: tuple[str, ...]) -> str | None:
        descriptor = _DESCRIPTOR.match(head)
        if descriptor:
            return self._by_role(descriptor.group(0), at)
        words = head.split()[:8]
        for i, _ in enumerate(words):
            if i and words[i - 1].lower() in PREPOSITIONS:
                return None
            candidate = " ".join(words[i:])
            if candidate.startswith(openings):  # then find which person's, first in order
                for name in self.roles:
                    if candidate.startswith(name) or candidate.startswith(name.split()[-1] + " "):
                        return name
            if words[i][:1].islower() and words[i].lower() not in ROLE_CONTEXT:
                return None
        return None

    def canonical(self, name: str) -> str | None:
        """The full name a name or surname stands for, or None when it names nobody known."""
        if name in self.roles:
            return name
        surname = name.split()[-1]
        matches = {full for full in self.roles if full.split()[-1] == surname}
        if not matches and len(name.split()) == 1:
            # A full name met only where nobody speaks: "The commission's chairwoman, Elena Marin, ..."
            for m in re.finditer(rf"\b([A-ZÀ-Þ][\w’'\-]+) {re.escape(surname)}\b", self.text):
                if m.group(1) not in NOT_NAMES and not m.group(1).endswith(("’s", "'s")):
                    matches.add(m.group(0))
            for full in matches:
                self._meet(full, None, self.text.index(full))
            self._find_roles()
        if len(matches) == 1:
            return matches.pop()
        return None

    def _by_role(self, description: str, at: int) -> str | None:
        """The one person seen before `at` whom the article ties to "the deputy commander" (by a
        role that fits, or by the description's words around a mention of them); else None."""
        tied = self._tied(description, at)
        return tied[0] if len(tied) == 1 else None

    def _tied(self, description: str, at: int) -> list[str]:
        """Persons seen before `at` whom the article ties to the description."""
        words = _description_words(description)
        return (self._fitting(words, at) or self._described(words, at)) if words else []

    def _described(self, words: list[str], at: int) -> list[str]:
        """Persons with every word of the description in a title or appositive written with one
        of their mentions before `at`: "former Florida Gov. Jeb Bush" for "the former Florida governor"."""
        head, modifiers = words[-1], words[:-1]
        heads = ROLE_SYNONYMS.get(head, {head}) | {_ABBREVIATIONS.get(head, head)}
        return [
            name
            for name in self.roles
            if any(
                end <= at and heads & around and all(w in around for w in modifiers)
                for end, around in self._written_with(name)
            )
        ]

    def _written_with(self, name: str) -> list[tuple[int, frozenset[str]]]:
        """(end, words) of the title before each mention of `name` or its surname, back to
        punctuation ("former Florida Gov."), and the appositive after it (", the Florida senator")."""
        if name not in self._titles:
            found = []
            for m in re.finditer(rf"\b(?:{re.escape(name)}|{re.escape(name.split()[-1])})\b", self.text):
                before = _TITLE_BEFORE.search(self.text, max(0, m.start() - CONTEXT_CHARS), m.start())
                appositive = _APPOSITIVE.match(self.text, m.end())
                words = (
                    (before.group(0) if before else "") + " " + (appositive.group(0) if appositive else "")
                )
                end = appositive.end() if appositive else m.end()
                found.append((end, frozenset(_description_words(words))))
            self._titles[name] = found
        return self._titles[name]

    def _fitting(self, words: list[str], at: int) -> list[str]:
        """Persons seen before `at` whose role has the head word of `words` and its other words:
        "deputy commander" fits "the Azov regiment’s deputy commander"."""
        head = words[-1]
        heads = ROLE_SYNONYMS.get(head, {head})
        fitting = []
        for name, role in self.roles.items():
            if not role or self.first_seen.get(name, 0) > at:
                continue
            role_words = set(_description_words(role))
            if heads & role_words and all(m in role_words or m.rstrip("n") in role_words for m in words[:-1]):
                fitting.append(name)
        return fitting

    def salient(self, at: int) -> str | None:
        """The person spoken about last before `at`, if recently enough."""
        before = [(o, p) for o, p in self.events if o < at]
        if not before:
            return None
        offset, person = max(before)
        return person if at - offset <= SALIENCE_CHARS else None

    def _antecedent(self, at: int) -> str | None:
        """The scored choice among the names before `at` (`antecedents`), as its full name if known."""
        name = antecedent(self.text, at)
        return (self.canonical(name) or name) if name else None

    def spoke(self, person: str, at: int) -> None:
        """Remember that `person` was quoted up to `at`."""
        if person in self.roles:
            self.events.append((at, person))

    def resolve(self, mention: Mention, at: int) -> tuple[str | None, str | None, bool]:
        """(speaker, role, unnamed) of a mention; speaker None when it cannot be told without
        guessing; unnamed True when the speaker is a description of someone the article does not
        name ("a senior Democrat", "a spokesman for the campaign"), given as the article gives it."""
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
