"""The SHA-256 of a file, the one content hash the build keys its caches and checks on."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of the file at `path`, read in blocks (originals can be large photos).

    Raises OSError as open() does. hashlib releases the GIL while it hashes a block, so
    callers hash several files at once on threads.
    """
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
