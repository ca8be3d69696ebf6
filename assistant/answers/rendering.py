"""Every word an answer is written in, and the one renderer of an Answer as text, Markdown or HTML.

The offline answerer writes its claims with `claim_lead`; agreement notes come from
`agreement_note` / `conflict_note`; the CLI prints `as_text`, the web chat shows `as_html`.
Nothing parses rendered text back: each renderer works from the Answer's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answers.answerability import Missing, reason
from assistant.models import Answer, Citation, Passage
from assistant.text.markdown import is_markdown, markdown_as_text

NOT_COVERED = "The indexed sources do not cover this question."
NOT_FOUND = "No answer found in the indexed sources."
UNSUPPORTED = "Not supported by the cited sources"
NOTHING_SUPPORTED = "The sources do not support the model's answer, so none of it is shown."
CHECKED = "Checked answer:"
NOT_AN_ANSWER = "Not an answer (the closest passage)"
_MARKER = re.compile(r"\[(\d{1,3})\]")
# HTML's own specials, Markdown syntax (links, images, emphasis, code, headings) and the `${...}`
# of gr.HTML's template strings, written as character references in one pass, so each character
# is escaped exactly once and the page shows the text as it was written.
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'[]()!`\\$*_~|#{}:+-=."})


SHORT_TITLE = 60  # characters of a title named in prose


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """`title` cut at a word boundary to at most `limit` characters, with "…" where it was cut."""
    title = " ".join(title.split()).rstrip("…")
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def shown_title(source: str, title: str) -> str:
    """A title as people read it: a Markdown source's syntax read as text (`*Marlin*` -> `Marlin`)."""
    return markdown_as_text(title) if is_markdown(source) else title


def quoted(citation: Citation) -> str:
    """A citation's quote as an answer's prose shows it: a Markdown source's syntax read as text.

    The citation itself keeps the verbatim quote, which its offsets index.
    """
    return markdown_as_text(citation.quote) if is_markdown(citation.source) else citation.quote


def source_name(source: str, title: str, outlet: str | None = None) -> str:
    """How prose names a source: 'Fox News, “Azovstal battle rages”', the outlet and a short title.

    The title alone without an outlet, the file name without a title; the exact path stays in the
    citation's detail. A `[3]` in a title is written `(3)`: it must not pass for a marker.
    """
    named = source.rsplit("/", 1)[-1]
    if title.strip():
        named = "“" + _MARKER.sub(r"(\1)", short_title(shown_title(source, title))) + "”"
    return f"{outlet}, {named}" if outlet else named


def where(citation: Citation) -> str:
    """ "Fox News, “Azovstal battle rages”": how prose names the source of a citation."""
    return source_name(citation.source, citation.title, citation.outlet)


def claim_lead(citation: Citation, rebuts: bool = False) -> str:
    """How a claim opens: "Dmitry Peskov (Kremlin spokesman), in Fox News: ", "But ..." for a rebuttal.

    Without an outlet the article is named by its short title, else its file name.
    """
    lead = "But " if rebuts else ""
    if not citation.speaker:
        return lead
    outlet = citation.outlet or source_name(citation.source, citation.title)
    role = f" ({citation.role})" if citation.role else ""
    return f"{lead}{citation.speaker}{role}, in {outlet}: "


def declined_text(missing: list[Missing], sources: Sequence[str] = ()) -> str:
    """Why a question is declined: "The sources do not say this: none of the passages found names
    Tim Kaine." A source filter is named: the question may be answered outside it."""
    within = ""
    if sources:
        names = ", ".join(s.rsplit("/", 1)[-1] for s in list(sources)[:5])
        more = f" and {len(sources) - 5} more" if len(sources) > 5 else ""
        within = f" (searched only the chosen sources: {names}{more}; clear the filter to search all)"
    why = f": {reason(missing)}" if missing else ""
    return f"The sources do not say this{within}{why}."


def declined_answer(
    question: str,
    passages: Sequence[Passage],
    missing: list[Missing],
    near: Citation | None = None,
    sources: Sequence[str] = (),
) -> Answer:
    """The Answer of a question the sources do not answer: why, and the closest passage apart."""
    text = declined_text(missing, sources) if missing or sources else NOT_COVERED
    return Answer(
        question, text, [], list(passages), False, [], "extractive", status="declined", near_miss=near
    )


def partial_lead(missing: list[Missing]) -> str:
    """How a partial answer opens: what no source gives, then what they do give."""
    return f"Only in part: {reason(missing)}. What the sources give:"


def near_miss_line(answer: Answer) -> str | None:
    """'Not an answer (closest passage): "..." (a.txt, lines 3-4)' for a declined answer."""
    near = answer.near_miss
    if near is None:
        return None
    return f'{NOT_AN_ANSWER}: "{near.quote}" ({where(near)}, lines {near.start_line}-{near.end_line})'


def agreement_note(citations: list[Citation]) -> str:
    """ "Fox News, a.txt [1] and b.txt [2] report the same fact."."""
    return " and ".join(f"{where(c)} [{c.n}]" for c in citations) + " report the same fact."


def _who(citation: Citation) -> str:
    """ "Palamar (Fox News, a.txt)": who says a citation's words, and where."""
    return f"{citation.speaker or 'the text'} ({where(citation)})"


