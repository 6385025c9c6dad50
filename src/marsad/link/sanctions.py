"""KB entries from official sanctions lists as published: the UN Security Council consolidated
list (XML) and OFAC's SDN list (the headerless CSV files sdn.csv, with alt.csv for aliases).

Every entry carries its designation with the list's name, the authority and a date — the UN's
listing date of the entry, or for OFAC (whose CSV has no listing dates) the date the list file
was published, given by the caller — and a source naming the list, its date and the entry's
reference. Vessels and aircraft are skipped. Aliases the UN marks as of low quality (often a
bare kunya, "Abu Ali") are kept out: they would link everyday names.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import detect_script
from marsad.link.imports import ImportBatch
from marsad.link.kb import KBAlias, KBEntry, KBSchema, kb_schema

ORIGIN = "import"
UN_LIST_KEYS = {"Al-Qaida": "un-1267", "Taliban": "un-1988", "Yemen": "un-2140"}
UN_OTHER_LIST = "un-sc-consolidated"
OFAC_LIST = "us-ofac-sdn"
OFAC_EMPTY = "-0-"
# Scripts of original-script names -> the language filed (Arabic script: Arabic, the lists'
# usual case; the store keeps the script beside it).
SCRIPT_LANGUAGES = {"Arab": "ar", "Latn": "en", "Cyrl": "ru", "Hebr": "he"}
NAME_FIELDS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
LOW_QUALITY = "low"
OFAC_ALIAS = re.compile(r"a\.k\.a\.?\s+'([^']+)'", re.IGNORECASE)
FILE_DATE = re.compile(r"(\d{4}-\d{2}(?:-\d{2})?)")


def _text(element: ET.Element, tag: str) -> str:
    return " ".join((element.findtext(tag) or "").split())


def _title(name: str) -> str:
    """ "AL-NUSRAH FRONT" -> "Al-Nusrah Front", "KATA'IB" -> "Kata'ib": the lists write names
    in capitals."""
    if not name.isupper():
        return name
    return re.sub(r"[^\s-]+", lambda word: word.group()[:1] + word.group()[1:].lower(), name)


def _alias(name: str, schema: KBSchema) -> KBAlias | None:
    script = detect_script(name, schema.scripts)
    language = SCRIPT_LANGUAGES.get(script or "")
    if language is None or schema.languages.get(language) != script:
        return None
    return KBAlias(name, language)


class UNListReader:
    def __init__(self, path: Path, schema: KBSchema) -> None:
        self.path = path
        self.schema = schema

    def read(self) -> ImportBatch:
        try:
            root = ET.parse(self.path).getroot()
        except ET.ParseError as exc:
            raise KnowledgeBaseError(f"{self.path.name}: not a readable XML file ({exc})") from None
        if root.tag != "CONSOLIDATED_LIST":
            raise KnowledgeBaseError(
                f"{self.path.name}: not the UN consolidated list (root <{root.tag}>)"
            )
        generated = (root.get("dateGenerated") or "")[:10]
        batch = ImportBatch()
        for group, kind in (("INDIVIDUALS", "person"), ("ENTITIES", "organization")):
            for element in root.findall(f"{group}/*"):
                entry = self.entry(element, kind, generated)
                if entry is None:
                    batch.skipped += 1
                else:
                    batch.entries.append(entry)
        return batch

    def entry(self, element: ET.Element, kind: str, generated: str) -> KBEntry | None:
        reference = _text(element, "REFERENCE_NUMBER")
        name = _title(" ".join(filter(None, (_text(element, f) for f in NAME_FIELDS))))
        if not reference or not name:
            return None
        where = f"{self.path.name} ({reference})"
        list_key = UN_LIST_KEYS.get(_text(element, "UN_LIST_TYPE"), UN_OTHER_LIST)
        spec = self.schema.lists[list_key]
        designation = {"authority": spec.authority, "list": spec.list, "key": list_key}
        listed = _text(element, "LISTED_ON")[:10]
        if listed:
            designation["date"] = listed
        designation["note"] = f"{reference} on the consolidated list of {generated}"
        aliases = [
            alias
            for text in self._alias_names(element)
            if (alias := _alias(text, self.schema)) is not None
        ]
        entry = KBEntry(
            id=f"un-{reference.lower()}",
            kind=kind,
            name=name,
            aliases=list(dict.fromkeys(a for a in aliases if a.name != name)),
            designations=[designation],
            sources=[f"UN Security Council Consolidated List ({generated}), {reference}"],
            description=_text(element, "COMMENTS1")[:500] or None,
            origin=ORIGIN,
            where=where,
        )
        return entry

    def _alias_names(self, element: ET.Element) -> Iterator[str]:
        original = " ".join((element.findtext("NAME_ORIGINAL_SCRIPT") or "").split())
        if original:
            yield original
        for alias in list(element.iter("INDIVIDUAL_ALIAS")) + list(element.iter("ENTITY_ALIAS")):
            name = " ".join((alias.findtext("ALIAS_NAME") or "").split())
            if name and _text(alias, "QUALITY").lower() != LOW_QUALITY:
                yield _title(name)


def read_un_consolidated(path: Path, schema: KBSchema | None = None) -> ImportBatch:
    return UNListReader(path, schema or kb_schema()).read()


def list_date(path: Path, given: str | None) -> str:
    """The publication date of an OFAC file: given, or in its name (sdn_2019-01.csv)."""
    if given:
        try:
            return dt.date.fromisoformat(given).isoformat()
        except ValueError:
            raise KnowledgeBaseError(f"--date {given!r}: expected YYYY-MM-DD") from None
    found = FILE_DATE.search(path.name)
    if found is None:
        raise KnowledgeBaseError(
            f"{path.name}: OFAC's CSV carries no dates; give the list's date (--date YYYY-MM-DD)"
        )
    return found.group(1)


def _cells(row: list[str]) -> list[str]:
    return ["" if cell.strip() == OFAC_EMPTY else cell.strip() for cell in row]


def _ofac_aliases(alt_path: Path | None) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    if alt_path is None:
        return aliases
    with alt_path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.reader(handle):
            cells = _cells(row)
            if len(cells) >= 4 and cells[0].isdigit() and cells[3]:
                aliases.setdefault(cells[0], []).append(cells[3])
    return aliases


def _ofac_name(name: str, kind: str) -> str:
    """ "AWDA, Abd Al Aziz" -> "Abd Al Aziz Awda" for people; organisations as written."""
    if kind == "person" and "," in name:
        last, _, first = name.partition(",")
        return f"{_title(first.strip())} {_title(last.strip())}"
    return _title(name)


def read_ofac_sdn(
    path: Path,
    alt_path: Path | None = None,
    date: str | None = None,
    schema: KBSchema | None = None,
) -> ImportBatch:
    """Entries of OFAC's sdn.csv (ent_num, name, type, program, ..., remarks), aliases from
    alt.csv and from the remarks' a.k.a. clauses."""
    schema = schema or kb_schema()
    published = list_date(path, date)
    spec = schema.lists[OFAC_LIST]
    aliases = _ofac_aliases(alt_path)
    batch = ImportBatch()
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            cells = _cells(row)
            if len(cells) < 4 or not cells[0].isdigit():
                if any(cells):
                    raise KnowledgeBaseError(
                        f"{path.name}, line {number}: not an SDN row (ent_num, name, type, ...)"
                    )
                continue
            kind = {"individual": "person", "": "organization"}.get(cells[2].lower())
            if kind is None or not cells[1]:
                batch.skipped += 1  # vessels and aircraft
                continue
            entity_number = cells[0]
            remarks = cells[11] if len(cells) > 11 else ""
            names = aliases.get(entity_number, []) + OFAC_ALIAS.findall(remarks)
            name = _ofac_name(cells[1], kind)
            batch.entries.append(
                KBEntry(
                    id=f"ofac-{entity_number}",
                    kind=kind,
                    name=name,
                    aliases=_unique_aliases((_ofac_name(n, kind) for n in names), name, schema),
                    designations=[
                        {
                            "authority": spec.authority,
                            "list": spec.list,
                            "key": OFAC_LIST,
                            "date": published,
                            "note": f"programme {_programmes(cells[3])}, entry {entity_number} "
                            f"of the list published {published}",
                        }
                    ],
                    sources=[f"{spec.citation} ({published}), entry {entity_number}"],
                    description=remarks[:500] or None,
                    origin=ORIGIN,
                    where=f"{path.name}, line {number} ({entity_number})",
                )
            )
    return batch


