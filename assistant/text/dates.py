"""The one date parser: dates as a news text writes them, read as YYYY-MM-DD."""

from __future__ import annotations

import datetime
import re

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_RE = "|".join(MONTHS + [r"Sept\.?"] + [m[:3] + r"\.?" for m in MONTHS])
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LONG_DATE = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_DAY_FIRST_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b")


def is_iso_date(value: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    match = ISO_DATE.fullmatch(value)
    return match is not None and valid_date(*match.groups()) is not None


def date_of(text: str) -> str | None:
    """The first valid date the text states, as YYYY-MM-DD, or None.

    Example:
        >>> date_of("Kyiv, May 5, 2022 - The siege went on.")
        '2022-05-05'
    """
    found: list[tuple[int, str]] = []
    for match in ISO_DATE.finditer(text):
        iso = valid_date(*match.groups())
        if iso:
            found.append((match.start(), iso))
            break
    abbreviations = [m[:3] for m in MONTHS]
    for pattern, order in ((_LONG_DATE, (2, 0, 1)), (_DAY_FIRST_DATE, (2, 1, 0))):
        for match in pattern.finditer(text):
            year, month_name, day = (match.groups()[i] for i in order)
            iso = valid_date(year, str(abbreviations.index(month_name[:3].title()) + 1), day)
            if iso:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def valid_date(year: str, month: str, day: str) -> str | None:
    """YYYY-MM-DD when the three make a real date, else None."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
