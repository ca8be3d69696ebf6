"""Every word list of the project, in one place: stop words, speech cues, roles, denials.

Lists are plain frozensets (or regex alternations built from them) so that a rule that needs
"a role noun" or "a denial" uses the same words wherever it is written.
"""

from __future__ import annotations

import re

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom whose why will with would you your yours yourself yourselves also said says say
    tell told according many much one ones did does doing get got make made""".split()
)

# Words that end in a period without ending a sentence (lower-cased, final period left out).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm maj gov sen rep rev pres hon no nos vs
    etc inc ltd co corp dept univ approx est fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    u.s u.k u.n e.g i.e a.m p.m d.c""".split()
)

# Verbs that introduce what someone said, in the order a regex should try them.
SPEECH_CUES = (
    "said says say told tells added adds stated states declared claimed claims denied denies "
    "insisted insists warned warns wrote writes asked asks urged urges announced announces noted "
    "notes explained explains confirmed confirms admitted admits tweeted posted replied responded "
    "argued argues stressed stresses acknowledged acknowledges saying adding calling_for "
    "called_for calls_for called_on calls_on vowed vows promised promises"
).split()
# The cues that introduce reported speech without quotation marks ("X said that ...").
REPORTING_CUES = (
    "said says told claimed claims denied denies insisted insists warned warns stated announced "
    "announces confirmed confirms added admitted acknowledged saying argued argues called_for "
    "calls_for calling_for urged urges vowed vows promised promises"
).split()

# Lemmas of verbs that introduce a quotation, for the parser: the cue verbs of direct quotes in
# PolNeAR train/ (said, told, added, wrote, asked, tweeted, ...), with their obvious kin.
SPEECH_VERBS = frozenset(
    """
    say tell add write ask note report announce suggest tweet argue continue explain declare
    acknowledge recall urge claim respond reply state warn promise insist predict conclude agree
    joke quip complain remark observe boast admit confirm deny testify shout scream yell exclaim
    muse concede counter retort emphasize stress recount lament proclaim post describe call
    caution charge contend assert maintain vow pledge reiterate plead tout brag mock chant
    read accuse cite point assure blast answer quote allege criticize interject chide shoot email
    """.split()
)
# Nouns that say what a person is (a role), singular and plural.
ROLE_NOUNS = frozenset(
    """
    commander commanders chief president presidential mayor governor minister spokesman spokeswoman
    spokesperson adviser advisor aide official officials secretary leader general ambassador
    chancellor premier director head analyst envoy prosecutor officer deputy senator lawmaker
    representative chairman chairwoman ceo founder professor expert researcher doctor resident
    witness captain colonel lieutenant sergeant major king queen pope manager economist engineer
    inspector investigator coach judge mp nurse negotiator owner rescuer teacher volunteer worker
    correspondent reporter editor journalist specialist scientist lawyer activist historian
    physician epidemiologist supervisor councillor councilor executive
    """.split()
)
# Nouns that ask for a person when a question asks "which N ..." ("Which congressman said ...").
PERSON_NOUNS = ROLE_NOUNS | frozenset(
    """congressman congresswoman democrat republican candidate politician man woman person
    activist commentator host anchor moderator strategist""".split()
)
# Lower-case words that may stand in a role written before a name ("the city's regional police chief").
ROLE_CONTEXT = ROLE_NOUNS | frozenset(
    """regiment battalion brigade region city state foreign defense defence interior army military
    police emergency regional district ministry of the""".split()
)
# Titles written before a name ("Ukrainian President Volodymyr Zelensky", "spokesman Dmitry Peskov").
TITLES = (
    "President Mayor Governor Minister Commander Secretary Chancellor Prime_Minister Senator "
    "Representative Judge General Colonel Captain Chief Dr. spokesman spokeswoman adviser advisor "
    "chief commander supervisor analyst specialist minister governor mayor president"
).split()
# Role words that mean the same person in another wording ("the leader" for a president).
ROLE_SYNONYMS = {
    "leader": {"president", "premier", "chancellor", "king", "queen", "leader", "head", "minister"},
    "adviser": {"adviser", "advisor", "aide"},
    "advisor": {"adviser", "advisor", "aide"},
    "aide": {"adviser", "advisor", "aide"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson"},
    "head": {"head", "chief", "director", "leader"},
    "chief": {"head", "chief", "director", "commander"},
}
# Plural nouns for unnamed people: "officials said" names no speaker.
GROUP_NOUNS = (
    "officials residents experts sources witnesses analysts authorities people observers critics "
    "diplomats police officers farmers workers protesters doctors teachers soldiers troops "
    "villagers locals commuters parents students scientists investigators lawmakers activists "
    "citizens voters employees staff"
).split()

# Capitalized words that are never (part of) a person's name.
NOT_NAMES = frozenset(
    """
    The A An But And So Yet Meanwhile However In On At Last This That It It’s It's We They I You
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Mr Mrs Ms Dr President Mayor Governor Minister
    Commander Defence Foreign Prime Chief Secretary General Spokesman
    Presidential Army Colonel Captain Lieutenant Sergeant Senator Sen Rep Gov
    Chairman Chairwoman
    """.split()
)
# Words of a proper noun run that make it a place, body or title, not a person ("New Hampshire",
# "State Department", "Fox News"): such runs are no one "he" or "she" can mean.
NOT_PERSON_WORDS = frozenset(
    """
    New United Department Committee Senate Congress Party Institute University College School
    Street Avenue News Post Times Journal Radio Network Court Council Center Centre Foundation
    Association Agency Bureau Office States City County Republic Union Nations Fund Company Corp
    Inc Zealand Korea Africa America Arabia
    Kingdom Airport Station Square Club Media
    """.split()
)
# Words that end the noun phrase before a speech cue ("... talks with X said": X is the subject).
CLAUSE_BOUNDARIES = frozenset(
    """
    with and but as while that when after before since because if though although whereas where
    which who whom said says told to from for by
    """.split()
)
PREPOSITIONS = frozenset("to with for by of from and at in on about against".split())
# Closed word classes, for what follows a clause boundary (`assistant/attribution/extent.py`).
RELATIVE_PRONOUNS = frozenset("who which whose whom where".split())
SUBORDINATORS = frozenset(
    "although though even while whereas because since as if unless until after before when".split()
)
COORDINATORS = frozenset("and but or nor yet so".split())
DETERMINERS = frozenset("a an the this these those".split())
PERSONAL_PRONOUNS = frozenset("he she they it we i you".split())

# Verbs by which one speaker rebuts another ("Palamar contradicted the adviser"). Without
# "contradicted contradicts" nothing changes on newsqa dev (scripts/ablate_rules.py, 2026-12-08):
# no gain shown on data it was not written from; the seeds' one conflict depends on it.
REBUTTALS = (
    "contradicted contradicts disputed disputes rejected rejects refuted refutes denied denies "
    "dismissed dismisses pushed_back_on challenged"
).split()
# Words that negate a statement: a claim that says one of them needs its cited text to say one.
NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor cannot can't won't didn't doesn't don't isn't "
    "wasn't weren't aren't hasn't haven't hadn't denied denies deny refused rejected".split()
)

