"""Sign-in throttling on SQLite and PostgreSQL: too many failures for a name answer 429."""

from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from marsad.store.models import AuditLog, utcnow
from marsad.web.accounts import create_user
from marsad.web.throttle import SIGN_IN_REFUSED, SignInThrottle
from tests.web.corpus import WebHome

PASSWORD = "throttle-password-1"
ATTEMPTS = 5  # MARSAD_WEB_SIGNIN_ATTEMPTS' default


def new_user(home: WebHome) -> str:
    name = f"user-{uuid.uuid4().hex[:8]}"
    with home.workspace.database.session() as session:
        create_user(session, name, PASSWORD, "analyst")
    return name


def sign_in(client: TestClient, name: str, password: str) -> int:
    answer = client.post("/api/v1/session", json={"username": name, "password": password})
    return answer.status_code


def test_too_many_failures_refuse_even_the_right_password_for_a_while(
    app_client: TestClient, home: WebHome
) -> None:
    name, bystander = new_user(home), new_user(home)
    assert [sign_in(app_client, name, "wrong password!") for _ in range(ATTEMPTS)] == [401] * 5
    refused = app_client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "try again in 15 min" in refused.json()["detail"]
    assert sign_in(app_client, name.upper(), PASSWORD) == 429  # the name as sign-in reads it
    assert sign_in(app_client, bystander, PASSWORD) == 200
    with home.workspace.database.session() as session:
        refusals = session.scalars(
            select(AuditLog).where(AuditLog.action == SIGN_IN_REFUSED, AuditLog.target_id == name)
        ).all()
        assert len(refusals) == 2
        throttle = SignInThrottle(ATTEMPTS, timedelta(minutes=15))
        assert throttle.retry_after(session, name) > 0
        assert throttle.retry_after(session, name, utcnow() + timedelta(minutes=16)) == 0


def test_unknown_names_are_throttled_like_known_ones(app_client: TestClient) -> None:
    unknown = f"nobody-{uuid.uuid4().hex[:8]}"
    answers = [sign_in(app_client, unknown, "wrong password!") for _ in range(ATTEMPTS + 1)]
    assert answers == [401] * ATTEMPTS + [429]


def test_a_successful_sign_in_starts_the_count_afresh(
    app_client: TestClient, home: WebHome
) -> None:
    name = new_user(home)
    for _ in range(2):
        failures = [sign_in(app_client, name, "wrong password!") for _ in range(ATTEMPTS - 1)]
        assert failures == [401] * (ATTEMPTS - 1)
        assert sign_in(app_client, name, PASSWORD) == 200


def test_the_sign_in_page_says_why_it_refuses(app_client: TestClient, home: WebHome) -> None:
    name = new_user(home)
    for attempt in range(ATTEMPTS + 1):
        form = app_client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token is not None
        answer = app_client.post(
            "/login",
            data={"username": name, "password": "wrong password!", "login_token": token[1]},
            follow_redirects=False,
        )
        assert answer.status_code == (429 if attempt == ATTEMPTS else 401)
    assert "Too many failed sign-ins for this user name: try again in 15 min." in answer.text


def test_guesses_sent_at_once_are_counted_one_by_one(app_client: TestClient, home: WebHome) -> None:
    """Twelve wrong passwords at the same moment: five are checked, the others refused."""
    name = new_user(home)
    start = threading.Barrier(12)

    def guess(_number: int) -> int:
        with TestClient(app_client.app) as client:
            start.wait()
            return sign_in(client, name, "wrong password!")

    with ThreadPoolExecutor(12) as pool:
        answers = sorted(pool.map(guess, range(12)))
    assert answers == [401] * ATTEMPTS + [429] * (12 - ATTEMPTS)
