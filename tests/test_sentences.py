import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.text.sentences import sentence_spans

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_splits_at_sentence_ends_but_not_abbreviations_or_initials() -> None:
    text = "Dr. Smith met U.S. officials at 5 p.m. Monday. J. R. Tolkien wrote. Gov. Kyrylenko agreed."
    assert sentences(text) == [
        "Dr. Smith met U.S. officials at 5 p.m. Monday.",
        "J. R. Tolkien wrote.",
        "Gov. Kyrylenko agreed.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "“Heavy fighting is going on.” Palamar said it again! “Why?” he asked."
    assert sentences(text) == ["“Heavy fighting is going on.”", "Palamar said it again!", "“Why?” he asked."]


def test_every_line_break_ends_a_sentence() -> None:
    text = "A headline without a stop\n\nThe body starts here. It goes on\r\nand ends."
    assert sentences(text) == [
        "A headline without a stop",
        "The body starts here.",
        "It goes on",
        "and ends.",
    ]


def test_no_split_before_lowercase_or_inside_numbers() -> None:
    assert sentences("It cost 3.5 million. e.g. this stays whole.") == [
        "It cost 3.5 million. e.g. this stays whole."
    ]


@given(st.text(alphabet=st.sampled_from('ab A.!?“”"\n\r\t 1'), max_size=200))
def test_spans_cover_every_visible_character_once_in_order(text: str) -> None:
    spans = sentence_spans(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i], f"character {i} ({ch!r}) is in no sentence"
