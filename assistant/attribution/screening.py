"""The last steps of `find_quotes`, after the rules: what is no statement left out (`plausible`),
a short quotation run on to its sentence's end (`clauses`), a reported statement ended at the
clause boundary where what was said ends (`extent`), and each statement tidied (`tidy`)."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.attribution.clauses import run_on
from assistant.attribution.extent import ended
from assistant.attribution.plausible import plausible
from assistant.models import Quote

# A name ends where markup or code begins ("Captain Ann <svg/onload" is "Captain Ann").
_NOT_NAME = re.compile(r"[<>{}\[\]/\\=|@#$%^*+~`\"“”]")
# After a closing quotation mark, narration joined by "and"/"but"/"then" is the speaker's act,
# not their words ('the meeting "ended at nine" and left the room').
# Only a verb in the past tense of its own (the speaker's next act) ends the words there: "and
# should be scrapped" still continues what was said.
_NARRATION_AFTER = re.compile(
    r"^,?\s+(?:and|but|then)\s+(?:then\s+)?(?:\w+ed|left|went|took|gave|made|came|sat|stood|ran|got|"
    r"put|hung|shook|held|walked|hurried|turned)\b(?!\s+(?:to|that)\b)"
)
_CLOSING = '"”'
# "The notice", "A spokesman": a description, not a name ("What did The notice say?" reads wrong).
_DESCRIBED = re.compile(r"^(?:the|a|an|this|that|these|those|its|their|his|her|our)\s+[a-z]", re.IGNORECASE)


def screened(quotes: list[Quote], text: str) -> list[Quote]:
    """`quotes` of `text` as `find_quotes` gives them by default."""
    return [tidy(q, text) for q in ended(run_on(plausible(quotes, text), text), text)]


def tidy(quote: Quote, text: str) -> Quote:
    """`quote` with a speaker cut where markup starts (and marked `unnamed` when it is a description,
    "The notice"), a role without a dateline or stray quotation marks, and its words ended at the
    closing quotation mark that narration follows."""
    speaker = quote.speaker
    if speaker is not None:
        speaker = _NOT_NAME.split(speaker, maxsplit=1)[0].strip(" ,.;:-") or None
    role = quote.role
    if role is not None:
        role = role.rsplit("—", 1)[-1].rsplit("―", 1)[-1].strip(" \"“”',;:-")
        if not role or re.search(r"[\"“”(\d]", role):
            role = None
    end = quote.end_char
    inside = text[quote.start_char : quote.end_char]
    starts_open = text[max(0, quote.start_char - 1) : quote.start_char] in {'"', "“"}
    for mark in re.finditer(rf"[{_CLOSING}]", inside):
        before = inside[: mark.start()]
        opened = starts_open or before.count('"') % 2 == 1 or "“" in before
        rest = inside[mark.end() :]
        if opened and _NARRATION_AFTER.match(rest) and not re.search(r"[\"“”]", rest):
            end = quote.start_char + (
                mark.start() if starts_open and before.count('"') % 2 == 0 else mark.end()
            )
            break
    described = bool(speaker and _DESCRIBED.match(speaker) and speaker.split()[1][:1].islower())
    unnamed = quote.unnamed or described
    if (speaker, role, end, unnamed) == (quote.speaker, quote.role, quote.end_char, quote.unnamed):
        return quote
    return replace(
        quote, speaker=speaker, role=role, end_char=end, quote=text[quote.start_char : end], unnamed=unnamed
    )
