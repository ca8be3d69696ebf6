"""The last steps of `find_quotes`, after the rules: what is no statement left out (`plausible`),
a short quotation run on to its sentence's end (`clauses`), a reported statement ended at the
clause boundary where what was said ends (`extent`)."""

from __future__ import annotations

from assistant.attribution.clauses import run_on
from assistant.attribution.extent import ended
from assistant.attribution.plausible import plausible
from assistant.models import Quote


def screened(quotes: list[Quote], text: str) -> list[Quote]:
    """`quotes` of `text` as `find_quotes` gives them by default."""
    return ended(run_on(plausible(quotes, text), text), text)
