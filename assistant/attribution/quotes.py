"""Who said what: direct quotes and reported speech, each with its speaker and exact spans.

A rule set for English news prose, measured on labelled quotes (`eval/quotes.jsonl`, docs/answers.md):

- direct quotes in curly or straight marks, also across sentences and running on into the
  next paragraph, attributed by the cue next to them (`“...,” Palamar said.`, `“...,” said X,
  the ROLE.`, `X said: “...”`); a quote paragraph right after an attributed one continues it;
- reported speech: `X said (that) ...`, `X claimed/denied/told ...`, `..., according to X`;
- speakers: a name takes its role from the article (`Kremlin spokesman Dmitry Peskov`,
  `Sviatoslav Palamar, the Azov regiment’s deputy commander`); a surname means the full name
  met elsewhere in the article; "he"/"she" is the person the text last spoke about (a speaker
  or a sentence's subject) and "the deputy commander" the one person whose role says so:
  otherwise the speaker is left unresolved (`speaker=None`, `mention` keeps the words);
- someone the article describes but never names ("a senior Democrat said") is the speaker as
  described, marked `unnamed`;
- where no cue is found, where a quotation stands names its speaker (`positions`);
- what a small model finds unlikely to be a statement at all is left out (`plausible`); a
  reported statement ends where a second one says what was said ends (`extent`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.attribution import positions
from assistant.attribution.cues import CUE, after_cue, before_cue
from assistant.attribution.directives import directives
from assistant.attribution.mentions import DATELINE, Mention, mention_at
from assistant.attribution.parsing import parses
from assistant.attribution.people import People
from assistant.attribution.ranking import best, instead_of_previous, options
from assistant.attribution.reported import Found, reported_speech
from assistant.attribution.screening import screened
from assistant.attribution.speech import (
    governing_clause,
    introducing_subject,
    names_in,
    parse_attribution,
    said_content,
)
from assistant.models import Quote, page_of
from assistant.text.sentences import line_at, newlines, sentence_around

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULES_VERSION = 18  # part of every stored quote's id: better rules re-index on the next ingest

INTRODUCTION = 300  # characters at most of a paragraph parsed for who introduces the next one
JOIN_GAP = 100  # characters of narration at most between two quotations joined as one statement


def find_quotes(
    text: str,
    source: str,
    outlet: str | None = None,
    title: str = "",
    date: str | None = None,
    page_starts: tuple[int, ...] = (),
    parse: bool = True,
    screen: bool = True,
) -> list[Quote]:
    """Every attributed quote of an article, in order. With `parse` (the default), paragraphs that hold a
    quotation mark or a speech cue are parsed with spaCy; without, only the hand-written patterns run (the
    rules of RULES_VERSION 1, the baseline). With `screen` (the default, with `parse`), what a small model
    finds unlikely to be a statement is left out (`plausible`), a short quotation runs on to its sentence's
    end (`clauses`) and a reported statement ends at the clause boundary a second model picks (`extent`).

    Example:
        >>> text = "“We hold the line,” said Ivan Petrenko, the brigade’s commander."
        >>> [(q.speaker, q.role, q.quote) for q in find_quotes(text, "a.txt")]
        [('Ivan Petrenko', 'the brigade’s commander', 'We hold the line')]
    """
    raws, persons = statements(text, parse)
    quotes = _resolve(text, source, raws, persons, outlet, title, date, page_starts)
    return screened(quotes, text) if screen and parse else quotes


def statements(text: str, parse: bool = True) -> tuple[list[Found], list[Mention]]:
    """The attributions of an article before their speakers are resolved, in order, and the full
    names the parse met (`find_quotes` without its last step)."""
    raws: list[Found] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]
    previous_direct: Found | None = None
    persons: list[Mention] = []  # full names the entity recognizer found in parsed paragraphs
    marked = [_quote_marks(text, p_start, p_end) for p_start, p_end in paragraphs]
    # Only the sentences that hold quotations are parsed, all of an article's in one batch: the
    # parse costs more than the rest of ingest together, and reported speech is left to the patterns.
    windows = {n: _window(text, *paragraphs[n], marks) for n, marks in enumerate(marked) if parse and marks}
    # a paragraph that is all quotation has no cue or speaker for the parse to find
    windows = {n: w for n, w in windows.items() if _words_outside(text, *w, marked[n])}
    texts = (_elided(text, a, b, marked[n]) for n, (a, b) in windows.items())
    docs = dict(zip(windows, parses(texts), strict=True)) if windows else {}
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        marks = marked[p_index]
        doc = docs.get(p_index)
        offset = windows[p_index][0] if doc is not None else p_start
        if doc is not None:
            persons.extend(names_in(doc, offset))
        direct = _join_split(text, _direct_quotes(text, p_start, p_end, marks, doc, offset))
        if direct and previous_direct is not None and _runs_on(text, previous_direct, direct[0], p_start):
            previous_direct.end = direct[0].end  # a quotation running over into this paragraph
            direct = direct[1:]
        for raw in direct:
            if raw.mention is None:
                follows = previous_direct is not None and (
                    previous_direct.end >= paragraphs[max(0, p_index - 1)][0]
                )
                introduced = (
                    _introduced(text, paragraphs, p_index, raw, parse)
                    or positions.signed_below(text, paragraphs, p_index, raw.end)
                    or positions.said_just_before(text, p_start, raw.start, marks)
                )
                if introduced is not None:
                    raw.cue, raw.mention = introduced
                elif not follows:
                    continue  # no speaker: a quotation nobody is named for is no statement here
                elif said := [r.mention for r in raws if r.kind == "direct" and r.mention]:
                    pick = instead_of_previous(raw.options, said[-1], raw.start)
                    if pick is not None:
                        raw.cue, raw.mention = pick.cue or "", pick.mention
            raws.append(raw)
            previous_direct = raw
        raws.extend(reported_speech(text, p_start, p_end, marks))
    raws += directives(text, paragraphs, marked, raws) if parse else []  # `X called on Y to ...`
    raws.sort(key=lambda r: (r.start, r.end))
    return raws, persons


def _window(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentences of a paragraph from its first quotation to its last, to be parsed."""
    start = sentence_around(text, p_start, p_end, marks, marks[0][0])[0]
    return start, max(sentence_around(text, p_start, p_end, marks, marks[-1][0])[1], marks[-1][1])


