"""Do two statements agree, conflict, give different figures, or neither? Compared slot by slot.

Each statement's claim is read from its parse and entities (`claims.Statement`: names, dates,
figures with the thing they count, negated predicates, the other content words). Two claims are
about the same thing when they share most of those other words (their frame: SAME_FRAME of the
smaller one's, at least MIN_SHARED words). Then:

- a predicate one negates and the other affirms ("did not allow" / "allowed") -> **conflict**;
- a name or date in each that the other lacks, with no compatible one ("Tampa, Florida" /
  "Glendale, Arizona"; "Tampa" and "Tampa, Florida" are compatible) -> **conflict**, naming
  the slot (person, organisation, place, group, date) and the two values;
- the same counted thing with other numbers ("200 and 300 civilians" / "200 civilians") ->
  **figures**: shown side by side, not called a disagreement; this also holds between
  statements with different frames when the counted thing has FIGURES_CONTEXT words around it
  in common;
- two wordings of one sentence, aligned word by word, that differ in a short stretch
  (ALIGNED_STRETCH words) holding a negation on one side, or a name or a number on both
  (names the entity recognizer missed: "made by Exxon Mobil" / "made by Reports") -> conflict
  or figures;
- otherwise, when they share enough of their frame (AGREE_FRAME) -> **agree**;
- anything else -> **none**: silence is better than a wrong note.

Who says a statement is not part of its claim ("..., Palamar said"), so one speaker is in
conflict with himself only when the contents oppose under the rules above. On a question about a
disputed matter, `opposes` relaxes the frame for statements on the question's subject (a
predicate negated in another form, WordNet antonyms, a denial, a correction), and `within`
compares the two sides of one sentence ("A estimates X; B puts it at Y"). Thresholds: see
docs/answers.md for the data they were set on and the figures measured on data held out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources

from assistant.attribution.claims import Statement, statements
from assistant.attribution.quantities import Value
from assistant.models import Quote

SAME_FRAME = 0.6  # share of the smaller frame's words the two share: about the same thing
AGREE_FRAME = 0.6  # the same, for calling two statements the same fact
MIN_SHARED = 2  # frame words in common, at least
# Two statements about different things still give figures for one counted thing when it has at
# least this many words around it in common ("civilians still inside the plant" / "civilians and
# soldiers still trapped inside the tunnels").
FIGURES_CONTEXT = 2
COVERED = 0.4
ALIGNED_STRETCH = 4  # words: a longer stretch worded differently is a paraphrase, not one slot
ALIGNED_SHARE = 0.5  # of the longer wording's words the two have in the same order: one sentence
# A clause of a model's claim is in its cited text when at least this share of its content
# lemmas is there ("it is safe" against a sentence without "safe": no).
CLAUSE_SHARE = 0.5
KINDS = ("agree", "conflict", "figures", "none")
# A statement that sets something right ("in fact") opposes another on a disputed question when
# they share this many words, names aside ("voting fraud"), one of them the question's.
CORRECTED = 2
# Where a sentence that gives two sides turns from one to the other.
CONTRADICTING = ", contradicting "
CONTRASTS = ("; ", ", though ", ", although ", ", whereas ", CONTRADICTING, ", but ")
# Endings that make one predicate of another ("support" / "supportive" / "supported").
_DERIVED = ("ive", "ful", "ed", "ing", "s", "ment", "ion", "ation")


@dataclass(frozen=True)
class Relation:
    """How statement `a` relates to statement `b`.

    `slot` is what differs ("place", "person", "organisation", "group", "date", "negation", or
    for figures the counted thing), `values` the two differing values as written (a's, b's).
    """

    kind: str  # one of KINDS
    slot: str | None = None
    values: tuple[str, str] | None = None


NONE = Relation("none")


def relate(a: str, b: str) -> Relation:
    """The relation of two statements, parsed here.

    Example:
        >>> relate("The final was played in Tampa, Florida.", "The final was played in Glendale, Arizona.")
        Relation(kind='conflict', slot='place', values=('Tampa, Florida', 'Glendale, Arizona'))
    """
    first, second = statements([a, b])
    return compare(first, second)


def compare(a: Statement, b: Statement) -> Relation:
    """The relation of two parsed statements (see the module's docstring)."""
    shared = a.words & b.words
    smaller = min(len(a.words), len(b.words))
    if len(shared) < MIN_SHARED or len(shared) < SAME_FRAME * smaller:
        return _figures(a, b, FIGURES_CONTEXT)
    for predicate in _opposed(a, b):
        denied = f"not {predicate}"
        said = (denied, predicate) if predicate in a.negated else (predicate, denied)
        return Relation("conflict", "negation", said)
    if a.denial != b.denial:  # "Kyiv denied that its forces ..." against "... its forces blew up ..."
        said = ("denies", "states") if a.denial else ("states", "denies")
        return Relation("conflict", "negation", said)
    opposite = _antonymous(a, b)
    if opposite is not None:
        return Relation("conflict", "opposite", opposite)
    for values_a, values_b in ((a.names, b.names), (a.dates, b.dates)):
        differing = _differing(values_a, values_b)
        if differing is not None:
            first, second = differing
            return Relation("conflict", first.slot, (first.text, second.text))
    figures = _figures(a, b, 0)
    if figures.kind == "figures":
        return figures
    aligned = _aligned(a, b)
    if aligned.kind != "none" or len(shared) < AGREE_FRAME * smaller:
        return aligned
    return Relation("agree")


def opposes(
    a: Statement, b: Statement, subject: frozenset[str], near: frozenset[str] = frozenset()
) -> Relation:
    """How `a` and `b` oppose on the subject a question asks about (`subject`: its lower-case
    words and lemmas), where their wordings share too little for `compare`: both speak of it (a
    name's word or a content word of `subject` in each), and one negates a predicate the other
    affirms ("seemed supportive of Trump" / "did not support Trump"), or denies it ("neither
    ... helped"), or they hold opposite predicates ("succeed" / "fail"), or one sets the other
    right ("Voting fraud is, in fact, very rare."). Else what `compare` finds, agreement aside.
    `near`: what the sentences `a` goes with (its claim's others) speak of, counted as `a`'s own
    ("Patriot was set up as a liability dump," ... "It was destined to fail.")."""
    found = compare(a, b)
    if found.kind in {"conflict", "figures"}:
        return found
    shared = (about(a) | near) & about(b)
    if not shared & subject:
        return NONE
    for x, y in ((a, b), (b, a)):
        for p in sorted(x.negated & x.stated - y.negated):
            q = next((q for q in sorted(y.asserted & y.stated) if _same_root(p, q)), None)
            if q is not None:
                said = (f"not {p}", q) if x is a else (q, f"not {p}")
                return Relation("conflict", "negation", said)
    if a.denial != b.denial:
        return Relation("conflict", "negation", ("denies", "states") if a.denial else ("states", "denies"))
    opposite = _antonymous(a, b)
    if opposite is not None:
        return Relation("conflict", "opposite", opposite)
    if a.corrects != b.corrects and len(shared - (_name_words(a) & _name_words(b))) >= CORRECTED:
        return Relation("conflict")  # "Voting fraud is, in fact, very rare."
    return NONE


def divided(text: str) -> tuple[str, str] | None:
    """The two sides of a sentence that gives both ("A estimates $1.1 trillion; B puts the figure
    at $498 billion", "Trump accused Holt of being a Democrat, though records indicate he has
    been a Republican"), split at the first CONTRASTS marker; None when it has none."""
    lower = text.lower()
    found = [(lower.find(m), m) for m in CONTRASTS if m in lower]
    if not found:
        return None
    at, marker = min(found)
    first, second = text[:at].strip(" ,;"), text[at + len(marker) :].strip(" ,;")
    if marker == CONTRADICTING:
        first += marker.rstrip()  # the side before says it is contradicted (see `within`)
    return (first, second) if len(first.split()) >= 3 and len(second.split()) >= 3 else None


def within(a: Statement, b: Statement) -> Relation:
    """How the two sides of one sentence (`divided`) differ: being one sentence joined by a
    contrast, they need no words in common; other figures for one counted thing, then another
    group ("a Democrat" / "a Republican"), a negated or an opposite predicate. A sentence
    that says so ("..., contradicting ...") is a conflict as it stands."""
    if a.text.endswith(CONTRADICTING.rstrip()):
        return Relation("conflict")
    figures = _figures(a, b, 0)
    if figures.kind == "figures":
        return figures
    differing = _differing(a.names, b.names)  # not dates: two clauses may tell of two days
    if differing is not None and differing[0].slot == differing[1].slot == "group":
        return Relation("conflict", differing[0].slot, (differing[0].text, differing[1].text))
    for predicate in _opposed(a, b):
        said = (f"not {predicate}", predicate) if predicate in a.negated else (predicate, f"not {predicate}")
        return Relation("conflict", "negation", said)
    opposite = _antonymous(a, b)
    return Relation("conflict", "opposite", opposite) if opposite is not None else NONE


def strongest(relations: Iterable[Relation]) -> Relation | None:
    """The first conflict of `relations`, else the first differing figures, else None."""
    found = list(relations)
    return next((r for r in found if r.kind == "conflict"), None) or next(
        (r for r in found if r.kind == "figures"), None
    )


def about(statement: Statement) -> frozenset[str]:
    """What a statement speaks of: its content words and the words of its names."""
    return statement.words | _name_words(statement)


def _name_words(statement: Statement) -> frozenset[str]:
    return frozenset(w for v in statement.names for w in v.key)


def _same_root(p: str, q: str) -> bool:
    """One predicate, worded as another part of speech: "support" / "supportive"."""
    short, long = sorted((p, q), key=len)
    return p == q or (len(short) >= 4 and long.startswith(short) and long[len(short) :] in _DERIVED)


def _antonymous(a: Statement, b: Statement) -> tuple[str, str] | None:
    """A predicate `a` affirms and one `b` affirms that mean the opposite ("win" / "lose")."""
    pairs = _antonyms()
    for p in sorted(a.asserted & a.stated - b.asserted):
        for q in sorted(b.asserted & b.stated - a.asserted):
            if any((min(x, y), max(x, y)) in pairs for x in _roots(p) for y in _roots(q)):
                return p, q
    return None


def _roots(word: str) -> set[str]:
    """The word and the word it is derived from by a _DERIVED ending ("successful" -> "success"):
    WordNet links some adjectives to their noun only as an attribute, which its antonyms skip."""
    return {word} | {word[: -len(e)] for e in _DERIVED if word.endswith(e) and len(word) - len(e) >= 4}


@cache
def _antonyms() -> frozenset[tuple[str, str]]:
    """WordNet's pairs of opposite words (assistant/fitted/antonyms.json, scripts/make_antonyms.py)."""
    text = (resources.files("assistant.fitted") / "antonyms.json").read_text(encoding="utf-8")
    return frozenset((x, y) for x, y in json.loads(text)["pairs"])


def _aligned(a: Statement, b: Statement) -> Relation:
    """Two wordings of one sentence, aligned word by word: a negation one adds, or a short
    stretch each words differently that holds a name or a number on both sides ("made by Exxon
    Mobil" / "made by Reports", "won 758" / "won 2,274"), is where they differ."""
    words_a, words_b = [w for w, _ in a.tokens], [w for w, _ in b.tokens]
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    if same < ALIGNED_SHARE * max(len(words_a), len(words_b)):
        return NONE  # not one sentence twice: a headline and its story, two accounts
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or max(i2 - i1, j2 - j1) > ALIGNED_STRETCH:
            continue
        kinds_a, kinds_b = {k for _, k in a.tokens[i1:i2]}, {k for _, k in b.tokens[j1:j2]}
        values = (" ".join(words_a[i1:i2]), " ".join(words_b[j1:j2]))
        if ("negation" in kinds_a) != ("negation" in kinds_b):
            return Relation("conflict", "negation", values)
        if "name" in kinds_a and "name" in kinds_b:
            return Relation("conflict", "name", values)
        if "number" in kinds_a and "number" in kinds_b:
            return Relation("figures", "number", values)
    return NONE


def _opposed(a: Statement, b: Statement) -> list[str]:
    """Predicates one negates (and the other nowhere) while the other affirms them, a clause's
    predicate on one side at least (not a modifier: "not a Black Lives Matter moment")."""
    found = (a.negated - b.negated) & b.asserted | (b.negated - a.negated) & a.asserted
    return sorted(found & (a.stated | b.stated))


def _figures(a: Statement, b: Statement, context: int) -> Relation:
    """Figures for the same counted thing that differ, with `context` words around it in common."""
    for thing in sorted(set(a.figures) & set(b.figures)):
        around = a.figure_context[thing] & b.figure_context[thing]
        if a.figures[thing] != b.figures[thing] and len(around) >= context:
            return Relation("figures", thing, (a.figure_text[thing], b.figure_text[thing]))
    return NONE


def departs(claim: Statement, source: Statement, context: Statement | None = None) -> Relation:
    """Where `claim` says other than `source`, the text it cites (NONE when nowhere): a predicate
    one negates and the other affirms (a negation dropped or added), a counted thing the source
    gives other numbers for ("30 civilians and 300 children" / "300 civilians and 30 children"),
    or a clause of the claim whose words the source lacks ("..., and it is safe"). `context`, the
    sentence before the source, may supply a clause's names ("... Boichenko said." "He ...")."""
    for predicate in _opposed(claim, source):
        denied = f"not {predicate}"
        said = (denied, predicate) if predicate in claim.negated else (predicate, denied)
        return Relation("conflict", "negation", said)
    for thing in sorted(set(claim.figures) & set(source.figures)):
        if not claim.figures[thing] <= source.figures[thing]:
            return Relation("figures", thing, (claim.figure_text[thing], source.figure_text[thing]))
    known = _lemmas(source) | (_lemmas(context) if context is not None else frozenset())
    for clause in claim.clauses:
        if len(clause & known) < CLAUSE_SHARE * len(clause):
            return Relation("conflict", "clause", (" ".join(sorted(clause - known)), ""))
    return NONE


def _lemmas(statement: Statement) -> frozenset[str]:
    """Every word of a statement (as written and as lemma), its predicates and counted things."""
    return statement.vocabulary | statement.negated | statement.asserted | set(statement.figures)


def _differing(a: Sequence[Value], b: Sequence[Value]) -> tuple[Value, Value] | None:
    """A value of `a` and one of `b` with words the other side lacks ("District of Columbia" /
    "District of Sullivan"; "Tampa, Florida" / "Tampa" have none on one side)."""
    words_a, words_b = {w for v in a for w in v.key}, {w for v in b for w in v.key}
    only_a = [v for v in a if v.key - words_b and not any(_compatible(v, w) for w in b)]
    only_b = [w for w in b if w.key - words_a and not any(_compatible(v, w) for v in a)]
    same_slot = [(v, w) for v in only_a for w in only_b if v.slot == w.slot or _unlabelled(v, w)]
    return same_slot[0] if same_slot else None


def _compatible(v: Value, w: Value) -> bool:
    """One names the other: "Tampa" in "Tampa, Florida", "Palamar" in "Sviatoslav Palamar"."""
    return bool(v.key) and bool(w.key) and (v.key <= w.key or w.key <= v.key)


def speaker_of(quotes: Sequence[Quote], source: str, start: int, end: int) -> Quote | None:
    """The attributed quote that covers most of `source[start:end]`, if it covers at least
    COVERED of it (a citation that is mostly narration is not put in anyone's mouth)."""
    best, best_overlap = None, 0
    for quote in quotes:
        if quote.source != source or quote.speaker is None:
            continue
        overlap = min(end, quote.end_char) - max(start, quote.start_char)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best if best_overlap >= COVERED * (end - start) else None


def _unlabelled(v: Value, w: Value) -> bool:
    """A name the recognizer left unlabelled ("Manafort Jr.") stands against a labelled one, but
    not a lone capitalised word: as often an alias ("Obamacare" / "the Affordable Care Act") or a
    headline's first word ("Talk compared to ...") as a name."""
    lone = any(x.slot == "name" and len(x.key) == 1 and x.text.istitle() for x in (v, w))
    return "name" in {v.slot, w.slot} and not lone
