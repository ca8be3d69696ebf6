"""Who said what: direct quotes and reported speech, each with its speaker and exact spans.

A rule set for English news prose, measured on labelled quotes (`eval/quotes.jsonl`, README):

- direct quotes in curly or straight marks, also across sentences and running on into the
  next paragraph, attributed by the cue next to them (`“...,” Palamar said.`, `“...,” said X,
  the ROLE.`, `X said: “...”`); a quote paragraph right after an attributed one continues it;
- reported speech: `X said (that) ...`, `X claimed/denied/told ...`, `..., according to X`;
- speakers: a name takes its role from the article (`Kremlin spokesman Dmitry Peskov`,
  `Sviatoslav Palamar, the Azov regiment’s deputy commander`); a surname means the full name
  met elsewhere in the article; "he"/"she" is the person the text last spoke about (a speaker
  or a sentence's subject) and "the deputy commander" the one person whose role says so:
  otherwise the speaker is left unresolved (`speaker=None`, `mention` keeps the words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RULES_VERSION = 1  # part of every stored quote's id: better rules re-index on the next ingest

_CUE_WORDS = (
    "said|says|say|told|tells|added|adds|stated|states|declared|claimed|claims|denied|denies|"
    "insisted|insists|warned|warns|wrote|writes|asked|asks|urged|urges|announced|announces|"
    "noted|notes|explained|explains|confirmed|confirms|admitted|admits|tweeted|posted|replied|"
    "responded|argued|argues|stressed|stresses|acknowledged|acknowledges|saying|adding|"
    "calling for|called for|calls for|called on|calls on|vowed|vows|promised|promises"
)
_CUE = re.compile(rf"\b(?:{_CUE_WORDS})\b")
_REPORT_CUE = re.compile(
    r"\b(?:said|says|told|claimed|claims|denied|denies|insisted|insists|warned|warns|stated|"
    r"announced|announces|confirmed|confirms|added|admitted|acknowledged|saying|argued|argues|"
    r"called for|calls for|calling for|urged|urges|vowed|vows|promised|promises)\b"
)
_ADVERBIAL = re.compile(
    r"(?:\s+(?:on|late on|early on|last|this|earlier on|later on|in|at)?\s*"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|"
    r"morning|evening|afternoon|today|yesterday|also|then|later|again|repeatedly|reportedly|"
    r"previously|once|publicly|separately|earlier|still|has|had|have|was|is|would|will|"
    r"[a-z]+ly))+\s*$"
)
_LEAD = re.compile(
    r"\s*(?:(?:on|late on|early on|late|early|last|this|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|night|week|later|earlier|also|reporters|journalists|him|her|them|us|me|"
    r"(?:Russian|local|state) (?:reporters|media|television|TV)|"
    r"in (?:a|an|his|her|their|the)\s+(?:[\w’'\-]+\s+){0,4}?(?:statement|video|address|post|interview|"
    r"briefing|message|speech|note|tweet)(?:\s+(?:address|message|post|statement|briefing))?)\s+)*(?:that\s+)?"
)
_TOKEN = re.compile(r"[\w’'\-.]+")
_CAP = re.compile(r"[A-ZÀ-Þ][\w’'\-]*")
_PRONOUNS = {"he": "he", "she": "she", "He": "he", "She": "she"}
ROLE_NOUNS = frozenset(
    """
    commander commanders chief president presidential mayor governor minister spokesman spokeswoman
    spokesperson adviser advisor aide official officials secretary leader general ambassador
    chancellor premier director head analyst envoy prosecutor officer deputy senator lawmaker
    representative chairman chairwoman ceo founder professor expert researcher doctor resident
    witness captain colonel lieutenant sergeant major king queen pope manager economist engineer
    inspector investigator coach judge mp nurse negotiator owner rescuer teacher volunteer worker
    correspondent reporter editor journalist specialist scientist lawyer activist historian
    professor physician epidemiologist supervisor councillor councilor executive economist
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_NOT_NAMES = frozenset(
    """
    The A An But And So Yet Meanwhile However In On At Last This That It It’s It's We They I You
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Mr Mrs Ms Dr President Mayor Governor Minister
    Commander Deputy Defense Defence Foreign Prime Chief Secretary General Spokesman Kremlin
    Presidential Supreme Regiment Army Colonel Captain Lieutenant Sergeant Senator Sen Rep Gov
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_CONJUNCTION = re.compile(r"^(?:But|And|So|Yet|Meanwhile|However|Still|Later|Then|Also)\b,?\s*")
_BOUNDARY_WORDS = frozenset(
    """
    with and but as while that when after before since because if though although whereas where
    which who whom said says told to from for by
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


@dataclass(frozen=True)
class Quote:
    """One attributed statement of an article: `quote == text[start_char:end_char]`.

    `speaker` is the person or body as the article names it (full name where it gives one),
    None when "he" or "the commander" cannot be resolved without guessing; `mention` is the
    words at `speaker_start:speaker_end` that point at the speaker ("he", "Palamar").
    """

    source: str
    speaker: str | None
    role: str | None
    cue: str
    kind: str  # "direct" (in quotation marks) or "reported"
    quote: str
    start_char: int
    end_char: int
    start_line: int
    end_line: int
    mention: str
    speaker_start: int
    speaker_end: int
    speaker_line: int
    outlet: str | None = None
    title: str = ""
    date: str | None = None
    page: int | None = None
    extracted: str | None = None  # the stored extracted text offsets count in (HTML, PDF)

    def label(self) -> str:
        """ "Palamar (the Azov regiment’s deputy commander)": who is speaking, for citations."""
        who = self.speaker or f"unresolved “{self.mention}”"
        return f"{who} ({self.role})" if self.role else who


@dataclass
class _Mention:
    """A noun phrase that names a speaker, before resolution."""

    text: str
    start: int
    end: int
    name: str | None = None  # the name it contains ("Sviatoslav Palamar", "Palamar")
    role: str | None = None  # role words given with it
    pronoun: bool = False


@dataclass
class _Raw:
    """An attribution found by the rules, before its speaker is resolved."""

    start: int
    end: int
    cue: str
    kind: str
    mention: _Mention | None  # None: continues the previous quote's speaker


def find_quotes(
    text: str,
    source: str,
    outlet: str | None = None,
    title: str = "",
    date: str | None = None,
    page_starts: tuple[int, ...] = (),
) -> list[Quote]:
    """Every attributed quote of an article, in order of appearance.

    Example:
        >>> text = "“We hold the line,” said Ivan Petrenko, the brigade’s commander."
        >>> [(q.speaker, q.role, q.quote) for q in find_quotes(text, "a.txt")]
        [('Ivan Petrenko', 'the brigade’s commander', 'We hold the line')]
    """
    raws: list[_Raw] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]
    previous_direct: _Raw | None = None
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        marks = _quote_marks(text, p_start, p_end)
        direct = _direct_quotes(text, p_start, p_end, marks)
        for raw in direct:
            if raw.mention is None:
                follows = previous_direct is not None and (
                    previous_direct.start >= paragraphs[max(0, p_index - 1)][0]
                )
                if not follows:
                    continue
            raws.append(raw)
            previous_direct = raw
        raws.extend(_reported(text, p_start, p_end, marks))
    raws.sort(key=lambda r: (r.start, r.end))
    return _resolve(text, source, raws, paragraphs, outlet, title, date, page_starts)


