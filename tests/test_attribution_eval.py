"""The PolNeAR metric of `assistant eval attribution`, on a split folder made in the test."""

from __future__ import annotations

from pathlib import Path

from assistant.attribution.quotes import RULES_VERSION, find_quotes
from assistant.evaluation.attribution import evaluate_attribution, last_name
from assistant.evaluation.polnear import read_split
from assistant.models import Quote
from tests.conftest import run_cli

TEXT = (
    "Budget passes\n"
    "“We kept our word,” said Mayor Tom Reyes.\n"
    "Council member Ana Ruiz said the vote was “a mistake we will regret.”\n"
    "The city has 12 parks.\n"
)


def _split(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    with (tmp_path / "text" / "art.txt").open("w", encoding="utf-8", newline="") as handle:
        handle.write(TEXT)

    def at(words: str) -> str:
        start = TEXT.index(words)
        return f"{start} {start + len(words)}"

    ann = [
        f"T1\tSource {at('Mayor Tom Reyes')}\tMayor Tom Reyes",
        f"T2\tCue {at('said')}\tsaid",
        f"T3\tContent {at('“We kept our word,”')}\t“We kept our word,”",
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        f"T4\tSource {at('Council member Ana Ruiz')}\tCouncil member Ana Ruiz",
        f"T5\tContent {at('the vote was “a mistake we will regret.”')}\tthe vote was ...",
        "E2\tAttribution:T2 Content:T5 Source:T4",
    ]
    (tmp_path / "attributions" / "art_ab12.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    (tmp_path / "attributions" / "art_zz99.ann").write_text("", encoding="utf-8")  # a second annotator
    return tmp_path


def test_reads_the_first_annotator_and_tells_direct_statements(tmp_path: Path) -> None:
    [article] = read_split(_split(tmp_path))
    assert [g.direct for g in article.attributions] == [True, True]
    content = article.attributions[1].content[0]
    assert TEXT[content[0] : content[1]].startswith("the vote was")


def test_scores_found_statements_and_their_sources(tmp_path: Path) -> None:
    split = _split(tmp_path)
    [score] = evaluate_attribution(split, {"parse": lambda text, name: find_quotes(text, name)}).values()
    figures = score.figures()
    assert figures["direct-quote recall"] == 1.0 and figures["who-said-what"] == 1.0
    assert figures["named speaker right"] == 1.0 and figures["precision"] == 1.0

    def nobody(text: str, name: str) -> list[Quote]:
        return []

    [empty] = evaluate_attribution(split, {"none": nobody}).values()
    assert empty.figures()["direct-quote recall"] == 0.0


def test_last_name_of_a_gold_source() -> None:
    assert last_name("Ryan’s spokeswoman, AshLee Strong") == "Strong"
    assert last_name("Senate Majority Leader Mitch McConnell (R-Ky.)") == "McConnell"
    assert last_name("Trump") == "Trump"
    assert last_name("he") is None and last_name("a source") is None


def test_cli_prints_the_table_beside_the_patterns(tmp_path: Path) -> None:
    (tmp_path / "split").mkdir()
    result = run_cli("eval", "attribution", str(_split(tmp_path / "split")), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| patterns only (no parser) |" in out
    assert f"| patterns + spaCy parse (rules v{RULES_VERSION}) |" in out
    assert "direct-quote recall" in out
