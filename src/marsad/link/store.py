"""The knowledge base in the database: entries merged into Entity, Alias and Relation rows.

Merging is on ids and idempotent: an entry whose id exists adds the aliases, designations,
sources and relations it brings, never a duplicate. Aliases carry their normalised form and
script; their variants (marsad.link.aliases) are stored beside them with origin "variant" and
recomputed when an entity's own aliases change. Changes from imports and analysts are
written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import VariantGenerator, detect_script
from marsad.link.kb import KBEntry, KBSchema, designation_sources, kb_schema
from marsad.store.models import Alias, AuditLog, Entity, Relation
from marsad.text.normalize import Normalizer

VARIANT = "variant"
PHRASING = "phrasing"  # origin of an alias that denotes an entity without naming it
BATCH = 500


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
        """`sync` in batches (bounded work per flush for large imports): every entity first,
        then the relations, so a relation may point at an entity of a later batch.
        `on_batch` hears how many entries each batch held."""
        report = SyncReport()
        for start in range(0, len(entries), size):
            chunk = entries[start : start + size]
            self._sync_entities(chunk, report)
            if on_batch is not None:
                on_batch(len(chunk))
        related = [entry for entry in entries if entry.relations]
        for start in range(0, len(related), size):
            chunk = related[start : start + size]
            entities = self._load({entry.id for entry in chunk})
            report.relations_added += sum(self._add_relations(e, entities) for e in chunk)
            self.session.flush()
        self._audit(entries, report)
        return report

    def _sync_entities(self, entries: Sequence[KBEntry], report: SyncReport) -> None:
        entities = self._load({entry.id for entry in entries})
        for entry in entries:
            entity = entities.get(entry.id)
            if entity is None:
                entity = entities[entry.id] = self._create(entry)
                report.entities_added += 1
                report.mark_changed(entry.id)
            if self._merge(entity, entry, report) and report.mark_changed(entry.id):
                report.entities_updated += 1
        self.session.flush()

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

    def _load(self, ids: set[str]) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), BATCH):
            query = (
                select(Entity)
                .where(Entity.id.in_(ordered[start : start + BATCH]))
                .options(selectinload(Entity.aliases))
            )
            found.update((entity.id, entity) for entity in self.session.scalars(query))
        return found

    def _create(self, entry: KBEntry) -> Entity:
        entity = Entity(
            id=entry.id,
            kind=entry.kind,
            name=entry.name,
            description=entry.description,
            designations=[],
            properties={"origin": entry.origin},
        )
        entity.aliases = []
        self.session.add(entity)
        return entity

    def _merge(self, entity: Entity, entry: KBEntry, report: SyncReport) -> bool:
        """Bring `entity` up to `entry`; True when anything changed."""
        changed = False
        if entry.origin == "kb":  # the shipped KB is authoritative for names and kinds
            for attribute in ("name", "kind", "description"):
                if getattr(entity, attribute) != getattr(entry, attribute):
                    setattr(entity, attribute, getattr(entry, attribute))
                    changed = True
        designations = _merged(entity.designations or [], entry.designations, _designation_key)
        if len(designations) != len(entity.designations or []):
            report.designations_added += len(designations) - len(entity.designations or [])
            entity.designations = designations
            changed = True
        properties = self._merged_properties(entity, entry)
        if properties != entity.properties:
            entity.properties = properties
            changed = True
        added = self._add_aliases(entity, entry)
        report.aliases_added += added
        variants_added, variants_removed = self._refresh_variants(entity)
        report.variants_added += variants_added
        report.variants_removed += variants_removed
        return changed or bool(added or variants_added or variants_removed)

    def _merged_properties(self, entity: Entity, entry: KBEntry) -> dict[str, Any]:
        properties = dict(entity.properties or {})
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

    def _alias(self, name: str, language: str | None, origin: str) -> Alias:
        return Alias(
            name=name,
            normalized=self.key(name),
            language=language,
            script=detect_script(name, self.schema.scripts),
            origin=origin,
        )

    def _add_aliases(self, entity: Entity, entry: KBEntry) -> int:
        held = {(alias.name, alias.language) for alias in entity.aliases if alias.origin != VARIANT}
        added = 0
        for alias in entry.all_names():
            if (alias.name, alias.language) in held:
                continue
            # A spelling that was a generated variant becomes a curated alias.
            stale = [a for a in entity.aliases if a.origin == VARIANT and a.name == alias.name]
            for variant in stale:
                entity.aliases.remove(variant)
                self.session.delete(variant)
            if stale:  # the unit of work inserts before it deletes: delete first
                self.session.flush()
            origin = PHRASING if alias.note else entry.origin
            entity.aliases.append(self._alias(alias.name, alias.language, origin))
            held.add((alias.name, alias.language))
            added += 1
        return added

    def _refresh_variants(self, entity: Entity) -> tuple[int, int]:
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
                entity.aliases.remove(alias)
                self.session.delete(alias)
                removed += 1
        added = 0
        for key, (name, language) in wanted.items():
            if key not in stored:
                entity.aliases.append(self._alias(name, language, VARIANT))
                added += 1
        return added, removed

    def _add_relations(self, entry: KBEntry, entities: dict[str, Entity]) -> int:
        if not entry.relations:
            return 0
        query = select(Relation).where(
            Relation.subject_id == entry.id, Relation.document_id.is_(None)
        )
        existing = {(r.predicate, r.object_id): r for r in self.session.scalars(query)}
        added = 0
        for relation in entry.relations:
            if (
                relation.object_id not in entities
                and self.session.get(Entity, relation.object_id) is None
            ):
                raise KnowledgeBaseError(
                    f"{entry.where or entry.id}: field 'relations': "
                    f"dangling target {relation.object_id!r}"
                )
            row = existing.get((relation.predicate, relation.object_id))
            if row is None:
                self.session.add(
                    Relation(
                        subject_id=entry.id,
                        predicate=relation.predicate,
                        object_id=relation.object_id,
                        valid_date=relation.valid_from,
                    )
                )
                added += 1
            elif relation.valid_from and row.valid_date != relation.valid_from:
                row.valid_date = relation.valid_from
        return added

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
