"""Alert delivery settings: read from the environment, checked, and documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.alert.settings import ALERT_SETTINGS, DeliverySettings
from marsad.cli.app import app
from marsad.config import Settings
from marsad.errors import ConfigError

DOCS = Path(__file__).parents[2] / "docs"


def test_every_alert_setting_and_subcommand_is_documented() -> None:
    settings_doc = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert [s.env_var for s in ALERT_SETTINGS if f"`{s.env_var}`" not in settings_doc] == []
    cli_doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    groups = {group.name: group.typer_instance for group in app.registered_groups}
    for group in ("alerts", "report"):
        instance = groups[group]
        assert instance is not None
        names = [command.name for command in instance.registered_commands]
        assert names and [n for n in names if f"`marsad {group} {n}" not in cli_doc] == []


def test_settings_are_read_and_checked() -> None:
    env = {"MARSAD_HOME": "/tmp/marsad-alert-settings", "MARSAD_SMTP_PORT": "587",
           "MARSAD_SMTP_STARTTLS": "yes", "MARSAD_ALERT_ATTEMPTS": "7"}  # fmt: skip
    settings = DeliverySettings.from_settings(Settings.from_env(env))
    assert (settings.attempts, settings.smtp.port, settings.smtp.starttls) == (7, 587, True)
    with pytest.raises(ConfigError, match="MARSAD_SMTP_PORT"):
        DeliverySettings.from_settings(Settings.from_env({**env, "MARSAD_SMTP_PORT": "70000"}))
