"""How often a source is crawled: intervals written as 30s, 15m, 2h, 1d."""

from __future__ import annotations

import re
from datetime import timedelta

from marsad.errors import ConfigError

DEFAULT_EVERY = "1h"
INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> timedelta:
    """'30s', '15m', '2h', '1d' → a timedelta."""
    match = INTERVAL.match(text)
    if match is None or int(match.group(1)) == 0:
        raise ConfigError(f"not an interval: {text!r} (use e.g. 30s, 15m, 2h, 1d)")
    return timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])
