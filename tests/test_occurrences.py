"""Names found in one pass over an article: where each occurs, as the regular expressions that
searched the text once per name found them."""

from __future__ import annotations

import random
import re

import pytest

from assistant.attribution.occurrences import Occurrences, Openings

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma

WORDS = ["Ann", "Lee", "Annie", "Leeds", "Lee-Ann", "O’Lee", "an", "lee", "Ann Lee", "said", "."]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) + rng.choice([" ", " ", "", ", ", "\n", "’s "]) for _ in range(60))


def test_each_name_is_found_where_a_search_of_the_text_for_it_finds_it() -> None:
    rng = random.Random(7)
    names = ["Ann Lee", "Annie Leeds", "Lee-Ann Ann", "Ann O’Lee"]
    for _ in range(200):
        text = random_text(rng)
        found = Occurrences(text, [k for n in names for k in (n, n.split()[-1])])
        for name in names:
            surname = name.split()[-1]
            assert found.literal(name) == [m.start() for m in re.finditer(re.escape(name), text)]
            pattern = rf"\b(?:{re.escape(name)}|{re.escape(surname)})\b"
            assert found.words(name) == [m.span() for m in re.finditer(pattern, text)]
        # strings never indexed are searched for once, or derived from the word they end with
        for key in ("Leeds Ann", " Lee", "an Ann"):
            assert found.starts(key) == [m.start() for m in re.finditer(f"(?={re.escape(key)})", text)]


def test_a_string_ending_in_an_indexed_word_is_derived_without_a_search() -> None:
    text = "Elena Marin spoke. Marin left. Marina came."
    found = Occurrences(text, ["Marin"])
    assert found.passes == 1
    assert found.starts("Elena Marin") == [0] and found.starts(" Marin") == [5, 18, 30]
    assert found.passes == 1


def test_openings_give_the_least_rank_of_the_strings_starting_at_each_place() -> None:
    openings = Openings({"Ann Lee": 2, "Ann ": 0, "Lee ": 1})
    assert openings.at("Ann Lee said") == {0: 0, 4: 1}
    assert Openings({}).at("Ann Lee") == {}
