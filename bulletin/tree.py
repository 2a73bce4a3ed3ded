"""The files below a folder in one stable order: what the checks of a built site walk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, path relative to `root` with "/") of every file below `root`, folders and
    names sorted, so findings come out in the same order on every machine. Links to
    folders are not followed; a link to a file is listed, for the caller to judge."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            yield path, path.relative_to(root).as_posix()
