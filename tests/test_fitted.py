"""Fitted weights are data: each model's file names its features, data, script and date, and a
feature list that disagrees with its file is an error naming the file."""

from __future__ import annotations

import importlib
import json
import re

import numpy as np
import pytest

from assistant import fitted

from .conftest import REPO

pytestmark = pytest.mark.fast

MODELS = {
    "ranking": "assistant.attribution.ranking",
    "antecedents": "assistant.attribution.antecedents",
    "plausible": "assistant.attribution.plausible",
    "extent": "assistant.attribution.extent",
    "selection": "assistant.answers.selection",
    "support": "assistant.answers.support",
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_model_reads_its_weights_by_feature_name(name: str) -> None:
    module = importlib.import_module(MODELS[name])
    record = json.loads((fitted.FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    assert list(record["weights"]) == list(module.FEATURES)
    assert np.array_equal(module.WEIGHTS, [record["weights"][f] for f in module.FEATURES])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["fitted"])
    assert record["data"] and record["method"]
    assert (REPO / record["script"].split()[0]).is_file()  # "scripts/tune_answers.py train"


def test_every_weights_file_belongs_to_a_model() -> None:
    records = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in fitted.FOLDER.glob("*.json")}
    assert {name for name, record in records.items() if "weights" in record} == set(MODELS)
    for record in records.values():  # word lists (antonyms) too name their data and script
        assert record["data"] and record["method"] and (REPO / record["script"].split()[0]).is_file()


def test_no_fitted_weights_left_in_code() -> None:
    pasted = re.compile(r"WEIGHTS = (?:np\.array\()?\s*\[")
    found = [str(p) for p in (REPO / "assistant").rglob("*.py") if pasted.search(p.read_text("utf-8"))]
    assert found == []


def test_a_feature_added_in_code_without_a_refit_is_an_error_naming_the_file() -> None:
    from assistant.attribution.extent import FEATURES

    with pytest.raises(ValueError, match=r"extent\.json.*missing \['comma'\].*scripts/train_extent\.py"):
        fitted.load("extent", (*FEATURES, "comma"))


def test_a_renamed_or_reordered_feature_is_an_error() -> None:
    from assistant.attribution.antecedents import FEATURES

    renamed = ("closest", *FEATURES[1:])
    with pytest.raises(ValueError, match=r"missing \['closest'\], not in the code \['nearest'\]"):
        fitted.load("antecedents", renamed)
    with pytest.raises(ValueError, match="order differs"):
        fitted.load("antecedents", FEATURES[::-1])


def test_a_missing_model_says_so() -> None:
    with pytest.raises(ValueError, match=r"no fitted weights nothing\.json"):
        fitted.load("nothing", ("a",))


def test_write_records_the_weights_by_name_with_their_provenance(tmp_path) -> None:
    path = fitted.write(
        "toy",
        ("bias", "length"),
        [0.123456, -2.0],
        data="three sentences",
        script="scripts/toy.py",
        method="logistic regression",
        about="a toy",
        folder=tmp_path,
    )
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["weights"] == {"bias": 0.1235, "length": -2.0}
    assert record["data"] == "three sentences" and record["script"] == "scripts/toy.py"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["fitted"])
    with pytest.raises(ValueError, match="2 features but 1 weights"):
        fitted.write("toy", ("a", "b"), [1.0], data="", script="", method="", about="", folder=tmp_path)
