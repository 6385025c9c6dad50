"""The knowledge base as data: entries read from YAML (data/kb/*.yaml), validated on load.

A KB file holds a default `kind` and a list of `entities`; each entry has an FtM-style id, an
English name, aliases by language, designations (by list key, see data/kb/schema.yaml),
sources and relations to other entries. Every error names the file, the entry and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from marsad.datafiles import DATA_DIR, load_yaml
from marsad.errors import ConfigError, KnowledgeBaseError
from marsad.link.aliases import detect_script

KB_DIR = DATA_DIR / "kb"
SCHEMA_FILE = KB_DIR / "schema.yaml"
ENTITY_ID = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,199}$")
CITATION_KEY = re.compile(r"^[a-z0-9-]+$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class DesignationList:
    authority: str
    list: str
    citation: str


@dataclass(frozen=True)
class PredicateRule:
    subject: frozenset[str]
    object: frozenset[str]


@dataclass(frozen=True)
class KBSchema:
    """The validation rules of data/kb/schema.yaml."""

    kinds: Mapping[str, str]  # kind -> FtM schema
    ftm_kinds: Mapping[str, str]  # FtM schema -> kind
    predicates: Mapping[str, PredicateRule]
    languages: Mapping[str, str]  # language -> usual script
    scripts: Mapping[str, str]  # Unicode script name -> ISO 15924
    lists: Mapping[str, DesignationList]
    citations: Mapping[str, str]
    place_types: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: Any, path: Path = SCHEMA_FILE) -> KBSchema:
        try:
            return cls(
                kinds={str(k): str(v) for k, v in data["kinds"].items()},
                ftm_kinds={str(k): str(v) for k, v in data["ftm_kinds"].items()},
                predicates={
                    str(name): PredicateRule(frozenset(rule["subject"]), frozenset(rule["object"]))
                    for name, rule in data["predicates"].items()
                },
                languages={str(k): str(v) for k, v in data["languages"].items()},
                scripts={str(k): str(v) for k, v in data["scripts"].items()},
                lists={
                    str(key): DesignationList(
                        str(spec["authority"]), str(spec["list"]), str(spec["citation"])
                    )
                    for key, spec in data["lists"].items()
                },
                citations={str(k): str(v) for k, v in data["citations"].items()},
                place_types=frozenset(map(str, data["place_types"])),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise KnowledgeBaseError(f"{path}: missing or malformed section {exc}") from None


@cache
def kb_schema() -> KBSchema:
    return KBSchema.from_data(load_yaml(SCHEMA_FILE))


@dataclass(frozen=True)
class KBAlias:
    name: str
    language: str | None
    # Why a phrasing that is not a name denotes the entity ("the Zionist entity" -> Israel).
    note: str | None = None


@dataclass(frozen=True)
class KBRelation:
    predicate: str
    object_id: str
    valid_from: str | None = None
    valid_to: str | None = None

    def as_record(self) -> dict[str, str]:
        record = {"predicate": self.predicate, "object": self.object_id}
        if self.valid_from:
            record["from"] = self.valid_from
        if self.valid_to:
            record["to"] = self.valid_to
        return record


@dataclass
class KBEntry:
    """One entity as the KB describes it; `origin` says where it came from (kb, import, analyst)."""

    id: str
    kind: str
    name: str
    aliases: list[KBAlias] = field(default_factory=list)
    designations: list[dict[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    relations: list[KBRelation] = field(default_factory=list)
    description: str | None = None
    country: str | None = None
    place_type: str | None = None  # country, region, province, city (schema `place_types`)
    origin: str = "kb"
    where: str = ""  # "file, entry N (id)" for error messages

    def all_names(self) -> list[KBAlias]:
        """The English name first, then every alias, each once."""
        names = [KBAlias(self.name, "en"), *self.aliases]
        return list(dict.fromkeys(names))


def partial_date(value: Any) -> str:
    """YAML reads 2019-03-05 as a date and 2019 as an int; the KB keeps ISO partial dates."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if not PARTIAL_DATE.match(text):
        raise ValueError(f"{value!r} is not a date like 2019, 2019-03 or 2019-03-05")
    return text


