"""Each export kind yields exactly the documented fields, filled from real rows."""

import csv
import io
import json
from datetime import UTC, datetime

from marsad.collect.content import RawContent
from marsad.collect.kinds import Collected, CollectedPost
from marsad.export.records import EXPORT_FIELDS, records_of
from marsad.export.tabular import write_records
from marsad.store.models import (
    Alias,
    Capture,
    Document,
    Entity,
    Event,
    EventActor,
    EventSource,
    Mention,
    Relation,
    Translation,
)
from marsad.workspace import Workspace

TEXT = "التقى أكرم الكعبي الأمين العام لحركة النجباء بقادة فصيلين في بغداد."


def populate(workspace: Workspace) -> int:
    with workspace.database.session() as session:
        document = Document(
            capture=Capture(url="https://n.example/1", sha256="d" * 64),
            url="https://n.example/1",
            text=TEXT,
            language="ar",
            title="لقاء",
        )
        kaabi = Entity(id="marsad-person-akram-al-kaabi", kind="person", name="Akram al-Kaabi")
        kaabi.aliases += [
            Alias(name="أكرم الكعبي", normalized="اكرم الكعبي", language="ar"),
            Alias(name="اکرم کعبی", normalized="اكرم كعبي", language="fa"),
        ]
        nujaba = Entity(
            id="marsad-org-nujaba",
            kind="organization",
            name="Harakat Hezbollah al-Nujaba",
            designations=[{"authority": "US", "list": "SDGT", "date": "2019-03-05"}],
        )
        baghdad = Entity(id="marsad-place-baghdad", kind="place", name="Baghdad")
        session.add_all([document, kaabi, nujaba, baghdad])
        session.flush()
        start = TEXT.index("أكرم الكعبي")
        session.add(
            Mention(
                document_id=document.id,
                entity_id=kaabi.id,
                stage="link",
                surface="أكرم الكعبي",
                start=start,
                end=start + 11,
                method="alias",
            )
        )
        session.add(
            Relation(
                subject_id=kaabi.id,
                predicate="secretary_general_of",
                object_id=nujaba.id,
                document_id=document.id,
                stage="link",
                evidence_start=6,
                evidence_end=44,
            )
        )
        event = Event(
            type="meet",
            date="2020-01",
            date_precision="month",
            date_certainty="likely",
            place_id=baghdad.id,
            summary="Meeting in Baghdad",
            language="ar",
        )
        event.actors.append(EventActor(entity_id=kaabi.id, role="actor"))
        event.actors.append(EventActor(role="participant", surface="فصيلين"))
        event.sources.append(
            EventSource(document_id=document.id, stage="events", start=0, end=len(TEXT))
        )
        session.add(event)
        session.add(
            Translation(
                document_id=document.id,
                target_language="en",
                backend="gloss",
                text="Akram al-Kaabi met ...",
            )
        )
        return document.id


def export(workspace: Workspace, kind: str) -> list[dict]:
    with workspace.database.session() as session:
        records = list(records_of(kind, session))
    for record in records:
        assert tuple(record) == EXPORT_FIELDS[kind]
    return records


def test_records_follow_the_stable_interface(workspace: Workspace) -> None:
    document_id = populate(workspace)
    (document,) = export(workspace, "documents")
    assert document["sha256"] == "d" * 64 and document["language"] == "ar"
    entities = {e["id"]: e for e in export(workspace, "entities")}
    assert entities["marsad-person-akram-al-kaabi"]["aliases"] == ["أكرم الكعبي", "اکرم کعبی"]
    assert entities["marsad-org-nujaba"]["designations"][0]["list"] == "SDGT"
    (mention,) = export(workspace, "mentions")
    assert mention == {
        "document_id": document_id,
        "entity_id": "marsad-person-akram-al-kaabi",
        "entity_name": "Akram al-Kaabi",
        "entity_kind": "person",
        "surface": "أكرم الكعبي",
        "start": 6,
        "end": 17,
    }
    assert TEXT[mention["start"] : mention["end"]] == mention["surface"]
    (relation,) = export(workspace, "relations")
    assert relation["subject"] == {"id": "marsad-person-akram-al-kaabi", "name": "Akram al-Kaabi"}
    assert relation["evidence"] == {"quote": TEXT[6:44], "start": 6, "end": 44}
    (event,) = export(workspace, "events")
    assert (event["date"], event["date_precision"], event["date_certainty"]) == (
        "2020-01",
        "month",
        "likely",
    )
    assert event["actors"] == [
        {"entity_id": "marsad-person-akram-al-kaabi", "name": "Akram al-Kaabi", "role": "actor"},
        {"entity_id": None, "name": "فصيلين", "role": "participant"},
    ]
    assert event["place"] == {"entity_id": "marsad-place-baghdad", "name": "Baghdad"}
    assert event["sources"] == [
        {"document_id": document_id, "evidence": {"quote": TEXT, "start": 0, "end": len(TEXT)}}
    ]
    (translation,) = export(workspace, "translations")
    assert translation["backend"] == "gloss"


