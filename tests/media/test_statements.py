"""Statements published as pictures and PDFs, ingested like any file: preserved, read (text
layer or OCR), and run through every later stage — languages, dates, linking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein
from sqlalchemy import select

from marsad.link.aliases import default_variant_generator
from marsad.link.kb import load_kb
from marsad.link.store import KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Capture, Document, MediumHash, Mention
from marsad.text.normalize import default_normalizer
from tests.conftest import workspace_for
from tests.media.statements import (
    STATEMENTS,
    Statement,
    image_only_pdf,
    statement_png,
    text_layer_pdf,
)

RENDERINGS: dict[str, tuple[str, Callable[[Statement], bytes]]] = {
    "png": ("png", statement_png),
    "text-pdf": ("pdf", text_layer_pdf),
    "image-pdf": ("pdf", image_only_pdf),
}
MIN_CHARACTER_ACCURACY = 0.9


@dataclass(frozen=True)
class Read:
    document: Document
    capture: Capture
    entities: set[str]
    medium: MediumHash | None


def character_accuracy(found: str, expected: str) -> float:
    """1 - normalised Levenshtein distance, whitespace runs counted as one space."""
    return 1 - Levenshtein.normalized_distance(" ".join(found.split()), " ".join(expected.split()))


@pytest.fixture(scope="module")
def statements_read(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Read]]:
    """Every statement in every rendering, in one folder given to `marsad ingest`."""
    folder = tmp_path_factory.mktemp("statements")
    for statement in STATEMENTS:
        for rendering, (suffix, render) in RENDERINGS.items():
            path = folder / f"{statement.language}-{rendering}.{suffix}"
            path.write_bytes(render(statement))
    with workspace_for("sqlite", tmp_path_factory.mktemp("home")) as workspace:
        with workspace.database.session() as session:  # what `marsad kb sync` does
            store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
            store.sync(load_kb())
        summary = Ingestor(workspace).ingest([str(folder)])
        assert summary.failed_captures == []
        assert summary.pipeline.failures == []
        with workspace.database.session() as session:
            found = {}
            for document in session.scalars(select(Document)).all():
                mentions = session.scalars(
                    select(Mention.entity_id).where(Mention.document_id == document.id)
                )
                found[Path(document.url).stem] = Read(
                    document,
                    document.capture,
                    {entity for entity in mentions if entity},
                    session.get(MediumHash, document.capture_id),
                )
            session.expunge_all()
        yield found


CASES = [
    pytest.param(statement, rendering, id=f"{statement.language}-{rendering}")
    for statement in STATEMENTS
    for rendering in RENDERINGS
]


@pytest.mark.parametrize(("statement", "rendering"), CASES)
def test_statement_medium_is_read_into_its_document(
    statements_read: dict[str, Read], statement: Statement, rendering: str
) -> None:
    read = statements_read[f"{statement.language}-{rendering}"]
    assert read.capture.error is None and read.capture.warc_record_id is not None
    text = read.document.text or ""
    assert character_accuracy(text, statement.text) >= MIN_CHARACTER_ACCURACY, text
    assert read.document.language == statement.language


@pytest.mark.parametrize(("statement", "rendering"), CASES)
def test_organisation_named_in_a_statement_medium_is_linked(
    statements_read: dict[str, Read], statement: Statement, rendering: str
) -> None:
    read = statements_read[f"{statement.language}-{rendering}"]
    assert statement.organisation in read.entities


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.language)
def test_ocr_confidence_and_line_boxes_are_kept(
    statements_read: dict[str, Read], statement: Statement
) -> None:
    read = statements_read[f"{statement.language}-png"]
    medium = read.document.properties["medium"]
    assert medium["kind"] == "image" and 50 < medium["ocr_confidence"] <= 100
    text = read.document.text or ""
    lines = [text[line["start"] : line["end"]] for line in medium["ocr_lines"]]
    assert lines == [line for line in text.split("\n") if line]
    assert all(line["box"][2] > 0 and line["box"][3] > 0 for line in medium["ocr_lines"])


def test_text_layer_pages_are_not_ocr_read(statements_read: dict[str, Read]) -> None:
    methods = {
        name: [page["method"] for page in read.document.properties["medium"]["read"]]
        for name, read in statements_read.items()
        if name.endswith("pdf")
    }
    assert {name: m for name, m in methods.items() if "text-pdf" in name} == {
        f"{s.language}-text-pdf": ["text layer"] for s in STATEMENTS
    }
    assert all(m == ["ocr"] for name, m in methods.items() if "image-pdf" in name)


def test_every_medium_is_hashed_pictures_with_pdq(statements_read: dict[str, Read]) -> None:
    for name, read in statements_read.items():
        assert read.medium is not None, name
        assert read.medium.sha256 == read.capture.sha256 and len(read.medium.md5) == 32
        assert (read.medium.pdq is not None) == name.endswith("png"), name
