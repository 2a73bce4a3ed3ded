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
  its own pages (search_derive.py): each page is segmented once, not once per script.

Cross-script queries: the query is converted in the browser to the script of the index
the reader's variant uses, with a character map written next to the bundle
(`pagefind/bulletin-<lang>.json`). The map is generated from OpenCC's tables and
restricted to the characters the indexed pages use, so it stays small, and a character
with several forms in use (发 → 發/髮) lists them by frequency for the browser to try.
Results and excerpts come from the reader's variant's own records, in its own script.

Names: the segmenter splits a name or set phrase its dictionary does not hold (赵德顺,
后振国, 四点半课堂) into pieces that match elsewhere or nothing. Each variant therefore
also gets a list of its pages' titles, communities, tags and people's summaries
(`bulletin-<lang>-names*.json`, see `_write_names`), written from the published records,
so that a withheld person, who has none, is in no list. The browser looks the query up
in it as a substring, both sides folded into the index's script with the character map,
and ranks those pages first. The notices page lists its notices there too, each found like a
title.

Phrases and synonyms (search_text.py): postings of the character pairs of each index's page
text find every page that holds a query, whatever the segmenter made of it; the editors'
synonyms (site_src/search.yml) go into each variant's manifest.
"""

from __future__ import annotations

import datetime as dt
import functools
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

from .content import Source
from .report import Report
from .screen.notices import NOTICES_FILE, parse_notices
from . import search_derive, search_text
from .search_text import load_synonyms  # noqa: F401  (the plugin reads the editors' file through search)
from .script import HANS, SCRIPTS, detect_script, mark
from .script.engine import CHAINS, run_chain

BUNDLE = "pagefind"  # the bundle's directory under site/, shared by every variant

# Inside the article, but not content: Material's edit/view buttons, the page's
# revision date, permalink anchors, and anything a template marks as skip.
EXCLUDE_SELECTORS = (".md-content__button", ".md-source-file", ".headerlink", "[data-search-skip]")

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


class SearchError(RuntimeError):
    """Pagefind is missing or failed; the message says what to do, in Chinese."""


@dataclass(frozen=True)
class Entry:
    """What a search result shows for one page."""

    kind: str  # plan | album | person | notice
    title: str
    date: str = ""  # as the page shows it: 2026-03-05, 2026-11, 20xx年3月
    community: str = ""  # issuing body, the person's community, or the album's place
    script: str | None = None  # script the texts above are written in (None: Simplified)
    tags: tuple[str, ...] = ()  # topics, in their own script
    summary: str = ""  # a person's one-line deed (四点半课堂): found whole, like a title
    notices: tuple[str, ...] = ()  # the notices page's notices: each found like a title


@dataclass(frozen=True)
class Variant:
    """One published script variant: its `<html lang>`, its URL prefix and its script."""

    lang: str  # as on the pages' <html lang>: "zh-Hans", "zh-Hant-HK"
    prefix: str = ""  # "" for the variant at the site root, else its folder, e.g. "zh-hant"
    script: str = ""  # one of bulletin.script.SCRIPTS; defaults to `lang`
    phrases: bool = False  # converted with regional vocabulary (软件 → 軟體): gets an index of its own
    corner_quotes: bool = False  # its pages print “” as 「」 (bulletin.variants): so do its search results

    def __post_init__(self) -> None:
        prefix = self.prefix.strip("/")
        object.__setattr__(self, "prefix", prefix + "/" if prefix else "")

    @classmethod
    def of(cls, variant: Any) -> "Variant":
        """From the variant writer's Variant (code, prefix, lang): bulletin.variants."""
        return cls(variant.lang or variant.code, variant.prefix, variant.code, variant.phrases,
                   variant.corner_quotes)

    @property
    def target(self) -> str:
        script = self.script or self.lang
        if script not in SCRIPTS:
            raise SearchError(f"不认识的文字版本「{script}」，应为 {', '.join(SCRIPTS)} 之一")
        return script

    @property
    def key(self) -> str:
        """The language key Pagefind derives from `<html lang>` (lower case)."""
        return self.lang.lower()


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


