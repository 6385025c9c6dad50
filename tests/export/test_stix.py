"""`marsad export stix`: a STIX 2.1 bundle the official validator accepts, the same every time."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import stix2
from sqlalchemy import select
from stix2validator import ValidationOptions, validate_string

from marsad.export.stix import capture_objects, stix_bundle
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Alias, Capture, Document, Entity, Mention, Relation
from marsad.workspace import Workspace
from tests.commandline import marsad_for

TEXT = "عقد أكرم الكعبي الأمين العام لحركة النجباء اجتماعا مع قادة فصيلين آخرين في بغداد."


def populate(workspace: Workspace, folder: Path) -> None:
    page = folder / "statement.html"
    page.write_text(f"<html><head><title>بيان</title></head><body><p>{TEXT}</p></body></html>")
    Ingestor(workspace).ingest([str(page)])
    with workspace.database.session() as session:
        document = session.scalars(select(Document)).one()
        group = Entity(
            id="marsad-org-nujaba", kind="organization", name="Harakat Hezbollah al-Nujaba",
            designations=[{"authority": "US Department of State", "list": "FTO",
                           "date": "2019-03-05", "citation": "https://www.state.gov/foreign-terrorist-organizations/"}],
        )  # fmt: skip
        group.aliases.append(Alias(name="حركة النجباء", normalized="حركه النجبا", language="ar"))
        person = Entity(id="marsad-person-akram-kaabi", kind="person", name="Akram al-Kaabi")
        person.aliases.append(Alias(name="أكرم الكعبي", normalized="اكرم الكعبي", language="ar"))
        outlet = Entity(id="marsad-media-example", kind="media_outlet", name="Example News Channel")
        session.add_all([group, person, outlet])
        session.flush()
        start = TEXT.index("أكرم")
        session.add_all(
            [
                Mention(document_id=document.id, entity_id=group.id, stage="link",
                        surface="حركة النجباء", start=TEXT.index("حركة"),
                        end=TEXT.index("حركة") + 12, method="test"),
                Relation(subject_id=person.id, predicate="secretary_general_of", object_id=group.id,
                         document_id=document.id, evidence_start=start, evidence_end=start + 40),
            ]
        )  # fmt: skip


def objects_by_type(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for item in bundle["objects"]:
        found.setdefault(item["type"], []).append(item)
    return found


def test_the_bundle_is_valid_stix_and_deterministic(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    with workspace.database.session() as session:
        text, count = stix_bundle(session)
    with workspace.database.session() as session:
        assert stix_bundle(session)[0] == text  # same store, same bytes
    results = validate_string(text, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors]
    bundle = json.loads(text)
    assert len(bundle["objects"]) == count
    found = objects_by_type(bundle)
    (actor,) = found["threat-actor"]
    assert actor["name"] == "Harakat Hezbollah al-Nujaba" and "حركة النجباء" in actor["aliases"]
    assert actor["external_references"][0]["source_name"] == "US Department of State"
    people = [i for i in found["identity"] if i.get("identity_class") == "individual"]
    assert [p["name"] for p in people] == ["Akram al-Kaabi"]
    kinds = {r["relationship_type"]: r for r in found["relationship"]}
    assert kinds["secretary-general-of"]["source_ref"] == people[0]["id"]
    assert kinds["secretary-general-of"]["target_ref"] == actor["id"]
    assert kinds["secretary-general-of"]["description"].startswith("أكرم الكعبي")
    assert kinds["indicates"]["target_ref"] == actor["id"]
    (indicator,) = found["indicator"]
    assert indicator["pattern"].startswith("[url:value = 'file://")
    (report,) = found["report"]
    assert actor["id"] in report["object_refs"] and report["lang"] == "ar"
    (observed,) = found["observed-data"]
    assert observed["id"] in report["object_refs"]
    (file,) = found["file"]
    assert len(file["hashes"]["SHA-256"]) == 64


def test_the_command_writes_the_bundle(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    output = tmp_path / "bundle.json"
    result = marsad_for(workspace.settings, "export", "stix", "-o", str(output))
    bundle = json.loads(output.read_text(encoding="utf-8"))
    assert bundle["type"] == "bundle"
    assert f"{len(bundle['objects'])} objects" in result.stderr


def test_quotes_in_a_url_are_escaped_in_the_indicator_pattern() -> None:
    capture = Capture(
        id=9, url="https://example.org/it's-here", sha256="a" * 64, size=10,
        fetched_at=datetime(2026, 3, 1, tzinfo=UTC),
    )  # fmt: skip
    objects = list(
        capture_objects(capture, ["threat-actor--" + "0" * 8 + "-0000-4000-8000-" + "0" * 12])
    )
    bundle = stix2.Bundle(objects=objects, allow_custom=True).serialize()
    results = validate_string(bundle, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors]
    (indicator,) = [o for o in objects if o.type == "indicator"]
    assert indicator.pattern == "[url:value = 'https://example.org/it\\'s-here']"


def test_places_with_a_country_become_locations(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        session.add_all(
            [
                Entity(id="test-place-iq", kind="place", name="Iraq",
                       properties={"country": "iq", "place_type": "country"}),
                Entity(id="test-place-baghdad", kind="place", name="Baghdad",
                       properties={"country": "iq", "place_type": "city"}),
                Entity(id="test-place-disputed", kind="place", name="Disputed Town",
                       properties={"place_type": "city"}),
            ]
        )  # fmt: skip
        session.flush()
        session.add_all(
            [
                Relation(subject_id="test-place-baghdad", predicate="part_of",
                         object_id="test-place-iq"),
                Relation(subject_id="test-place-disputed", predicate="part_of",
                         object_id="test-place-iq"),
            ]
        )  # fmt: skip
    with workspace.database.session() as session:
        text, _ = stix_bundle(session)
    results = validate_string(text, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors]
    found = objects_by_type(json.loads(text))
    locations = {o["name"]: o for o in found["location"]}
    assert set(locations) == {"Iraq", "Baghdad"}  # no country code, no STIX location
    assert locations["Baghdad"]["country"] == "IQ"
    assert locations["Baghdad"]["x_marsad_place_type"] == "city"
    (part_of,) = found["relationship"]
    assert part_of["relationship_type"] == "part-of"
    assert (part_of["source_ref"], part_of["target_ref"]) == (
        locations["Baghdad"]["id"],
        locations["Iraq"]["id"],
    )
