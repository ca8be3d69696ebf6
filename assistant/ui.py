"""The web chat: streamed answers whose markers open the exact quote, highlighted in its article.

Every piece of document text is escaped here, by `inert`, before Gradio sees it: Gradio's own
sanitizer keeps tags such as `<img src=...>`, and the chat renders Markdown, so escaping only
`<` and `>` would still let `![x](http://...)` fetch an image.
"""

from __future__ import annotations

import html
import inspect
import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.records import Answer, Citation
from vectorstore.errors import VectorStoreError

if TYPE_CHECKING:
    from assistant.api import Assistant

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2_000_000
QUEUE_SIZE = 32
CONCURRENCY = 2
UPLOAD_LOCK_WAIT = 30.0  # seconds an upload queues behind a running CLI ingest
CONTEXT_CHARS = 400  # of the paragraph shown around a quote, each side
_MARKER = re.compile(r"\[(\d{1,3})\]")
# Beyond html.escape: Markdown syntax (links, images, emphasis, code) and the `${...}` of
# gr.HTML's template strings, written as character references so they stay literal text.
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in "[]()!`\\$*_~|#{}:"})

CSS = """
.cite-marker { font-size: 0.8em; vertical-align: super; padding: 0 0.2em; margin: 0 0.05em;
  border: 1px solid var(--color-accent); border-radius: 4px; background: var(--color-accent-soft);
  cursor: pointer; line-height: 1.2; }
.cite-marker.pending { cursor: default; opacity: 0.6; }
.ungrounded { font-weight: 600; }
.citation-card { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.5em;
  margin-bottom: 0.5em; }
.citation-card.selected { border-color: var(--color-accent); border-width: 2px; }
.citation-meta { font-size: 0.85em; color: var(--body-text-color-subdued); }
.article-text { white-space: pre-wrap; font-family: var(--font); line-height: 1.5; }
mark.quote { background: #ffe680; color: #000; padding: 0 0.1em; }
.problem { color: var(--error-text-color, #b91c1c); }
table.sources td, table.sources th { padding: 0.2em 0.6em; text-align: left; }
.agreement { font-size: 0.9em; border-left: 3px solid; padding: 0.2em 0.6em; margin-top: 0.4em; }
.agreement.agree { border-color: #16a34a; }
.agreement.conflict { border-color: #dc2626; }
.speaker { font-weight: 600; }
"""

# Markers live inside the chat (another component), so one document-level listener forwards
# their clicks, with the turn and citation number, as this panel's click event.
CITE_CLICK_JS = r"""
if (window.__citeClick) document.removeEventListener('click', window.__citeClick, true);
window.__citeClick = (event) => {
  const marker = event.target.closest && event.target.closest('.cite-marker');
  const match = marker && /\bcite-(\d+)-(\d+)\b/.exec(marker.className);
  if (!match) return;
  event.preventDefault();
  trigger('click', {turn: Number(match[1]), cite: Number(match[2])});
};
document.addEventListener('click', window.__citeClick, true);
"""
# Scroll only the article's own box, so the page and the chat stay where the reader left them.
SCROLL_TO_QUOTE_JS = """
watch('value', () => {
  const quote = element.querySelector('mark.quote');
  const box = quote && quote.closest('.html-container');
  if (!box) return;
  const offset = quote.getBoundingClientRect().top - box.getBoundingClientRect().top;
  box.scrollTop += offset - box.clientHeight / 3;
});
"""
NO_CITATIONS = "<p class='citation-meta'>Cited passages appear here.</p>"
NO_ARTICLE = "<p class='citation-meta'>Select a citation marker to read the article.</p>"


@dataclass(frozen=True)
class Turn:
    """One exchange of a browser session: the question and its answer or error."""

    question: str
    answer: Answer | None = None
    error: str | None = None


def inert(text: str) -> str:
    """Document text as HTML that renders literally: no tags, links, images or Markdown."""
    return html.escape(text, quote=True).translate(_LITERAL)


def marker(turn: int, n: int) -> str:
    """A clickable citation marker; the chat's sanitizer drops data attributes, so a class names it."""
    return f'<button type="button" class="cite-marker cite-{turn}-{n}" title="Show source {n}">[{n}]</button>'


def render_text(text: str, turn: int, cited: set[int]) -> str:
    """Answer text with its `[n]` markers (those in `cited`) as buttons, the rest escaped."""
    parts = _MARKER.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(inert(part))
        elif int(part) in cited:
            out.append(marker(turn, int(part)))
        else:
            out.append(f'<span class="cite-marker pending">[{int(part)}]</span>')
    return "".join(out)


