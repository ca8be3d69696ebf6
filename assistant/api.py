"""The Python API: one object that ingests, retrieves and lists sources."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answers.chain import State, answer_pieces, build_chain, retrieve_step, standalone_step
from assistant.answers.followups import History
from assistant.attribution.persons import Directory, directory, distinct
from assistant.components import Components, check_sources_kept, remember_sources
from assistant.errors import AssistantError, InputError, LanguageModelError
from assistant.ingest.decoding import decode
from assistant.ingest.locking import writer_lock
from assistant.ingest.metadata import same_version
from assistant.ingest.pipeline import Progress, ingest, remove
from assistant.models import Answer, IngestReport, Passage, Quote, SourceInfo, Speaker
from assistant.retrieval.filters import allowed_sources
from assistant.settings import AnswerMode, SearchMode, Settings, choice, local_path, make_settings

# Longer questions are refused: no real question is this long, and each costs time to embed.
MAX_QUESTION_CHARS = 2000
MAX_K = 1000  # passages a search may return

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.runnables import Runnable


class Assistant:
    """Source-attributed search over a folder of articles.

    Arguments left as None come from `ASSISTANT_*` environment variables, then defaults:
    the index lives in `./.assistant` unless `chroma_host` names a Chroma server.

    Example:
        from assistant import Assistant
        assistant = Assistant(data_dir="/tmp/index")
        report = assistant.ingest(["seeds"])
        best = assistant.retrieve("Who said Russian troops were driven out?", k=1)[0]
        best.source, best.start_line, best.text[:40]
    """

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        **overrides: Any,
    ) -> None:
        """Open the index that `settings` with `overrides` name.

        `overrides` are settings by name (`chroma_host`, `chroma_port`, `model`, `llm`,
        `llm_base_url`, `cross_encoder`, `embedding_backend`, ...: every field of
        `assistant.settings.Settings`, declared there once); an unknown name or a value a
        setting cannot take raises SettingsError naming it and what it accepts.
        """
        settings = make_settings(settings, data_dir=data_dir, **overrides)
        self.settings = settings
        parts = Components.build(settings)
        self.parts = parts
        self.embedder = parts.embedder
        self.store = parts.store
        self.quote_index = parts.quote_index
        self.retriever = parts.retriever
        self.chunker = parts.chunker
        self.chat_model: BaseChatModel | None = parts.chat_model
        self._chain: Runnable[State, Answer] | None = None

    @property
    def mode(self) -> AnswerMode:
        """`AnswerMode.LLM` ("llm") when a language model writes the answers, else "extractive"."""
        return AnswerMode.EXTRACTIVE if self.chat_model is None else AnswerMode.LLM

    def ask(
        self,
        question: str,
        history: History | None = None,
        sources: list[str] | None = None,
        k: int | None = None,
        llm: bool | None = None,
    ) -> Answer:
        """Answer `question` with citations, from the sources only (see `Answer`).

        `history` is the earlier turns as (question, answer) pairs, for follow-ups;
        `llm=False` answers offline even when a model is configured.
        """
        state = self._state(question, history, sources, k, llm)
        try:
            return self.chain.invoke(state)
        except AssistantError:
            raise
        except Exception as exc:
            if state["model"] is None:  # answering offline: no model to blame
                raise
            raise LanguageModelError(_model_failure(self.settings.llm, exc)) from exc

    def stream(
        self,
        question: str,
        history: History | None = None,
        sources: list[str] | None = None,
        k: int | None = None,
        llm: bool | None = None,
    ) -> Iterator[str | Answer]:
        """Like `ask`, but yields text pieces as they are ready, then the final Answer.

        With a model the pieces are its raw words; the final Answer is the verified text.
        """
        state = self._state(question, history, sources, k, llm)
        steps = self.parts.answer_steps()
        try:
            state = (standalone_step(steps.model) | retrieve_step(steps.search, steps.passages)).invoke(state)
            yield from answer_pieces(steps, state)
        except AssistantError:
            raise
        except Exception as exc:
            if state["model"] is None:
                raise
            raise LanguageModelError(_model_failure(self.settings.llm, exc)) from exc

    @property
    def chain(self) -> Runnable[State, Answer]:
        """The LangChain runnable that `ask` invokes (see `assistant.answers.chain`)."""
        if self._chain is None:
            self._chain = build_chain(self.parts.answer_steps())
        return self._chain

    def _state(
        self,
        question: str,
        history: History | None,
        sources: list[str] | None,
        k: int | None,
        llm: bool | None,
    ) -> State:
        """The chain's input; `model` is None for an offline answer."""
        question = _checked_question(question)
        history = _checked_history(history)
        if k is not None:
            k = _checked_k(k)
        if llm and self.chat_model is None:
            raise InputError("No language model is configured: set --llm (or ASSISTANT_LLM).")
        model = None if llm is False else self.chat_model
        return {
            "question": question,
            "history": history,
            "sources": sources,
            "k": k,
            "model": model,
        }

    def ingest(
        self,
        paths: str | Path | Iterable[str | Path],
        progress: Progress | None = None,
        prune: bool = False,
        wait: float = 0.0,
        outlet: str | None = None,
    ) -> IngestReport:
        """Index .txt/.md/.html/.pdf files and folders (recursively); see `IngestReport`.

        `prune` also removes sources under `paths` whose files are gone. One process writes
        at a time: while another ingest holds the data dir's lock this waits up to `wait`
        seconds, then raises IngestBusyError. `outlet` names the outlet of these files unless
        a sidecar `NAME.meta.json` says otherwise.
        """
        if isinstance(paths, str | Path):
            paths = [paths]
        paths = list(paths)
        if not paths:
            raise InputError("No paths given: name at least one file or folder to ingest.")
        with writer_lock(local_path(self.settings, "ingest.lock"), self.store.location, wait):
            check_sources_kept(self.settings, self.store)  # never ingest into a lost manifest
            report = ingest(
                paths,
                self.store,
                self.embedder,
                self.chunker,
                progress,
                prune=prune,
                max_bytes=int(self.settings.max_file_mb * 1_000_000),
                quotes=self.quote_index,
                outlet=outlet,
                extracted_dir=Path(self.settings.data_dir) / "extracted",
            )
            remember_sources(self.settings, self.store, forgotten=report.removed)
        return report

    def remove(self, sources: Iterable[str], wait: float = 0.0) -> list[str]:
        """Drop these sources (names as `sources()` lists them) from the index."""
        names = list(sources)
        if not names:
            raise InputError("No sources given: name at least one, as `assistant sources` lists them.")
        with writer_lock(local_path(self.settings, "ingest.lock"), self.store.location, wait):
            check_sources_kept(self.settings, self.store)
            # the record first: a crash before the manifest follows leaves it a subset, not damage
            remember_sources(self.settings, self.store, forgotten=names)
            removed = remove(names, self.store, self.quote_index)
            remember_sources(self.settings, self.store, forgotten=names)
        return removed

    def quotes(
        self,
        speaker: str | None = None,
        query: str | None = None,
        sources: list[str] | None = None,
        k: int = 20,
    ) -> list[Quote]:
        """Attributed quotes of the indexed articles (see `assistant.models.Quote`).

        `speaker` keeps quotes whose speaker or role contains it ("Peskov", "Kremlin") and every
        statement of the person it names, however an article names them (`statements`);
        `query` returns the `k` quotes closest in meaning, best first; otherwise every quote,
        by source and position. A span is listed once (a direct quotation before reported speech).

        Example:
            [(q.speaker, q.role, q.quote) for q in assistant.quotes(speaker="Peskov")]
        """
        if query is not None and not query.strip():
            raise InputError("The query is empty: ask something, or leave it out to list quotes.")
        found = self.quote_index.search(speaker=speaker, query=query, sources=sources, k=k)
        if query is not None:
            return found
        theirs: tuple[Quote, ...] = ()
        if speaker is not None:  # and every statement of the person meant, however an article names them
            book = self.directory(sources)
            person = book.find(speaker)  # the list is per manifest version: keep what is indexed
            theirs = self.quote_index.indexed(book.statements[person.name]) if person else ()
        return distinct([*theirs, *found])  # a span said once is listed once, under the canonical name

    def directory(self, sources: list[str] | None = None) -> Directory:
        """Every speaker of the indexed articles (of `sources`) with their statements."""
        if sources is None:
            return self.quote_index.directory()
        return directory(self.quote_index.search(sources=sources))

    def speakers(self, sources: list[str] | None = None) -> list[Speaker]:
        """Everyone quoted in the indexed articles, one entry per person or organisation, most
        statements first (see `assistant.models.Speaker` and `assistant.attribution.persons`).

        Example:
            [(s.name, s.statements, s.outlets) for s in assistant.speakers()][:2]
        """
        return list(self.directory(sources).speakers)

    def statements(self, speaker: str | Speaker, sources: list[str] | None = None) -> list[Quote]:
        """What `speaker` said (a `Speaker`, its name, a name an article uses, or a surname), each
        statement once, in date order; each Quote's `speaker` is the canonical name."""
        name = speaker.name if isinstance(speaker, Speaker) else speaker
        if not isinstance(name, str) or not name.strip():
            raise InputError("Name a speaker, as `assistant speakers` lists them.")
        book = self.directory(sources)
        found = book.find(name)
        if found is None:
            raise InputError(f"No speaker {name!r} in the indexed articles; `assistant speakers` lists them.")
        return list(book.statements[found.name])

    def retrieve(
        self,
        query: str,
        k: int = 5,
        sources: list[str] | None = None,
        per_source: int | None = None,
        mode: SearchMode | str = SearchMode.HYBRID,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[Passage]:
        """The `k` passages that best match `query`, best first.

        Dense and BM25 rankings are fused and reranked by best sentence (`mode="fused"` skips
        the rerank, `"dense"` or `"lexical"` use one ranking alone);
        `sources` restricts to those files, `per_source` caps passages from any one file.
        `date_from`/`date_to` (YYYY-MM-DD, inclusive) keep articles whose stated date is within.
        `Passage.score` is the cosine similarity of query and passage.
        """
        mode = choice(SearchMode, mode, "search mode")
        query = _checked_question(query, "query")
        k = _checked_k(k)
        if per_source is not None:
            per_source = _checked_k(per_source, "per_source")
        sources = allowed_sources(self.parts.lexical, sources, date_from, date_to)
        if sources == []:
            return []
        return self.retriever.retrieve(query, k, sources, per_source, mode)

    def sources(self) -> list[SourceInfo]:
        """Every indexed source with its title and number of chunks, sorted by name."""
        manifest = self.store.manifest()
        if manifest:  # one record per file: no need to read every passage
            return [
                SourceInfo(source, str(record.get("title", "")), int(record.get("chunks", 0)))
                for source, record in sorted(manifest.items())
            ]
        counts: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for meta in self.store.metadatas():
            source = str(meta.get("source", ""))
            counts[source] += 1
            titles.setdefault(source, str(meta.get("title", "")))
        return [SourceInfo(source, titles[source], counts[source]) for source in sorted(counts)]

    def source_text(self, source: str) -> str:
        """The text a source's offsets count in, exactly: its file as ingest decoded it, or for
        HTML and PDF the text extracted from it (stored in the data dir).

        Example:
            text = assistant.source_text("pages/bridge.html")
            text[citation.start_char : citation.end_char] == citation.quote
        """
        record = self.store.manifest().get(source)
        ids = sorted(self.store.ids_where({"source": source}))
        if not ids:
            raise InputError(f"{source} is not indexed: `assistant sources` lists the sources by name.")
        [stored] = self.store.get(ids[:1])
        extracted = stored.metadata.get("extracted")
        path = Path(str(extracted or (record or {}).get("path") or source))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"Cannot open {path} ({exc.strerror or exc}); ingest {source} again.") from None
        recorded, outlet = (record or {}).get("sha256"), stored.metadata.get("outlet")
        if not extracted and recorded and not same_version(recorded, data, path, outlet):
            raise InputError(f"{source} has changed since it was indexed: ingest it again.")
        return decode(data, path)[0]

    def as_retriever(self, k: int = 5, sources: list[str] | None = None) -> BaseRetriever:
        """A LangChain retriever whose Documents carry the Passage fields as metadata."""
        from assistant.retrieval.langchain import PassageRetriever

        return PassageRetriever(search=self.retrieve, k=k, sources=sources)


