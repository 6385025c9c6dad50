"""`marsad referral …`: flag captured content to a platform, package it, watch whether it goes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from marsad.cli.console import console, escape
from marsad.cli.preserve import analyst
from marsad.errors import ReferralError

referral_app = typer.Typer(
    help="Referrals to platforms: flag captures, build a verifiable package, record its "
    "delivery, and watch whether the content is taken down."
)
CaseArgument = Annotated[int, typer.Argument(help="Referral case id.")]


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def open_case(
    reason: Annotated[str, typer.Option("--reason", help="Policy key (see `referral policies`).")],
    capture: Annotated[
        list[int] | None, typer.Option("--capture", help="Capture id to refer (repeatable).")
    ] = None,
    document: Annotated[
        list[int] | None, typer.Option("--document", help="Document id to refer (repeatable).")
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="Platform key; default: from the URL.")
    ] = None,
    notes: Annotated[str, typer.Option("--notes", help="Free text for the platform.")] = "",
) -> None:
    """Open a draft referral case for captures and documents."""
    from marsad.referral.cases import ReferralDesk
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        case = ReferralDesk(session).open_case(
            reason, capture or [], document or [], platform, notes, analyst()
        )
        console.print(
            f"referral {case.id}: {len(case.items)} item(s) to {case.platform} ({case.reason}), "
            "draft",
            markup=False,
        )


def list_cases(
    platform: Annotated[str | None, typer.Option("--platform")] = None,
    status: Annotated[str | None, typer.Option("--status")] = None,
) -> None:
    """Referral cases, newest first: platform, reason, status, items removed."""
    from sqlalchemy import select

    from marsad.store.models import ReferralCase
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        query = select(ReferralCase).order_by(ReferralCase.id.desc())
        if platform:
            query = query.where(ReferralCase.platform == platform)
        if status:
            query = query.where(ReferralCase.status == status)
        table = Table("id", "platform", "reason", "status", "sent", "removed")
        for case in session.scalars(query):
            removed = sum(1 for item in case.items if item.removed_at is not None)
            sent = case.sent_at.strftime("%Y-%m-%d %H:%M") if case.sent_at else "—"
            table.add_row(
                str(case.id),
                case.platform,
                case.reason,
                case.status,
                sent,
                f"{removed}/{len(case.items)}",
            )
        console.print(table)


def show(case_id: CaseArgument) -> None:
    """A case: its items with their latest state, deliveries and full history."""
    from marsad.referral.cases import ReferralDesk
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        desk = ReferralDesk(session)
        case = desk.case(case_id)
        console.print(
            f"referral {case.id} to {case.platform} ({case.reason}): {case.status}", markup=False
        )
        for item in case.items:
            removed = f", removed {item.removed_at:%Y-%m-%d %H:%M}" if item.removed_at else ""
            console.print(f"  {item.state:<11} {item.url}{removed}", markup=False)
        for entry in desk.history(case):
            console.print(
                f"  {entry.at:%Y-%m-%d %H:%M} {entry.action} {entry.details}", markup=False
            )


def package(
    case_id: CaseArgument,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .zip to write.")],
) -> None:
    """Build the case's verifiable package (summary, manifest, content, WARC, STIX)."""
    from marsad.referral.cases import ReferralDesk
    from marsad.referral.package import PackageBuilder
    from marsad.store.models import AuditLog
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        case = ReferralDesk(session).case(case_id)
        built = PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir).build(
            case, output
        )
        session.add(
            AuditLog(
                action="referral.package",
                target_kind="referral",
                target_id=str(case.id),
                details={"by": analyst(), "path": str(output), "sha256": built.sha256},
            )
        )
    console.print(f"{output}: {built.items} item(s), {built.files} files, sha256 {built.sha256}")


