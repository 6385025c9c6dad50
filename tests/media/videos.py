"""Small synthetic videos, made by ffmpeg itself (its `testsrc` pattern), for the tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

# Two seconds at five frames a second, a keyframe every five frames: two keyframes.
CLIP_SECONDS = 2
CLIP_RATE = 5
CLIP_KEYFRAME_INTERVAL = 5
CLIP_KEYFRAMES = CLIP_SECONDS * CLIP_RATE // CLIP_KEYFRAME_INTERVAL


def ffmpeg_or_skip() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        pytest.skip("ffmpeg is not installed (scripts/debian-packages.txt lists it)")
    return found


def _ffmpeg(*arguments: str) -> None:
    command = [ffmpeg_or_skip(), "-nostdin", "-loglevel", "error", "-y", *arguments]
    subprocess.run(command, check=True, timeout=60)


def make_clip(path: Path, size: str = "128x96") -> bytes:
    """An H.264 MP4 of ffmpeg's test pattern, with CLIP_KEYFRAMES keyframes."""
    _ffmpeg(
        *("-f", "lavfi", "-i", f"testsrc=size={size}:rate={CLIP_RATE}"),
        *("-t", str(CLIP_SECONDS), "-g", str(CLIP_KEYFRAME_INTERVAL)),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)),
    )
    return path.read_bytes()


def reencoded_copy(source: Path, path: Path) -> bytes:
    """What a re-post does to a video: smaller, more compressed, its own keyframes."""
    _ffmpeg(
        *("-i", str(source), "-vf", "scale=96:72"),
        *("-c:v", "libx264", "-crf", "35", "-pix_fmt", "yuv420p", str(path)),
    )
    return path.read_bytes()


def damaged_copy(data: bytes) -> bytes:
    """The video's header (an MP4 `ftyp` box) followed by bytes no decoder reads."""
    return data[:32] + bytes(range(256)) * 40


def black_clip(path: Path, size: str = "128x96") -> Path:
    """One second of black: its keyframe's PDQ has quality 0 (nothing to recognise)."""
    _ffmpeg(
        *("-f", "lavfi", "-i", f"color=black:size={size}:rate={CLIP_RATE}", "-t", "1"),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)),
    )
    return path