def test_csv_nests_as_json_and_jsonl_keeps_unicode(workspace: Workspace) -> None:
    populate(workspace)
    with workspace.database.session() as session:
        out = io.StringIO()
        write_records(records_of("events", session), EXPORT_FIELDS["events"], "csv", out)
        (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert json.loads(row["place"]) == {"entity_id": "marsad-place-baghdad", "name": "Baghdad"}
        out = io.StringIO()
        write_records(records_of("mentions", session), EXPORT_FIELDS["mentions"], "jsonl", out)
        assert "أكرم الكعبي" in out.getvalue()  # not \\u-escaped


def test_date_mentions_export(workspace: Workspace) -> None:
    from marsad.store.models import DateMention

    document_id = populate(workspace)
    with workspace.database.session() as session:
        session.add(
            DateMention(
                document_id=document_id,
                stage="dates",
                start=0,
                end=5,
                expression="أمس",
                value="2020-01-19",
                precision="day",
                certainty="certain",
                calendar="gregorian",
                relative=True,
            )
        )
    (record,) = export(workspace, "dates")
    assert record["value"] == "2020-01-19" and record["relative"] is True


def test_documents_carry_a_posts_own_date_author_views_and_forward(workspace: Workspace) -> None:
    """A post recorded by the real recorder keeps what its source said about it, and the
    documents export (JSONL and CSV) carries it; a plain page exports empty properties."""
    post = CollectedPost(
        part="812",
        url="https://t.me/demo_city_news/812",
        text="شهرداری از گشایش پل تازه‌ی شهر در هفته‌ی آینده خبر داد.",
        published=datetime(2026, 11, 20, 8, 15, tzinfo=UTC),
        author="Night Desk",
        views=1200,
        forwarded_from="City Desk Demo",
        media=("https://cdn.example.org/bridge.jpg",),
    )
    page = RawContent(url="https://t.me/s/demo_city_news", data=b"<html>channel page</html>")
    with workspace.database.session() as session:
        recorder = workspace.capture_recorder(session)
        recorder.record_collected(Collected(content=page, posts=(post,)), None)
        recorder.record(RawContent(url="https://n.example/page", data=b"<p>page</p>"), None)
    by_url = {record["url"]: record for record in export(workspace, "documents")}
    exported = by_url[post.url]
    assert exported["published"] == "2026-11-20"
    assert exported["properties"] == {
        "author": "Night Desk",
        "views": 1200,
        "forwarded_from": "City Desk Demo",
        "media": ["https://cdn.example.org/bridge.jpg"],
        "links": [],
        "posted_at": "2026-11-20T08:15:00+00:00",
    }
    assert by_url["https://n.example/page"]["properties"] == {}
    with workspace.database.session() as session:
        out = io.StringIO()
        write_records(records_of("documents", session), EXPORT_FIELDS["documents"], "csv", out)
    rows = {row["url"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert json.loads(rows[post.url]["properties"])["forwarded_from"] == "City Desk Demo"


def test_entity_exports_leave_out_generated_spelling_variants(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        entity = Entity(id="marsad-org-example", kind="organization", name="Example Front")
        entity.aliases.append(Alias(name="جبهة المثال", normalized="جبهه المثال", origin="kb"))
        variant = Alias(name="Example-Front", normalized="example front", origin="variant")
        entity.aliases.append(variant)
        session.add(entity)
    (record,) = export(workspace, "entities")
    assert record["aliases"] == ["جبهة المثال"]
