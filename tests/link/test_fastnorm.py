"""The table normaliser gives exactly what the Normalizer gives: same text, same offsets."""

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.link.fastnorm import TableNormalizer
from marsad.text.normalize import Normalizer, default_normalizer

# Letters and marks the normaliser folds, removes or expands, among ordinary ones.
ALPHABET = (
    "حماسأإآىةیکۀ٣۴ـًٌٍَُِّْ"  # Arabic/Persian letters, digits, tatweel, harakat
    "חיזבאללהּ"  # Hebrew with a dagesh
    "HamasÉßﬁ"  # Latin: case, an accent, ß and the ﬁ ligature expand under casefold
    "\u200c\u200f\ufeff \n.,'"  # ZWNJ, RLM, BOM, spaces and punctuation
)


def same_result(text: str, normalizer: Normalizer) -> None:
    fast = TableNormalizer(normalizer).normalize(text)
    slow = normalizer.normalize(text)
    assert fast.text == slow.text
    for start in range(len(slow.text) + 1):
        for end in range(start, min(len(slow.text), start + 4) + 1):
            assert fast.original_span(start, end) == slow.original_span(start, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_table_normaliser_matches_the_normaliser(text: str) -> None:
    same_result(text, default_normalizer())


def test_skipped_groups_are_respected() -> None:
    same_result("حَمـاس HAMAS", Normalizer(skip={"diacritics", "case"}))


def test_lone_surrogates_and_nul_take_the_slow_path() -> None:
    same_result("حماس\udc80 Hamas\0", default_normalizer())


def test_the_table_learns_across_texts() -> None:
    normalizer = default_normalizer()
    table = TableNormalizer(normalizer)
    for text in ("حماس", "حَماس ﬁ", "HAMAS", "חמאס"):
        assert table.normalize(text).text == normalizer.normalize(text).text
