"""The web chat in a real browser (Debian's chromium, driven by Playwright) and over gradio_client.

One app server (a subprocess with its own working directory, so source paths stay valid while
each test changes directory) serves every test of this module.
"""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.answers.rendering import as_html
from assistant.answers.rendering import escape_html as inert
from assistant.errors import LanguageModelError
from assistant.interfaces.web_chat import ChatApp
from assistant.models import Answer
from tests.conftest import SEEDS, free_port, served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "How long have the defenders been fighting?"
SERVE = (
    "import sys; from assistant import Assistant; from assistant.interfaces.web import serve; "
    "a = Assistant(data_dir='index'); a.ingest(['seeds']); serve(a, port=int(sys.argv[1]))"
)
MARKUP = (
    "<script>alert(1)</script> Zorbania harbour news\n\n"
    "The Zorbania harbour reopened after 12 days of repairs <img src=x onerror=alert(2)>.\n\n"
    'Officials said <iframe src="http://127.0.0.1:{port}/frame"></iframe> the Zorbania harbour '
    "reopened to ships on Monday.\n\n"
    "Read [the Zorbania report](javascript:alert(3)) and see "
    "![harbour](http://127.0.0.1:{port}/track.png) for the harbour photos ${{alert(4)}} {{{{x}}}}.\n"
)

pytestmark = pytest.mark.slow


@dataclass
class AppServer:
    url: str
    cwd: Path


class Tracker(http.server.BaseHTTPRequestHandler):
    """Records every request: a rendered document must never make one."""

    seen: list[str] = []  # noqa: RUF012 (shared on purpose: the server makes new handlers)

    def do_GET(self) -> None:
        Tracker.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Silence."""


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """`serve` over the seeds, in a subprocess on 127.0.0.1."""
    cwd = tmp_path_factory.mktemp("ui")
    shutil.copytree(SEEDS, cwd / "seeds")
    with served(SERVE, cwd=cwd) as url:
        yield AppServer(url, cwd)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium, headless; Playwright never downloads a browser here."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def tracker() -> Iterator[int]:
    """A local HTTP server that records requests; yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


