"""What is known of a captured medium, for `marsad capture show` and the document page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from marsad.media.hashlists import matches_of
from marsad.store.models import MediumHash

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


def listed_matches(session: Session, capture_id: int) -> list[ListedMatch]:
    return [
        ListedMatch(m.entry.list_name, m.entry.label, m.entry.algorithm, m.distance)
        for m in matches_of(session, capture_id)
    ]


def media_lines(session: Session, capture_id: int) -> list[str]:
    """A medium's hashes and the hash lists it is on, one `label  value` line each."""
    lines = []
    medium = session.get(MediumHash, capture_id)
    if medium is not None:
        lines.append(f"{'medium':<{LABEL_WIDTH}}{medium.kind}")
        lines.append(f"{'md5':<{LABEL_WIDTH}}{medium.md5}")
        if medium.pdq is not None:
            lines.append(f"{'pdq':<{LABEL_WIDTH}}{medium.pdq} (quality {medium.pdq_quality})")
    for match in listed_matches(session, capture_id):
        lines.append(
            f"{'hash list match':<{LABEL_WIDTH}}{match.list_name}: {match.label or '-'} "
            f"({match.how})"
        )
    return lines