class EntryReader:
    """Turns one raw mapping into a KBEntry, raising errors that say where and what."""

    def __init__(self, schema: KBSchema, where: str) -> None:
        self.schema = schema
        self.where = where

    def fail(self, field_name: str, problem: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(f"{self.where}: field {field_name!r}: {problem}")

    def text(self, raw: Mapping[str, Any], key: str, required: bool = True) -> str | None:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(key, "missing")
            return None
        if not isinstance(value, str | int | float):
            raise self.fail(key, f"expected text, got {type(value).__name__}")
        return str(value).strip()

    def read(self, raw: Any, default_kind: str | None, origin: str) -> KBEntry:
        if not isinstance(raw, Mapping):
            raise KnowledgeBaseError(f"{self.where}: an entry must be a mapping")
        unknown = set(raw) - ENTRY_FIELDS
        if unknown:
            raise self.fail(sorted(unknown)[0], f"unknown field; known: {', '.join(ENTRY_FIELDS)}")
        entity_id = self.text(raw, "id") or ""
        if not ENTITY_ID.match(entity_id):
            raise self.fail("id", f"{entity_id!r} is not an FtM-style id (letters, digits, .-_)")
        kind = self.text(raw, "kind", required=default_kind is None) or default_kind or ""
        if kind not in self.schema.kinds:
            raise self.fail("kind", f"unknown kind {kind!r}; known: {', '.join(self.schema.kinds)}")
        return KBEntry(
            id=entity_id,
            kind=kind,
            name=self.text(raw, "name") or "",
            aliases=self.aliases(raw.get("aliases") or {})
            + [alias for group in self.items(raw, "phrasings") for alias in self.phrasings(group)],
            designations=[self.designation(d) for d in self.items(raw, "designations")],
            sources=[self.source(s) for s in self.items(raw, "sources")],
            relations=[self.relation(r) for r in self.items(raw, "relations")],
            description=self.text(raw, "description", required=False),
            country=self.text(raw, "country", required=False),
            place_type=self.place_type(raw, kind),
            origin=origin,
            where=self.where,
        )

    def items(self, raw: Mapping[str, Any], key: str) -> list[Any]:
        value = raw.get(key) or []
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        return value

    def place_type(self, raw: Mapping[str, Any], kind: str) -> str | None:
        place_type = self.text(raw, "place_type", required=False)
        if place_type is None:
            return None
        if kind != "place":
            raise self.fail("place_type", f"only places have one, not a {kind}")
        if place_type not in self.schema.place_types:
            known = ", ".join(sorted(self.schema.place_types))
            raise self.fail("place_type", f"unknown place type {place_type!r}; known: {known}")
        return place_type

    def phrasings(self, raw: Any) -> list[KBAlias]:
        """A group of phrasings that denote the entity without naming it, and why."""
        if not isinstance(raw, Mapping) or not raw.get("note") or not raw.get("names"):
            raise self.fail("phrasings", "each needs `note` (why it denotes) and `names`")
        note = str(raw["note"]).strip()
        return [KBAlias(a.name, a.language, note) for a in self.aliases(raw["names"])]

    def aliases(self, raw: Any) -> list[KBAlias]:
        if not isinstance(raw, Mapping):
            raise self.fail("aliases", "expected a mapping of language to names")
        aliases: list[KBAlias] = []
        for language, names in raw.items():
            if language not in self.schema.languages:
                known = ", ".join(self.schema.languages)
                raise self.fail("aliases", f"unknown language {language!r}; known: {known}")
            if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
                raise self.fail(f"aliases.{language}", "expected a list of names")
            for name in names:
                self.check_script(name, str(language))
            aliases.extend(KBAlias(name.strip(), str(language)) for name in names)
        return aliases

    def check_script(self, name: str, language: str) -> None:
        """A name filed under a language is written in that language's script (catches an
        Arabic name filed as `en` or a Persian one with a Latin typo)."""
        expected = self.schema.languages[language]
        found = detect_script(name, self.schema.scripts)
        if found != expected:
            raise self.fail(
                f"aliases.{language}", f"{name!r} is written in {found}, not {expected}"
            )

    def designation(self, raw: Any) -> dict[str, str]:
        if not isinstance(raw, Mapping) or "list" not in raw:
            raise self.fail("designations", "each needs a `list` key (see data/kb/schema.yaml)")
        spec = self.schema.lists.get(str(raw["list"]))
        if spec is None:
            known = ", ".join(self.schema.lists)
            raise self.fail("designations", f"unknown list {raw['list']!r}; known: {known}")
        designation = {"authority": spec.authority, "list": spec.list, "key": str(raw["list"])}
        for key in ("date", "until"):
            if raw.get(key) is not None:
                try:
                    designation[key] = partial_date(raw[key])
                except ValueError as exc:
                    raise self.fail(f"designations.{key}", str(exc)) from None
        if raw.get("note"):
            designation["note"] = str(raw["note"])
        return designation

    def source(self, raw: Any) -> str:
        text = str(raw).strip()
        if CITATION_KEY.match(text):
            if text not in self.schema.citations:
                raise self.fail("sources", f"unknown citation key {text!r}")
            return self.schema.citations[text]
        return text

    def relation(self, raw: Any) -> KBRelation:
        if not isinstance(raw, Mapping) or not raw.get("predicate") or not raw.get("object"):
            raise self.fail("relations", "each needs `predicate` and `object`")
        predicate = str(raw["predicate"])
        if predicate not in self.schema.predicates:
            known = ", ".join(self.schema.predicates)
            raise self.fail("relations", f"unknown predicate {predicate!r}; known: {known}")
        try:
            valid_from = partial_date(raw["from"]) if raw.get("from") else None
            valid_to = partial_date(raw["to"]) if raw.get("to") else None
        except ValueError as exc:
            raise self.fail("relations", str(exc)) from None
        return KBRelation(predicate, str(raw["object"]), valid_from, valid_to)


ENTRY_FIELDS = frozenset(
    (
        "id",
        "kind",
        "name",
        "aliases",
        "designations",
        "sources",
        "relations",
        "description",
        "country",
        "place_type",
        "phrasings",
    )
)


def designation_sources(entry: KBEntry, schema: KBSchema) -> list[str]:
    """The citations of the lists an entry is designated on."""
    return [schema.lists[d["key"]].citation for d in entry.designations if d.get("key")]


def read_kb_file(path: Path, schema: KBSchema | None = None, origin: str = "kb") -> list[KBEntry]:
    schema = schema or kb_schema()
    try:
        data = load_yaml(path)
    except (ConfigError, OSError) as exc:
        raise KnowledgeBaseError(f"{path}: cannot read the KB file ({exc})") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("entities"), list):
        raise KnowledgeBaseError(f"{path}: a KB file holds a mapping with a list `entities`")
    default_kind = data.get("kind")
    entries = []
    for number, raw in enumerate(data["entities"], start=1):
        label = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
        reader = EntryReader(schema, f"{path.name}, entry {number} ({label})")
        entries.append(reader.read(raw, default_kind, origin))
    return entries


