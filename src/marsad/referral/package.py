"""The referral package: one zip a platform's trust-and-safety team can act on and check.

    summary.html            what, where, when first seen, why it breaks the policy, the quote
    manifest.json           the case and every item (URL, capture, hashes), every file's SHA-256
    manifest-digest.json    the SHA-256 of manifest.json
    content/<sha256>        the captured bytes of each item and of its media
    captures.warc.gz        the WARC records of each capture, exactly as preserved
    stix-bundle.json        STIX 2.1: the captures as observed data, the referral as a report

`verify_package` re-checks everything: the manifest digest, each listed file's hash and size,
that no file is unlisted, each item's content against its SHA-256, each medium against its
SHA-256 and MD5 (referral.media), and the WARC payloads against the items and media. One
altered byte anywhere fails it.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad import __version__
from marsad.errors import BlobMissing, MarsadError, ReferralError
from marsad.export.hashlist import describe
from marsad.export.stix import referral_bundle
from marsad.preserve.blobs import BlobStore
from marsad.preserve.first_seen import first_seen_sha256, first_seen_url
from marsad.preserve.warc import capture_members, warc_path
from marsad.referral.media import media_problems, media_summary, package_media
from marsad.referral.platforms import ReferralRules, referral_rules
from marsad.store.models import Capture, Document, ReferralCase, ReferralItem, Translation
from marsad.text.direction import text_direction

MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest-digest.json"
QUOTE_CHARS = 600
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class PackageSummary:
    path: Path
    sha256: str
    items: int
    files: int


@dataclass
class PackageCheck:
    path: Path
    files: int = 0
    items: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


class PackageBuilder:
    def __init__(
        self, session: Session, blobs: BlobStore, warc_dir: Path, rules: ReferralRules | None = None
    ) -> None:
        self.session = session
        self.blobs = blobs
        self.warc_dir = warc_dir
        self.rules = rules or referral_rules()

    def build(self, case: ReferralCase, output: Path) -> PackageSummary:
        """Write the package; an item that cannot be packaged (its bytes lost, its WARC record
        damaged) is listed with the problem and never stops the others."""
        files: dict[str, bytes] = {}
        items: list[dict[str, Any]] = []
        problems: list[dict[str, Any]] = []
        warc_parts: list[bytes] = []
        captures: list[Capture] = []
        for item in case.items:
            capture = self.session.get_one(Capture, item.capture_id)
            try:
                data = self.blobs.read(capture.blob_key)
            except (BlobMissing, FileNotFoundError, OSError):
                problem = "its bytes are missing from the blob store (see `marsad verify`)"
                problems.append({"url": item.url, "capture_id": capture.id, "problem": problem})
                continue
            files[f"content/{capture.sha256}"] = data
            items.append(self._item_record(item, capture, data))
            media = self._media(item, items[-1], files, problems)
            for packaged in (capture, *media):
                if packaged not in captures:
                    captures.append(packaged)
                    self._add_warc_record(packaged, warc_parts, problems)
        if not items:
            raise ReferralError(f"referral {case.id}: no item can be packaged: {problems}")
        if warc_parts:
            files["captures.warc.gz"] = b"".join(warc_parts)
        policy = self.rules.policy(case.reason)
        files["stix-bundle.json"] = referral_bundle(
            f"referral:{case.id}",
            f"Referral {case.id} to {self.rules.platform(case.platform).name}: {policy.label}",
            case.notes or policy.label,
            case.created_at,
            captures,
        ).encode("utf-8")
        files["summary.html"] = self._summary(case, items, problems).encode("utf-8")
        manifest = self._manifest(case, items, files)
        manifest["not_packaged"] = problems
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        digest = {"path": MANIFEST, "sha256": sha256_hex(manifest_bytes)}
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                archive.writestr(name, files[name])
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(MANIFEST_DIGEST, json.dumps(digest, indent=2))
        partial.replace(output)
        return PackageSummary(output, sha256_hex(output.read_bytes()), len(items), len(files) + 2)

    def _media(
        self,
        item: ReferralItem,
        record: dict[str, Any],
        files: dict[str, bytes],
        problems: list[dict[str, Any]],
    ) -> list[Capture]:
        """The media of the item's document (for a capture referred alone, its whole
        document's) into its record and the package's files."""
        document = (
            self.session.get(Document, item.document_id)
            if item.document_id
            else self.session.scalars(
                select(Document).where(Document.capture_id == item.capture_id, Document.part == "")
            ).first()
        )
        if document is None:
            record["media"] = []
            return []
        packaged = package_media(self.session, self.blobs, document)
        record["media"] = packaged.records
        files.update(packaged.files)
        problems.extend(packaged.problems)
        return packaged.captures

    def _add_warc_record(
        self, capture: Capture, warc_parts: list[bytes], problems: list[dict[str, Any]]
    ) -> None:
        if capture.warc_filename and capture.warc_offset is not None:
            try:
                path = warc_path(self.warc_dir, capture.warc_filename)
                warc_parts.append(capture_members(path, capture.warc_offset))
            except (ArchiveLoadFailed, OSError, ValueError, MarsadError) as exc:
                problem = f"its WARC record cannot be read: {exc}"
                problems.append({"url": capture.url, "capture_id": capture.id, "problem": problem})

    def _item_record(self, item: ReferralItem, capture: Capture, data: bytes) -> dict[str, Any]:
        first_url = first_seen_url(self.session, item.url)
        first_bytes = first_seen_sha256(self.session, capture.sha256 or "")
        document = self.session.get(Document, item.document_id) if item.document_id else None
        record: dict[str, Any] = {
            "url": item.url,
            "capture_id": capture.id,
            "fetched_at": _iso(capture.fetched_at),
            "http_status": capture.http_status,
            "content_type": capture.content_type,
            "size": capture.size,
            "sha256": capture.sha256,
            "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
            **describe(data, capture.content_type),
            "warc_record_id": capture.warc_record_id,
            "url_first_seen_at": _iso(first_url.at) if first_url else None,
            "content_first_seen_at": _iso(first_bytes.at) if first_bytes else None,
            "content_first_seen_url": first_bytes.url if first_bytes else None,
            "document": None,
        }
        if document is not None:
            # The first translation made: a rerun rewrites it in place, so the package quotes
            # the same one each time, whatever order the database returns rows in.
            translation = self.session.scalars(
                select(Translation)
                .where(Translation.document_id == document.id)
                .order_by(Translation.id)
                .limit(1)
            ).first()
            record["document"] = {
                "id": document.id,
                "title": document.title,
                "language": document.language,
                "published": document.published,
                "quote": (document.text or "")[:QUOTE_CHARS],
                "translation": (translation.text or "")[:QUOTE_CHARS] if translation else None,
                "translation_backend": translation.backend if translation else None,
            }
        return record

    def _manifest(
        self, case: ReferralCase, items: list[dict[str, Any]], files: dict[str, bytes]
    ) -> dict[str, Any]:
        platform = self.rules.platform(case.platform)
        policy = self.rules.policy(case.reason)
        return {
            "format": f"marsad-referral/{FORMAT_VERSION}",
            "software": f"Marsad {__version__}",
            "case": {
                "id": case.id,
                "platform": platform.key,
                "platform_name": platform.name,
                "reason": policy.key,
                "reason_label": policy.label,
                "policy_families": list(policy.families),
                "notes": case.notes,
                "created_at": _iso(case.created_at),
            },
            "items": items,
            "files": [
                {"path": name, "sha256": sha256_hex(data), "size": len(data)}
                for name, data in sorted(files.items())
            ],
        }

    def _summary(
        self, case: ReferralCase, items: list[dict[str, Any]], problems: list[dict[str, Any]]
    ) -> str:
        platform = self.rules.platform(case.platform)
        policy = self.rules.policy(case.reason)
        escape = html.escape
        rows = []
        for number, item in enumerate(items, 1):
            document = item["document"] or {}
            quote = document.get("quote")
            translation = document.get("translation")
            rows.append(
                f"<section><h2>Item {number}</h2><dl>"
                f"<dt>URL</dt><dd>{escape(item['url'])}</dd>"
                f"<dt>Captured</dt><dd>{escape(str(item['fetched_at']))} (HTTP "
                f"{escape(str(item['http_status']))}, {escape(str(item['content_type']))})</dd>"
                f"<dt>First seen</dt><dd>{escape(str(item['url_first_seen_at']))}</dd>"
                f"<dt>SHA-256</dt><dd><code>{escape(str(item['sha256']))}</code></dd>"
                f"<dt>MD5</dt><dd><code>{escape(item['md5'])}</code></dd>"
                + (
                    f"<dt>PDQ</dt><dd><code>{escape(item['pdq'])}</code></dd>"
                    if item.get("pdq")
                    else ""
                )
                + f"<dt>Title</dt><dd>{escape(str(document.get('title') or ''))}</dd></dl>"
                + (
                    f'<blockquote dir="{text_direction(quote)}" '
                    f'lang="{escape(str(document.get("language")))}">'
                    f"{escape(quote)}</blockquote>"
                    if quote
                    else ""
                )
                + (
                    f"<p>Translation ({escape(str(document.get('translation_backend')))}):</p>"
                    f'<blockquote lang="en">{escape(translation)}</blockquote>'
                    if translation
                    else ""
                )
                + media_summary(item.get("media") or [])
                + "</section>"
            )
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Referral {case.id}</title></head><body>"
            f"<h1>Referral {case.id} to {escape(platform.name)}</h1>"
            f"<p><strong>Why:</strong> {escape(policy.label)} "
            f"({escape(', '.join(policy.families))})</p>"
            f"<p><strong>Notes:</strong> {escape(case.notes or '—')}</p>"
            f"<p>{len(items)} item(s). Every file of this package is listed with its SHA-256 in "
            "manifest.json; the captured bytes are under content/, their WARC records in "
            "captures.warc.gz.</p>"
            + "".join(rows)
            + "".join(
                f"<p><strong>Not packaged:</strong> {escape(p['url'])}: {escape(p['problem'])}</p>"
                for p in problems
            )
            + "</body></html>"
        )


def verify_package(path: Path) -> PackageCheck:
    """Re-check every hash of a referral package; problems are listed, never raised."""
    check = PackageCheck(path)
    try:
        with zipfile.ZipFile(path) as archive:
            contents = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        check.problems.append(f"not a readable zip: {exc}")
        return check
    manifest_bytes = contents.get(MANIFEST)
    try:
        digest = json.loads(contents.get(MANIFEST_DIGEST, b"{}"))
        manifest = json.loads(manifest_bytes or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        check.problems.append(f"manifest unreadable: {exc}")
        return check
    if digest.get("sha256") != sha256_hex(manifest_bytes or b""):
        check.problems.append("manifest.json does not match manifest-digest.json")
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    for name in sorted(set(contents) - set(listed) - {MANIFEST, MANIFEST_DIGEST}):
        check.problems.append(f"{name}: in the package but not in the manifest")
    for name, entry in sorted(listed.items()):
        data = contents.get(name)
        if data is None:
            check.problems.append(f"{name}: listed but missing")
        elif sha256_hex(data) != entry.get("sha256") or len(data) != entry.get("size"):
            check.problems.append(f"{name}: SHA-256 or size differs from the manifest")
        check.files += 1
    for item in manifest.get("items", []):
        check.items += 1
        content = contents.get(f"content/{item.get('sha256')}")
        if content is None or sha256_hex(content) != item.get("sha256"):
            check.problems.append(f"item {item.get('url')}: content does not match its SHA-256")
    check.problems.extend(media_problems(manifest.get("items", []), contents))
    if "captures.warc.gz" in contents:
        check.problems.extend(_warc_problems(contents["captures.warc.gz"], manifest))
    return check


def _warc_problems(data: bytes, manifest: dict[str, Any]) -> list[str]:
    expected = {item.get("warc_record_id"): item.get("sha256") for item in manifest["items"]}
    expected.update(
        {medium.get("warc_record_id"): medium.get("sha256")
         for item in manifest["items"] for medium in item.get("media") or []}
    )  # fmt: skip
    problems = []
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            payload = record.content_stream().read()
            if record_id in expected and sha256_hex(payload) != expected[record_id]:
                problems.append(f"WARC record {record_id}: payload differs from its item")
    except Exception as exc:  # any damage of the archive is a failed verification
        problems.append(f"captures.warc.gz unreadable: {exc.__class__.__name__}: {exc}")
    return problems
