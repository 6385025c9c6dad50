"""The coder on single sentences with hand-made linked mentions: triggers, roles by word
order and prepositions, reported speech, negation, hypotheticals, dates, threats."""

from marsad.events.coder import EventCoder
from marsad.events.model import Affiliation, CodedEvent, EntityMention, EventDate
from marsad.text.dates.model import PartialDate

PUBLISHED = EventDate("2024-03-06", "day", "certain", source="published")
KINDS = {
    "Hezbollah": "organization",
    "Hamas": "organization",
    "Badr": "organization",
    "Naim Qassem": "person",
    "حزب الله": "organization",
    "حماس": "organization",
    "نعيم قاسم": "person",
    "حزب‌الله": "organization",
    "کتائب حزب‌الله": "organization",
    "חיזבאללה": "organization",
    "חמאס": "organization",
}
PLACES = {
    "Beirut": "city",
    "Iraq": "country",
    "بيروت": "city",
    "عراق": "country",
    "بیروت": "city",
    "ביירות": "city",
}


def mentions_in(text: str) -> list[EntityMention]:
    found = []
    for surface, kind in KINDS.items():
        start = text.find(surface)
        if start >= 0 and not any(m.start <= start < m.end for m in found):
            found.append(EntityMention(f"id:{surface}", surface, start, start + len(surface), kind))
    for surface, place_type in PLACES.items():
        start = text.find(surface)
        if start >= 0:
            end = start + len(surface)
            found.append(EntityMention(f"id:{surface}", surface, start, end, "place", place_type))
    return sorted(found, key=lambda m: m.start)


def code(
    text: str,
    language: str,
    dates: list[PartialDate] | None = None,
    affiliations: list[Affiliation] | None = None,
) -> list[CodedEvent]:
    return EventCoder().code(
        text,
        [(0, len(text), language)],
        mentions_in(text),
        dates or [],
        PUBLISHED,
        affiliations or [],
    )


def roles(event: CodedEvent) -> list[tuple[str, str]]:
    return [(actor.surface, actor.role) for actor in event.actors]


def test_subject_acts_and_a_preposition_marks_the_participant_and_place() -> None:
    (event,) = code("Hezbollah held talks with Hamas in Beirut.", "en")
    assert event.type == "meet"
    assert roles(event) == [("Hezbollah", "actor"), ("Hamas", "participant")]
    assert event.place_id == "id:Beirut"


def test_arabic_verb_first_order_puts_the_subject_after_the_verb() -> None:
    (event,) = code("التقى نعيم قاسم وفدا من حماس في بيروت.", "ar")
    assert roles(event) == [("نعيم قاسم", "actor"), ("حماس", "participant")]


def test_farsi_verb_last_order_and_the_object_marker() -> None:
    text = "کتائب حزب‌الله دیروز حزب‌الله را تهدید کرد."
    (event,) = code(text, "fa")
    assert event.type == "threaten"
    assert roles(event) == [("کتائب حزب‌الله", "actor"), ("حزب‌الله", "target")]


def test_hebrew_attached_preposition_marks_the_place() -> None:
    (event,) = code("חיזבאללה נפגש עם חמאס בביירות.", "he")
    assert roles(event) == [("חיזבאללה", "actor"), ("חמאס", "participant")]
    assert event.place_id == "id:ביירות"


def test_the_source_of_a_report_is_no_participant() -> None:
    (event,) = code("According to Badr, Hezbollah met Hamas in Beirut.", "en")
    assert roles(event) == [("Hezbollah", "actor"), ("Hamas", "participant")]
    (said,) = code("Badr said that Hezbollah had met Hamas.", "en")
    assert roles(said) == [("Hezbollah", "actor"), ("Hamas", "participant")]


def test_a_speaker_without_another_subject_is_the_actor() -> None:
    (event,) = code("Hezbollah said it would strike US forces in Iraq.", "en")
    assert event.type == "threaten"
    assert roles(event) == [("Hezbollah", "actor"), ("US forces in Iraq", "target")]


