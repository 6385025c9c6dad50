"""The event taxonomy as data (data/taxonomy.yaml), validated on load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from marsad.datafiles import DATA_DIR, load_yaml
from marsad.errors import ConfigError
from marsad.store.models.events import EVENT_ROLES

TAXONOMY_FILE = DATA_DIR / "taxonomy.yaml"


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    plover: str
    cameo: str
    roles: tuple[str, ...]
    object_role: str | None  # the role an unmarked grammatical object takes
    has_severity: bool
    symmetric: bool  # actor and participant are interchangeable (A met B = B met A)
    speech_act: bool = False  # saying it is doing it: an explicit statement codes it

    @property
    def has_victims(self) -> bool:
        """Who suffered it is part of it (attack, kill): it carries casualty counts."""
        return "victim" in self.roles


@dataclass(frozen=True)
class Taxonomy:
    types: Mapping[str, EventType]
    severities: Mapping[str, str]
    # CAMEO code (a root or a longer prefix) -> the Marsad types it may be coded as.
    cameo_map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The same for WEIS, CAMEO's predecessor (KEDS/TABARI dictionaries, PETRARCH's unit tests).
    weis_map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def code_map(self, scheme: str) -> Mapping[str, tuple[str, ...]]:
        """The table of a coding scheme: "cameo" or "weis"."""
        maps = {"cameo": self.cameo_map, "weis": self.weis_map}
        if scheme not in maps:
            raise ConfigError(f"unknown coding scheme {scheme!r}; known: {', '.join(maps)}")
        return maps[scheme]

    @property
    def speech_acts(self) -> frozenset[str]:
        return frozenset(code for code, t in self.types.items() if t.speech_act)

    def get(self, code: str) -> EventType:
        try:
            return self.types[code]
        except KeyError:
            raise ConfigError(
                f"unknown event type {code!r}; the taxonomy has {', '.join(self.types)}"
            ) from None

    @classmethod
    def from_data(cls, data: Any, where: str = "taxonomy.yaml") -> Taxonomy:
        if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
            raise ConfigError(f"{where}: needs a `types` mapping")
        roles = tuple(data.get("roles") or ())
        if roles != EVENT_ROLES:
            raise ConfigError(f"{where}: `roles` must be {list(EVENT_ROLES)}, not {list(roles)}")
        severities = data.get("severities")
        if not isinstance(severities, dict) or not severities:
            raise ConfigError(f"{where}: `severities` must map each severity to its meaning")
        types = {
            str(code): _event_type(str(code), raw, where) for code, raw in data["types"].items()
        }
        return cls(
            types,
            {str(k): str(v) for k, v in severities.items()},
            _code_map(data, "cameo_map", types, where),
            _code_map(data, "weis_map", types, where),
        )


def _code_map(
    data: Mapping[str, Any], key: str, types: Mapping[str, EventType], where: str
) -> dict[str, tuple[str, ...]]:
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: `{key}` must map event codes to event types")
    mapped: dict[str, tuple[str, ...]] = {}
    for code, value in raw.items():
        names = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
        unknown = [name for name in names if name not in types]
        if unknown or not str(code).isdigit():
            raise ConfigError(
                f"{where}: {key} {code!r}: needs a numeric event code and known types "
                f"(unknown: {', '.join(unknown) or 'none'})"
            )
        mapped[str(code)] = names
    return mapped


def _event_type(code: str, raw: Any, where: str) -> EventType:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: type {code!r} must be a mapping")
    try:
        roles = tuple(str(role) for role in raw["roles"])
        event_type = EventType(
            code=code,
            label=str(raw["label"]),
            plover=str(raw["plover"]),
            cameo=str(raw["cameo"]),
            roles=roles,
            object_role=str(raw["object"]) if raw.get("object") else None,
            has_severity=bool(raw.get("severity", False)),
            symmetric=bool(raw.get("symmetric", False)),
            speech_act=bool(raw.get("speech_act", False)),
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: type {code!r}: missing or bad field {exc}") from None
    unknown = [role for role in roles if role not in EVENT_ROLES]
    if unknown or "actor" not in roles:
        raise ConfigError(
            f"{where}: type {code!r}: roles must include actor and be among "
            f"{', '.join(EVENT_ROLES)} (got {', '.join(roles)})"
        )
    if event_type.object_role and event_type.object_role not in roles:
        raise ConfigError(
            f"{where}: type {code!r}: object role {event_type.object_role!r} "
            "is not one of its roles"
        )
    return event_type


def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    return Taxonomy.from_data(load_yaml(path), path.name)


@cache
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()
