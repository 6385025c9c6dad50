"""KB entries from outside files: FollowTheMoney JSON lines (an OpenSanctions export) and CSV.

FtM: Person and organisation-like entities become entries (data/kb/schema.yaml `ftm_kinds`);
`Sanction` entities become designations of the entity they name, `Membership` entities
member_of relations; several fragments with one id merge into one entry. Anything else is
counted as skipped. CSV: one entry per row, in the columns documented in
docs/knowledge-base.md, validated by the same rules as the YAML KB.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import detect_script
from marsad.link.kb import ENTITY_ID, EntryReader, KBAlias, KBEntry, KBRelation, KBSchema, kb_schema

ORIGIN = "import"
CSV_COLUMNS = ("id", "kind", "name", "aliases", "designations", "sources", "country", "description")
# Name properties of FtM entities, the first one being the primary name.
FTM_NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
LIST_SEPARATOR = ";"


@dataclass
class ImportBatch:
    """The entries a file holds, and how many of its records were not entities we keep."""

    entries: list[KBEntry] = field(default_factory=list)
    skipped: int = 0


def read_import(
    path: Path,
    schema: KBSchema | None = None,
    aliases_path: Path | None = None,
    list_date: str | None = None,
) -> ImportBatch:
    """Entries of an FtM JSON-lines file (.json, .jsonl, .ftm), a KB CSV file (.csv with a
    header), the UN consolidated list (.xml) or OFAC's SDN CSV (headerless; its aliases from
    `aliases_path` or the alt file beside it, its date `list_date` or in its name)."""
    from marsad.link.sanctions import read_ofac_sdn, read_un_consolidated

    schema = schema or kb_schema()
    suffix = path.suffix.lower()
    try:
        if suffix == ".xml":
            return read_un_consolidated(path, schema)
        if suffix == ".csv" and _headerless(path):
            return read_ofac_sdn(path, aliases_path or _alt_beside(path), list_date, schema)
        if suffix == ".csv":
            return read_kb_csv(path, schema)
        if suffix in (".json", ".jsonl", ".ftm", ".ndjson"):
            return read_ftm_jsonl(path, schema)
    except OSError as exc:
        raise KnowledgeBaseError(f"{path}: cannot read ({exc})") from None
    raise KnowledgeBaseError(
        f"{path}: unknown import format {suffix!r}; use .jsonl (FtM), .csv (KB columns or "
        "OFAC SDN) or .xml (UN consolidated list)"
    )


def _headerless(path: Path) -> bool:
    """OFAC's CSV files have no header: their first cell is an entry number."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        return handle.readline().lstrip().split(",")[0].strip().isdigit()


def _alt_beside(path: Path) -> Path | None:
    """OFAC publishes aliases in alt.csv beside sdn.csv (sdn_2019.csv -> alt_2019.csv)."""
    if "sdn" not in path.name.lower():
        return None
    alt = path.with_name(re.sub("sdn", "alt", path.name, flags=re.IGNORECASE))
    return alt if alt.is_file() else None


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()]


def _csv_aliases(cell: str | None, where: str) -> dict[str, list[str]]:
    """ "ar:حماس; he:חמאס" → {"ar": ["حماس"], "he": ["חמאס"]}."""
    aliases: dict[str, list[str]] = {}
    for item in _split(cell):
        language, colon, name = item.partition(":")
        if not colon or not name.strip():
            raise KnowledgeBaseError(
                f"{where}: field 'aliases': {item!r} is not LANG:NAME (e.g. ar:حماس)"
            )
        aliases.setdefault(language.strip(), []).append(name.strip())
    return aliases


def _csv_designations(cell: str | None) -> list[dict[str, str]]:
    """ "us-fto@1997-10-08; uk-proscribed" → [{"list": "us-fto", "date": ...}, {"list": ...}]."""
    designations = []
    for item in _split(cell):
        key, at, date = item.partition("@")
        designation = {"list": key.strip()}
        if at:
            designation["date"] = date.strip()
        designations.append(designation)
    return designations


def read_kb_csv(path: Path, schema: KBSchema | None = None) -> ImportBatch:
    schema = schema or kb_schema()
    batch = ImportBatch()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "kind", "name"} - set(reader.fieldnames or ())
        if missing:
            raise KnowledgeBaseError(
                f"{path.name}: missing column(s) {', '.join(sorted(missing))}; "
                f"columns: {', '.join(CSV_COLUMNS)}"
            )
        for number, row in enumerate(reader, start=2):  # line 1 is the header
            where = f"{path.name}, row {number} ({row.get('id') or '?'})"
            raw: dict[str, Any] = {
                key: value for key in ("id", "kind", "name", "country", "description")
                if (value := (row.get(key) or "").strip())
            }  # fmt: skip
            raw["aliases"] = _csv_aliases(row.get("aliases"), where)
            raw["designations"] = _csv_designations(row.get("designations"))
            raw["sources"] = _split(row.get("sources"))
            batch.entries.append(EntryReader(schema, where).read(raw, None, ORIGIN))
    return batch


