"""The documentation names every command, setting and stage that exists."""

from pathlib import Path

import pytest

from marsad.cli.app import app
from marsad.config import CORE_SETTINGS
from marsad.export.records import EXPORT_FIELDS
from marsad.pipeline.registry import StageRegistry

DOCS = Path(__file__).parents[1] / "docs"


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [c.name or c.callback.__name__ for c in app.registered_commands],  # type: ignore[union-attr]
)
def test_every_command_is_documented(command: str) -> None:
    assert f"## `marsad {command}" in doc("cli.md")


def test_every_setting_is_documented() -> None:
    settings = list(CORE_SETTINGS)
    for stage in StageRegistry.from_entry_points().ordered():
        settings.extend(stage.settings)
    missing = [s.env_var for s in settings if f"`{s.env_var}`" not in doc("settings.md")]
    assert missing == []


def test_every_worker_setting_is_documented() -> None:
    from marsad.workers.settings import WORKER_SETTINGS

    missing = [s.env_var for s in WORKER_SETTINGS if f"`{s.env_var}`" not in doc("settings.md")]
    assert missing == []


def test_every_web_setting_is_documented() -> None:
    from marsad.web.settings import WEB_SETTINGS

    missing = [s.env_var for s in WEB_SETTINGS if f"`{s.env_var}`" not in doc("settings.md")]
    assert missing == []


def test_every_custody_setting_is_documented() -> None:
    from marsad.preserve.seal import CUSTODY_SETTINGS
    from marsad.preserve.timestamps import TIMESTAMP_SETTINGS

    custody = (*CUSTODY_SETTINGS, *TIMESTAMP_SETTINGS)
    missing = [s.env_var for s in custody if f"`{s.env_var}`" not in doc("settings.md")]
    assert missing == []


def test_every_stage_is_documented() -> None:
    names = StageRegistry.from_entry_points().names()
    assert [n for n in names if f"## {n}\n" not in doc("stages.md")] == []


def test_every_export_kind_is_documented() -> None:
    table = doc("cli.md")
    for kind, fields in EXPORT_FIELDS.items():
        assert f"| {kind} |" in table
        assert all(field in table for field in fields)


def test_every_normalisation_group_is_documented() -> None:
    from marsad.text.normalize import normalization_groups

    text = doc("language.md")
    assert [g.name for g in normalization_groups() if f"| `{g.name}` |" not in text] == []
