"""A referral of a post whose photo is on a hash list: the package carries the photo's
SHA-256, MD5 and PDQ, the list entries it matched, its bytes and its WARC record, and
`verify_package` checks them — one altered byte of the photo fails it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from marsad.config import Settings
from marsad.media.describe import keyframes_of
from marsad.media.hashes import pdq_of
from marsad.pipeline.ingest import Ingestor
from marsad.referral.cases import ReferralDesk
from marsad.referral.package import PackageBuilder, verify_package
from marsad.store.models import Capture, Document, MediumHash, ReferralCase
from marsad.workspace import Workspace
from tests.commandline import marsad_here
from tests.media.statements import ARABIC, statement_image, statement_png
from tests.media.test_hashlists import ingest_png, reencoded_copy
from tests.media.videos import CLIP_KEYFRAMES, make_clip


def referred_post_with_photo(workspace: Workspace, settings: Settings, folder: Path) -> int:
    """A post (an HTML page) listing a captured photo on a hash list; its referral case id."""
    photo_id = ingest_png(workspace, folder, statement_png(ARABIC))
    copy_pdq, _quality = pdq_of(reencoded_copy(statement_image(ARABIC)))
    hash_list = folder / "shared.csv"
    hash_list.write_text(f"pdq,label\n{copy_pdq},statement poster\n", encoding="utf-8")
    marsad_here(settings, "hashlist", "import", str(hash_list))
    post_path = folder / "post.html"
    post_path.write_text(
        "<html><head><title>post</title></head><body><p>نشرت القناة بياناً مصوراً اليوم حول "
        "افتتاح مركز صحي في محافظة ديالى.</p></body></html>",
        encoding="utf-8",
    )
    Ingestor(workspace).ingest([str(post_path)], language="ar")
    with workspace.database.session() as session:
        photo = session.get_one(Capture, photo_id)
        post = session.scalars(select(Document).where(Document.url.endswith("post.html"))).one()
        post.properties = {"media": [photo.url]}
        case = ReferralDesk(session).open_case("terrorist_content", document_ids=[post.id])
        return case.id


def build_package(workspace: Workspace, case_id: int, output: Path) -> None:
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir).build(case, output)


def test_a_referred_post_carries_its_photo_hashes_matches_and_bytes(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    case_id = referred_post_with_photo(workspace, settings, tmp_path)
    output = tmp_path / "referral.zip"
    build_package(workspace, case_id, output)
    with workspace.database.session() as session:
        photo = session.scalars(select(MediumHash).where(MediumHash.kind == "image")).one()
        photo_record_id = photo.capture.warc_record_id

    check = verify_package(output)

    assert check.ok, check.problems
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        summary = archive.read("summary.html").decode()
        photo_bytes = archive.read(f"content/{photo.sha256}")
        warc_ids = [
            record.rec_headers.get_header("WARC-Record-ID")
            for record in ArchiveIterator(archive.open("captures.warc.gz"))
        ]
    (item,) = manifest["items"]
    (medium,) = item["media"]
    assert (medium["sha256"], medium["md5"], medium["pdq"]) == (photo.sha256, photo.md5, photo.pdq)
    assert medium["content"] == f"content/{photo.sha256}" and photo_bytes == statement_png(ARABIC)
    (match,) = medium["hash_list_matches"]
    assert match["list"] == "shared.csv" and match["label"] == "statement poster"
    assert match["algorithm"] == "pdq" and 0 < match["distance"] <= 31
    assert photo_record_id in warc_ids
    assert "On hash list shared.csv: statement poster (pdq," in summary


def test_an_altered_photo_fails_verification(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    case_id = referred_post_with_photo(workspace, settings, tmp_path)
    output = tmp_path / "referral.zip"
    build_package(workspace, case_id, output)
    with zipfile.ZipFile(output) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(contents["manifest.json"])
    path = manifest["items"][0]["media"][0]["content"]
    altered = bytearray(contents[path])
    altered[len(altered) // 2] ^= 0xFF
    contents[path] = bytes(altered)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)

    problems = verify_package(tampered).problems

    assert any("bytes differ from its hashes" in problem for problem in problems), problems


def test_a_referred_video_carries_its_keyframe_pdqs(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    make_clip(tmp_path / "speech.mp4")
    Ingestor(workspace).ingest([str(tmp_path / "speech.mp4")])
    with workspace.database.session() as session:
        document = session.scalars(select(Document)).one()
        case_id = (
            ReferralDesk(session).open_case("terrorist_content", document_ids=[document.id]).id
        )
        frames = [(f.frame_index, f.pdq) for f in keyframes_of(session, document.capture_id)]
    output = tmp_path / "referral.zip"

    build_package(workspace, case_id, output)

    assert verify_package(output).ok
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    (medium,) = manifest["items"][0]["media"]
    assert medium["kind"] == "video" and len(frames) == CLIP_KEYFRAMES
    assert [(frame["index"], frame["pdq"]) for frame in medium["keyframes"]] == frames
