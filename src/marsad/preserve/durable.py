"""Writing evidence bytes to disk so that they are either all there, on the platter, or not.

Files are written unbuffered: a write that fails (a full disk) is then not retried by `close()`
and raised a second time, and the caller knows exactly how far the file got.
"""

from __future__ import annotations

import errno
import os
from typing import BinaryIO


def write_durably(handle: BinaryIO, data: bytes | memoryview) -> None:
    """Write all of `data` to an unbuffered file and fsync it; OSError when it cannot."""
    view = memoryview(data)
    while view:
        written = handle.write(view)
        if not written:  # a regular file that takes nothing: as good as full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]
    os.fsync(handle.fileno())