def _model_failure(llm: str | None, exc: Exception) -> str:
    """One line on a failed model call: which model, what went wrong, what to check."""
    return (
        f"The language model {llm} failed ({type(exc).__name__}: {exc}). Check that its server is "
        "running and --llm-base-url is right, or leave --llm unset to answer offline."
    )


def _checked_question(question: object, what: str = "question") -> str:
    """`question` if it is usable text: a non-empty string, valid Unicode, not too long."""
    if not isinstance(question, str):
        raise InputError(f"The {what} must be text, not {type(question).__name__} ({question!r:.40}).")
    if not question.strip():
        raise InputError(f"The {what} is empty: ask something.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"The {what} is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}. "
            "Ask a shorter question."
        )
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"The {what} holds a character that is not valid Unicode ({question[exc.start]!r} at "
            f"position {exc.start}, half of a surrogate pair); type or paste it again."
        ) from None
    return question


def _checked_k(k: object, what: str = "k") -> int:
    """`k` if it is a whole number from 1 to MAX_K."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise InputError(f"{what} must be a whole number, not {type(k).__name__} ({k!r:.40}).")
    if not 1 <= k <= MAX_K:
        raise InputError(f"{what} must be from 1 to {MAX_K:,}, not {k:,}.")
    return k


def _checked_history(history: object) -> list[tuple[str, str]]:
    """`history` as a list of (question, answer) pairs of text, or an InputError saying what is wrong."""
    if history is None:
        return []
    if isinstance(history, str) or not isinstance(history, list | tuple):
        raise InputError(f"history must be a list of (question, answer) pairs, not {type(history).__name__}.")
    turns = []
    for n, turn in enumerate(history, 1):
        if (
            isinstance(turn, str)
            or not isinstance(turn, list | tuple)
            or len(turn) != 2
            or not all(isinstance(part, str) for part in turn)
        ):
            raise InputError(f"history turn {n} must be a (question, answer) pair of text, not {turn!r:.60}.")
        turns.append((turn[0], turn[1]))
    return turns