def entry_from_mapping(raw: Mapping[str, Any], where: str, origin: str) -> KBEntry:
    """One entry given as a mapping in KB-file form (e.g. by `marsad kb add`), validated."""
    return EntryReader(kb_schema(), where).read(raw, None, origin)


def validate_entries(entries: Iterable[KBEntry], schema: KBSchema | None = None) -> None:
    """Rules across entries: unique ids, relation targets exist and fit the predicate,
    every entry cites a source (its own or its designation lists)."""
    schema = schema or kb_schema()
    by_id: dict[str, KBEntry] = {}
    for entry in entries:
        if entry.id in by_id:
            raise KnowledgeBaseError(
                f"{entry.where}: field 'id': duplicate id {entry.id!r} "
                f"(first in {by_id[entry.id].where})"
            )
        by_id[entry.id] = entry
    for entry in by_id.values():
        if not entry.sources and not designation_sources(entry, schema):
            raise KnowledgeBaseError(f"{entry.where}: field 'sources': missing (cite a source)")
        for relation in entry.relations:
            target = by_id.get(relation.object_id)
            if target is None:
                raise KnowledgeBaseError(
                    f"{entry.where}: field 'relations': dangling target {relation.object_id!r}"
                )
            rule = schema.predicates[relation.predicate]
            if entry.kind not in rule.subject or target.kind not in rule.object:
                raise KnowledgeBaseError(
                    f"{entry.where}: field 'relations': {relation.predicate} does not link "
                    f"a {entry.kind} to a {target.kind}"
                )


def kb_files(folder: Path = KB_DIR) -> list[Path]:
    return sorted(path for path in folder.glob("*.yaml") if path != folder / SCHEMA_FILE.name)


def load_kb(folder: Path = KB_DIR) -> list[KBEntry]:
    """Every entry of every KB file in `folder`, validated together."""
    schema = kb_schema()
    entries = [entry for path in kb_files(folder) for entry in read_kb_file(path, schema)]
    validate_entries(entries, schema)
    return entries
