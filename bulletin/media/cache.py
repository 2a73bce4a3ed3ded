"""The derivative cache: content hashes of originals, and entries checked before reuse.

Layout under the cache folder:

    sources.json                  path → [size, mtime_ns, inode, ctime_ns, sha256]
    objects/ab/<key>/manifest.json  what was made (or why the photo failed)
    objects/ab/<key>/800.webp …     the derivatives, each listed with size and sha256

`sources.json` lets a rebuild skip reading originals whose file status has not changed
(the same test git uses); an entry is trusted only if every file it lists is present
with the recorded size and hash, otherwise it is removed and made again.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

from ..digests import file_sha256
from .process import MANIFEST

SOURCES = "sources.json"


def entry_dir(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "objects" / key[:2] / key


class SourceHashes:
    """sha256 of originals, remembered by file status so unchanged files are not re-read."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = Path(cache_dir) / SOURCES
        self.known: dict[str, list] = {}
        self.hashed = 0  # how many originals were read this build
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        if isinstance(loaded, dict):
            self.known = {k: v for k, v in loaded.items() if isinstance(v, list) and len(v) == 5}
        self.used: dict[str, list] = {}
        self.lock = threading.Lock()  # build() hashes originals from several threads

    def sha256(self, path: Path) -> tuple[str, int]:
        """(content hash, size) of `path`; raises OSError if it cannot be read."""
        stat = os.stat(path)
        status = [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]
        name = str(Path(path).resolve())
        known = self.known.get(name)
        if known and known[:4] == status:
            with self.lock:
                self.used[name] = known
            return known[4], stat.st_size
        digest = file_sha256(path)
        with self.lock:
            self.hashed += 1
            self.used[name] = [*status, digest]
        return digest, stat.st_size

    def save(self) -> None:
        """Keep the status of the originals seen in this build (atomically replaced)."""
        if self.used == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{SOURCES}.tmp-{os.getpid()}")
        temporary.write_text(json.dumps(self.used, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)


def read_entry(entry: Path) -> dict | None:
    """The manifest of a complete, undamaged entry; None (and the entry removed) otherwise."""
    manifest_path = entry / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if entry.exists():
            shutil.rmtree(entry, ignore_errors=True)
        return None
    except (OSError, ValueError):
        shutil.rmtree(entry, ignore_errors=True)
        return None
    if _intact(entry, manifest):
        return manifest
    shutil.rmtree(entry, ignore_errors=True)
    return None


def _intact(entry: Path, manifest: object) -> bool:
    if not isinstance(manifest, dict):
        return False
    if manifest.get("status") == "failed":
        return isinstance(manifest.get("code"), str) and isinstance(manifest.get("fields"), dict)
    if manifest.get("status") != "ok" or not manifest.get("files"):
        return False
    for item in manifest["files"]:
        path = entry / str(item.get("name", ""))
        try:
            if path.stat().st_size != item.get("size") or file_sha256(path) != item.get("sha256"):
                return False
        except OSError:
            return False
    return True


def prune(cache_dir: Path, keep: set[str]) -> int:
    """Remove cache entries whose key is not in `keep`; returns how many were removed.

    Not called by `build`: the same cache may serve several sites or a preview of
    another branch. Call it after a full build when the cache should shrink.
    """
    removed = 0
    objects = Path(cache_dir) / "objects"
    if not objects.is_dir():
        return 0
    for bucket in objects.iterdir():
        if not bucket.is_dir():
            continue
        for entry in bucket.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    return removed
