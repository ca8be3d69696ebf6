"""`assistant eval speakers SPLIT`: do a person's quotes land in one entry of the Speakers list?

On a PolNeAR split (`polnear`): every article's statements are found (`find_quotes`, with the
outlet and date its file name gives: `breitbart_2016-09-12_...`) and grouped by speaker across
the whole split (`persons.directory`), as the Speakers tab shows them. Then, for each gold direct
quote whose source names someone (`last_name`: "Trump", "Clinton" ...; the real person is that
name, across articles):

- found: a listed statement covers at least half of it (as in `eval attribution`);
- right entry: that statement is in the person's entry: the entry holding most of the person's
  found quotes, when its name holds the person's name;
- entries per person: how many entries whose name holds the person's name their quotes land in
  (1.0: each person listed once); people per entry: how many real persons' quotes an entry
  named for someone holds (1.0: nobody merged with someone else).

The real person of a gold source is the head of its phrase (`gold_name`): of the runs of
capitalised words that are no body's name, joined by lower-case words alone, the last ("Ohio
State University professor Paul Beck" -> "Paul Beck", "Clinton campaign spokesman Brian Fallon"
-> "Brian Fallon"), without titles; full names
that `same_person` joins are one person, and a lone surname ("Clinton") is the one person of
that surname in the split's gold sources, else a person of its own. Gold sources that name no
person ("a story by the website Politico") still count in the share of named direct quotes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from assistant.attribution.persons import bare_name, directory, fold, name_parts, same_person
from assistant.attribution.quotes import find_quotes
from assistant.evaluation.polnear import Fragments, read_split
from assistant.models import Quote
from assistant.text.words import NOT_PERSON_WORDS

_NOT_NAME = frozenset("He She It They We I You The A An This That His Her Their Its Our But And".split())
_CAPITALISED = re.compile(r"[A-Z][\w’'\-.]*")


@dataclass(frozen=True)
class SpeakerScore:
    """The figures of `assistant eval speakers` on one split."""

    articles: int
    named_direct: int  # gold direct quotes whose source names someone
    found: int
    right_entry: int
    persons: int  # real persons with at least one found quote
    entries_per_person: float
    people_per_entry: float
    speakers: int  # entries listed

    def figures(self) -> dict[str, float]:
        return {
            "right entry (of named direct quotes)": round(self.right_entry / max(1, self.named_direct), 3),
            "right entry (of those found)": round(self.right_entry / max(1, self.found), 3),
            "entries per real person": round(self.entries_per_person, 3),
            "real persons per named entry": round(self.people_per_entry, 3),
        }


def _overlap(q: Quote, fragments: Fragments) -> int:
    return sum(max(0, min(q.end_char, b) - max(q.start_char, a)) for a, b in fragments)


def gold_name(source: str) -> str | None:
    """The person a gold source names, without titles; None for "he", "a source". Of capitalised
    runs joined by lower-case words alone, the last is the phrase's head and the rest modify it
    ("Clinton campaign spokesman Brian Fallon" -> "Brian Fallon"); punctuation ends the phrase
    ("Sviatoslav Palamar, the Azov regiment's deputy commander" -> "Sviatoslav Palamar")."""
    runs: list[list[str]] = [[]]
    joined: list[bool] = [False]  # whether a run follows the one before it across words alone
    for token in re.findall(r"[\w’'\-.]+|[^\w\s]", source):
        if _CAPITALISED.fullmatch(token) and token not in _NOT_NAME and not token.endswith(("’s", "'s")):
            runs[-1].append(token.rstrip("."))
            continue
        if runs[-1]:
            runs.append([])
            joined.append(True)
        if not (token[:1].isalpha() and (token[:1].islower() or token.endswith(("’s", "'s")))):
            joined[-1] = False  # punctuation or "He" in between: another phrase
    person = None
    for run, follows in zip(runs, joined, strict=True):
        if not run or NOT_PERSON_WORDS & set(run):
            continue
        if person is None or follows:
            person = run
        elif person is not None:
            break
    return bare_name(" ".join(person)) if person else None


def _same_gold(a: str, b: str) -> bool:
    """One surname, and the first name of one among the other's words ("Jeb Bush", "Florida Gov
    Jeb Bush"), or names `same_person` joins."""
    first_a, last_a, _ = name_parts(a)
    first_b, last_b, _ = name_parts(b)
    words_a, words_b = set(fold(a).split()), set(fold(b).split())
    return same_person(a, b) or (last_a == last_b and (first_a in words_b or first_b in words_a))


