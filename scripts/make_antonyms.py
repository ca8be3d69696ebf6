"""Write assistant/fitted/antonyms.json: word pairs of opposite meaning, from WordNet 3.0.

    python scripts/make_antonyms.py [/usr/share/wordnet]

Reads WordNet's own data files (Debian's `wordnet-base` installs them in /usr/share/wordnet) and
keeps, for one-word lemmas of verbs and adjectives (nouns and adverbs only through them):
- WordNet's antonym pairs ("succeed" / "fail", "legal" / "illegal");
- an adjective satellite against its head's antonym ("rare" is like "uncommon", against "common");
- each pair carried to the words WordNet derives from them, two steps ("successful" from
  "success", from "succeed": "successful" / "fail").
`attribution.agreement` reads the file: two statements on the same subject whose predicates are
such a pair oppose each other. WordNet 3.0 licence: Princeton University, free to use and
redistribute with its notice (kept in the file).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "assistant" / "fitted" / "antonyms.json"
FILES = {"a": "data.adj", "v": "data.verb", "n": "data.noun", "r": "data.adv"}
NOTICE = (
    "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND "
    "DATABASE IS PROVIDED 'AS IS' AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, "
    "EXPRESS OR IMPLIED. Permission to use, copy, modify and distribute this software and database "
    "and its documentation for any purpose and without fee or royalty is hereby granted, provided "
    "that this notice and the copyright notice appear on all copies."
)


def read(folder: Path) -> tuple[dict, dict, dict]:
    """Each synset's words; lexical antonym and derivation links between (synset, word number);
    adjective satellites' heads."""
    words: dict[tuple[str, str], list[str]] = {}
    antonym: set[tuple[tuple[str, str, int], tuple[str, str, int]]] = set()
    derived: dict[tuple[str, str, int], set[tuple[str, str, int]]] = defaultdict(set)
    similar: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for pos, name in FILES.items():
        for line in (folder / name).read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split(" | ")[0].split()
            offset, kind, count = fields[0], fields[2], int(fields[3], 16)
            key = (pos, offset)
            words[key] = [fields[4 + 2 * i].split("(")[0].lower() for i in range(count)]
            at = 4 + 2 * count
            for p in range(int(fields[at])):
                symbol, target, tpos, st = fields[at + 1 + 4 * p : at + 5 + 4 * p]
                tpos = "a" if tpos == "s" else tpos
                src, dst = int(st[:2], 16), int(st[2:], 16)
                if symbol == "!":
                    antonym.add(((pos, offset, src), (tpos, target, dst)))
                elif symbol == "+":
                    derived[(pos, offset, src)].add((tpos, target, dst))
                elif symbol == "&" and kind == "s":
                    similar[key].add((tpos, target))
    return words, {"antonym": antonym, "derived": derived}, similar


def pairs(folder: Path) -> list[tuple[str, str]]:
    words, links, similar = read(folder)

    def word(ref: tuple[str, str, int]) -> str:
        return words[(ref[0], ref[1])][ref[2] - 1]

    by_word: dict[str, set[str]] = defaultdict(set)  # any sense's derived words
    for ref, targets in links["derived"].items():
        by_word[word(ref)].update(word(t) for t in targets)

    def family(ref: tuple[str, str, int]) -> set[str]:
        """The word and those derived from it, two steps ("succeed", "success", "successful")."""
        near = {word(r) for r in links["derived"].get(ref, set())}
        return {word(ref)} | near | {w for n in near for w in by_word.get(n, ())}

    found: set[tuple[str, str]] = set()
    heads_antonyms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, b in links["antonym"]:
        for x in family(a):
            for y in family(b):
                found.add((x, y))
        heads_antonyms[(a[0], a[1])].add(word(b))
    for satellite, heads in similar.items():
        for head in heads:
            for opposite in heads_antonyms.get(head, ()):
                for x in words[satellite]:
                    found.add((x, opposite))
    single = {(x, y) for x, y in found if "_" not in x + y and "-" not in x + y and x != y}
    return sorted({tuple(sorted(p)) for p in single})  # type: ignore[misc]


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    if not (folder / "data.adj").is_file():
        sys.exit(f"{folder}: no WordNet data.adj there; install Debian's wordnet-base or name the folder.")
    found = pairs(folder)
    record = {
        "model": "antonyms",
        "about": "Word pairs of opposite meaning (assistant/attribution/agreement.py: opposed predicates).",
        "method": "WordNet antonym pointers, adjective satellites against their head's antonym, "
        "carried to derivationally related words; one-word lemmas only",
        "data": f"WordNet 3.0 data files ({folder})",
        "script": "scripts/make_antonyms.py",
        "fitted": datetime.now(UTC).date().isoformat(),
        "licence": NOTICE,
        "pairs": [list(p) for p in found],
    }
    OUT.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(found):,} pairs")


if __name__ == "__main__":
    main()
