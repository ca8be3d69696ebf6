"""The offline answer's stages, each on in-memory passages made here (fake embedder, no index):
candidates (`candidates.rank`), answerability (`extractive.answerability`), the quote's extent
(`extractive.quote_span`) and the claims (`extractive.claims_from`)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answers.answerability import Missing
from assistant.answers.candidates import Ranked, rank
from assistant.answers.extractive import ExtractiveAnswerer, answerability, claims_from, quote_span
from assistant.answers.support import DECLINE_BELOW, FEATURES, FITTED
from assistant.models import Passage, Quote
from assistant.retrieval.scoring import Scorer, sentences_of
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.fast

HARBOUR = (
    "Harbour Bridge Reopens\n\n"
    "The harbour bridge reopened on Monday after two years of repairs, the city said. "
    "Ferry crossings fell by a third once the bridge carried traffic again.\n\n"
    "The repairs cost 40 million euros, the city's budget office said in 2019.\n\n"
    "The harbour bridge reopened on Monday after two years of repairs, the city said.\n"
)


def passage(text: str, source: str = "harbour.txt", title: str = "Harbour Bridge Reopens") -> Passage:
    return Passage(
        source=source,
        title=title,
        date=None,
        start_char=0,
        end_char=len(text),
        start_line=1,
        end_line=text.count("\n") + 1,
        text=text,
        score=0.5,
    )


@pytest.fixture
def scorer(fake_embedder: FakeEmbedder) -> Scorer:
    return Scorer(fake_embedder)


def test_headlines_and_a_sentence_said_twice_are_never_candidates(scorer: Scorer) -> None:
    ranked = rank("When did the harbour bridge reopen?", [passage(HARBOUR)], scorer)
    texts = [ranked.sentences[i].text for i in ranked.order]
    assert "Harbour Bridge Reopens" not in texts
    assert (
        texts.count("The harbour bridge reopened on Monday after two years of repairs, the city said.") == 1
    )
    assert ranked.x.shape == (len(ranked.order), len(FEATURES))
    assert all(0.0 <= ranked.likely[i] <= 1.0 for i in ranked.order)


def test_a_year_an_organisation_or_a_person_the_evidence_does_not_give_is_missing(scorer: Scorer) -> None:
    ranked = rank("How much did the repairs cost in 2021?", [passage(HARBOUR)], scorer)
    cost = next(i for i in ranked.order if "40 million" in ranked.sentences[i].text)
    assert [m.what for m in ranked.missing[cost]] == ["year"]
    ranked = rank("How much did Westmark Bank pay for the repairs?", [passage(HARBOUR)], scorer)
    cost = next(i for i in ranked.order if "40 million" in ranked.sentences[i].text)
    assert Missing("name", "Westmark Bank") in ranked.missing[cost]
    ranked = rank("What did Alina Voss say the repairs cost?", [passage(HARBOUR)], scorer)
    cost = next(i for i in ranked.order if "40 million" in ranked.sentences[i].text)
    assert "Alina Voss" in [m.words for m in ranked.missing[cost]]  # a person the evidence does not name


def test_a_declined_answer_under_a_source_filter_names_it(scorer: Scorer) -> None:
    answer = ExtractiveAnswerer(scorer).answer(
        "How much did Westmark Bank pay for the repairs?", [passage(HARBOUR)], sources=["harbour.txt"]
    )
    assert answer.status == "declined" and answer.citations == []
    assert "searched only the chosen sources: harbour.txt" in answer.text


def _ranked(likely: list[float], missing: list[list[Missing]], scores: list[float] | None = None) -> Ranked:
    """Three candidates in the selector's order, with the answer model's probabilities given."""
    sentences = sentences_of([passage("One fact here. Another fact here. A third fact here.")])
    return Ranked(
        sentences,
        np.array(scores or [0.5] * len(likely)),
        np.array([0.5, 0.3, 0.2]),
        list(range(len(likely))),
        dict(enumerate(likely)),
        dict(enumerate(missing)),
        np.zeros((len(likely), len(FEATURES))),
    )


def test_the_first_claim_is_the_selectors_first_candidate_meeting_the_constraints_and_likely() -> None:
    ranked = _ranked([0.9, 0.3, 0.7], [[Missing("name", "Westmark Bank")], [], []])
    first = answerability(ranked, 0.5)
    assert (first.index, first.status) == (2, "answered")  # 0 misses a name, 1 is unlikely


def test_a_candidate_scoring_far_below_the_best_comes_after_one_near_it() -> None:
    first = answerability(_ranked([0.9, 0.9, 0.9], [[], [], []], scores=[0.32, 0.6, 0.55]), 0.5)
    assert first.index == 1  # 0.32 is below 0.8 of the best score (0.6)


def test_a_candidate_missing_only_a_year_makes_a_partial_answer() -> None:
    missing = [[Missing("year", "2021")], [Missing("person", "Ivo Rand")], []]
    first = answerability(_ranked([0.9, 0.6, 0.2], missing), 0.5)
    assert (first.index, first.status, first.missing) == (0, "partial", [Missing("year", "2021")])


def test_no_candidate_likely_enough_declines_with_the_closest_as_near_miss() -> None:
    first = answerability(_ranked([0.3, 0.2, 0.1], [[], [], []]), 0.5)
    assert (first.index, first.status, first.near) == (None, "declined", 0)
    missing = [[Missing("name", "Westmark Bank")], [Missing("name", "Westmark Bank")], []]
    first = answerability(_ranked([0.9, 0.8, 0.1], missing), 0.5)
    assert (first.index, first.near, first.missing) == (None, 0, [Missing("name", "Westmark Bank")])


def test_nothing_relevant_declines_without_a_near_miss() -> None:
    first = answerability(_ranked([0.9, 0.9, 0.9], [[], [], []], scores=[0.1, 0.05, 0.0]), 0.5)
    assert (first.index, first.status, first.near, first.missing) == (None, "declined", None, [])


def test_a_quote_takes_its_other_half_and_no_narration_beside_it() -> None:
    text = (
        '"We will rebuild the pier. It will be stronger," the mayor said.\n\n'
        'The pier cost 3 million euros to build. "Nobody will be left behind," the mayor said.'
    )
    sentences = sentences_of([passage(text)])
    assert [s.text[:12] for s in sentences] == [
        '"We will reb',
        "It will be s",
        "The pier cos",
        '"Nobody will',
    ]
    picks = np.ones(len(sentences))
    said = Quote(
        source="harbour.txt",
        start_char=text.index('"Nobody'),
        end_char=len(text),
        start_line=3,
        end_line=3,
        speaker="Ines Castro",
        role="mayor",
        cue="said",
        kind="direct",
        quote=text[text.index('"Nobody') :],
        mention="the mayor",
        speaker_start=0,
        speaker_end=0,
        speaker_line=3,
    )
    assert quote_span(sentences, picks, 0, [None] * 4) == [0, 1]  # one quotation over two sentences
    assert quote_span(sentences, picks, 3, [None, None, None, said]) == [3]  # the narration stays out


def test_no_sentence_is_cited_twice_and_claims_follow_the_first(scorer: Scorer) -> None:
    text = HARBOUR.replace(
        "\n\nThe harbour bridge reopened on Monday", "\n\nThe harbour bridge opened on Monday"
    )
    passages = [passage(text)]
    ranked = rank("When did the harbour bridge reopen after repairs?", passages, scorer)
    first = answerability(ranked, 0.0)
    who = [None] * len(ranked.sentences)
    vectors = scorer.vectors([s.text for s in ranked.sentences])
    claims = claims_from(
        "When did the harbour bridge reopen after repairs?", passages, ranked, first, who, vectors
    )
    cited = [(s.start_char, s.end_char) for claim in claims for span in claim.spans for s in span]
    assert cited and len(cited) == len(set(cited))
    assert claims[0].spans[0][0] is ranked.sentences[first.index]


def test_the_answerer_declines_what_no_sentence_is_likely_to_answer(scorer: Scorer) -> None:
    passages = [passage(HARBOUR)]
    strict = ExtractiveAnswerer(scorer, decline_below=1.0)
    answer = strict.answer("When did the harbour bridge reopen?", passages)
    assert answer.status == "declined" and answer.citations == []
    assert answer.near_miss is not None  # the closest passage, shown apart, never as the answer
    assert (
        ExtractiveAnswerer(scorer, decline_below=0.0)
        .answer("When did the harbour bridge reopen?", passages)
        .citations
    )


def test_the_answer_model_is_data_with_its_threshold() -> None:
    assert FITTED.features == FEATURES and FITTED.script.startswith("scripts/fit_answerability.py")
    assert 0.0 < DECLINE_BELOW < 1.0
    with pytest.raises(ValueError, match="max_claims"):
        ExtractiveAnswerer(Scorer(FakeEmbedder()), max_claims=0)


def test_a_caption_is_furniture_but_a_sentence_about_a_video_is_a_claim(scorer: Scorer) -> None:
    text = (
        "Photo: A police car outside the station.\n\n"
        "Video shows the driver's hands were raised, contradicting the police's earlier account.\n"
    )
    ranked = rank("What does the video show about the driver?", [passage(text, title="Station")], scorer)
    texts = [ranked.sentences[i].text for i in ranked.order]
    claim = "Video shows the driver's hands were raised, contradicting the police's earlier account."
    assert texts == [claim]
