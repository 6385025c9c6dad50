"""What is known of a captured medium, for `marsad capture show` and the document page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from marsad.store.models import HashListEntry, HashMatch, MediumHash, MediumKeyframe

LABEL_WIDTH = 20


def match_how(algorithm: str, distance: int) -> str:
    """How a medium matched a list entry: `md5`, `pdq, 12 bits apart`."""
    return f"{algorithm}, {distance} bits apart" if distance else algorithm


@dataclass(frozen=True)
class ListedMatch:
    list_name: str
    label: str
    algorithm: str
    distance: int

    @property
    def how(self) -> str:
        return match_how(self.algorithm, self.distance)


# The four values a match shows, as plain rows (built once: every document page asks).
CAPTURE_LISTINGS = (
    select(
        HashListEntry.list_name, HashListEntry.label, HashListEntry.algorithm, HashMatch.distance
    )
    .join(HashListEntry, HashListEntry.id == HashMatch.entry_id)
    .where(HashMatch.capture_id == bindparam("capture_id"))
    .order_by(HashMatch.id)
)


def listed_matches(session: Session, capture_id: int) -> list[ListedMatch]:
    rows = session.execute(CAPTURE_LISTINGS, {"capture_id": capture_id})
    return [ListedMatch(*row) for row in rows]


def keyframes_of(session: Session, capture_id: int) -> list[MediumKeyframe]:
    """A video's hashed keyframes, in order."""
    return list(
        session.scalars(
            select(MediumKeyframe)
            .where(MediumKeyframe.capture_id == capture_id)
            .order_by(MediumKeyframe.frame_index)
        )
    )


def _keyframe_lines(session: Session, capture_id: int) -> list[str]:
    frames = keyframes_of(session, capture_id)
    lines = [f"{'keyframes':<{LABEL_WIDTH}}{len(frames)} hashed with PDQ"]
    for frame in frames:
        at = f"{frame.seconds:.2f} s" if frame.seconds is not None else "time unknown"
        label = f"keyframe {frame.frame_index + 1}"
        lines.append(f"{label:<{LABEL_WIDTH}}{frame.pdq} (quality {frame.pdq_quality}, {at})")
    return lines


def media_lines(session: Session, capture_id: int) -> list[str]:
    """A medium's hashes and the hash lists it is on, one `label  value` line each."""
    lines = []
    medium = session.get(MediumHash, capture_id)
    if medium is not None:
        lines.append(f"{'medium':<{LABEL_WIDTH}}{medium.kind}")
        lines.append(f"{'md5':<{LABEL_WIDTH}}{medium.md5}")
        if medium.pdq is not None:
            lines.append(f"{'pdq':<{LABEL_WIDTH}}{medium.pdq} (quality {medium.pdq_quality})")
        if medium.kind == "video":
            lines.extend(_keyframe_lines(session, capture_id))
    for match in listed_matches(session, capture_id):
        lines.append(
            f"{'hash list match':<{LABEL_WIDTH}}{match.list_name}: {match.label or '-'} "
            f"({match.how})"
        )
    return lines


def keyframe_counts(session: Session, capture_ids: Sequence[int]) -> dict[int, int]:
    """How many keyframes of each video were hashed (none without ffmpeg, or for a damaged
    video: those are left out)."""
    if not capture_ids:
        return {}
    query = (
        select(MediumKeyframe.capture_id, func.count())
        .where(MediumKeyframe.capture_id.in_(capture_ids))
        .group_by(MediumKeyframe.capture_id)
    )
    return {capture_id: count for capture_id, count in session.execute(query)}


def keyframe_count(session: Session, capture_id: int) -> int:
    return keyframe_counts(session, [capture_id]).get(capture_id, 0)
