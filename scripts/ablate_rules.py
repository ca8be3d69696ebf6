"""Each text-specific rule of issue 30, measured with it and without it on data it was not written from.

    python scripts/ablate_rules.py ../shared/eval/polnear/dev \
        [--newsqa ../shared/eval/newsqa-polnear-dev.jsonl] [--rule NAME]... [--out ablation.md]

For every rule, a copy of the `assistant` package is made with the rule taken out (a textual
edit of its source, checked to apply exactly, so a rule that moved fails loudly), and the
evaluations it can change are run on that copy in a fresh process:
- `attribution`: PolNeAR dev who said what (`assistant eval attribution`, the spaCy row);
- `speakers`: PolNeAR dev Speakers grouping (`assistant eval speakers`), on the same quotes;
- `outlets`: the outlet `ingest.metadata.outlet_of` reads from each PolNeAR dev text, against
  the outlet the file name gives;
- `newsqa`: the reader questions over PolNeAR dev, answered offline (`assistant eval newsqa`).
The baseline (no edit) runs the same way. Figures are printed as a Markdown table, with the
change each rule makes (with it minus without it). A rule no longer in the code (removed after
this measurement) is listed as such; its figures are re-made on a checkout from before its
removal (commit 225c1a5).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Rule:
    """A rule: where it is (file under assistant/), the edits that take it out, what it can change."""

    name: str
    what: str
    file: str
    edits: tuple[tuple[str, str], ...]
    evals: tuple[str, ...]


PARSED = ("attribution", "speakers")
RULES = (
    Rule(
        "not-names-seed-words",
        'NOT_NAMES: "Deputy Defense Kremlin Supreme Regiment" (the seeds\' phrases)',
        "text/words.py",
        (
            ("Commander Deputy Defense Defence", "Commander Defence"),
            ("Spokesman Kremlin\n    Presidential Supreme Regiment Army", "Spokesman\n    Presidential Army"),
        ),
        PARSED,
    ),
    Rule(
        "not-person-words-states-cnn",
        'NOT_PERSON_WORDS: US state words ("Hampshire Jersey York Carolina Dakota Virginia Mexico") and CNN',
        "text/words.py",
        (
            ("    Inc Hampshire Jersey York Carolina Dakota Virginia Mexico Zealand", "    Inc Zealand"),
            ("Club Media CNN\n", "Club Media\n"),
        ),
        PARSED,
    ),
    Rule(
        "reported-press-lead",
        'reported.py: "(Russian|local|state) (reporters|media|television|TV)" before a reported clause',
        "attribution/reported.py",
        ((' r"(?:Russian|local|state) (?:reporters|media|television|TV)|"\n', ""),),
        PARSED,
    ),
    Rule(
        "people-last",
        'people.py: "Last" among the words that end a name\'s run',
        "attribution/people.py",
        (('{"But", "And", "Last", "On", "In"}', '{"But", "And", "On", "In"}'),),
        PARSED,
    ),
    Rule(
        "people-written-before",
        'people.py: a lone surname resolved to a full name written elsewhere ("Elena Marin")',
        "attribution/people.py",
        (("if not matches and len(name.split()) == 1:", "if False:"),),
        PARSED,
    ),
    Rule(
        "mentions-figures",
        'mentions.py: "figures|data|statistics|estimates|records|numbers" is no speaker',
        "attribution/mentions.py",
        (
            (
                'if re.search(r"\\b(?:figures|data|statistics|estimates|records|numbers)$", words):',
                "if False:",
            ),
        ),
        PARSED,
    ),
    Rule(
        "cues-two-speakers",
        'cues.py: "Andersson and Berg urged" names no one',
        "attribution/cues.py",
        (
            (
                '        return None  # "Andersson and Berg urged"',
                '        pass  # "Andersson and Berg urged"',
            ),
        ),
        PARSED,
    ),
    Rule(
        "cues-appositive",
        'cues.py: "A spokesman for the operator, Tomasz Wrona, said": name and role from an appositive',
        "attribution/cues.py",
        (
            (
                "appositive = _appositive(text, floor, floor + comma, floor + len(inner)) "
                "if comma >= 0 else None",
                "appositive = None",
            ),
        ),
        PARSED,
    ),
    Rule(
        "outlets",
        "words.py: the 29 outlet names a byline, wire tag or copyright line may name",
        "text/words.py",
        (("OUTLETS = (\n", "OUTLETS: tuple[str, ...] = ()\n_UNUSED = (\n"),),
        ("outlets",),
    ),
    Rule(
        "rebuttal-contradicted",
        'words.py REBUTTALS: "contradicted contradicts" (answers: one speaker rebuts another)',
        "text/words.py",
        (('    "contradicted contradicts disputed', '    "disputed'),),
        ("newsqa",),
    ),
    Rule(
        "adviser-advisor",
        "answers/speakers.py: adviser and advisor as one role word in a rebuttal",
        "answers/speakers.py",
        (
            (
                '    names |= {"adviser" if n == "advisor" else "advisor" if n == "adviser" else n '
                "for n in names}\n",
                "",
            ),
        ),
        ("newsqa",),
    ),
)

# Run in the child process, on the package copy: prints one JSON object of figures.
CHILD = r"""
import dataclasses, functools, json, sys
from pathlib import Path
evals, split, newsqa, data_dir = sys.argv[1].split(","), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
figures = {}
if "attribution" in evals or "speakers" in evals:
    from assistant.attribution import quotes as quotes_module
    from assistant.evaluation import speakers as speakers_module
    from assistant.evaluation.attribution import evaluate_attribution
    found = functools.lru_cache(maxsize=None)(lambda text, name: tuple(quotes_module.find_quotes(text, name)))

    def find_quotes(text, name, outlet=None, date=None):
        return [dataclasses.replace(q, outlet=outlet, date=date) for q in found(text, name)]

    speakers_module.find_quotes = find_quotes  # the same quotes as the attribution figures
    scores = evaluate_attribution(split, {"rules": lambda text, name: list(found(text, name))})
    figures.update({"attribution " + k: v for k, v in scores["rules"].figures().items()})
    if "speakers" in evals:
        grouped = speakers_module.evaluate_speakers(split).figures()
        figures.update({"speakers " + k: round(v, 3) for k, v in grouped.items()})
