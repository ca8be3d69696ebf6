"""What a reader of the web chat is told about a source: its title and outlet in prose and cards
(the exact path one click away), and for HTML what the offsets of a citation count in.

The server and browser fixtures are those of `tests/test_ui.py` (one server for this module).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_ui
from tests.test_ui import PLACE, AppServer, ask, open_page, upload

app_server = test_ui.app_server
browser = test_ui.browser
viewport = test_ui.viewport

pytestmark = pytest.mark.slow


def write(folder: Path, name: str, text: str) -> Path:
    """An article made for the test."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_sources_are_named_by_title_with_the_exact_path_in_the_detail(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    name = f"notes-{place}.txt"
    crane = write(
        tmp_path / "a",
        name,
        f'{place} crane back at work\n\n"The {place} crane lifts 40 tonnes again after 17 days of '
        f'repairs," harbour master Ines Kolb said on Tuesday.\n',
    )
    write(tmp_path / "b", name, f"{place} school fair\n\nThe {place} school fair raised 900 euros.\n")
    page = open_page(browser, app_server, viewport)
    upload(page, [crane, tmp_path / "b" / name])
    table = page.locator("#sources-table")
    assert f"{place} crane back at work" in table.inner_text() and "uploads/" not in table.inner_text()

    page.get_by_role("tab", name="Chat").click()
    ask(page, f"How many tonnes can the {place} crane lift?")
    answer = page.locator("#chat [data-testid='bot']").last.inner_text()
    assert f"in “{place} crane back at work”" in answer, answer  # the article, not notes-...txt
    assert name not in answer and "uploads/" not in answer
    card = page.locator("#citations .citation-card").first
    assert f"{place} crane back at work" in card.inner_text() and "uploads/" not in card.inner_text()
    card.locator(".citation-path summary").click()
    path = card.locator(".citation-path code").inner_text()
    assert path.startswith("index/uploads/") and path.endswith(name)
    assert (app_server.cwd / path).read_text() == crane.read_text()


PAGE = (
    "<!doctype html><html><head><title>{place} quarry bridge reopens</title></head><body>"
    "<h1>{place} quarry bridge reopens</h1>"
    "<p>The {place} quarry bridge reopened on Friday after 41 days of repairs.</p></body></html>\n"
)


def test_an_html_citation_says_its_offsets_count_in_the_extracted_text(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    page_file = write(tmp_path, f"bridge-{place}.html", PAGE.format(place=place))
    page = open_page(browser, app_server, viewport)
    upload(page, [page_file])
    page.get_by_role("tab", name="Chat").click()
    ask(page, f"How many days of repairs did the {place} quarry bridge need?")
    card = page.locator("#citations .citation-card").first
    copied = card.locator(".copy-text").text_content() or ""
    assert f"bridge-{place}.html (extracted text), lines" in copied, copied
    page.locator("#chat [data-testid='bot']").last.locator(".cite-marker").first.click()
    note = page.locator("#article .extracted-note")
    note.wait_for(timeout=10_000)
    assert "text extracted from" in note.inner_text() and "--text" in note.inner_text()
    shown = page.locator("#article .article-text").inner_text()
    chars = copied.split(", chars ", 1)[1].split(":", 1)[0]
    start, end = (int(n) for n in chars.split("-"))
    quote = copied.split(': "', 1)[1].rstrip('"')
    assert shown[start:end] == quote and "<p>" not in shown


MARKDOWN = (
    "# The *Marlin* returns to {place}\n\n"
    "**Port officials** said the *Marlin* docked at {place} after 23 days at sea; see "
    "[the port site](http://127.0.0.1:9/port) and ![a photo](http://127.0.0.1:9/p.png) for <b>details</b>.\n"
)


def test_markdown_of_an_md_source_reads_as_text_never_as_html(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    text = MARKDOWN.format(place=place)
    path = write(tmp_path, f"marlin-{place}.md", text)
    page = open_page(browser, app_server, viewport)
    upload(page, [path])
    assert f"The Marlin returns to {place}" in page.locator("#sources-table").inner_text()
    page.get_by_role("tab", name="Chat").click()
    ask(page, f"How many days was the Marlin at sea before it docked at {place}?")
    bot = page.locator("#chat [data-testid='bot']").last
    answer = bot.inner_text()
    assert f"Port officials said the Marlin docked at {place} after 23 days at sea" in answer, answer
    assert "the port site" in answer and "<b>details</b>" in answer  # document HTML stays text
    for syntax in ("**", "*Marlin*", "](", "!["):
        assert syntax not in answer, syntax
    # Never markup from the document (the only bold is our own "Sources agree" heading).
    assert bot.locator("strong, em, a, img, b:not(.agreement > b)").count() == 0
    card = page.locator("#citations .citation-card").first
    assert f"The Marlin returns to {place}" in card.inner_text()
    bot.locator(".cite-marker").first.click()
    page.locator("#article mark.quote").wait_for(timeout=10_000)
    assert page.locator("#article .article-text").inner_text() == text  # the article as written
    assert page.locator("#article img, #article a, #citations img").count() == 0
    assert not [url for url in page.requests if "127.0.0.1:9/" in url]
