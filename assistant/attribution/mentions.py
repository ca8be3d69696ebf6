"""Mentions: the words of a sentence that point at a speaker, classified as a name, a pronoun or
a description ("Sviatoslav Palamar", "he", "the deputy commander"), before they are resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.words import NOT_NAMES, NOT_PERSON_WORDS, ROLE_NOUNS, SPEECH_CUES, STOP_WORDS, alternation

_TOKEN = re.compile(r"[\w’'\-.]+")
_CAP = re.compile(r"[A-ZÀ-Þ][\w’'\-]*")
_PRONOUNS = {"he": "he", "she": "she", "He": "he", "She": "she"}
_LEAD_WORD = re.compile(
    r"(?:But|And|So|Yet|While|Although|Though|As|When|After|Before|If|Because|Since|In|On|At)(?:\s+|$)"
)
# `Said Ellis: “...”`, `Added Smith, ...`: a cue that opens a sentence before its speaker
_INVERTED_CUE = re.compile(
    rf"(?:{alternation([c.capitalize() for c in SPEECH_CUES if '_' not in c])})\s+(?=[A-ZÀ-Þ])"
)
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+$")
_ADVERBIAL = re.compile(
    r"(?:\s+(?:on|late on|early on|last|this|earlier on|later on|in|at)?\s*"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|"
    r"morning|evening|afternoon|today|yesterday|also|then|later|again|repeatedly|reportedly|"
    r"previously|once|publicly|separately|earlier|still|has|had|have|was|is|would|will|"
    r"[a-z]+ly))+\s*$"
)

# `LONDON (Reuters) - `, `PHILADELPHIA, July 25 (UPI) — `, `LA CROSSE, Wisc. — `: where a story was filed.
DATELINE = re.compile(
    r"[A-Z][A-Z .'’]{1,30}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)?(?:\s*\([^)\n]{1,30}\))?\s*[-—–]+\s*"
)
_SPEAKING_PRONOUNS = {"they", "we", "i", "you", "it"}  # resolved, or left unresolved, later
_NOT_NAME_WORDS = NOT_NAMES | {"Even", "Both", "Only", "Just", "Also", "Still"}
_AGE = re.compile(r",\s*\d{1,3}$")
# Words a described speaker opens with: "one Democrat familiar with ...", "his spokeswoman", "former ...".
_DETERMINER = re.compile(
    r"(?:the|a|an|one|another|some|several|many|two|three|four|his|her|their|its|our|former|top|senior)\s"
)
_PARTY = re.compile(r"\s*\((?:[RDI]|Rep|Dem|Ind)\.?-[A-Z][\w. ]{0,14}\)?")  # its ")" may be cut off
_FINITE = re.compile(r"\b(?:is|are|was|were|be|being|been|cannot|can|could|will|would|has|have|had)\b")


@dataclass
class Mention:
    """A noun phrase that names a speaker, before resolution."""

    text: str
    start: int
    end: int
    name: str | None = None  # the name it contains ("Sviatoslav Palamar", "Palamar")
    role: str | None = None  # role words given with it
    pronoun: bool = False


def trim_adverbials(text: str, start: int, end: int) -> int:
    """End of a noun phrase with trailing "on Thursday", "reportedly", "also" left out."""
    m = _ADVERBIAL.search(text, start, end)
    while m and m.start() > start:
        end = m.start()
        m = _ADVERBIAL.search(text, start, end)
    return end


def mention_after(text: str, start: int, end: int) -> Mention | None:
    """`said Sviatoslav Palamar, the Azov regiment’s deputy commander.`: name and appositive."""
    m = re.match(
        r"(?:[A-ZÀ-Þ][\w’'\-]*\.?\s+)*[A-ZÀ-Þ][\w’'\-]*|[Hh]e\b|[Ss]he\b|the [\w’'\- ]+", text[start:end]
    )
    if not m:
        return None
    mention = mention_at(text, start, start + m.end())
    if mention and mention.name and not mention.role:
        appositive = re.match(r",\s+((?:the|a|an)\s[^,.;“”\"]{3,100})", text[mention.end : end])
        if appositive and has_role_noun(appositive.group(1)):
            mention.role = appositive.group(1).strip()
    return mention


def has_role_noun(words: str) -> bool:
    return any(w.lower().strip("’'s") in ROLE_NOUNS or w.lower() in ROLE_NOUNS for w in _TOKEN.findall(words))


def mention_at(text: str, start: int, end: int) -> Mention | None:
    """Classify the words at `start:end` as a name (with its role words), a pronoun or a phrase."""
    while start < end and text[start] in " \t-—–,":
        start += 1
    while end > start and text[end - 1] in " \t,":
        end -= 1
    dateline = DATELINE.match(text[start:end]) or re.match(r"[\w ]{1,30}\)\s*[-—–]+\s*", text[start:end])
    if dateline:
        start += dateline.end()
    party = _PARTY.search(text, start, end)
    if party and party.end() == end:  # "Senate Minority Leader Harry M. Reid (D-Nev.)": party, state
        end = party.start()
    age = _AGE.search(text, start, end)
    if age and age.end() == end:  # "Sarandon, 69": an age, no part of the name
        end = age.start()
    appositive = _named_with_appositive(text, start, end)
    if appositive is not None:
        return appositive
    lead = _LEAD_WORD.match(text, start, end) or _INVERTED_CUE.match(text, start, end)
    if lead:  # "While Hillary Clinton", "But Wheeler": a clause's first word is no part of a speaker
        start = lead.end()
    words = text[start:end]
    if not words or len(words) > 120 or not re.search(r"\w", words):
        return None
    if words in _PRONOUNS:
        return Mention(words, start, end, pronoun=True)
    if words.lower() not in _SPEAKING_PRONOUNS and (words.lower() in STOP_WORDS or words in _NOT_NAME_WORDS):
        return None  # "That said", "Even", "Wednesday": one word that names nobody
    if _FINITE.search(words):
        return None  # "His comments came after being", "There is a lot of chatter": a clause
    tokens = [(m.group(0), start + m.start(), start + m.end()) for m in _TOKEN.finditer(words)]
    tokens = [t for t in tokens if t[0] not in {".", "-"}]
    # A name: the capitalized words at the end of the phrase (at most three), not titles.
    name_tokens: list[tuple[str, int, int]] = []
    after_body = False  # "of the Washington Post Trump said": the outlet's words end before the name
    for token in reversed(tokens):
        initial = bool(name_tokens) and re.fullmatch(r"[A-Z]\.", token[0])  # "Harry M. Reid"
        if name_tokens and token[0] in NOT_PERSON_WORDS:
            after_body = True
            break
        if (
            (initial or _CAP.fullmatch(token[0]))
            and token[0] not in NOT_NAMES
            and not token[0].endswith(("’s", "'s"))
        ):
            name_tokens.insert(0, token)
            if len(name_tokens) == 3:
                break
        else:
            break
    if name_tokens and name_tokens[-1][2] == end:
        if len(name_tokens) == 3 and name_tokens[0][0].endswith(("ian", "ese", "ish")):
            name_tokens = name_tokens[1:]
        name_start = name_tokens[0][1]
        role_words = text[start:name_start].strip()
        role = role_words if role_words and has_role_noun(role_words) else None
        name = text[name_start:end]
        honorific = _HONORIFIC.search(text, start, name_start) is not None  # "Mr. Clarke": a person
        if len(name_tokens) == 1 and role is None and len(tokens) > 1 and not (after_body or honorific):
            return Mention(words, start, end)  # "Kyiv’s army": a body, not a person
        return Mention(name, name_start, end, name=name, role=role)
    if words[0].islower() and not _DETERMINER.match(words):
        return None
    return Mention(words, start, end)


def _named_with_appositive(text: str, start: int, end: int) -> Mention | None:
    """`Flynn, a top Trump surrogate` or `the election, Minyon Moore, a senior adviser`: of a
    phrase in parts split by commas, the one part that is a name, with the part after it as its
    role when that is a description (`a/an/the ...`); None unless exactly one part is a name."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^,]+", text[start:end])]
    if len(parts) < 2:
        return None
    names = [n for n, (a, b) in enumerate(parts) if _NAME_PART.fullmatch(text[start + a : start + b].strip())]
    if len(names) != 1:
        return None
    n = names[0]
    a, b = parts[n]
    rest = [text[start + x : start + y].strip() for x, y in parts[n + 1 :]]
    if len(rest) > 1 or (rest and not _DESCRIPTION.match(rest[0])):
        return None  # "Smith, Jones and Brown": a list, not a name and its role
    lead = text[start + a : start + b]
    offset = start + a + len(lead) - len(lead.lstrip())
    mention = mention_at(text, offset, start + a + len(lead.rstrip()))
    if mention is None or not mention.name:
        return None
    if rest and has_role_noun(rest[0]) and not mention.role:
        mention.role = rest[0]
    return mention


# A name and nothing else: "Minyon Moore", "Michael T. Flynn", "Flynn".
_NAME_PART = re.compile(r"(?:[A-ZÀ-Þ][\w’'\-]*\.?\s+){0,3}[A-ZÀ-Þ][\w’'\-]+")
_DESCRIPTION = re.compile(r"(?:a|an|the)\s+\S")


def is_body(words: str) -> bool:
    """A country, government or organization as speaker: "Russia", "Kyiv’s army", "the Kremlin"."""
    return (
        bool(re.fullmatch(r"(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,3}", words))
        and not words[0].islower()
    )
