"""spaCy's attribute ruler with its patterns matched by lookup: the same matches, a fraction of the time.

en_core_web_sm's `attribute_ruler` (parts of speech, morphology and a few lemmas, set after the
parse) holds 179 patterns, nearly all of one token tested on its tag, lower form and dependency
label. spaCy's Matcher tries every pattern at every token: a sixth of the pipeline's CPU on
news, and half of the time spaCy held the interpreter lock in an ingest (docs/evaluation.md,
issue 17 round 7).

`PatternLookup` reads each pattern as tests on a token's fields. A field value is looked up once
in a table of the pattern tokens it passes (a bit mask); a token's mask is the AND of its four
fields' masks. Patterns of several tokens check the neighbours' masks. The matches are sorted as
spaCy sorts them and applied by spaCy's own `set_annotations`, so the parse is the same token
for token (on all 840 PolNeAR train articles, for a sixth of the matching CPU; `tests/test_ruler.py`
compares both on made-up text). A pattern that uses anything else (an operator, another
attribute) leaves spaCy's Matcher in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes a pattern may test here
CACHED_VALUES = 100_000  # per field, then the table starts again (a long ingest's lower forms)


class Unsupported(ValueError):
    """A pattern this lookup does not read; spaCy's Matcher keeps the job."""


def install(nlp: Any) -> bool:
    """Match `nlp`'s attribute ruler patterns by lookup; False (spaCy's Matcher kept) when the
    pipeline has no attribute ruler or one of its patterns is beyond the lookup."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        lookup = PatternLookup(ruler)
    except Unsupported:
        return False
    ruler.match = lookup  # AttributeRuler.__call__ calls self.match(doc), then set_annotations
    return True


class PatternLookup:
    """`AttributeRuler.match` for patterns of plain token tests (see the module docstring).

    Example:
        ruler = nlp.get_pipe("attribute_ruler")
        PatternLookup(ruler)(doc) == ruler.match(doc)
        # True
    """

    def __init__(self, ruler: Any) -> None:
        from spacy import attrs

        self._strings = ruler.vocab.strings
        self._ids = [getattr(attrs, field) for field in FIELDS]
        self._rules: list[tuple[int, int, int]] = []  # (rule number, match id, pattern length)
        self._first_bit: list[int] = []  # bit of each rule's first pattern token
        tests: dict[str, list[tuple[int, Any]]] = {field: [] for field in FIELDS}
        bits = 0
        for number in range(len(ruler.attrs)):
            key = str(number)
            match_id = self._strings[key]
            for pattern in ruler.matcher.get(key)[1]:
                if not pattern:
                    raise Unsupported(f"pattern {key} is empty")
                self._rules.append((number, match_id, len(pattern)))
                self._first_bit.append(bits)
                for token in pattern:
                    unknown = set(token) - set(FIELDS)
                    if unknown or not token:
                        raise Unsupported(f"pattern {key} tests {sorted(unknown) or 'nothing'}")
                    for field, value in token.items():
                        tests[field].append((bits, _test(value)))
                    bits += 1
        self._free = {field: (1 << bits) - 1 for field in FIELDS}  # tokens not testing the field
        for field, field_tests in tests.items():
            for bit, _ in field_tests:
                self._free[field] &= ~(1 << bit)
        self._tests = tests
        self._masks: list[dict[int, int]] = [{} for _ in FIELDS]
        self._starts: dict[int, list[int]] = {}  # a token's mask -> rules whose first token it passes

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """The matches of `doc`, as `AttributeRuler.match` gives them: (rule, match id, start, end)."""
        rows = doc.to_array(self._ids).tolist()
        masks = [self._mask(row) for row in rows]
        found = set()  # the Matcher gives a rule's match of a span once, whichever pattern matched
        for start, mask in enumerate(masks):
            rules = self._starts.get(mask)
            if rules is None:
                if len(self._starts) >= CACHED_VALUES:
                    self._starts.clear()
                rules = self._starts[mask] = [r for r, bit in enumerate(self._first_bit) if mask >> bit & 1]
            for rule in rules:
                number, match_id, length = self._rules[rule]
                end = start + length
                if length == 1 or self._rest_matches(masks, rule, start, end):
                    found.add((number, match_id, start, end))
        return sorted(found)

    def _mask(self, row: list[int]) -> int:
        mask = -1
        for index, value in enumerate(row):
            table = self._masks[index]
            field_mask = table.get(value)
            if field_mask is None:
                if len(table) >= CACHED_VALUES:
                    table.clear()
                field_mask = table[value] = self._passes(index, value)
            mask &= field_mask
        return mask

    def _passes(self, index: int, value: int) -> int:
        """The pattern tokens that field `index` with `value` (a string hash, or a flag) passes."""
        field = FIELDS[index]
        text: str | bool = bool(value) if field == "IS_SPACE" else self._strings[value]
        mask = self._free[field]
        for bit, test in self._tests[field]:
            if test(text):
                mask |= 1 << bit
        return mask

    def _rest_matches(self, masks: list[int], rule: int, start: int, end: int) -> bool:
        if end > len(masks):
            return False
        first = self._first_bit[rule]
        return all(masks[start + k] >> (first + k) & 1 for k in range(1, end - start))


def _test(value: Any) -> Callable[[str | bool], bool]:
    """A field test of the Matcher's: a value, or a dict of IN, NOT_IN or REGEX."""
    if isinstance(value, (str, bool)):
        return lambda field: field == value
    if isinstance(value, dict) and len(value) == 1:
        ((kind, argument),) = value.items()
        if kind == "IN":
            allowed = set(argument)
            return lambda field: field in allowed
        if kind == "NOT_IN":
            refused = set(argument)
            return lambda field: field not in refused
        if kind == "REGEX":
            pattern = re.compile(argument)
            return lambda field: isinstance(field, str) and pattern.search(field) is not None
    raise Unsupported(f"test {value!r}")
