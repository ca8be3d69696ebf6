"""Which sources a search may draw from: named files, and articles dated within bounds."""

from __future__ import annotations

from assistant.errors import InputError
from assistant.retrieval.lexical import LexicalIndex
from assistant.text.dates import is_iso_date


def allowed_sources(
    lexical: LexicalIndex,
    sources: list[str] | None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[str] | None:
    """The sources to search: `sources` (None: all), kept to articles dated within the bounds.

    An empty list means nothing qualifies. Dates are YYYY-MM-DD, inclusive; an article with no
    stated date never lies within bounds.
    """
    if not (date_from or date_to):
        return sources
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value and not is_iso_date(value):
            raise InputError(f"{name} must be a date written YYYY-MM-DD, not {value!r}.")
    dated = lexical.sources_dated(date_from, date_to)
    return [s for s in dated if s in sources] if sources else dated