def test_negated_events_are_not_coded() -> None:
    assert code("Hezbollah did not meet Hamas in Beirut.", "en") == []
    assert code("لم يلتق حزب الله مع حماس في بيروت.", "ar") == []
    assert code("חיזבאללה לא נפגש עם חמאס.", "he") == []


def test_a_denial_is_coded_and_what_it_denies_is_not() -> None:
    (event,) = code("Hamas denied any role in the attack on Hezbollah.", "en")
    assert event.type == "deny" and roles(event) == [("Hamas", "actor")]


def test_announced_events_are_marked_hypothetical() -> None:
    (event,) = code("Hezbollah plans to open an office in Beirut.", "en")
    assert (event.type, event.modality) == ("open_office", "hypothetical")
    assert event.confidence <= 0.5
    (asserted,) = code("Hezbollah opened a new office in Beirut.", "en")
    assert asserted.modality == "asserted"


def test_the_date_in_the_sentence_wins_else_the_publication_date_as_fallback() -> None:
    text = "Hezbollah met Hamas on 4 March 2024."
    written = PartialDate("2024-03-04", "day", "certain", "gregorian", "4 March 2024", 23, 35)
    (dated,) = code(text, "en", [written])
    assert dated.date == EventDate("2024-03-04", "day", "certain", "gregorian", "4 March 2024")
    (undated,) = code("Hezbollah met Hamas.", "en", [written])  # the date is elsewhere
    assert undated.date == EventDate("2024-03-06", "day", "likely", source="published")


def test_threat_severity_levels() -> None:
    cases = {
        "Hezbollah threatened to strike Hamas if the shelling continued.": "conditional",
        "Hezbollah threatened Hamas, saying its missiles can reach any target.": "capability_boast",
        "Hezbollah vowed to strike Hamas.": "explicit_violence",
        "Hezbollah warned Hamas that it will pay a heavy price.": "vague",
    }
    for text, severity in cases.items():
        (event,) = code(text, "en")
        assert (event.type, event.severity) == ("threaten", severity), text
        assert ("Hamas", "target") in roles(event), text


def test_an_organisation_describing_a_person_is_no_participant_of_its_own() -> None:
    text = "Hezbollah secretary-general Naim Qassem met Hamas."
    affiliation = Affiliation("id:Naim Qassem", "id:Hezbollah", 0, 39)
    (event,) = code(text, "en", affiliations=[affiliation])
    assert roles(event) == [("Naim Qassem", "actor"), ("Hamas", "participant")]


def test_coordinated_subjects_of_a_meeting() -> None:
    (event,) = code("Hezbollah and Hamas met in Beirut.", "en")
    assert roles(event) == [("Hezbollah", "actor"), ("Hamas", "participant")]
    (arabic,) = code("ووقع حزب الله وحماس اتفاقا للتنسيق.", "ar")
    assert arabic.type == "cooperate"
    assert roles(arabic) == [("حزب الله", "actor"), ("حماس", "participant")]


def test_evidence_is_the_sentence_with_document_offsets() -> None:
    text = "Residents described the day as calm.\nHezbollah met Hamas in Beirut."
    (event,) = code(text, "en")
    assert text[event.start : event.end] == "Hezbollah met Hamas in Beirut."


def test_a_language_without_a_lexicon_codes_nothing() -> None:
    assert code("Hezbollah met Hamas.", "xx") == []


def test_a_country_acts_only_right_beside_the_verb() -> None:
    (event,) = code("Iraq hosted Hamas in Beirut.", "en")
    assert roles(event) == [("Iraq", "actor"), ("Hamas", "participant")]
    # "Iraq's parliament" is an agent of its own (IRQ + LEG), not the country acting
    (talks,) = code("Iraq's parliament and its committees held talks on the budget.", "en")
    assert ("Iraq", "actor") not in roles(talks)
    assert roles(talks)[0] == ("Iraq's parliament", "actor")


