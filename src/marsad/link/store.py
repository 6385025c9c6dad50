"""The knowledge base in the database: entries merged into Entity, Alias and Relation rows.

Merging is on ids and idempotent: an entry whose id exists adds the aliases, designations,
sources and relations it brings, never a duplicate. Aliases carry their normalised form and
script; their variants (marsad.link.aliases) are stored beside them with origin "variant" and
recomputed when an entity's own aliases change. Changes from imports and analysts are
written to the audit log.

A sync reads each batch's rows in a few queries, merges them as plain data and writes the
difference with bulk statements: the bundled KB holds ~30,000 alias rows, and building an ORM
object for each took ten seconds of every `marsad init`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import Row, Select, delete, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.util import identity_key

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import VariantGenerator, detect_script
from marsad.link.kb import KBEntry, KBSchema, designation_sources, kb_schema
from marsad.store.models import Alias, AuditLog, Base, Entity, Relation
from marsad.text.normalize import Normalizer

VARIANT = "variant"
PHRASING = "phrasing"  # origin of an alias that denotes an entity without naming it
BATCH = 500
# The columns of an entity a sync reads and writes.
_ENTITY_COLUMNS = ("id", "kind", "name", "description", "designations", "properties")

T = TypeVar("T")
Columns = TypeVarTuple("Columns")


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class SyncReport:
    entities_added: int = 0
    entities_updated: int = 0
    aliases_added: int = 0
    variants_added: int = 0
    variants_removed: int = 0
    designations_added: int = 0
    relations_added: int = 0
    changed_ids: list[str] = field(default_factory=list)
    _changed: set[str] = field(default_factory=set, repr=False)

    def mark_changed(self, entity_id: str) -> bool:
        """Record a change to an entity; False when it was already recorded."""
        if entity_id in self._changed:
            return False
        self._changed.add(entity_id)
        self.changed_ids.append(entity_id)
        return True

    def summary(self) -> str:
        return (
            f"{self.entities_added} entities added, {self.entities_updated} updated; "
            f"{self.aliases_added} aliases, {self.variants_added} variants, "
            f"{self.designations_added} designations, {self.relations_added} relations added"
        )


def _designation_key(designation: dict[str, Any]) -> tuple[str, str, str]:
    return (
        str(designation.get("authority", "")),
        str(designation.get("list", "")),
        str(designation.get("date", "")),
    )


def _merged(existing: Sequence[Any], new: Iterable[Any], key: Any = None) -> list[Any]:
    """`existing` followed by the items of `new` it does not hold yet (by `key`)."""
    key = key or (lambda item: item)
    seen = {key(item) for item in existing}
    merged = list(existing)
    for item in new:
        if key(item) not in seen:
            seen.add(key(item))
            merged.append(item)
    return merged


@dataclass(eq=False)  # removed from a list by identity: two pending rows may look alike
class _HeldAlias:
    """An alias row as a sync sees it; `id` is None until the row is inserted."""

    name: str
    normalized: str
    language: str | None
    origin: str
    id: int | None = None


@dataclass
class _HeldEntity:
    """An entity row (`_ENTITY_COLUMNS`) and its aliases while a sync merges into them."""

    row: dict[str, Any]
    aliases: list[_HeldAlias]
    is_new: bool = False
    row_changed: bool = False
    removed_alias_ids: list[int] = field(default_factory=list)

    @classmethod
    def new(cls, entry: KBEntry) -> _HeldEntity:
        row: dict[str, Any] = {
            "id": entry.id,
            "kind": entry.kind,
            "name": entry.name,
            "description": entry.description,
            "designations": [],
            "properties": {"origin": entry.origin},
        }
        return cls(row=row, aliases=[], is_new=True)

    def drop(self, alias: _HeldAlias) -> None:
        self.aliases.remove(alias)
        if alias.id is not None:
            self.removed_alias_ids.append(alias.id)


class KnowledgeBaseStore:
    def __init__(
        self,
        session: Session,
        normalizer: Normalizer,
        variants: VariantGenerator,
        schema: KBSchema | None = None,
    ) -> None:
        self.session = session
        self.normalizer = normalizer
        self.variants = variants
        self.schema = schema or kb_schema()
        # Each alias and variant is keyed several times per sync; normalising is the hot path.
        self.key: Callable[[str], str] = lru_cache(maxsize=200_000)(normalizer.key)

    def sync(self, entries: Sequence[KBEntry]) -> SyncReport:
        """Merge `entries` into the database (relation targets may be in the batch or stored)."""
        return self.sync_batches(entries, size=max(len(entries), 1))

    def sync_batches(
        self,
        entries: Sequence[KBEntry],
        size: int = BATCH,
        on_batch: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """`sync` in batches (bounded work per statement for large imports): every entity
        first, then the relations, so a relation may point at an entity of a later batch.
        `on_batch` hears how many entries each batch held."""
        report = SyncReport()
        for chunk in _batches(entries, size):
            self._sync_entities(chunk, report)
            if on_batch is not None:
                on_batch(len(chunk))
        related = [entry for entry in entries if entry.relations]
        for chunk in _batches(related, size):
            report.relations_added += self._sync_relations(chunk)
        self._audit(entries, report)
        return report

    def _sync_entities(self, entries: Sequence[KBEntry], report: SyncReport) -> None:
        held = self._load({entry.id for entry in entries})
        for entry in entries:
            entity = held.get(entry.id)
            if entity is None:
                entity = held[entry.id] = _HeldEntity.new(entry)
                report.entities_added += 1
                report.mark_changed(entry.id)
            if self._merge(entity, entry, report) and report.mark_changed(entry.id):
                report.entities_updated += 1
        self._write(list(held.values()))

    def find(self, name: str) -> list[Entity]:
        """The entity whose id is `name`, else those with an alias (or stored variant) that
        normalises like `name`, else like one of the spellings of `name` itself."""
        entity = self.session.get(Entity, name.strip())
        if entity is not None:
            return [entity]
        key = self.key(name.strip())
        found = self._with_alias_keys({key})
        if not found:
            spellings = self.variants.variants(name.strip(), None)
            found = self._with_alias_keys({self.key(v.name) for v in spellings})
        return found

    def _with_alias_keys(self, keys: set[str]) -> list[Entity]:
        if not keys:
            return []
        ids = select(Alias.entity_id).where(Alias.normalized.in_(sorted(keys))).distinct()
        query = select(Entity).where(Entity.id.in_(ids)).order_by(Entity.name, Entity.id)
        return list(self.session.scalars(query))

    def _select_in(
        self,
        statement: Select[*Columns],
        column: InstrumentedAttribute[Any],
        values: Iterable[Any],
    ) -> list[Row[*Columns]]:
        """The rows of `statement` whose `column` is one of `values`, asked in batches
        (databases bound the parameters of one statement)."""
        rows: list[Row[*Columns]] = []
        for chunk in _batches(sorted(set(values)), BATCH):
            rows.extend(self.session.execute(statement.where(column.in_(chunk))))
        return rows

    def _load(self, ids: set[str]) -> dict[str, _HeldEntity]:
        """The stored entities of `ids` with their aliases: two queries, no ORM objects."""
        columns = [getattr(Entity, column) for column in _ENTITY_COLUMNS]
        held = {
            row.id: _HeldEntity(row=dict(row._mapping), aliases=[])
            for row in self._select_in(select(*columns), Entity.id, ids)
        }
        aliases = select(
            Alias.entity_id, Alias.id, Alias.name, Alias.normalized, Alias.language, Alias.origin
        ).order_by(Alias.id)  # the order they were added in, as the ORM collection had it
        for row in self._select_in(aliases, Alias.entity_id, held):
            held[row.entity_id].aliases.append(
                _HeldAlias(row.name, row.normalized, row.language, row.origin, row.id)
            )
        return held

    def _write(self, entities: Sequence[_HeldEntity]) -> None:
        """Store what `_merge` changed in `entities` with a few bulk statements."""
        new = [entity.row for entity in entities if entity.is_new]
        changed = [entity.row for entity in entities if entity.row_changed and not entity.is_new]
        if new:
            self.session.execute(insert(Entity), new)
        if changed:
            self.session.execute(update(Entity), changed)
        removed = [alias_id for entity in entities for alias_id in entity.removed_alias_ids]
        # Deleted before the inserts: a variant may give way to a curated alias of its name.
        for chunk in _batches(removed, BATCH):
            self.session.execute(delete(Alias).where(Alias.id.in_(chunk)))
        added = [
            {
                "entity_id": entity.row["id"],
                "name": alias.name,
                "normalized": alias.normalized,
                "language": alias.language,
                "script": detect_script(alias.name, self.schema.scripts),
                "origin": alias.origin,
            }
            for entity in entities
            for alias in entity.aliases
            if alias.id is None
        ]
        if added:
            self.session.execute(insert(Alias), added)
        self._expire(Entity, [entity.row["id"] for entity in entities if not entity.is_new])

    def _expire(self, model: type[Base], keys: Iterable[Any]) -> None:
        """Bulk statements bypass the session: objects of these rows it already holds reload."""
        for key in keys:
            held = self.session.identity_map.get(identity_key(model, key))
            if held is not None:
                self.session.expire(held)

    def _merge(self, entity: _HeldEntity, entry: KBEntry, report: SyncReport) -> bool:
        """Bring `entity` up to `entry`; True when anything changed."""
        row = entity.row
        changed = False
        if entry.origin == "kb":  # the shipped KB is authoritative for names and kinds
            for column in ("name", "kind", "description"):
                if row[column] != getattr(entry, column):
                    row[column] = getattr(entry, column)
                    changed = True
        stored = row["designations"] or []
        designations = _merged(stored, entry.designations, _designation_key)
        if len(designations) != len(stored):
            report.designations_added += len(designations) - len(stored)
            row["designations"] = designations
            changed = True
        properties = self._merged_properties(row["properties"], entry)
        if properties != row["properties"]:
            row["properties"] = properties
            changed = True
        entity.row_changed |= changed
        added = self._add_aliases(entity, entry)
        report.aliases_added += added
        variants_added, variants_removed = self._refresh_variants(entity)
        report.variants_added += variants_added
        report.variants_removed += variants_removed
        return changed or bool(added or variants_added or variants_removed)

    def _merged_properties(self, stored: dict[str, Any] | None, entry: KBEntry) -> dict[str, Any]:
        properties = dict(stored or {})
        sources = entry.sources + designation_sources(entry, self.schema)
        properties["sources"] = _merged(properties.get("sources", []), sources)
        if entry.country and not properties.get("country"):
            properties["country"] = entry.country
        if entry.place_type:
            properties["place_type"] = entry.place_type
        phrasings = [
            {"name": a.name, "language": a.language, "note": a.note}
            for a in entry.aliases
            if a.note
        ]
        if phrasings:
            properties["phrasings"] = _merged(
                properties.get("phrasings", []), phrasings, lambda p: (p["name"], p["language"])
            )
        relations = [relation.as_record() for relation in entry.relations]
        properties["relations"] = _merged(
            properties.get("relations", []), relations, lambda r: (r["predicate"], r["object"])
        )
        if not properties["relations"]:
            del properties["relations"]
        return properties

    def _alias(self, name: str, language: str | None, origin: str) -> _HeldAlias:
        return _HeldAlias(name, self.key(name), language, origin)

    def _add_aliases(self, entity: _HeldEntity, entry: KBEntry) -> int:
        held = {(alias.name, alias.language) for alias in entity.aliases if alias.origin != VARIANT}
        added = 0
        for alias in entry.all_names():
            if (alias.name, alias.language) in held:
                continue
            # A spelling that was a generated variant becomes a curated alias.
            for variant in [
                a for a in entity.aliases if a.origin == VARIANT and a.name == alias.name
            ]:
                entity.drop(variant)
            origin = PHRASING if alias.note else entry.origin
            entity.aliases.append(self._alias(alias.name, alias.language, origin))
            held.add((alias.name, alias.language))
            added += 1
        return added

    def _refresh_variants(self, entity: _HeldEntity) -> tuple[int, int]:
        own = [alias for alias in entity.aliases if alias.origin != VARIANT]
        taken = {alias.normalized for alias in own}
        wanted: dict[str, tuple[str, str | None]] = {}
        for alias in own:
            for variant in self.variants.variants(alias.name, alias.language):
                key = self.key(variant.name)
                if key not in taken and key not in wanted:
                    wanted[key] = (variant.name, variant.language)
        stored = {alias.normalized: alias for alias in entity.aliases if alias.origin == VARIANT}
        removed = 0
        for key, alias in stored.items():
            if key not in wanted:
                entity.drop(alias)
                removed += 1
        added = 0
        for key, (name, language) in wanted.items():
            if key not in stored:
                entity.aliases.append(self._alias(name, language, VARIANT))
                added += 1
        return added, removed

    def _sync_relations(self, entries: Sequence[KBEntry]) -> int:
        """Store the relations of `entries` not held yet (and a start date one gained);
        the number added."""
        targets = {relation.object_id for entry in entries for relation in entry.relations}
        known = {row.id for row in self._select_in(select(Entity.id), Entity.id, targets)}
        stored_query = select(
            Relation.id,
            Relation.subject_id,
            Relation.predicate,
            Relation.object_id,
            Relation.valid_date,
        ).where(Relation.document_id.is_(None))  # relations read in text are not the KB's
        stored = {
            (row.subject_id, row.predicate, row.object_id): row
            for row in self._select_in(stored_query, Relation.subject_id, (e.id for e in entries))
        }
        new: dict[tuple[str, str, str], dict[str, Any]] = {}
        dated: dict[int, str] = {}
        for entry in entries:
            for relation in entry.relations:
                if relation.object_id not in known:
                    raise KnowledgeBaseError(
                        f"{entry.where or entry.id}: field 'relations': "
                        f"dangling target {relation.object_id!r}"
                    )
                key = (entry.id, relation.predicate, relation.object_id)
                row = stored.get(key)
                if row is None:
                    new.setdefault(
                        key,
                        {
                            "subject_id": entry.id,
                            "predicate": relation.predicate,
                            "object_id": relation.object_id,
                            "valid_date": relation.valid_from,
                        },
                    )
                elif relation.valid_from and row.valid_date != relation.valid_from:
                    dated[row.id] = relation.valid_from
        if new:
            self.session.execute(insert(Relation), list(new.values()))
        if dated:
            rows = [{"id": row_id, "valid_date": date} for row_id, date in dated.items()]
            self.session.execute(update(Relation), rows)
            self._expire(Relation, dated)
        return len(new)

    def _audit(self, entries: Sequence[KBEntry], report: SyncReport) -> None:
        """Analysts' and imports' changes are recorded; the shipped KB is its own record."""
        changed = set(report.changed_ids)
        for entry in entries:
            if entry.origin != "kb" and entry.id in changed:
                self.session.add(
                    AuditLog(
                        action=f"kb.{entry.origin}",
                        target_kind="entity",
                        target_id=entry.id,
                        details={
                            "name": entry.name,
                            "aliases": [a.name for a in entry.aliases],
                            "designations": entry.designations,
                        },
                    )
                )
