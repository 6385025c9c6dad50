"""Event coreference and roles across a document: a later sentence completes the event it
refers back to ("the meeting ... held in Tehran in January 2020, very likely")."""

from marsad.events.coder import EventCoder
from marsad.events.model import CodedEvent, EntityMention, EventDate
from marsad.text.dates.model import PartialDate

PUBLISHED = EventDate("2020-02-03", "day", "certain", source="published")
NAMES = {
    "Akram al-Kaabi": "person",
    "Hadi al-Amiri": "person",
    "Qais al-Khazali": "person",
    "Tehran": "place",
    "أكرم الكعبي": "person",
    "هادي العامري": "person",
    "قيس الخزعلي": "person",
    "طهران": "place",
}


def linked(text: str) -> list[EntityMention]:
    found = []
    for surface, kind in NAMES.items():
        start = text.find(surface)
        if start >= 0:
            place_type = "city" if kind == "place" else None
            found.append(
                EntityMention(
                    f"id:{surface}", surface, start, start + len(surface), kind, place_type
                )
            )
    return sorted(found, key=lambda m: m.start)


def code(text: str, language: str, expression: str, value: str) -> list[CodedEvent]:
    start = text.index(expression)
    january = PartialDate(
        value, "month", "likely", "gregorian", expression, start, start + len(expression)
    )
    return EventCoder().code(text, [(0, len(text), language)], linked(text), [january], PUBLISHED)


def test_a_later_sentence_dates_places_and_completes_the_headline_meeting() -> None:
    text = (
        "Akram al-Kaabi met Hadi al-Amiri and Qais al-Khazali. "
        "The meeting was held in Tehran in January 2020, very likely, around the funeral "
        "of a commander killed in an air strike."
    )
    events = code(text, "en", "January 2020", "2020-01")
    meetings = [e for e in events if e.type == "meet"]
    assert len(meetings) == 1
    (meeting,) = meetings
    assert meeting.date is not None
    assert (meeting.date.value, meeting.date.precision, meeting.date.certainty) == (
        "2020-01",
        "month",
        "likely",
    )
    assert meeting.date.source == "text"
    assert meeting.place_id == "id:Tehran"
    assert {a.surface for a in meeting.actors} == {
        "Akram al-Kaabi",
        "Hadi al-Amiri",
        "Qais al-Khazali",
    }


def test_the_referring_sentence_in_arabic_completes_the_meeting() -> None:
    text = (
        "التقى أكرم الكعبي هادي العامري وقيس الخزعلي. "
        "وعقد الاجتماع في طهران في كانون الثاني 2020 على الأرجح."
    )
    (meeting,) = [e for e in code(text, "ar", "كانون الثاني 2020", "2020-01") if e.type == "meet"]
    assert meeting.date is not None and meeting.date.value == "2020-01"
    assert meeting.place_id == "id:طهران"
    assert len(meeting.actors) == 3


def test_a_reference_with_nothing_before_it_codes_nothing_new() -> None:
    text = "The meeting was held in Tehran in January 2020."
    assert [e for e in code(text, "en", "January 2020", "2020-01") if e.type == "meet"] == []