def test_a_trigger_referring_back_is_not_a_new_event() -> None:
    assert len(code("Hezbollah met Hamas in Beirut.", "en")) == 1
    assert [e.type for e in code("Hezbollah welcomed this meeting with Hamas.", "en")] == [
        "cooperate"  # the welcome is news; "this meeting" is no second meeting
    ]
    assert code("حزب‌الله درباره این دیدار با حماس اظهارنظر کرد.", "fa") == []
    assert len(code("حزب‌الله درباره دیدار با حماس اظهارنظر کرد.", "fa")) == 1


def test_a_passive_by_agent_acts_and_the_subject_suffers() -> None:
    (event,) = code("Hamas was attacked by Hezbollah in Beirut.", "en")
    assert roles(event) == [("Hezbollah", "actor"), ("Hamas", "target")]


def test_a_passive_without_agent_keeps_the_counted_victims() -> None:
    (event,) = code("Eight Hamas members were killed in Beirut.", "en")
    assert roles(event) == [("Hamas", "victim")]


def test_a_comma_list_ending_in_and_is_one_group_of_actors() -> None:
    (event,) = code("Hezbollah, Badr and Hamas held talks in Beirut.", "en")
    assert {surface for surface, _ in roles(event)} == {"Hezbollah", "Badr", "Hamas"}


def test_names_in_a_later_clause_take_no_part() -> None:
    events = code("Hezbollah met Badr two years after Hamas opened an office.", "en")
    (event,) = [e for e in events if e.type == "meet"]
    assert roles(event) == [("Hezbollah", "actor"), ("Badr", "participant")]


def test_a_relative_clause_is_background_not_news() -> None:
    events = code("Badr welcomed Hamas, which had attacked Hezbollah.", "en")
    attack = next(e for e in events if e.type == "attack")
    assert attack.modality == "background"


def test_a_reporting_source_is_not_the_actor_of_what_it_reports() -> None:
    (event,) = code("Hamas said gunmen attacked Hezbollah.", "en")
    assert ("Hamas", "actor") not in roles(event)
    assert ("gunmen", "actor") in roles(event)


def test_a_capability_boast_takes_its_speaker_and_target() -> None:
    (event,) = code("The group can reach the depths of Iraq, Hezbollah said.", "en")
    assert event.type == "threaten" and event.severity == "capability_boast"
    assert roles(event) == [("Hezbollah", "actor"), ("Iraq", "target")]


def test_a_speech_act_inside_an_explicit_statement_is_the_statement() -> None:
    (event,) = code("In a statement, Hamas urged Hezbollah to stay calm.", "en")
    assert event.type == "statement"
    (event,) = code("Hamas urged Hezbollah to stay calm.", "en")
    assert event.type == "appeal"


def test_an_arabic_past_perfect_is_background_not_hypothetical() -> None:
    events = code("وكانت حماس قد هاجمت حزب الله في بيروت.", "ar")
    (attack,) = [e for e in events if e.type == "attack"]
    assert attack.modality == "background"


def test_an_explicit_date_beats_a_guessed_one_in_the_same_sentence() -> None:
    text = "Hezbollah met Hamas late that winter, on 3 March 2024."
    guess_at, explicit_at = text.index("late that winter"), text.index("3 March 2024")
    dates = [
        PartialDate(
            "2024-02",
            "month",
            "possible",
            "gregorian",
            "late that winter",
            guess_at,
            guess_at + 16,
        ),
        PartialDate(
            "2024-03-03",
            "day",
            "certain",
            "gregorian",
            "3 March 2024",
            explicit_at,
            explicit_at + 12,
        ),
    ]
    (event,) = code(text, "en", dates)
    assert event.date is not None and event.date.value == "2024-03-03"


def test_an_arabic_attack_is_coded_with_no_linked_name_at_all() -> None:
    (event,) = code("شنت القوات الأمريكية غارة جوية على مواقع الفصائل.", "ar")
    assert event.type == "attack"
    assert roles(event) == [("القوات الأمريكية", "actor"), ("الفصائل", "target")]


