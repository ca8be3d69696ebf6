"""A short quotation inside a sentence stands for the clause it is part of.

`... spend “a million dollars” digging up dirt on journalists`, `the United States “to redouble
our efforts” while also imposing restrictions on firearms`: a few quoted words in the middle of
a sentence are what was said only together with the rest of the sentence, which PolNeAR's
annotators mark as the attribution's content. A statement that is a quotation alone then runs
on to the sentence's end, unless its own speaker follows it (`“...,” he said`), it ends a
sentence of its own, or it is long enough to be the statement itself; a statement the rules
already made a clause (what its verb governs) is left as it is. Measured on the two halves of
PolNeAR train/ together with the statement filter's threshold raised from 0.7 to 0.75: +11 and
+18 direct quotes found, precision +0.0018 and +0.0005 (docs/answers.md, "Rules version 16").
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.models import Quote
from assistant.text.sentences import line_at, newlines, sentence_spans, span_at

MOST_WORDS = 8  # a longer quotation is a statement of its own
_OWN_CUE = re.compile(r"[,”\"\s]*(?:he|she|they|[A-Z]\w+)?\s*(?:said|says|added|told|wrote|stated)\b")


def run_on(quotes: list[Quote], text: str) -> list[Quote]:
    """`quotes` with each short quotation inside a sentence run on to the sentence's end."""
    spans = sentence_spans(text)
    breaks = newlines(text) if quotes else []
    found = []
    for quote in quotes:
        sentence = span_at(spans, quote.start_char)
        if sentence is None or not _runs_on(quote, text, *sentence):
            found.append(quote)
            continue
        end = sentence[1]
        found.append(
            replace(
                quote,
                quote=text[quote.start_char : end],
                end_char=end,
                end_line=line_at(breaks, end - 1),
            )
        )
    return found


def _runs_on(quote: Quote, text: str, start: int, end: int) -> bool:
    words = text[quote.start_char : quote.end_char]
    after = text[quote.end_char : end]
    return (
        quote.kind == "direct"
        and text[quote.start_char - 1 : quote.start_char] in {"“", '"'}  # the quotation alone
        and quote.start_char - start > 3  # not the sentence's start
        and quote.end_char < end - 1  # words follow it in the sentence
        and len(words.split()) <= MOST_WORDS
        and words.rstrip("”\"’' ")[-1:] not in {".", ",", "!", "?"}
        and not after.lstrip('”"’ ').startswith(",")
        and _OWN_CUE.match(after) is None
    )
