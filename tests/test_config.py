from pathlib import Path

import pytest

from marsad.config import CORE_SETTINGS, Settings
from marsad.errors import ConfigError


def test_defaults_put_sqlite_database_under_home(tmp_path: Path) -> None:
    settings = Settings.from_env({"MARSAD_HOME": str(tmp_path / "h")})
    assert settings.home == (tmp_path / "h").resolve()
    assert settings.database_url == f"sqlite:///{(tmp_path / 'h').resolve() / 'marsad.db'}"
    assert settings.fetch_allow_loopback is False
    assert settings.max_capture_bytes == 32 * 1024 * 1024


def test_default_home_is_marsad_data_in_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({}).home == tmp_path.resolve() / "marsad-data"


def test_postgresql_url_is_accepted() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/marsad"
    assert Settings.from_env({"MARSAD_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://root@localhost/marsad", "supported: sqlite, postgresql"),
        ("postgresql+psycopg2://u@h/db", "psycopg 3 driver"),
        ("postgresql+psycopg://u@h", "names no database"),
    ],
)
def test_bad_database_url_gives_clear_error(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"MARSAD_DATABASE_URL": url})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MARSAD_FETCH_ALLOW_LOOPBACK", "perhaps"),
        ("MARSAD_MAX_CAPTURE_BYTES", "-5"),
        ("MARSAD_MAX_CAPTURE_BYTES", "lots"),
        ("MARSAD_FETCH_TIMEOUT", "0"),
        ("MARSAD_LOG_LEVEL", "LOUD"),
    ],
)
def test_malformed_values_name_their_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_typed_values_are_parsed() -> None:
    settings = Settings.from_env(
        {
            "MARSAD_FETCH_ALLOW_LOOPBACK": "yes",
            "MARSAD_MAX_CAPTURE_BYTES": "1_000",
            "MARSAD_LOG_LEVEL": "debug",
        }
    )
    assert settings.fetch_allow_loopback is True
    assert settings.max_capture_bytes == 1000
    assert settings.log_level == "DEBUG"


def test_every_core_setting_is_a_field_of_settings() -> None:
    fields = set(Settings.__dataclass_fields__)
    assert {setting.key for setting in CORE_SETTINGS} <= fields