def render_answer(answer: Answer, turn: int) -> str:
    """The chat message of a finished answer."""
    if not answer.grounded:
        return '<p class="ungrounded">No answer found in the indexed sources.</p>\n\n' + inert(
            _MARKER.sub("", answer.text).strip()
        )
    cited = {c.n for c in answer.citations}
    text = answer.text  # markers in the notes stay plain text: the buttons are the answer's
    notes = []
    for agreement in answer.agreements:  # shown as a block under the answer, not inline
        heading = "Sources agree" if agreement.kind == "agree" else "Sources disagree"
        text = text.replace(f"\n\n{heading}: {agreement.note}", "")
        notes.append(
            f'<div class="agreement {"agree" if agreement.kind == "agree" else "conflict"}">'
            f"<b>{heading}</b>: {inert(agreement.note)}</div>"
        )
    body = render_text(text, turn, cited) + "".join(notes)
    if answer.unsupported:
        body += "\n\nNot supported by the sources, so left out: " + "; ".join(
            inert(claim) for claim in answer.unsupported
        )
    return body


def messages_of(turns: list[Turn], streaming: str | None = None) -> list[dict[str, str]]:
    """The chat history of a session; `streaming` is the partial text of the last turn."""
    messages = []
    for index, turn in enumerate(turns):
        messages.append({"role": "user", "content": inert(turn.question)})
        if turn.answer is not None:
            content = render_answer(turn.answer, index)
        elif turn.error is not None:
            content = f'<p class="problem">⚠ {inert(turn.error)}</p>'
        else:
            content = render_text(streaming or "…", index, set())
        messages.append({"role": "assistant", "content": content})
    return messages


def read_source(source: str) -> str:
    """A source file's text, decoded exactly as offsets into it count."""
    with open(source, encoding="utf-8-sig", newline="") as file:
        return file.read()


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
    path = citation.extracted or citation.source  # HTML/PDF: the stored extracted text
    try:
        text = read_source(path)
    except OSError as exc:
        return None, f"Cannot open {path}: {exc.strerror or exc}; ingest {citation.source} again."
    if text[citation.start_char : citation.end_char] != citation.quote:
        return None, f"{citation.source} has changed since it was indexed; ingest it again."
    return text, None


def citation_meta(citation: Citation) -> str:
    """File name, title, date and line range of a citation, escaped."""
    lines = (
        f"line {citation.start_line}"
        if citation.start_line == citation.end_line
        else f"lines {citation.start_line}–{citation.end_line}"
    )
    date = f" · {inert(citation.date)}" if citation.date else ""
    outlet = f" · {inert(citation.outlet)}" if citation.outlet else ""
    page = f" · page {citation.page}" if citation.page is not None else ""
    if citation.end_page not in (None, citation.page):
        page = f" · pages {citation.page}–{citation.end_page}"
    speaker = ""
    if citation.speaker:
        role = f" ({inert(citation.role)})" if citation.role else ""
        speaker = f"<span class='speaker'>{inert(citation.speaker)}{role}</span>, quoted in<br>"
    return (
        f"{speaker}<b>{inert(citation.title)}</b><br><span class='citation-meta'>"
        f"{inert(citation.source)} · {lines}{page}{outlet}{date}</span>"
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
            f'<div class="article-text">{context}</div></div>'
        )
    return "".join(cards)


def render_article(citation: Citation) -> str:
    """The whole article of a citation, with the quoted span highlighted."""
    text, problem = quote_in_file(citation)
    head = f"<div class='citation-card'>[{citation.n}] {citation_meta(citation)}</div>"
    if text is None:
        return head + f"<p class='problem'>{inert(problem or '')}</p>"
    return (
        head + f'<div class="article-text">{highlighted(text, citation.start_char, citation.end_char)}</div>'
    )


def render_sources_table(assistant: Assistant) -> str:
    """The indexed files with their titles and chunk counts."""
    sources = assistant.sources()
    if not sources:
        return "<p>No sources indexed yet: upload .txt or .md files below.</p>"
    rows = "".join(
        f"<tr><td>{inert(s.source)}</td><td>{inert(s.title)}</td><td>{s.chunks}</td></tr>" for s in sources
    )
    return (
        f"<table class='sources'><thead><tr><th>file</th><th>title</th><th>chunks</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><p>{len(sources)} files indexed.</p>"
    )


