"""`marsad export hashlist`: exact and perceptual hashes of captured content."""

import hashlib
import io
import json
from pathlib import Path

from PIL import Image, ImageDraw

from marsad.export.fields import HASHLIST_FIELDS
from marsad.export.hashlist import hamming, hash_records
from marsad.pipeline.ingest import Ingestor
from marsad.preserve.blobs import blob_key_for
from marsad.workspace import Workspace
from tests.commandline import marsad_for

PAGE = "<html><body><p>نشر المكتب الإعلامي صورة من حفل افتتاح المستوصف الجديد.</p></body></html>"


def poster(seed: int, size: int = 256) -> Image.Image:
    """A synthetic picture: coloured shapes placed by the seed (no real imagery)."""
    image = Image.new("RGB", (size, size), (240, 235, 220))
    draw = ImageDraw.Draw(image)
    for n in range(6):
        x, y = (seed * 37 + n * 53) % (size - 60), (seed * 91 + n * 29) % (size - 60)
        colour = ((seed * 60 + n * 40) % 256, (n * 90) % 256, (seed * 25) % 256)
        draw.ellipse((x, y, x + 40 + n * 5, y + 30 + n * 4), fill=colour)
    return image


def encoded(image: Image.Image, kind: str, **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def test_images_get_a_perceptual_hash_that_survives_re_encoding(
    workspace: Workspace, tmp_path: Path
) -> None:
    original = encoded(poster(1), "PNG")
    # What a channel does to a photo: shrink it and save it as a lossy JPEG.
    repost = encoded(poster(1).resize((180, 180)), "JPEG", quality=60)
    other = encoded(poster(7), "PNG")
    files = {"a.png": original, "b.jpg": repost, "c.png": other, "page.html": PAGE.encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "again.png").write_bytes(original)  # same bytes, another place
    Ingestor(workspace).capture([str(tmp_path / name) for name in [*files, "again.png"]])
    with workspace.database.session() as session:
        rows = {
            row["first_url"].rsplit("/", 1)[1]: row
            for row in hash_records(session, workspace.blobs)
        }
    assert set(rows) == set(files)  # one row per distinct content
    assert rows["a.png"]["captures"] == 2
    for name, data in files.items():
        assert rows[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert rows[name]["md5"] == hashlib.md5(data).hexdigest()
        assert set(rows[name]) == set(HASHLIST_FIELDS)
    assert rows["page.html"]["kind"] == "html" and rows["page.html"]["pdq"] is None
    a, b, c = (rows[name]["pdq"] for name in ("a.png", "b.jpg", "c.png"))
    assert all(
        rows[name]["kind"] == "image" and len(rows[name]["pdq"]) == 64
        for name in ("a.png", "b.jpg", "c.png")
    )
    assert hamming(a, b) <= 31 < hamming(a, c)


def test_the_command_writes_jsonl_and_survives_a_lost_blob_and_a_broken_image(
    workspace: Workspace, tmp_path: Path
) -> None:
    broken = encoded(poster(3), "PNG")[:200]  # a PNG cut short
    (tmp_path / "broken.png").write_bytes(broken)
    (tmp_path / "page.html").write_bytes(PAGE.encode())
    Ingestor(workspace).capture([str(tmp_path / "broken.png"), str(tmp_path / "page.html")])
    with workspace.database.session() as session:
        (page_row,) = [r for r in hash_records(session, workspace.blobs) if r["kind"] == "html"]
    workspace.blobs.path_of(blob_key_for(page_row["sha256"])).unlink()
    output = tmp_path / "hashes.jsonl"
    marsad_for(workspace.settings, "export", "hashlist", "-o", str(output))
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    by_sha = {row["sha256"]: row for row in rows}
    assert by_sha[hashlib.sha256(broken).hexdigest()]["kind"] in ("binary", "text")
    assert by_sha[hashlib.sha256(broken).hexdigest()]["pdq"] is None
    lost = by_sha[page_row["sha256"]]
    assert lost["kind"] == "missing" and lost["md5"] is None and lost["size"] == len(PAGE.encode())