def test_what_an_appeal_asks_for_is_not_coded_as_done() -> None:
    assert [e.type for e in code("Hamas called for a ceasefire with Hezbollah.", "en")] == [
        "appeal"
    ]


def test_an_attack_and_the_killing_it_caused_are_one_event() -> None:
    (event,) = code("Hezbollah attacked Badr in Beirut, killing three Hamas members.", "en")
    assert event.type == "attack"
    assert ("Hezbollah", "actor") in roles(event) and ("Hamas", "victim") in roles(event)


def test_a_list_keeps_its_members_across_articles_and_adjectives() -> None:
    (event,) = code("Hezbollah, the small Badr, and the old Hamas held talks in Beirut.", "en")
    assert {surface for surface, _ in roles(event)} == {"Hezbollah", "Badr", "Hamas"}


def test_postponing_a_meeting_reduces_relations_and_a_visit_is_a_meeting() -> None:
    (event,) = code("Hezbollah and Badr postponed their planned meeting.", "en")
    assert event.type == "reduce_relations"
    (event,) = code("A Hamas envoy arrived in Beirut for talks.", "en")
    assert event.type == "meet"


def test_a_vow_of_war_is_a_threat_not_an_attack() -> None:
    (event,) = code("Hezbollah vowed on Sunday to wage war on Badr.", "en")
    assert event.type == "threaten"
    assert roles(event) == [("Hezbollah", "actor"), ("Badr", "target")]


def test_a_sentence_that_only_reports_speech_is_the_speakers_statement() -> None:
    (event,) = code("Hezbollah believes Badr can cope with the drought.", "en")
    assert event.type == "statement" and roles(event)[0] == ("Hezbollah", "actor")
    (event,) = code("Hamas said gunmen attacked Hezbollah.", "en")
    assert event.type == "attack"  # a report of an event codes the event, not the speech
    assert code("The meeting was held in Beirut, Hamas said.", "en") == []


def test_what_a_statement_is_about_is_its_target() -> None:
    (event,) = code("Hezbollah believes Badr and Hamas can cope with the drought.", "en")
    assert roles(event) == [("Hezbollah", "actor"), ("Badr", "target"), ("Hamas", "target")]


def test_a_by_phrase_inside_the_object_is_no_agent_of_the_verb() -> None:
    (event,) = code("Hezbollah condemned an attack by Badr in Beirut.", "en")
    assert roles(event) == [("Hezbollah", "actor"), ("Badr", "target")]
    (event,) = code("Hezbollah condemned the deaths caused in Beirut by Badr.", "en")
    assert ("Hezbollah", "actor") in roles(event)
    (event,) = code("Three Hamas members killed in Beirut by Badr.", "en")
    assert ("Badr", "actor") in roles(event)


def test_every_object_of_the_verb_in_its_clause_takes_the_object_role() -> None:
    (event,) = code("Hezbollah warned Hamas about Badr.", "en")
    assert roles(event) == [("Hezbollah", "actor"), ("Hamas", "target"), ("Badr", "target")]


def test_a_verb_coordinated_after_a_speech_act_is_another_deed_of_its_subject() -> None:
    accuse, expel = code("Hezbollah condemned an attack by Badr and expelled Hamas envoys.", "en")
    assert (accuse.type, expel.type) == ("accuse", "expel")
    assert roles(expel) == [("Hezbollah", "actor"), ("Hamas", "target")]
    (appeal,) = code("Hezbollah urged Badr to stop and to release Hamas prisoners.", "en")
    assert appeal.type == "appeal"  # what an appeal asks for is still not done


def test_conceding_in_words_is_a_statement_and_opposing_is_a_rejection() -> None:
    (event,) = code("Hezbollah allowed that Badr is no easy partner.", "en")
    assert event.type == "statement"
    assert roles(event) == [("Hezbollah", "actor"), ("Badr", "target")]
    (event,) = code("Hezbollah was fiercely opposed by Badr.", "en")
    assert event.type == "reject" and roles(event) == [("Badr", "actor"), ("Hezbollah", "target")]