def entry_for(source: Source, script: str | None = None, today: dt.date | None = None) -> Entry | None:
    """The search entry of an accepted page, or None if the page is not searchable.

    Plans, albums, honor-roll profiles and the notices page (site_src/notices.md, each
    notice found like a title; expired ones are not) are searchable; ordinary pages (home,
    listings, tag pages) are not, so they never crowd out the content they list. A profile past its
    `until` date is left out even if a page for it was published: search must never
    surface a withdrawn person. `script` is the page's source script (detected from its
    text when not given).
    """
    meta = source.meta
    if source.rel == NOTICES_FILE:
        day = today or dt.date.today()
        notices = tuple(n["text"] for n in parse_notices(source.body, source.display, source.body_line, Report())
                        if not (n["until"] and n["until"] < day))
        title = str(meta.get("title") or "")
        if script is None:
            script = detect_script(f"{title}\n{source.body}")
        return Entry("notice", title, "", "", script, (), "", notices)
    if source.kind == "plan":
        title, date, where = meta.get("title", ""), meta.get("date") or meta.get("year"), meta.get("community")
    elif source.kind == "album":
        title, date, where = meta.get("title", ""), meta.get("date"), meta.get("location")
    elif source.kind == "person":
        until = meta.get("until")
        if isinstance(until, dt.date) and until < (today or dt.date.today()):
            return None
        title, date, where = meta.get("name", ""), meta.get("honored"), meta.get("community")
    else:
        return None
    if script is None:
        script = detect_script(f"{title}\n{where or ''}\n{source.body}")
    tags = meta.get("tags")
    tags = tuple(str(t) for t in tags if str(t).strip()) if isinstance(tags, (list, tuple)) else ()
    summary = str(meta.get("summary") or "") if source.kind == "person" else ""
    return Entry(source.kind, str(title), _date_text(date), str(where or ""), script, tags, summary)


