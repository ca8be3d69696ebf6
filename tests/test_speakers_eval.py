"""Whom a PolNeAR gold source names, for `assistant eval speakers`."""

from __future__ import annotations

import pytest

from assistant.evaluation.speakers import gold_name

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


@pytest.mark.parametrize(
    ("source", "person"),
    [
        # the head of the phrase, not a name that modifies it
        ("Walsh campaign spokesman Tomas Reyes", "Tomas Reyes"),
        ("Harbor Bank chief economist Ina Vos", "Ina Vos"),
        ("Nora Quist’s campaign manager Ben Arlo", "Ben Arlo"),
        # punctuation ends the phrase: what follows describes the name before it
        ("Nora Quist, the Walsh campaign’s deputy manager", "Nora Quist"),
        ("Rep. Ben Arlo (D-Ore.), head of the Harbor Caucus", "Ben Arlo"),
        ("Mayor Ina Vos", "Ina Vos"),
        ("Arlo", "Arlo"),
        ("he", None),
    ],
)
def test_gold_name_is_the_person_the_source_phrase_is_about(source: str, person: str | None) -> None:
    assert gold_name(source) == person