def _ftm_records(path: Path) -> Iterator[tuple[int, EntityProxy]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, model.get_proxy(json.loads(line))
            except (ValueError, FollowTheMoneyException, TypeError) as exc:
                raise KnowledgeBaseError(
                    f"{path.name}, line {number}: not a FollowTheMoney entity ({exc})"
                ) from None


class FtMReader:
    """Folds FtM entities (and fragments of them) into KB entries."""

    def __init__(self, path: Path, schema: KBSchema) -> None:
        self.path = path
        self.schema = schema
        self.entries: dict[str, KBEntry] = {}
        self.skipped = 0

    def read(self) -> ImportBatch:
        deferred: list[EntityProxy] = []
        for number, proxy in _ftm_records(self.path):
            kind = self.schema.ftm_kinds.get(proxy.schema.name)
            if kind is not None:
                self.add_entity(number, proxy, kind)
            elif proxy.schema.name in ("Sanction", "Membership"):
                deferred.append(proxy)  # they may precede the entity they name
            else:
                self.skipped += 1
        for proxy in deferred:
            if proxy.schema.name == "Sanction":
                self.add_sanction(proxy)
            else:
                self.add_membership(proxy)
        return ImportBatch(list(self.entries.values()), self.skipped)

    def where(self, number: int, entity_id: str | None) -> str:
        return f"{self.path.name}, line {number} ({entity_id or '?'})"

    def add_entity(self, number: int, proxy: EntityProxy, kind: str) -> None:
        where = self.where(number, proxy.id)
        if not proxy.id or not ENTITY_ID.match(proxy.id):
            raise KnowledgeBaseError(f"{where}: field 'id': {proxy.id!r} is not a usable id")
        names = [name for prop in FTM_NAME_PROPERTIES for name in proxy.get(prop, quiet=True)]
        entry = self.entries.get(proxy.id)
        if entry is None:
            if not names:
                raise KnowledgeBaseError(f"{where}: field 'name': missing")
            entry = KBEntry(id=proxy.id, kind=kind, name=names[0], origin=ORIGIN, where=where)
            self.entries[proxy.id] = entry
        for name in names:
            alias = KBAlias(name, self._language(name))
            if name != entry.name and alias not in entry.aliases:
                entry.aliases.append(alias)
        entry.sources.extend(
            url for url in proxy.get("sourceUrl", quiet=True) if url not in entry.sources
        )
        countries = proxy.get("country", quiet=True) or proxy.get("nationality", quiet=True)
        entry.country = entry.country or (countries[0] if countries else None)
        notes = proxy.get("description", quiet=True) or proxy.get("notes", quiet=True)
        entry.description = entry.description or (notes[0] if notes else None)

    def _language(self, name: str) -> str | None:
        """FtM names carry no language; a Latin-script name is taken as English, others are
        left unknown (an Arabic-script name may be Arabic, Persian or Urdu)."""
        return "en" if detect_script(name, self.schema.scripts) == "Latn" else None

    def _target(self, proxy: EntityProxy, prop: str) -> KBEntry | None:
        for target_id in proxy.get(prop):
            if target_id in self.entries:
                return self.entries[target_id]
        self.skipped += 1  # names an entity outside this file or of a kind we do not keep
        return None

    def add_sanction(self, proxy: EntityProxy) -> None:
        entry = self._target(proxy, "entity")
        if entry is None:
            return
        designation = {
            "authority": ", ".join(proxy.get("authority")) or "unknown authority",
            "list": ", ".join(proxy.get("program")) or "sanctions list",
        }
        dates = proxy.get("startDate") or proxy.get("listingDate")
        if dates:
            designation["date"] = min(dates)[:10]  # FtM dates may carry a time
        if designation not in entry.designations:
            entry.designations.append(designation)
        entry.sources.extend(u for u in proxy.get("sourceUrl") if u not in entry.sources)

    def add_membership(self, proxy: EntityProxy) -> None:
        member = self._target(proxy, "member")
        organization = self._target(proxy, "organization") if member else None
        if member is None or organization is None:
            return
        relation = KBRelation("member_of", organization.id)
        if relation not in member.relations:
            member.relations.append(relation)


def read_ftm_jsonl(path: Path, schema: KBSchema | None = None) -> ImportBatch:
    return FtMReader(path, schema or kb_schema()).read()
