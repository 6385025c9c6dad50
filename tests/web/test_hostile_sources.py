"""A web admin cannot make Marsad capture host files (adversarial probe, item 1): file
sources only inside the operator's import folder, never inside MARSAD_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from marsad.store.models import Source
from marsad.web.accounts import create_user
from marsad.web.app import create_app
from marsad.workspace import Workspace
from tests.conftest import workspace_for
from tests.web.conftest import Signed

pytestmark = pytest.mark.adversarial


def _admin(workspace: Workspace) -> Signed:
    with workspace.database.session() as session:
        create_user(session, "root-admin", "a-long-admin-passphrase", "admin")
    client = TestClient(create_app(workspace))
    answer = client.post(
        "/api/v1/session", json={"username": "root-admin", "password": "a-long-admin-passphrase"}
    )
    assert answer.status_code == 200, answer.text
    return Signed(client, answer.json()["csrf_token"])


@pytest.fixture
def imports(tmp_path: Path) -> Path:
    folder = tmp_path / "imports"
    (folder / "channel").mkdir(parents=True)
    (folder / "channel" / "result.json").write_text('{"messages": []}', encoding="utf-8")
    (folder / "outside").symlink_to("/etc")
    return folder


@pytest.fixture
def admin_with_imports(tmp_path: Path, imports: Path) -> Iterator[tuple[Signed, Workspace]]:
    # The import folder is the parent of the home, so "inside MARSAD_HOME" is checked on its own.
    key = tmp_path / "imports" / "keys" / "custody.key"
    overrides = {"web_import_dir": str(tmp_path), "custody_key_file": str(key)}
    with workspace_for("sqlite", tmp_path, **overrides) as workspace:
        yield _admin(workspace), workspace


@pytest.fixture
def admin_without_imports(tmp_path: Path) -> Iterator[tuple[Signed, Workspace]]:
    with workspace_for("sqlite", tmp_path) as workspace:
        yield _admin(workspace), workspace


def _add(admin: Signed, kind: str, locator: str, name: str = "probe"):  # type: ignore[no-untyped-def]
    body = {"kind": kind, "locator": locator, "name": name, "every": "1h"}
    return admin.send("POST", "/api/v1/sources", json=body)


def _source_names(workspace: Workspace) -> list[str]:
    with workspace.database.session() as session:
        return list(session.scalars(select(Source.name)))


@pytest.mark.parametrize("kind", ["files", "warc", "telegram-export"])
def test_file_sources_are_refused_without_an_import_folder(
    admin_without_imports: tuple[Signed, Workspace], kind: str
) -> None:
    admin, workspace = admin_without_imports
    answer = _add(admin, kind, "/proc/self/environ")
    assert answer.status_code == 422
    assert "MARSAD_WEB_IMPORT_DIR" in answer.json()["detail"]
    assert _source_names(workspace) == []


def test_network_sources_are_still_added(admin_without_imports: tuple[Signed, Workspace]) -> None:
    admin, workspace = admin_without_imports
    assert _add(admin, "feed", "https://news.example/rss", "feed").status_code == 201
    assert _add(admin, "telegram", "some_channel", "channel").status_code == 201
    assert sorted(_source_names(workspace)) == ["channel", "feed"]


def test_the_sources_page_offers_network_kinds_only(
    admin_without_imports: tuple[Signed, Workspace],
) -> None:
    admin, _workspace = admin_without_imports
    page = admin.get("/sources").text
    assert "<option>web</option>" in page and "<option>files</option>" not in page


@pytest.mark.parametrize(
    "locator",
    [
        "/proc/self/environ",
        "/etc/passwd",
        "{home}/web-secret",
        "{home}",
        "{imports}/keys",  # the folder holding the custody key
        "{imports}/outside/hostname",  # a link inside the folder pointing out of it
        "{imports}/../home/marsad.db",
        "../../../../etc/passwd",  # relative paths are taken inside the import folder
    ],
)
def test_host_files_are_refused(
    admin_with_imports: tuple[Signed, Workspace], imports: Path, locator: str
) -> None:
    admin, workspace = admin_with_imports
    path = locator.format(home=workspace.settings.home, imports=imports)
    answer = _add(admin, "files", path)
    assert answer.status_code == 422, answer.text
    assert _source_names(workspace) == []


def test_a_path_inside_the_import_folder_is_added_resolved(
    admin_with_imports: tuple[Signed, Workspace], imports: Path
) -> None:
    admin, _workspace = admin_with_imports
    answer = _add(admin, "telegram-export", f"{imports}/channel/../channel/result.json")
    assert answer.status_code == 201, answer.text
    assert answer.json()["locator"] == str((imports / "channel" / "result.json").resolve())


def test_the_sources_form_refuses_a_host_file(
    admin_with_imports: tuple[Signed, Workspace],
) -> None:
    admin, workspace = admin_with_imports
    form = {
        "kind": "files",
        "locator": "/proc/self/environ",
        "name": "probe",
        "every": "1h",
        "csrf_token": admin.csrf,
    }
    answer = admin.client.post("/sources", data=form)
    assert answer.status_code == 422
    assert "outside the import folder" in answer.text
    assert _source_names(workspace) == []
