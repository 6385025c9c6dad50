"""The `link` stage inside the pipeline, on SQLite and PostgreSQL: mentions and relations
written per document, replaced on re-runs, exported per docs/cli.md."""

from pathlib import Path

from sqlalchemy import select

from marsad.export.records import EXPORT_FIELDS, records_of
from marsad.link.aliases import default_variant_generator
from marsad.link.kb import read_kb_file
from marsad.link.store import KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Affiliation, Document, Mention, Relation
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

KB = """
kind: organization
entities:
  - id: test-org-nujaba
    name: Harakat Hezbollah al-Nujaba
    aliases: {en: ["Nujaba Movement"], ar: ["حركة النجباء", "النجباء"]}
    sources: ["synthetic test entry"]
  - id: test-person-kaabi
    kind: person
    name: Akram al-Kaabi
    aliases: {ar: ["أكرم الكعبي"]}
    sources: ["synthetic test entry"]
"""
ARTICLE = (
    "بيان حول اللقاء\n"
    "قال الأمين العام لحركة النجباء أكرم الكعبي يوم الاثنين إن اللجنة المشتركة ستجتمع "
    "الأسبوع المقبل لبحث ملفات الخدمات في المحافظة. وأضاف الأمين العام أن الاجتماع "
    "سيكون مفتوحا لممثلي الأهالي، فيما أكد الكعبي أن للنجباء موقفا واضحا من المشروع.\n"
)


def load_kb(workspace: Workspace, tmp_path: Path) -> None:
    kb_file = tmp_path / "kb.yaml"
    kb_file.write_text(KB, encoding="utf-8")
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        store.sync(read_kb_file(kb_file))


def ingest_article(workspace: Workspace, tmp_path: Path) -> int:
    page = tmp_path / "statement.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(page)], language="ar")
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        return session.scalars(select(Document.id).where(Document.url == page.as_uri())).one()


def stored(
    workspace: Workspace, document_id: int
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with workspace.database.session() as session:
        mentions = session.scalars(
            select(Mention).where(Mention.document_id == document_id).order_by(Mention.start)
        )
        text = session.get(Document, document_id).text  # type: ignore[union-attr]
        found = [(m.entity_id, m.surface, m.method, m.stage) for m in mentions]
        for entity, surface, _, _ in found:
            assert surface in text, entity
        relations = session.scalars(select(Relation).where(Relation.document_id == document_id))
        return found, [
            (r.subject_id, r.predicate, r.object_id, text[r.evidence_start : r.evidence_end])
            for r in relations
        ]


def test_link_stage_writes_mentions_and_relations(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    document_id = ingest_article(workspace, tmp_path)
    mentions, relations = stored(workspace, document_id)
    assert mentions == [
        ("test-org-nujaba", "حركة النجباء", "alias", "link"),
        ("test-person-kaabi", "أكرم الكعبي", "alias", "link"),
        ("test-person-kaabi", "الأمين العام", "role", "link"),
        ("test-person-kaabi", "الكعبي", "context", "link"),
        # ل + ال contracted: the KB's variant نجباء is the name after the prefix.
        ("test-org-nujaba", "نجباء", "alias", "link"),
    ]
    assert relations == [
        (
            "test-person-kaabi",
            "secretary_general_of",
            "test-org-nujaba",
            "الأمين العام لحركة النجباء أكرم الكعبي",
        )
    ]


def test_reruns_replace_the_stage_rows(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    document_id = ingest_article(workspace, tmp_path)
    first = stored(workspace, document_id)
    workspace.runner().run(stage_names=["link"], force=True)
    assert stored(workspace, document_id) == first


def test_exports_follow_the_stable_interface(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    document_id = ingest_article(workspace, tmp_path)
    with workspace.database.session() as session:
        mentions = list(records_of("mentions", session))
        relations = [r for r in records_of("relations", session) if r["document_id"]]
    assert all(tuple(record) == EXPORT_FIELDS["mentions"] for record in mentions)
    assert mentions[0]["entity_name"] == "Harakat Hezbollah al-Nujaba"
    assert mentions[0]["entity_kind"] == "organization"
    assert mentions[0]["document_id"] == document_id
    (relation,) = relations
    assert tuple(relation) == EXPORT_FIELDS["relations"]
    assert relation["subject"] == {"id": "test-person-kaabi", "name": "Akram al-Kaabi"}
    assert relation["predicate"] == "secretary_general_of"
    assert relation["evidence"]["quote"] == "الأمين العام لحركة النجباء أكرم الكعبي"


def test_a_knowledge_base_change_reaches_the_next_run(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    document_id = ingest_article(workspace, tmp_path)
    assert "test-org-committee" not in {m[0] for m in stored(workspace, document_id)[0]}
    addition = tmp_path / "more.yaml"
    addition.write_text(
        "entities:\n  - id: test-org-committee\n    kind: organization\n"
        "    name: Joint Committee\n    aliases: {ar: ['اللجنة المشتركة']}\n"
        "    sources: ['synthetic test entry']\n",
        encoding="utf-8",
    )
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        store.sync(read_kb_file(addition))
    workspace.runner().run(stage_names=["link"], force=True)
    mentions, _ = stored(workspace, document_id)
    assert ("test-org-committee", "اللجنة المشتركة", "alias", "link") in mentions


def test_an_adjective_of_nationality_is_stored_as_an_affiliation(
    workspace: Workspace, tmp_path: Path
) -> None:
    kb_file = tmp_path / "country.yaml"
    kb_file.write_text(
        "entities:\n  - id: marsad-place-iq\n    kind: country\n    name: Iraq\n"
        "    aliases: {ar: ['العراق']}\n    sources: ['synthetic test entry']\n",
        encoding="utf-8",
    )
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        store.sync(read_kb_file(kb_file))
    page = tmp_path / "factions.txt"
    page.write_text("قالت الفصائل العراقية في بيان إن وفدها زار العراق أمس.\n", encoding="utf-8")
    assert Ingestor(workspace).ingest([str(page)], language="ar").pipeline.failures == []
    workspace.runner().run(stage_names=["link"], force=True)  # a re-run replaces the rows
    with workspace.database.session() as session:
        document = session.scalars(select(Document).where(Document.url == page.as_uri())).one()
        text = document.text
        affiliations = session.scalars(
            select(Affiliation).where(Affiliation.document_id == document.id)
        ).all()
        mentions = session.scalars(select(Mention).where(Mention.document_id == document.id))
        visited = text.index("زار")
        mentioned = [(m.entity_id, m.start > visited) for m in mentions if m.entity_id]
        found = [
            (a.entity_id, a.surface, text[a.head_start : a.head_end], a.stage)
            for a in affiliations
            if a.head_start is not None and a.head_end is not None
        ]
    assert found == [("marsad-place-iq", "العراقية", "الفصائل", "link")]
    # the country itself is mentioned once, where the noun names it
    assert mentioned == [("marsad-place-iq", True)]
