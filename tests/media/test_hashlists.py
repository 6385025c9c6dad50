"""Shared hash lists: imported from CSV or ThreatExchange JSON, matched against captured media
(exact SHA-256/MD5, PDQ within MARSAD_PDQ_MAX_DISTANCE), shown by `marsad capture show`."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from marsad.config import Settings
from marsad.media.hashes import hamming, pdq_of
from marsad.media.hashlists import ImportSummary, read_hash_list
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Capture, HashMatch
from marsad.workspace import Workspace
from tests.commandline import marsad_here
from tests.media.statements import ARABIC, HEBREW, statement_image, statement_png

DEFAULT_PDQ_MAX_DISTANCE = 31


def reencoded_copy(image: Image.Image) -> Image.Image:
    """What a re-post does to a picture: smaller, and through lossy JPEG."""
    smaller = image.resize((image.width * 3 // 5, image.height * 3 // 5), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    smaller.save(buffer, format="JPEG", quality=70)
    return Image.open(io.BytesIO(buffer.getvalue()))


def ingest_png(workspace: Workspace, folder: Path, data: bytes) -> int:
    path = folder / "statement.png"
    path.write_bytes(data)
    Ingestor(workspace).ingest([str(path)], language="ar")
    with workspace.database.session() as session:
        return session.scalars(select(Capture.id).where(Capture.error.is_(None))).one()


def test_a_reencoded_resized_copy_on_a_list_flags_the_captured_image(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    capture_id = ingest_png(workspace, tmp_path, statement_png(ARABIC))
    copy_pdq, _quality = pdq_of(reencoded_copy(statement_image(ARABIC)))
    other_pdq, _quality = pdq_of(statement_image(HEBREW))
    original_pdq, _quality = pdq_of(statement_image(ARABIC))
    assert 0 < hamming(copy_pdq, original_pdq) <= DEFAULT_PDQ_MAX_DISTANCE
    assert hamming(other_pdq, original_pdq) > DEFAULT_PDQ_MAX_DISTANCE
    hash_list = tmp_path / "shared.csv"
    hash_list.write_text(
        f"pdq,label\n{copy_pdq},statement poster (re-post)\n{other_pdq},another poster\n"
        "not-a-hash,broken row\n",
        encoding="utf-8",
    )

    printed = marsad_here(settings, "hashlist", "import", str(hash_list))

    assert "2 hashes added" in printed and "1 rows skipped" in printed
    assert "1 captured media match" in printed
    shown = marsad_here(settings, "capture", "show", str(capture_id))
    assert f"pdq                 {original_pdq}" in shown
    assert "hash list match     shared.csv: statement poster (re-post) (pdq," in shown
    assert "another poster" not in shown


def test_a_medium_captured_after_its_list_is_flagged_as_it_arrives(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    data = statement_png(HEBREW)
    hash_list = tmp_path / "list.csv"
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    hash_list.write_text(f"md5,label\n{md5},known file\n", encoding="utf-8")
    assert "0 captured media match" in marsad_here(settings, "hashlist", "import", str(hash_list))

    capture_id = ingest_png(workspace, tmp_path, data)

    with workspace.database.session() as session:
        matches = session.scalars(select(HashMatch).where(HashMatch.capture_id == capture_id))
        assert [(m.entry.label, m.distance) for m in matches] == [("known file", 0)]


def test_threatexchange_descriptors_are_read(tmp_path: Path) -> None:
    pdq = "f" * 64
    sha256 = "a" * 64
    exported = {
        "data": [
            {"type": "HASH_PDQ", "raw_indicator": pdq, "description": "poster", "tags": ["x"]},
            {"type": "HASH_SHA256", "raw_indicator": sha256.upper(), "tags": ["video", "tv"]},
            {"type": "URI", "raw_indicator": "https://example.org/"},
        ]
    }
    path = tmp_path / "te.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    summary = ImportSummary()

    listed = read_hash_list(path, summary)

    assert [(h.algorithm, h.value, h.label) for h in listed] == [
        ("pdq", pdq, "poster"),
        ("sha256", sha256, "video, tv"),
    ]
    assert summary.skipped_rows == 1
