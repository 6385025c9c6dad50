"""Hostile input never crashes a parser: random bytes, and valid inputs cut short, corrupted,
spliced or stuffed with hostile markup, either parse or fail with a MarsadError.

Property tests (hypothesis) for every target in targets.py, and a short bounded run of the
coverage-guided fuzzer (atheris) on each, as a real process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import IN_CI
from tests.fuzz.targets import TARGETS, crashes, run_target, seeds

HOSTILE_PIECES = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<script>alert(1)</script>",
    b"<![CDATA[",
    b"]]>",
    b'<!DOCTYPE x [<!ENTITY a "&a;&a;">]>&a;',
    b"\xd8\xa7\xd9\x84\xe2\x80\x8f\xe2\x80\xae",  # Arabic letters, RLM, RLO
    b"99999999999999999999",
    b'{"messages": [',
    b"WARC/1.1\r\nContent-Length: 999999999\r\n\r\n",
    b"<div>" * 200,
    "١٤ رمضان ١٤٤١ هـ".encode(),
    "۱۵ دی ۱۳۹۸".encode(),
]


@st.composite
def mutated_seed(draw: st.DrawFn, target: str) -> bytes:
    """A valid input of the target, then cut, corrupted, spliced and stuffed."""
    data = bytearray(draw(st.sampled_from(seeds(target))))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["cut", "flip", "insert", "splice", "repeat"]))
        position = draw(st.integers(0, len(data)))
        if operation == "cut":
            data = data[:position]
        elif operation == "flip" and data:
            index = min(position, len(data) - 1)
            data[index] ^= draw(st.integers(1, 255))
        elif operation == "insert":
            data[position:position] = draw(st.sampled_from(HOSTILE_PIECES))
        elif operation == "splice":
            other = draw(st.sampled_from([s for name in TARGETS for s in seeds(name)]))
            data[position:] = other[draw(st.integers(0, len(other))) :]
        elif operation == "repeat":
            data[position:position] = bytes(data[position : position + 64]) * 50
    return bytes(data)


PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_target_has_valid_seeds_it_reads_without_error(target: str) -> None:
    assert seeds(target), f"no seeds under tests/fuzz/seeds/{target}"
    for seed in seeds(target):
        TARGETS[target](seed)  # valid input: no MarsadError either


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_random_bytes_parse_or_fail_cleanly(target: str) -> None:
    @PROPERTY_SETTINGS
    @given(st.binary(max_size=2048))
    def check(data: bytes) -> None:
        run_target(target, data)

    check()


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_damaged_valid_inputs_parse_or_fail_cleanly(target: str) -> None:
    @PROPERTY_SETTINGS
    @given(mutated_seed(target))
    def check(data: bytes) -> None:
        run_target(target, data)

    check()


@pytest.mark.parametrize(("target", "path"), crashes(), ids=[p.name for _, p in crashes()])
def test_inputs_that_once_crashed_a_parser_now_fail_cleanly(target: str, path: Path) -> None:
    run_target(target, path.read_bytes())


def _atheris_or_skip() -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("atheris is not installed (required when CI=true)")
        pytest.skip("atheris is not installed")


@pytest.mark.slow
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_bounded_coverage_guided_fuzz_run_finds_no_crash(target: str, tmp_path: Path) -> None:
    _atheris_or_skip()
    root = Path(__file__).parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz.run_atheris",
            target,
            "-runs=1500",
            "-max_len=4096",
            "-timeout=20",
            "-seed=1",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Done 1500 runs" in result.stderr
