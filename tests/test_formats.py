"""HTML pages and PDF articles: ingested from real files, cited with exact offsets into the
stored extracted text (and page numbers for PDF); citations are also checked by conftest."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.ingest.reading import read_document
from tests.conftest import line_of

HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Dam breach floods Kherson villages | Harbour Herald</title>
<meta property="og:site_name" content="Harbour Herald">
<meta property="og:title" content="Dam breach floods Kherson villages">
<meta property="article:published_time" content="2023-06-06T08:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li>Subscribe now</li></ul></nav>
<article>
<h1>Dam breach floods Kherson villages</h1>
<p>KHERSON - Water poured through the breached Kakhovka dam on Tuesday, flooding at least
24 villages downstream, officials said.</p>
<p>&ldquo;The water is still rising and we are evacuating everyone we can reach,&rdquo; said Oleksandr
Prokudin, the head of the Kherson regional military administration.</p>
<p>The Kremlin denied that Russian forces had blown up the dam. &ldquo;This is deliberate sabotage by
the Ukrainian side,&rdquo; Kremlin spokesman Dmitry Peskov told reporters.</p>
<p>Engineers said the reservoir could take weeks to drain and that drinking water for the
region's towns was at risk.</p>
</article>
<footer>Copyright 2023 Harbour Herald. All rights reserved. Cookie settings.</footer>
</body></html>
"""

PDF_PAGES = [
    [
        "Grain corridor talks resume in Istanbul",
        "ISTANBUL - Negotiators from Ukraine, Russia, Turkey and the United Nations met on Monday",
        "to discuss extending the Black Sea grain corridor, which has carried 32 million tonnes",
        "of food since last summer.",
    ],
    [
        '"We need the corridor open for the whole season," said Mustafa Kaya, a Turkish',
        "trade official.",
        "Russian Deputy Foreign Minister Sergei Vershinin said that Moscow would not agree to an",
        "extension unless its own exports were freed from restrictions.",
    ],
]


def write_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Grain corridor talks resume in Istanbul")
    pdf.set_font("Helvetica", size=11)
    for lines in PDF_PAGES:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "kherson.html").write_text(HTML, encoding="utf-8")
    write_pdf(folder / "grain.pdf")
    return folder


def test_html_main_text_and_metadata(articles: Path) -> None:
    document = read_document(articles / "kherson.html")
    assert document.title == "Dam breach floods Kherson villages"
    assert document.outlet == "Harbour Herald" and document.date == "2023-06-06"
    assert "Water poured through the breached Kakhovka dam" in document.text
    assert "Subscribe now" not in document.text and "Cookie settings" not in document.text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ferry service to Aska resumes - Coast Courier", "Ferry service to Aska resumes"),
        ("Coast Courier | Ferry service to Aska resumes", "Ferry service to Aska resumes"),
        ("Ferry service to Aska resumes", "Ferry service to Aska resumes"),
        ("Coast Courier", "Live updates"),  # a title that is only the site's name: the heading
    ],
)
def test_the_html_title_is_the_pages_title_not_its_heading(tmp_path: Path, title: str, expected: str) -> None:
    page = tmp_path / "ferry.html"
    page.write_text(
        f"<html><head><title>{title}</title>"
        '<meta property="og:site_name" content="Coast Courier"></head><body><article>'
        "<h1>Live updates</h1><p>The ferry to Aska sailed again on Tuesday after a week in the dock, "
        "the operator said, and the timetable of the summer will apply from next week.</p>"
        "<p>Passengers who bought tickets for the cancelled crossings will get their money back.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    document = read_document(page)
    assert document.title == expected and document.outlet == "Coast Courier"


def test_pdf_text_is_reflowed_with_a_page_map(articles: Path) -> None:
    document = read_document(articles / "grain.pdf")
    assert document.title == "Grain corridor talks resume in Istanbul"
    assert len(document.page_starts) == 2 and document.page_starts[0] == 0
    second = document.text[document.page_starts[1] :]
    assert second.startswith(
        '"We need the corridor open for the whole season," said Mustafa Kaya, a Turkish trade'
    )
    assert "has carried 32 million tonnes of food since last summer." in document.text  # lines joined


def test_html_and_pdf_are_ingested_and_cited_exactly(
    articles: Path, store_options: dict[str, object], tmp_path: Path
) -> None:
    assistant = Assistant(**store_options)  # type: ignore[arg-type]
    report = assistant.ingest([articles])
    assert sorted(report.added) == ["web/grain.pdf", "web/kherson.html"] and not report.failed

    answer = assistant.ask("How many villages were flooded after the dam breach?")
    first = answer.citations[0]
    assert first.source == "web/kherson.html" and first.extracted  # names the original file
    stored = (tmp_path / first.extracted).read_text(encoding="utf-8")
    assert stored[first.start_char : first.end_char] == first.quote and "24 villages" in first.quote
    assert first.start_line == line_of(stored, first.start_char) and first.outlet == "Harbour Herald"
    assert first.page is None

    answer = assistant.ask("What did the Turkish trade official say about the grain corridor?")
    cited = next(c for c in answer.citations if "whole season" in c.quote)
    assert cited.source == "web/grain.pdf" and cited.extracted
    stored = (tmp_path / cited.extracted).read_text(encoding="utf-8")
    assert stored[cited.start_char : cited.end_char] == cited.quote
    page_two = stored.index('"We need the corridor')
    assert cited.page == (1 if cited.start_char < page_two else 2) and cited.end_page == 2
    kaya = assistant.quotes(speaker="Kaya")
    assert [(q.role, q.page, q.kind) for q in kaya] == [("a Turkish trade official", 2, "direct")]
    assert kaya[0].extracted == cited.extracted
    assert stored[kaya[0].start_char : kaya[0].end_char] == "We need the corridor open for the whole season"

    peskov = assistant.quotes(speaker="Peskov")
    assert [(q.source, q.role) for q in peskov] == [("web/kherson.html", "Kremlin spokesman")]
    vershinin = assistant.quotes(speaker="Vershinin")
    assert vershinin[0].kind == "reported" and vershinin[0].page == 2
    assert vershinin[0].role == "Russian Deputy Foreign Minister"
    assert assistant.ingest([articles]).unchanged == ["web/grain.pdf", "web/kherson.html"]
