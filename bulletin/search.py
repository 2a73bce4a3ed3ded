"""Search (搜索): a chunked Pagefind index over the published pages, in every script.

Two steps, one per build stage:

- `mark_page(html, entry)` runs on each rendered page (before the script variants are
  written). It marks the article as the only indexed region (`data-pagefind-body`: the
  header, navigation, sidebars and footer stay out), adds a hidden block with what a
  result shows — kind, title, date, community — and lets Pagefind read image captions
  (`alt`). Texts in that block carry the page's script markers, so every variant shows
  them in its own script.
- `index_site(site_dir, variants)` runs once on the finished site, after every variant
  is written. Pagefind's extended binary segments the Chinese text of the base variant's
  marked articles (Simplified where there is one) and writes its index into
  `site/pagefind/`, in small chunks a browser fetches on demand; it runs over a copy of
  just the marked articles, and what it writes is cached by the content it read. Every
  other variant shares that index and gets its own records, derived word for word from
  its own pages (search_derive.py), with the result fields the site model gives it
  (search_fields.py): each page is segmented once, not once per script.

Cross-script queries: the query is converted in the browser to the script of the index
the reader's variant uses, with a character map written next to the bundle
(`pagefind/bulletin-<lang>.json`). The map is generated from OpenCC's tables and
restricted to the characters the indexed pages use, so it stays small, and a character
with several forms in use (发 → 發/髮) lists them by frequency for the browser to try.
Results and excerpts come from the reader's variant's own records, in its own script.

Names: the segmenter splits a name or set phrase its dictionary does not hold (赵德顺,
后振国, 四点半课堂) into pieces that match elsewhere or nothing. Each variant therefore
also gets a list of its pages' titles, communities, tags and people's summaries
(`bulletin-<lang>-names*.json`, see search_names.py), written from the published records,
so that a withheld person, who has none, is in no list. The browser looks the query up
in it as a substring, both sides folded into the index's script with the character map,
and ranks those pages first. The notices page lists its notices there too, each found like a
title.

Phrases and synonyms (search_text.py): postings of the character pairs of each index's page
text find every page that holds a query, whatever the segmenter made of it; the editors'
synonyms (site_src/search.yml) go into each variant's manifest.

This module runs the index; what a result shows and the marking are in search_entry.py,
the name lists and the query map in search_names.py, the bundle's files (reading, page
lists, fetching ahead, the cache) in search_bundle.py. Their public names are also here.
"""

from __future__ import annotations

import gzip
import hashlib
import html as htmlmod
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import incremental, search_derive, search_fields, search_names, search_text
from .search_bundle import (PREFETCH_LIMIT, PREFETCH_MODES, STATS_FILE, UNUSED_BUNDLE_FILES,  # noqa: F401
                            _drop_unused, _from_cache, _link_or_copy, _merge_bundle, _prefetch_list, _records,
                            _replace, _staging_root, _store, _write_page_list, language_files, manifest_name,
                            pagefind_executable, pagefind_version, read_fragments, read_json, read_manifest)
from .search_entry import Entry, SearchError, entry_for, mark_page, meta_block  # noqa: F401  (the plugin's API)
from .search_fields import Fields, page_entries, result_fields, site_fields  # noqa: F401  (the plugin's API)
from .search_names import (NAMES_FORMAT, NAMES_ONE_FILE, NAMES_SHARDS, _write_names, char_table,  # noqa: F401
                           name_pairs, pair_shard, query_map, script_forms)  # (their constants are read there)
from .search_text import load_synonyms  # noqa: F401  (the plugin reads the editors' file through search)
from .script import HANS
from .variants.model import Variant

BUNDLE = "pagefind"  # the bundle's directory under site/, shared by every variant

# Inside the article, but not content: Material's edit/view buttons, the page's
# revision date, permalink anchors, and anything a template marks as skip.
EXCLUDE_SELECTORS = (".md-content__button", ".md-source-file", ".headerlink", "[data-search-skip]")

