"""What a statement claims, read from its parse and entities: the slots two statements are compared on.

A statement's claim is its content, without the frame that reports it ("..., Palamar said on
Telegram" or "According to police, ..."): a denial verb ("Officials denied that ...") keeps
its content and negates it. From the content come

- **names**: people, organisations, places and groups, by spaCy's entity recognizer (one pool:
  the small model often calls a person a place; the slot is named by the label it gave);
- **dates**: years, weekdays and months;
- **figures**: each number with the thing it counts ("30 civilians and 300 children" ->
  civilian: 30, child: 300; "$1.1 trillion" -> $: 1.1 trillion);
- **polarity**: the predicates (verb or adjective lemmas) the content negates ("did not allow",
  "No one knocked out anyone", "never");
- **words**: the other content lemmas, the frame two statements must share to be about the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.attribution.parsing import entity_parses
from assistant.attribution.quantities import Value, dates_of, figures_of, is_number, lemma
from assistant.text.words import SPEECH_VERBS, STOP_WORDS, TITLES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAME_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
# Predicates that take a side: the side (a predicate) and whether they take it against.
STANCES = {"against": ("support", True), "oppose": ("support", True), "for": ("support", False)}
# Verbs whose complement did not happen ("avoid paying", "refused to leave", "failed to stop").
IMPLICIT_NEGATIVES = frozenset("avoid refuse fail decline prevent stop cease neglect".split())
# Words that state their infinitive as what will happen, not an aim ("destined to fail", "doomed
# to collapse", "bound to lose", "sure to win"): the complement is asserted.
CERTAINTIES = frozenset("destine doom bind certain sure".split())
DENIAL_VERBS = frozenset("deny dispute refute reject".split())
NEGATING_WORDS = frozenset("no never nobody nothing none neither nor not n't".split())
FALSEHOODS = frozenset("lie false untrue wrong baseless nonsense fabrication fake misleading".split())
# Words by which a statement sets another right ("Voting fraud is, in fact, very rare.", "Video
# shows ..., contradicting police's earlier claim", "PolitiFact ... rated it Mostly False").
CORRECTIONS = FALSEHOODS | frozenset("actually contradict contrary debunk exaggerate exaggeration".split())
_CORRECTING_PHRASES = ("in fact", "in reality", "in truth")
_CLAUSE_DEPS = frozenset("ROOT ccomp xcomp conj parataxis advcl relcl".split())
_LINKING_VERBS = frozenset("be seem appear become remain look sound".split())
# Words before a name that are no part of it ("Mr. Trump" is "Donald Trump").
_TITLE_WORDS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Sgt"} | set(TITLES))
_CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV", "PROPN"}
_FRAME_VERBS = SPEECH_VERBS - {"continue", "call", "charge", "point", "shoot", "read"} | {"accord"}


@dataclass(frozen=True)
class Statement:
    """The claim of one statement, slot by slot (see the module's docstring)."""

    text: str
    names: tuple[Value, ...] = ()
    dates: tuple[Value, ...] = ()
    figures: dict[str, frozenset[str]] = field(default_factory=dict)  # counted thing -> its numbers
    figure_text: dict[str, str] = field(default_factory=dict)  # counted thing -> as written
    figure_context: dict[str, frozenset[str]] = field(default_factory=dict)  # -> words around it
    denial: bool = False  # the frame denies the content ("Officials denied that ...")
    negated: frozenset[str] = frozenset()  # predicate lemmas the content negates
    asserted: frozenset[str] = frozenset()  # predicate lemmas the content affirms
    words: frozenset[str] = frozenset()  # content lemmas outside names, dates and numbers
    clauses: tuple[frozenset[str], ...] = ()  # each clause's own content lemmas
    # The content's tokens in order, lower-cased, each with its kind: "name", "number",
    # "negation" or "word" (for aligning two wordings of one sentence, see `agreement`).
    tokens: tuple[tuple[str, str], ...] = ()
    vocabulary: frozenset[str] = frozenset()  # every word of the text, as written and as lemma
    refutes_before: bool = False  # it calls what was said before false: "That comment is a lie."
    corrects: bool = False  # it sets something right: "in fact", "actually", "false", "contradicting"
    stated: frozenset[str] = frozenset()  # the predicates of its clauses (no modifier: "a white officer")


def statements(texts: Sequence[str]) -> list[Statement]:
    """The claims of `texts`, parsed together.

    Example:
        a, = statements(["Between 200 and 300 civilians are inside the plant, Palamar said."])
        a.figures
        # {'civilian': frozenset({'200', '300'})}
    """
    return [read(doc) for doc in entity_parses(texts)]


def statement(text: str) -> Statement:
    """The claim of one statement."""
    return statements([text])[0]


def read(doc: Doc) -> Statement:
    """The claim of a parsed statement (with entities)."""
    content, denied = _content(doc)
    inside = {t.i for t in content}
    ents = [e for e in doc.ents if e.root.i in inside]
    names = tuple(_name(e) for e in _joined_places([e for e in ents if e.label_ in NAME_LABELS]))
    dates = tuple(v for e in ents if e.label_ == "DATE" for v in dates_of(e))
    in_slots = {t.i for e in ents if e.label_ in NAME_LABELS or e.label_ == "DATE" for t in e}
    names += _unlabelled_names(content, in_slots)
    figures, figure_text, context, number_tokens = figures_of(content, inside)
    in_slots |= number_tokens | {t.i for t in content if t.pos_ == "PROPN"}
    names_at = {t.i for e in ents if e.label_ in NAME_LABELS for t in e} | {
        t.i for t in content if _looks_like_name(t) or (t.is_title and t.i > content[0].i)
    }
    negated, asserted, stated = _polarity(content, denied)
    words = frozenset(lemma(t) for t in content if t.i not in in_slots and _is_content(t))
    return Statement(
        doc.text,
        names,
        dates,
        figures,
        figure_text,
        context,
        denied,
        frozenset(negated),
        frozenset(asserted),
        words,
        _clauses(content, inside, in_slots),
        tuple((t.lower_, _kind(t, names_at)) for t in content if not t.is_punct),
        frozenset(w for t in doc if t.is_alpha for w in (t.lower_, lemma(t))),
        _refutes_before(doc),
        _corrects(doc),
        frozenset(stated),
    )


def _corrects(doc: Doc) -> bool:
    """The statement sets something right (CORRECTIONS, "in fact"): a rebuttal's mark."""
    lower = " ".join(t.lower_ for t in doc)
    return any(lemma(t) in CORRECTIONS for t in doc) or any(p in lower for p in _CORRECTING_PHRASES)


def _content(doc: Doc) -> tuple[list[Token], bool]:
    """The tokens of what is claimed, and whether the frame denies it ("X denied that ..."):
    in each sentence, a reporting verb's own words (its subject, its time and place) are left out."""
    frame = {t.i for t in doc if t.lower_ == "according" for t in t.subtree}
    denied = False
    for sentence in doc.sents:
        root = sentence.root
        reported = [c for c in root.children if c.dep_ in {"ccomp", "xcomp"} and c.pos_ in {"VERB", "AUX"}]
        if root.lemma_.lower() not in _FRAME_VERBS | DENIAL_VERBS or not reported:
            continue
        denied = denied or root.lemma_.lower() in DENIAL_VERBS
        frame.add(root.i)
        for child in root.children:
            if child.dep_ in {"ccomp", "xcomp", "punct"}:
                continue
            if child.dep_ == "nsubj" and any(is_number(t) for t in child.subtree):
                continue  # "55 percent of voters said ...": the figure is the claim
            frame.update(t.i for t in child.subtree)
    return [t for t in doc if t.i not in frame and not t.is_punct], denied


def _refutes_before(doc: Doc) -> bool:
    """ "That comment is a lie.", "This is simply untrue.": a copula whose subject points back
    ("that", "this claim") and whose complement calls it false."""
    first = next(iter(doc.sents), None)
    if first is None or first.root.lemma_.lower() != "be":  # an empty text claims nothing
        return False
    root = first.root
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    complement = next((c for c in root.children if c.dep_ in {"attr", "acomp"}), None)
    if subject is None or complement is None or _negates(root, {t.i for t in doc}):
        return False
    pointing = subject.lower_ in {"that", "this"} or any(
        c.dep_ == "det" and c.lower_ in {"that", "this"} for c in subject.children
    )
    return pointing and complement.lemma_.lower() in FALSEHOODS


def _name(ent: Span) -> Value:
    words = [t.lower_ for t in ent if t.is_alpha and not t.is_stop and t.text not in _TITLE_WORDS]
    return Value(ent.text, NAME_LABELS[ent.label_], frozenset(words))


def _joined_places(ents: list[Span]) -> list[Span]:
    """Places written "Tampa, Florida" as one: the recognizer gives a place and its region apart."""
    joined: list[Span] = []
    for ent in ents:
        before = joined[-1] if joined else None
        places = before is not None and {before.label_, ent.label_} <= {"GPE", "LOC"}
        if before is not None and places and ent.doc[before.end : ent.start].text == ",":
            joined[-1] = ent.doc.char_span(before.start_char, ent.end_char, label=before.label_) or before
            continue
        joined.append(ent)
    return joined


def _unlabelled_names(content: list[Token], labelled: set[int]) -> tuple[Value, ...]:
    """Runs of proper nouns the entity recognizer left out ("Rubio", "Manafort"), as names."""
    found: list[Value] = []
    run: list[Token] = []
    for token in [*content, None]:
        if token is not None and _looks_like_name(token) and token.i not in labelled:
            if run and token.i != run[-1].i + 1:
                found.append(_run(run))
                run = []
            run.append(token)
            continue
        if run:
            found.append(_run(run))
            run = []
    return tuple(found)


def _looks_like_name(token: Token) -> bool:
    """A proper noun, or a capitalised noun that is its own lemma ("Manafort", not "Officials")."""
    if not token.is_alpha or token.lower_ in STOP_WORDS or token.text in _TITLE_WORDS:
        return False
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.is_title and token.lemma_ == token.lower_)


