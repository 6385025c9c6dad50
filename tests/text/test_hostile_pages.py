"""Pages a browser renders are read, however odd their bytes (adversarial probe, item 6): a NUL
in a comment, a GIF89a or %PDF- prefix before the markup, 255 (and 3000) nested <div>s —
served as text/html over real HTTP, and dropped in a folder without a declared type."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.errors import UnsupportedFormat
from marsad.pipeline.ingest import Ingestor
from marsad.preserve.verify import verify_evidence
from marsad.store.models import Document, StageRun
from marsad.text.decode import content_kind
from marsad.workspace import Workspace
from tests.webserver import Route, local_site

pytestmark = pytest.mark.adversarial

SENTENCE = "أعلن المجلس البلدي افتتاح محطة جديدة لمعالجة المياه يوم الاثنين في المدينة."
ARTICLE = f"<article><h1>محطة المياه</h1><p>{SENTENCE}</p><p>{SENTENCE}</p></article>"


def page(body: str, prefix: str = "") -> bytes:
    return (
        f"{prefix}<!doctype html><html><head><meta charset='utf-8'><title>محطة المياه</title>"
        f"</head><body>{body}</body></html>"
    ).encode()


PAGES = {
    "nul-in-comment": page(f"<!-- build \x00 marker -->{ARTICLE}"),
    "gif-prefix": page(ARTICLE, prefix="GIF89a"),
    "pdf-prefix": page(ARTICLE, prefix="%PDF-"),
    "nested-255": page("<div>" * 255 + ARTICLE + "</div>" * 255),
    "nested-3000": page("<div>" * 3000 + ARTICLE + "</div>" * 3000),
}


def extracted(workspace: Workspace) -> dict[str, str | None]:
    """Each document's text by page name, once the home verifies clean after the hostile pages."""
    with workspace.database.session() as session:
        report = verify_evidence(
            session, workspace.blobs, workspace.settings.warc_dir, seal=workspace.custody_seal
        )
        assert report.problems == [] and report.warnings == []
        failures = list(session.scalars(select(StageRun.error).where(StageRun.status == "failed")))
        assert failures == []
        return {
            document.url.rsplit("/", 1)[-1].removesuffix(".html"): document.text
            for document in session.scalars(select(Document))
        }


def test_hostile_pages_served_as_html_are_read(workspace: Workspace) -> None:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    routes = {f"/{name}": Route(body=body, headers=headers) for name, body in PAGES.items()}
    with local_site(routes) as site:
        Ingestor(workspace).ingest([site.url(f"/{name}") for name in PAGES])
    texts = extracted(workspace)
    assert sorted(texts) == sorted(PAGES)
    assert all(text and SENTENCE in text for text in texts.values()), texts


def test_hostile_pages_in_a_folder_are_sniffed_as_html(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, body in PAGES.items():
        (folder / f"{name}.bin").write_bytes(body)  # no extension that declares a type
    Ingestor(workspace).ingest([str(folder)])
    texts = extracted(workspace)
    assert len(texts) == len(PAGES)
    assert all(text and SENTENCE in text for text in texts.values()), texts


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(range(256)) * 4 + b"<p>",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(32)) * 40 + b"<div>",
    ],
)
def test_real_binaries_with_a_stray_tag_stay_binary(data: bytes) -> None:
    with pytest.raises(UnsupportedFormat, match="binary content"):
        content_kind(data, None)
