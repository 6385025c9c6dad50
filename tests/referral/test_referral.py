"""Referrals end to end against a real local server: content online → referred → packaged and
verified → the server takes it down (410, redirect home, a 404 for the image) → the watch marks
each item removed at the right time → stats show it; the same image re-uploaded elsewhere is
found as a reappearance."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from stix2validator import validate_string

from marsad.collect.fetcher import Fetcher
from marsad.errors import ReferralError
from marsad.pipeline.ingest import Ingestor
from marsad.referral.cases import ReferralDesk
from marsad.referral.liveness import LivenessChecker, LivenessWatch
from marsad.referral.package import PackageBuilder, verify_package
from marsad.referral.platforms import referral_rules
from marsad.referral.reappear import reappearances
from marsad.referral.stats import referral_stats
from marsad.store.models import AlertDelivery, Capture, ReferralCase, Translation
from marsad.workspace import Workspace
from tests.alert.store import add_rule
from tests.referral.site import STATEMENT, html_route, page, poster, referred_case
from tests.webserver import Route, local_site


def test_referred_content_is_packaged_watched_until_removed_and_counted(
    workspace: Workspace, tmp_path: Path, site_routes: dict[str, Route]
) -> None:
    with local_site(site_routes) as site:
        case_id = referred_case(workspace, site.base_url)
        output = tmp_path / "referral.zip"
        with workspace.database.session() as session:
            case = session.get_one(ReferralCase, case_id)
            assert case.platform == "website" and case.status == "draft"
            built = PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir).build(
                case, output
            )
            ReferralDesk(session).record_delivery(
                case, "manual", "abuse@host.example", built.sha256
            )
            sent_at = case.sent_at
        assert sent_at is not None and built.items == 2
        check = verify_package(output)
        assert check.ok, check.problems
        with zipfile.ZipFile(output) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            summary = archive.read("summary.html").decode()
            bundle = archive.read("stix-bundle.json").decode()
        image_item = next(i for i in manifest["items"] if i["url"].endswith(".png"))
        assert image_item["kind"] == "image" and len(image_item["pdq"]) == 64
        assert len(image_item["md5"]) == 32
        text_item = next(i for i in manifest["items"] if i["document"])
        assert text_item["document"]["language"] == "ar"
        assert STATEMENT[:40] in text_item["document"]["quote"]
        assert '<blockquote dir="rtl" lang="ar">' in summary
        assert manifest["case"]["reason_label"].startswith("Fundraising")
        assert validate_string(bundle).is_valid

        def watch_at(hours: float) -> list[str]:
            with workspace.database.session() as session, Fetcher(workspace.settings) as fetcher:
                watcher = LivenessWatch(session, LivenessChecker(fetcher))
                moment = sent_at + timedelta(hours=hours)
                return [
                    watcher.check(item, moment).state
                    for item in watcher.due_items(timedelta(hours=1), moment)
                ]

        assert watch_at(1) == ["online", "online"]
        assert watch_at(1.5) == []  # checked half an hour ago: not due
        site.routes["/statements/fundraising"] = Route(status=302, headers={"Location": "/"})
        assert sorted(watch_at(3)) == ["online", "removed"]
        site.routes["/media/poster.png"] = Route(status=410)
        # Removed items stay watched while the case is open: content put back up shows.
        assert watch_at(7) == ["removed", "removed"]
        assert watch_at(9) == []  # every item removed: the case is closed
        with workspace.database.session() as session:
            case = session.get_one(ReferralCase, case_id)
            assert case.status == "removed"
            removed = {item.url.rsplit("/", 1)[-1]: item.removed_at for item in case.items}
            assert removed["fundraising"] == sent_at + timedelta(hours=3)
            assert removed["poster.png"] == sent_at + timedelta(hours=7)
            actions = [entry.action for entry in ReferralDesk(session).history(case)]
            assert actions == [
                "referral.open",
                "referral.deliver",
                "referral.status",
                "referral.status",
            ]
            (stats,) = referral_stats(session, now=sent_at + timedelta(days=2))
        assert (stats.platform, stats.cases, stats.items, stats.removed) == ("website", 1, 2, 2)
        assert stats.removal_rate == 1.0 and stats.median_hours == 5.0 and stats.p90_hours == 7.0

        # The poster uploaded again under another name, the statement reposted on a mirror:
        # found from the case, and alerted by a rule that watches for referred content.
        with workspace.database.session() as session:
            add_rule(session, {"reappeared": True}, name="referred content back up")
        site.routes["/uploads/new-poster.png"] = Route(
            body=poster(), headers={"Content-Type": "image/png"}
        )
        site.routes["/mirror/fundraising-copy"] = html_route(
            page("نسخة من بيان حملة التبرعات", STATEMENT)
        )
        Ingestor(workspace).ingest(
            [site.url("/uploads/new-poster.png"), site.url("/mirror/fundraising-copy")], "mirror"
        )
        with workspace.database.session() as session:
            found = reappearances(session, session.get_one(ReferralCase, case_id))
            alerts = session.scalars(select(AlertDelivery)).all()
        assert sorted((seen.url.rsplit("/", 1)[-1], seen.how) for seen in found) == [
            ("fundraising-copy", "near-duplicate"),
            ("new-poster.png", "same bytes"),
        ]
        (alert,) = alerts
        (reason,) = alert.payload["reasons"]
        assert reason["condition"] == "reappeared" and reason["referral"] == case_id
        assert reason["url"].endswith("/statements/fundraising")


def test_any_altered_byte_fails_verification(
    workspace: Workspace, tmp_path: Path, site_routes: dict[str, Route]
) -> None:
    with local_site(site_routes) as site:
        case_id = referred_case(workspace, site.base_url)
    output = tmp_path / "referral.zip"
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir).build(case, output)
    assert verify_package(output).ok
    with zipfile.ZipFile(output) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in members.items():
        for position in (0, len(data) // 2, len(data) - 1):
            altered = bytearray(data)
            altered[position] ^= 0x01
            tampered = tmp_path / "tampered.zip"
            with zipfile.ZipFile(tampered, "w") as archive:
                for other, content in members.items():
                    archive.writestr(other, bytes(altered) if other == name else content)
            assert not verify_package(tampered).ok, (name, position)
    raw = bytearray(output.read_bytes())
    raw[len(raw) // 3] ^= 0xFF
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(raw))
    assert not verify_package(broken).ok
    with zipfile.ZipFile(output) as archive, zipfile.ZipFile(tmp_path / "extra.zip", "w") as out:
        for name in archive.namelist():
            out.writestr(name, archive.read(name))
        out.writestr("content/unlisted", b"smuggled")
    assert "content/unlisted: in the package but not in the manifest" in (
        verify_package(tmp_path / "extra.zip").problems
    )


def test_the_package_quotes_the_documents_first_translation_after_a_rerun(
    workspace: Workspace, tmp_path: Path, site_routes: dict[str, Route]
) -> None:
    """A document translated twice packages its first translation every time: not whichever
    the database hands back first (an index order on SQLite; on PostgreSQL a row rewritten by
    a rerun moves behind the others)."""
    with local_site(site_routes) as site:
        case_id = referred_case(workspace, site.base_url)
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        (document_id,) = [item.document_id for item in case.items if item.document_id]
        query = select(Translation).where(Translation.document_id == document_id)
        (glossed,) = session.scalars(query)
        assert glossed.backend == "gloss"  # the translate stage's, made at ingest
        session.add(Translation(document_id=document_id, target_language="de", backend="another",
                                text="Eine zweite Übersetzung."))  # fmt: skip
    with workspace.database.session() as session:
        session.get_one(Translation, glossed.id).text = "The gloss, translated again."
    with workspace.database.session() as session:
        builder = PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir)
        builder.build(session.get_one(ReferralCase, case_id), tmp_path / "referral.zip")
    with zipfile.ZipFile(tmp_path / "referral.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    (document,) = [item["document"] for item in manifest["items"] if item["document"]]
    assert document["translation"] == "The gloss, translated again."
    assert document["translation_backend"] == "gloss"


def test_a_lost_capture_is_listed_and_never_stops_the_other_items(
    workspace: Workspace, tmp_path: Path, site_routes: dict[str, Route]
) -> None:
    with local_site(site_routes) as site:
        case_id = referred_case(workspace, site.base_url)
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        image = session.get_one(
            Capture, next(i.capture_id for i in case.items if i.document_id is None)
        )
        workspace.blobs.path_of(str(image.blob_key)).unlink()
        built = PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir).build(
            case, tmp_path / "referral.zip"
        )
    assert built.items == 1
    assert verify_package(tmp_path / "referral.zip").ok
    with zipfile.ZipFile(tmp_path / "referral.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [p["url"].rsplit("/", 1)[-1] for p in manifest["not_packaged"]] == ["poster.png"]


def test_platform_pages_for_removed_content_are_recognised(workspace: Workspace) -> None:
    rules = referral_rules()
    kept = page("قناة", '<div class="tgme_widget_message" data-post="example_channel/7">نص</div>')
    routes = {
        "/s/example_channel/7": html_route(kept),
        "/s/example_channel/8": html_route(kept),  # the preview shows other posts, not 8
        "/watch": html_route(b"<html><body><h1>Video unavailable</h1></body></html>"),
        "/status/1": Route(status=302, headers={"Location": "/i/flow/login"}),
        "/i/flow/login": html_route(b"<html><body>Sign in</body></html>"),
        "/gone": Route(status=451),
        "/slow": Route(status=500),
    }
    with local_site(routes) as site, Fetcher(workspace.settings) as fetcher:
        checker = LivenessChecker(fetcher, rules)

        def state(path: str, platform: str) -> str:
            return checker.observe(site.url(path), None, rules.platform(platform)).state

        assert state("/s/example_channel/7", "telegram") == "changed"  # up, other bytes
        assert state("/s/example_channel/8", "telegram") == "removed"
        assert state("/watch", "youtube") == "removed"
        assert state("/status/1", "x") == "removed"
        assert state("/gone", "website") == "removed"
        assert state("/slow", "website") == "unreachable"
    assert rules.platform_of_url("https://t.me/s/channel/5").key == "telegram"
    assert rules.platform_of_url("https://www.youtube.com/watch?v=x").key == "youtube"
    assert rules.platform_of_url("https://example.org/a").key == "website"


def test_bad_requests_are_clear_errors(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        desk = ReferralDesk(session)
        with pytest.raises(ReferralError, match="unknown reason 'spam'"):
            desk.open_case("spam", capture_ids=[1])
        with pytest.raises(ReferralError, match="at least one capture"):
            desk.open_case("incitement")
        with pytest.raises(ReferralError, match="no capture 999"):
            desk.open_case("incitement", capture_ids=[999])
