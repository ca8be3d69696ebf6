"""Every word an answer is written in, and the one renderer of an Answer as text, Markdown or HTML.

The offline answerer writes its claims with `claim_lead`; agreement notes come from
`agreement_note` / `conflict_note`; the CLI prints `as_text`, the web chat shows `as_html`.
Nothing parses rendered text back: each renderer works from the Answer's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.models import Answer, Citation

NOT_COVERED = "The indexed sources do not cover this question."
NOT_FOUND = "No answer found in the indexed sources."
UNSUPPORTED = "Not supported by the cited sources"
NOTHING_SUPPORTED = "The sources do not support the model's answer, so none of it is shown."
CHECKED = "Checked answer:"
_MARKER = re.compile(r"\[(\d{1,3})\]")
# HTML's own specials, Markdown syntax (links, images, emphasis, code, headings) and the `${...}`
# of gr.HTML's template strings, written as character references in one pass, so each character
# is escaped exactly once and the page shows the text as it was written.
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'[]()!`\\$*_~|#{}:+-=."})


def where(citation: Citation) -> str:
    """ "Fox News, a.txt": the outlet (when known) and the file name of a citation."""
    name = citation.source.rsplit("/", 1)[-1]
    return f"{citation.outlet}, {name}" if citation.outlet else name


def claim_lead(citation: Citation, rebuts: bool = False) -> str:
    """How a claim opens: "Dmitry Peskov (Kremlin spokesman), in Fox News: ", "But ..." for a rebuttal."""
    lead = "But " if rebuts else ""
    if not citation.speaker:
        return lead
    outlet = citation.outlet or citation.source.rsplit("/", 1)[-1]
    role = f" ({citation.role})" if citation.role else ""
    return f"{lead}{citation.speaker}{role}, in {outlet}: "


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
    """'a.txt, lines 3-4, chars 10-80: "quote"': one citation on one line, to copy."""
    return (
        f"{citation.source}, lines {citation.start_line}-{citation.end_line}, "
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
        return (
            f'<p class="ungrounded">{NOT_FOUND}</p>\n\n'
            + escape_html(_MARKER.sub("", answer.body).strip())
            + note
        )
    body = text_as_html(answer.body, {c.n for c in answer.citations}, marker)
    for agreement in answer.agreements:  # markers in the notes stay plain text: the buttons are above
        kind = agreement.kind if agreement.kind in {"agree", "figures"} else "conflict"
        body += (
            f'<div class="agreement {kind}"><b>{agreement.heading}</b>: {escape_html(agreement.note)}</div>'
        )
    if answer.unsupported:
        body += f'<div class="left-out">{escape_html(left_out(answer))}</div>'
    return body
