"""Settings of alert delivery (read by `marsad alerts deliver|redeliver|test`)."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.config import Setting, Settings, parse_bool, parse_positive_float, parse_positive_int


def parse_port(raw: str) -> int:
    value = parse_positive_int(raw)
    if value > 65535:
        raise ValueError(f"expected a port number (1-65535), got {raw!r}")
    return value


ALERT_ATTEMPTS = Setting(
    "alert_attempts",
    5,
    "Attempts to deliver one alert (or digest) before it is dead-lettered.",
    parse_positive_int,
)
ALERT_RETRY_BACKOFF = Setting(
    "alert_retry_backoff",
    2.0,
    "Seconds before the first retry of a failed delivery; each further retry waits twice as long.",
    parse_positive_float,
)
ALERT_TIMEOUT = Setting(
    "alert_timeout", 10.0, "Seconds allowed for one webhook request or SMTP session.",
    parse_positive_float,
)  # fmt: skip
SMTP_HOST = Setting("smtp_host", "localhost", "SMTP server that e-mail alerts are sent through.")
SMTP_PORT = Setting("smtp_port", 25, "Port of the SMTP server.", parse_port)
SMTP_USERNAME = Setting("smtp_username", None, "SMTP login (none: send without logging in).")
SMTP_PASSWORD = Setting("smtp_password", None, "SMTP password for MARSAD_SMTP_USERNAME.")
SMTP_STARTTLS = Setting(
    "smtp_starttls", False, "Upgrade the SMTP connection with STARTTLS before logging in.",
    parse_bool,
)  # fmt: skip
SMTP_FROM = Setting("smtp_from", "marsad@localhost", "From address of e-mail alerts.")

ALERT_SETTINGS = (
    ALERT_ATTEMPTS,
    ALERT_RETRY_BACKOFF,
    ALERT_TIMEOUT,
    SMTP_HOST,
    SMTP_PORT,
    SMTP_USERNAME,
    SMTP_PASSWORD,
    SMTP_STARTTLS,
    SMTP_FROM,
)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    sender: str
    timeout: float


@dataclass(frozen=True)
class DeliverySettings:
    attempts: int
    backoff: float
    timeout: float
    user_agent: str
    smtp: SmtpSettings

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliverySettings:
        timeout = float(settings.value_of(ALERT_TIMEOUT))
        return cls(
            attempts=int(settings.value_of(ALERT_ATTEMPTS)),
            backoff=float(settings.value_of(ALERT_RETRY_BACKOFF)),
            timeout=timeout,
            user_agent=settings.user_agent,
            smtp=SmtpSettings(
                host=str(settings.value_of(SMTP_HOST)),
                port=int(settings.value_of(SMTP_PORT)),
                username=settings.value_of(SMTP_USERNAME),
                password=settings.value_of(SMTP_PASSWORD),
                starttls=bool(settings.value_of(SMTP_STARTTLS)),
                sender=str(settings.value_of(SMTP_FROM)),
                timeout=timeout,
            ),
        )
