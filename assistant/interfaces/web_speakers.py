"""The web chat's Speakers tab: everyone quoted, what each said, where, when, and who contradicts whom.

The list shows every speaker once (`Assistant.speakers`) with roles, statements and outlets, and
a search box narrows it; choosing one lists their statements in date order (`Assistant.statements`),
each with outlet, date and the verbatim quote, and flags those that contradict another statement
(`attribution.disputes`: the answer's comparison, and the rebuttals an article announces); a
statement opens its article with the quote highlighted, as a citation does
(`web_panels.render_article`). Every text from a document is escaped here (`escape_html`)
before Gradio sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.answers.rendering import escape_html as inert
from assistant.attribution.disputes import Dispute, Disputes
from assistant.attribution.persons import fold, where
from assistant.interfaces.web_assets import SCROLL_TO_QUOTE_JS
from assistant.interfaces.web_panels import render_article
from assistant.models import Citation, Quote, Speaker

if TYPE_CHECKING:
    from assistant.api import Assistant

NO_SPEAKER = "<p class='citation-meta'>Choose a speaker to read what they said.</p>"
NO_STATEMENT = "<p class='citation-meta'>Open a statement to read it in its article.</p>"
KIND_LABELS = {"organisation": "organisation", "unnamed": "not named"}

# A click on a speaker or a statement becomes this component's click event, with its number.
PICK_JS = r"""
element.addEventListener('click', (event) => {
  const pick = event.target.closest && event.target.closest('.speaker-pick, .statement-pick');
  const match = pick && /\b(speaker|statement)-(\d+)\b/.exec(pick.className);
  if (!match) return;
  event.preventDefault();
  trigger('click', {kind: match[1], index: Number(match[2])});
});
"""

CSS = """
.speaker-table { width: 100%; border-collapse: collapse; }
.speaker-table td, .speaker-table th { padding: 0.25em 0.4em; text-align: left; vertical-align: top;
  border-bottom: 1px solid var(--border-color-primary); }
.speaker-pick, .statement-pick { font: inherit; font-weight: 600; color: #1e3a8a; background: none;
  border: none; padding: 0; text-align: left; cursor: pointer; text-decoration: underline; }
