"""A STIX 2.1 bundle of what Marsad knows, for partners' threat-intelligence platforms.

  organisation on a designation list -> threat-actor (aliases, the lists as external refs)
  other organisation, media outlet   -> identity (organization)
  person                             -> identity (individual)
  place with a country code          -> location (country; the place type and aliases as
                                        x_marsad_ properties); places without one are left out
  relation (leader_of, ...)          -> relationship ("leader-of", ...), with its evidence
  successful capture                 -> observed-data of a url and a file (SHA-256, size)
                                        + indicator on the URL, which "indicates" every threat
                                        actor its documents mention
  document with linked mentions      -> report citing those objects
  analyst report (`marsad report`)   -> report (threat-report) citing what its footnotes cite
                                        (the documents' reports, the captures' observed-data)
                                        + note carrying the report's Markdown

Ids are UUIDv5 of Marsad's own keys and timestamps come from the store, so exporting the same
store twice gives the same bundle, byte for byte.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import stix2
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marsad.report.citations import cited_keys
from marsad.report.evidence import event_capture_ids
from marsad.store.models import (
    Capture,
    Document,
    Entity,
    Mention,
    Relation,
    Report,
)

# Fixed forever: changing it would change every exported id.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/marsad/marsad#stix")
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
BATCH = 500


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


MARSAD = stix2.Identity(
    id=stix_id("identity", "marsad"),
    name="Marsad",
    identity_class="system",
    description="Open-source monitoring workbench; this bundle was exported from its store.",
    created=EPOCH,
    modified=EPOCH,
)


def _common(created: datetime) -> dict[str, Any]:
    return {
        "created": _utc(created),
        "modified": _utc(created),
        "created_by_ref": MARSAD.id,
        "allow_custom": True,
    }


def _designation_refs(entity: Entity) -> list[dict[str, str]]:
    refs = []
    for designation in entity.designations or []:
        name = str(designation.get("authority") or designation.get("list") or "designation")
        description = " ".join(
            str(designation[key]) for key in ("list", "date") if designation.get(key)
        )
        ref = {"source_name": name, "description": description or name}
        if designation.get("citation") or designation.get("url"):
            ref["url"] = str(designation.get("url") or designation.get("citation"))
        refs.append(ref)
    return refs


def place_object(entity: Entity, aliases: list[str]) -> Any:
    """A STIX location needs a country or a region: a place without a country code has none."""
    properties = entity.properties or {}
    if not properties.get("country"):
        return None
    return stix2.Location(
        id=stix_id("location", entity.id),
        name=entity.name,
        description=entity.description,
        country=str(properties["country"]).upper(),
        x_marsad_place_type=properties.get("place_type"),
        x_marsad_aliases=aliases or None,
        x_marsad_entity_id=entity.id,
        **_common(entity.created_at),
    )


def entity_object(entity: Entity) -> Any:
    aliases = sorted({alias.name for alias in entity.aliases} - {entity.name})
    if entity.kind == "place":
        return place_object(entity, aliases)
    common = _common(entity.created_at)
    refs = _designation_refs(entity)
    if entity.kind == "organization" and entity.designations:
        return stix2.ThreatActor(
            id=stix_id("threat-actor", entity.id),
            name=entity.name,
            description=entity.description,
            threat_actor_types=["terrorist"],
            aliases=aliases or None,
            external_references=refs or None,
            x_marsad_entity_id=entity.id,
            **common,
        )
    return stix2.Identity(
        id=stix_id("identity", entity.id),
        name=entity.name,
        description=entity.description,
        identity_class="individual" if entity.kind == "person" else "organization",
        sectors=["communications"] if entity.kind == "media_outlet" else None,
        external_references=refs or None,
        x_marsad_aliases=aliases or None,
        x_marsad_entity_id=entity.id,
        **common,
    )


def relation_object(relation: Relation, ids: dict[str, str], session: Session) -> Any:
    quote = None
    if relation.document_id is not None and relation.evidence_start is not None:
        document = session.get(Document, relation.document_id)
        text = (document.text if document else None) or ""
        quote = text[relation.evidence_start : relation.evidence_end] or None
    return stix2.Relationship(
        id=stix_id(
            "relationship", f"{relation.subject_id}|{relation.predicate}|{relation.object_id}"
        ),
        relationship_type=relation.predicate.replace("_", "-"),
        source_ref=ids[relation.subject_id],
        target_ref=ids[relation.object_id],
        description=quote,
        start_time=_day(relation.valid_date),
        x_marsad_document_id=relation.document_id,
        **_common(EPOCH),
    )


def _day(value: str | None) -> datetime | None:
    """A partial date's first day ('2020' -> 2020-01-01) for STIX timestamps."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)