def _programmes(cell: str) -> str:
    """ "SDGT] [IRAQ3" (as the CSV writes several) -> "SDGT, IRAQ3"."""
    return ", ".join(p.strip(" []") for p in cell.split("] [")) or "unknown"


def _unique_aliases(names: Iterable[str], primary: str, schema: KBSchema) -> list[KBAlias]:
    found = (_alias(name, schema) for name in names if name and name != primary)
    return list(dict.fromkeys(alias for alias in found if alias is not None))


# The region Marsad watches, as the UN list writes it in nationalities, addresses and notes.
REGION = re.compile(r"Iraq|Syria|Leban|Palestin|Gaza|West Bank|Yemen", re.IGNORECASE)
# Regimes of the consolidated list that concern armed groups (not state programmes).
ARMED_GROUP_LISTS = frozenset({"Al-Qaida", "Yemen"})


def un_region_references(path: Path) -> list[str]:
    """References of the UN-listed armed-group entries tied to Iraq, Syria, Lebanon,
    Palestine or Yemen: on an armed-group regime, with the region in the record."""
    root = ET.parse(path).getroot()
    return [
        _text(element, "REFERENCE_NUMBER")
        for element in root.findall("INDIVIDUALS/*") + root.findall("ENTITIES/*")
        if _text(element, "UN_LIST_TYPE") in ARMED_GROUP_LISTS
        and REGION.search(" ".join(element.itertext()))
    ]


def un_region_coverage(
    path: Path, kb: Iterable[KBEntry], key: Callable[[str], str]
) -> tuple[list[KBEntry], list[KBEntry]]:
    """The region's UN-listed armed-group entries the KB holds and those it lacks: held when a
    KB entry of the same kind has the UN entry's id, or shares a name or alias with it (after
    `key`, the matcher's normalisation)."""
    held_ids = set()
    names: set[tuple[str, str]] = set()
    for entry in kb:
        held_ids.add(entry.id)
        names.update((key(alias.name), entry.kind) for alias in entry.all_names())
    references = set(un_region_references(path))
    region = [
        entry
        for entry in read_un_consolidated(path).entries
        if entry.designations[0].get("note", "").split(" ")[0] in references
    ]
    held = [
        entry
        for entry in region
        if entry.id in held_ids
        or any((key(alias.name), entry.kind) in names for alias in entry.all_names())
    ]
    return held, [entry for entry in region if entry not in held]
