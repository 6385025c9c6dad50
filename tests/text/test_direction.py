"""Direction by the first strong character, as dir="auto" decides."""

import pytest

from marsad.text.direction import LTR, RTL, text_direction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أكرم الكعبي said", RTL),  # Arabic first
        ("اکرم کعبی", RTL),  # Persian letters (ک ی) are Arabic-script too
        ("«٢٠٢٠» הפגישה", RTL),  # digits and punctuation are weak; Hebrew decides
        ("2020: Akram al-Kaabi, أكرم الكعبي", LTR),
        ("\u200fNasrallah", RTL),  # a right-to-left mark is strong, as in browsers
    ],
)
def test_the_first_strong_letter_decides(text: str, expected: str) -> None:
    assert text_direction(text) == expected


def test_text_without_letters_takes_the_default() -> None:
    assert text_direction("١٢٣ — 456", default=RTL) == RTL