VIEWPORTS = {"desktop": {"width": 1400, "height": 900}, "mobile": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Each browser test runs on a desktop (1400x900) and a phone (390x844) viewport."""
    return str(request.param)


def open_page(browser: object, app: AppServer, viewport: str = "desktop", query: str = ""):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own session) on the app; records requests and dialogs."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=VIEWPORTS[viewport],
        has_touch=viewport == "mobile",  # a phone is tapped
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.requests, page.dialogs = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app.url + query)
    page.locator("#question textarea").wait_for()
    return page


def open_tab(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Open a tab; on a phone, the tabs that do not fit are under "More tabs"."""
    tab = page.get_by_role("tab", name=name)
    if not tab.is_visible():
        page.get_by_role("button", name="More tabs").click()
        tab = page.locator(".overflow-dropdown button", has_text=name)
    tab.click()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    """Type a question, send it and wait for the finished answer."""
    before = page.locator("#chat [data-testid='bot']").count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function(
        """n => { const bots = document.querySelectorAll('#chat [data-testid="bot"]');
                  return bots.length > n && bots[bots.length - 1].querySelector(
                      '.cite-marker:not(.pending), .ungrounded, .problem') !== null; }""",
        arg=before,
        timeout=60_000,
    )
    page.locator("#question textarea").fill("")


def upload(page, paths: list[Path]) -> str:  # type: ignore[no-untyped-def]
    """Upload files on the Sources tab, ingest them and return the status text."""
    page.get_by_role("tab", name="Sources").click()
    page.locator("#upload input[type=file]").set_input_files([str(p) for p in paths])
    for path in paths:
        page.locator("#upload").get_by_text(path.stem, exact=True).first.wait_for(timeout=20_000)
    page.locator("#ingest").click()
    page.locator("#ingest-status").get_by_text("Ingested:").first.wait_for(timeout=90_000)
    return str(page.locator("#ingest-status").inner_text())


def test_streamed_answer_with_markers_opens_highlighted_quote(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    page = open_page(browser, app_server, viewport)
    # Record every distinct state of the answer bubble: streaming shows it before it is done.
    page.evaluate(
        """() => { window.states = new Set(); new MutationObserver(() => {
             const bot = document.querySelector('#chat [data-testid="bot"]');
             if (bot) window.states.add(bot.innerText); })
           .observe(document.querySelector('#chat'),
                    {subtree: true, childList: true, characterData: true}); }"""
    )
    ask(page, QUESTION)
    assert page.evaluate("window.states.size") >= 2
    answer = page.locator("#chat [data-testid='bot']").last
    assert "71 days" in answer.inner_text()
    markers = answer.locator(".cite-marker:not(.agreement .cite-marker)")  # the answer's own, not the notes'
    assert markers.count() >= 1 and markers.first.inner_text() == "[1]"
    assert page.locator("#citations .citation-card").count() == markers.count()

    markers.last.tap() if viewport == "mobile" else markers.last.click()
    quote = page.locator("#article mark.quote")
    quote.wait_for(timeout=10_000)
    meta = page.locator("#article .citation-meta").inner_text().split(" · ")
    lines = next(part for part in meta if part.startswith("line"))
    source = page.locator("#article .citation-path code").text_content() or ""
    text = (app_server.cwd / source).read_text(encoding="utf-8-sig")
    assert quote.inner_text() in text and "71 days" in quote.inner_text()
    assert lines.startswith("line")
    page.wait_for_timeout(300)
    box = quote.bounding_box()
    view = page.locator("#article .html-container").bounding_box()
    assert box and view and view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"]
    # ... and on the page: a phone, whose article sits below the chat, brings it into view.
    assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORTS[viewport]["height"]
    page.screenshot(path=tmp_path / "answer.png")
    assert not page.dialogs


def test_markup_in_a_document_renders_inert(
    browser: object, app_server: AppServer, tracker: int, tmp_path: Path
) -> None:
    evil = tmp_path / "zorbania.md"
    evil.write_text(MARKUP.format(port=tracker), encoding="utf-8")
    page = open_page(browser, app_server)
    status = upload(page, [evil])
    assert "1 added" in status
    table = page.locator("#sources-table").inner_text()
    assert "<script>alert(1)</script> Zorbania harbour news" in table

    page.get_by_role("tab", name="Chat").click()
    ask(page, "When did the Zorbania harbour reopen after repairs?")
    answer = page.locator("#chat [data-testid='bot']").last
    assert "<img src=x onerror=alert(2)>" in answer.inner_text()
    answer.locator(".cite-marker").first.click()
    page.locator("#article mark.quote").wait_for(timeout=10_000)
    article = page.locator("#article").inner_text()
    for literal in (
        "<script>alert(1)</script>",
        "<iframe src=",
        "](javascript:alert(3))",
        "![harbour](",
        "${alert(4)}",
    ):
        assert literal in article
    page.wait_for_timeout(500)
    page.screenshot(path=tmp_path / "markup.png")

    assert not page.dialogs
    assert not Tracker.seen
    assert all(url.startswith(app_server.url) for url in page.requests)
    for selector in ("#chat img", "#citations img", "#article img", "iframe", "a[href^='javascript']"):
        assert page.locator(selector).count() == 0, selector
    assert page.locator("#chat script, #citations script, #article script").count() == 0


def test_two_browser_sessions_keep_separate_histories(browser: object, app_server: AppServer) -> None:
    first = open_page(browser, app_server)
    second = open_page(browser, app_server)
    ask(first, QUESTION)
    ask(second, "What did Palamar ask the world community?")
    ask(first, "Who is Sviatoslav Palamar?")
    first_questions = first.locator("#chat [data-testid='user']").all_inner_texts()
    second_questions = second.locator("#chat [data-testid='user']").all_inner_texts()
    assert first_questions == [QUESTION, "Who is Sviatoslav Palamar?"]
    assert second_questions == ["What did Palamar ask the world community?"]


def test_upload_ingests_good_file_and_reports_binary_one(
    browser: object, app_server: AppServer, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(
        "Quiet week in Tallinn\n\nThe Tallinn ferry timetable did not change.\n", encoding="utf-8"
    )
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    page = open_page(browser, app_server)
    status = upload(page, [good, binary])
    page.screenshot(path=tmp_path / "upload.png")
    assert "1 added" in status
    assert "picture.txt" in status and "1 not ingested" in status
    assert "good.txt" in page.locator("#sources-table").inner_text()
    assert "picture.txt" not in page.locator("#sources-table").inner_text()


def test_ask_endpoint_returns_answer_with_exact_citations(app_server: AppServer) -> None:
    from gradio_client import Client

    result = Client(app_server.url, verbose=False).predict(QUESTION, api_name="/ask")
    assert result["grounded"] is True
    assert result["citations"]
    for citation in result["citations"]:
        text = (app_server.cwd / citation["source"]).read_text(encoding="utf-8-sig")
        assert text[citation["start_char"] : citation["end_char"]] == citation["quote"]
        assert f"[{citation['n']}]" in result["text"]


class _Unreachable:
    """An assistant whose language model is down: the first thing `stream` does is fail."""

    message = "The language model openai:gpt failed (ConnectError). Check its server."

    def stream(self, question: str, history: object = None, sources: object = None, k: object = None):  # type: ignore[no-untyped-def]
        raise LanguageModelError(self.message)
        yield  # a generator, like the real one


def test_failure_is_shown_in_the_chat(tmp_path: Path) -> None:
    app = ChatApp(_Unreachable())  # type: ignore[arg-type]
    *_, (_, messages, _, _, turns) = app.respond(QUESTION, [], None, 5, "offline")
    assert inert(_Unreachable.message) in messages[-1]["content"]
    assert turns[-1].error


def test_escaping_leaves_no_markup() -> None:
    text = "<img src=x onerror=alert(1)> ![x](http://e/x.png) [a](javascript:alert(1)) ${x}"
    escaped = inert(text)
    for dangerous in ("<", ">", "](", "![", "${", "javascript:"):
        assert dangerous not in escaped
    answer = Answer("q", "Nothing here.", [], [], False, [], "extractive")
    assert "No answer found in the indexed sources" in as_html(answer, str)


def test_conflicting_sources_show_a_disagree_block_and_speakers(
    browser: object, app_server: AppServer
) -> None:
    page = open_page(browser, app_server)
    ask(page, "Were Russian troops driven out of Azovstal?")
    answer = page.locator("#chat [data-testid='bot']").last
    block = answer.locator(".agreement.conflict").first
    assert "Sources disagree" in block.inner_text() and "Arestovych" in block.inner_text()
    cards = page.locator("#citations .citation-card")
    body_markers = answer.locator(".cite-marker").count() - answer.locator(".agreement .cite-marker").count()
    assert cards.count() == body_markers
    note_marker = block.locator(".cite-marker").first  # a note's markers open their quotes too
    number = note_marker.inner_text()
    note_marker.click()
    page.locator("#article mark.quote").wait_for(timeout=10_000)
    assert page.locator("#article .citation-card").inner_text().startswith(number)
    speakers = page.locator("#citations .speaker").all_inner_texts()
    assert "Oleksiy Arestovych (Ukrainian presidential advisor)" in speakers
    assert "Sviatoslav Palamar (Deputy Commander of Azov regiment)" in speakers
    assert not page.dialogs


def test_agreement_notes_are_escaped() -> None:
    from assistant.models import Agreement, Citation

    citation = Citation(
        n=1,
        source="a.txt",
        title="t",
        date=None,
        start_char=0,
        end_char=5,
        start_line=1,
        end_line=1,
        quote="Hello",
    )
    note = "<img src=x onerror=alert(1)> [1] and ![x](http://e/x.png) [1] contradict each other."
    agreements = [Agreement("conflict", [1], note)]
    answer = Answer("q", "Hello [1]", [citation], [], True, [], "extractive", agreements)
    html = as_html(answer, lambda n: f'<button class="cite-marker cite-0-{n}">[{n}]</button>')
    assert "<img" not in html and "](" not in html and html.count("cite-marker") == 3  # the note's too
    assert 'class="agreement conflict"' in html


# Every printable ASCII character, straight apostrophes and Markdown that must stay literal.
LITERAL = (
    "Tarnby dock's status, per the harbour master's note: **14 to 3** in favour, _not_ `final`; "
    "# not a heading; 1. not a list; <b>not bold</b> & [not](a link) ~x~ |a|b| {c} $d \\e ^f @g %h =i +j "
    '"quoted" ?/ 0-9!'
)


def _article(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _open_first_citation(page) -> str:  # type: ignore[no-untyped-def]
    """Click the last answer's first marker; the article's text as shown."""
    page.locator("#chat [data-testid='bot']").last.locator(".cite-marker").first.click()
    page.locator("#article mark.quote").wait_for(timeout=10_000)
    return str(page.locator("#article .article-text").inner_text())


PLACE = {"desktop": "Tarnby", "mobile": "Sorvik"}  # each viewport's articles name their own place


def test_text_shows_exactly_as_written(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    text = (
        f"{place} dock reopens\n\n"
        f"The {place} dock's crane vote ended {LITERAL}.\n\n"
        f"Harbour master Ilse Varga said the {place} dock's crane will run again on Monday.\n"
    )
    path = _article(tmp_path / "in", f"{place}.txt", text)  # plain text: every character as written
    page = open_page(browser, app_server, viewport)
    upload(page, [path])
    assert f"{place} dock reopens" in page.locator("#sources-table").inner_text()
    page.get_by_role("tab", name="Chat").click()
    question = f"What's the {place} dock's crane vote?"
    ask(page, question)
    assert page.locator("#chat [data-testid='user']").last.inner_text().strip() == question
    answer = page.locator("#chat [data-testid='bot']").last.inner_text()
    assert "&#" not in answer and LITERAL in answer and f"{place} dock's" in answer
    shown = _open_first_citation(page)
    assert shown == text
    assert page.locator("#chat strong, #chat em, #chat h1, #chat ol, #chat a").count() == 0


def test_escaped_text_renders_as_itself(browser: object) -> None:
    """Property: for any text (all of printable ASCII and beyond), the page shows exactly it."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from assistant.interfaces.web_panels import highlighted

    page = browser.new_page()  # type: ignore[attr-defined]
    alphabet = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(alphabet=alphabet | st.sampled_from("'\"&<>#*_`[]()!$\\{}"), min_size=1))
    def check(text: str) -> None:
        html = (
            f'<div class="article-text" style="white-space: pre-wrap">{highlighted(text, 0, len(text))}</div>'
        )
        page.set_content(html)
        assert page.locator(".article-text").evaluate("e => e.textContent") == text

    check()
    page.close()


ENCODED = {
    # German: charset-normalizer may name cp1250 for a short text, which decodes these alike.
    "cp1252": "Ferry returns to {place} \u2013 \u201cgro\u00dfe Freude\u201d\n\n"
    "The ferry \u201cK\u00f6nigin\u201d returned to {place} after 19 days, the caf\u00e9 owner "
    "J\u00fcrgen M\u00fcller said; the fare is 12 \u20ac and the Stra\u00dfe to the pier is open.\n",
    "utf-16": "{place} bridge toll ends\n\nThe {place} bridge toll ended after 23 years, "
    "mayor Jörg Øster said on Tuesday.\n",
}


def test_cp1252_and_utf16_sources_are_cited(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    texts = {name: text.format(place=place) for name, text in ENCODED.items()}
    paths = [
        _article(tmp_path / "in", f"ferry-{place}.txt", texts["cp1252"], "cp1252"),
        _article(tmp_path / "in", f"bridge-{place}.txt", texts["utf-16"], "utf-16"),
    ]
    page = open_page(browser, app_server, viewport)
    status = upload(page, paths)
    assert "not ingested" not in status
    page.get_by_role("tab", name="Chat").click()
    for question, text in (
        (f"How many days until the ferry Königin returned to {place}?", texts["cp1252"]),
        (f"How long did the {place} bridge toll last?", texts["utf-16"]),
    ):
        ask(page, question)
        answer = page.locator("#chat [data-testid='bot']").last
        assert answer.locator(".problem").count() == 0, answer.inner_text()
        assert _open_first_citation(page) == text
        assert page.locator("#article mark.quote").inner_text() in text


def _table_rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Chat").click()
    page.get_by_role("tab", name="Sources").click()
    page.wait_for_timeout(1500)
    return list(page.locator("#sources-table tbody tr").all_inner_texts())


def test_sources_and_choices_are_read_from_the_index(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    page = open_page(browser, app_server, viewport)  # opened before the CLI ingest below
    place = PLACE[viewport]
    path = _article(
        app_server.cwd / "cli",
        f"cli-{place}.txt",
        f"{place} tram line opens\n\nThe {place} tram carried 8,000 riders.\n",
    )
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "assistant"),
            "--data-dir",
            "index",
            "ingest",
            str(path),
            "--wait",
            "60",
        ],
        cwd=app_server.cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = _table_rows(page)
    assert any(f"cli-{place}.txt" in r and f"{place} tram line opens" in r for r in rows), rows
    page.locator("#chosen").get_by_label(f"{place} tram line opens · cli-{place}.txt").check()
    page.get_by_role("tab", name="Chat").click()
    ask(page, "How many riders did the tram carry?")
    cited = page.locator("#citations .citation-meta").all_inner_texts()
    assert cited and all(f"cli-{place}.txt" in c for c in cited), cited


def test_titles_skip_dates_and_site_lines(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    place = PLACE[viewport]
    path = _article(
        tmp_path,
        f"council-{place}.txt",
        f"date 2024-03-02 NEW You can now listen to Example News articles!\n2 March 2024\n"
        f"{place} council approves new budget\n\nThe {place} council approved the budget on Friday.\n",
    )
    page = open_page(browser, app_server, viewport)
    upload(page, [path])
    row = next(r for r in _table_rows(page) if f"council-{place}.txt" in r)
    assert f"{place} council approves new budget" in row and "listen" not in row


def test_copy_a_citation_and_the_whole_message(browser: object, app_server: AppServer, viewport: str) -> None:
    page = open_page(browser, app_server, viewport)
    ask(page, QUESTION)
    card = page.locator("#citations .citation-card").first
    card.get_by_role("button", name="Copy citation").click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    source, rest = copied.split(", lines ", 1)
    lines, rest = rest.split(", chars ", 1)
    chars, quote = rest.split(": ", 1)
    start, end = (int(x) for x in chars.split("-"))
    text = (app_server.cwd / source).read_text(encoding="utf-8-sig")
    assert quote == f'"{text[start:end]}"'
    assert lines.split("-")[0].isdigit()

    page.locator("#chat [data-testid='bot']").last.get_by_role("button", name="Copy message").click()
    page.wait_for_timeout(300)
    message = page.evaluate("navigator.clipboard.readText()")
    assert "71 days" in message and "[1] " in message and "chars " in message
    for raw in ("<", "&#", "cite-marker", "Copy message"):
        assert raw not in message


def test_chat_follows_the_answer_and_streams_claim_by_claim(
    browser: object, app_server: AppServer, viewport: str
) -> None:
    page = open_page(browser, app_server, viewport)
    page.evaluate(
        """() => { window.states = []; new MutationObserver(() => {
             const bots = document.querySelectorAll('#chat [data-testid="bot"]');
             const bot = bots[bots.length - 1];
             if (bot) window.states.push([bot.innerText, bot.querySelectorAll('.cite-marker.pending').length,
                                          bot.querySelectorAll('.cite-marker:not(.pending)').length]); })
           .observe(document.querySelector('#chat'),
                    {subtree: true, childList: true, characterData: true}); }"""
    )
    ask(page, "Were Russian troops driven out of Azovstal?")
    states = page.evaluate("window.states")
    final = states[-1][0]
    partial = [s for s in states if s[1] > 0 and s[2] == 0 and s[0].strip() not in ("", "…")]
    assert partial, "no claim was shown before the whole answer"
    assert any(len(s[0]) < len(final) for s in partial)
    # The reader scrolled down (the question box at the top of the screen, the chat above it):
    # a second answer still comes into view.
    page.locator("#question").evaluate("e => e.scrollIntoView({block: 'start'})")
    ask(page, QUESTION)
    last = page.locator("#chat [data-testid='bot']").last
    bot = last.bounding_box()
    assert bot and bot["y"] < VIEWPORTS[viewport]["height"] and bot["y"] + bot["height"] > 0
    assert last.evaluate(
        """e => { const log = e.closest('.bubble-wrap') || e.parentElement;
                  const r = e.getBoundingClientRect(), box = log.getBoundingClientRect();
                  return r.bottom > box.top && r.top < box.bottom; }"""
    )


def _contrast(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    return float(
        page.locator(selector).first.evaluate(
            """e => {
              const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
              const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
              let node = e, bg = null;
              while (node && node.nodeType === 1) { const c = rgb(getComputedStyle(node).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { bg = c; break; }
                node = node.parentElement; }
              bg = bg || rgb(getComputedStyle(document.body).backgroundColor);
              const fg = rgb(getComputedStyle(e).color);
              const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
              return (a + 0.05) / (b + 0.05); }"""
        )
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_welcome_examples_labels_contrast_and_model_hint(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str, theme: str
) -> None:
    place = PLACE[viewport]
    speaker = {"desktop": "Marta Kowalczyk", "mobile": "Tomas Lindqvist"}[viewport]
    path = _article(
        tmp_path,
        f"quay-{place}-{theme}.txt",
        f"{place} quay repairs {theme}\n\n"
        f"“The {place} quay will be safe by June,” {speaker} said on Monday.\n",
    )
    page = open_page(browser, app_server, viewport, "" if theme == "light" else "?__theme=dark")
    assert page.get_by_role("heading", name="News source assistant").is_visible()
    assert "every claim" in page.locator("#intro").inner_text()
    assert page.get_by_label("Your question").count() == 1
    upload(page, [path])
    page.get_by_role("tab", name="Chat").click()
    examples = page.locator("#examples button").all_inner_texts()
    assert examples and all(e.strip() for e in examples)
    page.locator("#examples button").first.click()
    page.wait_for_function(
        '() => document.querySelectorAll(\'#chat [data-testid="bot"] .cite-marker:not(.pending), '
        "#chat .ungrounded').length > 0",
        timeout=60_000,
    )
    page.locator("#chat [data-testid='bot']").last.locator(".cite-marker").first.click()
    page.locator("#article mark.quote").wait_for(timeout=10_000)
    for selector in (
        "#intro p",
        "#citations .citation-meta",
        "#chat .cite-marker",
        "#article .article-text",
        "#citations .copy-button",
        "#citations .citation-path summary",
    ):
        assert _contrast(page, selector) >= 4.5, selector
    open_tab(page, "Settings")
    assert "--llm" in page.locator("#model-hint").inner_text()
    assert _contrast(page, "#model-hint p") >= 4.5


def test_uploads_take_html_and_pdf_drop_rejected_files_and_remove_with_confirmation(
    browser: object, app_server: AppServer, tmp_path: Path, viewport: str
) -> None:
    from fpdf import FPDF

    place = PLACE[viewport]
    page_html = _article(
        tmp_path,
        f"pier-{place}.html",
        f"<html><head><title>{place} pier reopens</title></head><body><article><h1>{place} pier reopens</h1>"
        f"<p>The {place} pier reopened after a storm closed it for 11 days, the port office said on Friday. "
        "Fishing boats returned in the morning and the ferry timetable is back to normal.</p>"
        "</article></body></html>",
    )
    pdf = FPDF()
    pdf.set_title(f"{place} lighthouse restored")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(0, 8, f"The {place} lighthouse was restored at a cost of 2 million crowns.")
    pdf.output(str(tmp_path / f"lighthouse-{place}.pdf"))
    binary = tmp_path / f"scan-{place}.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    page = open_page(browser, app_server, viewport)

    page.get_by_role("tab", name="Sources").click()
    accept = page.locator("#upload input[type=file]").get_attribute("accept") or ""
    assert all(kind in accept for kind in (".txt", ".md", ".html", ".htm", ".pdf")), accept
    page.locator("#ingest").click()
    hint = page.locator("#ingest-status")
    hint.get_by_text("Choose one or more").wait_for(timeout=20_000)
    assert hint.locator(".problem").count() == 0 and "(nothing)" not in hint.inner_text()

    status = upload(page, [page_html, tmp_path / f"lighthouse-{place}.pdf", binary])
    assert "2 added" in status and f"scan-{place}.txt" in status
    uploads = app_server.cwd / "index" / "uploads"
    assert not list(uploads.glob(f"*/scan-{place}.txt"))
    rows = _table_rows(page)
    assert any(f"{place} pier reopens" in r for r in rows) and any(
        f"{place} lighthouse restored" in r for r in rows
    )

    source, label = f"pier-{place}.html", f"{place} pier reopens · pier-{place}.html"  # title, file
    page.locator("#removal input").fill(source)
    page.get_by_role("option", name=label).click()
    page.locator("#remove").click()
    page.locator("#remove-no").click()
    assert any(source in r for r in _table_rows(page))
    page.locator("#removal input").fill(source)
    page.get_by_role("option", name=label).click()
    page.locator("#remove").click()
    page.locator("#ingest-status").get_by_text("from the index?").wait_for(timeout=20_000)
    page.locator("#remove-yes").click()
    page.locator("#ingest-status").get_by_text("Removed").wait_for(timeout=30_000)
    assert not any(source in r for r in _table_rows(page))
    assert not list(uploads.glob(f"*/pier-{place}.html"))


def test_an_upload_never_writes_through_a_link(tmp_path: Path) -> None:
    import hashlib

    from assistant.interfaces.web_uploads import KEY_CHARS, save_uploads

    upload = _article(tmp_path / "in", "link.txt", "Ferry news\n\nThe ferry runs again.\n")
    uploads = tmp_path / "uploads"
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours\n")
    key = hashlib.sha256(upload.read_bytes()).hexdigest()[:KEY_CHARS]
    (uploads / key).mkdir(parents=True)
    (uploads / "link.txt").symlink_to(outside)
    (uploads / key / "link.txt").symlink_to(outside)  # exactly where the upload goes
    [saved], problems = save_uploads([str(upload)], uploads, 10_000)
    assert not problems and saved.name == "link.txt" and not saved.path.is_symlink()
    assert saved.path.read_text() == upload.read_text() and outside.read_text() == "not yours\n"

    other = tmp_path / "elsewhere"
    other.mkdir()
    linked = tmp_path / "linked-uploads"
    linked.symlink_to(other)  # the uploads folder itself a link: refused
    saved_files, problems = save_uploads([str(upload)], linked, 10_000)
    assert not saved_files and problems and not list(other.iterdir())


SERVE_WITH_MODEL = (
    "import sys; from assistant import Assistant; from assistant.interfaces.web import serve; "
    "a = Assistant(data_dir='index', llm='openai:scripted', llm_base_url=sys.argv[2]); "
    "a.ingest(['seeds']); serve(a, port=int(sys.argv[1]))"
)


@pytest.fixture(scope="module")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """`serve` with a language model: a scripted OpenAI-compatible server speaking the real protocol."""
    from tests.test_llm import FakeOpenAI

    fake = FakeOpenAI()

    def script(prompt: str) -> str:
        n = next(
            m.group(1)
            for m in re.finditer(r"<<<PASSAGE (\d+) (\w+)>>>(.*?)<<<END PASSAGE \1 \2>>>", prompt, re.S)
            if "for 71 days" in m.group(3)
        )
        return (
            f"The defenders of the city have been fighting alone for 71 days, Palamar said [{n}]. "
            f"The defenders surrendered to the enemy on Monday [{n}]. "
            f"The defenders show such endurance and heroism, Palamar said [{n}]."
        )

    fake.script = script
    cwd = tmp_path_factory.mktemp("ui-model")
    shutil.copytree(SEEDS, cwd / "seeds")
    try:
        with served(SERVE_WITH_MODEL, fake.url, cwd=cwd, OPENAI_API_KEY="test-key") as url:
            yield AppServer(url, cwd)
    finally:
        fake.server.shutdown()


def test_a_model_answer_streams_checked_sentences_then_the_answer(
    browser: object, model_server: AppServer, viewport: str
) -> None:
    page = open_page(browser, model_server, viewport)
    open_tab(page, "Settings")
    page.get_by_label("Language model (openai:scripted)").check()
    page.get_by_role("tab", name="Chat").click()
    page.evaluate(
        """() => { window.states = []; new MutationObserver(() => {
             const bots = document.querySelectorAll('#chat [data-testid="bot"]');
             const bot = bots[bots.length - 1];
             if (bot) window.states.push(bot.innerText); })
           .observe(document.querySelector('#chat'),
                    {subtree: true, childList: true, characterData: true}); }"""
    )
    ask(page, QUESTION)
    states = page.evaluate("window.states")
    # The sentence its source does not support ("surrendered") is never shown, not even while the
    # model writes it (that checked sentences stream before the end: test_llm, test_verification).
    assert states and not any("surrendered" in s for s in states)
    answer = page.locator("#chat [data-testid='bot']").last
    assert "71 days" in answer.inner_text() and answer.locator(".cite-marker:not(.pending)").count() >= 1
    assert "surrendered" not in answer.inner_text()


def test_any_text_shows_in_the_chat_as_written(browser: object) -> None:
    """Property: any question and error text (all printable ASCII and beyond) shows as written."""
    import gradio as gr
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from assistant.interfaces.web import conversation
    from assistant.interfaces.web_assets import CSS
    from assistant.interfaces.web_chat import Turn, messages_of

    with gr.Blocks() as app:
        source = gr.Textbox(elem_id="source")
        show = gr.Button("Show", elem_id="show")
        chat = conversation()
        show.click(lambda text: messages_of([Turn(text, error=text)]), source, chat)
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"http://127.0.0.1:{port}")
    alphabet = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
    printable = st.sampled_from([chr(c) for c in range(32, 127)])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(alphabet=printable | alphabet, min_size=1).filter(lambda t: t.strip()))
    def check(text: str) -> None:
        shown = " ".join(text.split())  # a chat bubble, like any HTML, folds runs of white space
        page.locator("#source textarea").fill(text)
        page.locator("#show").click()
        user = page.locator("#chat [data-testid='user']")
        page.wait_for_function(
            "want => { const u = document.querySelector('#chat [data-testid=\"user\"]');"
            " return u && u.innerText.split(/\\s+/).join(' ').trim() === want; }",
            arg=shown,
            timeout=10_000,
        )
        assert " ".join(user.inner_text().split()) == shown
        problem = page.locator("#chat .problem").inner_text()
        assert " ".join(problem.split()) == f"⚠ {shown}"

    try:
        check()
    finally:
        page.close()
        app.close()
