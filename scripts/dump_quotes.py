"""Every quote `find_quotes` finds in a folder of articles, one JSON line per article, for
comparing two versions of the rules or of their speed work field by field.

    PYTHONPATH=OTHER_CHECKOUT python scripts/dump_quotes.py ../shared/eval/polnear/train/text base.jsonl
    python scripts/dump_quotes.py ../shared/eval/polnear/train/text new.jsonl
    python scripts/dump_quotes.py --compare base.jsonl new.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path


def dump(folder: Path, out: Path) -> None:
    """Write the quotes of every .txt file under `folder`, sorted by name, to `out`."""
    from assistant.attribution.quotes import find_quotes

    files = sorted(folder.rglob("*.txt"))
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as sink:
        for path in files:
            text = path.read_text(encoding="utf-8")
            quotes = [asdict(q) for q in find_quotes(text, path.name)]
            sink.write(json.dumps({"file": path.name, "quotes": quotes}, ensure_ascii=False) + "\n")
    print(f"{len(files)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def compare(first: Path, second: Path) -> int:
    """Print every quote field that differs between two dumps; the number of differences."""
    a = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    b = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines()]
    if [r["file"] for r in a] != [r["file"] for r in b]:
        print("the dumps hold different files")
        return 1
    differences = quotes = 0
    for x, y in zip(a, b, strict=True):
        if len(x["quotes"]) != len(y["quotes"]):
            print(f"{x['file']}: {len(x['quotes'])} quotes against {len(y['quotes'])}")
            differences += 1
            continue
        for n, (p, q) in enumerate(zip(x["quotes"], y["quotes"], strict=True)):
            quotes += 1
            for field in p:
                if p[field] != q.get(field):
                    print(f"{x['file']} quote {n} {field}: {p[field]!r} against {q.get(field)!r}")
                    differences += 1
    print(f"{len(a)} files, {quotes} quotes, {differences} differences")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs=2, type=Path)
    parser.add_argument("--compare", action="store_true", help="Compare two dumps instead.")
    args = parser.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.paths) else 0)
    dump(*args.paths)


if __name__ == "__main__":
    main()
