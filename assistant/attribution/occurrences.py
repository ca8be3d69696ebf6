"""Where each of many strings occurs in one text, found in one pass over it.

An article that names thousands of people must not be searched once per name: the names (and
their surnames) go into one Aho-Corasick automaton (`pyahocorasick`) and the text is read once.
A string asked for later is derived from an indexed one it ends with ("Elena Marin" from
"Marin"), or else searched for once and remembered.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

import ahocorasick

_BOUNDARY = re.compile(r"\b")


def boundary(text: str, at: int) -> bool:
    """True where a regular expression's \\b matches at `at`."""
    return _BOUNDARY.match(text, at) is not None


class Occurrences:
    """Start offsets of strings in `text`, every occurrence, overlapping ones too, in order.

    Example:
        >>> found = Occurrences("Ann Lee met Lee.", ["Ann Lee", "Lee"])
        >>> found.starts("Lee"), found.words("Ann Lee")
        ([4, 12], [(0, 7), (12, 15)])
    """

    def __init__(self, text: str, keys: Iterable[str]) -> None:
        self.text = text
        self._starts: dict[str, list[int]] = {k: [] for k in keys if k}
        self.passes = 0  # whole-text searches made: one for the automaton, one per string not derived
        if self._starts:
            automaton = ahocorasick.Automaton()
            for key in self._starts:
                automaton.add_word(key, key)
            automaton.make_automaton()
            for end, key in automaton.iter(text):
                self._starts[key].append(end - len(key) + 1)
            self.passes += 1

    def starts(self, key: str) -> list[int]:
        """Where `key` starts, every occurrence (`re.finditer` would skip overlapping ones)."""
        found = self._starts.get(key)
        if found is None:
            found = self._derived(key)
            self._starts[key] = found
        return found

    def _derived(self, key: str) -> list[int]:
        words = key.split()
        last = words[-1] if words else ""
        if last and last != key and key.endswith(last) and last in self._starts:
            shift = len(key) - len(last)
            text = self.text
            return [s - shift for s in self._starts[last] if s >= shift and text.startswith(key, s - shift)]
        self.passes += 1
        found, at = [], self.text.find(key) if key else -1
        while at >= 0:
            found.append(at)
            at = self.text.find(key, at + 1)
        return found

    def literal(self, key: str) -> list[int]:
        """Starts of `key` as `re.finditer(re.escape(key), text)` finds them (none overlapping)."""
        found: list[int] = []
        end = 0
        for at in self.starts(key):
            if at >= end:
                found.append(at)
                end = at + len(key)
        return found

    def words(self, name: str) -> list[tuple[int, int]]:
        """Spans of `name` or its last word standing as words, as `re.finditer` finds
        `\\b(?:NAME|SURNAME)\\b`: leftmost first, the full name before the surname, none overlapping."""
        surname = name.split()[-1]
        full = self.starts(name)
        candidates = sorted(set(full) | set(self.starts(surname)))
        found: list[tuple[int, int]] = []
        end = 0
        for at in candidates:
            if at < end or not boundary(self.text, at):
                continue
            if _has(full, at) and boundary(self.text, at + len(name)):
                end = at + len(name)
            elif self.text.startswith(surname, at) and boundary(self.text, at + len(surname)):
                end = at + len(surname)
            else:
                continue
            found.append((at, end))
        return found


def _has(sorted_starts: list[int], at: int) -> bool:
    n = bisect.bisect_left(sorted_starts, at)
    return n < len(sorted_starts) and sorted_starts[n] == at


class Openings:
    """Which of many strings each place of a short text starts with, by the strings' ranks.

    Example:
        >>> Openings({"Ann Lee": 0, "Lee ": 1}).at("Ann Lee said Lee was there")
        {0: 0, 4: 1, 13: 1}
    """

    def __init__(self, ranks: dict[str, int]) -> None:
        self._ranks = ranks
        self._automaton = ahocorasick.Automaton()
        for key in ranks:
            self._automaton.add_word(key, key)
        if ranks:
            self._automaton.make_automaton()

    def at(self, text: str) -> dict[int, int]:
        """Start -> the least rank of the strings that start there."""
        found: dict[int, int] = {}
        if not self._ranks:
            return found
        for end, key in self._automaton.iter(text):
            start = end - len(key) + 1
            rank = self._ranks[key]
            if rank < found.get(start, rank + 1):
                found[start] = rank
        return found
