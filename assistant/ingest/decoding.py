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
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of `raw` and the name of the encoding it was read with."""
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
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise InputError(
                f"{path}: no text encoding fits its bytes; convert it to UTF-8 and ingest again"
            ) from None
        text, encoding = str(best), best.encoding
    if len(_CONTROL.findall(text[:65536])) > 0.05 * min(len(text), 65536):
        raise SkippedFile(f"{path}: mostly control characters, so binary data rather than text")
    return text, encoding


def read_text(path: Path) -> str:
    """A source file's text exactly as ingest decoded it, so stored offsets point into it."""
    return decode(path.read_bytes(), path)[0]
