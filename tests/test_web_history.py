"""Conversation history in a real browser: kept per browser in the data dir, listed, reopened with
working markers, deleted, never shown to another browser; with `--auth`, per login.

The server and browser fixtures are those of `tests/test_ui.py` (one server for this module).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_ui
from tests.conftest import SEEDS, served
from tests.test_ui import QUESTION, AppServer, ask, open_page

app_server = test_ui.app_server
browser = test_ui.browser
viewport = test_ui.viewport

pytestmark = pytest.mark.slow


def history_options(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The labels of the history list, as the user sees them."""
    if not page.locator("#history-list").is_visible():
        page.locator("#history").get_by_text("History").first.click()
        page.locator("#history-list").wait_for()
    return list(page.locator("#history-list label").all_inner_texts())


def choose(page, label: str) -> None:  # type: ignore[no-untyped-def]
    history_options(page)
    page.locator("#history-list").get_by_label(label).check()


def test_each_browser_keeps_its_history_reopens_it_and_deletes_it(
    browser: object, app_server: AppServer, viewport: str
) -> None:
    page = open_page(browser, app_server, viewport)
    assert history_options(page) == []
    ask(page, QUESTION)
    page.wait_for_timeout(1000)  # saved after the answer
    [label] = history_options(page)
    assert label.startswith(QUESTION)

    page.reload()
    page.locator("#question textarea").wait_for()
    assert page.locator("#chat [data-testid='bot']").count() == 0  # a fresh page ...
    page.wait_for_timeout(1000)
    assert history_options(page) == [label]  # ... still lists it
    choose(page, label)
    page.locator("#history-open").click()
    bot = page.locator("#chat [data-testid='bot']").last
    bot.wait_for(timeout=10_000)
    assert "71 days" in bot.inner_text()
    bot.locator(".cite-marker").first.click()  # the reopened answer's markers still open quotes
    page.locator("#article mark.quote").wait_for(timeout=10_000)

    saved = list((app_server.cwd / "index" / "conversations").rglob("*.json"))
    assert any(QUESTION in path.read_text() for path in saved)
    other = open_page(browser, app_server, viewport)  # another browser: its own, empty, history
    other.wait_for_timeout(1000)
    assert label not in history_options(other)

    before = len(saved)
    choose(page, label)
    page.locator("#history-delete").click()
    page.wait_for_timeout(1000)
    assert label not in history_options(page)
    assert page.locator("#chat [data-testid='bot']").count() == 0  # the open one was deleted
    assert len(list((app_server.cwd / "index" / "conversations").rglob("*.json"))) == before - 1


SERVE_WITH_LOGIN = (
    "import sys; from assistant import Assistant; from assistant.interfaces.web import serve; "
    "a = Assistant(data_dir='index'); a.ingest(['seeds']); "
    "serve(a, port=int(sys.argv[1]), auth=('editor', 'right'))"
)


@pytest.fixture
def served_with_login(tmp_path: Path) -> Iterator[str]:
    """`serve --auth editor:right` over the seeds, in a subprocess."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    with served(SERVE_WITH_LOGIN, cwd=tmp_path) as url:
        yield url


def test_with_a_login_the_history_follows_the_user_to_another_browser(
    browser: object, served_with_login: str
) -> None:
    pages = []
    for _ in range(2):
        context = browser.new_context()  # type: ignore[attr-defined]
        context.request.post(f"{served_with_login}/login", form={"username": "editor", "password": "right"})
        page = context.new_page()
        page.goto(served_with_login)
        page.locator("#question textarea").wait_for(timeout=30_000)
        pages.append(page)
    page, elsewhere = pages
    ask(page, QUESTION)
    page.wait_for_timeout(1500)
    elsewhere.reload()
    elsewhere.locator("#question textarea").wait_for(timeout=30_000)
    elsewhere.wait_for_timeout(1000)
    assert any(o.startswith(QUESTION) for o in history_options(elsewhere))
