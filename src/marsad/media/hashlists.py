"""Shared hash lists (`marsad hashlist import`) and matching captured media against them.

A list is a CSV with a header — hash columns named by algorithm (`sha256`, `md5`, `pdq`) or a
`type`/`value` pair (ThreatExchange signal names such as `pdq`, `HASH_PDQ` are understood) —
and an optional `label` column; or ThreatExchange threat descriptors as JSON (`{"data":
[{"type": "HASH_PDQ", "raw_indicator": ..., "description": ...}]}`). A row that holds no
well-formed hash is skipped and counted, never fatal.

SHA-256 and MD5 match exactly; PDQ within MARSAD_PDQ_MAX_DISTANCE differing bits, compared
with every PDQ entry (a linear scan: fine for lists of a few hundred thousand hashes). A video
matches a PDQ entry when any of its keyframes does (the nearest one's distance is recorded);
flat keyframes (PDQ quality under 50: black frames, fades) are never matched.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from marsad.errors import UnsupportedFormat
from marsad.media.hashes import KEYFRAME_MIN_MATCH_QUALITY, MediumHashes, hamming
from marsad.store.models import HashListEntry, HashMatch, MediumHash, MediumKeyframe, clipped

ALGORITHMS = {"sha256": 64, "md5": 32, "pdq": 64}
# ThreatExchange's names for the same signals (threat descriptor types, python-threatexchange).
ALGORITHM_ALIASES = {
    "hash_sha256": "sha256",
    "hash_md5": "md5",
    "hash_pdq": "pdq",
    "pdq_hash": "pdq",
    "photo_pdq": "pdq",
    "video_md5": "md5",
}
HEX = re.compile(r"^[0-9a-f]+$")
LABEL_COLUMNS = ("label", "description", "tags", "name")
TYPE_COLUMNS = ("type", "signal_type", "hash_type", "algorithm")
VALUE_COLUMNS = ("value", "signal", "hash", "signal_value", "raw_indicator")
LABEL_MAX_CHARS = 500


@dataclass(frozen=True)
class ListedHash:
    algorithm: str
    value: str
    label: str


@dataclass
class ImportSummary:
    added: int = 0
    already_listed: int = 0
    skipped_rows: int = 0
    new_matches: int = 0
    entry_ids: list[int] = field(default_factory=list)
    matched_capture_ids: list[int] = field(default_factory=list)


def algorithm_name(raw: str) -> str | None:
    name = raw.strip().lower()
    name = ALGORITHM_ALIASES.get(name, name)
    return name if name in ALGORITHMS else None


def well_formed(algorithm: str, value: str) -> str | None:
    """The hash in lower case, or None when it is not one of the algorithm's."""
    hex_value = value.strip().lower()
    ok = len(hex_value) == ALGORITHMS[algorithm] and HEX.match(hex_value)
    return hex_value if ok else None


def _label(row: dict[str, Any]) -> str:
    for column in LABEL_COLUMNS:
        value = row.get(column)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        if value:
            return " ".join(str(value).split())[:LABEL_MAX_CHARS]
    return ""