def _quote_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of quotations in a paragraph, marks included; an unclosed one runs to the end."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    closer = ""
    for i in range(start, end):
        ch = text[i]
        if opened is None:
            if ch == "“" or (ch == '"' and (i == start or not text[i - 1].isalnum())):
                opened, closer = i, "”" if ch == "“" else '"'
        elif ch == closer:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans


def _inside(spans: list[tuple[int, int]], i: int) -> bool:
    return any(a <= i < b for a, b in spans)


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """The words of a quotation: marks, spaces and a trailing comma left out."""
    if start < end and text[start] in '“"':
        start += 1
    if end > start and text[end - 1] in '”"':
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _sentence_bounds(
    text: str, p_start: int, p_end: int, marks: list[tuple[int, int]], at: int
) -> tuple[int, int]:
    """Start and end of the sentence around `at`, ignoring stops inside quotation marks."""
    start = p_start
    for m in re.finditer(r"[.!?](?=\s+[A-Z“\"])", text[p_start : at + 1]):
        i = p_start + m.start()
        if not _inside(marks, i) and not _abbreviation(text, i):
            start = i + 1
    end = p_end
    for m in re.finditer(r"[.!?](?=\s|$)", text[at:p_end]):
        i = at + m.start()
        if not _inside(marks, i) and not _abbreviation(text, i):
            end = i + 1
            break
    while start < end and text[start].isspace():
        start += 1
    return start, end


