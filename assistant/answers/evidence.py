"""Evidence for answers: citations of exact sentences, quotations kept whole, and text that
addresses an AI rather than reports news, which is never evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.models import Citation, Passage, Sentence, page_of

_CITATION_LIKE = re.compile(r"\[(\d{1,3})\]")
# Who a planted instruction addresses: an automated reader, never a person in the news.
_MACHINE = (
    r"(?:ai|a\.i\.|artificial intelligence|llms?|language models?|chatbots?|bots?|assistants?|"
    r"summari[sz]ers?|summari[sz]ation tools?|crawlers?|agents?|models?|gpt\w*)"
)
_INSTRUCTION_LIKE = re.compile(
    r"(?im)\b(ignore|disregard|forget|override)\b.{0,40}"
    r"\b(instructions?|prompts?|rules|above|previous|prior|earlier|everything|context)\b"
    r"|\b(system prompt|as an ai|you are (an? )?(ai|assistant|language model|chatbot))\b"
    r"|\bnew (task|instructions?|directive|objective|role)\b(?!\s+force)"
    rf"|\b{_MACHINE}\b.{{0,30}}\b(must|should|shall)\b"
    rf"|\b(attention|note|message|dear|hey|hello)\b\W{{1,3}}(to |for )?(all |any |the )?"
    rf"(automated |automatic |ai |a\.i\. )?\w*\s?{_MACHINE}\b"
    rf"|\b(your|the reader'?s|readers'|automated|automatic)\s+(\w+\s+)?{_MACHINE}\b"
    r"|\bwhen (you are |you're )?asked\b[^.;]{0,120},\s*(answer|reply|respond|say|state|write|output|tell)\b"
    r"|\b(answer|reply|respond|output)\s+(only|just|exactly|solely)\b"
    r"|\b(tell|inform|assure|convince)\s+(the\s+)?(users?|readers?|audience)\s+that\b"
    # A role prefix of a chat transcript ("SYSTEM:", "ASSISTANT:", "<|im_start|>", "[INST]").
    r"|(?:^|[\n.!?]\s*)(?:system|assistant|developer|instructions?|ai)\s*:"
    r"|<\|?(?:im_start|im_end|system|endoftext)\|?>|\[/?inst\]|#{2,}\s*(?:instruction|system)"
    # Text that tells its reader what mode it is in or what it is now.
    r"|\byou\s+are\s+now\s+(?:in\s+|an?\s+|operating\s+(?:in\s+)?)?(?:\w+\s+)?(?:mode|assistant|ai|model|bot)\b"
    r"|\b(?:developer|debug|god|jailbreak|unrestricted)\s+mode\b"
    r"|\bfrom\s+now\s+on,?\s+(?:you|always|never|answer|reply|respond)\b"
    # Instructions about answering or citing.
    r"|(?:^|[.!?:]\s+|\byou\s+(?:must|should|will)\s+)(?:please\s+)?(?:answer|reply\s+to|respond\s+to)\s+"
    r"(?:every|all|any|each)\s+(?:\w+\s+)?(?:questions?|quer(?:y|ies)|prompts?|users?)\b"
    r"|\b(?:cite|quote|reference)\s+(?:only\s+)?(?:passage|source|document|chunk|context)s?\s*(?:\[|#|\d|number)"
    r"|\b(?:in|with)\s+your\s+(?:answers?|responses?|replies|output|summary)\b"
    r"|\b(?:always|never)\s+(?:answer|reply|respond|cite|say|mention|reveal)\b"
)


def cite(passages: Sequence[Passage], n: int, first: Sentence, last: Sentence | None = None) -> Citation:
    """A citation of `first`, or of `first` through `last` (a later sentence of the same passage)."""
    last = last or first
    passage = passages[first.passage]
    if last.passage != first.passage or last.end_char < first.end_char:
        raise ValueError("a two-sentence citation needs two sentences of one passage, in order")
    offset = passage.start_char
    return Citation(
        n=n,
        source=first.source,
        title=first.title,
        date=first.date,
        start_char=first.start_char,
        end_char=last.end_char,
        start_line=first.start_line,
        end_line=last.end_line,
        quote=passage.text[first.start_char - offset : last.end_char - offset],
        outlet=passage.outlet,
        extracted=passage.extracted,
        path=passage.path,
        page=page_of(passage.page_starts, first.start_char),
        end_page=page_of(passage.page_starts, last.end_char - 1),
    )


def opens_a_quote(text: str) -> bool:
    """True when `text` opens a quotation it does not close."""
    if text.count("“") != text.count("”"):
        return text.count("“") > text.count("”")
    return text.count('"') % 2 == 1 and text.lstrip().startswith('"')


def closes_a_quote(text: str) -> bool:
    """True when `text` closes a quotation opened before it."""
    if text.count("“") != text.count("”"):
        return text.count("”") > text.count("“")
    return text.count('"') % 2 == 1 and not text.lstrip().startswith('"')


def with_speaker(sentences: Sequence[Sentence], i: int) -> list[Sentence]:
    """Sentence `i`, joined with its neighbour when a quotation runs across both.

    A quote's attribution ("..., Palamar said.") often sits in the sentence that closes it,
    so a citation of half a quotation takes the other half too: a sentence or two.
    """
    here = sentences[i]
    if opens_a_quote(here.text) and i + 1 < len(sentences) and sentences[i + 1].passage == here.passage:
        return [here, sentences[i + 1]]
    if closes_a_quote(here.text) and i > 0 and sentences[i - 1].passage == here.passage:
        return [sentences[i - 1], here]
    return [here]


def looks_like_instruction(text: str) -> bool:
    """True for text that addresses an AI rather than reports news: never evidence."""
    return bool(_INSTRUCTION_LIKE.search(text))


def neutralize_markers(text: str) -> str:
    """Write document text's `[3]` as `(3)` so it cannot pass for a citation marker."""
    return _CITATION_LIKE.sub(r"(\1)", text)
