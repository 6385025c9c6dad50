"""Fixtures of the web tests: the synthetic workspace (per module, on SQLite and PostgreSQL),
a signed-in API client per role, and the served app with a browser (`tests/web/browser.py`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from marsad.web.app import create_app
from tests.web.browser import browser, served  # noqa: F401 (the browser tests' fixtures)
from tests.web.corpus import PASSWORDS, WebHome, web_home


@pytest.fixture(scope="module")
def home(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebHome]:
    with web_home(backend, tmp_path_factory.mktemp("web")) as built:
        yield built


@pytest.fixture(scope="module")
def app_client(home: WebHome) -> Iterator[TestClient]:
    with TestClient(create_app(home.workspace)) as client:
        yield client


class Signed:
    """A client signed in as one role, sending its CSRF token with every write."""

    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    def get(self, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.get(url, **kwargs)  # type: ignore[arg-type]

    def send(self, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        headers = {"X-CSRF-Token": self.csrf, **dict(kwargs.pop("headers", {}) or {})}  # type: ignore[call-overload]
        return self.client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]


def sign_in(home: WebHome, role: str) -> Signed:
    client = TestClient(create_app(home.workspace))
    answer = client.post("/api/v1/session", json={"username": role, "password": PASSWORDS[role]})
    assert answer.status_code == 200, answer.text
    return Signed(client, answer.json()["csrf_token"])


@pytest.fixture(scope="module")
def admin(home: WebHome) -> Signed:
    return sign_in(home, "admin")


@pytest.fixture(scope="module")
def analyst(home: WebHome) -> Signed:
    return sign_in(home, "analyst")


@pytest.fixture(scope="module")
def viewer(home: WebHome) -> Signed:
    return sign_in(home, "viewer")