def save_uploads(paths: list[str], folder: Path, max_bytes: int) -> tuple[list[Path], list[tuple[str, str]]]:
    """Copy acceptable uploads into `folder`; the saved paths and (name, reason) for the others."""
    saved: list[Path] = []
    problems: list[tuple[str, str]] = []
    folder.mkdir(parents=True, exist_ok=True)
    for upload in paths:
        name = Path(upload).name
        if Path(name).suffix.lower() not in (".txt", ".md"):
            problems.append((name, "only .txt and .md files can be ingested"))
        elif Path(upload).stat().st_size > max_bytes:
            problems.append((name, f"larger than {max_bytes // 1000} kB"))
        else:
            target = folder / name
            shutil.copyfile(upload, target)
            saved.append(target)
    return saved, problems


def render_ingest_result(added: int, replaced: int, unchanged: int, problems: list[tuple[str, str]]) -> str:
    """What an upload did, file by file for the failures."""
    summary = f"<p>Ingested: {added} added, {replaced} replaced, {unchanged} unchanged.</p>"
    if not problems:
        return summary
    items = "".join(f"<li><b>{inert(name)}</b>: {inert(reason)}</li>" for name, reason in problems)
    return summary + f"<p class='problem'>{len(problems)} not ingested:</p><ul class='problem'>{items}</ul>"


def error_message(exc: Exception) -> str:
    """What the chat says when answering fails."""
    if isinstance(exc, AssistantError | VectorStoreError):
        return str(exc)
    log.exception("answering failed")
    return f"Something went wrong while answering ({type(exc).__name__}: {exc})."


