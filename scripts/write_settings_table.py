"""Write the options table of docs/usage.md from the one declaration of the settings.

    python scripts/write_settings_table.py          # rewrite the table in place
    python scripts/write_settings_table.py --check  # exit 1 when the docs disagree

`tests/test_settings.py` fails when the table and `assistant.settings.Settings` disagree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.settings import settings_table

USAGE = Path(__file__).resolve().parent.parent / "docs" / "usage.md"
BEGIN = "<!-- settings table: written by scripts/write_settings_table.py -->"
END = "<!-- end of settings table -->"


def with_table(text: str) -> str:
    """`text` (docs/usage.md) with the part between the markers replaced by the settings table."""
    head, found, rest = text.partition(BEGIN)
    _, ended, tail = rest.partition(END)
    if not found or not ended:
        raise SystemExit(f"{USAGE}: the markers {BEGIN!r} and {END!r} are missing; put them back.")
    return f"{head}{BEGIN}\n{settings_table()}\n{END}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only check; exit 1 if the table is stale.")
    args = parser.parse_args()
    text = USAGE.read_text(encoding="utf-8")
    new = with_table(text)
    if args.check:
        sys.exit(0 if new == text else 1)
    USAGE.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
