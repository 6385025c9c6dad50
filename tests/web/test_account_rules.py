"""Account rules (adversarial probe, item 12 and the last admin): weak passwords are refused
with a reason, and the last enabled admin can neither demote nor disable itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.errors import AccountError
from marsad.web.accounts import create_user
from marsad.web.app import create_app
from marsad.workspace import Workspace
from tests.conftest import workspace_for
from tests.web.conftest import Signed

pytestmark = pytest.mark.adversarial

ADMIN_PASSWORD = "a-long-admin-passphrase"


@pytest.fixture
def admin(backend: str, tmp_path: Path) -> Iterator[tuple[Signed, Workspace]]:
    with workspace_for(backend, tmp_path) as workspace:
        with workspace.database.session() as session:
            create_user(session, "chief", ADMIN_PASSWORD, "admin")
        client = TestClient(create_app(workspace))
        answer = client.post(
            "/api/v1/session", json={"username": "chief", "password": ADMIN_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        yield Signed(client, answer.json()["csrf_token"]), workspace


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("            ", "only spaces"),
        ("\t\t\t\t\t\t\t\t\t\t", "only spaces"),
        ("zzzzzzzzzzzz", "repeated"),
        ("abcabcabcabc", "repeated"),
        ("1234567890", "most common"),
        ("qwertyuiop", "most common"),
        ("password1234", "most common"),
        ("Reader-Name", "the user name"),
        ("asdfghjkl;'", "password refused"),  # a keyboard walk
        ("short", "at least 10"),
    ],
)
def test_weak_passwords_are_refused(
    admin: tuple[Signed, Workspace], password: str, reason: str
) -> None:
    signed, _workspace = admin
    body = {"username": "reader-name", "role": "viewer", "password": password}
    answer = signed.send("POST", "/api/v1/users", json=body)
    assert answer.status_code == 422 and reason in answer.json()["detail"], answer.text
    names = {u["username"] for u in signed.get("/api/v1/users").json()["items"]}
    assert "reader-name" not in names


def test_a_strong_password_and_a_generated_one_are_accepted(
    admin: tuple[Signed, Workspace],
) -> None:
    signed, _workspace = admin
    body = {"username": "reader", "role": "viewer", "password": "quiet river under stone"}
    assert signed.send("POST", "/api/v1/users", json=body).status_code == 201
    generated = signed.send("POST", "/api/v1/users", json={"username": "r2", "role": "viewer"})
    assert generated.status_code == 201 and generated.json()["password"]


def test_the_cli_refuses_a_weak_password_too(admin: tuple[Signed, Workspace]) -> None:
    _signed, workspace = admin
    with workspace.database.session() as session, pytest.raises(AccountError, match="common"):
        create_user(session, "someone", "iloveyou12", "analyst")


def test_the_last_admin_cannot_demote_or_disable_itself(
    admin: tuple[Signed, Workspace],
) -> None:
    signed, _workspace = admin
    me = signed.get("/api/v1/session").json()["user"]["id"]
    for change in ({"role": "analyst"}, {"disabled": True}, {"role": "viewer", "disabled": True}):
        answer = signed.send("PATCH", f"/api/v1/users/{me}", json=change)
        assert answer.status_code == 422, answer.text
        assert "last enabled admin" in answer.json()["detail"]
    user = {u["id"]: u for u in signed.get("/api/v1/users").json()["items"]}[me]
    assert (user["role"], user["disabled"]) == ("admin", False)
    # With a second admin, the first may step down.
    body = {"username": "deputy", "role": "admin", "password": "quiet river under stone"}
    assert signed.send("POST", "/api/v1/users", json=body).status_code == 201
    answer = signed.send("PATCH", f"/api/v1/users/{me}", json={"role": "analyst"})
    assert answer.status_code == 200 and answer.json()["role"] == "analyst"
