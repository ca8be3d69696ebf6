"""The answer chain as LangChain runnables: standalone question -> retrieve -> answer (and verify).

Each step gets the collaborators it uses, built once, and takes and returns a dict, so the
parts can be reused and recombined:

    steps = AnswerSteps(search=retriever.retrieve, answerer=ExtractiveAnswerer(scorer), ...)
    answer = build_chain(steps).invoke({"question": "Who is Vadym Boichenko?"})
    passages = (standalone_step(None) | retrieve_step(retriever.retrieve, 5)).invoke(state)

`ask` and `stream` share one path: `answer_pieces` yields an answer as it is written, then the
Answer; the chain's answer step is that generator, drained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answers.extractive import ExtractiveAnswerer
from assistant.answers.followups import carry_entities
from assistant.answers.prompts import answer_messages, rewrite_messages
from assistant.answers.speakers import with_speakers
from assistant.answers.verification import finished_sentences, verify
from assistant.models import Answer, Passage, Quote
from assistant.retrieval.scoring import Scorer

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

State = dict[str, Any]
Search = Callable[[str, int, list[str] | None], list[Passage]]


@dataclass(frozen=True)
class AnswerSteps:
    """What answering needs: a search, the offline answerer, the scorer that verifies a model's
    claims, the quotes within passages (who speaks), and the model (None: offline)."""

    search: Search
    answerer: ExtractiveAnswerer
    scorer: Scorer
    quotes_within: Callable[[Sequence[Passage]], list[Quote]]
    model: BaseChatModel | None = None
    passages: int = 12  # retrieved for an answer unless the state says `k`


def standalone_step(model: BaseChatModel | None) -> Runnable[State, State]:
    """Adds `query`: the question made standalone from `history` (by the model, if one is set)."""

    def standalone(state: State) -> State:
        question, history = state["question"], state.get("history")
        chosen = state.get("model", model)
        if history and chosen is not None:
            reply = chosen.invoke(rewrite_messages(question, history))
            query = str(reply.content).strip() or question
        else:
            query = carry_entities(question, history)
        return {**state, "query": query}

    return RunnableLambda(standalone)


def retrieve_step(search: Search, passages: int) -> Runnable[State, State]:
    """Adds `passages`: the `k` (default `passages`) passages retrieved for `query`."""

    def retrieve(state: State) -> State:
        found = search(state["query"], state.get("k") or passages, state.get("sources"))
        return {**state, "passages": found}

    return RunnableLambda(retrieve)


def answer_pieces(steps: AnswerSteps, state: State) -> Iterator[str | Answer]:
    """The answer to a retrieved state as it is written, then the final Answer.

    Offline, the extractive answerer's claims; with a model, the sentences of its draft that the
    check keeps, as it finishes each, then the whole draft verified (every citation checked and
    narrowed; what the sources do not support is never shown). Either way citations say who speaks. A
    question no retrieved sentence answers (see `answerability`) is declined before any model call.
    """
    model = state.get("model", steps.model)
    question, passages = state["question"], state["passages"]
    sources = state.get("sources") or ()
    quotes = steps.quotes_within(passages)
    if model is None:
        history = state.get("history")
        said = history[-1][1] if history else ""
        # Rank by the standalone query (it carries a follow-up's entities), report the question.
        for piece in steps.answerer.stream(state["query"], passages, said, quotes, sources):
            yield replace(piece, question=question) if isinstance(piece, Answer) else piece
        return
    verdict = steps.answerer.judge(state["query"], passages, quotes=quotes)
    if not passages or (verdict.status == "declined" and verdict.missing):
        # No evidence meets the question: the model is not asked (it could only guess, or pass
        # off a near miss as the answer).
        *_, declined = steps.answerer.stream(state["query"], passages, quotes=quotes, sources=sources)
        assert isinstance(declined, Answer)
        yield declined.body
        yield replace(declined, question=question, mode="llm")
        return
    draft, finished, shown = "", "", ""
    for chunk in model.stream(answer_messages(question, passages)):
        draft += str(chunk.content)
        if finished == (finished := finished_sentences(draft)):
            continue
        # Only what the check keeps is shown, sentence by sentence as the model finishes each.
        checked = verify(question, finished, passages, steps.scorer)
        text = checked.text if checked.citations else ""
        if text.startswith(shown) and len(text) > len(shown):
            yield text[len(shown) :]
            shown = text
    yield with_speakers(verify(question, draft, passages, steps.scorer), quotes)


def answer_step(steps: AnswerSteps) -> Runnable[State, Answer]:
    """Returns the finished Answer of a retrieved state (`answer_pieces`, drained)."""

    def answer(state: State) -> Answer:
        *_, final = answer_pieces(steps, state)
        assert isinstance(final, Answer)
        return final

    return RunnableLambda(answer)


def build_chain(steps: AnswerSteps) -> Runnable[State, Answer]:
    """The whole chain; input `{"question", "history"?, "sources"?, "k"?, "model"?}`, output an Answer.

    `model` (a LangChain chat model, or None for offline answers) defaults to `steps.model`.
    """
    return standalone_step(steps.model) | retrieve_step(steps.search, steps.passages) | answer_step(steps)
