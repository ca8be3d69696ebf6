"""Which sentence an offline answer quotes first: a linear score over a few features of each
sentence, fitted as a conditional logit (a softmax over each question's sentences) by
`scripts/tune_answers.py train`, leave-one-dataset-out over SQuAD, Natural Questions and
HotpotQA (docs/evaluation.md). No model runs here: every feature is a regular expression or
a number the scorer already made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from assistant import fitted
from assistant.answers.evidence import looks_like_instruction
from assistant.models import Passage, Sentence
from assistant.text.dates import MONTHS
from assistant.text.names import entities
from assistant.text.words import NUMBER_WORDS, alternation

FEATURES = (
    "cosine",  # of question and sentence (or its passage's, for a sentence not embedded)
    "overlap",  # IDF-weighted share of the question's words in the sentence
    "passage_rank",  # ln(1 + the rank of its passage)
    "passage_cosine",  # of question and passage
    "opens_paragraph",  # 1 for the first sentence of a paragraph (a Wikipedia lead, a news lede)
    "answer_type",  # 1 when the sentence holds what the question word asks for (see `asks_for`)
    "new_names",  # ln(1 + names and numbers of the sentence that the question does not hold)
    "neighbour",  # the better cosine + overlap score of the sentences either side, same passage
    "length",  # ln(characters / 100)
    "score_rank",  # ln(1 + its rank by cosine + overlap among the question's sentences)
    "next_to_best",  # 1 beside the sentence of best cosine + overlap, same passage (the answer
    # often sits in the sentence after or before the one that restates the question)
    "paragraph_position",  # ln(1 + sentences before it in its paragraph, within its passage):
    # what a paragraph says first it says most surely (a Wikipedia lead, a news lede)
)
FITTED = fitted.load("selection", FEATURES)  # assistant/fitted/selection.json: the data, script and date
WEIGHTS = FITTED.weights

_KINDS = {
    "when": re.compile(
        r"\bwhen\b|\b(?:what|which) (?:year|date|decade|century|day|month|time|era|period)\b|\bhow long ago\b"
    ),
    "number": re.compile(
        r"\bhow (?:many|much|long|old|far|big|large|tall|high|often|fast|deep|wide)\b"
        r"|\bwhat (?:percentage|percent|number|amount|population|size)\b"
    ),
    "who": re.compile(r"\bwho(?:m|se)?\b|\bwhat (?:person|man|woman|team|band|group)\b"),
    "where": re.compile(r"\bwhere\b|\b(?:what|which) (?:country|city|state|place|town|county|region)\b"),
}
_YEAR = re.compile(r"\b(?:1\d{3}|20\d{2})s?\b|\bcentur(?:y|ies)\b|" + rf"\b(?:{'|'.join(MONTHS)})\b")
_NUMBER = re.compile(rf"\b\d[\d,.]*\b|\b(?:{alternation(NUMBER_WORDS)})\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def asks_for(question: str) -> str | None:
    """What the question word asks for: "when", "number", "who", "where", or None."""
    lowered = question.lower()
    return next((kind for kind, pattern in _KINDS.items() if pattern.search(lowered)), None)


def opens_paragraph(sentence: Sentence, passage: Passage) -> bool:
    """True for the first sentence of a paragraph: at the start of its file or of a line."""
    before = passage.text[: sentence.start_char - passage.start_char]
    return (passage.start_char == 0 and not before.strip()) or before.rstrip(" \t").endswith("\n")


_FURNITURE = re.compile(
    r"^\W*(?:by\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\W*$|#"
    # a caption's label ("Photo: ...", "Video by ...", "Image credit"), not a sentence about a video
    r"|(?:photo|image|video|caption)s?(?:\s*[:/|]|\s+(?:credit|by)\b)|credits?\s*:"
    r"|(?:copyright|getty images|ap photo|reuters/)\b)"
    r"|\b(?:all rights reserved|click here|sign up|subscribe|newsletter|advertisement|read more|"
    r"share this|follow us|skip to)\b",
    re.IGNORECASE,
)


def is_furniture(sentence: Sentence, passage: Passage) -> bool:
    """A headline, byline, dateline, caption or site furniture: never a claim.

    A headline is the source's title standing as its own paragraph, or a line of its own that
    ends without a full stop and holds no verb-like lower-case run (checked crudely by length).
    """
    text = sentence.text.strip()
    if _FURNITURE.search(text):
        return True
    title = sentence.title.strip().rstrip(".!?…")
    if title and text.rstrip(".!?") == title and (_title_case(text) or not text.endswith(".")):
        return True  # the title as a headline (not a file's first sentence standing in for one)
    before = passage.text[: sentence.start_char - passage.start_char]
    after = passage.text[sentence.end_char - passage.start_char :]
    alone = ((not before.strip() and passage.start_char == 0) or before.rstrip(" \t").endswith("\n")) and (
        not after.strip() or after.lstrip(" \t").startswith("\n")
    )
    return alone and len(text.split()) <= 14 and not text.endswith((".", "!", "?", '"', "”", ":"))


def unquotable(
    sentences: Sequence[Sentence], passages: Sequence[Passage], scores: np.ndarray, already_said: str = ""
) -> list[int]:
    """The sentences never quoted as a claim: text addressed to an AI, what the previous answer
    said (a follow-up asks for more), headlines and other furniture, and a sentence said twice
    (the same words in another place: only the best scoring one is kept)."""
    found, seen = [], set()
    for i in np.argsort(-scores, kind="stable"):
        sentence = sentences[i]
        words = " ".join(sentence.text.split())
        if (
            looks_like_instruction(sentence.text)
            or (already_said and sentence.text in already_said)
            or is_furniture(sentence, passages[sentence.passage])
            or words in seen
        ):
            found.append(int(i))
        seen.add(words)
    return found


def _title_case(text: str) -> bool:
    """Most longer words capitalised, as headlines write them ("Bank Fined Over Fake Accounts")."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def same_paragraph(first: Sentence, second: Sentence) -> bool:
    """No blank line lies between `first` and the `second` sentence that follows it."""
    return second.start_line - first.end_line < 2


