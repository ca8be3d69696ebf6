"""Agreement, conflict and differing figures between two statements (`agreement.relation`)."""

from __future__ import annotations

from assistant.attribution.agreement import differing_figures, relation


def test_a_denial_about_something_else_is_no_conflict() -> None:
    count = "Between 400 and 500 workers are still inside the mine, officials said."
    denial = "No one closed the road, the roads are open to the mine."
    assert relation(count, denial, 0.36) == "neutral"
    assert relation("Workers are still inside the mine.", "No one is inside the mine.", 0.7) == "conflict"


def test_different_numbers_for_the_same_counted_thing() -> None:
    a = "Between 400 and 500 workers are still trapped inside the mine."
    b = "Rescuers tried to reach the roughly 450 workers and guards still trapped inside the shafts."
    assert differing_figures(a, b) and relation(a, b, 0.25) == "figures"
    other = "At least 30 workers were injured in a blast at a factory in the north."
    assert not differing_figures(a, other)
    assert not differing_figures(a, "Officials say 400 to 500 workers are still trapped inside the mine.")
