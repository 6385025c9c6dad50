"""The knowledge base as data: the shipped seed KB, and the errors a malformed KB file gives."""

from collections import Counter
from pathlib import Path

import pytest

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import detect_script
from marsad.link.kb import KBEntry, kb_schema, load_kb, read_kb_file, validate_entries

NATIVE_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb"}


@pytest.fixture(scope="module")
def seed() -> list[KBEntry]:
    return load_kb()


def test_seed_kb_validates_and_holds_150_organisations_and_150_persons(
    seed: list[KBEntry],
) -> None:
    kinds = Counter(entry.kind for entry in seed)
    assert kinds["organization"] >= 150
    assert kinds["person"] >= 150


LIST_PREFIXES = ("un-",)  # ids of entries read from an official list: the list's reference


def test_every_seed_entry_has_an_english_and_a_native_script_alias(seed: list[KBEntry]) -> None:
    schema = kb_schema()
    lacking = []
    for entry in seed:
        names = entry.all_names()
        english = [a for a in names if a.language == "en"]
        native = [
            a
            for a in names
            if a.language in NATIVE_LANGUAGES
            and detect_script(a.name, schema.scripts) == schema.languages[a.language]
        ]
        # Entries read from the UN list keep the names it gives: it has no original-script name
        # for many foreign fighters.
        from_list = entry.id.startswith(LIST_PREFIXES)
        if not english or not (native or from_list):
            lacking.append(entry.id)
    assert lacking == []


def test_every_seed_entry_cites_a_public_source_and_ids_are_ftm_style(
    seed: list[KBEntry],
) -> None:
    schema = kb_schema()
    citations = set(schema.citations.values()) | {spec.citation for spec in schema.lists.values()}
    for entry in seed:
        assert entry.id.startswith(
            ("marsad-org-", "marsad-person-", "marsad-media-", "marsad-place-", *LIST_PREFIXES)
        )
        cited = entry.sources + [schema.lists[d["key"]].citation for d in entry.designations]
        assert cited and set(cited) <= citations, entry.id


def test_seed_relations_link_leaders_to_their_organisations(seed: list[KBEntry]) -> None:
    entries = {entry.id: entry for entry in seed}
    leads = {(r.predicate, r.object_id) for r in entries["marsad-person-akram-al-kaabi"].relations}
    assert ("secretary_general_of", "marsad-org-harakat-al-nujaba") in leads
    predicates = Counter(r.predicate for entry in entries.values() for r in entry.relations)
    for predicate in ("leader_of", "secretary_general_of", "commander_of", "spokesperson_of"):
        assert predicates[predicate] >= 5, predicate
    assert predicates["branch_of"] + predicates["member_of"] >= 40


GOOD_ENTRY = """
  - id: marsad-org-example
    name: Example Brigades
    aliases: {ar: [كتائب المثال]}
    sources: [nctc]
"""


def write_kb(tmp_path: Path, entries: str, name: str = "example.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"kind: organization\nentities:{entries}", encoding="utf-8")
    return path


def test_a_well_formed_file_reads_back_its_entry(tmp_path: Path) -> None:
    (entry,) = read_kb_file(write_kb(tmp_path, GOOD_ENTRY))
    assert (entry.id, entry.kind, entry.name) == (
        "marsad-org-example",
        "organization",
        "Example Brigades",
    )
    assert [(a.name, a.language) for a in entry.aliases] == [("كتائب المثال", "ar")]
    assert entry.sources == [kb_schema().citations["nctc"]]


MALFORMED = {
    "unknown field": (GOOD_ENTRY.replace("sources:", "leaders: [x]\n    sources:"), "'leaders'"),
    "bad id": (GOOD_ENTRY.replace("marsad-org-example", "bad id!"), "'id'"),
    "unknown kind": (GOOD_ENTRY.replace("name:", "kind: militia\n    name:"), "'kind'"),
    "missing name": (GOOD_ENTRY.replace("name: Example Brigades", "country: iq"), "'name'"),
    "unknown language": (GOOD_ENTRY.replace("{ar:", "{xx:"), "'aliases'"),
    "script mismatch": (GOOD_ENTRY.replace("[كتائب المثال]", "[Example]"), "'aliases.ar'"),
    "unknown list": (
        GOOD_ENTRY.replace("sources: [nctc]", "designations: [{list: us-nope}]"),
        "'designations'",
    ),
    "bad date": (
        GOOD_ENTRY.replace("sources: [nctc]", "designations: [{list: us-fto, date: 03/2019}]"),
        "'designations.date'",
    ),
    "unknown citation": (GOOD_ENTRY.replace("[nctc]", "[no-such-key]"), "'sources'"),
    "unknown predicate": (
        GOOD_ENTRY + "    relations: [{predicate: friend_of, object: marsad-org-example}]\n",
        "'relations'",
    ),
}


@pytest.mark.parametrize("problem", list(MALFORMED))
def test_a_malformed_entry_names_file_entry_and_field(tmp_path: Path, problem: str) -> None:
    text, field = MALFORMED[problem]
    path = write_kb(
        tmp_path, GOOD_ENTRY + text.replace("marsad-org-example", "marsad-org-other", 1)
    )
    with pytest.raises(KnowledgeBaseError) as raised:
        validate_entries(read_kb_file(path))
    message = str(raised.value)
    assert "example.yaml, entry 2" in message
    assert f"field {field}" in message


CROSS_ENTRY = {
    "duplicate id": (GOOD_ENTRY, "field 'id': duplicate id 'marsad-org-example'"),
    "dangling relation": (
        GOOD_ENTRY.replace("marsad-org-example", "marsad-org-other")
        + "    relations: [{predicate: branch_of, object: marsad-org-missing}]\n",
        "field 'relations': dangling target 'marsad-org-missing'",
    ),
    "predicate kinds": (
        GOOD_ENTRY.replace("marsad-org-example", "marsad-org-other")
        + "    relations: [{predicate: leader_of, object: marsad-org-example}]\n",
        "leader_of does not link a organization to a organization",
    ),
    "no source": (
        GOOD_ENTRY.replace("marsad-org-example", "marsad-org-other").replace(
            "    sources: [nctc]\n", ""
        ),
        "field 'sources': missing",
    ),
}


@pytest.mark.parametrize("problem", list(CROSS_ENTRY))
def test_rules_across_entries_name_the_entry_at_fault(tmp_path: Path, problem: str) -> None:
    text, expected = CROSS_ENTRY[problem]
    with pytest.raises(KnowledgeBaseError) as raised:
        validate_entries(read_kb_file(write_kb(tmp_path, GOOD_ENTRY + text)))
    assert "example.yaml, entry 2" in str(raised.value)
    assert expected in str(raised.value)


def test_a_file_that_is_not_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("entities:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"broken\.yaml"):
        read_kb_file(path)


def test_a_file_without_an_entities_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "flat.yaml"
    path.write_text("- id: marsad-org-x\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"flat\.yaml: a KB file holds a mapping"):
        read_kb_file(path)
