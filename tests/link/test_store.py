"""The KB in the database (SQLite and PostgreSQL): sync merges on ids, is idempotent, keeps
variants in step with aliases, and finds entities by any spelling in any script."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import default_variant_generator
from marsad.link.kb import KBAlias, KBEntry, KBRelation, load_kb, read_kb_file
from marsad.link.store import VARIANT, KnowledgeBaseStore, SyncReport
from marsad.store.models import Alias, AuditLog, Entity, Relation
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace


@contextmanager
def kb_store(workspace: Workspace) -> Iterator[KnowledgeBaseStore]:
    with workspace.database.session() as session:
        yield KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())


def table_counts(workspace: Workspace) -> tuple[int, ...]:
    with workspace.database.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Entity, Alias, Relation)
        )


KB = """
kind: organization
entities:
  - id: marsad-org-example-front
    name: Example Front
    aliases: {en: [Jabhat al-Mithal], ar: [جبهة المثال]}
    designations: [{list: us-fto, date: 2019-03-05}]
  - id: marsad-person-example-leader
    kind: person
    name: Akram al-Ka'bi
    aliases: {ar: [أكرم الكعبي]}
    sources: [nctc]
    relations: [{predicate: secretary_general_of, object: marsad-org-example-front, from: 2019}]
"""


@pytest.fixture
def small_kb(tmp_path: Path) -> list[KBEntry]:
    path = tmp_path / "small.yaml"
    path.write_text(KB, encoding="utf-8")
    return read_kb_file(path)


def front_update(alias: KBAlias, **fields: Any) -> KBEntry:
    """Example Front again, from an analyst unless said otherwise, with one more alias."""
    values: dict[str, Any] = {"name": "Example Front", "origin": "analyst", **fields}
    return KBEntry(id="marsad-org-example-front", kind="organization", aliases=[alias], **values)


def sync_then_update(workspace: Workspace, kb: list[KBEntry], update: KBEntry) -> SyncReport:
    with kb_store(workspace) as store:
        store.sync(kb)
    with kb_store(workspace) as store:
        return store.sync([update])


def test_sync_creates_entities_aliases_variants_designations_and_relations(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    with kb_store(workspace) as store:
        report = store.sync(small_kb)
    assert (report.entities_added, report.relations_added, report.designations_added) == (2, 1, 1)
    with workspace.database.session() as session:
        front = session.get(Entity, "marsad-org-example-front")
        assert front is not None and front.kind == "organization"
        assert front.designations[0]["list"] == "Foreign Terrorist Organizations"
        assert front.designations[0]["date"] == "2019-03-05"
        curated = {(a.name, a.language, a.script) for a in front.aliases if a.origin == "kb"}
        assert curated == {
            ("Example Front", "en", "Latn"),
            ("Jabhat al-Mithal", "en", "Latn"),
            ("جبهة المثال", "ar", "Arab"),
        }
        variants = {a.name for a in front.aliases if a.origin == VARIANT}
        assert {"لجبهة المثال", "Jabhat el-Mithal"} <= variants
        (relation,) = session.scalars(select(Relation)).all()
        assert (relation.subject_id, relation.predicate, relation.object_id) == (
            "marsad-person-example-leader",
            "secretary_general_of",
            "marsad-org-example-front",
        )
        assert relation.valid_date == "2019"


def test_sync_twice_changes_nothing(workspace: Workspace, small_kb: list[KBEntry]) -> None:
    with kb_store(workspace) as store:
        store.sync(small_kb)
    before = table_counts(workspace)
    with kb_store(workspace) as store:
        again = store.sync(small_kb)
    assert again.summary() == (
        "0 entities added, 0 updated; 0 aliases, 0 variants, 0 designations, 0 relations added"
    )
    assert table_counts(workspace) == before


def test_a_merge_adds_what_is_new_and_keeps_what_was_there(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    update = front_update(
        KBAlias("חזית הדוגמה", "he"),
        name="Imported Name",
        designations=[
            {"authority": "UK Home Office", "list": "Proscribed", "key": "uk-proscribed"}
        ],
        sources=["an analyst's note"],
        origin="import",
    )
    report = sync_then_update(workspace, small_kb, update)
    assert (report.entities_added, report.entities_updated, report.designations_added) == (0, 1, 1)
    with workspace.database.session() as session:
        front = session.get(Entity, "marsad-org-example-front")
        assert front is not None
        assert front.name == "Example Front"  # an import does not rename a KB entity
        names = {a.name for a in front.aliases if a.origin != VARIANT}
        assert {"Example Front", "جبهة المثال", "חזית הדוגמה", "Imported Name"} <= names
        assert [d["list"] for d in front.designations] == [
            "Foreign Terrorist Organizations",
            "Proscribed",
        ]
        assert "an analyst's note" in front.properties["sources"]
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "kb.import")).all()
        assert [row.target_id for row in audit] == ["marsad-org-example-front"]


def test_a_generated_variant_given_as_an_alias_becomes_a_curated_alias(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    sync_then_update(workspace, small_kb, front_update(KBAlias("لجبهة المثال", "ar")))
    with workspace.database.session() as session:
        rows = session.scalars(select(Alias).where(Alias.name == "لجبهة المثال")).all()
        assert [(row.origin, row.language) for row in rows] == [("analyst", "ar")]


def test_a_relation_to_an_unknown_entity_is_refused(workspace: Workspace) -> None:
    orphan = KBEntry(
        id="marsad-person-orphan",
        kind="person",
        name="Orphan",
        relations=[KBRelation("member_of", "marsad-org-nowhere")],
        where="orphans.yaml, entry 1 (marsad-person-orphan)",
    )
    with pytest.raises(KnowledgeBaseError, match="dangling target 'marsad-org-nowhere'"):
        with kb_store(workspace) as store:
            store.sync([orphan])
    assert table_counts(workspace) == (0, 0, 0)  # the unit of work rolled back


def test_batches_may_relate_to_entities_of_a_later_batch(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    leader, front = small_kb[1], small_kb[0]
    with kb_store(workspace) as store:
        report = store.sync_batches([leader, front], size=1)
    assert (report.entities_added, report.entities_updated, report.relations_added) == (2, 0, 1)


@pytest.fixture(scope="module")
def seed() -> list[KBEntry]:
    return load_kb()


def test_the_seed_kb_syncs_idempotently_and_is_found_across_scripts(
    workspace: Workspace, seed: list[KBEntry]
) -> None:
    with kb_store(workspace) as store:
        first = store.sync_batches(seed)
    assert first.entities_added == len(seed)
    before = table_counts(workspace)
    with kb_store(workspace) as store:
        again = store.sync_batches(seed)
        assert (again.entities_added, again.entities_updated, again.variants_added) == (0, 0, 0)
        for spelling in (
            "أكرم الكعبي",
            "اکرم کعبی",
            "Akram al-Kaabi",
            "Akram Kabi",
            "akram al-ka'bi",
        ):
            assert [e.id for e in store.find(spelling)] == ["marsad-person-akram-al-kaabi"], (
                spelling
            )
        for spelling in (
            "لحركة النجباء",
            "حرکت نجباء",
            "Nujaba Movement",
            "Harakat Hizballah al-Nujaba",
        ):
            assert [e.id for e in store.find(spelling)] == ["marsad-org-harakat-al-nujaba"], (
                spelling
            )
        assert [e.id for e in store.find("Hamas'")] == ["marsad-org-hamas"]
        assert store.find("marsad-org-hamas")[0].name == "Hamas"
        assert store.find("Nobody We Know") == []
    assert table_counts(workspace) == before


def test_a_variant_the_rules_no_longer_make_is_removed(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    with kb_store(workspace) as store:
        store.sync(small_kb)
    with workspace.database.session() as session:  # as if an older release had made it
        session.add(
            Alias(
                entity_id="marsad-org-example-front",
                name="Jabhat al-Obsolete",
                normalized="jabhat al obsolete",
                language="en",
                origin=VARIANT,
            )
        )
    with kb_store(workspace) as store:
        report = store.sync(small_kb)
    assert (report.variants_removed, report.entities_updated) == (1, 1)
    with workspace.database.session() as session:
        assert session.scalars(select(Alias).where(Alias.name == "Jabhat al-Obsolete")).all() == []


def test_a_relation_gains_the_start_date_a_later_sync_brings(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    front, leader = small_kb
    undated = KBRelation("secretary_general_of", "marsad-org-example-front")
    with kb_store(workspace) as store:
        store.sync([front, KBEntry(leader.id, leader.kind, leader.name, relations=[undated])])
    with kb_store(workspace) as store:
        report = store.sync(small_kb)
    assert report.relations_added == 0
    with workspace.database.session() as session:
        assert session.scalars(select(Relation.valid_date)).all() == ["2019"]


def test_an_entity_the_session_holds_shows_what_a_sync_changed(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    with kb_store(workspace) as store:
        store.sync(small_kb)
    with kb_store(workspace) as store:
        front = store.session.get_one(Entity, "marsad-org-example-front")
        assert "חזית הדוגמה" not in {alias.name for alias in front.aliases}
        store.sync([front_update(KBAlias("חזית הדוגמה", "he"), sources=["a note"])])
        assert "חזית הדוגמה" in {alias.name for alias in front.aliases}
        assert "a note" in front.properties["sources"]


def test_an_id_given_twice_in_one_batch_is_one_entity(
    workspace: Workspace, small_kb: list[KBEntry]
) -> None:
    twice = [*small_kb, front_update(KBAlias("חזית הדוגמה", "he"), origin="kb")]
    with kb_store(workspace) as store:
        report = store.sync(twice)
    assert (report.entities_added, report.entities_updated, report.aliases_added) == (2, 0, 6)
    with workspace.database.session() as session:
        front = session.get_one(Entity, "marsad-org-example-front")
        assert "חזית הדוגמה" in {alias.name for alias in front.aliases}
