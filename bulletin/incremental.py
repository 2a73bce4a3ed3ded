"""Work a rebuild can take from the previous build: results of pure steps, keyed by all they read.

An entry is found only by the digest of every input of the step that made it, so a result
is reused exactly when the step would make it again, byte for byte; nothing is ever
invalidated by hand. The digest includes the package's own code and the versions of the
libraries whose output the step passes on, so a new release never meets an old entry.

Entries used by a build are kept for the next; the rest are removed when the build ends.
A build that fails keeps the store as it was plus what it made (entries are only ever
correct, never stale: a key names its inputs).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
FORMAT = 1  # part of every key: a store with another layout is never read


@functools.lru_cache(maxsize=None)
def code_digest() -> str:
    """The package's Python code, the Python version and the versions of what the steps use."""
    digest = hashlib.sha256(f"{FORMAT}\n{sys.version}\n".encode())
    for dist in ("mkdocs", "mkdocs-material", "opencc", "nh3", "pagefind", "pagefind-bin-extended", "jieba",
                 "markdown", "pymdown-extensions", "mkdocs-glightbox", "jinja2", "markupsafe", "pyyaml"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist} {version}\n".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yml", ".txt"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def digest(*parts: str | bytes) -> str:
    """A key from the code and the given inputs (each part framed, so parts never run together)."""
    h = hashlib.sha256(code_digest().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Store:
    """One kind of result on disk, one file per entry, named by its key.

    `get` returns None when there is no entry or it cannot be read (then the step runs
    again). `finish` removes the entries this build neither read nor wrote.
    """

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder else None
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            with open(self.folder / key, "rb") as fh:
                value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, ImportError):
            self.misses += 1
            return None
        self.used.add(key)
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        self.used.add(key)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / key)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def finish(self) -> None:
        """Drop the entries this build did not use (an old page, a page since edited)."""
        if self.folder is None:
            return
        for name in os.listdir(self.folder):
            if name not in self.used and not name.startswith(".partial-"):
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass
