"""Uploads in the browser: same-named files never replace each other's articles, and Gradio's
copy of an upload is deleted once read (never served by `/gradio_api/file=`).

The server and browser fixtures are those of `tests/test_ui.py` (one server for this module).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import test_ui
from tests.test_ui import PLACE, AppServer, open_page, upload

# The fixtures of the browser tests: a server of this module's own, the browser, both viewports.
app_server = test_ui.app_server
browser = test_ui.browser
viewport = test_ui.viewport

pytestmark = pytest.mark.slow

ARTICLES = {
    "library": "{place} library news\n\nThe {place} library lent 4,210 books to {place} readers in May.\n",
    "zoo": "{place} zoo news\n\nThe {place} zoo welcomed two red pandas named Kiri and Moss.\n",
    "bakery": "{place} bakery news\n\nThe {place} bakery sold 900 rye loaves at the spring fair.\n",
}
QUESTIONS = {
    "library": "How many books did the {place} library lend?",
    "zoo": "Which animals did the {place} zoo welcome?",
    "bakery": "How many rye loaves did the {place} bakery sell?",
}


def write(folder: Path, name: str, text: str) -> Path:
    """An article made for the test."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def table_rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The Sources table's rows, read again from the index."""
    page.get_by_role("tab", name="Chat").click()
    page.get_by_role("tab", name="Sources").click()
    page.wait_for_timeout(1500)
    return list(page.locator("#sources-table tbody tr").all_inner_texts())


def upload_next(page, paths: list[Path]) -> str:  # type: ignore[no-untyped-def]
    """Like `upload`, for a page that already shows a status: waits for the new one."""
    summary = "#ingest-status p:first-of-type"  # the result's first line, not Gradio's progress
    before = page.locator(summary).inner_text()
    page.locator("#upload input[type=file]").set_input_files([str(p) for p in paths])
    for path in paths:
        page.locator("#upload").get_by_text(path.stem, exact=True).first.wait_for(timeout=20_000)
    page.locator("#ingest").click()
    page.wait_for_function(
        """([sel, before]) => { const p = document.querySelector(sel);
                                return p && p.innerText !== before && p.innerText.includes('Ingested:'); }""",
        arg=[summary, before],
        timeout=90_000,
    )
    return str(page.locator("#ingest-status").inner_text())


def _ask_api(app: AppServer, question: str) -> dict:  # type: ignore[type-arg]
    from gradio_client import Client

    return dict(Client(app.url, verbose=False).predict(question, api_name="/ask"))


def test_same_named_uploads_never_replace_another_article(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    name = f"same-{place}.txt"
    files = {
        kind: write(tmp_path / folder, name, ARTICLES[kind].format(place=place))
        for folder, kind in (("a", "library"), ("b", "zoo"), ("c", "bakery"))
    }
    solo = f"solo-{place}.txt"
    first_solo = write(tmp_path / "a", solo, f"{place} ferry news\n\nThe {place} ferry ran 12 times.\n")
    second_solo = write(tmp_path / "c", solo, f"{place} ferry news\n\nThe {place} ferry ran 14 times.\n")
    uploads = app_server.cwd / "index" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours\n")
    (uploads / name).symlink_to(outside)  # a planted link under the name being uploaded
    page = open_page(browser, app_server, viewport)

    status = upload(page, [files["library"], files["zoo"], first_solo])
    assert "3 added, 0 replaced" in status and "not ingested" not in status, status
    # The second batch: a third file of the shared name, and a new version of a unique one.
    status = upload_next(page, [files["bakery"], second_solo])
    assert "1 added, 1 replaced, 0 unchanged" in status, status
    notes = page.locator("#upload-notes").inner_text()
    assert f"{name}: added beside 2 other" in notes and f"{solo}: a new version" in notes, notes

    rows = table_rows(page)
    for kind in ARTICLES:
        assert any(f"{place} {kind} news" in row for row in rows), (kind, rows)
    kept = sorted(p.read_text() for p in uploads.glob(f"*/{name}"))
    assert kept == sorted(path.read_text() for path in files.values())
    assert [p.read_text() for p in uploads.glob(f"*/{solo}")] == [second_solo.read_text()]
    assert outside.read_text() == "not yours\n" and (uploads / name).is_symlink()
    for kind, question in QUESTIONS.items():
        result = _ask_api(app_server, question.format(place=place))
        cited = {(app_server.cwd / c["source"]).read_text() for c in result["citations"]}
        assert files[kind].read_text() in cited, (kind, result["text"])


def _uploaded_paths(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Record the paths Gradio's upload route answers with (its copies of the picked files)."""
    paths: list[str] = []

    def seen(response) -> None:  # type: ignore[no-untyped-def]
        if "/gradio_api/upload" in response.url and response.ok:
            paths.extend(json.loads(response.text()))

    page.on("response", seen)
    return paths


def _served(app: AppServer, path: str) -> bool:
    try:
        with urllib.request.urlopen(f"{app.url}/gradio_api/file={path}", timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def test_gradio_copies_of_uploads_are_deleted_and_kept_in_a_private_folder(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    good = write(tmp_path, f"kept-{place}.txt", f"{place} canal news\n\nThe {place} canal reopened.\n")
    binary = tmp_path / f"photo-{place}.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    page = open_page(browser, app_server, viewport)
    paths = _uploaded_paths(page)
    status = upload(page, [good, binary])
    assert "1 added" in status and "1 not ingested" in status, status
    assert len(paths) == 2, paths
    private = (app_server.cwd / "index" / "web-temp").resolve()
    for path in paths:
        assert Path(path).resolve().is_relative_to(private), path  # never the shared /tmp/gradio
        assert not Path(path).exists(), path
        assert not _served(app_server, path), path
    assert not any(private.rglob(good.name)) and not any(private.rglob(binary.name))


def test_an_ordinary_input_error_leaves_no_traceback_in_the_server_log(app_server: AppServer) -> None:
    from gradio_client import Client

    with pytest.raises(Exception, match="The question is empty"):
        Client(app_server.url, verbose=False).predict("   ", api_name="/ask")
    log = (app_server.cwd / "server.log").read_text(errors="replace")
    assert "Traceback" not in log and "InputError" not in log, log[-2000:]
