"""Which sentence an offline answer quotes first: the selector's features and what users see."""

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.answers.selection import FEATURES, asks_for, features, paragraph_positions
from assistant.models import Answer, Passage
from assistant.retrieval.scoring import sentences_of


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when did the bridge open", "when"),
        ("In what year was the treaty signed?", "when"),
        ("how many people live in the valley", "number"),
        ("Who designed the tower?", "who"),
        ("where is the observatory", "where"),
        ("which country hosted the games", "where"),
        ("what is the capital of the region", None),
    ],
)
def test_the_question_word_says_what_kind_of_answer_is_wanted(question: str, kind: str | None) -> None:
    assert asks_for(question) == kind


def passage(text: str, start: int = 0, score: float = 0.5) -> Passage:
    return Passage(
        source="made.txt",
        title="Made",
        date=None,
        start_char=start,
        end_char=start + len(text),
        start_line=1,
        end_line=1 + text.count("\n"),
        text=text,
        score=score,
    )


def test_features_mark_the_lead_the_answer_kind_and_the_sentence_beside_the_best() -> None:
    text = (
        "The Orrin Bridge crosses the Tay at Kelden.\n\n"
        "Work on the bridge began in 1911 under Mara Voss. The deck is made of steel."
    )
    sentences = sentences_of([passage(text)])
    assert [s.text[:8] for s in sentences] == ["The Orri", "Work on ", "The deck"]
    semantic = np.array([0.8, 0.5, 0.2])
    lexical = np.array([0.9, 0.1, 0.0])
    rows = features("when was the orrin bridge built", sentences, [passage(text)], semantic, lexical)
    column = {name: rows[:, i] for i, name in enumerate(FEATURES)}
    assert list(column["opens_paragraph"]) == [1, 1, 0]  # a blank line opens a paragraph
    assert list(column["answer_type"]) == [0, 1, 0]  # only the second holds a year
    assert list(column["next_to_best"]) == [0, 1, 0]  # beside the sentence that scores best
    assert column["new_names"][1] > column["new_names"][2]  # "Mara Voss", "1911" are new
    assert list(column["passage_cosine"]) == [0.5, 0.5, 0.5]
    assert list(column["paragraph_position"]) == [0, 0, pytest.approx(np.log(2))]  # counted anew


def test_the_position_in_the_paragraph_counts_from_its_opening_or_the_passage_start() -> None:
    first = "Kelden lies on the Tay. It has a bridge. The bridge is old.\n\nA ferry ran until 1911. It sank."
    middle = "It has a bridge. The bridge is old."  # a passage that starts mid-paragraph
    passages = [passage(first), passage(middle, start=200, score=0.4)]
    sentences = sentences_of(passages)
    assert [s.text[:8] for s in sentences][-2:] == ["It has a", "The brid"]
    assert list(paragraph_positions(sentences, passages)) == [0, 1, 2, 0, 1, 0, 1]


def test_a_question_word_already_in_the_question_is_no_answer() -> None:
    text = "The 1911 survey of Kelden was long. It listed 40 farms in 1911."
    sentences = sentences_of([passage(text)])
    zeros = np.zeros(len(sentences))
    rows = features("what did the 1911 survey of kelden find", sentences, [passage(text)], zeros, zeros)
    new = rows[:, FEATURES.index("new_names")]
    assert new[0] == 0  # every name and number of the first sentence is in the question
    assert new[1] > 0  # "40" is not


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_the_answer_beside_the_sentence_that_restates_the_question_is_quoted(tmp_path: Path) -> None:
    """A question typed without seeing the text: the sentence that matches its words best
    ("...playing the detective in The Kelden Files") names no actor; the one before it does."""
    news = tmp_path / "news"
    write(
        news,
        "lindqvist.txt",
        "Anna Lindqvist\n\nAnna Lindqvist (born 4 May 1980) is a Swedish stage and screen actress. "
        "She is best known for playing the detective in the television series The Kelden Files. "
        "She studied drama in Malmo and has two children.",
    )
    write(
        news,
        "kelden.txt",
        "The Kelden Files\n\nThe Kelden Files is a crime drama television series set in a harbour town. "
        "Each season follows the detective through one long case. The series was filmed on the west coast.",
    )
    write(
        news,
        "harbour.txt",
        "Harbour towns\n\nMany crime series are set in harbour towns, where fog and ferries set the mood. "
        "Writers like the closed world of a small port.",
    )
    answer = ask_over(news, "who plays the detective in the kelden files")
    first = answer.citations[0]
    assert "Anna Lindqvist (born" in first.quote
    assert len(first.quote) <= 300  # the sentence or two, not the whole article


def test_a_quote_never_runs_over_a_paragraph_break(tmp_path: Path) -> None:
    """The same article with each sentence its own paragraph: the neighbour that would join the
    quote sits beyond a blank line, so each citation stays within one paragraph."""
    news = tmp_path / "news"
    write(
        news,
        "lindqvist.txt",
        "Anna Lindqvist\n\nAnna Lindqvist (born 4 May 1980) is a Swedish stage and screen actress.\n\n"
        "She is best known for playing the detective in the television series The Kelden Files.\n\n"
        "She studied drama in Malmo and has two children.",
    )
    answer = ask_over(news, "who plays the detective in the kelden files")
    assert all("\n\n" not in c.quote for c in answer.citations)


def ask_over(news: Path, question: str) -> Answer:
    """A grounded answer to `question` from a new index of the folder `news`."""
    assistant = Assistant(data_dir=news.parent / "index")
    assistant.ingest([news])
    answer = assistant.ask(question)
    assert answer.grounded
    return answer
