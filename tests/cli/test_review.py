"""`marsad review list|confirm|reject` as an analyst runs them: real processes on the home and
database (SQLite, PostgreSQL) of a test's workspace."""

import json
from pathlib import Path

from sqlalchemy import select

from marsad.store.models import AuditLog
from marsad.workspace import Workspace
from tests.commandline import marsad_for

ARABIC = "خبر محلي\nقال القيادي أحمد سالم يوم الاثنين إن كتائب النور الجديد ستشارك في اللجنة.\n"
ENGLISH = (
    "Local news\nOn Monday the commander Samir Haddad said the Dawn Brigades would attend "
    "the talks in Baghdad. In 2024 the Committee held 12 meetings.\n"
)


def ingest(workspace: Workspace, tmp_path: Path) -> None:
    for name, language, text in (("ar.txt", "ar", ARABIC), ("en.txt", "en", ENGLISH)):
        page = tmp_path / name
        page.write_text(text, encoding="utf-8")
        marsad_for(workspace.settings, "ingest", str(page), "--lang", language)


def listed(workspace: Workspace, *options: str) -> list[str]:
    """The name lines of `marsad review` (without their example lines)."""
    out = marsad_for(workspace.settings, "review", *options).stdout.splitlines()
    return [" ".join(line.split()) for line in out if line[:5].strip().isdigit()]


def mention_surfaces(workspace: Workspace) -> dict[str, str | None]:
    out = marsad_for(workspace.settings, "export", "mentions", "--format", "jsonl").stdout
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {record["surface"]: record["entity_id"] for record in records}


def test_list_then_reject_and_confirm_survive_a_forced_rerun(
    workspace: Workspace, tmp_path: Path
) -> None:
    ingest(workspace, tmp_path)
    assert sorted(listed(workspace)) == [
        "1 organization Dawn Brigades [en]",
        "1 organization كتائب النور الجديد [ar]",
        "1 person Samir Haddad [en]",
        "1 person أحمد سالم [ar]",
    ]
    out = marsad_for(workspace.settings, "review", "list", "--kind", "person", "--limit", "5")
    assert "“On Monday the commander Samir Haddad said the Dawn Brigades would attend" in out.stdout
    assert "review: 2 names shown" in out.stdout

    rejected = marsad_for(workspace.settings, "review", "reject", "Dawn Brigades")
    assert "rejected 'Dawn Brigades' as organization" in rejected.stdout
    confirmed = marsad_for(
        workspace.settings, "review", "confirm", "أحمد سالم", "--kind", "person",
        "--name", "Ahmad Salem",
    )  # fmt: skip
    assert "added person marsad-person-ahmad-salem" in confirmed.stdout
    assert sorted(listed(workspace)) == [
        "1 organization كتائب النور الجديد [ar]",
        "1 person Samir Haddad [en]",
    ]

    marsad_for(workspace.settings, "run", "--force")
    mentions = mention_surfaces(workspace)
    assert "Dawn Brigades" not in mentions
    assert mentions["أحمد سالم"] == "marsad-person-ahmad-salem"
    assert mentions["Samir Haddad"] is None  # still waiting for a verdict
    assert len(listed(workspace)) == 2
    shown = marsad_for(workspace.settings, "kb", "show", "Ahmad Salem").stdout
    assert "ar: أحمد سالم" in shown
    with workspace.database.session() as session:
        actions = session.execute(
            select(AuditLog.action, AuditLog.target_id).where(AuditLog.action.like("review.%"))
        ).all()
    assert sorted(actions) == [("review.confirm", "احمد سالم"), ("review.reject", "dawn brigades")]


def test_confirm_with_an_existing_id_adds_an_alias(workspace: Workspace, tmp_path: Path) -> None:
    marsad_for(workspace.settings, "kb", "add", "person", "Samir Haddad", "--id", "test-haddad")
    confirmed = marsad_for(
        workspace.settings, "review", "confirm", "سمير حداد", "--kind", "person", "--id",
        "test-haddad",
    )  # fmt: skip
    assert "added as an alias of person test-haddad" in confirmed.stdout
    assert "ar: سمير حداد" in marsad_for(workspace.settings, "kb", "show", "test-haddad").stdout


def test_bad_input_is_one_clear_line(workspace: Workspace) -> None:
    for args, message in (
        (("confirm", "Samir Haddad", "--kind", "place"), "expected one of person, organization"),
        (("reject", "12 34"), "is not a name"),
        (("list", "--kind", "people"), "expected one of person, organization"),
    ):
        result = marsad_for(workspace.settings, "review", *args, check=False)
        assert result.returncode == 1, args
        assert message in result.stderr and "Traceback" not in result.stderr, args
