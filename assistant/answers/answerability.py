"""Does a sentence answer the question? The question's constraints, checked against the evidence.

A question names people, organisations and places, years, months and numbers, and asks for a kind
of answer (who, when, where, how many / how much) about something (the "focus": the viewers of
"how many viewers", the margin of "what was the margin of error"). Each is read from the spaCy
parse and entities of the question (`constraints`) and checked against the sentence an answer
would quote, its paragraph and its article (`unmet`):

- a person the question names must be named in the sentence's paragraph; an organisation, a
  place, a number in the article (by name, last name or acronym: "CFPB" is met by "Consumer
  Financial Protection Bureau");
- a year or month must be met in the paragraph, or in the article when the paragraph names no
  other year or month ("Who won in 2019?" is not answered by a paragraph about 2018);
- the kind asked for must be in the sentence: a person or organisation the question does not
  name, a date, a place, a number the question does not hold;
- the focus must be in the sentence or its paragraph.

A sentence that misses only a year or month makes a partial answer (what is missing is said);
one that misses anything else is not an answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answers.questions import MONTH, YEAR, Constraints, constraints, parts, speech_subject, stem
from assistant.attribution.parsing import entity_parser
from assistant.models import Passage, Quote, Sentence
from assistant.text.dates import MONTHS
from assistant.text.words import NUMBER_WORDS, SPEECH_CUES, alternation

_NUMBER = re.compile(rf"\d|\b(?:{alternation(NUMBER_WORDS)})\b", re.IGNORECASE)
_SPEECH = re.compile(rf"[\"“”]|''|\b(?:{alternation(SPEECH_CUES)})\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_WHEN_WORDS = re.compile(
    r"\b(?:today|yesterday|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|week|weeks|month|months|year|years|decade|century|ago|since|until|\d{1,2}:\d\d|morning|"
    r"afternoon|evening|night|noon|midnight|spring|summer|autumn|fall|winter|season|weekend|day|days|"
    r"hours?|when|after|before|during|once)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Missing:
    """One constraint the evidence does not meet, and how to say so."""

    what: str  # "person", "name", "year", "month", "number", "answer", "focus"
    words: str  # "Tim Kaine", "2019", "a number", "viewers"

    @property
    def partial(self) -> bool:
        """A year or month: the answer may still be given, saying what it lacks."""
        return self.what in {"year", "month"}


def speaks(person: str, sentence: str, speaker: str | None) -> bool:
    """`person` says `sentence`: they are its known speaker, or it quotes or reports speech and
    names them (or a pronoun stands for them: the paragraph names them, checked apart)."""
    if speaker:
        return named(person, speaker, person=True)
    if not _SPEECH.search(sentence):
        return False
    return named(person, sentence, person=True) or bool(re.search(r"\b(?:he|she)\b", sentence, re.IGNORECASE))


def _acronym(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def named(name: str, text: str, person: bool = False) -> bool:
    """`text` names `name`: in full, by a person's last name, or by acronym either way."""
    if not name:
        return True
    if "-" in name and " " not in name and all(p[:1].isupper() for p in name.split("-")):
        return all(named(p, text, person) for p in name.split("-"))  # "Trump-Clinton"
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
        return True
    words = _WORD.findall(name)
    if person and words:
        return bool(
            re.search(rf"\b{re.escape(words[-1])}\b", text, 0 if len(words[-1]) < 4 else re.IGNORECASE)
        )
    compact = name.replace(".", "")
    if compact.isupper() and 2 <= len(compact) <= 6:  # "CFPB", "U.S.": spelled out in the text?
        runs = re.findall(r"(?:[A-Z][\w’'-]*(?:\s+(?:of|and|for|the|to|on)\s+|\s+)?)+", text)
        if any(_acronym(_WORD.findall(run)) == compact for run in runs):
            return True
        return bool(re.search(rf"\b{re.escape(compact)}\b", text.replace(".", "")))
    capitalised = [w for w in words if w[:1].isupper()]
    if len(capitalised) >= 2:
        short = _acronym(capitalised)
        if re.search(rf"\b{re.escape(short)}\b", text.replace(".", "")):
            return True
        # the distinctive part of a long name ("the Alliance to Reclaim Our Schools" -> Reclaim)
        return len(capitalised) >= 3 and all(
            re.search(rf"\b{re.escape(w)}\b", text) for w in capitalised[-2:]
        )
    return False