# Numbers written as words: what a "how many" question's answer may be.
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions dozen dozens half".split()
)

# Wire agencies a wire tag ("WASHINGTON (AP) —"), a byline or a copyright line may name. Measured
# by scripts/ablate_rules.py on PolNeAR dev (84 articles, not written from; 2026-12-08): the list
# names the wire of 2 texts (Breitbart reprints of AP stories), 0 without it. The 24 other outlet
# names it held (Fox News, CNN, BBC, The Kyiv Independent, ...) named nothing there and were
# removed; an ingest names its outlet with `--outlet` or a sidecar.
OUTLETS = (
    "Reuters",
    "Associated Press",
    "AP",
    "AFP",
    "Agence France-Presse",
)


def alternation(words: list[str] | frozenset[str]) -> str:
    """A regex alternation of `words` (underscores are spaces), longest first so none is cut short."""
    phrases = sorted((w.replace("_", " ") for w in words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(p) for p in phrases)


# Lines of site furniture, never a headline (lower case; a line containing one is skipped).
SITE_BOILERPLATE = (
    "you can now listen",  # unmeasured: no held-out text (PolNeAR, NQ, SQuAD) has audio furniture
    "listen to this article",
    "sign up",
    "subscribe",
    "newsletter",
    "advertisement",
    "click here",
    "read more",
    "cookie",
    "all rights reserved",
    "©",
    "share this",
    "follow us",
    "skip to",
)

# Lemmas of verbs that report a request or an order as said to someone: `X urged Y to ...`,
# `X called on Y not to ...`, `X told Y to ...` (the cues of such attributions in PolNeAR train/:
# told, asked, urged, warned, called on, ordered, encouraged; with their obvious kin).
DIRECTIVE_VERBS = frozenset(
    "urge ask call order tell instruct implore encourage beg appeal advise warn press direct "
    "command exhort plead challenge".split()
)
# The particle a directive verb takes before whom it addresses: `called on`, `appealed to`.
DIRECTIVE_PARTICLES = {"call": {"on", "upon"}, "appeal": {"to"}, "plead": {"with"}}
