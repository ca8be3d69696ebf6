"""The one decode function: every reader of a source file's bytes goes through `decode`."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from assistant.errors import InputError, SkippedFile

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")
# charset-normalizer's "mess" of cp1252-decoded text above which the detector decides instead.
CP1252_MESS = 0.1
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of `raw` and the name of the encoding it was read with.

    A byte-order mark decides; else UTF-8 if the bytes are valid UTF-8; else cp1252 if they are
    valid cp1252 and read as text; else the encoding charset-normalizer finds.
    """
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte {exc.start + len(bom)}); convert it to UTF-8 and ingest again"
                ) from exc
    if raw.startswith(_BINARY_MAGIC) or b"\x00" in raw:
        raise SkippedFile(f"{path}: binary data (NUL bytes or an image/archive header), not text")
    text, encoding = _utf8(raw) or _cp1252(raw) or _detected(raw, path)
    if len(_CONTROL.findall(text[:65536])) > 0.05 * min(len(text), 65536):
        raise SkippedFile(f"{path}: mostly control characters, so binary data rather than text")
    return text, encoding


def _utf8(raw: bytes) -> tuple[str, str] | None:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None


def _cp1252(raw: bytes) -> tuple[str, str] | None:
    """Western news text in a legacy encoding is almost always cp1252 (Latin-1 plus curly quotes):
    read it so when every byte is defined there and the result reads as text, not as another
    alphabet's letters shown as Latin ones (cp1251 Cyrillic read as cp1252 is all accents)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # a byte cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        return None
    from charset_normalizer.md import mess_ratio

    return (text, "cp1252") if mess_ratio(text, CP1252_MESS) < CP1252_MESS else None


def _detected(raw: bytes, path: Path) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError(f"{path}: no text encoding fits its bytes; convert it to UTF-8 and ingest again")
    return str(best), best.encoding


def read_text(path: Path) -> str:
    """A source file's text exactly as ingest decoded it, so stored offsets point into it."""
    return decode(path.read_bytes(), path)[0]
