"""JSON Lines and CSV writers. CSV keeps the same columns; nested values become JSON text."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from marsad.errors import ExportError

FORMATS = ("jsonl", "csv")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"):
# captured titles and quotes are hostile text, so such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def write_records(
    records: Iterable[dict[str, Any]], fields: Sequence[str], output_format: str, out: TextIO
) -> int:
    """Write records to `out`; returns how many were written."""
    if output_format not in FORMATS:
        raise ExportError(f"unknown format {output_format!r}; choose from {', '.join(FORMATS)}")
    count = 0
    if output_format == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out)
    writer.writerow(fields)
    for record in records:
        writer.writerow([_cell(record.get(name)) for name in fields])
        count += 1
    return count