def conflict_note(
    theirs: Citation, mine: Citation, slot: str | None = None, values: tuple[str, str] | None = None
) -> str:
    """How two claims conflict, from the slot that differs and its two values:
    "X (a.txt) [1] says Tampa; Y (b.txt) [3] says Glendale (the place); both are given."."""
    first, second = (f"{_who(c)} [{c.n}]" for c in (theirs, mine))
    if values is None or slot is None:
        return f"{first} and {second} contradict each other; both are given."
    if slot == "negation":
        denying, stating = (first, second) if values[0].startswith("not ") else (second, first)
        return f"{denying} denies what {stating} states; both are given."
    return f"{first} says {values[0]}; {second} says {values[1]} (the {slot}); both are given."


def figures_note(theirs: Citation, mine: Citation, values: tuple[str, str] | None = None) -> str:
    """ "X (a.txt) [1] gives 200 and 300 civilians; Y (b.txt) [3] gives 200 civilians: ..."."""
    first, second = (f"{_who(c)} [{c.n}]" for c in (theirs, mine))
    if values is None:
        return f"{first} and {second} give different figures for the same thing, side by side above."
    return f"{first} gives {values[0]}; {second} gives {values[1]}: different figures, side by side above."


def citation_heading(citation: Citation) -> str:
    """ "[1] Palamar (deputy commander), quoted in a.txt, lines 3-4, chars 10-80 (2022-05-05)"."""
    date = f" ({citation.date})" if citation.date else ""
    return f"[{citation.n}] {citation.label()}, chars {citation.start_char}-{citation.end_char}{date}"


def citation_reference(citation: Citation) -> str:
    """'a.txt, lines 3-4, chars 10-80: "quote"': one citation on one line, to copy.

    HTML and PDF: 'b.html (extracted text), lines 1-2, page 1, chars 0-80: "quote"'.
    """
    page = ""
    if citation.page is not None:
        page = f", page {citation.page}"
        if citation.end_page not in (None, citation.page):
            page = f", pages {citation.page}-{citation.end_page}"
    return (
        f"{citation.location()}, lines {citation.start_line}-{citation.end_line}{page}, "
        f'chars {citation.start_char}-{citation.end_char}: "{citation.quote}"'
    )


def left_out(answer: Answer) -> str:
    """ "1 sentence of the model's answer was left out: ..." ("" when none was): how many, never
    their words, which the sources do not support."""
    n = len(answer.unsupported)
    if not n:
        return ""
    sentences = "1 sentence" if n == 1 else f"{n} sentences"
    verb = "was" if n == 1 else "were"
    return f"{sentences} of the model's answer {verb} left out: {UNSUPPORTED[0].lower()}{UNSUPPORTED[1:]}."


def as_text(answer: Answer, with_text: bool = True) -> str:
    """The answer as plain text ("Copy message"): its text, each citation with its quote, then how
    many of the model's sentences were left out."""
    lines = []
    if with_text:
        lines += [answer.text, ""]
    for citation in answer.citations:
        lines += [citation_heading(citation), f"    {citation.quote}"]
    if answer.unsupported:
        lines.append(left_out(answer))
    near = near_miss_line(answer)
    if near:
        lines.append(near)
    return "\n".join(lines).rstrip() + "\n"


def as_markdown(answer: Answer) -> str:
    """The answer as Markdown: its text, then the numbered citations with their quotes."""
    parts = [answer.text if answer.grounded else NOT_FOUND]
    for citation in answer.citations:
        quote = citation.quote.replace("\n", " ")
        parts.append(
            f"[{citation.n}]: {citation.label()}, chars {citation.start_char}-{citation.end_char}\n> {quote}"
        )
    if answer.unsupported:
        parts.append(f"*{left_out(answer)}*")
    near = near_miss_line(answer)
    if near:
        parts.append(f"*{near}*")
    return "\n\n".join(parts)


def escape_html(text: str) -> str:
    """Text as HTML that renders literally: no tags, links, images or Markdown."""
    return text.translate(_LITERAL)


def pending_marker(n: int) -> str:
    """A marker whose citation is not known yet (while an answer streams)."""
    return f'<span class="cite-marker pending">[{n}]</span>'


def text_as_html(text: str, cited: set[int], marker: Callable[[int], str]) -> str:
    """`text` escaped, its `[n]` markers of `cited` drawn by `marker`, the others as pending ones."""
    parts = _MARKER.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(escape_html(part))
        elif int(part) in cited:
            out.append(marker(int(part)))
        else:
            out.append(pending_marker(int(part)))
    return "".join(out)


def as_html(answer: Answer, marker: Callable[[int], str]) -> str:
    """The answer as HTML: its body with `marker(n)` for each citation, agreements as blocks below."""
    if not answer.grounded:
        note = f'<div class="left-out">{escape_html(left_out(answer))}</div>' if answer.unsupported else ""
        near = near_miss_line(answer)
        tail = f'\n\n<p class="near-miss">{escape_html(near)}</p>' if near else ""
        return (
            f'<p class="ungrounded">{NOT_FOUND}</p>\n\n'
            + escape_html(_MARKER.sub("", answer.body).strip())
            + note
            + tail
        )
    cited = {c.n for c in answer.citations}
    body = text_as_html(answer.body, cited, marker)
    for agreement in answer.agreements:  # the notes' markers open their quotes too
        kind = agreement.kind if agreement.kind in {"agree", "figures"} else "conflict"
        note = text_as_html(agreement.note, cited, marker)
        body += f'<div class="agreement {kind}"><b>{agreement.heading}</b>: {note}</div>'
    if answer.unsupported:
        body += f'<div class="left-out">{escape_html(left_out(answer))}</div>'
    return body
