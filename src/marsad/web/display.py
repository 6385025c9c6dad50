"""Captured strings that try to deceive the reader of a page.

- Bidi controls: an embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) inside a
  title or snippet reorders what follows it ("evil‮txt.exe"). They are shown as visible
  tokens (⟦U+202E⟧) instead of acting. The marks LRM, RLM and ALM stay: Arabic, Farsi and
  Hebrew text uses them and they cannot reorder a run.
- Homograph hosts: a host mixing scripts (a Cyrillic "а" in "pаypal"), or Latin with Cyrillic,
  Greek or Armenian labels ("аррӏе.com"), is shown in punycode (xn--…), as browsers do. A host
  wholly in one script (موقع.السعودية) is shown as written.

`safe_display` is the Jinja environment's finalize: it applies to every `{{ value }}`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
URL_LIKE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#]+")
LATIN_LOOKALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN"})


def visible_bidi(text: str) -> str:
    if BIDI_CONTROLS.search(text) is None:  # nearly every string: nothing to build
        return text
    return BIDI_CONTROLS.sub(lambda match: f"⟦U+{ord(match.group()):04X}⟧", text)


def _scripts(label: str) -> set[str]:
    scripts = set()
    for character in label:
        if character.isalpha():
            name = unicodedata.name(character, "")
            scripts.add(name.split(" ")[0] if name else "UNKNOWN")
    return scripts


def _punycode(label: str) -> str:
    if label.isascii():
        return label
    try:
        return "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:
        return label.encode("ascii", "backslashreplace").decode("ascii")


def display_host(host: str) -> str:
    """The host as written, or in punycode when its scripts suggest an imitation."""
    if host.isascii():
        return host
    labels = host.split(".")
    per_label = [_scripts(label) for label in labels]
    every_script = set().union(*per_label)
    deceptive = any(len(scripts) > 1 for scripts in per_label) or (
        "LATIN" in every_script and every_script & LATIN_LOOKALIKE_SCRIPTS
    )
    return ".".join(_punycode(label) for label in labels) if deceptive else host


def display_url(url: str) -> str:
    match = URL_LIKE.match(url)
    if not match:
        return url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return url
    if not host or host.isascii():
        return url
    authority = match.group()
    position = authority.lower().rfind(host)
    if position < 0:
        return url
    shown = authority[:position] + display_host(host) + authority[position + len(host) :]
    return shown + url[len(authority) :]


def safe_display(value: Any) -> Any:
    """Every string a template prints: bidi controls visible, deceptive hosts in punycode."""
    if isinstance(value, str) and not isinstance(value, Markup):
        # A page prints a few hundred values: only one with "://" can hold a host.
        return visible_bidi(display_url(value) if "://" in value else value)
    return value