@dataclass
class SearchStats:
    """What `index_site` did, for the build log and the benchmark."""

    pages: dict[str, int] = field(default_factory=dict)  # lang -> pages indexed
    bundle_bytes: int = 0  # size on disk of site/pagefind/ as published
    index_bytes: dict[str, int] = field(default_factory=dict)  # lang -> index+fragments+filters+meta
    map_entries: dict[str, int] = field(default_factory=dict)  # lang -> query map size
    seconds: float = 0.0
    cached: bool = False
    segmented: int = 0  # pages Pagefind read this time (0: its index came from the cache)
    derived: dict[str, str] = field(default_factory=dict)  # lang -> the lang its records come from
    converted: dict[str, int] = field(default_factory=dict)  # lang -> derived pages converted by OpenCC
    fallback: str = ""  # why no variant could share the base's index (Pagefind's format), if so

    def summary(self) -> str:
        notice = (f"搜索索引：{self.fallback}，各文字版本已改为分别建索引（搜索照常可用，只是构建慢一些、索引大一些）。"
                  f"要恢复共用分词，请安装固定的版本：pip install 'pagefind[extended]=={search_derive.PAGEFIND_VERSION}' "
                  f"'pagefind-bin-extended=={search_derive.PAGEFIND_VERSION}'\n") if self.fallback else ""
        pages = "，".join(f"{lang} {n} 页" for lang, n in self.pages.items()) or "没有页面"
        how = "（沿用缓存）" if self.cached else "（分词沿用缓存）" if not self.segmented else ""
        shared = "".join(f"；{lang} 与 {base} 共用分词" + (f"，其中 {self.converted[lang]} 页简繁字数不同，部分文字按 OpenCC 转换"
                                                        if self.converted.get(lang) else "")
                         for lang, base in self.derived.items())
        return (f"{notice}搜索索引：{pages}{shared}，共 {self.bundle_bytes / 1024:.0f} KiB，"
                f"用时 {self.seconds:.1f} 秒{how}。")


LANG_RE = re.compile(r'<html\b[^>]*\blang="([^"]+)"', re.I)


@dataclass
class _Page:
    rel: str
    lang: str
    region: str  # the marked <article>…</article>, as published


BODY_RE = re.compile(r"<article\b[^>]*\bdata-pagefind-body\b[^>]*>")


def _scan(site_dir: Path, bundle: Path) -> list[_Page]:
    pages = []
    for path in _html_files(site_dir, bundle):
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()
        if "data-pagefind-body" not in text:
            continue
        match = BODY_RE.search(text)
        if match is None:
            continue
        end = text.find("</article>", match.end())
        end = len(text) if end < 0 else end + len("</article>")
        lang = LANG_RE.search(text)
        pages.append(_Page(os.path.relpath(path, site_dir).replace(os.sep, "/"), (lang[1] if lang else "").lower(),
                           text[match.start():end]))
    return pages


def _html_files(site_dir: Path, bundle: Path) -> list[str]:
    """The site's .html files outside `bundle`, in the order of their relative paths
    (os.walk: a site has thousands, and Path objects cost more than the walk)."""
    found, skip = [], os.path.normpath(bundle)
    for folder, dirs, files in os.walk(site_dir):
        dirs[:] = [name for name in dirs if os.path.join(folder, name) != skip]
        found.extend(os.path.join(folder, name) for name in files if name.endswith(".html"))
    return sorted(found, key=lambda path: path.split(os.sep))


def variant_of(rel: str, variants: Sequence[Variant]) -> Variant | None:
    """The variant a published path belongs to: the longest matching prefix."""
    best = None
    for variant in variants:
        if rel.startswith(variant.folder) and (best is None or len(variant.folder) > len(best.folder)):
            best = variant
    return best


