"""The command line as a newcomer meets it: labelled chat turns, JSON from chat, clear errors for an
empty index or an unknown source, search's order and score said, the ingest table whole in 80
columns (real processes)."""

import json
import subprocess
from pathlib import Path

from tests.conftest import ASSISTANT_BIN, child_env, run_cli

ARTICLE = (
    "Harbour crane returns\n\n"
    "The Velmar harbour crane returned to work on Tuesday after 17 days of repairs.\n\n"
    "Harbour master Ines Kolb said the Velmar crane can lift 40 tonnes again.\n"
)
QUESTION = "How many days of repairs did the Velmar harbour crane need?"


def chat(*args: str, typed: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ASSISTANT_BIN), "chat", *args],
        input=typed,
        cwd=cwd,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_chat_labels_answers_prints_json_and_commands_say_what_they_show(tmp_path: Path) -> None:
    (tmp_path / "crane.txt").write_text(ARTICLE, encoding="utf-8")
    ingest = run_cli("ingest", "crane.txt", cwd=tmp_path, env={"COLUMNS": "80"})
    assert ingest.returncode == 0, ingest.stderr
    table = ingest.stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    for header in ("added", "replaced", "unchanged", "removed", "skipped", "failed", "chunks embedded"):
        assert header in table, table
    assert "…" not in table

    talk = chat(typed=QUESTION + "\n\n", cwd=tmp_path)
    assert talk.returncode == 0, talk.stderr
    rest = talk.stdout.partition("You:")[2]
    assert rest.lstrip().startswith("Assistant:"), talk.stdout  # the answer has its label
    assert "17 days" in rest.partition("Assistant:")[2]

    as_json = chat("--json", typed=QUESTION + "\n\n", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    [line] = as_json.stdout.splitlines()  # only the answer on stdout; the prompt is on stderr
    answer = json.loads(line)
    assert answer["grounded"] and answer["citations"][0]["source"] == "crane.txt"

    unknown = run_cli("ask", QUESTION, "--source", "nonexistent.txt", cwd=tmp_path)
    assert unknown.returncode == 1 and "Not indexed: nonexistent.txt" in unknown.stderr
    assert "assistant sources" in unknown.stderr

    search = run_cli("search", "Velmar crane", "-k", "2", cwd=tmp_path).stdout
    first, *rest_lines = search.splitlines()
    assert "Best first" in first and "cosine: the passage's similarity to the query" in first
    ranked = [line for line in rest_lines if line.startswith("[")]
    assert ranked and all(", cosine 0." in line for line in ranked) and "score" not in search


def test_an_empty_index_points_to_ingest(tmp_path: Path) -> None:
    asked = run_cli("ask", QUESTION, cwd=tmp_path)
    assert asked.returncode == 1 and "run `assistant ingest PATH` first" in asked.stderr, asked
    chatted = chat(typed=QUESTION + "\n", cwd=tmp_path)
    assert chatted.returncode == 1 and "run `assistant ingest PATH` first" in chatted.stderr