def test_a_written_date_beats_one_inferred_from_the_publication_day() -> None:
    text = "Yesterday Hezbollah said it met Hamas in Beirut on 3 March 2024."
    dates = [
        PartialDate("2024-03-05", "day", "certain", "gregorian", "Yesterday", 0, 9, anchored=True),
        PartialDate(
            "2024-03-03", "day", "certain", "gregorian", "3 March 2024", 51, 63, anchored=False
        ),
    ]
    assert text[51:63] == "3 March 2024"
    (event,) = code(text, "en", dates)
    assert event.date is not None and event.date.value == "2024-03-03"


def test_a_noun_trigger_in_a_prepositional_phrase_takes_the_clause_subject() -> None:
    (event,) = code("Hezbollah engaged Badr in a firefight on Saturday.", "en")
    assert event.type == "attack"
    assert roles(event) == [("Hezbollah", "actor"), ("Badr", "target")]


def test_agent_nouns_are_no_triggers_of_their_act() -> None:
    (event,) = code("Protesters demolished the office of the ruling party.", "en")
    assert event.type == "coerce" and roles(event)[0] == ("Protesters", "actor")


def test_a_year_naming_a_noun_does_not_date_the_event() -> None:
    text = "Hezbollah met Hamas on Tuesday to discuss the 2006 war and its 2014 sequel."
    tuesday, war = text.index("on Tuesday"), text.index("2006")
    dates = [
        PartialDate(
            "2024-03-05", "day", "likely", "gregorian", "on Tuesday", tuesday, tuesday + 10
        ),
        PartialDate("2006", "year", "certain", "gregorian", "2006", war, war + 4),
    ]
    (event,) = code(text, "en", dates)
    assert event.date is not None and event.date.value == "2024-03-05"
    text = "Hezbollah met Hamas in 2006 in Beirut."
    year = text.index("2006")
    (event,) = code(
        text, "en", [PartialDate("2006", "year", "certain", "gregorian", "2006", year, year + 4)]
    )
    assert event.date is not None and event.date.value == "2006"


def test_a_country_an_event_happened_in_is_its_setting_not_a_party() -> None:
    (event,) = code("Hamas members were killed in Iraq.", "en")
    assert roles(event) == [("Hamas", "victim")]


def test_a_pledged_deed_is_not_yet_done() -> None:
    (event,) = code("Hezbollah pledged to expel Hamas envoys.", "en")
    assert event.type == "expel" and event.modality == "hypothetical"


def test_a_trigger_opened_by_its_auxiliary_is_passive() -> None:
    (event,) = code("Hamas members were released by Badr on Monday.", "en")
    assert event.type == "release"
    assert roles(event) == [("Badr", "actor"), ("Hamas", "victim")]


def test_an_arabic_verb_joined_by_its_conjunction_letter_shares_the_subject() -> None:
    accuse, demand = code("أدانت حماس الهجوم، وطالبت حزب الله بالانسحاب.", "ar")
    assert (accuse.type, demand.type) == ("accuse", "demand")
    assert roles(demand) == [("حماس", "actor"), ("حزب الله", "target")]


def test_casualty_counts_given_only_as_numbers_are_kept_in_arabic() -> None:
    # "the attack by gunmen left three dead and seven wounded": no victim noun, only counts
    (event,) = code("أسفر الهجوم الذي شنه مسلحون عن مقتل ثلاثة وإصابة سبعة آخرين.", "ar")
    assert event.casualties == {"killed": 3, "wounded": 7}
    assert event.coded_record()["casualties"] == {"killed": 3, "wounded": 7}
    (event,) = code("قتل 12 شخصا في هجوم شنه مسلحون على حاجز للشرطة.", "ar")
    assert event.casualties == {"killed": 12}


