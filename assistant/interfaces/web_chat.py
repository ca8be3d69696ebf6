"""The chat's turns and handlers: a question streamed into an answer, a marker opening its source.

Every piece of document text is escaped once, by `escape_html`, before Gradio sees it: Gradio's
own sanitizer keeps tags such as `<img src=...>`, and the chat renders Markdown, so escaping only
`<` and `>` would still let `![x](http://...)` fetch an image.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.answers.rendering import escape_html as inert
from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.interfaces.web_history import Conversations, Turn, new_token, owner_of
from assistant.interfaces.web_panels import (
    NO_ARTICLE,
    NO_CITATIONS,
    answer_html,
    render_article,
    render_citations,
    streaming_html,
)
from assistant.models import Answer

log = logging.getLogger(__name__)


def messages_of(turns: list[Turn], streaming: str | None = None) -> list[dict[str, str]]:
    """The chat history of a session; `streaming` is the partial text of the last turn."""
    messages = []
    for index, turn in enumerate(turns):
        messages.append({"role": "user", "content": inert(turn.question)})
        if turn.answer is not None:
            content = answer_html(turn.answer, index)
        elif turn.error is not None:
            content = f'<p class="problem">⚠ {inert(turn.error)}</p>'
        else:
            content = streaming_html(streaming or "…")
        messages.append({"role": "assistant", "content": content})
    return messages


def error_message(exc: Exception) -> str:
    """What the chat says when answering fails."""
    if isinstance(exc, AssistantError):
        return str(exc)
    log.exception("answering failed")
    return f"Something went wrong while answering ({type(exc).__name__}: {exc})."


class ChatApp:
    """The chat's event handlers; all per-session data lives in `gr.State`, never here."""

    def __init__(self, assistant: Assistant, conversations: Conversations | None = None) -> None:
        self.assistant = assistant
        self.conversations = conversations
        self.takes_llm_flag = "llm" in inspect.signature(assistant.stream).parameters

    def respond(
        self, question: str, turns: list[Turn], chosen: list[str] | None, k: float, mode: str
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer to `question` into the chat; yields (box, chat, panel, article, turns).

        Each piece is shown as it comes: offline, claim by claim; with a model, its words, then
        the verified answer in their place.
        """
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

    def ask_api(self, question: str) -> dict[str, Any]:
        """Answer `question`; the Answer as JSON (text, citations with exact offsets, passages)."""
        try:
            return _no_path_keys(self.assistant.ask(question).to_dict())
        except Exception as exc:
            # A bad question is the caller's to fix: no traceback in the server's log for it.
            ordinary = isinstance(exc, AssistantError)
            raise gr.Error(error_message(exc), print_exception=not ordinary) from exc

    # History: each browser's (or login's) conversations, saved after every answer.

    def start(self, token: str | None, request: gr.Request) -> tuple[Any, Any]:
        """On page load: this browser's token (made on its first visit) and its history list."""
        token = token if owner_of(None, token) else new_token()
        return token, self._listing(owner_of(_login(request), token))

    def save(
        self, turns: list[Turn], conversation: str | None, token: str | None, request: gr.Request
    ) -> tuple[Any, Any]:
        """Keep the conversation after an answer; (its id, the history list)."""
        owner = owner_of(_login(request), token)
        if self.conversations is None or owner is None or not turns:
            return conversation, gr.skip()
        conversation = self.conversations.save(owner, conversation, turns)
        return conversation, self._listing(owner, conversation)

    def reopen(self, conversation: str | None, token: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Show a saved conversation: (chat, turns, its id, panel, article); follow-ups continue it."""
        owner = owner_of(_login(request), token)
        turns = self.conversations.load(owner, conversation) if self.conversations and owner else []
        if not turns:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return messages_of(turns), turns, conversation, NO_CITATIONS, NO_ARTICLE

    def delete(
        self, conversation: str | None, current: str | None, token: str | None, request: gr.Request
    ) -> tuple[Any, ...]:
        """Delete a saved conversation: (history list, chat, turns, current id, panel, article)."""
        owner = owner_of(_login(request), token)
        if self.conversations is None or owner is None or not conversation:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        self.conversations.delete(owner, conversation)
        if conversation != current:
            return self._listing(owner, current), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return self._listing(owner), [], [], None, NO_CITATIONS, NO_ARTICLE

    def _listing(self, owner: str | None, chosen: str | None = None) -> Any:
        listed = self.conversations.listing(owner) if self.conversations and owner else []
        ids = [conversation for _, conversation in listed]
        return gr.update(choices=listed, value=chosen if chosen in ids else None)


def _login(request: gr.Request | None) -> str | None:
    """The login name when the app asks for one (`--auth`), else None."""
    return getattr(request, "username", None) or None


def _no_path_keys(value: Any) -> Any:
    """Gradio takes any JSON object with a "path" key for a file to serve (and refuses it): over
    the HTTP API a citation's or passage's absolute file path is `file_path`."""
    if isinstance(value, dict):
        return {("file_path" if k == "path" else k): _no_path_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_path_keys(v) for v in value]
    return value
