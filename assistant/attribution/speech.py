"""Who a quotation belongs to, read from a dependency parse: the subject of the speech verb next
to it (`“...,” Obama told a crowd in Columbus`), the noun phrase before a colon (`Windsor Mann,
editor of The Quotable Hitchens: “...”`), or the object of "according to".

The parse replaces the hand-written patterns of `cues` where it finds a speech verb; those
patterns remain the fallback where it finds none.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from assistant.attribution.mentions import Mention, mention_at
from assistant.text.sentences import inside
from assistant.text.words import NOT_PERSON_WORDS, SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECTS = {"nsubj", "nsubjpass"}
_HONORIFICS = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"}
# Parts of a subject phrase that are not the speaker: "Obama, who was campaigning ..., said".
_NOT_SUBJECT = {"relcl", "acl", "advcl", "cc", "conj", "prep", "punct", "parataxis", "dep", "ccomp"}
# Words that open where or when something was said (`... in a long speech`), not what was said.
_CIRCUMSTANCES = {"in", "on", "at", "during", "after", "before", "while", "when", "from", "with", "as"}
_SAID = {"ccomp", "xcomp", "dobj", "oprd", "attr", "prep", "dative"}  # what a speech verb governs
_CLIMB = {"conj", "advcl", "xcomp", "ccomp", "acl", "relcl", "parataxis"}
# What a letter, a statement or a post does with its words (`“...,” it read`).
_DOCUMENT_VERBS = {"say", "read", "state", "add", "note", "write", "tweet", "post", "conclude", "continue"}


def parse_attribution(
    doc: Doc, offset: int, text: str, q_start: int, q_end: int, marks: list[tuple[int, int]]
) -> tuple[str, Mention] | None:
    """(cue, mention) of the quotation `text[q_start:q_end]`, from the parse `doc` of the
    paragraph that starts at `offset`; None when its sentence has no speech verb outside quotes."""
    sentences = [s for s in doc.sents if s.start_char + offset < q_end and q_start < s.end_char + offset]
    if not sentences:
        return None
    if re.search(r"[?!][”\"]?$", text[q_start:q_end]):
        # `“Should there be a database?” a reporter asked`: the parse ends the sentence at the
        # question mark, the cue after it still belongs to the question
        sentences += [s for s in doc.sents if q_end <= s.start_char + offset <= q_end + 2]
    colon = _colon_speaker(doc, offset, text, q_start, marks)
    if colon is not None:
        return colon
    cues = [
        t
        for s in sentences
        for t in s
        if not inside(marks, t.idx + offset) and is_speech(t) and subject_token(t) is not None
    ]
    if not cues:
        return None

    def distance(t: Token) -> int:
        at = t.idx + offset
        return q_start - at if at < q_start else at - q_end

    cue = min(cues, key=distance)
    # `"Meh," wrote a Trump supporter`: a short quotation parsed as a second subject is no speaker
    outside = [c for c in cue.children if c.dep_ in _SUBJECTS and not inside(marks, c.idx + offset)]
    subject = outside[0] if outside else subject_token(cue)
    assert subject is not None
    at = subject.idx + offset
    if subject.lower_ == "it" and cue.lemma_.lower() in _DOCUMENT_VERBS and not text[q_end:at].strip(" ,"):
        # `“...,” it read.`: a letter or statement speaks, left for the article to name
        return cue.text, Mention(subject.text, at, at + 2)
    mention = speaker_phrase(text, offset, subject, marks)
    return (cue.text, mention) if mention else None


def said_content(
    doc: Doc, offset: int, q_start: int, q_end: int, marks: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """What a speech verb's clause says, when a quotation is only part of it: `Sanders said his
    rival is in “serious trouble.”` -> `his rival is in “serious trouble.”`; None otherwise. The
    innermost such clause wins, and none that holds another speaker's verb (a misparse that runs
    on into the next sentence)."""
    words = [t for t in starting_within(doc, q_start - offset, q_end - offset) if not t.is_punct]
    if not words:
        return None
    found: list[tuple[int, int]] = []
    for token in doc[words[0].sent.start : words[-1].sent.end]:  # a clause holding them is in their tree
        at = token.idx + offset
        if inside(marks, at) or not is_speech(token) or token.lower_ == "according":
            continue
        clause = [c for c in token.children if c.dep_ in _SAID and c.i > token.i]
        if any(c.dep_ == "ccomp" for c in clause):  # "told a town hall that ...": no recipient
            clause = [c for c in clause if c.dep_ not in {"dobj", "dative"} or c.i > words[-1].i]
        holder = next(
            (c for c in clause if c.left_edge.i <= words[0].i and words[-1].i <= c.right_edge.i), None
        )
        if holder is None:
            continue
        clause = [c for c in clause if c.dep_ != "prep" or c is holder]  # "told ... in Salem that"
        first = min(c.left_edge.i for c in clause)
        last = max(c.right_edge.i for c in clause)
        # what follows in the sentence belongs to it too (`... is “peanuts,” compared to ...`)
        rest = doc[last + 1 : token.sent.end]
        after = next((t for t in rest if not t.is_punct), None)
        circumstance = after is not None and after.lower_ in _CIRCUMSTANCES and after.head.i == token.i
        if not (
            circumstance
            or _holds_a_cue(rest, offset, marks)
            or any(t.dep_ == "cc" and t.head.i == token.i for t in rest)
        ):
            last = token.sent.end - 1
        while last > first and doc[last].is_punct and doc[last].text not in '”"':
            last -= 1
        start, end = doc[first].idx + offset, doc[last].idx + len(doc[last].text) + offset
        inner = words[0].idx + offset, _end_of(words[-1]) + offset
        end = max(end, q_end) if inner[1] <= end else end  # with its closing mark
        wide = start <= inner[0] and inner[1] <= end and (end - start) > 1.3 * (q_end - q_start)
        if wide and not _holds_a_cue(doc[first : last + 1], offset, marks):
            found.append((start, end))
    return min(found, key=lambda span: span[1] - span[0], default=None)


def starting_within(doc: Doc, start: int, end: int) -> Span:
    """The tokens of `doc` that start at a character offset in `start:end`."""
    starts = doc.user_data.get("starts")
    if starts is None:
        starts = doc.user_data["starts"] = [t.idx for t in doc]
    return doc[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def introducing_subject(doc: Doc, offset: int, text: str) -> tuple[str, Mention] | None:
    """(verb, subject) of the last sentence of a paragraph that introduces a quotation with a
    colon, whatever its verb (`Clinton released the following statement:`); None without one."""
    root = list(doc.sents)[-1].root
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if root.pos_ not in {"VERB", "AUX"} or subject is None or any(c.dep_ == "mark" for c in root.children):
        return None  # a clause opened by "as" (`Full text as follows:`) is no one speaking
    mention = speaker_phrase(text, offset, subject, [])
    return (root.text, mention) if mention else None


def is_speech(token: Token) -> bool:
    if token.lemma_.lower() in SPEECH_VERBS and token.pos_ in {"VERB", "AUX"}:
        return True
    if token.lemma_.lower() == "go" and any(c.dep_ == "prt" and c.lower_ == "on" for c in token.children):
        return True  # `“...,” she went on.`
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def subject_token(verb: Token) -> Token | None:
    """The verb's subject, or that of the clause it hangs on ("..., adding “...”")."""
    if verb.lower_ == "according":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    current: Token | None = verb
    for _ in range(3):
        if current is None:
            return None
        subject = next((c for c in current.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
        subject = _relative_misparse(current)
        if subject is not None:
            return subject
        if current.dep_ == "acl" and current.head.i < current.i and _after_quotation(current.head):
            # `“...!” the nominee, Donald Trump, tweeted Sunday`: a misparse hangs the cue on the
            # noun phrase right after the quotation, as if describing it; that phrase is who spoke
            return current.head
        if current.dep_ not in _CLIMB or current.head.i == current.i:
            return None
        current = current.head
    return None


def _relative_misparse(verb: Token) -> Token | None:
    """`Sanders, who sits at zero endorsements, said ...`: a misparse makes the relative clause
    the verb's complement and gives it two subjects, the speaker and "who"; the first is his."""
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.i > verb.i:
            continue
        subjects = [c for c in clause.children if c.dep_ in _SUBJECTS]
        if len(subjects) >= 2 and subjects[1].lower_ in {"who", "which"} and subjects[0].i < subjects[1].i:
            return subjects[0]
    return None


def _after_quotation(noun: Token) -> bool:
    """True when the phrase of `noun` opens right after a closing quotation mark."""
    trailing = ""
    for token in reversed(noun.doc[: noun.left_edge.i]):
        if not token.is_punct:
            break
        trailing += token.text
    return any(mark in trailing for mark in '”"')


def _phrase(head: Token, skip: set[str]) -> list[Token]:
    """The head and the dependents that belong to its noun phrase."""
    keep = [head]
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in skip and not (child.dep_ == "punct" and child.i < head.i):
                continue
            keep.append(child)
            stack.append(child)
    return keep


def speaker_phrase(text: str, offset: int, head: Token, marks: list[tuple[int, int]]) -> Mention | None:
    """The speaker phrase around a subject head: its name and titles, no clauses; an appositive
    gives the role (`Arthur Hellman, a law professor`) or the name (`his spokeswoman, AshLee Strong`)."""
    appositive = next((c for c in head.children if c.dep_ == "appos"), None)
    names_in_appositive = appositive is not None and head.pos_ != "PROPN" and appositive.pos_ == "PROPN"
    keep = [
        t
        for t in _phrase(head, _NOT_SUBJECT if names_in_appositive else _NOT_SUBJECT | {"appos"})
        if not t.is_punct and not inside(marks, t.idx + offset)  # a misparse hangs quoted words on it
    ]
    if not keep:
        return None
    start = min(t.idx for t in keep) + offset
    end = max(t.idx + len(t.text) for t in keep) + offset
    if inside(marks, start) or inside(marks, end - 1):
        return None
    mention = mention_at(text, start, end)
    if mention is None or not mention.name:
        # "Deputy Commander of Azov regiment Sviatoslav Palamar": the name hangs under the "of"
        whole = [t for t in _phrase(head, _NOT_SUBJECT - {"prep", "cc", "conj"}) if not t.is_punct]
        wider = mention_at(
            text, min(t.idx for t in whole) + offset, max(t.idx + len(t.text) for t in whole) + offset
        )
        if wider is not None and wider.name and not inside(marks, wider.start):
            return wider
    if mention is not None and mention.name and appositive is not None and not names_in_appositive:
        role = [t for t in _phrase(appositive, {"relcl", "acl", "punct", "cc", "conj"}) if not t.is_punct]
        role_start = min(t.idx for t in role) + offset
        mention.role = mention.role or text[role_start : max(t.idx + len(t.text) for t in role) + offset]
    return mention


def _colon_speaker(
    doc: Doc, offset: int, text: str, q_start: int, marks: list[tuple[int, int]]
) -> tuple[str, Mention] | None:
    """`Windsor Mann, editor of The Quotable Hitchens: “...`: a noun phrase, a colon, the quote."""
    before = text[:q_start].rstrip()
    if not before.endswith(":"):
        return None
    colon_at = len(before) - 1 - offset
    span: Span | None = doc.char_span(0, colon_at, alignment_mode="contract")
    if span is None or not len(span):
        return None
    sentence = doc[span.end - 1].sent
    words = doc[max(sentence.start, span.start) : span.end]
    if any(is_speech(t) for t in words):
        return None  # "X said:" is a cue the verb rule handles
    if any(t.pos_ in {"VERB", "AUX"} for t in words):
        return None  # a clause, not a speaker: "Here is what happened:"
    root = words.root
    if root.pos_ not in {"PROPN", "NOUN", "PRON"}:
        return None
    mention = speaker_phrase(text, offset, root, marks)
    return (":", mention) if mention else None


def governing_clause(
    doc: Doc, offset: int, text: str, q_start: int, q_end: int, marks: list[tuple[int, int]]
) -> tuple[tuple[int, int], tuple[str, Mention] | None] | None:
    """A quotation that is only part of a clause: the words the verb it hangs on governs, from
    that verb's first dependent on the right to the quotation's end (`Obama called Wall Street
    bankers “fat cats”` -> `Wall Street bankers “fat cats”`), with (cue, mention) of that verb's
    subject when it has one; None when the quotation is a clause of its own."""
    inner = [t for t in starting_within(doc, q_start - offset, q_end - offset) if not t.is_punct]
    if (
        not inner
        or _named_thing(inner)
        or text[max(0, q_start - 12) : q_start].rstrip().endswith("so-called")
    ):
        return None
    hangs = [t for t in inner if t.head.i != t.i and not q_start <= t.head.idx + offset < q_end]
    if not hangs:
        return None
    verb: Token | None = hangs[0].head
    while verb is not None and verb.pos_ not in {"VERB", "AUX"}:
        verb = verb.head if verb.head.i != verb.i else None
    if verb is None or inside(marks, verb.idx + offset) or verb.lemma_ in {"seem", "appear", "become"}:
        return None  # "he seems “content”": a description, not speech
    right = [c for c in verb.children if c.i > verb.i and not c.is_punct and c.dep_ not in {"cc", "conj"}]
    holding = [
        c for c in right if c.left_edge.idx + offset < q_end and q_start < _end_of(c.right_edge) + offset
    ]
    if not holding or (all(c.dep_ == "prep" for c in holding) and not any(c.dep_ == "dobj" for c in right)):
        return None  # "on “Fox & Friends”": a circumstance, not what was said
    start = min(c.left_edge.idx for c in right) + offset
    end = max(_end_of(c.right_edge) for c in holding) + offset
    end = max(end, q_end)
    if start >= q_start and end - start < 1.3 * (q_end - q_start):
        return None  # the quotation is (nearly) all the verb governs
    if _holds_a_cue(
        doc[min(c.left_edge.i for c in right) : max(c.right_edge.i for c in holding) + 1], offset, marks
    ):
        return None  # a misparse running on into the next sentence, whose verb has its own speaker
    speaker = None
    speech = verb
    while (
        speech is not None and not is_speech(speech) and speech.dep_ in _CLIMB and speech.head.i != speech.i
    ):
        speech = speech.head
    for cue in (speech, verb) if speech is not None and is_speech(speech) else (verb,):
        subject = subject_token(cue)
        if subject is not None and subject.tag_ in {"WP", "WDT"} and cue.dep_ == "relcl":
            subject = cue.head  # "a surrogate who said ...": the one the clause is about
        mention = speaker_phrase(text, offset, subject, marks) if subject is not None else None
        if mention is not None:
            speaker = (cue.text, mention)
            break
    return (start, end), speaker


def _end_of(token: Token) -> int:
    return token.idx + len(token.text)


def _named_thing(words: list[Token]) -> bool:
    """A title in quotation marks (`“Fox & Friends”`, `"Crashing the Party"`), not words said."""
    capitalised = [t for t in words if t.is_title or t.is_upper or not t.is_alpha]
    return len(words) <= 6 and len(capitalised) >= len(words) - 1 and words[0].is_title


def _holds_a_cue(words: Span, offset: int, marks: list[tuple[int, int]]) -> bool:
    """True when `words` hold a speech verb with a subject of its own, outside quotation marks."""
    return any(
        is_speech(t) and not inside(marks, t.idx + offset) and subject_token(t) is not None for t in words
    )


def names_in(doc: Doc, offset: int) -> list[Mention]:
    """Full names in a parse: runs of two or three capitalised proper nouns heading a noun phrase
    that is a subject, object or apposition (`Donald Trump`, not `New York` in `New York values`)."""
    found = []
    for token in doc:
        if token.tag_ != "NNP" or token.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"}:
            continue
        run = [c for c in token.lefts if c.dep_ == "compound" and c.tag_ == "NNP" and c.i >= token.i - 2]
        if not run or run[0].i != token.i - len(run) or not all(t.is_title for t in [*run, token]):
            continue
        run = [t for t in run if t.text.rstrip(".") not in _HONORIFICS]  # "Mr. Clarke" is no full name
        if not run:
            continue
        if any(t.text in NOT_PERSON_WORDS for t in [*run, token]):
            continue  # "New Hampshire", "State Department": a place or a body, not a person
        name = doc.text[run[0].idx : _end_of(token)]
        found.append(Mention(name, run[0].idx + offset, _end_of(token) + offset, name=name))
    return found
