"""The search bundle's files on disk (site/pagefind/): Pagefind's binary, reading a
variant's records and our manifests, the page list, what a browser fetches ahead for
offline use, and the cache a rebuild takes an unchanged bundle from (see search.py)."""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import search_format
from .search_entry import SearchError

# Pagefind writes ready-made UIs we do not ship (our UI is Material's search box), and
# the web worker we do not use (see theme/assets/bulletin/search.js: the main thread
# lets the page keep fetched chunks for offline use).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
    "pagefind-worker.js",
)

# After the first query, the browser fetches the rest of what later queries need, so that
# search keeps working offline: a variant's whole bundle when it is at most this big (a
# site of about 200 plans), else its index chunks and the page list (titles, kinds,
# dates: results without an excerpt), which stay under it up to about 1,000 plans.
PREFETCH_LIMIT = 1024 * 1024
PREFETCH_MODES = ("auto", "lookup", "none")  # auto: by size, as above; lookup: never the whole bundle

STATS_FILE = "bulletin-stats.json"  # kept with a cached bundle: what index_site reports of it


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by `pagefind[extended]` (extended: it segments Chinese)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchError("没有安装 Pagefind 扩展版，无法生成中文搜索索引。"
                          "请运行：pip install 'pagefind[extended]'") from None
    return Path(get_executable())


@functools.lru_cache(maxsize=None)
def pagefind_version() -> str:
    """"pagefind 1.5.2": part of the cache key, as a new Pagefind writes a different bundle."""
    try:
        out = subprocess.run([str(pagefind_executable()), "--version"], capture_output=True, text=True,
                             check=False)
    except OSError as exc:
        raise SearchError(f"无法运行 Pagefind（{exc.strerror or exc}）。"
                          "请重新安装：pip install --force-reinstall 'pagefind[extended]'") from exc
    return out.stdout.strip()


def manifest_name(key: str) -> str:
    """A variant's manifest (search.js reads it first): its query map, page list, name list,
    phrase postings, synonyms and what to fetch ahead; gzipped JSON."""
    return f"bulletin-{key}.json.gz"


def read_manifest(bundle: Path, key: str) -> dict[str, Any]:
    return read_json(bundle / manifest_name(key))


def read_json(path: Path) -> Any:
    """One of the bundle's JSON files of ours, gzipped (.gz) or not."""
    data = path.read_bytes()
    return json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)


def _from_cache(cached: Path | None, bundle: Path) -> bool:
    """`bundle` linked from a complete cached bundle, if there is one (see `_store`)."""
    if cached is None or not (cached / "pagefind-entry.json").is_file():
        return False
    shutil.copytree(cached, bundle, copy_function=_link_or_copy, ignore=shutil.ignore_patterns(STATS_FILE))
    return True


def _drop_unused(bundle: Path) -> None:
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)


def _replace(path: Path, text: str) -> None:
    """Write `path` as a new file: it may be a hard link into the cache."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


def _staging_root(chars: int) -> str | None:
    """Where the staging copy of pages of `chars` characters goes: memory (/dev/shm) where
    there is room for it many times over, as it is written, read once and removed (on a
    disk, making a thousand folders and files costs more than Pagefind's reading them);
    else the usual temporary folder."""
    shm = "/dev/shm"
    try:
        if os.path.isdir(shm) and os.access(shm, os.W_OK):
            needed = chars * 3 + (64 << 20)
            if shutil.disk_usage(shm).free > 4 * needed:
                return shm
    except OSError:
        pass
    return None


def _merge_bundle(part: Path, bundle: Path) -> None:
    """Add the languages of bundle `part` to `bundle`."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    added = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["languages"].update(added["languages"])
    for path in sorted(part.rglob("*")):
        target = bundle / path.relative_to(part)
        if path.is_file() and path.name != "pagefind-entry.json" and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    _replace(bundle / "pagefind-entry.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link where the cache and the site share a file system (about a hundredth of
    the time of a copy for a bundle of 2,000 files; nothing writes into a bundle file
    once it is made), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _store(bundle: Path, cached: Path) -> None:
    """Keep this bundle as the only cached one (older ones are of no further use).

    Hard links where it can: nothing writes into a bundle file once it is made (a file
    that changes, like pagefind-entry.json, is replaced: see `_replace`)."""
    parent = cached.parent
    if parent.is_dir():
        for old in parent.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    parent.mkdir(parents=True, exist_ok=True)
    partial = parent / f".{cached.name}.partial"
    shutil.copytree(bundle, partial, copy_function=_link_or_copy)
    partial.rename(cached)


def _records(files: Sequence[Path], known: dict[Path, dict]) -> list[tuple[Path, dict]]:
    """(path, record) of each page record among a variant's `files`, read once for the
    page list and the name list (or taken from `known`, records just read or written)."""
    return [(path, known[path] if path in known else search_format.read_file(path))
            for path in files if path.suffix == ".pf_fragment"]


def _write_page_list(bundle: Path, records: Sequence[tuple[Path, dict]], key: str) -> str:
    """`bulletin-<lang>-pages.json`: for each page of the variant's index (by the id a
    result carries), [url, title, kind, date, community]. What an offline result shows
    when its fragment was never fetched. Returns its bundle-relative name."""
    pages = {}
    for path, record in records:
        meta = record.get("meta") or {}
        pages[path.name.removesuffix(".pf_fragment")] = [
            record.get("url", ""), meta.get("title", ""), meta.get("kind", ""),
            meta.get("date", ""), meta.get("community", "")]
    name = f"bulletin-{key}-pages.json"
    (bundle / name).write_text(json.dumps(pages, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return name


def _prefetch_list(bundle: Path, files: Sequence[Path], page_list: str, mode: str = "auto",
                   names: Sequence[str] = (), text: Sequence[str] = ()) -> list[str]:
    """Bundle-relative paths to fetch for offline use (see PREFETCH_LIMIT): the variant's
    `files` (search_format.language_files), its name lists and phrase postings (`text`), or
    what finds results (index chunks, filters, page list) with the name lists and postings,
    or with the name lists alone (offline, a phrase is then found by Pagefind alone), or
    without either, or nothing."""
    if mode not in PREFETCH_MODES:
        raise ValueError(f"prefetch must be one of {PREFETCH_MODES}, not {mode!r}")
    named = [bundle / n for n in names]
    phrases = [bundle / n for n in text]
    lookup = [p for p in files if p.suffix != ".pf_fragment"] + [bundle / page_list]
    choices = {"auto": [[*files, *named, *phrases], lookup + named + phrases, lookup + named, lookup],
               "lookup": [lookup + named + phrases, lookup + named, lookup], "none": []}[mode]
    for choice in choices:
        if sum(p.stat().st_size for p in choice) <= PREFETCH_LIMIT:
            return [p.relative_to(bundle).as_posix() for p in choice]
    return []


def language_files(bundle: Path, lang: str) -> list[Path]:
    """The files of one language in a built bundle (see search_format.language_files)."""
    bundle = Path(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return search_format.language_files(bundle, entry, lang.lower())


def read_fragments(bundle: Path, lang: str) -> list[dict]:
    """Every page record of one language in a built bundle: url, content, meta, filters."""
    return [search_format.read_file(p) for p in language_files(bundle, lang) if p.suffix == ".pf_fragment"]
