"""Keyframes of a video, hashed with PDQ so a re-encoded, resized or trimmed copy still matches
a hash list: ffmpeg decodes only the key (I-)frames, at most MARSAD_VIDEO_MAX_KEYFRAMES, scaled
to one width, under a time cap.

ffmpeg runs as a plain subprocess (never a shell) on a temporary copy of the bytes, reading
local files only. Without ffmpeg on PATH, or on a video it cannot decode, a video keeps its
exact hashes (SHA-256, MD5) and a log line says why it has no keyframes.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from marsad.errors import UnsupportedFormat
from marsad.media.hashes import KeyframeHash, pdq_of
from marsad.media.reading import open_image

log = logging.getLogger(__name__)

FFMPEG = "ffmpeg"
# Seconds ffmpeg may take for one video: keyframes only, so a long film still fits.
FFMPEG_TIMEOUT_SECONDS = 60
# Every keyframe is scaled (by area) to this width before PDQ: the same scene then hashes alike
# whatever a copy's resolution (PDQ of tiny frames drifts with their size), and a large frame
# costs no more memory than a small one.
FRAME_WIDTH = 256
# ffmpeg's log (showinfo's frame times) read back at most this much; the rest is noise.
LOG_MAX_BYTES = 1024 * 1024
FRAME_INFO = re.compile(rb"\bn:\s*(\d+)\b.*?\bpts_time:\s*(-?[0-9.]+)")


class KeyframesUnavailable(UnsupportedFormat):
    """No keyframes could be read: no ffmpeg, a damaged video, or ffmpeg ran out of time."""


def ffmpeg_command() -> str | None:
    return shutil.which(FFMPEG)


def _ffmpeg_arguments(ffmpeg: str, source: Path, frames: Path, max_keyframes: int) -> list[str]:
    return [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "info",  # showinfo's frame lines are logged at info
        "-threads",
        "1",
        "-protocol_whitelist",
        "file",  # a crafted file must not make ffmpeg fetch anything
        "-skip_frame",
        "nokey",  # decode the keyframes only
        "-i",
        str(source),
        "-map",
        "0:v:0",
        "-an",
        "-vf",
        f"showinfo,scale={FRAME_WIDTH}:-1:flags=area",
        "-fps_mode",
        "passthrough",
        "-frames:v",
        str(max_keyframes),
        str(frames / "frame-%04d.png"),
    ]


def _frame_times(log_text: bytes) -> dict[int, float]:
    times = {}
    for number, seconds in FRAME_INFO.findall(log_text):
        try:
            times[int(number)] = float(seconds)
        except ValueError:
            continue
    return times


def keyframe_hashes(data: bytes, max_keyframes: int) -> list[KeyframeHash]:
    """PDQ hashes of the video's first keyframes; raises KeyframesUnavailable with the reason."""
    ffmpeg = ffmpeg_command()
    if ffmpeg is None:
        raise KeyframesUnavailable("ffmpeg is not on PATH")
    with tempfile.TemporaryDirectory(prefix="marsad-video-") as folder:
        work = Path(folder)
        source = work / "video"
        source.write_bytes(data)
        frames = work / "frames"
        frames.mkdir()
        arguments = _ffmpeg_arguments(ffmpeg, source, frames, max_keyframes)
        with (work / "ffmpeg.log").open("w+b") as log_file:
            try:
                done = subprocess.run(
                    arguments,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log_file,
                    timeout=FFMPEG_TIMEOUT_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise KeyframesUnavailable(
                    f"ffmpeg took over {FFMPEG_TIMEOUT_SECONDS} s on the video"
                ) from None
            log_file.seek(0)
            log_text = log_file.read(LOG_MAX_BYTES)
        paths = sorted(frames.glob("frame-*.png"))
        if not paths:
            last_line = log_text.decode("utf-8", "replace").strip().splitlines()[-1:]
            reason = last_line[0] if last_line else f"exit status {done.returncode}"
            reason = reason.replace(str(source), "the video")  # the temporary name says nothing
            raise KeyframesUnavailable(f"ffmpeg read no keyframe: {reason}")
        times = _frame_times(log_text)
        found = []
        for index, path in enumerate(paths[:max_keyframes]):
            pdq, quality = pdq_of(open_image(path.read_bytes()))
            found.append(KeyframeHash(index, times.get(index), pdq, quality))
        return found
