"""Agreement, conflict and differing figures between two statements, slot by slot (`agreement.relate`)."""

from __future__ import annotations

import pytest

from assistant.attribution.agreement import Relation, relate
from assistant.attribution.claims import statement

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


@pytest.mark.parametrize(
    ("a", "b", "slot", "values"),
    [
        (
            "The 2021 final was played at the stadium in Tampa, the league said.",
            "The 2021 final was played at the stadium in Glendale, the league said.",
            "place",
            ("Tampa", "Glendale"),
        ),
        (
            "The new bridge was designed by Maria Lopez, the city said.",
            "The new bridge was designed by John Berg, the city said.",
            "person",
            ("Maria Lopez", "John Berg"),
        ),
        (
            "The harbour company was founded in 1998 by two brothers.",
            "The harbour company was founded in 2004 by two brothers.",
            "date",
            ("1998", "2004"),
        ),
        (
            "The contract for the tunnel was won by Siemens last spring.",
            "The contract for the tunnel was won by Bechtel last spring.",
            "organisation",
            ("Siemens", "Bechtel"),
        ),
    ],
)
def test_a_swapped_slot_is_a_conflict_naming_the_slot_and_both_values(
    a: str, b: str, slot: str, values: tuple[str, str]
) -> None:
    assert relate(a, b) == Relation("conflict", slot, values)


def test_a_paraphrase_of_the_same_fact_agrees() -> None:
    a = "“The miners have been trapped for nine days by the flooded shaft,” the union leader said."
    b = "For nine days the flooded shaft has trapped the miners, according to the union."
    assert relate(a, b).kind == "agree"


def test_a_more_precise_name_is_no_conflict() -> None:
    a = "The final was played at the stadium in Tampa, Florida."
    b = "The final was played at the stadium in Tampa."
    assert relate(a, b).kind == "agree"


def test_two_compatible_statements_by_one_speaker_are_no_conflict() -> None:
    # One speaker, two things said: neither agreement nor conflict.
    a = "“The rescuers are at the mine,” Ann Weber said."
    b = "“Heavy rain is slowing the work of everyone,” Ann Weber said."
    assert relate(a, b).kind == "none"
    # Who says it is not part of the claim: two speakers stating one fact agree.
    dam = relate("The old dam is safe, Ann Weber said.", "The old dam is safe, Carl Dunn told reporters.")
    assert dam.kind == "agree"


def test_a_denial_and_a_dropped_negation_are_conflicts() -> None:
    denial = relate(
        "The port was closed on Monday, the governor said.",
        "Officials denied that the port was closed on Monday.",
    )
    assert denial == Relation("conflict", "negation", ("close", "not close"))
    dropped = relate(
        "The army did not allow the evacuation of the villagers.",
        "The army allowed the evacuation of the villagers.",
    )
    assert dropped == Relation("conflict", "negation", ("not allow", "allow"))


def test_a_denial_of_something_else_is_no_conflict() -> None:
    count = "Between 400 and 500 workers are still inside the mine, officials said."
    assert relate(count, "No one closed the road, the roads to the mine are open.").kind == "none"


def test_different_numbers_for_the_same_counted_thing_are_figures() -> None:
    a = "Between 400 and 500 workers are still trapped inside the mine."
    b = "Rescuers tried to reach the roughly 450 workers and guards still trapped inside the shafts."
    assert relate(a, b) == Relation("figures", "worker", ("400 and 500 workers", "450 workers"))
    other = "At least 30 workers were injured in a blast at a factory in the north."
    assert relate(a, other).kind == "none"
    assert relate(a, "Officials say 400 to 500 workers are still trapped inside the mine.").kind != "figures"


def test_numbers_stay_with_the_thing_they_count() -> None:
    claim = statement("The army let 30 civilians and 300 children leave the town.")
    assert claim.figures == {"civilian": frozenset({"30"}), "child": frozenset({"300"})}
    swapped = relate(
        "The army let 30 civilians and 300 children leave the town.",
        "The army let 300 civilians and 30 children leave the town.",
    )
    assert swapped.kind == "figures"


def test_unrelated_statements_have_no_relation() -> None:
    assert relate("They are at the plant.", "Fierce bloody combat is ongoing.").kind == "none"
    port = relate("The mayor said the port will reopen next week.", "Dock workers will get a raise.")
    assert port.kind == "none"


def test_an_aim_is_not_an_act_so_its_verb_opposes_no_negation() -> None:
    # "a pledge to reopen the bridge" says what was promised, not that it reopened: against "did
    # not reopen the bridge" there is nothing to contradict (the two may even agree).
    aim = "The council had broken its pledge to reopen the bridge to lorries on Monday."
    act = "The council did not reopen the bridge to lorries, a spokesman said."
    assert relate(aim, act).kind != "conflict"
    assert relate("The council reopened the bridge to lorries on Monday.", act).kind == "conflict"