KEPT_WORDS = 8  # of a long quotation, parsed at each end; the rest is blanked out for speed
_WORD = re.compile(r"\S+")


def _elided(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """`text[start:end]` to parse, the middle of each long quotation and a dateline blanked out
    with spaces: the parse looks for cues and speakers outside quotations, and offsets stay as
    they are."""
    chars = list(text[start:end])
    dateline = DATELINE.match(text, start, end) if start == 0 or text[start - 1] == "\n" else None
    if dateline:  # `LONDON (Reuters) - Trump said`: the place is no speaker for the parse to find
        chars[: dateline.end() - start] = " " * (dateline.end() - start)
    for a, b in marks:
        words = list(_WORD.finditer(text, max(a, start), min(b, end)))
        if len(words) > 3 * KEPT_WORDS:
            first, last = words[KEPT_WORDS - 1].end(), words[-KEPT_WORDS].start()
            chars[first - start : last - start] = " " * (last - first)
    return "".join(chars)


def _words_outside(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> bool:
    """True when `text[start:end]` holds a word outside the quotation marks."""
    at = start
    for a, b in [*marks, (end, end)]:
        if re.search(r"[^\W\d_]", text[at:a]):
            return True
        at = max(at, b)
    return False


def _quote_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of quotations in a paragraph, marks included; an unclosed one runs to the end. Marks
    typed the wrong way round count by where they stand: `”Sorry Sarah, ...” posted X` opens at
    the paragraph's start, `“..., here,“ said X` closes after a word."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for i in range(start, end):
        ch = text[i]
        if opened is None:
            plain = ch == "“" or (ch == '"' and (i == start or not text[i - 1].isalnum()))
            if plain or (ch == "”" and _opens_paragraph(text, start, i, end)):
                opened = i
        elif ch in '”"' or (
            ch == "“" and not text[i - 1].isspace() and (i + 1 == end or text[i + 1].isspace())
        ):
            # either closes either: `"...,” said X` is common in agency copy
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans


_INVISIBLE = " \t\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"  # spaces and direction marks


def _opens_paragraph(text: str, start: int, i: int, end: int) -> bool:
    """True when the mark at `i` comes first in its paragraph and right before a word."""
    return not text[start:i].strip(_INVISIBLE) and i + 1 < end and not text[i + 1].isspace()


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """The words of a quotation: marks, spaces and a trailing comma left out."""
    if start < end and text[start] in '“"”':
        start += 1
    if end > start and text[end - 1] in '”"“':
        end -= 1
    start = end - len(text[start:end].lstrip())
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


_TITLE = re.compile(
    r"(?:[A-Z0-9][\w’'\-]*|&|of|the|and|or|a|an|in|on|to|for|with)(?:\s+(?:[A-Z0-9][\w’'\-]*|&|of|the|and|or|a|an|in|on|to|for|with|at|by)){0,5}"
)


def _not_words(words: str) -> bool:
    """Tweet ids, links and markup in quotation marks: nothing anybody said."""
    return not re.search(r"[^\W\d_]{2,}", words) or bool(re.search(r"https?://|www\.|=\s*\"|^@", words))


def _introduced(
    text: str, paragraphs: list[tuple[int, int]], p_index: int, raw: Found, parse: bool = True
) -> tuple[str, Mention] | None:
    """`Caddell continued:` as the paragraph before the one a quotation opens: its cue and speaker.
    With `parse`, a paragraph whose last sentence is short and has a verb that is no cue gives its
    subject too (`..., Trump issued the following statement:`, `Stated Stone:`)."""
    if p_index == 0 or text[paragraphs[p_index][0] : raw.start].strip() not in {"", "“", '"'}:
        return None
    start, end = paragraphs[p_index - 1]
    if not text[start:end].rstrip().endswith(":") or _quote_marks(text, start, end):
        return None
    going_on = _GOING_ON.match(text, start, end)
    if going_on is not None:  # not a cue anywhere else: "the growth continued" says nothing
        mention = mention_at(text, going_on.start("np"), going_on.end("np"))
        return (going_on.group("cue"), mention) if mention else None
    cued = before_cue(text, start, end, start, [])
    start = sentence_around(text, start, end, [], end - 1)[0]  # its last sentence introduces
    if cued is not None or not parse or end - start > INTRODUCTION:
        return cued
    return introducing_subject(parses([text[start:end]])[0], start, text)


# `Cruz continued:` / `She went on:` as a paragraph of its own: the quotation after it goes on
_GOING_ON = re.compile(r"\s*(?P<np>[^\W\d][^:.;“”\"]{0,80}?)\s+(?P<cue>continued|went on)\s*:\s*$")


def _direct_quotes(
    text: str, p_start: int, p_end: int, marks: list[tuple[int, int]], doc: Doc | None, offset: int
) -> list[Found]:
    """Quotations of one paragraph with the mention their cue points at (None: none found);
    `doc` is the parse of the paragraph's text from `offset` on, if parsed."""
    found: list[Found] = []
    for n, (q_start, q_end) in enumerate(marks):
        c_start, c_end = _content(text, q_start, q_end)
        if c_end - c_start < 2 or _not_words(text[c_start:c_end]):
            continue
        s_start, s_end = sentence_around(text, p_start, p_end, marks, q_start)
        after_end = min([s_end] + [a for a, _ in marks[n + 1 :]])
        after = (q_end, max(q_end, after_end))
        before_start = max([s_start] + [b for _, b in marks[:n] if b <= q_start])
        parsed = parse_attribution(doc, offset, text, q_start, q_end, marks) if doc is not None else None
        words = text[c_start:c_end].rstrip(".!?,")
        named = re.search(r"(?:’s|'s|\bthe|\bon)\s*$", text[max(0, q_start - 8) : q_start])
        if (parsed is None or named) and _TITLE.fullmatch(words):
            continue  # `“Fox & Friends”`, `CNN’s “State of the Union”`: a title, not words said
        attribution = (
            parsed or after_cue(text, *after) or before_cue(text, before_start, q_start, s_start, marks)
        )
        if attribution is None and doc is not None:
            attribution = positions.trailing_speaker(
                doc, offset, text, q_start, q_end
            ) or positions.introducing_speaker(doc, offset, text, q_start, q_end, marks)
        wider = said_content(doc, offset, q_start, q_end, marks) if doc is not None else None
        if wider is None and doc is not None:
            governed = governing_clause(doc, offset, text, q_start, q_end, marks)
            if governed is not None:
                wider = governed[0]
                attribution = attribution or governed[1]
        if doc is not None and attribution is not None and before_start == s_start:
            lead = _leading_clause(text, doc, offset, s_start, q_start, q_end, attribution[1])
            wider = wider if lead is None else lead if wider is None else (lead[0], max(lead[1], wider[1]))
        if wider is not None and attribution is not None:
            c_start, c_end = min(c_start, wider[0]), max(c_end, wider[1])
        choices = options(doc, offset, text, q_start, q_end, marks, attribution) if doc is not None else []
        pick = best(choices)
        if attribution is not None and pick is not None and pick is not choices[0]:
            attribution = (pick.cue or attribution[0], pick.mention)
        if attribution is None:
            found.append(Found(c_start, c_end, "", "direct", None, choices))
        else:
            cue, mention = attribution
            found.append(Found(c_start, c_end, cue, "direct", mention, choices))
    return found


def _leading_clause(
    text: str, doc: Doc, offset: int, s_start: int, q_start: int, q_end: int, mention: Mention
) -> tuple[int, int] | None:
    """`Teachers who connect online are “very, very pro-Bernie,” Kilfoyle said.`: a quotation that
    ends a clause whose speaker is named right after it says that whole clause, from the
    sentence's start; None when the words before it are no clause of its own (`With the help of
    “...”`, `Trump asserted that ...: “...”`, `..., telling Mic, “they are ...”`)."""
    between = text[q_end : mention.start]
    if mention.start < q_end or len(between) > 30 or re.search(r"[^\W\d_]", CUE.sub("", between)):
        return None
    if "," not in text[q_end - 2 : q_end + 1]:
        return None  # `... “a stop.” Smith said ...`: a cue after a full stop is the next sentence's
    lead = text[s_start:q_start]
    if CUE.search(lead) or re.search('[“”":]', lead):
        return None
    if lead.rstrip().endswith(","):  # `The party, attended by ..., “allows us to ...,” said X`
        quoted = [t for t in doc if q_start <= t.idx + offset < q_end]
        heads = [t for t in quoted if t.head.i == t.i or not q_start <= t.head.idx + offset < q_end]
        subjects = [c for t in heads for c in t.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}]
        if any(q_start <= c.idx + offset < q_end for c in subjects):
            return None  # a clause of its own after an aside: `Whatever ..., “his chances are ...,”`
    verbs = [t for t in doc if s_start <= t.idx + offset < q_start and t.pos_ in {"VERB", "AUX"}]
    return (s_start, q_end) if verbs else None


def _join_split(text: str, raws: list[Found]) -> list[Found]:
    """`“A,” he said, “B.”` and `“A.” “B.”`: quotations of one paragraph with one speaker are one
    statement; a quotation without a cue of its own joins the one before it (or the next one)."""
    joined: list[Found] = []
    for raw in raws:
        last = joined[-1] if joined else None
        near = last is not None and raw.start - last.end <= JOIN_GAP
        same = last is not None and last.mention is not None and raw.mention is not None
        same = same and last.mention.start == raw.mention.start  # type: ignore[union-attr]
        if last is not None and near and (raw.mention is None or last.mention is None or same):
            if last.mention is None:
                last.mention, last.cue = raw.mention, raw.cue
            last.end = raw.end
            continue
        joined.append(raw)
    return joined


def _runs_on(text: str, previous: Found, first: Found, p_start: int) -> bool:
    """True when `previous` was left open at its paragraph's end and `first` opens this one
    without a cue of its own: news style for a quotation over several paragraphs."""
    before = text[previous.end : p_start]
    return (
        first.mention is None
        and text[p_start : first.start].strip() in {"“", '"'}
        and not re.search('[”"]', before)
        and not before.strip()
    )


def _resolve(
    text: str,
    source: str,
    raws: list[Found],
    persons: list[Mention],
    outlet: str | None,
    title: str,
    date: str | None,
    page_starts: tuple[int, ...],
) -> list[Quote]:
    """Give each attribution its speaker: names made full, pronouns and descriptions resolved."""
    people = People(text, [r.mention for r in raws if r.mention and r.mention.name] + persons)
    quotes: list[Quote] = []
    previous, breaks = None, newlines(text)
    for raw in raws:
        mention = raw.mention
        if mention is None:
            if previous is None:
                continue
            speaker, role, unnamed = previous.speaker, previous.role, previous.unnamed
            m_text, m_start, m_end = previous.mention, previous.speaker_start, previous.speaker_end
        else:
            speaker, role, unnamed = people.resolve(mention, raw.start)
            m_text, m_start, m_end = mention.text, mention.start, mention.end
        quote = Quote(
            source=source,
            speaker=speaker,
            role=role,
            unnamed=unnamed,
            cue=raw.cue or (previous.cue if previous else ""),
            kind=raw.kind,
            quote=text[raw.start : raw.end],
            start_char=raw.start,
            end_char=raw.end,
            start_line=line_at(breaks, raw.start),
            end_line=line_at(breaks, max(raw.start, raw.end - 1)),
            mention=m_text,
            speaker_start=m_start,
            speaker_end=m_end,
            speaker_line=line_at(breaks, m_start),
            outlet=outlet,
            title=title,
            date=date,
            page=page_of(page_starts, raw.start),
        )
        if speaker and not unnamed:
            people.spoke(speaker, raw.end)
        quotes.append(quote)
        if raw.kind == "direct":
            previous = quote
    return quotes