def index_site(site_dir: Path, variants: Sequence[Variant], *, cache_dir: Path | None = None,
               prefetch: str = "auto", synonyms: dict[str, list[str]] | None = None,
               bundle: Path | None = None, fields: Fields | None = None) -> SearchStats:
    """Index the finished site: `site_dir/pagefind/` with one index per variant.

    Runs after every variant is written. Pages count if `mark_page` marked them. Pagefind
    segments and indexes the base variant's pages (see `base_variant`); every variant that
    publishes the same pages gets its records derived from those (search_derive.py), a
    variant that does not is indexed on its own. With a `cache_dir`, a bundle built from
    the same pages is taken from there; when only pages of derived variants changed,
    Pagefind's part is (see `_index`). Raises SearchError if Pagefind is missing or fails;
    a site with nothing to index gets no bundle. `synonyms` (search_text.load_synonyms)
    go into every variant's manifest, folded into its index's script. `bundle`: where to
    write it instead (the preview builds it aside, then moves it in: `preview.move_bundle`).
    `fields` (search_fields.result_fields): what the derived variants' results show, from
    the site model; without them, each is the base's converted like the record's headings.
    """
    start = time.perf_counter()
    site_dir = Path(site_dir)
    bundle = Path(bundle) if bundle is not None else site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    pages = _scan(site_dir, site_dir / BUNDLE)
    stats = SearchStats()
    for page in pages:
        stats.pages[page.lang] = stats.pages.get(page.lang, 0) + 1
    if pages:
        synonyms = synonyms or {}
        key = _digest(pages, f"{[(v.key, v.folder, v.code, v.phrases, v.corner_quotes) for v in variants]}\n{prefetch}\n"
                             f"{sorted(synonyms.items())}\n{search_fields.key(fields)}\n")
        cached = cache_dir / "search-site" / key if cache_dir else None
        if _from_cache(cached, bundle):
            done = json.loads((cached / STATS_FILE).read_text(encoding="utf-8"))
            stats.derived, stats.converted, stats.cached = done["derived"], done["converted"], True
            stats.fallback = done.get("fallback", "")
        else:
            try:
                _write_bundle(pages, variants, bundle, cache_dir, prefetch, stats, synonyms, fields)
            except search_derive.FormatError as exc:
                raise SearchError(f"{pagefind_version() or 'Pagefind'} 写出的搜索索引，本程序读不懂（{exc}）。"
                                  "请安装 pyproject.toml 固定的版本：pip install "
                                  f"'pagefind[extended]=={search_derive.PAGEFIND_VERSION}' "
                                  f"'pagefind-bin-extended=={search_derive.PAGEFIND_VERSION}'") from exc
            if cached is not None:
                _store(bundle, cached)
                (cached / STATS_FILE).write_text(json.dumps({"derived": stats.derived, "converted": stats.converted,
                                                             "fallback": stats.fallback}), encoding="utf-8")
        for variant in variants:
            if (bundle / manifest_name(variant.key)).is_file():
                manifest = read_manifest(bundle, variant.key)
                stats.map_entries[variant.key] = len(manifest["map"])
                stats.index_bytes[variant.key] = sum(p.stat().st_size for p in language_files(bundle, variant.key))
        stats.bundle_bytes = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    stats.seconds = time.perf_counter() - start
    return stats