def _row_hashes(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(algorithm, raw value) pairs a row carries."""
    pairs = [(name, str(row[name])) for name in ALGORITHMS if row.get(name)]
    kind = next((str(row[c]) for c in TYPE_COLUMNS if row.get(c)), None)
    value = next((row[c] for c in VALUE_COLUMNS if row.get(c)), None)
    if isinstance(value, dict):  # a descriptor's nested indicator
        value = value.get("indicator")
    if kind and value and (algorithm := algorithm_name(kind)):
        pairs.append((algorithm, str(value)))
    return pairs


def _listed(rows: Iterable[dict[str, Any]], summary: ImportSummary) -> Iterator[ListedHash]:
    for row in rows:
        found = [
            ListedHash(algorithm, hex_value, _label(row))
            for algorithm, raw in _row_hashes(row)
            if (hex_value := well_formed(algorithm, raw))
        ]
        if not found:
            summary.skipped_rows += 1
        yield from found


def _csv_rows(text: str) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    for row in reader:
        yield {key: value for key, value in row.items() if isinstance(key, str)}


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnsupportedFormat(f"not a readable JSON hash list: {exc}") from None
    rows = data.get("data") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise UnsupportedFormat("a JSON hash list holds a list (or {'data': [...]}) of hashes")
    return [{str(k).lower(): v for k, v in row.items()} for row in rows if isinstance(row, dict)]


def read_hash_list(path: Path, summary: ImportSummary) -> list[ListedHash]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnsupportedFormat(f"cannot read {path} as a UTF-8 hash list: {exc}") from None
    stripped = text.lstrip()
    rows = _json_rows(text) if stripped.startswith(("{", "[")) else list(_csv_rows(text))
    return list(dict.fromkeys(_listed(rows, summary)))


def import_hash_list(
    session: Session, path: Path, list_name: str, max_distance: int
) -> ImportSummary:
    """Add a list's hashes (a hash already on the list keeps its first label) and flag the
    media already captured that match them."""
    summary = ImportSummary()
    new_entries = []
    name = str(clipped(list_name, HashListEntry.list_name))
    for listed in read_hash_list(path, summary):
        exists = session.scalar(
            select(HashListEntry.id).where(
                HashListEntry.list_name == name,
                HashListEntry.algorithm == listed.algorithm,
                HashListEntry.value == listed.value,
            )
        )
        if exists is not None:
            summary.already_listed += 1
            continue
        entry = HashListEntry(
            list_name=name, algorithm=listed.algorithm, value=listed.value, label=listed.label
        )
        session.add(entry)
        new_entries.append(entry)
    session.flush()
    summary.added = len(new_entries)
    summary.entry_ids = [entry.id for entry in new_entries]
    matched: set[int] = set()
    for entry in new_entries:
        flagged = _flag_media_for(session, entry, max_distance)
        summary.new_matches += len(flagged)
        matched.update(match.capture_id for match in flagged)
    summary.matched_capture_ids = sorted(matched)
    return summary


def _pdq_media(session: Session) -> Iterator[tuple[int, str]]:
    """(capture id, PDQ) of every captured picture and every video keyframe worth matching."""
    pictures = select(MediumHash.capture_id, MediumHash.pdq).where(MediumHash.pdq.is_not(None))
    for capture_id, pdq in session.execute(pictures):
        yield capture_id, pdq or ""
    keyframes = select(MediumKeyframe.capture_id, MediumKeyframe.pdq).where(
        MediumKeyframe.pdq_quality >= KEYFRAME_MIN_MATCH_QUALITY
    )
    for capture_id, pdq in session.execute(keyframes):
        yield capture_id, pdq


def _nearest(pairs: Iterable[tuple[int, int]], max_distance: int) -> dict[int, int]:
    """The smallest distance per key, of those within max_distance."""
    nearest: dict[int, int] = {}
    for key, distance in pairs:
        if distance <= max_distance and distance < nearest.get(key, max_distance + 1):
            nearest[key] = distance
    return nearest


def _flag_media_for(session: Session, entry: HashListEntry, max_distance: int) -> list[HashMatch]:
    if entry.algorithm == "pdq":
        found = _nearest(
            ((capture_id, hamming(pdq, entry.value)) for capture_id, pdq in _pdq_media(session)),
            max_distance,
        )
    else:
        column = MediumHash.sha256 if entry.algorithm == "sha256" else MediumHash.md5
        found = dict.fromkeys(
            session.scalars(select(MediumHash.capture_id).where(column == entry.value)), 0
        )
    matches = [
        HashMatch(capture_id=capture_id, entry_id=entry.id, distance=distance)
        for capture_id, distance in found.items()
    ]
    session.add_all(matches)
    session.flush()
    return matches


def matching_entries(
    session: Session, hashes: MediumHashes, max_distance: int
) -> list[tuple[HashListEntry, int]]:
    """The list entries a medium's hashes match, with the PDQ distance (0 when exact)."""
    exact = session.scalars(
        select(HashListEntry).where(
            or_(
                (HashListEntry.algorithm == "sha256") & (HashListEntry.value == hashes.sha256),
                (HashListEntry.algorithm == "md5") & (HashListEntry.value == hashes.md5),
            )
        )
    )
    found = [(entry, 0) for entry in exact]
    pdqs = hashes.pdqs
    if pdqs:
        for entry in session.scalars(select(HashListEntry).where(HashListEntry.algorithm == "pdq")):
            distance = min(hamming(pdq, entry.value) for pdq in pdqs)
            if distance <= max_distance:
                found.append((entry, distance))
    return found


def record_medium(
    session: Session, capture_id: int, kind: str, hashes: MediumHashes, max_distance: int
) -> list[HashMatch]:
    """Store a medium's hashes (a video's keyframes too) and its matches, replacing what an
    earlier run stored."""
    for table in (HashMatch, MediumKeyframe, MediumHash):
        session.execute(delete(table).where(table.capture_id == capture_id))
    session.add(
        MediumHash(
            capture_id=capture_id,
            kind=kind,
            sha256=hashes.sha256,
            md5=hashes.md5,
            pdq=hashes.pdq,
            pdq_quality=hashes.pdq_quality,
        )
    )
    session.add_all(
        MediumKeyframe(
            capture_id=capture_id,
            frame_index=frame.index,
            seconds=frame.seconds,
            pdq=frame.pdq,
            pdq_quality=frame.pdq_quality,
        )
        for frame in hashes.keyframes
    )
    matches = [
        HashMatch(capture_id=capture_id, entry_id=entry.id, distance=distance)
        for entry, distance in matching_entries(session, hashes, max_distance)
    ]
    session.add_all(matches)
    session.flush()
    return matches