def _real_persons(names: list[str]) -> dict[str, str]:
    """Each gold name -> its real person: full names `_same_gold` joins, a lone surname to the
    one full name of that surname."""
    heads: list[str] = []
    person: dict[str, str] = {}
    for name in sorted(set(names), key=lambda n: (-len(n.split()), n)):
        first, surname, _ = name_parts(name)
        if first:
            head = next((h for h in heads if _same_gold(h, name)), name)
        else:
            same = [h for h in heads if name_parts(h)[1] == surname]
            head = same[0] if len(same) == 1 else name
        if head == name:
            heads.append(name)
        person[name] = head
    return person


def _file_metadata(name: str) -> tuple[str | None, str | None]:
    """(outlet, date) from a PolNeAR file name: "breitbart_2016-09-12_title" ."""
    parts = name.split("_")
    return (parts[0], parts[1]) if len(parts) >= 3 else (None, None)


def evaluate_speakers(folder: Path) -> SpeakerScore:
    """Score the Speakers grouping on a PolNeAR split folder (`.../dev`)."""
    articles = read_split(folder)
    quotes: list[Quote] = []
    for article in articles:
        outlet, date = _file_metadata(article.name)
        quotes += find_quotes(article.text, article.name + ".txt", outlet=outlet, date=date)
    book = directory(quotes)
    listed: dict[str, list[Quote]] = defaultdict(list)
    for said in book.statements.values():
        for q in said:
            listed[q.source].append(q)
    golds = [
        (article, gold, gold_name(" ".join(article.text[a:b] for a, b in gold.source)))
        for article in articles
        for gold in article.attributions
        if gold.direct
    ]
    real = _real_persons([name for _, _, name in golds if name])
    landed: dict[str, list[str | None]] = defaultdict(list)  # real person -> entry of each gold quote
    named_direct = 0
    for article, gold, name in golds:
        if name is None:
            continue
        named_direct += 1
        size = sum(b - a for a, b in gold.content)
        here = listed[article.name + ".txt"]
        best = max(here, key=lambda q: _overlap(q, gold.content), default=None)
        found = best is not None and _overlap(best, gold.content) >= 0.5 * size
        landed[real[name]].append(best.speaker if found and best else None)
    right = 0
    entries: list[int] = []
    holders: dict[str, set[str]] = defaultdict(set)  # named entry -> real persons whose quotes it holds
    for person, where in landed.items():
        named = [e for e in where if e is not None and _names(e, person)]
        for e in where:
            if e is not None:
                holders[e].add(person)
        if not named:
            continue
        main = Counter(named).most_common(1)[0][0]
        right += sum(1 for e in where if e == main)
        entries.append(len(set(named)))
    named_entries = [len(p) for e, p in holders.items() if any(_names(e, person) for person in p)]
    return SpeakerScore(
        articles=len(articles),
        named_direct=named_direct,
        found=sum(1 for where in landed.values() for e in where if e is not None),
        right_entry=right,
        persons=len(entries),
        entries_per_person=sum(entries) / max(1, len(entries)),
        people_per_entry=sum(named_entries) / max(1, len(named_entries)),
        speakers=len(book.speakers),
    )


def _names(entry: str, person: str) -> bool:
    """Whether an entry is named for the person: their full name, or their surname alone."""
    if not name_parts(person)[0] or not name_parts(entry)[0]:
        return f" {name_parts(person)[1]} " in f" {fold(entry)} "
    return _same_gold(entry, person)


def speakers_table(score: SpeakerScore) -> str:
    """What `assistant eval speakers` prints."""
    lines = [
        f"{score.articles} articles, {score.named_direct} direct quotes with a named source, "
        f"{score.found} found, {score.persons} real persons, {score.speakers} entries listed",
        "",
        "| figure | value |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v:.3f} |" for k, v in score.figures().items()]
    return "\n".join(lines)
