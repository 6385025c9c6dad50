"""What the coder reads (mentions, dates) and what it writes (coded events), as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.text.dates.model import CERTAINTIES, PartialDate

COUNTRY = "country"


@dataclass(frozen=True)
class AgentCode:
    """What an actor is in CAMEO terms: a country or body code and an agent class."""

    country: str | None
    sector: str | None
    guessed: bool = False  # the country part is an unknown name's first letters

    def __str__(self) -> str:
        return f"{self.country or '---'}{self.sector or ''}"


@dataclass(frozen=True)
class EntityMention:
    """A linked mention from the `link` stage, with what the KB says the entity is; or an
    agent found without the KB (events.agents): no entity, its CAMEO-style code instead."""

    entity_id: str | None
    surface: str
    start: int
    end: int
    kind: str | None
    place_type: str | None = None
    agent: AgentCode | None = None

    @property
    def is_place(self) -> bool:
        return self.kind in ("place", "country")

    @property
    def is_city_like(self) -> bool:
        """A place that is never an actor (a city, a province); countries may act."""
        return self.is_place and self.place_type != COUNTRY and self.kind != COUNTRY


@dataclass(frozen=True)
class Affiliation:
    """A role read in the text ("Hezbollah's secretary-general Naim Qassem"): inside its
    span the organisation describes the person and is not a participant of its own."""

    person_id: str
    organization_id: str
    start: int
    end: int


@dataclass(frozen=True)
class EventDate:
    value: str
    precision: str
    certainty: str
    calendar: str = "gregorian"
    expression: str | None = None
    source: str = "text"  # text | published | analyst

    @classmethod
    def from_partial(cls, date: PartialDate) -> EventDate:
        """A date read in the text."""
        return cls(
            date.value, date.precision, date.certainty, date.calendar, date.expression, "text"
        )

    def as_fallback(self) -> EventDate:
        """The publication date standing in for the event's: one step less certain."""
        index = max(CERTAINTIES.index(self.certainty) - 1, 0)
        return EventDate(
            self.value, self.precision, CERTAINTIES[index], self.calendar, None, "published"
        )


@dataclass(frozen=True)
class CodedActor:
    entity_id: str | None
    surface: str
    role: str

    @property
    def key(self) -> str:
        return self.entity_id or f"surface:{' '.join(self.surface.lower().split())}"

    def as_record(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "surface": self.surface, "role": self.role}


@dataclass
class CodedEvent:
    """One event read in one sentence of one document."""

    type: str
    start: int  # evidence span: the sentence, in document text offsets
    end: int
    trigger: tuple[int, int]
    language: str | None
    actors: list[CodedActor] = field(default_factory=list)
    place_id: str | None = None
    date: EventDate | None = None
    severity: str | None = None
    modality: str = "asserted"
    confidence: float = 0.9
    # how many were killed / wounded, where the text gives a number ("مقتل ثلاثة")
    casualties: dict[str, int] = field(default_factory=dict)

    def entity_ids(self) -> set[str]:
        return {a.entity_id for a in self.actors if a.entity_id}

    def coded_record(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "actors": [actor.as_record() for actor in self.actors],
            "place_id": self.place_id,
            "severity": self.severity,
            "modality": self.modality,
            "trigger": list(self.trigger),
            "confidence": self.confidence,
            "language": self.language,
            **({"casualties": dict(self.casualties)} if self.casualties else {}),
        }