def unmet(
    question: str,
    sentence: str,
    paragraph: str,
    article: str,
    date: str | None = None,
    speaker: str | None = None,
    publisher: str = "",
    earlier: str = "",
) -> list[Missing]:
    """The constraints of `question` that `sentence` (in `paragraph`, in `article`) does not meet:
    for a question of several parts, those of the part it meets best.

    `speaker` is who speaks in the sentence, when known: it meets a person the question names and
    a "who" question. `publisher` (the outlets and file names of the sources) meets a name as the
    article does; `earlier` (the paragraph before) says who a pronoun of the sentence stands for.
    """
    found = [
        _unmet(p, sentence, paragraph, article, date, speaker, publisher, earlier) for p in parts(question)
    ]
    return min(found, key=lambda m: (len([x for x in m if not x.partial]), len(m)))


def _unmet(
    question: str,
    sentence: str,
    paragraph: str,
    article: str,
    date: str | None,
    speaker: str | None,
    publisher: str,
    earlier: str,
) -> list[Missing]:
    asked = constraints(question)
    missing: list[Missing] = []
    near = f"{paragraph} {speaker or ''}"
    by = re.sub(r"[^a-z0-9]", "", publisher.lower())
    subject = speech_subject(question) or ""
    for person in asked.people:
        if _publishes(person, by):
            continue
        if person in subject:  # whose words are asked for: they must be the ones speaking
            if not named(person, near, person=True):
                missing.append(Missing("person", person))
            elif not speaks(person, sentence, speaker):
                missing.append(Missing("speech", person))
        elif not named(person, article, person=True):
            missing.append(Missing("person", person))
    for group in asked.names:
        if not any(named(name, article) or _publishes(name, by) for name in group.split("|")):
            missing.append(Missing("name", group.replace("|", " or ")))
    for number in asked.numbers:
        if number not in article:
            missing.append(Missing("number", number))
    dated = f"{article} {date or ''}"
    for year in asked.years:
        others = set(YEAR.findall(sentence)) - {year}
        if year not in paragraph and (others or year not in dated):
            missing.append(Missing("year", year))
    published = _month_of(date)
    for month in asked.months:
        others = set(MONTH.findall(sentence)) - {month}
        if month not in paragraph and month != published and (others or month not in article):
            missing.append(Missing("month", month))
    # "She is best known for ...": who "she" is, the paragraph says
    pronoun = asked.kind == "who" and re.search(r"\b(?:he|she|they|his|her)\b", sentence, re.IGNORECASE)
    if not _holds_kind(asked, question, f"{earlier} {paragraph}" if pronoun else sentence, speaker):
        missing.append(Missing("answer", _KIND_WORDS.get(asked.kind or "", "an answer")))
    if asked.focus:
        stems = {stem(w) for w in _WORD.findall(paragraph)}
        if not any(f in stems for f in asked.focus):
            missing.append(Missing("focus", asked.focus_words))
    return missing


def _month_of(date: str | None) -> str | None:
    """The month name of an ISO date ("2016-10-04" -> "October")."""
    found = re.match(r"\d{4}-(\d\d)", date or "")
    if not found or not 1 <= int(found.group(1)) <= 12:
        return None
    return MONTHS[int(found.group(1)) - 1].capitalize()


def _publishes(name: str, publisher: str) -> bool:
    """The source's outlet or file name is `name` ("USA Today" and usa-today_...txt)."""
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    return (
        bool(publisher)
        and len(compact) >= 3
        and (compact in publisher or (_acronym(name.split()).lower() in publisher and len(name.split()) >= 3))
    )


_KIND_WORDS = {"who": "who it was", "when": "a date", "where": "a place", "number": "a figure"}


def _holds_kind(asked: Constraints, question: str, sentence: str, speaker: str | None) -> bool:
    """The sentence holds what the question word asks for."""
    if asked.kind == "number":
        numbers = {n.lower() for n in _NUMBER.findall(sentence)} - {
            n.lower() for n in _NUMBER.findall(question)
        }
        return bool(numbers) or bool(re.search(r"\b(?:percent|per cent|%|\$)", sentence))
    if asked.kind == "when":
        return bool(YEAR.search(sentence) or MONTH.search(sentence) or _WHEN_WORDS.search(sentence))
    if asked.kind == "who":  # a person, a group, a work's makers: a name the question does not hold
        labels = {"PERSON", "ORG", "NORP", "WORK_OF_ART"}
        ents = [text for text, label in entities_of([sentence])[0] if label in labels]
        new = [e for e in ents if not named(e, question)]
        return bool(new) or (bool(speaker) and not named(speaker or "", question))
    return True  # "where": places are too many kinds (an organ of the body, a map) to check


