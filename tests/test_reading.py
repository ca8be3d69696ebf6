import codecs
import hashlib
import os
from pathlib import Path

import pytest

from assistant.errors import InputError, SkippedFile
from assistant.ingest.discovery import find_files, source_name
from assistant.ingest.reading import read_document
from assistant.ingest.titles import title_of
from assistant.text.dates import date_of
from tests.conftest import SEEDS


def test_seed_titles_and_dates() -> None:
    fox = read_document(SEEDS / "002_33031038dede83a4.txt")
    assert fox.date == "2022-05-05"
    assert fox.title.startswith("The battle for the Azovstal steel plant")  # not its site line
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


NEWS = (
    "The mayor said: “We will hold the city” – and the governor agreed.\n"
    "Prices at the café in Zaporizhzhia rose to 5€; it’s the “last stand”, officials said.\n"
)
LATIN = "Le maire a déclaré que la ville résisterait. Ça coûte très cher, a-t-il ajouté à Marioupol.\n"


@pytest.mark.parametrize(
    ("text", "codec", "reported"),
    [
        (NEWS, "cp1252", "cp1252"),
        (LATIN, "latin-1", "cp1252"),
        (NEWS, "utf-16", "utf-16"),  # with a BOM, in this machine's byte order
        (NEWS, "utf-16-be", "utf-16"),
        (NEWS, "utf-8-sig", "utf-8"),
        (NEWS, "utf-32", "utf-32"),
    ],
)
def test_legacy_and_utf16_text_is_decoded_and_its_encoding_reported(
    tmp_path: Path, text: str, codec: str, reported: str
) -> None:
    path = tmp_path / "legacy.txt"
    raw = text.encode(codec)
    if codec == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    path.write_bytes(raw)
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding.startswith(reported)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Café owner Jürgen Müller said “prices rose” in March.\n", "cp1252"),  # was read as cp775
        (
            "Café owner Jürgen Müller said “prices rose” in March.\n"
            "The crème brûlée at Lefèvre’s cost 5€ – “too much”, he said.\n",  # was read as cp1250
            "cp1252",
        ),
        ("Der Bürgermeister sagte, die Lage sei äußerst schwierig.\n", "cp1252"),
        # Valid cp1252 bytes that do not read as text there: the detector decides.
        ("Мэр Мариуполя Вадим Бойченко заявил, что эвакуация продолжится.\n", "cp1251"),
    ],
)
def test_legacy_news_prefers_cp1252_when_it_reads_as_text(tmp_path: Path, text: str, codec: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(codec))
    doc = read_document(path)
    assert (doc.text, doc.encoding) == (text, codec)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"   \n\t ", "empty"),
        (b"text\x00with nul", "binary"),
        (PNG, "binary"),
        (b"GIF89a" + bytes(range(1, 9)) * 40, "binary"),
        (bytes(range(1, 32)) * 20 + b"abc", "control characters"),
    ],
)
def test_binary_and_empty_files_are_skipped_with_the_file_name(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SkippedFile, match=reason) as error:
        read_document(path)
    assert "bad.txt" in str(error.value)


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("Words of a long article. " * 50_000)  # 1.25 MB
    with pytest.raises(InputError, match=r"huge.txt: 1.2 MB is over the 1 MB limit.*--max-file-mb"):
        read_document(path, max_bytes=1_000_000)
    assert read_document(path, max_bytes=2_000_000).text.startswith("Words")


def test_broken_links_special_files_and_unreadable_files_are_reported(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "good.txt").write_text("A good article.")
    (news / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(news / "pipe.txt")
    (news / "io-error.txt").symlink_to("/proc/self/mem")  # reading it fails even for root
    found = {p.name: why for p, why in find_files([news, news / "gone.txt"])}
    assert found["good.txt"] is None
    assert found["gone.txt"] is not None and found["gone.txt"].startswith("broken symbolic link")
    assert found["pipe.txt"] is not None and "not a regular file" in found["pipe.txt"]
    assert found["io-error.txt"] is None
    with pytest.raises(InputError, match=r"io-error\.txt: cannot read"):
        read_document(news / "io-error.txt")