def _run(run: list[Token]) -> Value:
    text = run[0].doc[run[0].i : run[-1].i + 1].text
    return Value(text, "name", frozenset(t.lower_ for t in run))


def _polarity(content: list[Token], denied: bool) -> tuple[set[str], set[str], set[str]]:
    """The predicate lemmas the content negates and those it affirms (a denial flips its root),
    and those that head a clause (a verb, or an adjective after "is", "seemed": not a modifier)."""
    negated: set[str] = set()
    asserted: set[str] = set()
    stated: set[str] = set()
    inside = {t.i for t in content}
    for token in content:
        if token.pos_ not in {"VERB", "AUX", "ADJ"}:
            continue
        if token.pos_ == "AUX" and token.dep_ in {"aux", "auxpass"}:
            continue
        if _unasserted(token):
            continue
        negative = _negates(token, inside) != denied
        # A clause under a negated one is negated with it ("was not from an angle that would
        # show a gun"); a clause joined by "and" is not.
        current = token
        while current.dep_ not in {"conj", "parataxis", "ROOT"} and current.head.i in inside:
            current = current.head
            if current.pos_ in {"VERB", "AUX", "ADJ"} and _negates(current, inside):
                negative = not negative
            if lemma(current) in IMPLICIT_NEGATIVES:  # "to avoid paying": paying is not done
                negative = not negative
        predicate = _predicate(token)
        if predicate in STANCES:  # "was against the war", "opposes the plan": does not support it
            predicate, negative = STANCES[predicate][0], negative != STANCES[predicate][1]
        (negated if negative else asserted).add(predicate)
        infinitive = any(c.tag_ == "TO" for c in token.children) and not _certain(token)  # an aim
        modifier = token.pos_ == "ADJ" and token.head.pos_ == "ADJ"
        if token.dep_ in _CLAUSE_DEPS and not infinitive and not modifier:
            stated.add(predicate)
    return negated, asserted, stated


