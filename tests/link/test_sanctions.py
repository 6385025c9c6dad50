"""Reading official sanctions lists as published: the UN consolidated list (XML) and OFAC's SDN
CSV files, into KB entries whose designations name the list and a date. The files here are
small ones written for the tests in the lists' formats."""

from pathlib import Path

import pytest

from marsad.errors import KnowledgeBaseError
from marsad.link.imports import read_import
from marsad.link.kb import validate_entries
from marsad.link.sanctions import read_ofac_sdn, read_un_consolidated, un_region_references

UN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-15T00:00:00.000Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME>ABD AL-KARIM</FIRST_NAME>
      <SECOND_NAME>AL-MITHAL</SECOND_NAME>
      <UN_LIST_TYPE>Yemen</UN_LIST_TYPE>
      <REFERENCE_NUMBER>YEi.901</REFERENCE_NUMBER>
      <LISTED_ON>2015-04-14</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>عبد الكريم المثال</NAME_ORIGINAL_SCRIPT>
      <COMMENTS1>Commander in northern Yemen.</COMMENTS1>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Good</QUALITY><ALIAS_NAME>Abdulkarim al-Mithal</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Ali</ALIAS_NAME></INDIVIDUAL_ALIAS>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <FIRST_NAME>EXAMPLE BRIGADES</FIRST_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDe.901</REFERENCE_NUMBER>
      <LISTED_ON>2014-05-30</LISTED_ON>
      <COMMENTS1>Operates in Ghana.</COMMENTS1>
      <ENTITY_ALIAS>
        <QUALITY>a.k.a.</QUALITY><ALIAS_NAME>KATA'IB AL-MITHAL</ALIAS_NAME>
      </ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""
SDN = (
    '9001,"MITHAL, Abd al-Karim",individual,"SDGT] [YEMEN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "\"DOB 1970; a.k.a. 'ABU KARIM AL-YAMANI'.\"\n"
    '9002,"EXAMPLE FRONT",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    '9003,"EXAMPLE VESSEL",vessel,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
)
ALT = '9002,101,"aka","JABHAT AL-MITHAL",-0- \n'


def test_un_list_entries_carry_list_date_reference_and_good_aliases(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(UN_XML, encoding="utf-8")
    batch = read_un_consolidated(path)
    validate_entries(batch.entries)
    person, group = batch.entries
    assert (person.id, person.kind, person.name) == (
        "un-yei.901",
        "person",
        "Abd Al-Karim Al-Mithal",
    )
    assert [(a.name, a.language) for a in person.aliases] == [
        ("عبد الكريم المثال", "ar"),
        ("Abdulkarim al-Mithal", "en"),
    ]
    assert person.designations == [
        {
            "authority": "UN Security Council",
            "list": "2140 Sanctions List (Yemen)",
            "key": "un-2140",
            "date": "2015-04-14",
            "note": "YEi.901 on the consolidated list of 2026-01-15",
        }
    ]
    assert person.sources == ["UN Security Council Consolidated List (2026-01-15), YEi.901"]
    assert group.kind == "organization" and group.designations[0]["key"] == "un-1267"
    assert [a.name for a in group.aliases] == ["Kata'ib Al-Mithal"]
    # Only the Yemen entry names the region.
    assert un_region_references(path) == ["YEi.901"]


def test_ofac_sdn_rows_become_entries_dated_by_the_list(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn_2025-02-03.csv"
    sdn.write_text(SDN, encoding="utf-8")
    (tmp_path / "alt_2025-02-03.csv").write_text(ALT, encoding="utf-8")
    batch = read_import(sdn)  # headerless CSV: OFAC's; the alt file beside it is found
    validate_entries(batch.entries)
    assert batch.skipped == 1  # the vessel
    person, front = batch.entries
    assert (person.id, person.kind, person.name) == ("ofac-9001", "person", "Abd al-Karim Mithal")
    assert [a.name for a in person.aliases] == ["Abu Karim Al-Yamani"]
    assert person.designations[0]["date"] == "2025-02-03"
    assert person.designations[0]["note"].startswith("programme SDGT, YEMEN, entry 9001")
    assert (front.kind, [a.name for a in front.aliases]) == ("organization", ["Jabhat Al-Mithal"])


def test_ofac_file_without_a_date_asks_for_one(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(SDN, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="give the list's date"):
        read_ofac_sdn(sdn)
    assert read_ofac_sdn(sdn, date="2025-02-03").entries[0].designations[0]["date"] == "2025-02-03"
    with pytest.raises(KnowledgeBaseError, match="expected YYYY-MM-DD"):
        read_ofac_sdn(sdn, date="Feb 2025")


def test_other_xml_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<feed><entry/></feed>", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not the UN consolidated list"):
        read_import(path)
    path.write_text("<CONSOLIDATED_LIST>", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not a readable XML file"):
        read_import(path)