.dark .speaker-pick, .dark .statement-pick { color: #bfdbfe; }
.speaker-pick.chosen { color: #000; text-decoration: none; }
.dark .speaker-pick.chosen { color: #fff; }
.speaker-kind { font-size: 0.8em; color: #374151; }
.dark .speaker-kind { color: #d1d5db; }
.statement-card { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.5em;
  margin-bottom: 0.5em; overflow-wrap: anywhere; }
.statement-quote { white-space: pre-wrap; margin: 0.3em 0; }
.dispute { font-size: 0.9em; border-left: 3px solid #dc2626; padding: 0.2em 0.6em; margin-top: 0.4em; }
@media (max-width: 600px) { .speaker-table .outlets { display: none; } }
"""


def _roles(speaker: Speaker) -> str:
    return "; ".join(speaker.role_list())


def render_speaker_list(speakers: list[Speaker], chosen: str | None = None) -> str:
    """Every speaker in `speakers`: name (a button), roles, statements, outlets; all escaped."""
    if not speakers:
        return "<p class='hint'>Nobody quoted matches. Ingest articles, or search for another name.</p>"
    rows = []
    for i, s in enumerate(speakers):
        css = "speaker-pick chosen" if s.name == chosen else "speaker-pick"
        kind = f" <span class='speaker-kind'>({KIND_LABELS[s.kind]})</span>" if s.kind in KIND_LABELS else ""
        rows.append(
            f"<tr><td><button type='button' class='{css} speaker-{i}'>{inert(s.name)}</button>{kind}</td>"
            f"<td>{inert(_roles(s))}</td><td>{s.statements}</td>"
            f"<td class='outlets'>{inert(', '.join(s.outlets))}</td></tr>"
        )
    return (
        "<table class='speaker-table'><thead><tr><th>speaker</th><th>role</th><th>statements</th>"
        f"<th class='outlets'>outlets</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class='citation-meta'>{len(speakers)} speakers.</p>"
    )


def _when(quote: Quote) -> str:
    return f"{inert(where(quote))}" + (f" · {inert(quote.date)}" if quote.date else " · undated")


def render_statements(speaker: Speaker, statements: list[Quote], disputes: list[Dispute]) -> str:
    """The speaker's statements in date order, each with outlet, date, quote, a button that opens
    it in its article, and the statements it contradicts."""
    head = (
        f"<div class='citation-card'><span class='speaker'>{inert(speaker.name)}</span>"
        f"<br><span class='citation-meta'>{inert(_roles(speaker))}</span></div>"
    )
    cards = []
    for i, q in enumerate(statements):
        flags = "".join(
            f"<div class='dispute'>⚠ Contradicts {_who(d.other, speaker)} ({_when(d.other)}): "
            f"“{inert(d.other.quote)}”<br><span class='citation-meta'>{_differs(d)}</span></div>"
            for d in disputes
            if d.statement == q
        )
        cards.append(
            f"<div class='statement-card'><span class='citation-meta'>{_when(q)} · {inert(q.kind)}</span>"
            f"<div class='statement-quote'>“{inert(q.quote)}”</div>"
            f"<button type='button' class='statement-pick statement-{i}'>Open in the article</button>"
            f"{flags}</div>"
        )
    return head + "".join(cards)


def _who(other: Quote, speaker: Speaker) -> str:
    name = other.speaker or "someone"
    return "their own statement" if name == speaker.name else inert(name)


def _differs(dispute: Dispute) -> str:
    relation = dispute.relation
    if relation.values is None:
        return "the two statements conflict"
    mine, theirs = relation.values
    return f"{inert(relation.slot or 'claim')}: “{inert(mine)}” here, “{inert(theirs)}” there"


def citation_of(quote: Quote, n: int) -> Citation:
    """A statement as a citation, so it opens in its article as citations do."""
    return Citation(
        source=quote.source,
        start_char=quote.start_char,
        end_char=quote.end_char,
        start_line=quote.start_line,
        end_line=quote.end_line,
        n=n,
        title=quote.title,
        date=quote.date,
        quote=quote.quote,
        speaker=quote.speaker,
        role=quote.role,
        outlet=quote.outlet,
        extracted=quote.extracted,
        page=quote.page,
    )


class SpeakersTab:
    """The Speakers tab's handlers; the listed names and the chosen speaker live in gr.State."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.disputes = Disputes()

    def listing(self, search: str, chosen: str | None) -> tuple[str, list[str]]:
        """The speakers whose name, names or roles hold `search` (any case), and their names."""
        wanted = fold(search or "")
        speakers = [
            s
            for s in self.assistant.speakers()
            if not wanted or wanted in fold(" ".join([s.name, *s.names, *s.role_list()]))
        ]
        return render_speaker_list(speakers, chosen), [s.name for s in speakers]

    def pick(self, names: list[str], search: str, chosen: str | None, event: gr.EventData) -> tuple[Any, ...]:
        """A click in the list (a speaker) or in the statements (open one in its article)."""
        kind, index = getattr(event, "kind", None), getattr(event, "index", None)
        if not isinstance(index, int) or index < 0:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if kind == "speaker" and index < len(names):
            name = names[index]
            book = self.assistant.directory()
            speaker = book.find(name)
            if speaker is None:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            theirs = list(book.statements[speaker.name])
            everyone = [q for said in book.statements.values() for q in said]
            found = self.disputes.of(theirs, everyone, self.assistant.source_text)
            listing, _ = self.listing(search, speaker.name)
            return listing, render_statements(speaker, theirs, found), NO_STATEMENT, speaker.name
        if kind == "statement" and chosen:
            theirs = self.assistant.statements(chosen)
            if index < len(theirs):
                return gr.skip(), gr.skip(), render_article(citation_of(theirs[index], index + 1)), gr.skip()
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()


def speakers_tab(assistant: Assistant) -> None:
    """Lay out the Speakers tab inside the app's `gr.Tabs()` and wire its events."""
    handlers = SpeakersTab(assistant)
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Tab("Speakers") as tab:
        names = gr.State([])
        chosen = gr.State(None)
        search = gr.Textbox(label="Search speakers", placeholder="Name or role…", elem_id="speaker-search")
        with gr.Row():
            with gr.Column(scale=3, min_width=320):
                listing = gr.HTML(
                    "", elem_id="speaker-list", js_on_load=PICK_JS, css_template=CSS, max_height=520
                )
            with gr.Column(scale=2, min_width=320):
                said = gr.HTML(
                    NO_SPEAKER,
                    elem_id="speaker-statements",
                    js_on_load=PICK_JS,
                    css_template=CSS,
                    max_height=520,
                )
                article = gr.HTML(
                    NO_STATEMENT, elem_id="speaker-article", js_on_load=SCROLL_TO_QUOTE_JS, max_height=420
                )
    tab.select(handlers.listing, [search, chosen], [listing, names], **private)
    search.change(handlers.listing, [search, chosen], [listing, names], **private)
    for component in (listing, said):
        component.click(handlers.pick, [names, search, chosen], [listing, said, article, chosen], **private)
