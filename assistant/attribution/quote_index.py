"""The quote index: attributed quotes stored beside the chunks, in step with them.

Quotes live in a second collection ("quotes") of the same Chroma, embedded or server, one
record per quote, its text embedded so `search(query=...)` finds quotes by meaning. A quote's
id is derived from its source, the document's content hash, the rules version and its place
in the article, so re-ingesting an unchanged file writes nothing. Ingest finds a file's quotes
as soon as it has read the file, beside the chunks' model pass, and embeds a batch's new quotes
once it has found them all; the parser loads in the background meanwhile. Ingest adds a file's new
quotes right after its chunks and deletes its stale quotes with its stale chunks. A quote
counts only while the passages collection holds chunks of the same source and content
hash and the manifest records that version, so a file whose chunks were removed, or whose
ingest was killed before it was recorded, has no quotes either.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from assistant.attribution.budget import CPU_SECONDS, QuotesStopped, limited
from assistant.attribution.parsing import load_parser_in_background
from assistant.attribution.persons import Directory, directory
from assistant.attribution.quotes import RULES_VERSION, find_quotes
from assistant.models import Document, Passage, Quote
from vectorstore import ChromaStore, Embedder, source_filter

COLLECTION = "quotes"
CACHED_VERSIONS = 1024  # file versions whose quote offsets are kept in memory
_FIELDS = {f.name for f in fields(Quote)}


@dataclass
class QuoteUpdate:
    """What one file's quotes need: records to add, ids to delete; `stopped` the reason why
    finding them was stopped (the file's budget, `budget`), if it was."""

    missing: list[tuple[str, Quote, str]]  # (id, quote, content sha256)
    stale: list[str]
    source: str = ""
    stopped: str | None = None


@dataclass
class PreparedQuotes:
    """Quotes of a batch embedded and ready to store, and the stale ids to delete."""

    missing: list[tuple[str, Quote, str]]
    vectors: Any
    stale: list[str]
    stopped: dict[str, str]  # source -> why its quotes were not all found


class QuoteIndex:
    """Attributed quotes of every indexed article.

    Example:
        index = QuoteIndex(ChromaStore(name, data_dir=dir, collection="quotes"), passages, embedder)
        [(q.speaker, q.quote) for q in index.search(speaker="Peskov")]
    """

    version = f"quotes={RULES_VERSION}"  # in each file's manifest record: new rules re-index

    def __init__(
        self,
        store: ChromaStore,
        passages: ChromaStore,
        embedder: Embedder,
        cpu_seconds: float | None = CPU_SECONDS,
        steps: int | None = None,
    ) -> None:
        self.store = store
        self.passages = passages
        self.embedder = embedder
        self.cpu_seconds = cpu_seconds  # a file's budget for finding its quotes (`budget`)
        self.steps = steps
        self._spans: OrderedDict[tuple[str, str], tuple[list[int], list[int], list[str]]] = OrderedDict()
        self._lock = threading.Lock()
        self._book: tuple[frozenset[tuple[str, str]], Directory, dict[tuple[str, int, int], str]] | None = (
            None
        )

    def plan(self, document: Document) -> Document:
        """Note `document` for `find`. The parser starts loading now, in the background, so
        loading it overlaps reading and embedding the first files."""
        load_parser_in_background()
        return document

    def find(self, document: Document) -> QuoteUpdate | None:
        """The quotes `document` needs stored; None when they are stored already. A file whose
        quotes cost more than its budget keeps none, and the update says why."""
        try:
            with limited(self.steps, self.cpu_seconds):
                quotes = find_quotes(
                    document.text,
                    document.source,
                    outlet=document.outlet,
                    title=document.title,
                    date=document.date,
                    page_starts=document.page_starts,
                )
        except QuotesStopped as stopped:
            return QuoteUpdate(
                [], sorted(self.store.ids_where({"source": document.source})), document.source, str(stopped)
            )
        if document.extracted:
            quotes = [replace(q, extracted=document.extracted) for q in quotes]
        key = hashlib.sha1(document.source.encode("utf-8")).hexdigest()[:16]
        ids = [f"{key}-{document.sha256[:16]}-q{RULES_VERSION}-{i}" for i in range(len(quotes))]
        stored = self.store.ids_where({"source": document.source})
        if stored == set(ids):
            return None
        missing = [(i, q, document.sha256) for i, q in zip(ids, quotes, strict=True) if i not in stored]
        return QuoteUpdate(missing, sorted(stored - set(ids)), document.source)

    def prepare(self, updates: Sequence[QuoteUpdate | None]) -> PreparedQuotes:
        """Embed the new quotes that `find` found in a batch's files (done before any write)."""
        missing = [m for u in updates if u for m in u.missing]
        texts = [_embedded_text(q) for _, q, _ in missing]
        vectors = self.embedder.embed(texts, beside=True) if missing else None  # beside the chunks' pass
        stopped = {u.source: u.stopped for u in updates if u and u.stopped}
        return PreparedQuotes(missing, vectors, [i for u in updates if u for i in u.stale], stopped)

    def write(self, prepared: PreparedQuotes) -> None:
        """Store the new quotes, then delete the stale ones."""
        if prepared.missing:
            self.store.add(
                ids=[i for i, _, _ in prepared.missing],
                texts=[q.quote for _, q, _ in prepared.missing],
                metadatas=[_metadata(q, sha) for _, q, sha in prepared.missing],
                embeddings=prepared.vectors,
            )
        self.store.delete(prepared.stale)

    def stopped(self, prepared: PreparedQuotes | None) -> dict[str, str]:
        """Files of a prepared batch whose quote finding was stopped, with the reason."""
        return prepared.stopped if prepared is not None else {}

    def search(
        self,
        speaker: str | None = None,
        query: str | None = None,
        sources: Sequence[str] | None = None,
        k: int = 20,
    ) -> list[Quote]:
        """Quotes whose speaker, role or mention contains `speaker` (any case), of `sources`;
        with `query`, the `k` closest in meaning, best first; else all, in article order."""
        where = source_filter(sources)
        if query:
            vector = self.embedder.embed_query(query)
            rows = [(h.text, h.metadata) for h in self.store.query(vector, max(k * 5, 50), where)]
        else:
            rows = [
                (text, meta)
                for _, text, meta in self.store.everything()
                if not sources or meta.get("source") in sources
            ]
        current = self._indexed({(str(m.get("source")), str(m.get("sha256"))) for _, m in rows})
        found = []
        for text, meta in rows:
            if (str(meta.get("source")), str(meta.get("sha256"))) not in current:
                continue  # left over from a version of the file that is no longer indexed
            quote = _quote(text, meta)
            if speaker and not _speaks(quote, speaker):
                continue
            found.append(quote)
        if query:
            return found[:k]
        return sorted(found, key=lambda q: (q.source, q.start_char, q.end_char))

    def _indexed(self, versions: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those (source, sha256) the manifest records as stored whole and whose chunks the
        passages collection holds: lookups of the files among the results, never a read of
        every passage."""
        committed = versions & self.passages.committed_versions({source for source, _ in versions})
        return {
            (source, sha)
            for source, sha in committed
            if self.passages.ids_where({"$and": [{"source": source}, {"sha256": sha}]})
        }

    def within(self, passages: Sequence[Passage]) -> list[Quote]:
        """Stored quotes inside `passages` whose words are exactly there: never a stale version's.

        Quotes are read by id, found from each file version's quote offsets (read once per
        version and process, see `_offsets`), so an answer's cost follows the passages it
        serves, not the number of quotes their files hold.
        """
        versions = dict(self.passages.committed_versions({p.source for p in passages}))
        ids: list[str] = []
        for p in passages:
            if p.source not in versions:
                continue
            starts, ends, quote_ids = self._offsets(p.source, versions[p.source])
            for n in range(bisect.bisect_left(starts, p.start_char), bisect.bisect_right(starts, p.end_char)):
                if ends[n] <= p.end_char:
                    ids.append(quote_ids[n])
        found = []
        for hit in self.store.get(list(dict.fromkeys(ids))):
            quote = _quote(hit.text, hit.metadata)
            for p in passages:
                inside = (
                    p.source == quote.source
                    and p.start_char <= quote.start_char <= quote.end_char <= p.end_char
                )
                offset = p.start_char
                if inside and p.text[quote.start_char - offset : quote.end_char - offset] == quote.quote:
                    found.append(quote)
                    break
        return self.named(sorted(found, key=lambda q: (q.source, q.start_char, q.end_char)))

    def indexed(self, quotes: Sequence[Quote]) -> tuple[Quote, ...]:
        """Those of `quotes` whose chunks are still stored (chunks may go by other means)."""
        live = self.search(sources=sorted({q.source for q in quotes})) if quotes else []
        spans = {(q.source, q.start_char, q.end_char) for q in live}
        return tuple(q for q in quotes if (q.source, q.start_char, q.end_char) in spans)

    def directory(self) -> Directory:
        """Every speaker of the index with their statements (`persons.directory`), built again
        only when the manifest records other file versions."""
        return self._directory()[0]

    def _directory(self) -> tuple[Directory, dict[tuple[str, int, int], str]]:
        key = frozenset((s, str(r.get("sha256"))) for s, r in self.passages.manifest().items())
        with self._lock:
            if self._book is not None and self._book[0] == key:
                return self._book[1], self._book[2]
        book = directory(self.search())
        names = {
            (q.source, q.start_char, q.end_char): name for name, said in book.statements.items() for q in said
        }
        with self._lock:
            self._book = (key, book, names)
        return book, names

    def named(self, quotes: Sequence[Quote]) -> list[Quote]:
        """`quotes` with each speaker named as the Speakers list names them (one name per person
        across the collection: "Volodymyr Zelenskyy" in one outlet is "Volodymyr Zelensky")."""
        if not any(q.speaker for q in quotes):
            return list(quotes)
        names = self._directory()[1]
        return [
            replace(q, speaker=names.get((q.source, q.start_char, q.end_char), q.speaker)) if q.speaker else q
            for q in quotes
        ]

    def _offsets(self, source: str, sha256: str) -> tuple[list[int], list[int], list[str]]:
        """Start and end offsets and ids of one file version's quotes, by start: read once."""
        key = (source, sha256)
        with self._lock:
            if key in self._spans:
                self._spans.move_to_end(key)
                return self._spans[key]
        rows = sorted(
            (int(meta["start_char"]), int(meta["end_char"]), i)
            for i, _, meta in self.store.everything(
                with_text=False, where={"$and": [{"source": source}, {"sha256": sha256}]}
            )
        )
        spans = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        with self._lock:
            self._spans[key] = spans
            while len(self._spans) > CACHED_VERSIONS:
                self._spans.popitem(last=False)
        return spans


def _speaks(quote: Quote, name: str) -> bool:
    wanted = name.casefold().strip()
    said_by = " ".join(filter(None, [quote.speaker, quote.role])).casefold()
    return bool(wanted) and (wanted in said_by or all(w in said_by for w in wanted.split()))


def _embedded_text(quote: Quote) -> str:
    """What is embedded: who says it, then what is said."""
    return f"{quote.label()}: {quote.quote}"


def _metadata(quote: Quote, sha256: str) -> dict[str, str | int]:
    meta: dict[str, Any] = {k: v for k, v in asdict(quote).items() if v is not None and k != "quote"}
    meta["sha256"] = sha256
    return meta


def _quote(text: str, meta: dict[str, Any]) -> Quote:
    values = {k: v for k, v in meta.items() if k in _FIELDS}
    return Quote(**{"speaker": None, "role": None, **values, "quote": text})
