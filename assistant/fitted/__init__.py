"""Fitted weights, kept as data: one JSON file per model in this folder, written by the script
that fits it and read by name.

Each file holds the weights by feature name, in the order of the module's `FEATURES`, and says
what they were fitted on (`data`), by which script (`script`), when (`fitted`) and how
(`method`). `load("ranking", FEATURES)` returns the weights in that order and fails with the
file's name when the names differ: a feature added, removed or renamed in code without a refit
is an error at import, not weights silently applied to the wrong features.

Refit a model with its script (`python scripts/train_attribution.py ../shared/eval/polnear/train`
writes ranking.json and antecedents.json); `docs/evaluation.md` gives each script's data.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FOLDER", "Fitted", "load", "write"]

FOLDER = Path(__file__).parent  # where the scripts write; the package ships every *.json here


@dataclass(frozen=True)
class Fitted:
    """One model's weights and where they came from."""

    name: str  # the file's name without .json: "ranking"
    weights: np.ndarray  # in the order of the features asked for
    features: tuple[str, ...]
    data: str  # what the weights were fitted on
    script: str  # the script that fitted them and writes the file
    fitted: str  # the date of the fit, YYYY-MM-DD
    method: str  # how: "conditional logit ...", "logistic regression ..."
    thresholds: dict[str, float] = field(default_factory=dict)  # chosen with the fit, by name


def _read(name: str) -> dict[str, Any]:
    path = resources.files(__name__) / f"{name}.json"
    try:
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"no fitted weights {name}.json in {FOLDER}: reinstall the package") from None
    return record


def load(name: str, features: Sequence[str]) -> Fitted:
    """The weights of model `name` (`<name>.json` in this folder), in the order of `features`.

    Raises ValueError naming the file and the differing features when the file's features are
    not exactly `features`, in that order: refit with the script the file names.
    """
    record = _read(name)
    weights: dict[str, float] = record["weights"]
    if list(weights) != list(features):
        missing = [f for f in features if f not in weights]
        extra = [f for f in weights if f not in features]
        raise ValueError(
            f"{FOLDER / (name + '.json')}: its features differ from the code's "
            f"(missing {missing}, not in the code {extra}"
            + (", order differs" if not missing and not extra else "")
            + f"); refit with {record.get('script', 'its script')}"
        )
    return Fitted(
        name=name,
        weights=np.array([float(weights[f]) for f in features]),
        features=tuple(features),
        data=record["data"],
        script=record["script"],
        fitted=record["fitted"],
        method=record["method"],
        thresholds={k: float(v) for k, v in record.get("thresholds", {}).items()},
    )


def _commit() -> str:
    """The commit the fitting code is at (with "+changes" when the tree differs), or ""."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=FOLDER
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet"], cwd=FOLDER, check=False).returncode != 0
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+changes" if dirty else "")


def write(
    name: str,
    features: Sequence[str],
    weights: Sequence[float],
    *,
    data: str,
    script: str,
    method: str,
    about: str,
    folder: Path = FOLDER,
    thresholds: dict[str, float] | None = None,
) -> Path:
    """Write model `name`'s weights (rounded to 4 significant digits) to `<folder>/<name>.json`,
    with any `thresholds` chosen with the fit (by name)."""
    if len(features) != len(weights):
        raise ValueError(f"{name}: {len(features)} features but {len(weights)} weights")
    record = {
        "model": name,
        "about": about,
        "method": method,
        "data": data,
        "script": script,
        "fitted": datetime.now(UTC).date().isoformat(),
        "commit": _commit(),
        "weights": {f: float(f"{w:.4g}") for f, w in zip(features, weights, strict=True)},
        **({"thresholds": {k: float(f"{v:.4g}") for k, v in thresholds.items()}} if thresholds else {}),
    }
    path = folder / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
