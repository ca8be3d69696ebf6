"""The other side of a disputed matter: statements that oppose by meaning (`agreement.opposes`),
the questions that ask for both sides (`agreements.disputed`), and the answer that shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answers.agreements import Statements, disputed, relation
from assistant.attribution.agreement import Relation, about, opposes, relate
from assistant.attribution.claims import statements
from assistant.models import Sentence

QUESTION = "Does host Dale Marsh back Ortiz? What do Vera Lind and Marsh himself say?"


@pytest.mark.fast
def test_a_place_and_its_region_are_one_value() -> None:
    assert relate(
        "The final was played in Tampa, Florida, the league said.",
        "The final was played in Glendale, Arizona, the league said.",
    ) == Relation("conflict", "place", ("Tampa, Florida", "Glendale, Arizona"))


@pytest.mark.fast
def test_questions_asking_for_two_sides_are_disputed_and_others_not() -> None:
    assert {"marsh", "ortiz"} <= disputed(QUESTION)
    assert "fraud" in disputed("Is voting fraud common? What did Kane claim, and what did the report find?")
    assert "estimate" in disputed("How do the two institutes' estimates of the cost differ?")
    assert not disputed("How many people attended the rally in Dayton?")
    assert not disputed("What did Vera Lind say about the new ferry terminal?")


@pytest.mark.fast
@pytest.mark.parametrize(
    ("a", "b", "slot"),
    [
        (  # a negated predicate, worded as an adjective on one side
            "Ms. Lind said Mr. Marsh has recently seemed supportive of Mr. Ortiz.",
            "Mr. Marsh said he did not support Mr. Ortiz.",
            "negation",
        ),
        (  # "neither ... nor" denies
            "Mr. Ortiz said the mayor helped Mr. Marsh get a city permit.",
            "A spokeswoman says neither the mayor nor her office helped Mr. Marsh get a permit.",
            "negation",
        ),
        (  # a side taken against ("was against", "opposes") does not support
            "Mr. Marsh told the forum he was totally against the harbor tax.",
            "Ms. Lind noted that Mr. Marsh initially supported the harbor tax in 2003.",
            "negation",
        ),
        (  # WordNet antonyms
            "Mr. Marsh's harbor venture succeeded, Ms. Lind said.",
            "Mr. Marsh's harbor venture failed within a year.",
            "opposite",
        ),
        (  # a correction of the same subject ("in fact")
            "Ms. Lind claims that harbor fraud is a big problem for Mr. Ortiz.",
            "Harbor fraud is, in fact, very rare.",
            None,
        ),
    ],
)
def test_statements_on_the_disputed_subject_that_oppose_are_a_conflict(
    a: str, b: str, slot: str | None
) -> None:
    first, second = statements([a, b])
    subject = disputed(QUESTION) | {"venture", "fraud", "permit"}
    found = opposes(first, second, subject)
    assert (found.kind, found.slot) == ("conflict", slot)


@pytest.mark.fast
def test_statements_on_another_subject_or_that_do_not_oppose_are_no_conflict() -> None:
    subject = disputed(QUESTION)
    compatible = statements(
        ["Mr. Marsh said he supports Mr. Ortiz's port plan.", "Mr. Marsh said he met Mr. Ortiz in May."]
    )
    assert opposes(*compatible, subject).kind == "none"
    corrected = statements(
        ["Ms. Lind claims that harbor fraud is a big problem.", "Harbor fraud is, in fact, very rare."]
    )
    assert opposes(*corrected, subject).kind == "none"  # not what the question asks about


@pytest.mark.fast
def test_a_fate_foretold_opposes_its_antonym_through_a_derived_word() -> None:
    # "destined to fail" states the failure (not an aim), and "successful" is "success"'s, the
    # antonym of "fail"
    subject = disputed(QUESTION) | {"venture"}
    foretold, successful = statements(
        [
            "Ms. Lind said the harbor venture of Mr. Marsh was destined to fail.",
            "Mr. Marsh said his harbor venture was highly successful when it opened.",
        ]
    )
    assert opposes(foretold, successful, subject) == Relation("conflict", "opposite", ("fail", "successful"))
    (aim,) = statements(["Ms. Lind said the harbor venture of Mr. Marsh was planned to fail."])
    assert opposes(aim, successful, subject).kind == "none"  # an aim is not what happened


@pytest.mark.fast
def test_a_claims_earlier_sentence_says_what_its_pronoun_speaks_of() -> None:
    subject = disputed(QUESTION) | {"venture"}
    setup, doomed, successful = statements(
        [
            "Ms. Lind said Mr. Ortiz set up the harbor venture as a dump.",
            "It was doomed to fail.",
            "Mr. Marsh said the harbor venture was highly successful.",
        ]
    )
    assert opposes(doomed, successful, subject).kind == "none"  # "It": of what, this alone does not say
    found = opposes(doomed, successful, subject, near=about(setup))
    assert (found.kind, found.slot) == ("conflict", "opposite")


@pytest.mark.fast
def test_only_a_sentence_opening_with_a_pronoun_borrows_its_claims_subject() -> None:
    texts = [
        "Ms. Lind said Mr. Ortiz set up the harbor venture as a dump.",
        "It was doomed to fail.",
        "Mr. Marsh said the harbor venture was highly successful.",
        "A ferry was doomed to fail.",  # of something else: the claim's words are not its own
    ]
    sentences = [
        Sentence(
            source="ledger.txt",
            start_char=100 * i,
            end_char=100 * i + len(t),
            start_line=i + 1,
            end_line=i + 1,
            passage=0,
            title="Ledger",
            date=None,
            text=t,
        )
        for i, t in enumerate(texts)
    ]
    said = Statements(sentences, disputed(QUESTION) | {"venture"})
    found = relation(said, [0, 1], [2])
    assert found is not None and (found.kind, found.slot) == ("conflict", "opposite")
    assert relation(said, [0, 3], [2]) is None


ARTICLES = {
    "ledger.txt": (
        "Harbor Ledger\n\n"
        "Radio host Dale Marsh has hosted a weekly show on the harbor network since 2015. "
        "Mr. Marsh, who works directly for the network, has recently seemed supportive of Mr. Ortiz, "
        "Vera Lind said.\n\n"
        "Mr. Marsh generally supported the old council during his time at the station, "
        "and said he did not support Mr. Ortiz, the presumed favorite.\n\n"
        "The harbor network broadcasts in four towns.\n"
    ),
}


def test_a_disputed_question_is_answered_with_both_sides_and_the_conflict_flagged(tmp_path: Path) -> None:
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([tmp_path / "ledger.txt"])
    answer = assistant.ask(QUESTION)
    conflicts = [a for a in answer.agreements if a.kind == "conflict"]
    quotes = [answer.citations[n - 1].quote for a in conflicts for n in a.citations]
    assert any("seemed supportive" in q for q in quotes) and any("did not support" in q for q in quotes)
    plain = assistant.ask("How long has Dale Marsh hosted a show on the harbor network?")
    assert not [a for a in plain.agreements if a.kind == "conflict"]  # not a dispute: no note


def test_the_speakers_tab_flags_a_rebuttal_the_article_announces_as_the_answer_does(tmp_path: Path) -> None:
    from assistant.attribution.disputes import Disputes

    (tmp_path / "herald.txt").write_text(
        "Valley Herald\n\n"
        "“Everything is under control at the old mill,” said Ann Weber, the council adviser.\n\n"
        "But Tom Berg contradicted the adviser’s account.\n\n"
        "“Half the village is still without power and clean water,” Berg said.\n\n"
        "“The shelters will stay open all week,” Berg said later.\n",
        encoding="utf-8",
    )
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([tmp_path / "herald.txt"])
    book = assistant.directory()
    everyone = [q for said in book.statements.values() for q in said]
    found = Disputes().of(list(book.statements["Tom Berg"]), everyone, assistant.source_text)
    assert [(d.statement.quote[:14], d.other.speaker) for d in found] == [("Half the villa", "Ann Weber")]
    answer = assistant.ask("What did Ann Weber say about the old mill?")
    conflicts = [a for a in answer.agreements if a.kind == "conflict"]
    quotes = [answer.citations[n - 1].quote for a in conflicts for n in a.citations]
    assert any("Half the village" in q for q in quotes) and any("under control" in q for q in quotes)
    (tmp_path / "herald.txt").write_text("Rewritten since.\n", encoding="utf-8")  # its text is gone
    assert Disputes().of(list(book.statements["Tom Berg"]), everyone, assistant.source_text) == []


def test_an_empty_statement_relates_to_nothing() -> None:
    assert relate("", "The dam cost 40 million euros.").kind == "none"
    assert relate("  ", "That claim is a lie.").kind == "none"
