"""What a document has named in full: the evidence names that could mean something else need.

Everyday words need evidence nearby (the same paragraph, or the stretch just before); a
surname takes the person named in full anywhere earlier; failing that, an organisation (or a
place around) named nearby that the only candidate belongs to.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsad.link.matcher import MentionMatch

# Characters before a name in which evidence for it counts as nearby, beyond its paragraph.
LOCAL_WINDOW = 300


class DocumentContext:
    """What a document has named in full: context for names that need it. Everyday words need
    evidence nearby (the same paragraph, or the stretch just before); a surname takes the
    person named in full anywhere earlier."""

    def __init__(
        self, members: Mapping[str, frozenset[str]], text: str, linked: Iterable[MentionMatch]
    ) -> None:
        self.text = text
        self.starts: dict[str, list[int]] = defaultdict(list)
        for mention in linked:
            self.starts[mention.entity_id].append(mention.start)
        self.named = frozenset(self.starts)
        self.members = members

    def _near(self, entity: str, position: int, before_only: bool) -> bool:
        """Whether `entity` is named in the paragraph around `position` or just before it."""
        low = max(0, min(self.text.rfind("\n", 0, position) + 1, position - LOCAL_WINDOW))
        high = position if before_only else self._paragraph_end(position)
        starts = self.starts.get(entity, [])
        first = bisect.bisect_left(starts, low)
        return first < len(starts) and starts[first] < high

    def _paragraph_end(self, position: int) -> int:
        end = self.text.find("\n", position)
        return len(self.text) if end < 0 else end

    def resolve(
        self, candidates: frozenset[str], position: int, local: bool, by_membership: bool = True
    ) -> str | None:
        """The candidate named in full most recently before `position` (nearby when `local`);
        failing that (and when `by_membership`), the only candidate belonging to an
        organisation (or lying in a place) named nearby."""
        latest = {
            entity: self.starts[entity][before - 1]
            for entity in candidates & self.named
            if (before := bisect.bisect_left(self.starts[entity], position))
            and (not local or self._near(entity, position, before_only=True))
        }
        if latest:
            return max(latest, key=lambda entity: latest[entity])
        if not by_membership:
            return None
        members = {
            candidate
            for candidate in candidates
            if any(
                self._near(org, position, before_only=False) for org in self.members_of(candidate)
            )
        }
        return next(iter(members)) if len(members) == 1 else None

    def members_of(self, candidate: str) -> Iterable[str]:
        """The named organisations (and places around) that `candidate` belongs to."""
        return (org for org in self.named if candidate in self.members.get(org, ()))
