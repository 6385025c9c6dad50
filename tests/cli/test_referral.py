"""`marsad referral …` as an analyst runs it, against a real local server."""

from __future__ import annotations

from pathlib import Path

from marsad.pipeline.ingest import Ingestor
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.referral.site import STATEMENT, html_route, page
from tests.webserver import Route, local_site


def test_open_package_verify_send_watch_and_stats(workspace: Workspace, tmp_path: Path) -> None:
    settings = workspace.settings
    routes = {"/statement": html_route(page("بيان", STATEMENT))}
    with local_site(routes) as site:
        summary = Ingestor(workspace).ingest([site.url("/statement")], "faction site")
        (document_id,) = summary.document_ids
        opened = marsad_for(
            settings,
            "referral",
            "open",
            "--reason",
            "fundraising",
            "--document",
            str(document_id),
            "--notes",
            "Donation drive",
        )
        assert "referral 1: 1 item(s) to website (fundraising), draft" in opened.stdout
        package = tmp_path / "case-1.zip"
        marsad_for(settings, "referral", "package", "1", "-o", str(package))
        assert "ok (1 items" in marsad_for(settings, "referral", "verify", str(package)).stdout
        marsad_for(
            settings,
            "referral",
            "send",
            "1",
            "--package",
            str(package),
            "--to",
            "abuse@host.example",
        )
        site.routes["/statement"] = Route(status=410)
        loopback = {"MARSAD_FETCH_ALLOW_LOOPBACK": "1"}  # the test site is on 127.0.0.1
        watched = marsad_for(settings, "referral", "watch", "--force", extra_env=loopback).stdout
        assert "removed" in watched and "HTTP 410" in watched
    shown = marsad_for(settings, "referral", "show", "1").stdout
    assert "referral 1 to website (fundraising): removed" in shown
    assert "referral.deliver" in shown and "referral.status" in shown
    stats = marsad_for(settings, "referral", "stats").stdout
    assert "website" in stats and "100%" in stats

    package.write_bytes(package.read_bytes()[:-10])
    broken = marsad_for(settings, "referral", "verify", str(package), check=False)
    assert broken.returncode == 1 and "not a readable zip" in broken.stdout
    unknown = marsad_for(
        settings, "referral", "open", "--reason", "spam", "--capture", "1", check=False
    )
    assert unknown.returncode == 1 and "unknown reason 'spam'" in unknown.stderr
    assert "reason fundraising" in marsad_for(settings, "referral", "policies").stdout
