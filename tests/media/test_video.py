"""Videos as media: an ingested video is preserved and hashed (SHA-256, MD5, and the PDQ of
each keyframe when ffmpeg is on PATH), matched against the hash lists (a keyframe within
MARSAD_PDQ_MAX_DISTANCE of a listed PDQ flags the video), and never a failure — not without
ffmpeg, not when damaged, not for the extract stage, which finds no text in it."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marsad.config import Settings
from marsad.media.hashes import KEYFRAME_MIN_MATCH_QUALITY, hamming
from marsad.media.sniff import medium_kind
from marsad.media.video import keyframe_hashes
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Capture, Document, HashMatch, MediumHash, MediumKeyframe
from marsad.workspace import Workspace
from tests.commandline import marsad_here
from tests.conftest import make_settings
from tests.media.videos import (
    CLIP_KEYFRAMES,
    black_clip,
    damaged_copy,
    make_clip,
    reencoded_copy,
)

DEFAULT_PDQ_MAX_DISTANCE = 31


def ingest_video(workspace: Workspace, path: Path) -> int:
    summary = Ingestor(workspace).ingest([str(path)])
    assert summary.failed_captures == []
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        return session.scalars(select(Capture.id).where(Capture.error.is_(None))).one()


def keyframes_of(workspace: Workspace, capture_id: int) -> list[MediumKeyframe]:
    with workspace.database.session() as session:
        frames = session.scalars(
            select(MediumKeyframe)
            .where(MediumKeyframe.capture_id == capture_id)
            .order_by(MediumKeyframe.frame_index)
        ).all()
        session.expunge_all()
        return list(frames)


def test_magic_numbers_say_video_for_mp4_mov_and_webm_only() -> None:
    assert medium_kind(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00") == "video"
    assert medium_kind(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00") == "video"  # MOV
    assert medium_kind(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01") == "video"  # WebM
    assert medium_kind(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00") is None  # a HEIF picture
    assert medium_kind(b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00") is None  # audio
    assert medium_kind(b"<html><video src=x.mp4></video></html>") is None


def test_an_ingested_video_is_a_medium_with_md5_and_keyframe_pdqs(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = make_clip(tmp_path / "clip.mp4")

    capture_id = ingest_video(workspace, tmp_path / "clip.mp4")

    with workspace.database.session() as session:
        capture = session.get_one(Capture, capture_id)
        medium = session.get_one(MediumHash, capture_id)
        document = session.scalars(select(Document).where(Document.capture_id == capture_id)).one()
        assert capture.warc_record_id is not None and capture.sha256 == medium.sha256
        assert medium.kind == "video" and medium.pdq is None
        assert medium.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
        assert document.text == "" and document.title is None
        assert document.properties["medium"] == {"kind": "video", "keyframes": CLIP_KEYFRAMES}
    frames = keyframes_of(workspace, capture_id)
    assert [frame.frame_index for frame in frames] == list(range(CLIP_KEYFRAMES))
    assert [frame.seconds for frame in frames] == [0.0, 1.0]
    assert all(len(frame.pdq) == 64 and frame.pdq_quality >= 50 for frame in frames)
    assert frames[0].pdq != frames[1].pdq


def test_a_keyframe_of_a_reencoded_resized_copy_on_a_list_flags_the_video(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    make_clip(tmp_path / "clip.mp4")
    capture_id = ingest_video(workspace, tmp_path / "clip.mp4")
    copy = reencoded_copy(tmp_path / "clip.mp4", tmp_path / "copy.mp4")
    copy_pdq = keyframe_hashes(copy, 1)[0].pdq
    distances = [hamming(copy_pdq, frame.pdq) for frame in keyframes_of(workspace, capture_id)]
    assert 0 < min(distances) <= DEFAULT_PDQ_MAX_DISTANCE
    hash_list = tmp_path / "shared.csv"
    hash_list.write_text(f"pdq,label\n{copy_pdq},video (re-post)\n", encoding="utf-8")

    printed = marsad_here(settings, "hashlist", "import", str(hash_list))

    assert "1 captured media match" in printed
    with workspace.database.session() as session:
        match = session.scalars(select(HashMatch).where(HashMatch.capture_id == capture_id)).one()
        assert match.distance == min(distances)
    shown = marsad_here(settings, "capture", "show", str(capture_id))
    assert "medium              video" in shown
    assert f"keyframes           {CLIP_KEYFRAMES} hashed with PDQ" in shown
    assert "hash list match     shared.csv: video (re-post) (pdq," in shown


def test_a_video_captured_after_its_list_is_flagged_by_md5_and_keyframe(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    data = make_clip(tmp_path / "clip.mp4")
    copy_pdq = keyframe_hashes(reencoded_copy(tmp_path / "clip.mp4", tmp_path / "copy.mp4"), 1)
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    hash_list = tmp_path / "list.csv"
    hash_list.write_text(
        f"type,value,label\nvideo_md5,{md5},known file\npdq,{copy_pdq[0].pdq},known frame\n",
        encoding="utf-8",
    )
    assert "0 captured media match" in marsad_here(settings, "hashlist", "import", str(hash_list))

    capture_id = ingest_video(workspace, tmp_path / "clip.mp4")

    with workspace.database.session() as session:
        matches = session.scalars(select(HashMatch).where(HashMatch.capture_id == capture_id))
        assert sorted(match.entry.label for match in matches) == ["known file", "known frame"]


def test_a_damaged_video_keeps_its_exact_hashes_and_fails_nothing(
    workspace: Workspace, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = damaged_copy(make_clip(tmp_path / "clip.mp4"))
    (tmp_path / "clip.mp4").unlink()
    path = tmp_path / "damaged.mp4"
    path.write_bytes(data)

    with caplog.at_level(logging.WARNING, logger="marsad.media.capture"):
        capture_id = ingest_video(workspace, path)

    with workspace.database.session() as session:
        medium = session.get_one(MediumHash, capture_id)
        assert medium.kind == "video"
        assert medium.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert keyframes_of(workspace, capture_id) == []
    assert "keeps its SHA-256 and MD5 only" in caplog.text
    assert "ffmpeg read no keyframe" in caplog.text


def test_without_ffmpeg_a_video_gets_its_exact_hashes_only(
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = make_clip(tmp_path / "clip.mp4")
    no_ffmpeg = tmp_path / "bin"
    no_ffmpeg.mkdir()
    monkeypatch.setenv("PATH", str(no_ffmpeg))

    with caplog.at_level(logging.WARNING, logger="marsad.media.capture"):
        capture_id = ingest_video(workspace, tmp_path / "clip.mp4")

    with workspace.database.session() as session:
        medium = session.get_one(MediumHash, capture_id)
        document = session.scalars(select(Document).where(Document.capture_id == capture_id)).one()
        assert medium.kind == "video"
        assert medium.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
        assert document.properties["medium"] == {"kind": "video", "keyframes": 0}
    assert keyframes_of(workspace, capture_id) == []
    assert "ffmpeg is not on PATH" in caplog.text


def test_a_video_over_the_capture_cap_but_under_the_video_cap_is_captured(
    tmp_path: Path, database_url: str
) -> None:
    data = make_clip(tmp_path / "clip.mp4")
    settings = make_settings(tmp_path / "home", database_url, max_capture_bytes=str(len(data) - 1))
    workspace, _before, _after = Workspace.initialise(settings)
    with workspace:
        capture_id = ingest_video(workspace, tmp_path / "clip.mp4")
        with workspace.database.session() as session:
            assert session.get_one(Capture, capture_id).size == len(data)
        (tmp_path / "big.txt").write_bytes(b"x" * len(data))
        summary = Ingestor(workspace).ingest([str(tmp_path / "big.txt")])
        [(_url, error)] = summary.failed_captures
        assert "CaptureTooLarge" in error and "(MARSAD_MAX_CAPTURE_BYTES)" in error


def test_a_flat_keyframe_is_kept_but_never_matched(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    """A black frame's PDQ would match every video that fades in from black."""
    black_clip(tmp_path / "black.mp4")
    capture_id = ingest_video(workspace, tmp_path / "black.mp4")
    [frame] = keyframes_of(workspace, capture_id)
    assert frame.pdq_quality < KEYFRAME_MIN_MATCH_QUALITY
    hash_list = tmp_path / "flat.csv"
    hash_list.write_text(f"pdq,label\n{frame.pdq},a black frame\n", encoding="utf-8")

    printed = marsad_here(settings, "hashlist", "import", str(hash_list))
    Ingestor(workspace).ingest([str(black_clip(tmp_path / "wider.mp4", "160x96"))])

    assert "0 captured media match" in printed
    with workspace.database.session() as session:
        assert session.scalars(select(HashMatch)).all() == []
        assert session.scalar(select(func.count()).select_from(MediumKeyframe)) == 2
