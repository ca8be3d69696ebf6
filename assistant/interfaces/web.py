"""The web chat: streamed answers whose markers open the exact quote, highlighted in its article.

The layout and its wiring live here; the chat's handlers in `web_chat`, the Sources tab's in
`web_sources`, uploads on disk in `web_uploads`, the HTML panels in `web_panels` and the
stylesheet and scripts in `web_assets`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.interfaces.web_assets import CLICK_JS, CSS, FOLLOW_CARD_JS, SCROLL_TO_QUOTE_JS
from assistant.interfaces.web_auth import LoginThrottle
from assistant.interfaces.web_chat import ChatApp
from assistant.interfaces.web_history import Conversations, browser_secret
from assistant.interfaces.web_panels import NO_ARTICLE, NO_CITATIONS
from assistant.interfaces.web_sources import EXAMPLES, SourcesTab
from assistant.interfaces.web_speakers import speakers_tab
from assistant.interfaces.web_uploads import ACCEPTED, private_temp_dir

MAX_UPLOAD_BYTES = 2_000_000
QUEUE_SIZE = 32
CONCURRENCY = 2
INTRO = (
    "Ask about the indexed news articles: every claim of an answer cites the file, lines and "
    "characters of its verbatim quote. Click a marker such as [1] to read it in its article."
)
MODEL_HINT = (
    "Answers come offline, as sentences of the sources. To have a language model write them "
    "(every citation is still checked), start the chat with `assistant serve --llm openai:MODEL` "
    "or `--llm ollama:MODEL` (or set `ASSISTANT_LLM`); `--llm-base-url` points at your own server."
)


def conversation() -> gr.Chatbot:
    """The chat box: HTML we escaped ourselves, no LaTeX, no tags of its own, no copy of raw HTML.

    Its label is for screen readers only: shown, it covered the first line once the chat scrolled.
    """
    return gr.Chatbot(
        label="Conversation",
        show_label=False,
        elem_id="chat",
        height=520,
        allow_tags=False,
        latex_delimiters=[],
        buttons=[],
    )


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
    private_temp_dir(Path(assistant.settings.data_dir))  # before the app: Gradio reads it then
    data_dir = Path(assistant.settings.data_dir)
    chat_handlers = ChatApp(assistant, Conversations(data_dir / "conversations"))
    source_handlers = SourcesTab(assistant, upload_dir, max_upload_bytes)
    modes = [("Offline (sentences of the sources)", "offline")]
    if llm_available:
        modes.append((f"Language model ({assistant.settings.llm})", "llm"))
    default_k = getattr(assistant.settings, "answer_passages", 5)

    # Files picked but never ingested are deleted after an hour (and all of them at a restart).
    with gr.Blocks(title="News source assistant", analytics_enabled=False, delete_cache=(600, 3600)) as app:
        turns = gr.State([])
        conversation_id = gr.State(None)
        token = gr.BrowserState("", storage_key="assistant-browser", secret=browser_secret(data_dir))
        gr.Markdown("# News source assistant", elem_id="title")
        gr.Markdown(INTRO, elem_id="intro")
        with gr.Tabs():
            with gr.Tab("Chat"), gr.Row():
                with gr.Column(scale=3, min_width=320):
                    chat = conversation()
                    with gr.Row(elem_id="examples"):
                        examples = [
                            gr.Button(visible=False, size="sm", elem_classes="example")
                            for _ in range(EXAMPLES)
                        ]
                    filter_note = gr.HTML("", elem_id="filter-note")
                    with gr.Row():
                        box = gr.Textbox(
                            label="Your question",
                            placeholder="Ask about the articles…",
                            elem_id="question",
                            scale=5,
                        )
                        send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                    clear = gr.Button("New conversation", size="sm", elem_id="new-conversation")
                    with gr.Accordion("History", open=False, elem_id="history"):
                        history = gr.Radio(
                            [], label="Earlier conversations (newest first)", elem_id="history-list"
                        )
                        with gr.Row():
                            reopen = gr.Button("Open", size="sm", elem_id="history-open")
                            forget = gr.Button("Delete", size="sm", variant="stop", elem_id="history-delete")
                with gr.Column(scale=2, min_width=320):
                    gr.Markdown("**Cited passages**")
                    panel = gr.HTML(
                        NO_CITATIONS,
                        elem_id="citations",
                        js_on_load=CLICK_JS + FOLLOW_CARD_JS,
                        max_height=320,
                    )
                    gr.Markdown("**Article**")
                    article = gr.HTML(
                        NO_ARTICLE, elem_id="article", js_on_load=SCROLL_TO_QUOTE_JS, max_height=420
                    )
            with gr.Tab("Sources") as sources_tab:
                table = gr.HTML("", elem_id="sources-table", js_on_load=None)
                chosen = gr.CheckboxGroup(
                    [], label="Answer only from these sources (none chosen: all)", elem_id="chosen"
                )
                files = gr.File(
                    label="Add articles (" + ", ".join(ACCEPTED) + ")",
                    file_count="multiple",
                    file_types=list(ACCEPTED),
                    elem_id="upload",
                )
                ingest = gr.Button("Ingest", elem_id="ingest")
                status = gr.HTML("", elem_id="ingest-status", js_on_load=None)
                with gr.Row():
                    removal = gr.Dropdown(
                        [], label="Source to remove", elem_id="removal", scale=4, interactive=True
                    )
                    ask_removal = gr.Button("Remove…", elem_id="remove", scale=1)
                with gr.Row(visible=False, elem_id="confirm-removal") as confirm:
                    really = gr.Button("Yes, remove it", variant="stop", elem_id="remove-yes")
                    cancel = gr.Button("Cancel", elem_id="remove-no")
            speakers_tab(assistant)
            with gr.Tab("Settings"):
                k = gr.Slider(1, 20, value=default_k, step=1, label="Passages to retrieve", elem_id="k")
                mode = gr.Radio(modes, value="offline", label="Answer mode", interactive=llm_available)
                gr.Markdown(MODEL_HINT, elem_id="model-hint")

        chat_io: dict[str, Any] = {
            "inputs": [box, turns, chosen, k, mode],
            "outputs": [box, chat, panel, article, turns],
            "api_visibility": "private",
        }
        saving: dict[str, Any] = {
            "inputs": [turns, conversation_id, token],
            "outputs": [conversation_id, history],
            "api_visibility": "private",
        }
        box.submit(chat_handlers.respond, **chat_io).then(chat_handlers.save, **saving)
        send.click(chat_handlers.respond, **chat_io).then(chat_handlers.save, **saving)
        for example in examples:
            example.click(
                chat_handlers.respond, **{**chat_io, "inputs": [example, turns, chosen, k, mode]}
            ).then(chat_handlers.save, **saving)
        clear.click(
            lambda: ([], [], None, NO_CITATIONS, NO_ARTICLE),
            outputs=[chat, turns, conversation_id, panel, article],
            api_visibility="private",
        )
        chat.clear(
            lambda: ([], None, NO_CITATIONS, NO_ARTICLE),
            outputs=[turns, conversation_id, panel, article],
            api_visibility="private",
        )
        app.load(chat_handlers.start, [token], [token, history], api_visibility="private")
        reopen.click(
            chat_handlers.reopen,
            [history, token],
            [chat, turns, conversation_id, panel, article],
            api_visibility="private",
        )
        forget.click(
            chat_handlers.delete,
            [history, conversation_id, token],
            [history, chat, turns, conversation_id, panel, article],
            api_visibility="private",
        )
        panel.click(chat_handlers.show_citation, [turns], [panel, article], api_visibility="private")

        listing = [status, table, chosen, removal, confirm, *examples]
        private: dict[str, Any] = {"api_visibility": "private"}
        app.load(source_handlers.refresh, [chosen], listing, **private)
        sources_tab.select(source_handlers.refresh, [chosen], listing, **private)
        ingest.click(  # the picker is emptied: the next upload starts afresh
            lambda picked, ticked: (*source_handlers.ingest_uploads(picked, ticked), None),
            [files, chosen],
            [*listing, files],
            concurrency_limit=1,
            **private,
        )
        chosen.change(source_handlers.filter_note, [chosen], [filter_note], **private)
        ask_removal.click(source_handlers.ask_removal, [removal], [status, confirm], **private)
        really.click(source_handlers.remove, [removal, chosen], listing, concurrency_limit=1, **private)
        cancel.click(lambda: ("", gr.update(visible=False)), outputs=[status, confirm], **private)
        gr.api(chat_handlers.ask_api, api_name="ask")
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
