"""Settings of the web workbench (declared as data, documented in docs/settings.md)."""

from __future__ import annotations

from marsad.config import Setting, parse_bool, parse_positive_int

SESSION_HOURS = Setting(
    "web_session_hours",
    12,
    "Hours a sign-in lasts; after that the browser must sign in again.",
    parse_positive_int,
)
COOKIE_SECURE = Setting(
    "web_cookie_secure",
    False,
    "Mark cookies Secure (sent over HTTPS only) even when the request itself came over plain "
    "HTTP, e.g. behind a TLS proxy that does not pass X-Forwarded-Proto.",
    parse_bool,
)
SIGNIN_ATTEMPTS = Setting(
    "web_signin_attempts",
    5,
    "Failed sign-ins for one user name after which it is refused for a while.",
    parse_positive_int,
)
SIGNIN_WINDOW_MINUTES = Setting(
    "web_signin_window_minutes",
    15,
    "Minutes the failed sign-ins are counted over, and the longest a user name is refused.",
    parse_positive_int,
)
IMPORT_DIR = Setting(
    "web_import_dir",
    None,
    "Folder under which web admins may add file sources (files, warc, telegram-export); "
    "unset, the web adds network sources only.",
)
WEB_SETTINGS = (SESSION_HOURS, COOKIE_SECURE, SIGNIN_ATTEMPTS, SIGNIN_WINDOW_MINUTES, IMPORT_DIR)
