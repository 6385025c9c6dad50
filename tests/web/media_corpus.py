"""Media added to a web test home: a post (a page) whose photo — an Arabic statement rendered
to PNG, on a shared hash list — and whose PDF communiqué were captured beside it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from marsad.media.hashlists import import_hash_list
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Capture, Document
from tests.media.statements import ARABIC, statement_png, text_layer_pdf
from tests.web.corpus import WebHome, page_html

POST_TITLE = "بيان مصور"
POST_TEXT = "نشرت القناة اليوم بياناً مصوراً وملفاً عن افتتاح مركز صحي في محافظة ديالى."
LIST_LABEL = "statement poster <b>label</b>"


@dataclass(frozen=True)
class PostWithMedia:
    post_id: int
    photo_capture_id: int
    pdf_capture_id: int
    page_capture_id: int  # a captured HTML page: not a medium


def add_post_with_media(home: WebHome, folder: Path) -> PostWithMedia:
    folder.mkdir(parents=True, exist_ok=True)
    photo, pdf, post = folder / "photo.png", folder / "communique.pdf", folder / "post.html"
    photo.write_bytes(statement_png(ARABIC))
    pdf.write_bytes(text_layer_pdf(ARABIC))
    post.write_text(page_html(POST_TITLE, POST_TEXT), encoding="utf-8")
    hash_list = folder / "shared.csv"
    md5 = hashlib.md5(photo.read_bytes(), usedforsecurity=False).hexdigest()
    hash_list.write_text(f"md5,label\n{md5},{LIST_LABEL}\n", encoding="utf-8")
    workspace = home.workspace
    with workspace.database.session() as session:
        import_hash_list(session, hash_list, "shared", 31)
    summary = Ingestor(workspace).ingest([str(photo), str(pdf), str(post)], language="ar")
    assert summary.pipeline.failures == [] and summary.failed_captures == []
    with workspace.database.session() as session:

        def capture_of(path: Path) -> int:
            return session.scalars(select(Capture.id).where(Capture.url == path.as_uri())).one()

        document = session.scalars(select(Document).where(Document.url == post.as_uri())).one()
        document.properties = {"media": [photo.as_uri(), pdf.as_uri()]}
        return PostWithMedia(document.id, capture_of(photo), capture_of(pdf), capture_of(post))
