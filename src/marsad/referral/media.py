"""The media of a referred document in its package: each medium's hashes (SHA-256, MD5, PDQ;
a video's keyframe PDQs), the hash-list entries it matched (list, label, how), and its bytes
under content/<sha256>, so a platform can act on the pictures, PDFs and videos of a post, not
only on its text, and check them.

`media_problems` is the part of `verify_package` that re-checks them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from typing import Any

from sqlalchemy.orm import Session

from marsad.errors import BlobMissing
from marsad.media.attached import DocumentMedium, media_of
from marsad.media.describe import keyframes_of, match_how
from marsad.preserve.blobs import BlobStore
from marsad.store.models import Capture, Document


def content_path(sha256: str) -> str:
    return f"content/{sha256}"


@dataclass
class PackagedMedia:
    records: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    captures: list[Capture] = field(default_factory=list)  # whose WARC records to add
    problems: list[dict[str, Any]] = field(default_factory=list)


def _keyframes(session: Session, medium: DocumentMedium) -> dict[str, Any]:
    if medium.hashes.kind != "video":
        return {}
    frames = keyframes_of(session, medium.capture.id)
    return {
        "keyframes": [
            {"index": frame.frame_index, "seconds": frame.seconds, "pdq": frame.pdq,
             "pdq_quality": frame.pdq_quality}
            for frame in frames
        ]
    }  # fmt: skip


def _record(medium: DocumentMedium, packaged: bool) -> dict[str, Any]:
    capture, hashes = medium.capture, medium.hashes
    return {
        "capture_id": capture.id,
        "url": capture.url,
        "kind": hashes.kind,
        "content_type": capture.content_type,
        "size": capture.size,
        "sha256": hashes.sha256,
        "md5": hashes.md5,
        "pdq": hashes.pdq,
        "pdq_quality": hashes.pdq_quality,
        "warc_record_id": capture.warc_record_id,
        "content": content_path(hashes.sha256) if packaged else None,
        "hash_list_matches": [
            {"list": match.entry.list_name, "label": match.entry.label,
             "algorithm": match.entry.algorithm, "value": match.entry.value,
             "distance": match.distance}
            for match in medium.matches
        ],
    }  # fmt: skip


def package_media(session: Session, blobs: BlobStore, document: Document) -> PackagedMedia:
    """The document's captured media, with their bytes where the blob store still has them (a
    medium whose bytes are lost is listed with its hashes and the problem)."""
    packaged = PackagedMedia()
    for medium in media_of(session, document):
        capture = medium.capture
        try:
            data = blobs.read(capture.blob_key)
        except (BlobMissing, FileNotFoundError, OSError):
            data = None
            packaged.problems.append(
                {"url": capture.url, "capture_id": capture.id,
                 "problem": "a medium's bytes are missing from the blob store"}
            )  # fmt: skip
        if data is not None:
            packaged.files[content_path(medium.hashes.sha256)] = data
            packaged.captures.append(capture)
        packaged.records.append(
            {**_record(medium, data is not None), **_keyframes(session, medium)}
        )
    return packaged


def media_problems(items: list[dict[str, Any]], contents: dict[str, bytes]) -> list[str]:
    """Each packaged medium's bytes against its SHA-256 and MD5."""
    problems = []
    for item in items:
        for medium in item.get("media") or []:
            path = medium.get("content")
            if path is None:
                continue
            data = contents.get(str(path))
            if data is None:
                problems.append(f"medium {medium.get('url')}: {path} is missing")
            elif hashlib.sha256(data).hexdigest() != medium.get("sha256") or hashlib.md5(
                data, usedforsecurity=False
            ).hexdigest() != medium.get("md5"):
                problems.append(f"medium {medium.get('url')}: bytes differ from its hashes")
    return problems


def media_summary(media: list[dict[str, Any]]) -> str:
    """The media of an item in summary.html: hashes and hash-list matches."""
    if not media:
        return ""
    rows = []
    for medium in media:
        matches = "".join(
            f"<li>On hash list {escape(m['list'])}: {escape(m['label'] or '—')} "
            f"({escape(match_how(m['algorithm'], m['distance']))})</li>"
            for m in medium["hash_list_matches"]
        )
        pdq = f"<br>PDQ <code>{escape(medium['pdq'])}</code>" if medium.get("pdq") else ""
        rows.append(
            f"<li>{escape(medium['kind'])} {escape(medium['url'])}<br>"
            f"SHA-256 <code>{escape(medium['sha256'])}</code><br>"
            f"MD5 <code>{escape(medium['md5'])}</code>{pdq}"
            + (f"<ul>{matches}</ul>" if matches else "")
            + "</li>"
        )
    return f"<h3>Media</h3><ul>{''.join(rows)}</ul>"
