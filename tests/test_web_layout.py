"""The chat's layout measured in the DOM of a real browser, on a desktop (1400x900) and a phone
(390x844): what is on the first screen, target sizes, where a chosen quote lands, scroll areas,
and what follows a click.

The server and browser fixtures are those of `tests/test_ui.py` (one server for this module).
"""

from __future__ import annotations

import pytest

from tests import test_ui
from tests.test_ui import QUESTION, VIEWPORTS, AppServer, ask, open_page

app_server = test_ui.app_server
browser = test_ui.browser
viewport = test_ui.viewport

pytestmark = pytest.mark.slow
CONFLICT = "Were Russian troops driven out of Azovstal?"
# Elements that scroll on their own (besides the page): a phone should have one, the chat.
SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(e => {
    const style = getComputedStyle(e);
    return /(auto|scroll)/.test(style.overflowY) && e.scrollHeight > e.clientHeight + 1
        && e.offsetParent !== null; }).map(e => e.closest('[id]') ? e.closest('[id]').id : e.className)"""


def test_first_screen_targets_and_the_chosen_quote(
    browser: object, app_server: AppServer, viewport: str
) -> None:
    height = VIEWPORTS[viewport]["height"]
    page = open_page(browser, app_server, viewport)
    box = page.locator("#question textarea").bounding_box()
    assert box and box["y"] + box["height"] <= height, box  # the question box is on the first screen
    ask(page, CONFLICT)
    markers = page.locator("#chat [data-testid='bot']").last.locator(".cite-marker")
    for n in range(markers.count()):
        size = markers.nth(n).bounding_box()
        assert size and size["width"] >= 24 and size["height"] >= 24, size  # WCAG 2.5.8
    first = markers.first
    tip = first.get_attribute("title") or ""
    assert tip.startswith("[1] ") and "“" in tip  # hovering previews the source and its quote

    first.tap() if viewport == "mobile" else first.click()
    quote = page.locator("#article mark.quote")
    quote.wait_for(timeout=10_000)
    page.wait_for_timeout(600)
    if viewport == "mobile":
        spot = quote.bounding_box()
        assert spot and spot["y"] >= 0.1 * height and spot["y"] + min(spot["height"], 200) <= 0.9 * height
        back = page.locator("#article .back-to-chat")
        place = back.bounding_box()
        assert place and place["y"] >= 0 and place["y"] + place["height"] <= height, place
        assert place["height"] >= 44
        assert page.evaluate(SCROLLERS) == ["chat"]  # no panel scrolls inside the page
        back.tap()
        page.wait_for_timeout(600)
        chat = page.locator("#chat").bounding_box()
        assert chat and -1 <= chat["y"] <= 0.5 * height


def test_the_passages_panel_follows_the_chosen_marker(browser: object, app_server: AppServer) -> None:
    page = open_page(browser, app_server, "desktop")
    ask(page, CONFLICT)
    markers = page.locator("#chat [data-testid='bot']").last.locator(".cite-marker")
    assert markers.count() >= 4
    markers.nth(markers.count() - 1).click()
    selected = page.locator("#citations .citation-card.selected")
    selected.wait_for(timeout=10_000)
    page.wait_for_timeout(600)
    card, panel = selected.bounding_box(), page.locator("#citations .html-container").bounding_box()
    assert card and panel and panel["y"] - 1 <= card["y"] < panel["y"] + panel["height"] - 20, (card, panel)
    # The chat's label never sits over its first line: it is for screen readers only.
    assert not page.locator("#chat").get_by_text("Conversation", exact=True).is_visible()
    block_marker = page.locator("#chat .agreement .cite-marker").first
    assert block_marker.bounding_box()  # the notes' markers are buttons too


def test_the_sources_tab_fits_and_the_chosen_filter_shows_in_the_chat(
    browser: object, app_server: AppServer, viewport: str
) -> None:
    page = open_page(browser, app_server, viewport)
    page.get_by_role("tab", name="Sources").click()
    table = page.locator("#sources-table table")
    table.wait_for(timeout=20_000)
    widths = table.evaluate("t => [t.scrollWidth, t.closest('.html-container, #sources-table').clientWidth]")
    assert widths[0] <= widths[1], widths  # never wider than its column
    labels = page.locator("#chosen label")
    assert labels.count() >= 2
    for n in range(labels.count()):
        inner, outer = labels.nth(n).evaluate("l => [l.scrollWidth, l.clientWidth]")
        assert inner <= outer + 1, (inner, outer)
    label = labels.first.inner_text()
    labels.first.click()
    page.get_by_role("tab", name="Chat").click()
    note = page.locator("#filter-note")
    note.get_by_text("Answering only from 1 chosen source").wait_for(timeout=10_000)
    assert label.split(" · ")[0].rstrip("…") in note.inner_text()
    ask(page, QUESTION)  # and the answer comes from it alone