_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Gen Col Lt Sgt Gov Sen Rep U S".split())  # noqa: SIM905


def _abbreviation(text: str, i: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, i - 6) : i])
    return word is not None and word.group(1) in _ABBREVIATIONS


def _direct_quotes(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> list[_Raw]:
    """Quotations of one paragraph with the mention their cue points at (None: none found)."""
    found: list[_Raw] = []
    for n, (q_start, q_end) in enumerate(marks):
        c_start, c_end = _content(text, q_start, q_end)
        if c_end - c_start < 2:
            continue
        s_start, s_end = _sentence_bounds(text, p_start, p_end, marks, q_start)
        after_end = min([s_end] + [a for a, _ in marks[n + 1 :]])
        after = (q_end, max(q_end, after_end))
        before_start = max([s_start] + [b for _, b in marks[:n] if b <= q_start])
        attribution = _after_cue(text, *after) or _before_cue(text, before_start, q_start, s_start, marks)
        if attribution is None:
            found.append(_Raw(c_start, c_end, "", "direct", None))
        else:
            cue, mention = attribution
            found.append(_Raw(c_start, c_end, cue, "direct", mention))
    return found


def _after_cue(text: str, start: int, end: int) -> tuple[str, _Mention] | None:
    """`, said X` or `, X said` right after a quotation."""
    segment = text[start:end]
    inverted = re.match(rf"^[\s,—–-]*({_CUE_WORDS})\s+", segment)
    if inverted:
        cue = inverted.group(1)
        mention = _mention_after(text, start + inverted.end(), end)
        return (cue, mention) if mention else None
    normal = re.match(rf"^[\s,—–-]*(?P<np>[^,.;:“”\"]{{1,120}}?)\s+(?P<cue>{_CUE_WORDS})\b", segment)
    if normal:
        np_start = start + normal.start("np")
        np_end = _trim_adverbials(text, np_start, start + normal.end("np"))
        mention = _mention(text, np_start, np_end)
        return (normal.group("cue"), mention) if mention else None
    return None


def _before_cue(
    text: str, start: int, end: int, sentence_start: int, marks: list[tuple[int, int]]
) -> tuple[str, _Mention] | None:
    """`X said: “...` or `X said that ... “...”`: the last cue before the quotation."""
    cues = [m for m in _CUE.finditer(text, start, end) if not _inside(marks, m.start())]
    if not cues:
        return None
    cue = cues[-1]
    mention = _subject_of(text, cue.start(), sentence_start, marks)
    return (cue.group(0), mention) if mention else None


def _subject_of(text: str, cue_start: int, floor: int, marks: list[tuple[int, int]]) -> _Mention | None:
    """The noun phrase a cue verb at `cue_start` belongs to."""
    np_end = _trim_adverbials(text, floor, cue_start)
    before = text[floor:np_end]
    if before.rstrip().endswith(","):
        # ", saying ...": the participle's subject is the sentence's, or a parenthesis ends here.
        inner = before.rstrip()[:-1]
        comma = inner.rfind(",")
        appositive = _appositive(text, floor, floor + comma, floor + len(inner)) if comma >= 0 else None
        if appositive is not None:
            return appositive
        if comma >= 0 and re.match(r"\s*(?:\w+ing|who|which|of|from|at|in|with)\b", inner[comma + 1 :]):
            np_end = floor + comma
        else:
            return _sentence_subject(text, floor, np_end, marks)
    np_start = floor
    last = None
    for m in re.finditer(r"[,;:—–]|\s--\s|\b(?:" + "|".join(_BOUNDARY_WORDS) + r")\b", text[floor:np_end]):
        np_start, last = floor + m.end(), m
    if (
        last is not None
        and last.group(0) == "and"
        and re.search(r"[A-Z][\w’'\-]+\s*$", text[floor : floor + last.start()])
    ):
        return None  # "Andersson and Berg urged": two speakers at once, not one to name
    if np_start == floor and text[floor:np_end].count(",") == 0:
        np_start = floor
    return _mention(text, np_start, np_end)


def _appositive(text: str, floor: int, comma: int, end: int) -> _Mention | None:
    """`A spokesman for the operator, Tomasz Wrona,` or `Dr. Jonas Berg, an infectious disease
    specialist,` before a cue: the name, with the other half as its role."""
    left_start = floor
    for m in re.finditer(r"[,;:]|\b(?:with|and|but|while|as)\b", text[floor:comma]):
        left_start = floor + m.end()
    clause = re.search(r"\s+(?:that|who|which)\s", text[left_start:comma])
    left_end = left_start + clause.start() if clause else comma  # "The contractor that maintained it"
    left = _mention(text, left_start, left_end)
    right = _mention(text, comma + 1, end)
    described = left is not None and not left.name and re.match(r"(?:The|the|A|An|a|an)\s", left.text)
    if right and right.name and left and not left.name and (_has_role_noun(left.text) or described):
        right.role = right.role or left.text
        return right
    role = text[comma + 1 : end].strip()
    if left and left.name and re.match(r"(?:the|a|an)\s", role) and _has_role_noun(role):
        left.role = left.role or role
        return left
    return None


def _sentence_subject(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> _Mention | None:
    """The subject at the start of a sentence: up to its first cue verb, or a name at its start."""
    cue = next(
        (
            m
            for m in _CUE.finditer(text, start, end)
            if not _inside(marks, m.start()) and not text[start : m.start()].rstrip().endswith(",")
        ),
        None,
    )
    if cue is not None:
        return _subject_of(text, cue.start(), start, marks)
    head = _CONJUNCTION.match(text, start)
    first = head.end() if head else start
    described = re.match(r"((?:The|A|An) [^,.;“”\"]{2,60}), ((?:[A-ZÀ-Þ][\w’'\-]+ ?){1,3}),", text[first:end])
    if described:
        name = _mention(text, first + described.start(2), first + described.end(2))
        if name and name.name:
            name.role = name.role or described.group(1)
            return name
    role_noun = re.match(
        rf"(?:The|A|An)\s+(?:[\w’'\-]+\s+){{0,3}}?(?:{'|'.join(sorted(ROLE_NOUNS))})s?\b", text[first:end]
    )
    if role_noun:
        return _mention(text, first, first + role_noun.end())
    words = re.match(r"(?:[A-ZÀ-Þ][\w’'\-]*\s+)*[A-ZÀ-Þ][\w’'\-]*|[Hh]e\b|[Ss]he\b", text[first:end])
    return _mention(text, first, first + words.end()) if words else None


def _trim_adverbials(text: str, start: int, end: int) -> int:
    """End of a noun phrase with trailing "on Thursday", "reportedly", "also" left out."""
    m = _ADVERBIAL.search(text, start, end)
    while m and m.start() > start:
        end = m.start()
        m = _ADVERBIAL.search(text, start, end)
    return end


def _mention_after(text: str, start: int, end: int) -> _Mention | None:
    """`said Sviatoslav Palamar, the Azov regiment’s deputy commander.`: name and appositive."""
    m = re.match(
        r"(?:[A-ZÀ-Þ][\w’'\-]*\s+)*[A-ZÀ-Þ][\w’'\-]*|[Hh]e\b|[Ss]he\b|the [\w’'\- ]+", text[start:end]
    )
    if not m:
        return None
    mention = _mention(text, start, start + m.end())
    if mention and mention.name and not mention.role:
        appositive = re.match(r",\s+((?:the|a|an)\s[^,.;“”\"]{3,100})", text[mention.end : end])
        if appositive and _has_role_noun(appositive.group(1)):
            mention.role = appositive.group(1).strip()
    return mention


def _has_role_noun(words: str) -> bool:
    return any(w.lower().strip("’'s") in ROLE_NOUNS or w.lower() in ROLE_NOUNS for w in _TOKEN.findall(words))


def _mention(text: str, start: int, end: int) -> _Mention | None:
    """Classify the words at `start:end` as a name (with its role words), a pronoun or a phrase."""
    while start < end and text[start] in " \t-—–,":
        start += 1
    while end > start and text[end - 1] in " \t,":
        end -= 1
    dateline = re.match(r"[A-Z][A-Z .'’]{2,30}\s*[-—–]+\s*", text[start:end])
    if dateline:
        start += dateline.end()
    words = text[start:end]
    if not words or len(words) > 120 or not re.search(r"\w", words):
        return None
    if words in _PRONOUNS:
        return _Mention(words, start, end, pronoun=True)
    tokens = [(m.group(0), start + m.start(), start + m.end()) for m in _TOKEN.finditer(words)]
    tokens = [t for t in tokens if t[0] not in {".", "-"}]
    # A name: the capitalized words at the end of the phrase (at most three), not titles.
    name_tokens: list[tuple[str, int, int]] = []
    for token in reversed(tokens):
        if _CAP.fullmatch(token[0]) and token[0] not in _NOT_NAMES and not token[0].endswith(("’s", "'s")):
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
        role = role_words if role_words and _has_role_noun(role_words) else None
        name = text[name_start:end]
        if len(name_tokens) == 1 and role is None and len(tokens) > 1:
            return _Mention(words, start, end)  # "Kyiv’s army": a body, not a person
        return _Mention(name, name_start, end, name=name, role=role)
    if words[0].islower() and not words.startswith(("the ", "a ", "an ")):
        return None
    if re.search(
        r"\b(?:figures|data|statistics|estimates|reports?|survey|records|documents|numbers|polls?)$", words
    ):
        return None  # "according to the port's own figures": a source of numbers, not a speaker
    return _Mention(words, start, end)


def _reported(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> list[_Raw]:
    """`X said (that) CLAUSE` and `CLAUSE, according to X` outside quotation marks."""
    found: list[_Raw] = []
    for s_start, s_end in _sentences(text, p_start, p_end, marks):
        sentence = text[s_start:s_end]
        if any(s_start <= a and b <= s_end and b - a > 0.6 * (s_end - s_start) for a, b in marks):
            continue  # a quotation with its attribution, handled as direct
        opening = re.match(r"According to ([^,]{2,80}),\s+", sentence)
        if opening:
            mention = _mention(text, s_start + opening.start(1), s_start + opening.end(1))
            if mention:
                found.append(
                    _Raw(
                        s_start + opening.end(),
                        _strip_end(text, s_start, s_end),
                        "according to",
                        "reported",
                        mention,
                    )
                )
            continue
        tail = re.search(
            rf",\s+([^,;“”\"]{{2,80}}?)\s+({_CUE_WORDS})\b[^,;“”\"]{{0,40}}?(?:[.!?]$|,)", sentence
        )
        if tail and tail.start() > 20 and not _CUE.search(sentence, 0, tail.start()):
            mention = _mention(
                text, s_start + tail.start(1), s_start + _trim_adverbials(sentence, 0, tail.end(1))
            )
            if mention:
                found.append(
                    _Raw(
                        s_start,
                        _strip_end(text, s_start, s_start + tail.start()),
                        tail.group(2),
                        "reported",
                        mention,
                    )
                )
                continue
        according = re.search(r",\s+according to\s+([^,.;]+?)[.!?]?$", sentence)
        if according and not _CUE.search(sentence, 0, according.start()):
            mention = _mention(text, s_start + according.start(1), s_start + according.end(1))
            if mention:
                q_end = _strip_end(text, s_start, s_start + according.start())
                found.append(_Raw(s_start, q_end, "according to", "reported", mention))
            continue
        for cue in _REPORT_CUE.finditer(text, s_start, s_end):
            if _inside(marks, cue.start()):
                continue
            after = text[cue.end() : s_end]
            lead = _LEAD.match(after)
            clause_start = cue.end() + (lead.end() if lead else 0)
            clause_end = _strip_end(text, clause_start, s_end)
            clause = text[clause_start:clause_end]
            if (
                clause[:1] in ",;:"
                or len(clause.split()) < 3
                or clause.lstrip().startswith(("“", '"'))
                or clause_start >= s_end
            ):
                continue
            pronoun_clause = re.match(r"(?:he|she|they|it|we|I)\s", clause)
            if (
                cue.group(0) in {"said", "says", "told"}
                and not pronoun_clause
                and not re.search(
                    r"\bthat\b|\bwas\b|\bwere\b|\bhad\b|\bhave\b|\bhas\b|\bis\b|\bare\b|\bwould\b|\bwill\b|\bcould\b",
                    clause,
                )
            ):
                continue
            mention = _subject_of(text, cue.start(), s_start, marks)
            if mention is None or (
                mention.name is None
                and not mention.pronoun
                and not _has_role_noun(mention.text)
                and not _body(mention.text)
            ):
                continue
            found.append(_Raw(clause_start, clause_end, cue.group(0), "reported", mention))
            break
    return found


def _body(words: str) -> bool:
    """A country, government or organization as speaker: "Russia", "Kyiv’s army", "the Kremlin"."""
    return (
        bool(re.fullmatch(r"(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,3}", words))
        and not words[0].islower()
    )


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return end


def _sentences(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = []
    at = p_start
    while at < p_end:
        s_start, s_end = _sentence_bounds(text, p_start, p_end, marks, at)
        s_start = max(s_start, at)
        if s_end <= s_start:
            break
        spans.append((s_start, s_end))
        at = s_end
        while at < p_end and text[at].isspace():
            at += 1
    return spans


def _resolve(
    text: str,
    source: str,
    raws: list[_Raw],
    paragraphs: list[tuple[int, int]],
    outlet: str | None,
    title: str,
    date: str | None,
    page_starts: tuple[int, ...],
) -> list[Quote]:
    """Give each attribution its speaker: names made full, pronouns and descriptions resolved."""
    from assistant.people import People

    people = People(text, [r.mention for r in raws if r.mention and r.mention.name])
    quotes: list[Quote] = []
    previous: Quote | None = None
    for raw in raws:
        mention = raw.mention
        if mention is None:
            if previous is None:
                continue
            speaker, role = previous.speaker, previous.role
            m_text, m_start, m_end = previous.mention, previous.speaker_start, previous.speaker_end
        else:
            speaker, role = people.resolve(mention, raw.start)
            m_text, m_start, m_end = mention.text, mention.start, mention.end
        quote = Quote(
            source=source,
            speaker=speaker,
            role=role,
            cue=raw.cue or (previous.cue if previous else ""),
            kind=raw.kind,
            quote=text[raw.start : raw.end],
            start_char=raw.start,
            end_char=raw.end,
            start_line=text.count("\n", 0, raw.start) + 1,
            end_line=text.count("\n", 0, max(raw.start, raw.end - 1)) + 1,
            mention=m_text,
            speaker_start=m_start,
            speaker_end=m_end,
            speaker_line=text.count("\n", 0, m_start) + 1,
            outlet=outlet,
            title=title,
            date=date,
            page=page_of(page_starts, raw.start),
        )
        if speaker:
            people.spoke(speaker, raw.end)
        quotes.append(quote)
        if raw.kind == "direct":
            previous = quote
    return quotes


def page_of(page_starts: tuple[int, ...], offset: int) -> int | None:
    """1-based page holding `offset`, given each page's first offset; None for unpaged text."""
    if not page_starts:
        return None
    from bisect import bisect_right

    return max(1, bisect_right(page_starts, offset))
