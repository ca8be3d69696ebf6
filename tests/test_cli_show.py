"""Citations of HTML and PDF files name the extracted text their offsets count in, and
`assistant show SOURCE --text` prints exactly that text (real processes, as a user runs them)."""

import json
from pathlib import Path

from tests.conftest import run_cli

PAGE = (
    "<!doctype html><html><head><title>Quarry bridge reopens</title></head><body>"
    "<h1>Quarry bridge reopens</h1>"
    "<p>The Quarry bridge over the Lenna river reopened on Friday after 41 days of repairs.</p>"
    "<p>Engineer Mira Holt said the Quarry bridge now carries trucks of up to 30 tonnes.</p>"
    "</body></html>\n"
)


def test_html_citations_name_the_extracted_text_and_show_prints_it(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "bridge.html").write_text(PAGE, encoding="utf-8")
    assert run_cli("ingest", "pages", cwd=tmp_path).returncode == 0
    question = "How many days of repairs did the Quarry bridge need?"

    answer = json.loads(run_cli("ask", question, "--json", cwd=tmp_path).stdout)
    [citation, *_] = answer["citations"]
    assert citation["source"] == "pages/bridge.html" and citation["extracted"]
    start, end = citation["start_char"], citation["end_char"]
    assert PAGE[start:end] != citation["quote"]  # the offsets do not index the file's bytes

    printed = run_cli("ask", question, cwd=tmp_path).stdout
    assert "pages/bridge.html (extracted text), lines" in printed

    shown = run_cli("show", "pages/bridge.html", "--text", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout[start:end] == citation["quote"]
    summary = run_cli("show", "pages/bridge.html", cwd=tmp_path).stdout
    assert "Quarry bridge reopens" in summary and "assistant show pages/bridge.html --text" in summary

    missing = run_cli("show", "pages/other.html", cwd=tmp_path)
    assert (
        missing.returncode == 1 and "not indexed" in missing.stderr and "assistant sources" in missing.stderr
    )


def test_a_text_file_shows_as_itself(tmp_path: Path) -> None:
    text = "Ferry news\n\nThe Ostby ferry ran 14 times on Sunday, the harbour office said.\n"
    (tmp_path / "ferry.txt").write_text(text, encoding="utf-8")
    assert run_cli("ingest", "ferry.txt", cwd=tmp_path).returncode == 0
    assert run_cli("show", "ferry.txt", "--text", cwd=tmp_path).stdout == text
    (tmp_path / "ferry.txt").write_text(text.replace("14", "15"), encoding="utf-8")
    changed = run_cli("show", "ferry.txt", "--text", cwd=tmp_path)
    assert changed.returncode == 1 and "changed since it was indexed" in changed.stderr


def test_a_file_with_a_sidecar_or_an_outlet_shows_as_itself(tmp_path: Path) -> None:
    text = "Ferry news\n\nThe Ostby ferry ran 14 times on Sunday, the harbour office said.\n"
    for name in ("ferry.txt", "dock.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "ferry.txt.meta.json").write_text('{"outlet": "Ostby Post"}', encoding="utf-8")
    assert run_cli("ingest", "ferry.txt", cwd=tmp_path).returncode == 0
    assert run_cli("ingest", "dock.txt", "--outlet", "Harbour Herald", cwd=tmp_path).returncode == 0
    for name in ("ferry.txt", "dock.txt"):  # the metadata is part of the version, not a change
        shown = run_cli("show", name, "--text", cwd=tmp_path)
        assert shown.returncode == 0 and shown.stdout == text, shown.stderr
    (tmp_path / "ferry.txt").write_text(text.replace("14", "15"), encoding="utf-8")
    changed = run_cli("show", "ferry.txt", "--text", cwd=tmp_path)
    assert changed.returncode == 1 and "changed since it was indexed" in changed.stderr
