"""The Speakers tab in a real browser (Debian's chromium, Playwright), desktop and phone.

The app serves articles made here: one person quoted by two outlets under two spellings and two
roles, a second person who contradicts her, and a statement full of markup that must stay text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.attribution.quotes import find_quotes
from tests.conftest import served
from tests.test_ui import VIEWPORTS, AppServer, browser, open_page, open_tab, viewport  # noqa: F401 (fixtures)

HERALD = (
    "Iskar bridge closed\n\n"
    "“The bridge over the Iskar was closed to traffic on Monday,” said Ana Petrova, the city’s mayor.\n\n"
    "“Repairs will take <img src=x onerror=alert(1)> two weeks,” Petrova said.\n"
)
COURIER = (
    "Bridge dispute\n\n"
    "“The bridge over the Iskar was not closed to traffic on Monday,” said Boris Kolev, "
    "a police spokesman.\n\n"
    "“Nobody was hurt on the bridge,” Mayor Ana Petrowa told reporters.\n"
)
SERVE = (
    "import sys; from assistant import Assistant; from assistant.interfaces.web import serve; "
    "a = Assistant(data_dir='index'); a.ingest(['articles']); serve(a, port=int(sys.argv[1]))"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """`serve` over the made articles, in a subprocess on 127.0.0.1."""
    cwd = tmp_path_factory.mktemp("speakers-ui")
    articles = cwd / "articles"
    articles.mkdir()
    for name, text, outlet, date in (
        ("herald.txt", HERALD, "The Herald", "2024-03-04"),
        ("courier.txt", COURIER, "The Courier", "2024-03-05"),
    ):
        (articles / name).write_text(text, encoding="utf-8")
        meta = {"outlet": outlet, "date": date}
        (articles / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with served(SERVE, cwd=cwd) as url:
        yield AppServer(url, cwd)


def press(page, locator, device: str) -> None:  # type: ignore[no-untyped-def]
    """A tap on a phone, a click on a desktop."""
    locator.tap() if device == "mobile" else locator.click()


def open_speakers(page) -> None:  # type: ignore[no-untyped-def]
    """The Speakers tab (on a phone, under "More tabs")."""
    open_tab(page, "Speakers")
    page.locator("#speaker-list .speaker-pick").first.wait_for(timeout=60_000)


def test_choosing_a_speaker_and_opening_a_statement_highlights_the_files_characters(
    browser: object,  # noqa: F811
    app_server: AppServer,
    viewport: str,  # noqa: F811
) -> None:
    page = open_page(browser, app_server, viewport)
    open_speakers(page)
    rows = page.locator("#speaker-list tbody tr")
    names = [rows.nth(i).locator(".speaker-pick").inner_text() for i in range(rows.count())]
    assert names.count("Ana Petrova") == 1 and "Ana Petrowa" not in names  # one person, one entry
    petrova = rows.filter(has_text="Ana Petrova")
    assert "the city’s mayor" in petrova.inner_text() and "Mayor" in petrova.inner_text()
    press(page, petrova.locator(".speaker-pick"), viewport)
    cards = page.locator("#speaker-statements .statement-card")
    cards.first.wait_for(timeout=60_000)
    assert cards.count() == 3
    assert [cards.nth(i).locator(".citation-meta").first.inner_text().split(" · ")[:2] for i in range(3)] == [
        ["The Herald", "2024-03-04"],
        ["The Herald", "2024-03-04"],
        ["The Courier", "2024-03-05"],
    ]
    press(page, cards.nth(2).locator(".statement-pick"), viewport)
    mark = page.locator("#speaker-article mark.quote")
    mark.wait_for(timeout=60_000)
    file_text = (app_server.cwd / "articles" / "courier.txt").read_text(encoding="utf-8")
    said = [q for q in find_quotes(file_text, "courier.txt") if "hurt" in q.quote]
    assert mark.inner_text() == file_text[said[0].start_char : said[0].end_char]
    if viewport == "mobile":  # nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["mobile"]["width"]
    assert not page.dialogs


def test_a_contradiction_is_flagged_and_markup_stays_text(
    browser: object,  # noqa: F811
    app_server: AppServer,
    viewport: str,  # noqa: F811
) -> None:
    page = open_page(browser, app_server, viewport)
    open_speakers(page)
    press(page, page.locator("#speaker-list .speaker-pick", has_text="Ana Petrova"), viewport)
    flag = page.locator("#speaker-statements .dispute")
    flag.first.wait_for(timeout=60_000)
    assert "Boris Kolev" in flag.first.inner_text() and "not close" in flag.first.inner_text()
    statements = page.locator("#speaker-statements")
    assert "<img src=x onerror=alert(1)>" in statements.inner_text()
    press(page, statements.locator(".statement-pick").nth(1), viewport)
    page.locator("#speaker-article mark.quote").wait_for(timeout=60_000)
    assert "<img src=x" in page.locator("#speaker-article").inner_text()
    assert page.locator("#speaker-statements img, #speaker-article img").count() == 0
    assert not page.dialogs


def test_the_search_box_narrows_the_list(browser: object, app_server: AppServer) -> None:  # noqa: F811
    page = open_page(browser, app_server)
    open_speakers(page)
    page.locator("#speaker-search textarea, #speaker-search input").first.fill("police")
    page.wait_for_function(
        "() => document.querySelectorAll('#speaker-list .speaker-pick').length === 1", timeout=30_000
    )
    assert page.locator("#speaker-list .speaker-pick").inner_text() == "Boris Kolev"