if "outlets" in evals:
    from assistant.ingest.metadata import outlet_of
    texts = sorted((split / "text").glob("*.txt"))
    said = [(p.name.split("_")[0].lower(), outlet_of(p.read_text(encoding="utf-8"))) for p in texts]
    named = [(gold, got) for gold, got in said if got]
    figures["outlets named"] = round(len(named) / len(said), 3)
    right = sum(gold in got.lower().replace(" ", "") for gold, got in named)
    figures["outlets named right"] = round(right / max(1, len(named)), 3)
if "newsqa" in evals:
    from assistant.evaluation.newsqa import evaluate_newsqa
    report = evaluate_newsqa(Path(newsqa), split / "text", None, data_dir=Path(data_dir), tutorial=False)
    for kind, row in report["kinds"].items():
        for key, value in row.items():
            if value is not None:
                figures[f"newsqa {kind} {key}"] = value
print("FIGURES " + json.dumps(figures))
"""


def run(
    rule: Rule | None, evals: tuple[str, ...], split: Path, newsqa: Path | None, work: Path
) -> dict[str, float]:
    """The figures of `evals` on a copy of the package without `rule` (None: as it is)."""
    copy = work / (rule.name if rule else "baseline")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(REPO / "assistant", copy / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "vectorstore", copy / "vectorstore", ignore=shutil.ignore_patterns("__pycache__"))
    if rule is not None:
        path = copy / "assistant" / rule.file
        text = path.read_text(encoding="utf-8")
        for old, new in rule.edits:
            if text.count(old) != 1:
                raise SystemExit(f"{rule.name}: {rule.file} no longer holds {old!r} once; update RULES.")
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    data_dir = work / "newsqa-index"  # answer-stage rules change no index: it is built once
    result = subprocess.run(
        [sys.executable, "-c", CHILD, ",".join(evals), str(split), str(newsqa or ""), str(data_dir)],
        cwd=copy,
        env={**_env(), "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("FIGURES ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"{rule.name if rule else 'baseline'} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(line.removeprefix("FIGURES ")))


def present(rule: Rule) -> bool:
    """True when every edit of `rule` applies; False when none does (the rule was removed)."""
    text = (REPO / "assistant" / rule.file).read_text(encoding="utf-8")
    found = [text.count(old) == 1 for old, _ in rule.edits]
    if any(found) and not all(found):
        raise SystemExit(f"{rule.name}: {rule.file} holds only part of the rule; update RULES.")
    return all(found)


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}


@click.command()
@click.argument("split", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--newsqa", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="newsqa-polnear-dev.jsonl"
)
@click.option("--rule", "chosen", multiple=True, help="Only this rule (repeatable; default: all).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the table here.")
def main(split: Path, newsqa: Path | None, chosen: tuple[str, ...], out: Path | None) -> None:
    """Measure every rule (or the chosen ones) with and without it on SPLIT (PolNeAR dev)."""
    rules = [r for r in RULES if not chosen or r.name in chosen]
    if not newsqa:
        rules = [r for r in rules if "newsqa" not in r.evals]
    gone = [r for r in rules if not present(r)]
    rules = [r for r in rules if present(r)]
    evals = tuple(dict.fromkeys(e for r in rules for e in r.evals))
    lines = [
        f"Ablation on {split} ({', '.join(evals)}); 'change' is with the rule minus without it.",
        "",
        "| rule | figure | with it | without it | change |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="ablate-") as scratch:
        work = Path(scratch)
        baseline = run(None, evals, split, newsqa, work)
        print(json.dumps({"baseline": baseline}), flush=True)
        for rule in rules:
            without = run(rule, rule.evals, split, newsqa, work)
            print(json.dumps({rule.name: without}), flush=True)
            changed = [k for k in without if without[k] != baseline.get(k)]
            if not changed:
                lines.append(
                    f"| {rule.name}: {rule.what} | all of {', '.join(rule.evals)} | same | same | 0 |"
                )
            for key in changed:
                base = baseline.get(key)
                numbers = isinstance(base, int | float) and isinstance(without[key], int | float)
                delta = f"{base - without[key]:+.3f}" if numbers else "?"  # type: ignore[operator]
                lines.append(f"| {rule.name}: {rule.what} | {key} | {base} | {without[key]} | {delta} |")
    lines += [f"| {r.name}: {r.what} | not in the code (removed) | | | |" for r in gone]
    table = "\n".join(lines)
    print(table)
    if out:
        out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
