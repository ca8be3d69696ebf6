"""The answer chain as LangChain runnables: standalone question -> retrieve -> answer -> verify.

Each step is a runnable taking and returning a dict, so the parts can be reused:

    >>> chain = build_chain(assistant)
    >>> answer = chain.invoke({"question": "Who is Vadym Boichenko?"})
    >>> retrieve = retrieve_step(assistant)            # just the retrieval, as a runnable
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.citations import verify
from assistant.extractive import with_speakers
from assistant.followups import carry_entities
from assistant.llm import answer_messages, rewrite_messages
from assistant.records import Answer

if TYPE_CHECKING:
    from assistant.api import Assistant

State = dict[str, Any]


def standalone_step(assistant: Assistant) -> Runnable[State, State]:
    """Adds `query`: the question made standalone from `history` (by the model, if one is set)."""

    def standalone(state: State) -> State:
        question, history = state["question"], state.get("history")
        model = state.get("model", assistant.chat_model)
        if history and model is not None:
            reply = model.invoke(rewrite_messages(question, history))
            query = str(reply.content).strip() or question
        else:
            query = carry_entities(question, history)
        return {**state, "query": query}

    return RunnableLambda(standalone)


def retrieve_step(assistant: Assistant) -> Runnable[State, State]:
    """Adds `passages`: the passages retrieved for `query`."""

    def retrieve(state: State) -> State:
        passages = assistant.retrieve(
            state["query"],
            k=state.get("k") or assistant.settings.answer_passages,
            sources=state.get("sources"),
        )
        return {**state, "passages": passages}

    return RunnableLambda(retrieve)


def answer_step(assistant: Assistant) -> Runnable[State, State]:
    """Adds `draft`: the model's text, or the finished extractive Answer when there is no model."""

    def answer(state: State) -> State:
        model = state.get("model", assistant.chat_model)
        if model is None:
            # Rank by the standalone query (it carries a follow-up's entities), report the question.
            found = assistant.extractive.answer(
                state["query"],
                state["passages"],
                previous_answer(state),
                assistant.quotes_for(state["passages"]),
            )
            draft: str | Answer = replace(found, question=state["question"])
        else:
            reply = model.invoke(answer_messages(state["question"], state["passages"]))
            draft = str(reply.content)
        return {**state, "draft": draft}

    return RunnableLambda(answer)


def verify_step(assistant: Assistant) -> Runnable[State, Answer]:
    """Returns the Answer: a model's draft with every citation checked and narrowed."""

    def check(state: State) -> Answer:
        draft = state["draft"]
        if isinstance(draft, Answer):
            return draft
        answer = verify(state["question"], draft, state["passages"], assistant.scorer)
        return with_speakers(answer, assistant.quotes_for(state["passages"]))

    return RunnableLambda(check)


def previous_answer(state: State) -> str:
    """The text of the last answer in the conversation, or ""."""
    history = state.get("history")
    return history[-1][1] if history else ""


def build_chain(assistant: Assistant) -> Runnable[State, Answer]:
    """The whole chain; input `{"question", "history"?, "sources"?, "k"?, "model"?}`, output an Answer.

    `model` (a LangChain chat model, or None for offline answers) defaults to the assistant's.
    """
    return (
        standalone_step(assistant)
        | retrieve_step(assistant)
        | answer_step(assistant)
        | verify_step(assistant)
    )
