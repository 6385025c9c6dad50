"""`first_copy` / `appearance_order`: publication day first, then the most precise moment."""

from datetime import UTC, datetime

import pytest

from marsad.cluster.origin import appearance_order, first_copy
from marsad.store.models import Document


def copy(
    number: int, published: str | None, seen: datetime, posted_at: str | None = None
) -> Document:
    properties = {"posted_at": posted_at} if posted_at else {}
    return Document(
        id=number, capture_id=number, published=published, first_seen_at=seen,
        properties=properties,
    )  # fmt: skip


def test_an_earlier_publication_day_wins_over_an_earlier_capture() -> None:
    repost = copy(1, "2026-03-02", datetime(2026, 3, 2, 9, tzinfo=UTC))
    original = copy(2, "2026-03-01", datetime(2026, 3, 5, 9, tzinfo=UTC))  # captured late
    assert first_copy([repost, original]) is original


def test_on_the_same_day_a_post_timestamp_beats_a_later_capture() -> None:
    page = copy(1, "2026-03-01", datetime(2026, 3, 1, 12, tzinfo=UTC))
    post = copy(2, "2026-03-01", datetime(2026, 3, 1, 18, tzinfo=UTC), "2026-03-01T08:30:00+00:00")
    later_post = copy(3, "2026-03-01", datetime(2026, 3, 1, 13, tzinfo=UTC), "2026-03-01T14:00Z")
    assert [d.id for d in appearance_order([page, later_post, post])] == [2, 1, 3]


def test_unknown_days_come_last_and_malformed_stamps_fall_back_to_capture_time() -> None:
    undated = copy(1, None, datetime(2026, 1, 1, tzinfo=UTC))
    dated = copy(2, "2026-03-01", datetime(2026, 3, 1, tzinfo=UTC), "not a time")
    naive = copy(3, "2026-03-01", datetime(2026, 2, 28, 23))  # SQLite gives naive UTC back
    assert [d.id for d in appearance_order([undated, dated, naive])] == [3, 2, 1]


def test_first_copy_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no copies"):
        first_copy([])
