"""Take docs/screenshot-speakers.png (desktop, 1400x900) and docs/screenshot-speakers-mobile.png
(phone, 390x844): the Speakers tab over the seeds, one speaker chosen and a statement opened.

Run from the repository root: `.venv/bin/python scripts/screenshot_speakers.py`. Needs Debian's
chromium (`apt-get install chromium`); the index is built and served as `scripts/screenshot.py`
does it, in a temporary folder thrown away after.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright
from screenshot import CHROMIUM, CHROMIUM_ARGS, take

SPEAKER = "Sviatoslav Palamar"


def capture(url: str, target: Path, width: int, height: int) -> None:
    """Open the Speakers tab at `url`, choose SPEAKER, open a statement and save the page to `target`."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.locator("#question textarea").wait_for(timeout=60_000)
        tab = page.get_by_role("tab", name="Speakers")
        if not tab.count():  # a phone: under "More tabs"
            page.get_by_role("button", name="More tabs").click()
            tab = page.locator(".overflow-dropdown button", has_text="Speakers")
        tab.click()
        page.locator("#speaker-list .speaker-pick", has_text=SPEAKER).click()
        page.locator("#speaker-statements .statement-pick").nth(3).click()
        page.locator("#speaker-article mark.quote").wait_for(timeout=60_000)
        page.locator("#speaker-list").scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path=target)
        browser.close()


def main() -> None:
    """Take the Speakers tab screenshots on a desktop and a phone."""
    take(
        capture,
        {
            Path("docs/screenshot-speakers.png"): (1400, 900),
            Path("docs/screenshot-speakers-mobile.png"): (390, 844),
        },
    )


if __name__ == "__main__":
    main()