_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def _date_text(value: Any) -> str:
    """A date as the pages show it: 2026年3月5日, 2026年11月; other text as written."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = "" if value is None else str(value).strip()
    match = _ISO_DATE_RE.match(text)
    if match:
        year, month, day = match.groups()
        return f"{year}年{int(month)}月" + (f"{int(day)}日" if day else "")
    return text


ARTICLE_RE = re.compile(r'<article\b[^>]*\bclass="[^"]*\bmd-content__inner\b[^"]*"[^>]*>')
IMG_ALT_RE = re.compile(r"<img\b(?=[^>]*\balt=\"[^\"]+\")(?![^>]*data-pagefind-index-attrs)", re.I)


def mark_page(html: str, entry: Entry | None) -> str:
    """`html` with Pagefind markup on its article; unchanged if `entry` is None.

    Adds `data-pagefind-body` to Material's `<article class="md-content__inner">`, a hidden
    block of result fields right inside it, and `data-pagefind-index-attrs="alt"` on
    images with a caption. Pagefind indexes only marked articles once any page has one,
    so pages without an entry (and the screen) stay out of the index. A page whose
    template has no such article is returned unchanged and is not indexed.
    """
    if entry is None or "data-pagefind-body" in html:
        return html
    match = ARTICLE_RE.search(html)
    if match is None:
        return html
    opening = match.group(0)[:-1].rstrip("/") + " data-pagefind-body>"
    end = html.find("</article>", match.end())
    end = len(html) if end < 0 else end
    body = IMG_ALT_RE.sub(r'<img data-pagefind-index-attrs="alt"', html[match.end():end])
    return html[:match.start()] + opening + meta_block(entry) + body + html[end:]


def meta_block(entry: Entry) -> str:
    """The hidden result fields of one page (not indexed as text, not shown).

    Fields people read (title, community, the kind's label) are element text, so the
    variant writer converts them like any other text; machine keys are attribute values.
    """
    def text(value: str) -> str:
        return htmlmod.escape(mark(value, entry.script), quote=False)

    def attr(value: str) -> str:
        return htmlmod.escape(value, quote=True)

    parts = [
        f'<span data-pagefind-meta="kind:{attr(entry.kind)}"></span>',
        f'<span data-pagefind-meta="title">{text(entry.title)}</span>',
    ]
    if entry.date:
        parts.append(f'<span data-pagefind-meta="date:{attr(entry.date)}"></span>')
    if entry.community:
        parts.append(f'<span data-pagefind-meta="community">{text(entry.community)}</span>')
    if entry.tags:
        # Tags are normalised values, in whichever script the editor typed them: each
        # carries its own script, not the page's.
        tags = TAG_SEPARATOR.join(mark(t, detect_script(t)) for t in entry.tags)
        parts.append(f'<span data-pagefind-meta="tags">{htmlmod.escape(tags, quote=False)}</span>')
    if entry.summary:
        parts.append(f'<span data-pagefind-meta="summary">{text(entry.summary)}</span>')
    if entry.notices:
        notices = NOTICE_SEPARATOR.join(entry.notices)
        parts.append(f'<span data-pagefind-meta="notices">{text(notices)}</span>')
    return f'<div class="bl-search-meta" hidden data-pagefind-ignore>{"".join(parts)}</div>'


TAG_SEPARATOR = "、"  # between the tags of the `tags` field (search.js splits them there)
NOTICE_SEPARATOR = "｜"  # between the notices of the `notices` field (search.js splits them there)


SCAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@functools.lru_cache(maxsize=None)
def char_table(source: str, target: str) -> dict[str, str]:
    """Character-level conversion `source` → `target` for every CJK character it changes.

    Characters are converted one per line so that no phrase table applies: a query is
    converted character by character in the browser, and alternatives come from the
    reverse direction (see `query_map`).
    """
    chars = [chr(c) for lo, hi in SCAN_RANGES for c in range(lo, hi)]
    out = run_chain(CHAINS[(source, target)], "\n".join(chars)).split("\n")
    if len(out) != len(chars):
        raise SearchError("OpenCC 的逐字转换结果与输入不等长，无法生成搜索用的字表。")
    return {a: b for a, b in zip(chars, out) if a != b and len(b) == 1}


def script_forms(word: str) -> list[str]:
    """`word` in every script, character by character (OpenCC's one-to-one forms): through
    Simplified, with the tables `query_map` reads anyway."""
    back = [char_table(other, HANS) for other in SCRIPTS if other != HANS]
    hans = "".join(next((t[c] for t in back if c in t), c) for c in word)
    return [hans, *("".join(char_table(HANS, other).get(c, c) for c in hans) for other in SCRIPTS if other != HANS)]


def query_map(target: str, used: Counter) -> dict[str, str]:
    """For each character a reader may type in another script, its forms in `target`.

    `used` counts the characters of the variant's indexed text. A character maps to the
    forms of it that the pages use, most frequent first; it is left out when none is used
    (such a query cannot match either way). Forms come both ways: 卫 → 衞 (s2hk) and
    髮 → 发 read backwards gives 发 → 髮 as well as 發.
    """
    forms: dict[str, set[str]] = {}
    for other in SCRIPTS:
        if other == target:
            continue
        for typed, native in char_table(other, target).items():
            forms.setdefault(typed, set()).add(native)
        for native, typed in char_table(target, other).items():
            forms.setdefault(typed, set()).add(native)
    result = {}
    for typed, natives in forms.items():
        if used[typed]:
            natives = natives | {typed}  # 干 is also 干 in Hong Kong (若干)
        keep = sorted((c for c in natives if used[c]), key=lambda c: (-used[c], c))
        if keep and keep != [typed]:
            result[typed] = "".join(keep)
    return dict(sorted(result.items()))


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
        if rel.startswith(variant.prefix) and (best is None or len(variant.prefix) > len(best.prefix)):
            best = variant
    return best


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


def index_site(site_dir: Path, variants: Sequence[Variant], *, cache_dir: Path | None = None,
               prefetch: str = "auto", synonyms: dict[str, list[str]] | None = None) -> SearchStats:
    """Index the finished site: `site_dir/pagefind/` with one index per variant.

    Runs after every variant is written. Pages count if `mark_page` marked them. Pagefind
    segments and indexes the base variant's pages (see `base_variant`); every variant that
    publishes the same pages gets its records derived from those (search_derive.py), a
    variant that does not is indexed on its own. With a `cache_dir`, a bundle built from
    the same pages is taken from there; when only pages of derived variants changed,
    Pagefind's part is (see `_index`). Raises SearchError if Pagefind is missing or fails;
    a site with nothing to index gets no bundle. `synonyms` (search_text.load_synonyms)
    go into every variant's manifest, folded into its index's script.
    """
    start = time.perf_counter()
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    pages = _scan(site_dir, bundle)
    stats = SearchStats()
    for page in pages:
        stats.pages[page.lang] = stats.pages.get(page.lang, 0) + 1
    if pages:
        synonyms = synonyms or {}
        key = _digest(pages, f"{[(v.key, v.prefix, v.target, v.phrases, v.corner_quotes) for v in variants]}\n{prefetch}\n"
                             f"{sorted(synonyms.items())}\n")
        cached = cache_dir / "search-site" / key if cache_dir else None
        if _from_cache(cached, bundle):
            done = json.loads((cached / STATS_FILE).read_text(encoding="utf-8"))
            stats.derived, stats.converted, stats.cached = done["derived"], done["converted"], True
            stats.fallback = done.get("fallback", "")
        else:
            try:
                _write_bundle(pages, variants, bundle, cache_dir, prefetch, stats, synonyms)
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


STATS_FILE = "bulletin-stats.json"  # kept with a cached bundle: what index_site reports of it


def _write_bundle(pages: Sequence[_Page], variants: Sequence[Variant], bundle: Path, cache_dir: Path | None,
                  prefetch: str, stats: SearchStats, synonyms: dict[str, list[str]]) -> None:
    by_variant: dict[str, dict[str, _Page]] = {v.key: {} for v in variants}
    for page in pages:
        variant = variant_of(page.rel, variants)
        if variant is not None:
            by_variant[variant.key][page.rel[len(variant.prefix):]] = page
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
            pairs[_url(page.rel)] = search_derive.Pair(page.region, other.region, _url(other.rel),
                                                       chars[page.rel], chars[other.rel])
        deriver = search_derive.Deriver(base.target, variant.target, variant.corner_quotes and not base.corner_quotes)
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
            maps[source.key] = query_map(source.target, used)
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


def _digest(pages: Sequence[_Page], settings: str = "") -> str:
    """What a bundle is built from: the pages' paths, languages and indexed text, Pagefind
    and its settings."""
    digest = hashlib.sha256(f"{pagefind_version()}\n{EXCLUDE_SELECTORS}\n{UNUSED_BUNDLE_FILES}\n"
                            f"names {NAMES_FORMAT} {NAMES_ONE_FILE} {NAMES_SHARDS}\n"
                            f"text {search_text.TEXT_FORMAT} {search_text.TEXT_ONE_FILE} {search_text.TEXT_SHARD_BYTES} {search_text.TEXT_SHARDS}\n"
                            f"{settings}".encode())
    for page in pages:
        digest.update(f"{page.rel}\0{page.lang}\0".encode())
        digest.update(hashlib.sha256(page.region.encode()).digest())
    return digest.hexdigest()[:20]


def base_variant(variants: Sequence[Variant]) -> Variant:
    """The variant Pagefind segments: the first Simplified one (the segmenter's dictionary
    is Simplified), else the first."""
    return next((v for v in variants if v.target == HANS), variants[0])


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
    with tempfile.TemporaryDirectory(prefix="bulletin-search-", dir=_staging_root(pages)) as tmp:
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


def _staging_root(pages: Sequence[_Page]) -> str | None:
    """Where the staging copy goes: memory (/dev/shm) where there is room for it many times
    over, as it is written, read once and removed (on a disk, making a thousand folders and
    files costs more than Pagefind's reading them); else the usual temporary folder."""
    shm = "/dev/shm"
    try:
        if os.path.isdir(shm) and os.access(shm, os.W_OK):
            needed = sum(len(page.region) * 3 for page in pages) + (64 << 20)
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
    return [(path, known[path] if path in known else search_derive.read_file(path))
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


# A variant's names, titles, communities and tags, for the browser's exact pass (see
# `_write_names`): one list while it is small, else postings of character pairs in shards.
NAMES_ONE_FILE = 32 * 1024
NAMES_SHARDS = 256
NAMES_FORMAT = 5  # part of the cache key: a cached bundle with another layout is not reused


def _write_names(bundle: Path, records: Sequence[tuple[Path, dict]], key: str,
                 qmap: dict[str, str]) -> dict[str, Any]:
    """`bulletin-<lang>-names.json.gz` (and on a big site `-names-<k>.json.gz`; gzipped
    JSON, as a first query fetches them): what search.js
    matches a query against, whole.

    The segmenter splits a name it does not know (赵德顺, 后振国) or a set phrase
    (四点半课堂) into pieces that match elsewhere or nothing; the browser therefore also
    looks for the query as a substring of each page's title, community, tags and (people)
    summary, and ranks those pages first. The list has one row per page of the variant's
    index: [id without the "<lang>_" prefix, title, community, tags joined by 、,
    summary, notices joined by ｜ (the notices page's, each found like a title)], read from the published records (so a withheld person, who has none, is in
    no list).

    A list over NAMES_ONE_FILE would cost every first query its size, so a big site also
    gets postings: for each pair of adjacent characters of a title ("t") or of another
    field ("o"), the ids of the rows that hold it, in shard (code point of the first × 31
    + code point of the second) % NAMES_SHARDS. A query fetches the shards of its pairs
    (a few KB), intersects their ids and reads the few candidates' records to rank them
    (search.js). Characters count as the browser compares them: folded into the index's
    script with the variant's query map `qmap` (its most used form), so 趙 and 赵 pair
    alike. The whole list stays for offline search (fetched ahead when it fits).
    Returns the manifest's "names" entry: {"prefix", "all" (the list, or None), "shards"
    (0: none, use the list), "pattern" (shard k's name with # for k), "empty" (shards
    not written)}: the manifest is part of every first query, 256 names are not.
    """
    prefix = f"{key}_"
    rows = []
    for path, record in records:
        meta = record.get("meta") or {}
        ident = path.name.removesuffix(".pf_fragment")
        if not ident.startswith(prefix) or not meta.get("title"):
            continue
        rows.append([ident[len(prefix):], meta.get("title", ""), meta.get("community", ""), meta.get("tags", ""),
                     meta.get("summary", ""), meta.get("notices", "")])
    rows.sort(key=lambda r: r[0])
    if not rows:
        return {"prefix": prefix, "all": None, "shards": 0, "pattern": "", "empty": []}

    def dump(part: Any) -> bytes:
        return json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()

    everything = f"bulletin-{key}-names.json.gz"
    whole = dump(rows)
    (bundle / everything).write_bytes(gzip.compress(whole, compresslevel=9, mtime=0))
    if len(whole) <= NAMES_ONE_FILE:
        return {"prefix": prefix, "all": everything, "shards": 0, "pattern": "", "empty": []}

    folding = {ord(c): forms[0] for c, forms in qmap.items()  # as search.js `fold`
               if forms and len(forms[0].encode("utf-16-le")) == 2}

    def fold(text: str) -> str:
        return text.translate(folding)

    shards: list[dict[str, dict[str, list[str]]]] = [{} for _ in range(NAMES_SHARDS)]
    for row in rows:
        fields = {"t": [row[1], *row[5].split(NOTICE_SEPARATOR)], "o": [row[2], *row[3].split(TAG_SEPARATOR), row[4]]}
        for field, texts in fields.items():
            pairs = {p for text in texts for p in name_pairs(fold(text))}
            for pair in sorted(pairs):
                shard = shards[pair_shard(pair)].setdefault(field, {})
                shard.setdefault(pair, []).append(row[0])
    pattern = f"bulletin-{key}-names-#.json.gz"
    for k, shard in enumerate(shards):
        if shard:
            (bundle / pattern.replace("#", str(k))).write_bytes(gzip.compress(dump(shard), compresslevel=9, mtime=0))
    return {"prefix": prefix, "all": everything, "shards": NAMES_SHARDS, "pattern": pattern,
            "empty": [k for k, shard in enumerate(shards) if not shard]}


def name_pairs(text: str) -> list[str]:
    """The pairs of adjacent characters of `text` that hold no space (search.js `pairs`)."""
    return [text[i:i + 2] for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())]


def pair_shard(pair: str) -> int:
    """The shard a character pair's postings are in (search.js `pairShard`)."""
    return (ord(pair[0]) * 31 + ord(pair[1])) % NAMES_SHARDS


def _prefetch_list(bundle: Path, files: Sequence[Path], page_list: str, mode: str = "auto",
                   names: Sequence[str] = (), text: Sequence[str] = ()) -> list[str]:
    """Bundle-relative paths to fetch for offline use (see PREFETCH_LIMIT): the variant's
    `files` (search_derive.language_files), its name lists and phrase postings (`text`), or
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
    """The files of one language in a built bundle (see search_derive.language_files)."""
    bundle = Path(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return search_derive.language_files(bundle, entry, lang.lower())


def read_fragments(bundle: Path, lang: str) -> list[dict]:
    """Every page record of one language in a built bundle: url, content, meta, filters."""
    return [search_derive.read_file(p) for p in language_files(bundle, lang) if p.suffix == ".pf_fragment"]