_ENTITIES: dict[str, tuple[tuple[str, str], ...]] = {}  # text -> its (entity, label) pairs
_ENTITIES_KEPT = 20_000


def entities_of(texts: Sequence[str]) -> list[tuple[tuple[str, str], ...]]:
    """The named entities (text, label) of each text, the texts not seen before parsed together."""
    new = [t for t in dict.fromkeys(texts) if t not in _ENTITIES]
    if len(_ENTITIES) + len(new) > _ENTITIES_KEPT:
        _ENTITIES.clear()
    for text, doc in zip(new, entity_parser().pipe(new), strict=True):
        _ENTITIES[text] = tuple((e.text, e.label_) for e in doc.ents)
    return [_ENTITIES[t] for t in texts]


def reason(missing: list[Missing]) -> str:
    """What the sources do not say, in words: "none names Tim Kaine", "no source gives 2019"."""
    parts = []
    for item in missing:
        if item.what == "person" or item.what == "name":
            parts.append(f"none of the passages found names {item.words}")
        elif item.what == "speech":
            parts.append(f"the closest passage does not quote {item.words}")
        elif item.what in {"year", "month", "number"}:
            parts.append(f"no source gives it for {item.words}")
        elif item.what == "answer":
            parts.append(
                f"the closest passage gives no {item.words.removeprefix('a ')}"
                if item.words.startswith("a ")
                else f"the closest passage does not say {item.words}"
            )
        else:
            parts.append(f"the closest passage does not mention the {item.words}")
    return "; ".join(dict.fromkeys(parts))


def check(
    question: str, passages: list[Passage], sentence: Sentence, speaker: str | None = None
) -> list[Missing]:
    """`unmet` for a sentence of the retrieved `passages`: its paragraph within its passage, and
    its article as far as it was retrieved (every passage of its source), with its title."""
    passage = passages[sentence.passage]
    text, offset = passage.text, passage.start_char
    start, end = sentence.start_char - offset, sentence.end_char - offset
    begin = text.rfind("\n\n", 0, start)
    stop = text.find("\n\n", end)
    paragraph = text[0 if begin < 0 else begin : len(text) if stop < 0 else stop]
    before = text.rfind("\n\n", 0, max(begin, 0))  # the paragraph before: who "she" is
    earlier = text[0 if before < 0 else before : max(begin, 0)]
    article = "\n\n".join([sentence.title, *(p.text for p in passages if p.source == sentence.source)])
    publisher = " ".join(f"{p.outlet or ''} {p.source.rsplit('/', 1)[-1]}" for p in passages)
    return unmet(question, sentence.text, paragraph, article, sentence.date, speaker, publisher, earlier)


def own_words(question: str, who: Sequence[Quote | None]) -> set[int]:
    """The sentences that quote, in quotation marks, the person whose words the question asks
    for ("What did Graham tell HuffPost ...": Graham's quotes, not the narration about them)."""
    subject = speech_subject(question)
    people = [p for part in parts(question) for p in constraints(part).people if subject and p in subject]
    if not people:
        return set()
    return {
        i
        for i, quote in enumerate(who)
        if quote is not None
        and quote.kind == "direct"
        and quote.speaker
        and named(people[0], quote.speaker, True)
    }


def misses_question(question: str, claim: str, passages: Sequence[Passage], sentence: Sentence) -> bool:
    """A model's `claim` states something the question asks about (a person, a name, a year, a
    month, a number) that its cited `sentence` does not meet: "Kaine said ... [1]" citing another
    speaker's words, "the 2019 winner ... [1]" citing a paragraph about 2018."""
    kinds = {"person", "speech", "name", "year", "month", "number"}
    for missing in check(question, list(passages), sentence):
        if missing.what in kinds:
            names = [w.split()[-1] for w in missing.words.split(" or ") if w.split()]
            if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", claim, re.IGNORECASE) for n in names):
                return True
    return False