def test_casualty_counts_in_english_and_none_without_a_number() -> None:
    (event,) = code("Gunmen attacked a checkpoint, killing three soldiers and wounding 7.", "en")
    assert event.casualties == {"killed": 3, "wounded": 7}
    (event,) = code("Gunmen attacked a checkpoint, killing soldiers.", "en")
    assert event.casualties == {}
    assert "casualties" not in event.coded_record()


def test_arabic_government_forces_act_whole() -> None:
    (event,) = code("قصفت القوات الحكومية مواقع المسلحين في ريف إدلب.", "ar")
    assert roles(event)[0] == ("القوات الحكومية", "actor")


def test_a_count_before_a_casualty_verb_is_no_actor_name() -> None:
    (event,) = code("Twelve people killed in a market bombing.", "en")
    assert roles(event) == [("people", "victim")]
    assert event.casualties == {"killed": 12}
    (event,) = code("Dozens of civilians were killed by government forces.", "en")
    assert roles(event) == [("government forces", "actor"), ("civilians", "victim")]


def test_an_arabic_verb_first_killing_with_counted_victims_and_its_agent_after() -> None:
    # unvowelled قتل: "five civilians were killed in shelling carried out by government forces"
    (event,) = code("قتل خمسة مدنيين في قصف نفذته القوات الحكومية.", "ar")
    assert event.type == "attack"
    assert roles(event) == [("القوات الحكومية", "actor"), ("مدنيين", "victim")]
    assert event.casualties == {"killed": 5}
    (event,) = code("قتل ثلاثة جنود بنيران مسلحين قرب الحدود.", "ar")
    assert roles(event) == [("مسلحين", "actor"), ("جنود", "victim")]
    (event,) = code("قتل عشرات المدنيين على يد مسلحين.", "ar")
    assert roles(event) == [("مسلحين", "actor"), ("المدنيين", "victim")]


def test_an_arabic_active_killing_keeps_its_subject() -> None:
    (event,) = code("قتلت القوات الحكومية خمسة مسلحين.", "ar")
    assert roles(event) == [("القوات الحكومية", "actor"), ("مسلحين", "victim")]


def test_hebrew_counted_victims_of_a_killing_by_an_agent() -> None:
    (event,) = code("חמישה אזרחים נהרגו על ידי כוחות הממשלה.", "he")
    assert roles(event) == [("כוחות הממשלה", "actor"), ("אזרחים", "victim")]
    assert event.casualties == {"killed": 5}


def test_farsi_counted_victims_of_a_killing_by_an_agent() -> None:
    (event,) = code("پنج غیرنظامی توسط نیروهای دولتی کشته شدند.", "fa")
    assert roles(event) == [("نیروهای دولتی", "actor"), ("غیرنظامی", "victim")]
    # killed in an air strike: the counted suffered it, nobody is named as its actor
    (event,) = code("دوازده نفر در حمله هوایی کشته شدند.", "fa")
    assert roles(event) == [("نفر", "victim")]


def test_arabic_counted_victims_after_a_casualty_noun_or_a_verb_after_a_place() -> None:
    # "the explosion killed 34 people": the counted after the noun are its victims, no actor
    (event,) = code("أسفر الانفجار عن مقتل 34 شخصا وجرح 73 آخرين.", "ar")
    assert roles(event) == [("شخصا", "victim")]
    assert event.casualties == {"killed": 34, "wounded": 73}
    # a count further on ("while dozens of civilians fled") is no actor either
    (event,) = code("أسفر الانفجار عن مقتل 34 شخصا فيما فر عشرات المدنيين.", "ar")
    assert "actor" not in [role for _, role in roles(event)]
    # a place before the verb leaves it first in its clause: "in the province, four
    # civilians were killed"
    (event,) = code("وفي المحافظة قتل أربعة مدنيين في هجمات متفرقة.", "ar")
    assert roles(event) == [("مدنيين", "victim")]
