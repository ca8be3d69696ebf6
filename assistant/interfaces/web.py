"""The web chat: streamed answers whose markers open the exact quote, highlighted in its article.

Every piece of document text is escaped here, by `inert`, before Gradio sees it: Gradio's own
sanitizer keeps tags such as `<img src=...>`, and the chat renders Markdown, so escaping only
`<` and `>` would still let `![x](http://...)` fetch an image.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answers.rendering import as_html
from assistant.answers.rendering import escape_html as inert
from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.interfaces.web_auth import LoginThrottle
from assistant.interfaces.web_panels import (
    NO_ARTICLE,
    NO_CITATIONS,
    marker,
    render_article,
    render_citations,
    render_ingest_result,
    render_sources_table,
    save_uploads,
    streaming_html,
)
from assistant.models import Answer

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2_000_000
QUEUE_SIZE = 32
CONCURRENCY = 2
UPLOAD_LOCK_WAIT = 30.0  # seconds an upload queues behind a running CLI ingest

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


@dataclass(frozen=True)
class Turn:
    """One exchange of a browser session: the question and its answer or error."""

    question: str
    answer: Answer | None = None
    error: str | None = None


def messages_of(turns: list[Turn], streaming: str | None = None) -> list[dict[str, str]]:
    """The chat history of a session; `streaming` is the partial text of the last turn."""
    messages = []
    for index, turn in enumerate(turns):
        messages.append({"role": "user", "content": inert(turn.question)})
        if turn.answer is not None:
            content = as_html(turn.answer, functools.partial(marker, index))
        elif turn.error is not None:
            content = f'<p class="problem">⚠ {inert(turn.error)}</p>'
        else:
            content = streaming_html(streaming or "…", index)
        messages.append({"role": "assistant", "content": content})
    return messages


def error_message(exc: Exception) -> str:
    """What the chat says when answering fails."""
    if isinstance(exc, AssistantError):
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
        turn, n = getattr(event, "turn", None), getattr(event, "cite", None)  # what the JS sent
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
            except AssistantError as exc:
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
        auth=LoginThrottle(*auth) if auth else None,  # wrong passwords lock the name out for a while
        share=False,
        max_file_size=MAX_UPLOAD_BYTES,
        css=CSS,
        theme=theme,
        ssr_mode=False,
        prevent_thread_lock=not block,
        quiet=True,
    )
    return app
