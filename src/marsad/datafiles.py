"""Access to the data files shipped under marsad/data (lexicons, KB, taxonomy, demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from marsad.errors import ConfigError

DATA_DIR = Path(__file__).parent / "data"
LEXICON_DIR = DATA_DIR / "lexicons"
# The demo pages; their description is in demo/README.md, outside the ingested folder.
DEMO_DIR = DATA_DIR / "demo" / "pages"
# libyaml's parser when PyYAML was built with it: the same safe loading, ten times faster
# (the KB and the lexicons are megabytes of YAML read by every process that links or dates).
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"malformed data file {path}: {exc}") from None


def language_lexicons(name: str) -> dict[str, dict[str, Any]]:
    """`lexicons/<lang>/<name>.yaml` for every language that has one, keyed by language."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(LEXICON_DIR.glob(f"*/{name}.yaml")):
        content = load_yaml(path)
        if not isinstance(content, dict):
            raise ConfigError(f"{path} must hold a mapping")
        found[path.parent.name] = content
    return found
