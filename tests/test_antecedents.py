"""Whom "he" or "she" means when no speaker or sentence subject says: the scored choice among the
names before the pronoun, its training script, and the narrator's "I"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.attribution import ranking
from assistant.attribution.antecedents import FEATURES, WEIGHTS, antecedent, candidates, probabilities
from assistant.attribution.quotes import find_quotes
from tests.conftest import run_script, write_polnear_article

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma

PROFILE = (
    "The ceremony in the East Room lasted an hour.\n\n"
    "Army Capt. Florent Groberg received the medal for shielding his patrol in Afghanistan, "
    "where a suicide bomber struck in 2012. Groberg spent three years in hospitals. "
    "Groberg then went on to explain what he likes about the candidate.\n\n"
    "“She has experience, and that matters in a crisis,” he said.\n"
)


def test_he_after_a_person_met_only_in_narration_is_that_person() -> None:
    quotes = find_quotes(PROFILE, "a.txt")
    assert [(q.mention, q.speaker) for q in quotes] == [("he", "Florent Groberg")]


def test_he_with_nobody_named_before_stays_unresolved() -> None:
    text = "The ceremony lasted an hour.\n\n“It matters in a crisis,” he said.\n"
    assert [(q.mention, q.speaker) for q in find_quotes(text, "a.txt")] == [("he", None)]
    assert antecedent(text, text.index("he said")) is None


def test_a_list_of_names_leaves_he_unresolved() -> None:
    text = "Adam Novak, Boris Tal, Carl Weber and Dan Ilic met on Monday.\n\n“We agree,” he said.\n"
    found = candidates(text, text.index("he said"))
    assert [c.name for c in found] == ["Dan Ilic", "Carl Weber", "Boris Tal", "Adam Novak"]
    assert probabilities(found).max() < 0.5
    assert [q.speaker for q in find_quotes(text, "a.txt")] == [None]


def test_names_in_quotations_titles_and_bodies_are_no_candidates() -> None:
    text = (
        "Sen. Maria Ortiz spoke to the Senate Committee in Washington. "
        "“Ask John Doe,” she told the CNN host.\n\n“Enough,” she said."
    )
    found = candidates(text, text.rindex("she said"))
    assert [(c.name, c.features["titled"]) for c in found] == [("Washington", 0.0), ("Maria Ortiz", 1.0)]
    assert len(WEIGHTS) == len(FEATURES)


def test_i_in_the_narration_is_the_author() -> None:
    text = (
        "Last week I went to the rally in Ohio.\n\n“Nobody here trusts the polls,” I told the organizers.\n"
    )
    quotes = find_quotes(text, "op-ed.txt")
    assert [(q.mention, q.speaker, q.unnamed) for q in quotes] == [("I", "the author", True)]


def _write_split(folder: Path) -> None:
    """A made-up PolNeAR-style split: a named speaker, then "he" continuing with the same one."""
    for n in range(16):
        first, other = f"Walter Kane{n}", f"Lena Ruiz{n}"
        text = (
            f"{other} chaired the meeting in Denver. {first} said the plan was sound.\n\n"
            f"“It will hold,” he told reporters in Boston.\n"
        )
        named = text.index(first)
        pronoun = text.index("he told")
        content = text.index("“It")
        ann = (
            f"T1\tSource {named} {named + len(first)}\t{first}\n"
            f"T2\tCue {named + len(first) + 1} {named + len(first) + 5}\tsaid\n"
            f"T3\tContent {named + len(first) + 6} {text.index('.', named)}\tthe plan was sound\n"
            f"T4\tSource {pronoun} {pronoun + 2}\the\n"
            f"T5\tCue {pronoun + 3} {pronoun + 7}\ttold\n"
            f"T6\tContent {content} {content + 15}\t“It will hold,”\n"
            "E1\tCue:T2 Source:T1 Content:T3\n"
            "E2\tCue:T5 Source:T4 Content:T6\n"
        )
        write_polnear_article(folder, f"a{n:02}", text, ann)


def test_training_script_fits_weights_on_a_split(tmp_path: Path) -> None:
    _write_split(tmp_path / "train")
    printed = run_script("train_attribution.py", str(tmp_path / "train"), "--out", str(tmp_path / "fitted"))
    assert "held-out" in printed
    for name, features in (("ranking", ranking.FEATURES), ("antecedents", FEATURES)):
        written = json.loads((tmp_path / "fitted" / f"{name}.json").read_text(encoding="utf-8"))
        assert list(written["weights"]) == list(features)
        assert written["script"] == "scripts/train_attribution.py" and "train" in written["data"]
    assert printed.count("top-1 accuracy 1.000") >= 2  # the right speaker and antecedent, held out
