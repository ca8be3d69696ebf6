import os
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.reading import date_of, find_files, read_document, source_name, title_of
from tests.conftest import SEEDS


def test_seed_titles_and_dates() -> None:
    fox = read_document(SEEDS / "002_33031038dede83a4.txt")
    assert fox.date == "2022-05-05"
    assert fox.title.startswith("date 2022-05-05 NEW You can now listen to Fox News")
    afp = read_document(SEEDS / "000_729b03bd7a238ff7.txt")
    assert afp.title.startswith("MARIUPOL-A Ukrainian commander")
    assert afp.date is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Published May 5, 2022 by staff", "2022-05-05"),
        ("Kyiv, 12 March 2023 - the city", "2023-03-12"),
        ("Sept. 1, 2021: schools open", "2021-09-01"),
        ("Updated 2024-02-30 is no date but 2024-02-03 is", "2024-02-03"),
        ("Nothing here, 71 days, 2022 only", None),
    ],
)
def test_dates_the_text_states(text: str, date: str | None) -> None:
    assert date_of(text) == date


def test_title_is_the_first_non_empty_line_shortened() -> None:
    assert title_of("\n\n  Headline here  \nBody") == "Headline here"
    long = title_of("x" * 500)
    assert len(long) == 160 and long.endswith("…")


def test_bom_is_dropped_and_newlines_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfHello\r\nWorld\n")
    doc = read_document(path)
    assert doc.text == "Hello\r\nWorld\n"
    assert len(doc.sha256) == 64


def test_source_is_relative_to_the_working_directory_when_inside_it(tmp_path: Path, seeds: Path) -> None:
    assert source_name(seeds / "000_729b03bd7a238ff7.txt") == "seeds/000_729b03bd7a238ff7.txt"
    assert source_name(Path("seeds/../seeds/000_729b03bd7a238ff7.txt")) == "seeds/000_729b03bd7a238ff7.txt"
    outside = Path(os.path.abspath(tmp_path / ".." / "elsewhere.txt"))
    assert source_name(outside) == outside.as_posix()


def test_folders_are_walked_recursively_and_bad_paths_reported(tmp_path: Path) -> None:
    (tmp_path / "news" / "deep" / ".hidden").mkdir(parents=True)
    (tmp_path / "news" / "a.txt").write_text("a")
    (tmp_path / "news" / "deep" / "b.md").write_text("b")
    (tmp_path / "news" / "deep" / "c.docx").write_text("c")  # .pdf and .html are read (formats.py)
    (tmp_path / "news" / "deep" / ".hidden" / "d.txt").write_text("d")
    (tmp_path / "photo.jpg").write_text("x")
    found = list(find_files(["news", "missing.txt", "photo.jpg"]))
    assert [(p.as_posix(), why) for p, why in found[:2]] == [("news/a.txt", None), ("news/deep/b.md", None)]
    assert found[2][1] == "no such file or directory"
    assert found[3][1] is not None and "only .txt, .md, .html, .htm and .pdf" in found[3][1]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"caf\xe9 au lait", "not valid UTF-8"), (b"   \n\t ", "empty"), (b"text\x00with nul", "NUL")],
)
def test_unreadable_text_is_refused_with_the_file_name(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as error:
        read_document(path)
    assert "bad.txt" in str(error.value)
