"""Coverage-guided fuzzing of one target with atheris (libFuzzer), seeded from seeds/<target>:

    .venv/bin/python -m tests.fuzz.run_atheris TARGET [libFuzzer flags, e.g. -runs=5000]

A crash (any exception but a MarsadError) stops the run, prints the input and exits non-zero;
libFuzzer writes it to crash-<sha1> in the working directory.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["marsad"]):
    from tests.fuzz.targets import TARGETS, run_target, seeds


def main() -> None:
    name, flags = sys.argv[1], sys.argv[2:]
    if name not in TARGETS:
        raise SystemExit(f"unknown target {name!r}; known: {', '.join(TARGETS)}")
    corpus = Path(tempfile.mkdtemp(prefix=f"marsad-fuzz-{name}-"))
    for number, seed in enumerate(seeds(name)):
        (corpus / f"seed-{number}").write_bytes(seed)
    atheris.Setup([sys.argv[0], *flags, str(corpus)], lambda data: run_target(name, data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
