"""The web chat's panels as HTML: cited passages in context, the whole article, the sources table.

All document text goes through `escape_html` (see `assistant.answers.rendering`) before Gradio sees
it, and every article is read with the decode function ingest used, so offsets match.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answers.rendering import (
    as_html,
    as_text,
    citation_reference,
    pending_marker,
    quoted,
    short_title,
    shown_title,
    text_as_html,
    where,
)
from assistant.answers.rendering import escape_html as inert
from assistant.errors import AssistantError
from assistant.ingest.decoding import read_text
from assistant.models import Answer, Citation, SourceInfo

CONTEXT_CHARS = 400  # of the paragraph shown around a quote, each side
NO_CITATIONS = "<p class='citation-meta'>Cited passages appear here.</p>"
NO_ARTICLE = "<p class='citation-meta'>Select a citation marker to read the article.</p>"


PREVIEW_CHARS = 160  # of a quote, in a marker's hover preview


def marker(turn: int, n: int, preview: str = "") -> str:
    """A clickable citation marker; the chat's sanitizer drops data attributes, so a class names it.

    `preview` (the source's title and the start of the quote) shows on hovering it.
    """
    tip = inert(preview) if preview else f"Show source {n}"
    return f'<button type="button" class="cite-marker cite-{turn}-{n}" title="{tip}">[{n}]</button>'


def preview(citation: Citation) -> str:
    """ "[2] Fox News, “Title”: “They were driven out…”": what hovering a marker shows."""
    quote = " ".join(quoted(citation).split())
    if len(quote) > PREVIEW_CHARS:
        quote = quote[: PREVIEW_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"[{citation.n}] {where(citation)}: “{quote}”"


def streaming_html(text: str) -> str:
    """A streaming answer's text: its markers shown, not yet clickable."""
    return text_as_html(text, set(), pending_marker)


def copy_button(label: str, text: str) -> str:
    """A button that copies `text`, kept beside it (hidden) as literal text, newlines included."""
    kept = inert(text).replace("\n", "&#10;")
    return f'<button type="button" class="copy-button">{label}</button><span class="copy-text">{kept}</span>'


def answer_html(answer: Answer, turn: int) -> str:
    """A finished answer in the chat: its text with clickable markers and a "Copy message" button."""
    tips = {c.n: preview(c) for c in answer.citations}
    body = as_html(answer, lambda n: marker(turn, n, tips.get(n, "")))
    return f"{body}\n\n<div>{copy_button('Copy message', as_text(answer))}</div>"


def highlighted(text: str, start: int, end: int, context: int | None = None) -> str:
    """`text` escaped, with `text[start:end]` marked; cut to the paragraph around it if `context`."""
    left, right = 0, len(text)
    if context is not None:
        left = max(text.rfind("\n", 0, start) + 1, start - context)
        right = text.find("\n", end)
        right = min(len(text) if right == -1 else right, end + context)
    prefix = "…" if left > 0 and text[left - 1] != "\n" else ""
    suffix = "…" if right < len(text) and text[right] != "\n" else ""
    return (
        prefix
        + inert(text[left:start])
        + f'<mark class="quote">{inert(text[start:end])}</mark>'
        + inert(text[end:right])
        + suffix
    )


def quote_in_file(citation: Citation) -> tuple[str | None, str | None]:
    """The file's text and None, or None and why the quote cannot be shown in place."""
    # HTML/PDF: the stored extracted text; else the file, by its canonical path when known
    path = citation.extracted or citation.path or citation.source
    try:
        text = read_text(Path(path))
    except OSError as exc:
        return None, f"Cannot open {path}: {exc.strerror or exc}; ingest {citation.source} again."
    except AssistantError as exc:  # no longer text that decodes: changed since it was indexed
        return None, f"{exc}; ingest {citation.source} again."
    if text[citation.start_char : citation.end_char] != citation.quote:
        return None, f"{citation.source} has changed since it was indexed; ingest it again."
    return text, None


def citation_meta(citation: Citation) -> str:
    """Title, outlet, file name, lines and date of a citation, escaped; the exact path in a detail.

    People read an article's title and outlet; the path (`uploads/<hash>/...`, absolute outside
    the working directory) is kept one click away, under the file's own name.
    """
    lines = (
        f"line {citation.start_line}"
        if citation.start_line == citation.end_line
        else f"lines {citation.start_line}–{citation.end_line}"
    )
    name = citation.source.rsplit("/", 1)[-1]
    title = shown_title(citation.source, citation.title)
    date = f" · {inert(citation.date)}" if citation.date else ""
    outlet = f"{inert(citation.outlet)} · " if citation.outlet else ""
    page = f" · page {citation.page}" if citation.page is not None else ""
    if citation.end_page not in (None, citation.page):
        page = f" · pages {citation.page}–{citation.end_page}"
    speaker = ""
    if citation.speaker:
        role = f" ({inert(citation.role)})" if citation.role else ""
        speaker = f"<span class='speaker'>{inert(citation.speaker)}{role}</span>, quoted in<br>"
    return (
        f"{speaker}<b class='citation-title'>{inert(title or name)}</b><br>"
        f"<span class='citation-meta'>{outlet}{inert(name)} · {lines}{page}{date}</span>"
        f"<details class='citation-path'><summary>exact file</summary>"
        f"<code>{inert(citation.location())}</code></details>"
    )


def extracted_note(citation: Citation) -> str:
    """For HTML and PDF: what the lines and characters count in, and how to get that text."""
    if not citation.extracted:
        return ""
    command = inert(f"assistant show {shlex.quote(citation.source)} --text")
    return (
        "<p class='citation-meta extracted-note'>Lines and characters count in the text extracted from "
        f"{inert(citation.source)}, shown below; <code>{command}</code> prints it.</p>"
    )


def render_citations(answer: Answer | None, turn: int, selected: int | None = None) -> str:
    """The sources panel: each cited passage with its quote highlighted in its paragraph."""
    if answer is None or not answer.grounded or not answer.citations:
        return NO_CITATIONS
    cards = []
    for citation in answer.citations:
        text, problem = quote_in_file(citation)
        if text is None:
            context = f"<p class='problem'>{inert(problem or '')}</p>"
            context += f'<mark class="quote">{inert(citation.quote)}</mark>'
        else:
            context = highlighted(text, citation.start_char, citation.end_char, CONTEXT_CHARS)
        css = "citation-card selected" if citation.n == selected else "citation-card"
        cards.append(
            f'<div class="{css}">'
            f"{marker(turn, citation.n)} {citation_meta(citation)}"
            f'<div class="article-text">{context}</div>'
            f"{copy_button('Copy citation', citation_reference(citation))}</div>"
        )
    return "".join(cards)


def render_article(citation: Citation) -> str:
    """The whole article of a citation, with the quoted span highlighted."""
    text, problem = quote_in_file(citation)
    back = '<button type="button" class="back-to-chat">↑ Back to the answer</button>'
    head = (
        f"<div class='citation-card'>[{citation.n}] {citation_meta(citation)}<br>{back}"
        f"{extracted_note(citation)}</div>"
    )
    if text is None:
        return head + f"<p class='problem'>{inert(problem or '')}</p>"
    return (
        head + f'<div class="article-text">{highlighted(text, citation.start_char, citation.end_char)}</div>'
    )


def render_sources_table(sources: list[SourceInfo]) -> str:
    """The indexed articles: title, file name (its exact path one click away) and chunk count."""
    if not sources:
        return "<p class='hint'>No sources indexed yet: upload articles below.</p>"
    rows = "".join(
        f"<tr><td>{inert(shown_title(s.source, s.title))}</td><td><details class='citation-path'><summary>"
        f"{inert(s.source.rsplit('/', 1)[-1])}</summary><code>{inert(s.source)}</code></details></td>"
        f"<td>{s.chunks}</td></tr>"
        for s in sources
    )
    return (
        "<table class='sources'><thead><tr><th>title</th><th>file</th><th>chunks</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><p>{len(sources)} files indexed.</p>"
    )


def source_choices(sources: list[SourceInfo]) -> list[tuple[str, str]]:
    """(label, source) for the pickers: a short title and the file name; the path where two read alike."""
    labels = [
        f"{short_title(shown_title(s.source, s.title), 48)} · {s.source.rsplit('/', 1)[-1]}"
        if s.title
        else s.source
        for s in sources
    ]
    return [
        (label if labels.count(label) == 1 else f"{label} ({s.source})", s.source)
        for label, s in zip(labels, sources, strict=True)
    ]


def render_hint(text: str) -> str:
    """A calm note (nothing went wrong), escaped."""
    return f"<p class='hint'>{inert(text)}</p>"


def render_problem(text: str) -> str:
    """Something that went wrong, escaped."""
    return f"<p class='problem'>{inert(text)}</p>"


@dataclass
class Outcome:
    """What one upload did: counts of sources added, replaced and unchanged, and notes by file name.

    `problems` are files not ingested; `notes` say what happened to an ingested one (replaced
    its earlier version, or kept beside others of its name).
    """

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def render_ingest_result(outcome: Outcome) -> str:
    """What an upload did, file by file for the replacements, the same-named files and the failures."""
    html = (
        f"<p>Ingested: {outcome.added} added, {outcome.replaced} replaced, {outcome.unchanged} unchanged.</p>"
    )
    if outcome.notes:
        items = "".join(f"<li><b>{inert(name)}</b>: {inert(note)}</li>" for name, note in outcome.notes)
        html += f"<ul class='hint' id='upload-notes'>{items}</ul>"
    if outcome.problems:
        items = "".join(f"<li><b>{inert(name)}</b>: {inert(why)}</li>" for name, why in outcome.problems)
        html += f"<p class='problem'>{len(outcome.problems)} not ingested:</p>"
        html += f"<ul class='problem'>{items}</ul>"
    return html
