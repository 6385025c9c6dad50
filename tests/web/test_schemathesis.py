"""A bounded schemathesis run against the API's own OpenAPI schema, signed in as an admin, on
SQLite and PostgreSQL: whatever it sends (huge ids, NUL characters, odd dates, wrong bodies),
the API answers with a 2xx/4xx, never a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from marsad.web.app import create_app
from marsad.web.sessions import SESSION_COOKIE
from tests.web.conftest import Signed
from tests.web.corpus import WebHome


@pytest.fixture(scope="module")
def api_schema(home: WebHome) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(home.workspace))
    # Signing out or disabling the fuzzing account would only end the run early.
    return schema.exclude(path="/api/v1/session", method="DELETE").exclude(
        path_regex=r"^/api/v1/users/", method="PATCH"
    )


@pytest.mark.slow
def test_the_api_never_answers_with_a_server_error(
    api_schema: schemathesis.BaseSchema, admin: Signed
) -> None:
    cookie = admin.client.cookies.get(SESSION_COOKIE)
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}", "X-CSRF-Token": admin.csrf}
    server_errors: list[str] = []
    succeeded: list[str] = []  # proves the run stayed signed in
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def fuzz(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            if response.status_code < 300:
                succeeded.append(case.path)
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        fuzz()
    assert operations >= 25
    assert server_errors == []
    assert len(set(succeeded)) >= 15