def _write_bundle(pages: Sequence[_Page], variants: Sequence[Variant], bundle: Path, cache_dir: Path | None,
                  prefetch: str, stats: SearchStats, synonyms: dict[str, list[str]], fields: Fields | None) -> None:
    by_variant: dict[str, dict[str, _Page]] = {v.key: {} for v in variants}
    for page in pages:
        variant = variant_of(page.rel, variants)
        if variant is not None:
            by_variant[variant.key][page.rel[len(variant.folder):]] = page
    base = base_variant(variants)
    # A variant shares the base's index if it publishes the same pages and its words are the
    # base's words in another script; with regional vocabulary its readers type words (軟體)
    # the base does not have (软件), so it is indexed on its own.
    derived = [v for v in variants if v is not base and not v.phrases
               and by_variant[v.key].keys() == by_variant[base.key].keys()
               and all(p.lang == v.key for p in by_variant[v.key].values())]
    indexed = [p for p in pages if not any(variant_of(p.rel, variants) is v for v in derived)]
    if not _index(indexed, bundle, cache_dir):
        stats.segmented = len(indexed)
    chars = {page.rel: search_derive.han_chars(page.region) for page in pages}

    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    problem = search_derive.format_problem(bundle, entry) if derived else None
    if problem:  # another Pagefind's bundle: index each variant on its own rather than misread it
        stats.fallback = problem
        others = [p for p in pages if any(variant_of(p.rel, variants) is v for v in derived)]
        _build_bundle(others, bundle)
        _drop_unused(bundle)
        stats.segmented += len(others)
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        derived = []
    known: dict[Path, dict] = {}  # records derive_language read or wrote, by path
    for variant in derived:
        pairs = {}
        for rest, page in by_variant[base.key].items():
            other = by_variant[variant.key][rest]
            pairs[_url(page.rel)] = search_derive.Pair(page.region, other.region, _url(other.rel), chars[page.rel],
                                                       chars[other.rel], search_fields.of_page(fields, variant.key, rest))
        deriver = search_derive.Deriver(base.code, variant.code, variant.corner_quotes and not base.corner_quotes)
        if not search_derive.derive_language(bundle, entry, base.key, variant.key, deriver, pairs, cache_dir, known):
            _build_bundle(list(by_variant[variant.key].values()), bundle)  # records and pages disagree
            _drop_unused(bundle)
            entry = json.loads(entry_path.read_text(encoding="utf-8"))
            continue
        stats.derived[variant.key] = base.key
        stats.converted[variant.key] = deriver.converted
    _replace(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")))

    postings: dict[str, dict[str, Any]] = {}  # index (source variant) -> its phrase postings
    maps: dict[str, dict[str, str]] = {}  # index (source variant) -> its query map
    for variant in sorted(variants, key=lambda v: v.key not in stats.derived):  # sources first
        if variant.key not in entry["languages"]:
            continue
        source = base if variant.key in stats.derived else variant
        if source.key not in maps:  # variants that share an index share its map
            used: Counter = Counter()
            for page in by_variant[source.key].values():
                used.update(chars[page.rel])
            maps[source.key] = query_map(source.code, used)
        qmap = maps[source.key]
        files = search_derive.language_files(bundle, entry, variant.key)
        records = _records(files, known)
        page_list = _write_page_list(bundle, records, variant.key)
        names = _write_names(bundle, records, variant.key, qmap)
        if source.key not in postings:
            postings[source.key] = search_text.write_postings(
                bundle, source.key, [r.get("content", "") for _, r in records], qmap)
        text = postings[source.key]
        shards = [text["pattern"].replace("#", str(k)) for k in range(text["shards"]) if k not in text["empty"]]
        manifest = {
            "lang": variant.key,
            "map": qmap,
            "pages": page_list,
            "names": names,
            # the ids of the index's pages in its page list's order (what postings number)
            "text": {**text, "prefix": f"{variant.key}_",
                     "ids": [p.name.removesuffix(".pf_fragment").removeprefix(f"{variant.key}_")
                             for p, _ in records]},
            "synonyms": search_text.fold_synonyms(synonyms, qmap, script_forms),
            "prefetch": _prefetch_list(bundle, files, page_list, prefetch,
                                       [names["all"]] if names["all"] else [], shards),
        }
        (bundle / manifest_name(variant.key)).write_bytes(gzip.compress(
            json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode(), compresslevel=9, mtime=0))
    # Every first query loads Pagefind's script: served gzipped whatever the web server does
    # (a third of its size; search.js unpacks it, or loads pagefind.js where it cannot).
    script = bundle / "pagefind.js"
    if script.is_file():
        (bundle / "pagefind.js.gz").write_bytes(gzip.compress(script.read_bytes(), compresslevel=9, mtime=0))


def _digest(pages: Sequence[_Page], settings: str = "") -> str:
    """What a bundle is built from: the pages' paths, languages and indexed text, Pagefind
    and its settings, this package's code, and where the pages are staged (Pagefind
    numbers them in the order the folder lists them, which differs between file systems)."""
    staged = _staging_root(sum(len(page.region) for page in pages)) or "temp"
    digest = hashlib.sha256(f"{pagefind_version()}\n{incremental.code_digest()}\n{staged}\n"
                            f"{EXCLUDE_SELECTORS}\n{UNUSED_BUNDLE_FILES}\n"
                            f"names {search_names.NAMES_FORMAT} {search_names.NAMES_ONE_FILE} {search_names.NAMES_SHARDS}\n"
                            f"text {search_text.TEXT_FORMAT} {search_text.TEXT_ONE_FILE} {search_text.TEXT_SHARD_BYTES} {search_text.TEXT_SHARDS}\n"
                            f"{settings}".encode())
    for page in pages:
        digest.update(f"{page.rel}\0{page.lang}\0".encode())
        digest.update(hashlib.sha256(page.region.encode()).digest())
    return digest.hexdigest()[:20]


def base_variant(variants: Sequence[Variant]) -> Variant:
    """The variant Pagefind segments: the first Simplified one (the segmenter's dictionary
    is Simplified), else the first."""
    return next((v for v in variants if v.code == HANS), variants[0])


def _url(rel: str) -> str:
    """The URL Pagefind gives a page at `rel`: "plans/a/index.html" -> "/plans/a/"."""
    return "/" + rel.removesuffix("index.html")


def _index(pages: Sequence[_Page], bundle: Path, cache_dir: Path | None) -> bool:
    """Pagefind over `pages` into `bundle`, or what it wrote from the same pages before
    (then returns True)."""
    cached = cache_dir / "search" / _digest(pages) if cache_dir else None
    if _from_cache(cached, bundle):
        return True
    _build_bundle(pages, bundle)
    _drop_unused(bundle)
    if cached is not None:
        _store(bundle, cached)
    return False


def _build_bundle(pages: Sequence[_Page], bundle: Path) -> None:
    """Pagefind over a staging copy of the indexed articles, one language at a time.

    Pagefind holds a language's whole index in memory while it builds it, and reads
    every HTML file it is given: one run per language halves the peak memory, and the
    staging copy spares it the headers, navigation and unindexed pages (a third of the
    site's bytes). The runs' bundles are merged: their files are named by language, and
    pagefind-entry.json lists every language.
    """
    by_lang: dict[str, list[_Page]] = {}
    for page in pages:
        by_lang.setdefault(page.lang, []).append(page)
    with tempfile.TemporaryDirectory(prefix="bulletin-search-", dir=_staging_root(sum(len(page.region) for page in pages))) as tmp:
        for n, (lang, group) in enumerate(sorted(by_lang.items())):
            stage, out = Path(tmp) / f"stage-{n}", Path(tmp) / f"bundle-{n}"
            for page in group:
                path = stage / page.rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f'<!doctype html><html lang="{htmlmod.escape(lang)}"><head><meta charset="utf-8">'
                                f"</head><body>{page.region}</body></html>", encoding="utf-8")
            if not bundle.exists():
                run_pagefind(stage, bundle)  # the first language goes straight into place
            else:
                run_pagefind(stage, out)
                _merge_bundle(out, bundle)
            shutil.rmtree(stage)


def run_pagefind(source: Path, bundle: Path | None = None) -> None:
    """Run Pagefind over the pages under `source`, writing the bundle to `bundle`
    (default: `source/pagefind/`)."""
    bundle = bundle or source / BUNDLE
    cmd = [str(pagefind_executable()), "--site", str(source), "--output-path", str(bundle), "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        cmd += ["--exclude-selectors", selector]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=source)
    except OSError as exc:
        raise SearchError(f"无法运行 Pagefind（{exc.strerror or exc}）。"
                          "请重新安装：pip install --force-reinstall 'pagefind[extended]'") from exc
    if done.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SearchError("Pagefind 生成搜索索引失败：" + " / ".join(detail))


