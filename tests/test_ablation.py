"""scripts/ablate_rules.py can re-make its figures: every rule it lists is in the code whole, or
gone whole (removed after its measurement), never half there because the code moved."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.fast


def test_every_rule_the_ablation_lists_is_whole_or_gone() -> None:
    spec = importlib.util.spec_from_file_location("ablate_rules", REPO / "scripts" / "ablate_rules.py")
    assert spec is not None and spec.loader is not None
    ablation = importlib.util.module_from_spec(spec)
    sys.modules["ablate_rules"] = ablation  # its dataclasses look their module up
    spec.loader.exec_module(ablation)
    kept = {rule.name for rule in ablation.RULES if ablation.present(rule)}  # raises when half there
    assert "people-written-before" in kept  # measured gain: kept, with its figures beside it
    assert "not-names-seed-words" not in kept  # no change without it: removed
    for rule in ablation.RULES:
        assert (Path(REPO) / "assistant" / rule.file).is_file(), rule.file