def paragraph_positions(sentences: Sequence[Sentence], passages: Sequence[Passage]) -> np.ndarray:
    """How many sentences come before each in its paragraph, counted within its passage (a passage
    that starts mid-paragraph starts the count at 0)."""
    found = np.zeros(len(sentences))
    for i in range(1, len(sentences)):
        previous, sentence = sentences[i - 1], sentences[i]
        if (
            previous.passage == sentence.passage
            and same_paragraph(previous, sentence)
            and not opens_paragraph(sentence, passages[sentence.passage])
        ):
            found[i] = found[i - 1] + 1
    return found


def features(
    question: str,
    sentences: Sequence[Sentence],
    passages: Sequence[Passage],
    semantic: np.ndarray,
    lexical: np.ndarray,
) -> np.ndarray:
    """One row of FEATURES per sentence."""
    kind = asks_for(question)
    asked = {w.lower() for w in _WORD.findall(question)}
    combined = 0.5 * semantic + 0.5 * lexical
    rank = np.empty(len(sentences))
    rank[np.argsort(-combined, kind="stable")] = np.arange(len(sentences))
    top = int(np.argmax(combined))
    position = paragraph_positions(sentences, passages)
    rows = np.zeros((len(sentences), len(FEATURES)))
    for i, sentence in enumerate(sentences):
        passage = passages[sentence.passage]
        text = sentence.text
        new = [w for w in entities(text) if w.lower() not in asked]
        numbers = [n for n in _NUMBER.findall(text) if n.lower() not in asked]
        years = [y for y in _YEAR.findall(text) if y.lower() not in asked]
        found = {"when": years, "number": numbers, "who": new, "where": new}
        side = [
            combined[j]
            for j in (i - 1, i + 1)
            if 0 <= j < len(sentences) and sentences[j].passage == sentence.passage
        ]
        rows[i] = (
            semantic[i],
            lexical[i],
            np.log1p(sentence.passage),
            passage.score,
            float(opens_paragraph(sentence, passage)),
            float(kind is not None and bool(found[kind])),
            np.log1p(len(new) + len(numbers)),
            max(side, default=0.0),
            np.log(max(len(text), 10) / 100),
            np.log1p(rank[i]),
            float(abs(i - top) == 1 and sentences[top].passage == sentence.passage),
            np.log1p(position[i]),
        )
    return rows


def selection_scores(
    question: str,
    sentences: Sequence[Sentence],
    passages: Sequence[Passage],
    semantic: np.ndarray,
    lexical: np.ndarray,
    weights: np.ndarray = WEIGHTS,
) -> np.ndarray:
    """How likely each sentence holds the answer: a softmax over the question's sentences."""
    if not len(sentences):
        return np.zeros(0)
    return probabilities(features(question, sentences, passages, semantic, lexical), weights)


def probabilities(rows: np.ndarray, weights: np.ndarray = WEIGHTS) -> np.ndarray:
    """The softmax of the selector over one question's rows of FEATURES."""
    if not len(rows):
        return np.zeros(0)
    logits = rows @ weights
    likely = np.exp(logits - logits.max())
    return np.asarray(likely / likely.sum())