def capture_objects(capture: Capture, actors: list[str]) -> Iterator[Any]:
    url = stix2.URL(value=capture.url)
    file_properties: dict[str, Any] = {"hashes": {"SHA-256": capture.sha256}, "size": capture.size}
    if capture.content_type:
        file_properties["mime_type"] = capture.content_type.split(";")[0].strip()
    file = stix2.File(name=capture.url.rsplit("/", 1)[-1] or capture.url, **file_properties)
    seen = _utc(capture.fetched_at)
    common = _common(seen)
    yield url
    yield file
    yield stix2.ObservedData(
        id=stix_id("observed-data", f"capture:{capture.id}"),
        first_observed=seen,
        last_observed=seen,
        number_observed=1,
        object_refs=[url.id, file.id],
        x_marsad_capture_id=capture.id,
        **common,
    )
    if not actors:
        return
    value = capture.url.replace("\\", "\\\\").replace("'", "\\'")
    indicator = stix2.Indicator(
        id=stix_id("indicator", f"url:{capture.url}"),
        name=f"Page carrying {len(actors)} designated actor(s)' communications",
        indicator_types=["attribution"],
        pattern=f"[url:value = '{value}']",
        pattern_type="stix",
        valid_from=seen,
        **common,
    )
    yield indicator
    for actor in actors:
        yield stix2.Relationship(
            id=stix_id("relationship", f"{indicator.id}|indicates|{actor}"),
            relationship_type="indicates",
            source_ref=indicator.id,
            target_ref=actor,
            **common,
        )


def report_object(document: Document, refs: list[str]) -> Any:
    published = _day(document.published) or _utc(document.first_seen_at)
    return stix2.Report(
        id=stix_id("report", f"document:{document.id}"),
        name=(document.title or document.url)[:250],
        report_types=["threat-actor"],
        published=published,
        object_refs=refs,
        lang=document.language,
        external_references=[{"source_name": "marsad", "url": document.url}],
        x_marsad_document_id=document.id,
        **_common(document.first_seen_at),
    )


def _cited_candidates(session: Session, kind: str, key_id: int) -> list[str]:
    """Bundle ids that may stand for one citation; a document's report comes before its
    capture's observed-data (documents without linked mentions have no report)."""
    if kind == "doc":
        document = session.get(Document, key_id)
        if document is None:
            return []
        return [stix_id("report", f"document:{document.id}"),
                stix_id("observed-data", f"capture:{document.capture_id}")]  # fmt: skip
    if kind == "capture":
        return [stix_id("observed-data", f"capture:{key_id}")]
    captures = event_capture_ids(session, key_id)
    return [stix_id("observed-data", f"capture:{capture_id}") for capture_id in captures]


def _cited_refs(session: Session, report: Report, objects: dict[str, Any]) -> list[str]:
    refs: list[str] = []
    for key in cited_keys(report.body):
        present = [r for r in _cited_candidates(session, key.kind, key.id) if r in objects]
        for ref in present[:1] if key.kind == "doc" else present:
            if ref not in refs:
                refs.append(ref)
    return refs


