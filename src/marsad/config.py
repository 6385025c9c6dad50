"""Settings, read from the environment (``MARSAD_*``) and validated once.

Every setting is declared as data (`Setting`) so the documentation test can check that
each one is described in ``docs/settings.md``; stages declare their own the same way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

SUPPORTED_DATABASE_BACKENDS = ("sqlite", "postgresql")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (1/0, true/false, yes/no), got {raw!r}")


def parse_positive_int(raw: str) -> int:
    value = int(raw.strip().replace("_", ""))
    if value <= 0:
        raise ValueError(f"expected a positive integer, got {raw!r}")
    return value


def parse_positive_float(raw: str) -> float:
    value = float(raw.strip())
    if value <= 0:
        raise ValueError(f"expected a positive number, got {raw!r}")
    return value


def parse_name_list(raw: str) -> frozenset[str]:
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return level


@dataclass(frozen=True)
class Setting:
    """One setting: its key (environment variable ``MARSAD_<KEY>``), default and help."""

    key: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env_var(self) -> str:
        return f"MARSAD_{self.key.upper()}"

    def read(self, env: Mapping[str, str]) -> Any:
        raw = env.get(self.env_var)
        if raw is None:
            return self.default
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{self.env_var}: {exc}") from None


CORE_SETTINGS: tuple[Setting, ...] = (
    Setting("home", "./marsad-data", "Folder holding the database, blobs and WARC files."),
    Setting(
        "database_url",
        None,
        "SQLAlchemy URL of the database; default SQLite at $MARSAD_HOME/marsad.db. "
        "PostgreSQL: postgresql+psycopg://user@host/dbname.",
    ),
    Setting("log_level", "WARNING", "Logging level: DEBUG, INFO, WARNING, ERROR.", parse_log_level),
    Setting(
        "max_capture_bytes",
        32 * 1024 * 1024,
        "Largest file or HTTP response captured; larger ones are recorded as failed captures.",
        parse_positive_int,
    ),
    Setting(
        "warc_max_bytes",
        1024 * 1024 * 1024,
        "Size at which Marsad starts a new WARC file under $MARSAD_HOME/warc/.",
        parse_positive_int,
    ),
    Setting(
        "fetch_timeout",
        30.0,
        "Seconds allowed for one HTTP fetch, connection to last byte.",
        parse_positive_float,
    ),
    Setting(
        "fetch_allow_loopback",
        False,
        "Allow fetching 127.0.0.0/8 and ::1 (tests and local deployments only).",
        parse_bool,
    ),
    Setting(
        "normalize_skip",
        frozenset(),
        "Normalisation groups to switch off for matching, comma-separated (e.g. case,digits).",
        parse_name_list,
    ),
    Setting(
        "user_agent",
        "Marsad/0.1 (+https://github.com/marsad-project/marsad; research archiving)",
        "User-Agent header sent with every HTTP request.",
    ),
)


def validate_database_url(raw: str) -> URL:
    """Parse a database URL and check it names a backend Marsad supports."""
    from sqlalchemy.engine import make_url  # only here, so commands without a database start fast
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            f"MARSAD_DATABASE_URL is not a database URL: {raw!r} "
            "(expected e.g. sqlite:///path/marsad.db or postgresql+psycopg://user@host/db)"
        ) from None
    if url.get_backend_name() not in SUPPORTED_DATABASE_BACKENDS:
        raise ConfigError(
            f"MARSAD_DATABASE_URL uses {url.get_backend_name()!r}; "
            f"supported: {', '.join(SUPPORTED_DATABASE_BACKENDS)}"
        )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() not in ("psycopg",):
        raise ConfigError(
            "MARSAD_DATABASE_URL: use the psycopg 3 driver, e.g. postgresql+psycopg://user@host/db"
        )
    if url.get_backend_name() == "postgresql" and not url.database:
        raise ConfigError("MARSAD_DATABASE_URL names no database")
    return url


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    log_level: str
    max_capture_bytes: int
    warc_max_bytes: int
    fetch_timeout: float
    fetch_allow_loopback: bool
    normalize_skip: frozenset[str]
    user_agent: str
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        values = {setting.key: setting.read(env) for setting in CORE_SETTINGS}
        home = Path(values["home"]).expanduser().resolve()
        database_url = values["database_url"] or f"sqlite:///{home / 'marsad.db'}"
        validate_database_url(database_url)
        return cls(
            home=home,
            database_url=database_url,
            log_level=values["log_level"],
            max_capture_bytes=values["max_capture_bytes"],
            warc_max_bytes=values["warc_max_bytes"],
            fetch_timeout=values["fetch_timeout"],
            fetch_allow_loopback=values["fetch_allow_loopback"],
            normalize_skip=values["normalize_skip"],
            user_agent=values["user_agent"],
            env=env,
        )

    def value_of(self, setting: Setting) -> Any:
        """The value of a setting declared elsewhere (by a stage), read from the same env."""
        return setting.read(self.env)

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def warc_dir(self) -> Path:
        return self.home / "warc"

    def configure_logging(self, level: str | None = None) -> None:
        logging.basicConfig(
            level=level or self.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
