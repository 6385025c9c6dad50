"""Fixtures of the referral tests."""

import pytest

from tests.referral.site import faction_site
from tests.webserver import Route


@pytest.fixture
def site_routes() -> dict[str, Route]:
    return faction_site()
