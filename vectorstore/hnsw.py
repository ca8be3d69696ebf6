"""A damage check of embedded Chroma's vector-index files, run before Chroma's native code reads them.

Chroma keeps each collection's HNSW graph in a folder of the data dir (`header.bin`,
`data_level0.bin`, `link_lists.bin`; `length.bin` holds vector norms) and its native code
trusts them: a neighbour id beyond the number of elements makes it read outside its memory and
the process dies with SIGSEGV, printing nothing. This reads the files with numpy and checks
what the native code relies on (the header's sizes agree, every link count is within bounds
and every neighbour id names an element), so a damaged file is an `IndexDamagedError` instead
of a crash. The layout is hnswlib's, as Chroma 1.5 writes it; `tests/test_store.py`'s damage test fails when
a release changes it (a clean index would no longer pass).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from vectorstore.errors import IndexDamagedError

# version, offsetLevel0, max_elements, cur_element_count, size_data_per_element, label_offset,
# offsetData, maxlevel, enterpoint_node, maxM, maxM0, M, mult, ef_construction
_HEADER = struct.Struct("<iQQQQQQiIQQQdQ")
_COUNT_MASK = 0xFFFF  # a link list starts with its length in the low two bytes (the rest: flags)
_checked: dict[Path, tuple[tuple[int, int], ...]] = {}


def check_vector_files(data_dir: Path) -> None:
    """Raise IndexDamagedError when a vector-index folder in `data_dir` is not what Chroma wrote.

    A folder is checked again only when one of its files changed since it last passed.
    """
    for header in sorted(data_dir.glob("*/header.bin")):
        folder = header.parent
        stamp = _stamp(folder)
        if _checked.get(folder) == stamp:
            continue
        problem = _problem(folder)
        if problem is not None:
            raise IndexDamagedError(
                f"The index in data dir {data_dir} is damaged (vector index {folder.name}: {problem}). "
                "Run `assistant reindex` to rebuild it from the source files."
            )
        _checked[folder] = stamp


def _stamp(folder: Path) -> tuple[tuple[int, int], ...]:
    stats = [
        (folder / name).stat()
        for name in ("header.bin", "data_level0.bin", "link_lists.bin")
        if (folder / name).exists()
    ]
    return tuple((s.st_size, s.st_mtime_ns) for s in stats)


def _problem(folder: Path) -> str | None:
    """What is wrong with the HNSW files in `folder`, or None."""
    raw = (folder / "header.bin").read_bytes()
    if len(raw) != _HEADER.size:
        return f"header.bin is {len(raw)} bytes, not {_HEADER.size}"
    _, _, capacity, count, per_element, label_at, data_at, top_level, entry, max_m, max_m0, _, _, _ = (
        _HEADER.unpack(raw)
    )
    if not (0 < max_m <= 4096 and 0 < max_m0 <= 4096 and data_at == 4 + 4 * max_m0):
        return "header.bin holds impossible link sizes"
    sizes_agree = label_at + 8 == per_element and data_at < label_at
    if not (count <= capacity and sizes_agree and -1 <= top_level < 64):
        return "header.bin holds impossible element sizes"
    if count == 0:
        return None
    if entry >= count:
        return "the entry point is not an element"
    level0 = folder / "data_level0.bin"
    if not level0.exists() or level0.stat().st_size < count * per_element:
        return "data_level0.bin is shorter than its elements"
    elements = np.fromfile(level0, dtype=np.uint8, count=count * per_element).reshape(count, per_element)
    links = np.ascontiguousarray(elements[:, :data_at]).view("<u4")
    problem = _links_problem(links, max_m0, count, "data_level0.bin")
    if problem is not None:
        return problem
    return _upper_levels_problem(folder, count, max_m)


def _links_problem(links: np.ndarray, most: int, count: int, name: str) -> str | None:
    """Rows of (length, neighbour ids...): lengths within `most`, ids below `count`."""
    lengths = links[:, 0] & _COUNT_MASK
    if (lengths > most).any():
        return f"{name} holds a link list longer than {most}"
    used = np.arange(links.shape[1] - 1) < lengths[:, None]
    if (links[:, 1:][used] >= count).any():
        return f"{name} links to an element that does not exist"
    return None


def _upper_levels_problem(folder: Path, count: int, max_m: int) -> str | None:
    """`link_lists.bin`: per element, its byte size then its upper-level lists, each of valid ids."""
    lists_file = folder / "link_lists.bin"
    if not lists_file.exists():
        return None
    raw = lists_file.read_bytes()
    per_level = 4 * (max_m + 1)
    at, blocks = 0, []
    for _ in range(count):
        if at + 4 > len(raw):
            return "link_lists.bin is shorter than its elements"
        (size,) = struct.unpack_from("<I", raw, at)
        if size % per_level or at + 4 + size > len(raw):
            return "link_lists.bin holds an impossible list size"
        if size:
            blocks.append(raw[at + 4 : at + 4 + size])
        at += 4 + size
    if not blocks:
        return None
    lists = np.frombuffer(b"".join(blocks), dtype="<u4").reshape(-1, max_m + 1)
    return _links_problem(lists, max_m, count, "link_lists.bin")
