"""Imports into the KB: FollowTheMoney JSON lines and CSV, merged on ids, idempotent."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import default_variant_generator
from marsad.link.imports import read_import
from marsad.link.store import VARIANT, KnowledgeBaseStore, SyncReport
from marsad.store.models import Alias, Entity, Relation
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

FTM_ENTITIES: list[dict[str, Any]] = [
    {
        "id": "osx-person-1",
        "schema": "Person",
        "properties": {
            "name": ["Example Commander"],
            "alias": ["قائد المثال", "Abu Mithal"],
            "nationality": ["iq"],
            "sourceUrl": ["https://lists.example.org/person-1"],
        },
    },
    # A sanction listed before the entity it names.
    {
        "id": "osx-sanction-1",
        "schema": "Sanction",
        "properties": {
            "entity": ["osx-org-1"],
            "authority": ["Example Ministry"],
            "program": ["Example Terrorism List"],
            "startDate": ["2020-01-10"],
        },
    },
    {
        "id": "osx-org-1",
        "schema": "Organization",
        "properties": {"name": ["Example Brigade"], "alias": ["لواء المثال"], "country": ["iq"]},
    },
    {
        "id": "osx-membership-1",
        "schema": "Membership",
        "properties": {"member": ["osx-person-1"], "organization": ["osx-org-1"]},
    },
    {"id": "osx-address-1", "schema": "Address", "properties": {"full": ["1 Example Street"]}},
]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def import_file(workspace: Workspace, path: Path) -> SyncReport:
    batch = read_import(path)
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        return store.sync_batches(batch.entries)


def test_ftm_entities_sanctions_and_memberships_become_kb_rows(tmp_path: Path) -> None:
    batch = read_import(write_jsonl(tmp_path / "export.jsonl", FTM_ENTITIES))
    assert batch.skipped == 1  # the Address
    entries = {entry.id: entry for entry in batch.entries}
    person, org = entries["osx-person-1"], entries["osx-org-1"]
    assert (person.kind, person.name, person.country) == ("person", "Example Commander", "iq")
    assert {(a.name, a.language) for a in person.aliases} == {
        ("قائد المثال", None),
        ("Abu Mithal", "en"),
    }
    assert org.designations == [
        {"authority": "Example Ministry", "list": "Example Terrorism List", "date": "2020-01-10"}
    ]
    assert [(r.predicate, r.object_id) for r in person.relations] == [("member_of", "osx-org-1")]


def test_ftm_import_is_idempotent_and_merges_later_files_on_ids(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "export.jsonl", FTM_ENTITIES)
    first = import_file(workspace, path)
    assert (first.entities_added, first.relations_added, first.designations_added) == (2, 1, 1)
    second = import_file(workspace, path)
    assert (second.entities_added, second.entities_updated, second.aliases_added) == (0, 0, 0)
    later = write_jsonl(
        tmp_path / "later.jsonl",
        [{"id": "osx-org-1", "schema": "Organization", "properties": {"name": ["Mithal Brigade"]}}],
    )
    merged = import_file(workspace, later)
    assert (merged.entities_added, merged.entities_updated, merged.aliases_added) == (0, 1, 1)
    with workspace.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Entity)) == 2
        assert session.scalar(select(func.count()).select_from(Relation)) == 1
        org = session.get(Entity, "osx-org-1")
        assert org is not None and org.name == "Example Brigade"
        names = {a.name for a in org.aliases if a.origin == "import"}
        assert names == {"Example Brigade", "لواء المثال", "Mithal Brigade"}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not a FollowTheMoney entity"),
        ('{"id": "x-1", "schema": "NoSuchSchema", "properties": {}}', "not a FollowTheMoney"),
        ('{"id": "x 1!", "schema": "Person", "properties": {"name": ["A"]}}', "field 'id'"),
        ('{"id": "x-1", "schema": "Person", "properties": {}}', "field 'name': missing"),
    ],
)
def test_a_malformed_ftm_line_names_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(FTM_ENTITIES[0]) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        read_import(path)
    assert "bad.jsonl, line 2" in str(raised.value)
    assert problem in str(raised.value)


CSV = (
    "id,kind,name,aliases,designations,sources,country,description\n"
    'marsad-org-example-front,organization,Example Front,"ar:جبهة المثال; he:חזית הדוגמה",'
    "us-fto@2019-03-05; uk-proscribed,nctc,iq,A neutral test entity\n"
    "marsad-person-example,person,Example Person,ar:شخص المثال,,A public list,,\n"
)


def test_csv_import_creates_then_merges_idempotently(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "entities.csv"
    path.write_text(CSV, encoding="utf-8")
    first = import_file(workspace, path)
    assert (first.entities_added, first.designations_added) == (2, 2)
    assert import_file(workspace, path).changed_ids == []
    extra = tmp_path / "more.csv"
    extra.write_text(
        "id,kind,name,aliases\nmarsad-org-example-front,organization,Example Front,en:The Front\n",
        encoding="utf-8",
    )
    assert import_file(workspace, extra).aliases_added == 1
    with workspace.database.session() as session:
        front = session.get(Entity, "marsad-org-example-front")
        assert front is not None and front.properties["country"] == "iq"
        assert [d["date"] for d in front.designations if "date" in d] == ["2019-03-05"]
        curated = session.scalars(
            select(Alias.name).where(Alias.entity_id == front.id, Alias.origin != VARIANT)
        ).all()
        assert set(curated) == {"Example Front", "جبهة المثال", "חזית הדוגמה", "The Front"}


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("marsad-org-x,organization,X,arabic-without-colon,,,,", "'aliases'"),
        ("marsad-org-x,organization,X,ar:Latin,,,,", "'aliases.ar'"),
        ("marsad-org-x,militia,X,,,,,", "'kind'"),
        ("marsad-org-x,organization,X,,us-nope,,,", "'designations'"),
        ("marsad-org-x,organization,,,,,,", "'name'"),
    ],
)
def test_a_malformed_csv_row_names_file_row_and_field(tmp_path: Path, row: str, field: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV + row + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        read_import(path)
    assert "bad.csv, row 4 (marsad-org-x)" in str(raised.value)
    assert f"field {field}" in str(raised.value)


def test_csv_without_the_required_columns_and_unknown_formats_are_refused(tmp_path: Path) -> None:
    headless = tmp_path / "names.csv"
    headless.write_text("name\nExample\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="missing column"):
        read_import(headless)
    with pytest.raises(KnowledgeBaseError, match="unknown import format"):
        read_import(tmp_path / "list.xlsx")
