"""The `dates` stage inside the pipeline, on SQLite and PostgreSQL."""

from pathlib import Path

from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Alias, DateMention, Document, Entity, Event, EventActor
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

HIJRI_DATELINE = (
    "<html><head><title>توزيع سلال غذائية</title></head><body><article>"
    "<h1>توزيع سلال غذائية في البصرة</h1>"
    "<p>البصرة، ١٤ رمضان ١٤٤١ هـ — وزعت جمعية خيرية اليوم سلالاً غذائية على مئات العائلات "
    "في أحياء المدينة، بحسب بيان صادر عنها. وقال البيان إن التوزيع بدأ أمس ويستمر حتى نهاية "
    "الشهر، وإن الحملة السابقة جرت على الأرجح في كانون الثاني 2020.</p></article></body></html>"
)
WITH_METADATA = (
    '<html><head><meta property="article:published_time" content="2020-01-20T08:00:00Z">'
    "<title>Statement</title></head><body><article><h1>Group issues statement</h1>"
    "<p>The group said in a statement published on its website that its secretary-general "
    "met two other leaders yesterday in Baghdad, and that an earlier meeting took place "
    "between 3 and 5 January 2020 in the same city.</p></article></body></html>"
)


def ingest_page(workspace: Workspace, tmp_path: Path, name: str, html: str) -> Document:
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(page)])
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        return session.scalars(select(Document).where(Document.url == page.as_uri())).one()


def mentions(workspace: Workspace, document: Document) -> list[tuple[str, str, str, str, str]]:
    with workspace.database.session() as session:
        rows = session.scalars(
            select(DateMention)
            .where(DateMention.document_id == document.id)
            .order_by(DateMention.start)
        )
        return [(m.expression, m.value, m.precision, m.certainty, m.calendar) for m in rows]


def test_dateline_gives_publication_date_when_metadata_has_none(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = ingest_page(workspace, tmp_path, "basra.html", HIJRI_DATELINE)
    assert (document.published, document.published_precision) == ("2020-05-07", "day")
    assert document.published_certainty == "likely"
    assert document.published_expression == "١٤ رمضان ١٤٤١ هـ"
    found = mentions(workspace, document)
    assert found[0] == ("١٤ رمضان ١٤٤١ هـ", "2020-05-07", "day", "certain", "hijri")
    # Relative dates count from the dateline's day, and are only as sure as it is (likely).
    assert ("أمس", "2020-05-06", "day", "likely", "gregorian") in found
    assert ("كانون الثاني 2020", "2020-01", "month", "likely", "gregorian") in found


def test_relative_dates_count_from_the_metadata_publication_day(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = ingest_page(workspace, tmp_path, "statement.html", WITH_METADATA)
    assert document.published_expression == "page metadata (htmldate)"
    found = mentions(workspace, document)
    assert ("yesterday", "2020-01-19", "day", "certain", "gregorian") in found
    with workspace.database.session() as session:
        ranged = session.scalars(select(DateMention).where(DateMention.end_value.is_not(None)))
        (date_range,) = list(ranged)
        assert (date_range.value, date_range.end_value) == ("2020-01-03", "2020-01-05")


def test_offsets_index_the_document_text_and_reruns_replace(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = ingest_page(workspace, tmp_path, "basra.html", HIJRI_DATELINE)
    first = mentions(workspace, document)
    workspace.runner().run(stage_names=["dates"], force=True)
    assert mentions(workspace, document) == first
    with workspace.database.session() as session:
        stored = session.get(Document, document.id)
        assert stored is not None and stored.published == "2020-05-07"
        for mention in session.scalars(select(DateMention)):
            assert (stored.text or "")[mention.start : mention.end] == mention.expression


def known_funeral(workspace: Workspace, date: str, certainty: str = "certain") -> None:
    """An event the store already holds: Soleimani's funeral, with his aliases."""
    normalizer = default_normalizer()
    with workspace.database.session() as session:
        person = session.get(Entity, "marsad-person-qasem-soleimani") or Entity(
            id="marsad-person-qasem-soleimani", kind="person", name="Qasem Soleimani"
        )
        if not person.aliases:
            person.aliases = [
                Alias(name=name, normalized=normalizer.key(name), language=language)
                for name, language in (("Soleimani", "en"), ("سليماني", "ar"), ("سلیمانی", "fa"))
            ]
        event = Event(type="funeral", date=date, date_precision="day", date_certainty=certainty)
        event.actors = [EventActor(entity_id=person.id, role="victim")]
        session.add_all([person, event])


REFERENCE_PAGE = (
    '<html><head><meta property="article:published_time" content="2020-03-01T08:00:00Z">'
    "<title>لقاء</title></head><body><article><h1>لقاء القادة</h1>"
    "<p>ذكر البيان أن القادة الثلاثة التقوا في بغداد بالتزامن مع تشييع سليماني، "
    "وأن لقاء آخر عقد في مطلع الشهر الماضي.</p></article></body></html>"
)


def test_a_phrase_naming_a_known_event_takes_its_date_as_likely(
    workspace: Workspace, tmp_path: Path
) -> None:
    known_funeral(workspace, "2020-01-07")
    document = ingest_page(workspace, tmp_path, "meeting.html", REFERENCE_PAGE)
    found = mentions(workspace, document)
    assert ("بالتزامن مع تشييع سليماني", "2020-01-07", "day", "likely", "gregorian") in found
    assert ("مطلع الشهر الماضي", "2020-02", "month", "certain", "gregorian") in found


def test_without_the_event_in_the_store_the_phrase_gives_no_date(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = ingest_page(workspace, tmp_path, "meeting.html", REFERENCE_PAGE)
    assert [e for e, *_ in mentions(workspace, document)] == ["مطلع الشهر الماضي"]


def test_of_several_such_events_the_latest_before_publication_is_taken(
    workspace: Workspace, tmp_path: Path
) -> None:
    known_funeral(workspace, "2020-01-07", certainty="possible")
    known_funeral(workspace, "2019-06-01")
    known_funeral(workspace, "2021-01-07")  # after the page was published
    document = ingest_page(workspace, tmp_path, "meeting.html", REFERENCE_PAGE)
    referenced = [m for m in mentions(workspace, document) if m[0].startswith("بالتزامن")]
    # The event's own certainty caps the reference's.
    assert referenced == [
        ("بالتزامن مع تشييع سليماني", "2020-01-07", "day", "possible", "gregorian")
    ]
