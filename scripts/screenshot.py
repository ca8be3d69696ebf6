"""Take docs/screenshot.png (desktop, 1400x900) and docs/screenshot-mobile.png (phone, 390x844):
a real answer over the seeds, with one citation opened in its article.

Run from the repository root: `.venv/bin/python scripts/screenshot.py`. Needs Debian's chromium
(`apt-get install chromium`); the index is built in a temporary folder and thrown away.
"""

from __future__ import annotations

import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

from assistant import Assistant
from assistant.interfaces.web import serve

QUESTION = "How long have the defenders been fighting?"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def capture(url: str, target: Path, width: int, height: int) -> None:
    """Ask QUESTION at `url`, open the last citation and save the page to `target`."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        phone = width < 900  # tapped, as a phone is: markers at their touch size
        page = browser.new_page(viewport={"width": width, "height": height}, has_touch=phone)
        page.goto(url)
        page.locator("#question textarea").fill(QUESTION)
        page.locator("#question textarea").press("Enter")
        markers = page.locator("#chat .cite-marker:not(.pending)")
        markers.first.wait_for(timeout=120_000)
        markers.last.tap() if phone else markers.last.click()
        page.locator("#article mark.quote").wait_for(timeout=10_000)
        page.wait_for_timeout(800)
        page.screenshot(path=target)
        browser.close()


def take(capture: Callable[[str, Path, int, int], None], targets: dict[Path, tuple[int, int]]) -> None:
    """Index the seeds in a temporary folder, serve them and `capture` each target (width, height)."""
    with tempfile.TemporaryDirectory() as data_dir:
        assistant = Assistant(data_dir=data_dir)
        assistant.ingest(["seeds"])
        port = free_port()
        app = serve(assistant, port=port, block=False)
        try:
            for target, (width, height) in targets.items():
                capture(f"http://127.0.0.1:{port}", target, width, height)
                print(f"wrote {target}", file=sys.stderr)
        finally:
            app.close()


def main() -> None:
    """Take the chat screenshots on a desktop and a phone."""
    take(capture, {Path("docs/screenshot.png"): (1400, 900), Path("docs/screenshot-mobile.png"): (390, 844)})


if __name__ == "__main__":
    main()
