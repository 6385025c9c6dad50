"""Names and dates become placeholders before a backend sees the text, and come back as the
KB's canonical names and rendered dates whatever the backend did with the placeholders."""

from marsad.translate.protect import ProtectedSpan, protect_segment, restore

TEXT = "قال أكرم الكعبي يوم 15 كانون الثاني 2020 إن حركة النجباء ستجتمع."
KAABI = ProtectedSpan(4, 15, "Akram al-Kaabi", "entity")
DATE = ProtectedSpan(20, 40, "15 January 2020", "date")
NUJABA = ProtectedSpan(44, 56, "Harakat Hezbollah al-Nujaba", "entity")


def test_spans_inside_the_segment_become_numbered_placeholders() -> None:
    assert TEXT[KAABI.start : KAABI.end] == "أكرم الكعبي"
    assert TEXT[DATE.start : DATE.end] == "15 كانون الثاني 2020"
    assert TEXT[NUJABA.start : NUJABA.end] == "حركة النجباء"
    segment = protect_segment(TEXT, 0, len(TEXT), "ar", [KAABI, DATE, NUJABA])
    assert segment.text == "قال ⟦1⟧ يوم ⟦2⟧ إن ⟦3⟧ ستجتمع."
    assert segment.renderings == (
        "Akram al-Kaabi",
        "15 January 2020",
        "Harakat Hezbollah al-Nujaba",
    )


def test_spans_outside_the_segment_are_left_to_their_own_segment() -> None:
    segment = protect_segment(TEXT, 0, 19, "ar", [KAABI, DATE, NUJABA])
    assert segment.text == "قال ⟦1⟧ يوم"
    assert segment.renderings == ("Akram al-Kaabi",)


def test_restore_puts_renderings_back_wherever_the_backend_moved_them() -> None:
    segment = protect_segment(TEXT, 0, len(TEXT), "ar", [KAABI, DATE, NUJABA])
    restored = restore("On ⟦ 2 ⟧, ⟦1⟧ said that ⟦3⟧ would meet.", segment)
    assert restored.text == (
        "On 15 January 2020, Akram al-Kaabi said that Harakat Hezbollah al-Nujaba would meet."
    )
    assert restored.lost == ()


def test_a_dropped_placeholder_is_appended_and_an_invented_one_removed() -> None:
    segment = protect_segment(TEXT, 0, len(TEXT), "ar", [KAABI, DATE, NUJABA])
    restored = restore("⟦1⟧ said ⟦7⟧ that the movement would meet.", segment)
    assert restored.text == (
        "Akram al-Kaabi said  that the movement would meet. "
        "[15 January 2020; Harakat Hezbollah al-Nujaba]"
    )
    assert restored.lost == ("15 January 2020", "Harakat Hezbollah al-Nujaba")
