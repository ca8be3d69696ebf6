"""How sources are named to people, and Markdown of `.md` sources read as text (no model needed)."""

import pytest

from assistant.answers.rendering import (
    citation_reference,
    claim_lead,
    quoted,
    short_title,
    source_name,
    where,
)
from assistant.models import Citation
from assistant.text.markdown import markdown_as_text

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def _citation(**fields: object) -> Citation:
    base: dict[str, object] = {
        "n": 2,
        "source": "uploads/9cf7724a1b2c/same.txt",
        "title": "Velmar harbour crane returns to work after 17 days of repairs on the quay",
        "date": None,
        "start_char": 10,
        "end_char": 40,
        "start_line": 3,
        "end_line": 3,
        "quote": "The crane lifts 40 tonnes again.",
    }
    return Citation(**{**base, **fields})  # type: ignore[arg-type]


def test_prose_names_outlet_and_short_title_never_the_path() -> None:
    assert short_title("for the Ukrainian defenders of the plant", 20) == "for the Ukrainian…"
    plain = _citation()
    assert where(plain) == "“Velmar harbour crane returns to work after 17 days of…”"
    assert where(_citation(outlet="AFP")).startswith("AFP, “Velmar harbour crane")
    assert where(_citation(title="")) == "same.txt"  # the file name only without a title
    assert source_name("a.txt", "Crane [1] returns") == "“Crane (1) returns”"  # never a marker
    spoken = claim_lead(_citation(speaker="Ines Kolb", role="harbour master"))
    assert spoken.startswith("Ines Kolb (harbour master), in “Velmar harbour crane")
    assert "uploads/" not in spoken


def test_an_extracted_citation_says_what_its_offsets_count_in() -> None:
    pdf = _citation(source="docs/bridge.pdf", extracted=".assistant/extracted/ab-cd.txt", page=2)
    assert citation_reference(pdf).startswith(
        "docs/bridge.pdf (extracted text), lines 3-3, page 2, chars 10-40"
    )
    assert pdf.label().startswith("docs/bridge.pdf (extracted text), lines 3-3, page 2")
    assert citation_reference(_citation()).startswith("uploads/9cf7724a1b2c/same.txt, lines 3-3, chars")


def test_markdown_reads_as_its_words_and_html_stays_text() -> None:
    text = "**Port officials** said *Marlin* left; see [the port site](http://x.y/p) and ![a photo](p.png)."
    assert markdown_as_text(text) == "Port officials said Marlin left; see the port site and a photo."
    assert markdown_as_text("<b>bold</b> & `code` a\\*b") == "<b>bold</b> & code a*b"
    md = _citation(source="notes/marlin.md", quote="**Port officials** said so.")
    assert quoted(md) == "Port officials said so." and md.quote == "**Port officials** said so."
    assert quoted(_citation(quote="**kept** in a .txt")) == "**kept** in a .txt"
