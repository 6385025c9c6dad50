"""`marsad alerts ...` as an analyst runs them: add a rule, ingest, see it fire, deliver to a
receiver that is down, then redeliver when it is up; every action in the audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.alert.channels import SIGNATURE_HEADER, signature_matches
from marsad.store.models import AuditLog, Entity
from marsad.workspace import Workspace
from tests.alert.receiver import Receiver
from tests.alert.test_delivery import free_port
from tests.commandline import marsad_for

STATEMENT = "أصدرت حركة النجباء بياناً حول الاجتماع الذي عُقد في بغداد يوم الخميس.\n"
FAST_RETRIES = {"MARSAD_ALERT_RETRY_BACKOFF": "0.01", "MARSAD_ALERT_ATTEMPTS": "2"}


@pytest.mark.slow  # ten real `marsad` processes
def test_add_ingest_deliver_redeliver(workspace: Workspace, tmp_path: Path) -> None:
    settings = workspace.settings
    with workspace.database.session() as session:
        session.add(Entity(id="org-nujaba", kind="organization", name="Harakat al-Nujaba"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    added = marsad_for(settings, "alerts", "add", "Nujaba statements", "--entity",
                       "Harakat al-Nujaba", "--keyword", "بيان", "--webhook", url,
                       "--secret", "cli-secret").stdout  # fmt: skip
    assert "added alert rule 1 'Nujaba statements'" in added
    assert "entities=org-nujaba" in added and "keywords=بيان" in added
    page = tmp_path / "statement.txt"
    page.write_text(STATEMENT, encoding="utf-8")
    marsad_for(settings, "ingest", str(page), "--lang", "ar")
    # The KB has no alias for the group, so the entity condition fails and nothing fires
    # until the analyst adds the group's Arabic name and the link stage runs again.
    marsad_for(settings, "kb", "add", "organization", "Harakat al-Nujaba", "--id", "org-nujaba",
               "--alias", "ar:حركة النجباء")  # fmt: skip
    marsad_for(settings, "run", "--stage", "link", "--stage", "alerts", "--force")
    tested = marsad_for(settings, "alerts", "test", "1").stdout
    assert "rule 1 matches 1 document(s)" in tested and "“حركة النجباء”" in tested
    listed = marsad_for(settings, "alerts", "deliveries", "--status", "pending").stdout
    assert "document 1" in listed and "1 deliveries shown" in listed
    delivered = marsad_for(settings, "alerts", "deliver", extra_env=FAST_RETRIES).stdout
    assert "0 delivered" in delivered and "1 dead-lettered" in delivered
    dead = marsad_for(settings, "alerts", "deliveries", "--status", "dead").stdout
    assert "ConnectError" in dead
    receiver = Receiver(port=port).start()
    try:
        again = marsad_for(settings, "alerts", "redeliver", extra_env=FAST_RETRIES).stdout
        assert "redelivering 1 alert(s): 1 delivered" in again
        (request,) = receiver.received
        assert signature_matches("cli-secret", request.body, request.headers[SIGNATURE_HEADER])
        assert json.loads(request.body)["reasons"][0]["surface"] == "حركة النجباء"
    finally:
        receiver.stop()
    rules = marsad_for(settings, "alerts", "list").stdout
    assert "Nujaba statements" in rules and "1 alert rules" in rules
    marsad_for(settings, "alerts", "disable", "1")
    with workspace.database.session() as session:
        actions = [
            entry.action for entry in session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]
    assert [a for a in actions if a.startswith("alerts.")] == [
        "alerts.add", "alerts.redeliver", "alerts.disable",
    ]  # fmt: skip


def test_a_rule_added_at_the_shell_can_land_in_a_web_users_inbox(workspace: Workspace) -> None:
    from marsad.store.models import AlertRule
    from marsad.web.accounts import create_user

    with workspace.database.session() as session:
        owner_id = create_user(session, "rania", "a long passphrase 4 tests", "analyst").id
    hook = "http://127.0.0.1:9/hook"
    added = marsad_for(workspace.settings, "alerts", "add", "for rania", "--keyword", "بيان",
                       "--webhook", hook, "--owner", "Rania").stdout  # fmt: skip
    assert "added alert rule" in added and "webhook secret" in added
    with workspace.database.session() as session:
        (rule,) = session.scalars(select(AlertRule)).all()
        assert rule.owner_id == owner_id
    unknown = marsad_for(workspace.settings, "alerts", "add", "x", "--keyword", "y", "--webhook",
                         hook, "--owner", "nobody", check=False)  # fmt: skip
    assert unknown.returncode != 0 and "no user named 'nobody'" in unknown.stderr + unknown.stdout