class ChatApp:
    """The event handlers of one app; all per-session data lives in `gr.State`, never here."""

    def __init__(self, assistant: Assistant, upload_dir: Path, max_upload_bytes: int) -> None:
        self.assistant = assistant
        self.upload_dir = upload_dir
        self.max_upload_bytes = max_upload_bytes
        self.takes_llm_flag = "llm" in inspect.signature(assistant.stream).parameters

    def respond(
        self, question: str, turns: list[Turn], chosen: list[str] | None, k: float, mode: str
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer to `question` into the chat; yields (box, chat, panel, article, turns)."""
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), turns
            return
        history = [(t.question, t.answer.text) for t in turns if t.answer is not None]
        pending = [*turns, Turn(question)]
        yield "", messages_of(pending), NO_CITATIONS, NO_ARTICLE, turns
        extra = {"llm": mode == "llm"} if self.takes_llm_flag else {}
        text = ""
        try:
            for piece in self.assistant.stream(
                question, history=history, sources=chosen or None, k=int(k), **extra
            ):
                if isinstance(piece, Answer):
                    done = [*turns, Turn(question, answer=piece)]
                    panel = render_citations(piece, len(turns))
                    yield "", messages_of(done), panel, NO_ARTICLE, done
                    return
                text += piece
                yield "", messages_of(pending, streaming=text), gr.skip(), gr.skip(), turns
        except Exception as exc:
            failed = [*turns, Turn(question, error=error_message(exc))]
            yield "", messages_of(failed), NO_CITATIONS, NO_ARTICLE, failed

    def show_citation(self, turns: list[Turn], event: gr.EventData) -> tuple[Any, Any]:
        """Show the clicked citation: its answer's sources panel and the whole article."""
        data = event._data or {}
        turn, n = data.get("turn"), data.get("cite")
        if not isinstance(turn, int) or not 0 <= turn < len(turns) or turns[turn].answer is None:
            return gr.skip(), gr.skip()
        answer = turns[turn].answer
        assert answer is not None
        citation = next((c for c in answer.citations if c.n == n), None)
        if citation is None:
            return gr.skip(), gr.skip()
        return render_citations(answer, turn, selected=n), render_article(citation)

    def ingest_uploads(self, files: list[str] | None) -> tuple[str, str, Any]:
        """Ingest uploaded files; returns the result, the sources table and the source choices."""
        saved, problems = save_uploads(files or [], self.upload_dir, self.max_upload_bytes)
        counts = (0, 0, 0)
        if saved:
            try:
                report = self.assistant.ingest(saved, wait=UPLOAD_LOCK_WAIT)
                counts = (len(report.added), len(report.replaced), len(report.unchanged))
                problems += [(Path(p.source).name, p.reason) for p in report.failed + report.skipped]
            except (AssistantError, VectorStoreError) as exc:
                problems += [(path.name, str(exc)) for path in saved]
        if not files:
            problems.append(("(nothing)", "choose .txt or .md files first"))
        return self.refreshed(render_ingest_result(*counts, problems))

    def refreshed(self, status: str = "") -> tuple[str, str, Any]:
        """The status, the sources table and the source choices, as they are now."""
        choices = [s.source for s in self.assistant.sources()]
        return status, render_sources_table(self.assistant), gr.update(choices=choices)

    def ask_api(self, question: str) -> dict[str, Any]:
        """Answer `question`; the Answer as JSON (text, citations with exact offsets, passages)."""
        try:
            return self.assistant.ask(question).to_dict()
        except Exception as exc:
            raise gr.Error(error_message(exc)) from exc


def build_app(
    assistant: Assistant,
    *,
    llm_available: bool | None = None,
    upload_dir: Path | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> gr.Blocks:
    """The Gradio app over `assistant`: Chat, Sources and Settings tabs and the `/ask` endpoint.

    Args:
        assistant: answers, retrieves and ingests.
        llm_available: offer the configured language model as an answer mode (default: when
            the assistant has one).
        upload_dir: where uploaded files are kept (default: `uploads` in the data dir).
        max_upload_bytes: files above this size are refused.

    Example:
        >>> app = build_app(Assistant())
        >>> app.launch(server_name="127.0.0.1", css=CSS)
    """
    if llm_available is None:
        llm_available = getattr(assistant, "mode", "extractive") == "llm"
    upload_dir = upload_dir or Path(assistant.settings.data_dir) / "uploads"
    handlers = ChatApp(assistant, upload_dir, max_upload_bytes)
    modes = [("Offline (sentences of the sources)", "offline")]
    if llm_available:
        modes.append((f"Language model ({assistant.settings.llm})", "llm"))
    default_k = getattr(assistant.settings, "answer_passages", 5)

    with gr.Blocks(title="News source assistant", analytics_enabled=False) as app:
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat"), gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Conversation",
                        elem_id="chat",
                        height=560,
                        allow_tags=False,
                        latex_delimiters=[],
                        buttons=["copy"],
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask about the articles…",
                            show_label=False,
                            elem_id="question",
                            scale=5,
                        )
                        send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                    clear = gr.Button("New conversation", size="sm")
                with gr.Column(scale=2):
                    gr.Markdown("**Cited passages**")
                    panel = gr.HTML(
                        NO_CITATIONS, elem_id="citations", js_on_load=CITE_CLICK_JS, max_height=320
                    )
                    gr.Markdown("**Article**")
                    article = gr.HTML(
                        NO_ARTICLE, elem_id="article", js_on_load=SCROLL_TO_QUOTE_JS, max_height=420
                    )
            with gr.Tab("Sources"):
                table = gr.HTML(render_sources_table(assistant), elem_id="sources-table", js_on_load=None)
                chosen = gr.CheckboxGroup(
                    [s.source for s in assistant.sources()],
                    label="Ask only within these sources (none chosen: all)",
                    elem_id="chosen",
                )
                files = gr.File(label="Add .txt or .md files", file_count="multiple", elem_id="upload")
                ingest = gr.Button("Ingest", elem_id="ingest")
                status = gr.HTML("", elem_id="ingest-status", js_on_load=None)
            with gr.Tab("Settings"):
                k = gr.Slider(1, 20, value=default_k, step=1, label="Passages to retrieve", elem_id="k")
                mode = gr.Radio(modes, value="offline", label="Answer mode", interactive=llm_available)

        chat_io: dict[str, Any] = {
            "inputs": [box, turns, chosen, k, mode],
            "outputs": [box, chat, panel, article, turns],
            "api_visibility": "private",
        }
        box.submit(handlers.respond, **chat_io)
        send.click(handlers.respond, **chat_io)
        clear.click(
            lambda: ([], [], NO_CITATIONS, NO_ARTICLE),
            outputs=[chat, turns, panel, article],
            api_visibility="private",
        )
        chat.clear(
            lambda: ([], NO_CITATIONS, NO_ARTICLE), outputs=[turns, panel, article], api_visibility="private"
        )
        panel.click(handlers.show_citation, [turns], [panel, article], api_visibility="private")
        ingest.click(
            handlers.ingest_uploads,
            [files],
            [status, table, chosen],
            concurrency_limit=1,
            api_visibility="private",
        )
        gr.api(handlers.ask_api, api_name="ask")
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return app


def serve(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    *,
    llm_available: bool | None = None,
    block: bool = True,
) -> gr.Blocks:
    """Run the app on `host:port` (never a public share link); `block=False` returns at once."""
    app = build_app(assistant, llm_available=llm_available)
    # System fonts: the default theme would fetch Google Fonts from the browser.
    theme = gr.themes.Default(
        font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]
    )
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=False,
        max_file_size=MAX_UPLOAD_BYTES,
        css=CSS,
        theme=theme,
        ssr_mode=False,
        prevent_thread_lock=not block,
        quiet=True,
    )
    return app