def analyst_report_objects(session: Session, report: Report, objects: dict[str, Any]) -> list[Any]:
    refs = _cited_refs(session, report, objects) or [MARSAD.id]
    common = {**_common(report.created_at), "modified": _utc(report.updated_at)}
    made = stix2.Report(
        id=stix_id("report", f"analyst-report:{report.id}"),
        name=report.title[:250],
        report_types=["threat-report"],
        published=_utc(report.updated_at),
        object_refs=refs,
        x_marsad_report_id=report.id,
        **common,
    )
    note = stix2.Note(
        id=stix_id("note", f"analyst-report:{report.id}"),
        abstract=report.title[:250],
        content=report.body,
        object_refs=[made.id],
        **common,
    )
    return [made, note]


def stix_objects(session: Session) -> list[Any]:
    objects: dict[str, Any] = {MARSAD.id: MARSAD}
    ids: dict[str, str] = {}
    entities = session.scalars(select(Entity).options(selectinload(Entity.aliases)))
    for entity in entities:
        made = entity_object(entity)
        if made is None:
            continue
        objects[made.id] = made
        ids[entity.id] = made.id
    for relation in session.scalars(select(Relation).order_by(Relation.id)):
        if relation.subject_id in ids and relation.object_id in ids:
            made = relation_object(relation, ids, session)
            objects.setdefault(made.id, made)
    mentioned: dict[int, set[str]] = defaultdict(set)
    linked = select(Mention.document_id, Mention.entity_id).where(Mention.entity_id.is_not(None))
    for document_id, entity_id in session.execute(linked):
        if entity_id in ids:
            mentioned[document_id].add(ids[entity_id])
    documents = session.scalars(
        select(Document).options(selectinload(Document.capture)).order_by(Document.id)
    )
    actors_by_capture: dict[int, set[str]] = defaultdict(set)
    reports = []
    for document in documents:
        refs = sorted(mentioned.get(document.id, set()))
        actors_by_capture[document.capture_id].update(
            r for r in refs if r.startswith("threat-actor--")
        )
        if refs:
            observed = stix_id("observed-data", f"capture:{document.capture_id}")
            reports.append((document, [*refs, observed]))
    captures = session.scalars(
        select(Capture)
        .where(Capture.error.is_(None), Capture.sha256.is_not(None))
        .order_by(Capture.id)
    )
    for capture in captures:
        for made in capture_objects(capture, sorted(actors_by_capture.get(capture.id, set()))):
            objects.setdefault(made.id, made)
    for document, refs in reports:
        made = report_object(document, refs)
        objects[made.id] = made
    for report in session.scalars(select(Report).order_by(Report.id)):
        for made in analyst_report_objects(session, report, objects):
            objects[made.id] = made
    return [objects[key] for key in sorted(objects)]


def stix_bundle(session: Session) -> tuple[str, int]:
    """The bundle as JSON text (deterministic id, objects sorted by id, keys sorted) and the
    number of objects in it."""
    objects = stix_objects(session)
    return serialise_bundle(objects), len(objects)


def serialise_bundle(objects: list[Any]) -> str:
    """A bundle of `objects` as JSON text: its id derived from theirs, keys sorted."""
    bundle_id = f"bundle--{uuid.uuid5(NAMESPACE, '|'.join(o.id for o in objects))}"
    bundle = stix2.Bundle(objects=objects, id=bundle_id, allow_custom=True)
    return json.dumps(json.loads(bundle.serialize()), indent=1, sort_keys=True, ensure_ascii=False)


def referral_bundle(
    key: str, name: str, description: str, created: datetime, captures: list[Capture]
) -> str:
    """The captures of a referral as observed data, with a report that names why they were
    referred (`key` makes the ids: the same referral exports the same bundle)."""
    objects: dict[str, Any] = {MARSAD.id: MARSAD}
    for capture in captures:
        for made in capture_objects(capture, []):
            objects.setdefault(made.id, made)
    observed = sorted(o for o in objects if o.startswith("observed-data--"))
    report = stix2.Report(
        id=stix_id("report", key),
        name=name[:250],
        description=description,
        report_types=["indicator"],
        published=_utc(created),
        object_refs=observed,
        **_common(created),
    )
    objects[report.id] = report
    return serialise_bundle([objects[k] for k in sorted(objects)])
