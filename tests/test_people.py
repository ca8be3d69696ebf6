"""Whom a description means: "the former Florida governor" is a person only when the article ties
the description to that person, never just the person spoken about last."""

from __future__ import annotations

from assistant.attribution.quotes import find_quotes


def speakers(text: str) -> list[tuple[str | None, bool]]:
    return [(q.speaker, q.unnamed) for q in find_quotes(text, "a.txt")]


def test_a_description_the_article_never_ties_to_anyone_stays_as_worded() -> None:
    text = (
        "“We will win this state,” Arnold Pembrook said in Tampa on Monday.\n\n"
        "“He has no plan at all,” the former Ohio governor said.\n"
    )
    assert speakers(text) == [("Arnold Pembrook", False), ("the former Ohio governor", True)]


def test_a_title_before_the_name_ties_the_description_to_that_person() -> None:
    text = (
        "“We will stay in the race,” said former Ohio Gov. Linda Marsh on Sunday.\n\n"
        "“She is finished,” Arnold Pembrook said.\n\n"
        "“Nobody believes that,” the former Ohio governor said.\n"
    )
    assert speakers(text)[-1] == ("Linda Marsh", False)


def test_an_appositive_ties_the_description_and_a_second_fitting_person_unties_it() -> None:
    tied = (
        "“The bill is dead,” said Tom Ferrand, a Nevada senator, on Tuesday. "
        "“It is not,” said Arnold Pembrook.\n\n"
        "“We have the votes,” the Nevada senator said.\n"
    )
    assert speakers(tied)[-1] == ("Tom Ferrand", False)
    two = tied.replace("said Arnold Pembrook", "said Ruth Ivers, a Nevada senator")
    assert speakers(two)[-1] == (None, False)  # the article names two: no guess
