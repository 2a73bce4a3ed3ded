"""Pagefind's bundle as written on disk (site/pagefind/): the files' signature, gzip and
CBOR, how a file is named, what a language's page list names, and a check that a bundle is
in the one format this package knows.

The format is Pagefind's own, not a published interface: PAGEFIND_VERSION is the release
whose bundle this module reads and writes (pyproject.toml pins it), and `format_problem`
tells a build when another release wrote the bundle (search.py then indexes each variant
on its own).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from pathlib import Path

import cbor2

# The Pagefind release whose bundle format (pagefind-entry.json, the CBOR page lists, the
# signed gzipped records) this module reads and writes; pyproject.toml pins it.
PAGEFIND_VERSION = "1.5.2"
SIGNATURE = b"pagefind_dcd"  # what Pagefind puts before the payload of every bundle file


class FormatError(ValueError):
    """A bundle file is not in the format this module knows (another Pagefind wrote it)."""


def read_file(path: Path):
    """The payload of a bundle file (gzipped, signed): a page record or an index's CBOR.
    Raises FormatError if the file is missing or not in that format."""
    try:
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(SIGNATURE):
            raise FormatError(f"{path.name} 的开头不是 {SIGNATURE.decode()}")
        payload = data[len(SIGNATURE):]
        return json.loads(payload) if path.suffix == ".pf_fragment" else cbor2.loads(payload)
    except (OSError, EOFError, zlib.error, ValueError, cbor2.CBORDecodeError) as exc:
        if isinstance(exc, FormatError):
            raise
        raise FormatError(f"{path.name} 读不出来（{exc}）") from exc


def format_problem(bundle: Path, entry: dict) -> str | None:
    """None if the bundle Pagefind just wrote is in the format this module reads and
    writes, else what differs. Checked at each build before any record is derived: a
    Pagefind other than the pinned one may write a bundle this module would misread."""
    version = entry.get("version")
    if version != PAGEFIND_VERSION:
        return f"Pagefind {version or '（未知版本）'} 写的索引，本程序认识的是 {PAGEFIND_VERSION}"
    try:
        for lang in entry["languages"].values():
            _version, pages, chunks, filters, *_ = read_file(bundle / f"pagefind.{lang['hash']}.pf_meta")
            if not all(isinstance(p[0], str) and isinstance(p[1], int) for p in pages) \
                    or not all(isinstance(c[-1], str) for c in chunks + filters):
                return "页面列表的结构不同"
            for page_hash, _words in pages[:1]:
                record = read_file(bundle / "fragment" / f"{page_hash}.pf_fragment")
                if not isinstance(record, dict) or not {"url", "content", "meta"} <= record.keys():
                    return "页面记录的字段不同"
    except FormatError as exc:
        return str(exc)
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        return f"索引的结构不同（{exc!r}）"
    return None


def write_file(folder: Path, prefix: str, key: str, suffix: str, payload: bytes, digits: int = 16,
               made: bool = False) -> str:
    """Write a bundle file named like Pagefind's, `<prefix><key>_<hash><suffix>`; returns
    `<key>_<hash>`, with `digits` hex digits of the payload's hash. `made`: `folder` exists."""
    name = f"{key}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    path = folder / f"{prefix}{name}{suffix}"
    if not made:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=6, mtime=0))
    return name


def language_files(bundle: Path, entry: dict, key: str) -> list[Path]:
    """Every file a reader of language `key` may fetch: its index and filter chunks (maybe
    shared with other languages), its records and its page list."""
    name = entry["languages"][key]["hash"]
    meta_path = bundle / f"pagefind.{name}.pf_meta"
    try:
        _version, pages, chunks, filters, *_ = read_file(meta_path)
    except (TypeError, ValueError) as exc:  # FormatError included
        raise FormatError(f"{meta_path.name} 的结构不同（{exc}）") from exc
    return ([bundle / "index" / f"{c[-1]}.pf_index" for c in chunks]
            + [bundle / "fragment" / f"{p[0]}.pf_fragment" for p in pages]
            + [bundle / "filter" / f"{f[-1]}.pf_filter" for f in filters]
            + [meta_path])
