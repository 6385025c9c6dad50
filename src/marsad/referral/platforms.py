"""The platforms and policies of `data/referrals.yaml`, validated on load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from marsad.datafiles import DATA_DIR, load_yaml
from marsad.errors import ConfigError, ReferralError

REFERRALS_FILE = DATA_DIR / "referrals.yaml"
FALLBACK_PLATFORM = "website"


@dataclass(frozen=True)
class Platform:
    key: str
    name: str
    hosts: frozenset[str]
    removed_markers: tuple[str, ...]
    login_paths: tuple[str, ...]
    abuse_contact: str | None = None


@dataclass(frozen=True)
class Policy:
    key: str
    label: str
    families: tuple[str, ...]


@dataclass(frozen=True)
class ReferralRules:
    platforms: Mapping[str, Platform]
    policies: Mapping[str, Policy]

    @classmethod
    def from_data(cls, data: Any) -> ReferralRules:
        where = str(REFERRALS_FILE)
        try:
            platforms = {
                str(key): Platform(
                    key=str(key),
                    name=str(spec["name"]),
                    hosts=frozenset(str(host).lower() for host in spec.get("hosts") or ()),
                    removed_markers=tuple(str(m).lower() for m in spec["removed_markers"]),
                    login_paths=tuple(str(path) for path in spec.get("login_paths") or ()),
                    abuse_contact=spec.get("abuse_contact"),
                )
                for key, spec in data["platforms"].items()
            }
            policies = {
                str(key): Policy(str(key), str(spec["label"]), tuple(map(str, spec["families"])))
                for key, spec in data["policies"].items()
            }
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{where}: missing or malformed field {exc}") from None
        if FALLBACK_PLATFORM not in platforms:
            raise ConfigError(f"{where}: the platform {FALLBACK_PLATFORM!r} must be defined")
        return cls(platforms, policies)

    def platform(self, key: str) -> Platform:
        if key not in self.platforms:
            known = ", ".join(sorted(self.platforms))
            raise ReferralError(f"unknown platform {key!r}; known: {known}")
        return self.platforms[key]

    def policy(self, key: str) -> Policy:
        if key not in self.policies:
            known = ", ".join(sorted(self.policies))
            raise ReferralError(f"unknown reason {key!r}; known: {known}")
        return self.policies[key]

    def platform_of_url(self, url: str) -> Platform:
        """The platform a URL lives on, by host (subdomains included); else `website`."""
        host = (urlsplit(url).hostname or "").lower()
        for platform in self.platforms.values():
            if any(host == known or host.endswith("." + known) for known in platform.hosts):
                return platform
        return self.platforms[FALLBACK_PLATFORM]


@cache
def referral_rules() -> ReferralRules:
    return ReferralRules.from_data(load_yaml(REFERRALS_FILE))