def send(
    case_id: CaseArgument,
    package_path: Annotated[Path, typer.Option("--package", help="The package to send.")],
    to: Annotated[
        str, typer.Option("--to", help="E-mail address, webhook URL, or where it was uploaded.")
    ],
    channel: Annotated[
        str, typer.Option("--channel", help="email, webhook, or manual (uploaded by hand).")
    ] = "manual",
    secret: Annotated[
        str | None, typer.Option("--secret", help="HMAC secret of the webhook receiver.")
    ] = None,
) -> None:
    """Send the package (e-mail, webhook) or record its manual upload; removal time counts
    from now."""
    from marsad.referral.cases import ReferralDesk
    from marsad.referral.delivery import send_package, verified_sha256
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        desk = ReferralDesk(session)
        case = desk.case(case_id)
        if channel == "manual":
            digest = verified_sha256(package_path)
        else:
            digest = send_package(workspace.settings, case, package_path, channel, to, secret)
        desk.record_delivery(case, channel, to, digest, analyst())
    console.print(f"referral {case_id}: sent via {channel} to {to}", markup=False)


def set_status(
    case_id: CaseArgument,
    status: Annotated[str, typer.Argument(help="acknowledged, rejected, still_online, ...")],
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:
    """Record the platform's answer (or any status change) in the case and its history."""
    from marsad.referral.cases import ReferralDesk
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        desk = ReferralDesk(session)
        desk.set_status(desk.case(case_id), status, analyst(), note)
    console.print(f"referral {case_id}: {status}", markup=False)


def verify(
    package_path: Annotated[Path, typer.Argument(help="A referral package (.zip).")],
) -> None:
    """Re-check every hash of a package; exits 1 on any difference."""
    from marsad.referral.package import verify_package

    check = verify_package(package_path)
    for problem in check.problems:
        console.print(f"  [red]FAIL[/red] {escape(problem)}", markup=True)
    if not check.ok:
        raise ReferralError(f"{package_path}: {len(check.problems)} problem(s)")
    console.print(f"{package_path}: ok ({check.items} items, {check.files} files)")


def watch(
    force: Annotated[bool, typer.Option("--force", help="Check every watched item now.")] = False,
) -> None:
    """Re-check referred URLs that are due; report removals and reappearances elsewhere."""
    from marsad.collect.fetcher import Fetcher
    from marsad.referral.liveness import CHECK_EVERY, LivenessChecker, LivenessWatch
    from marsad.referral.reappear import reappearances
    from marsad.store.models import ReferralCase, utcnow
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        every = workspace.settings.value_of(CHECK_EVERY)
        now = utcnow()
        with Fetcher(workspace.settings) as fetcher:
            watcher = LivenessWatch(session, LivenessChecker(fetcher))
            items = watcher.due_items(timedelta(0) if force else every, now)
            for item in items:
                check = watcher.check(item, now)
                console.print(f"  {check.state:<11} {item.url}: {check.detail}", markup=False)
        cases = {item.case_id for item in items}
        for case_id in sorted(cases):
            case = session.get_one(ReferralCase, case_id)
            for seen in reappearances(session, case):
                console.print(
                    f"  [yellow]reappeared[/yellow] referral {case.id}: {escape(seen.url)} "
                    f"({escape(seen.how)} as {escape(seen.referred_url)})",
                    markup=True,
                )
    console.print(f"watch: {len(items)} item(s) checked")


def stats(
    platform: Annotated[str | None, typer.Option("--platform")] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="Sent since.")
    ] = None,
) -> None:
    """Per platform: referrals, removal rate, median and p90 time to removal, longest online."""
    from marsad.referral.stats import referral_stats
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        rows = referral_stats(session, platform, since.replace(tzinfo=UTC) if since else None)
    table = Table("platform", "cases", "items", "removed", "rate", "median", "p90")
    for row in rows:
        table.add_row(
            row.platform,
            str(row.cases),
            str(row.items),
            str(row.removed),
            f"{row.removal_rate:.0%}",
            _hours(row.median_hours),
            _hours(row.p90_hours),
        )
    console.print(table)
    for row in rows:
        for item in row.longest_online():
            console.print(
                f"  still online {item.days:.1f} days ({row.platform}, referral {item.case_id}): "
                f"{item.url}",
                markup=False,
            )


def policies() -> None:
    """The platforms and the reasons a referral can give (data/referrals.yaml)."""
    from marsad.referral.platforms import referral_rules

    rules = referral_rules()
    for key, platform in sorted(rules.platforms.items()):
        console.print(f"platform {key}: {platform.name}", markup=False)
    for key, policy in sorted(rules.policies.items()):
        console.print(f"reason {key}: {policy.label}", markup=False)
