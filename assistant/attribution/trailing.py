"""A quotation and right after it its speaker with any verb: `“Go back to Univision,” Trump
barked`, `“This is fantastic!” beamed Donald Hartley`, `“Would it be negotiable?” Hannity pressed`.

The speech verbs of `text.words` and the parse's subjects miss these: the verb is no word of the
list, and the parser, meeting a verb it does not expect after a quotation, often hangs the name
on the quotation instead of making it the verb's subject. The place alone says who spoke: a
quotation that ends with a comma, a question or an exclamation, then a noun phrase and a verb in
the past or present (or the verb first, then a name), is a quotation and its speaker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.attribution.mentions import Mention, mention_after, mention_at

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_FINITE = {"VBD", "VBZ", "VBP", "VBN"}  # `Trump barked` is often tagged as a participle
_NOMINAL = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PUNCT", "ADV"}
_LONGEST = 8  # words of a speaker phrase at most


def trailing_speaker(
    doc: Doc, offset: int, text: str, q_start: int, q_end: int
) -> tuple[str, Mention] | None:
    """(verb, speaker) of the quotation `text[q_start:q_end]` from the noun phrase and verb right
    after it; None when its last words end a sentence or no finite verb follows a noun phrase."""
    if text[q_end - 2 : q_end - 1] not in {",", "?", "!"} and text[q_end : q_end + 1] != ",":
        return None
    after = [t for t in doc if t.idx + offset >= q_end]
    while after and after[0].is_punct:
        after = after[1:]
    if not after or after[0].tag_ in {"WDT", "WP"}:
        return None  # `“radical Islam,” which some Republicans want`: a clause about the words
    if _finite(after[0]):  # `“...!” beamed Donald Hartley`
        start, end = _end_of(after[0]) + offset, after[0].sent.end_char + offset
        while start < end and text[start].isspace():
            start += 1
        mention = mention_after(text, start, end)
        return (after[0].text, mention) if mention is not None and mention.name else None
    for n, token in enumerate(after[: _LONGEST + 1]):
        if _finite(token):
            phrase = after[:n]
            mention = mention_at(text, phrase[0].idx + offset, _end_of(phrase[-1]) + offset)
            return (token.text, mention) if mention is not None else None
        if token.pos_ not in _NOMINAL or token.text in {".", ";", ":", "“", '"'}:
            return None
    return None


def _finite(token: Token) -> bool:
    """A verb in the past or present that may say something (not `had`, `was`, `did`)."""
    return token.pos_ == "VERB" and token.tag_ in _FINITE and token.lemma_ not in {"be", "have", "do"}


def _end_of(token: Token) -> int:
    return token.idx + len(token.text)
