"""The Sources tab's handlers: what is indexed (read from the index each time), uploads, removal.

The list, the "answer only from" choices and the example questions are read from the index
when the page loads, when the tab opens and after every ingest or removal, so files ingested
by the CLI meanwhile show up too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answers.rendering import short_title, shown_title
from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.ingest.discovery import source_name
from assistant.interfaces.web_panels import (
    Outcome,
    render_hint,
    render_ingest_result,
    render_problem,
    render_sources_table,
    source_choices,
)
from assistant.interfaces.web_uploads import (
    Saved,
    accepted_types,
    discard,
    drop_temporary,
    gradio_folder,
    is_upload,
    save_uploads,
)
from assistant.models import IngestReport, SourceInfo

UPLOAD_LOCK_WAIT = 30.0  # seconds an upload or removal queues behind a running CLI ingest
EXAMPLES = 3


def example_questions(assistant: Assistant, sources: list[SourceInfo], n: int = EXAMPLES) -> list[str]:
    """Up to `n` questions the indexed articles answer: who said something, else what a title reports."""
    questions: list[str] = []
    try:
        quotes = assistant.quotes(query="said", k=30) if sources else []
    except AssistantError:
        quotes = []
    for quote in quotes:
        question = f"What did {quote.speaker} say?"
        if quote.speaker and not quote.unnamed and question not in questions:
            questions.append(question)
    for source in sources:
        if len(questions) >= n:
            break
        if source.title:
            questions.append(f"What does “{source.title}” report?")
    return questions[:n]


class SourcesTab:
    """Handlers of the Sources tab; `upload_dir` keeps each uploaded file (see `web_uploads`)."""

    def __init__(self, assistant: Assistant, upload_dir: Path, max_upload_bytes: int) -> None:
        self.assistant = assistant
        self.upload_dir = upload_dir
        self.max_upload_bytes = max_upload_bytes

    def refresh(self, chosen: list[str] | None, status: str = "") -> tuple[Any, ...]:
        """(status, table, source choices, removal choices, *example buttons), as the index is now."""
        sources = self.assistant.sources()
        names = [s.source for s in sources]
        choices = source_choices(sources)
        examples = example_questions(self.assistant, sources)
        buttons = [
            gr.update(value=examples[i], visible=True) if i < len(examples) else gr.update(visible=False)
            for i in range(EXAMPLES)
        ]
        return (
            status,
            render_sources_table(sources),
            gr.update(choices=choices, value=[c for c in chosen or [] if c in names]),
            gr.update(choices=choices, value=None),
            gr.update(visible=False),
            *buttons,
        )

    def ingest_uploads(self, files: list[str] | None, chosen: list[str] | None) -> tuple[Any, ...]:
        """Keep and ingest the uploaded files; rejected ones are deleted again, and Gradio's copies always."""
        if not files:
            hint = f"Choose one or more {accepted_types()} files above, then press Ingest."
            return self.refresh(chosen, render_hint(hint))
        try:
            saved, problems = save_uploads(files, self.upload_dir, self.max_upload_bytes)
        finally:
            drop_temporary(files, gradio_folder())  # never served again once read
        outcome = Outcome(problems=problems)
        if saved:
            try:
                report = self.assistant.ingest([s.path for s in saved], wait=UPLOAD_LOCK_WAIT)
            except AssistantError as exc:
                for kept in saved:
                    discard(kept.path, self.upload_dir)
                outcome.problems += [(kept.name, str(exc)) for kept in saved]
            else:
                outcome.problems += self._drop_rejected(saved, report)
                outcome.added = len(report.added)
                outcome.replaced = len(report.replaced)
                outcome.unchanged = len(report.unchanged)
                self._retire_earlier_versions(saved, report, outcome)
        return self.refresh(chosen, render_ingest_result(outcome))

    def _drop_rejected(self, saved: list[Saved], report: IngestReport) -> list[tuple[str, str]]:
        """Delete the kept files ingest refused; (original name, reason) of each."""
        by_source = {source_name(kept.path): kept for kept in saved}
        problems = []
        for problem in report.failed + report.skipped:
            kept = by_source.get(problem.source)
            if kept is not None:
                discard(kept.path, self.upload_dir)
            problems.append((kept.name if kept else Path(problem.source).name, problem.reason))
        return problems

    def _retire_earlier_versions(self, saved: list[Saved], report: IngestReport, outcome: Outcome) -> None:
        """A new upload replaces its own earlier version: the one earlier upload of its file name.

        A browser sends a file's name, never its folder, so a name shared by several uploads
        (earlier ones, or in this batch) cannot tell which article a file is a new version of:
        then nothing is replaced, the file is added beside them and the note says so.
        """
        added = set(report.added)
        batch = {source_name(kept.path) for kept in saved}
        in_batch = Counter(kept.name for kept in saved)
        earlier: dict[str, list[str]] = defaultdict(list)
        for info in self.assistant.sources():
            if info.source not in batch and is_upload(Path(info.source), self.upload_dir):
                earlier[Path(info.source).name].append(info.source)
        retire: list[str] = []
        for kept in saved:
            versions = earlier.get(kept.name, [])
            if source_name(kept.path) not in added or not versions:
                continue
            if len(versions) == 1 and in_batch[kept.name] == 1:
                retire.append(versions[0])
                outcome.notes.append((kept.name, f"a new version: it replaced the earlier {kept.name}"))
                continue
            others = len(versions) + in_batch[kept.name] - 1
            outcome.notes.append(
                (
                    kept.name,
                    f"added beside {others} other uploaded files of that name, none replaced (which one "
                    "it would replace cannot be told from a name); remove an old version below if need be",
                )
            )
        if not retire:
            return
        self.assistant.remove(retire, wait=UPLOAD_LOCK_WAIT)
        for source in retire:
            discard(Path(source), self.upload_dir)
        outcome.added -= len(retire)
        outcome.replaced += len(retire)

    def ask_removal(self, source: str | None) -> tuple[Any, Any]:
        """The confirmation for removing `source` (status, confirmation box)."""
        if not source:
            return render_hint("Choose a source to remove first."), gr.update(visible=False)
        question = f"Remove {self._named(source)} from the index? Answers will no longer cite it."
        if is_upload(Path(source), self.upload_dir):
            question += " Its uploaded file is deleted too."
        return render_hint(question), gr.update(visible=True)

    def remove(self, source: str | None, chosen: list[str] | None) -> tuple[Any, ...]:
        """Remove `source` (confirmed) and its uploaded file, if it is one."""
        if not source:
            return self.refresh(chosen, render_hint("Choose a source to remove first."))
        named = self._named(source)
        try:
            self.assistant.remove([source], wait=UPLOAD_LOCK_WAIT)
        except AssistantError as exc:
            return self.refresh(chosen, render_problem(str(exc)))
        if is_upload(Path(source), self.upload_dir):
            discard(Path(source), self.upload_dir)
        return self.refresh(chosen, render_hint(f"Removed {named}."))

    def filter_note(self, chosen: list[str] | None) -> str:
        """What the chat says while answers come only from the sources chosen on the Sources tab."""
        if not chosen:
            return ""
        titles = {s.source: s for s in self.assistant.sources()}
        names = [
            short_title(shown_title(s, titles[s].title), 48) if s in titles and titles[s].title else s
            for s in chosen
        ]
        return render_hint(
            f"Answering only from {len(chosen)} chosen source{'s' if len(chosen) > 1 else ''}: "
            + "; ".join(names)
            + " (change this on the Sources tab)."
        )

    def _named(self, source: str) -> str:
        """ "“Title” (file.txt)": how a message names a source; the path when it is not indexed."""
        info = next((s for s in self.assistant.sources() if s.source == source), None)
        if info is None or not info.title:
            return source
        return f"“{short_title(shown_title(source, info.title))}” ({source.rsplit('/', 1)[-1]})"