def _unasserted(token: Token) -> bool:
    """An infinitive that completes a noun or another verb ("their pledge to allow civilians to
    leave", "wanted to stay") states an aim, not that it happened: it has no polarity to oppose."""
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children)
    return (
        infinitive
        and not _certain(token)
        and token.dep_ in {"acl", "xcomp", "ccomp", "advcl"}
        and not _negates(token, {c.i for c in token.children})
    )


def _certain(token: Token) -> bool:
    """An infinitive a word of certainty states as what happens ("destined to fail")."""
    return token.dep_ == "xcomp" and token.head.lemma_.lower() in CERTAINTIES


def _predicate(token: Token) -> str:
    """A verb's lemma, or for "be" (or "seem", "become" ...) with an adjective ("is safe", "seemed
    supportive") the adjective's, or with "against" / "for" ("was against the war") the preposition."""
    if token.lemma_.lower() in _LINKING_VERBS:
        complement = next((c for c in token.children if c.dep_ in {"acomp", "attr", "oprd"}), None)
        if complement is not None:
            return lemma(complement)
        stance = next(
            (c for c in token.children if c.dep_ == "prep" and c.lower_ in {"against", "for"}), None
        )
        if stance is not None:
            return stance.lower_
    return lemma(token)


def _negates(token: Token, inside: set[int]) -> bool:
    """A negation attached to the predicate, or to its subject or object ("No one", "nothing")."""
    for child in token.children:
        if child.i not in inside:
            continue
        if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
            return True
        no = child.lower_ in NEGATING_WORDS or any(  # "no one", "neither X nor Y"
            (g.dep_ == "det" and g.lower_ == "no") or (g.dep_ == "preconj" and g.lower_ == "neither")
            for g in child.children
        )
        if no and child.dep_ in {"nsubj", "nsubjpass", "dobj"}:
            return True
    return False


def _clauses(content: list[Token], inside: set[int], in_slots: set[int]) -> tuple[frozenset[str], ...]:
    """The content lemmas of each clause: a predicate with a subject of its own."""
    heads = [
        t
        for t in content
        if t.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in t.children)
    ]
    found = []
    for head in heads:
        own = [head, *_own_subtree(head, heads)]
        lemmas = frozenset(lemma(t) for t in own if t.i in inside and t.i not in in_slots and _is_content(t))
        if lemmas:
            found.append(lemmas)
    return tuple(found)


def _own_subtree(head: Token, heads: list[Token]) -> Iterable[Token]:
    """The tokens under `head` but not under another clause's head."""
    others = {h.i for h in heads if h.i != head.i}
    stack = list(head.children)
    while stack:
        token = stack.pop()
        if token.i in others:
            continue
        yield token
        stack.extend(token.children)


def _kind(token: Token, names_at: set[int]) -> str:
    if token.lower_ in NEGATING_WORDS:
        return "negation"
    if is_number(token):
        return "number"
    return "name" if token.i in names_at else "word"


def _is_content(token: Token) -> bool:
    word = lemma(token)
    return (
        token.pos_ in _CONTENT_POS
        and word not in STOP_WORDS
        and word not in _FRAME_VERBS
        and not token.like_num
        and any(ch.isalpha() for ch in word)
    )
