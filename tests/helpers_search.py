"""Shared by the search tests and bench/bench_search.py: build a site the way the build does.

MkDocs renders the pages (tests/fixtures/search/hooks.py marks them as the plugin's
on_post_page does), bulletin.variants writes the script variants, `search.index_site`
indexes the finished site with each variant's result fields from the site model (the
plugin's on_post_build).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bulletin import checks, content, model, search, variants
from bulletin.script import HANS, HK, Converter

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "search"
SITE_VARIANTS = [variants.Variant(HANS), variants.Variant(HK, "zh-hk")]  # as the plugin publishes them
VARIANTS = SITE_VARIANTS  # zh-Hans at /, zh-Hant-HK at zh-hk/


def build(config_file: Path, site_dir: Path) -> Path:
    """A real MkDocs build of `config_file` into `site_dir`."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_build(load_config(config_file=str(config_file), site_dir=str(site_dir)))
    return site_dir


def converters(docs_dir: Path):
    """The fixture's converter for each variant, as the plugin makes them: personal names
    from the profiles keep their surname (于 stays 于)."""
    index = content.load(docs_dir)
    names = [{"name": s.meta["name"], "name_hant": s.meta.get("name_hant")}
             for s in index.of_kind("person")]
    return lambda v: Converter(v.code, names=names, prefer=HK, corner_quotes=v.corner_quotes)


def write_variants(site_dir: Path, docs_dir: Path) -> int:
    """Write every script variant of the built site, as the plugin does; pages written."""
    pages = variants.find_pages(site_dir, SITE_VARIANTS, HANS)
    stats = variants.write_variants(site_dir, pages, SITE_VARIANTS, HANS, converters(docs_dir))
    return stats.pages


def result_fields(docs_dir: Path) -> dict:
    """Each variant's result fields of the fixture's pages, from the site model, as the
    plugin hands them to `search.index_site` (the entries as hooks.py marks the pages)."""
    from mkdocs.structure.files import File

    index = content.load(docs_dir)
    site = model.build(checks.prepare(index), VARIANTS)
    dests = {rel: File(rel, str(docs_dir), "site", True).dest_uri for rel in index.sources}
    return search.site_fields(site, dests, {}, converters(docs_dir))


def copy_fixture(dest: Path) -> Path:
    """A copy of the fixture project at `dest` (theme still the repository's); its mkdocs.yml."""
    shutil.copytree(FIXTURE, dest)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("custom_dir: ../../../theme", f"custom_dir: {ROOT / 'theme'}"),
                      encoding="utf-8")
    return config


def build_fixture(workdir: Path, config_file: Path = FIXTURE / "mkdocs.yml", *,
                  cache_dir: Path | None = None, prefetch: str = "auto") -> tuple[Path, search.SearchStats]:
    """Build, write variants, index: the published site and what indexing did.
    `prefetch`: what the browser fetches ahead for offline use (search.PREFETCH_MODES)."""
    site = workdir / "site"
    if site.exists():
        shutil.rmtree(site)
    build(config_file, site)
    write_variants(site, config_file.parent / "site_src")
    stats = search.index_site(site, VARIANTS, cache_dir=cache_dir, prefetch=prefetch,
                              fields=result_fields(config_file.parent / "site_src"))
    return site, stats


# ---- the query table (issue 15): queries drawn from a built site, measured in Chromium

import html as _html  # noqa: E402
import re as _re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from bulletin import search_derive  # noqa: E402
from bulletin.script import HK as _HK  # noqa: E402

_ARTICLE_RE = _re.compile(r'<article\b[^>]*\bclass="[^"]*\bmd-content__inner\b[^>]*>(.*?)</article>', _re.S)
_H1_RE = _re.compile(r"<h1\b[^>]*>(.*?)</h1>", _re.S)
_TAG_RE = _re.compile(r"<[^>]+>")
_HAN_RUN_RE = _re.compile("[\u4e00-\u9fff]{4,}")
SEARCHED_FOLDERS = (("person", "people"), ("album", "albums"), ("plan", "plans"))
NOTICES_PAGE = "notices/"


def to_hans(text: str) -> str:
    """`text` with every Traditional character in its Simplified form (one to one), for
    comparing texts whatever script they are in."""
    table = search.char_table(_HK, HANS)
    return "".join(table.get(c, c) for c in text)


def to_hant(text: str) -> str:
    table = search.char_table(HANS, _HK)
    return "".join(table.get(c, c) for c in text)


def published_pages(site: Path, prefix: str = "") -> dict[str, tuple[str, str, str]]:
    """Every page search covers in one variant: site path -> (kind, title shown, text).

    The text is the article as a reader sees it (tags out, the hidden result fields
    out), for the plain substring scan the query table compares search with."""
    found = {}
    pages = [(kind, p) for kind, folder in SEARCHED_FOLDERS
             for p in sorted((site / prefix / folder).glob("*/index.html"))]
    notices = site / prefix / NOTICES_PAGE / "index.html"
    if notices.is_file():
        pages.append(("notice", notices))
    for kind, page in pages:
        html = page.read_text(encoding="utf-8")
        if kind != "notice" and "data-pagefind-body" not in html:
            continue  # a listing page: a category, page 2 of the plans
        article = _ARTICLE_RE.search(html)
        title = _TAG_RE.sub("", _H1_RE.search(html).group(1)).strip()
        text = _html.unescape(_TAG_RE.sub("", search_derive._drop_excluded(article.group(1))))
        found[page.parent.relative_to(site / prefix).as_posix() + "/"] = (kind, title, text)
    return found


def notices_of(text: str) -> list[str]:
    """The notices of the notices page's text, without their dates: one per line."""
    lines = [line.strip() for line in text.splitlines() if "。" in line or "：" in line]
    return [_re.sub(r"^.*?(?:至|起)\s*[\d-]*\s*：", "", line) for line in lines]


@dataclass
class Query:
    text: str
    group: str  # person | album | notice | phrase | synonym
    want: frozenset = frozenset()  # pages that must come first (any of them); empty: the scan's
    scan: tuple = ()  # what a plain substring scan looks for (the query, or what it stands for)
    top3: bool = False  # a part: its page among the first three is enough


def query_table(site: Path, synonyms: dict[str, list[str]] | None = None) -> list[Query]:
    """The issue's table over a built site: every person, album and notice by full name and
    by part, 20 phrases drawn from plan text, each also typed in the other script, and the
    `synonyms` (query -> what it stands for)."""
    pages = published_pages(site)
    table: list[Query] = []

    def add(text: str, group: str, want=(), scan=None, top3=False) -> None:
        for form in dict.fromkeys((text, to_hant(text))):
            table.append(Query(form, group, frozenset(want), tuple(scan or (text,)), top3))

    for path, (kind, title, text) in pages.items():
        if kind == "person":
            add(title, "person", {path})
            add(title[1:] if len(title) == 3 else title[:2], "person", {path}, top3=True)
        elif kind == "album":
            add(title, "album", {path})
            add(title[:len(title) // 2 + 1], "album", {path}, top3=True)
        elif kind == "notice":
            for notice in notices_of(text):
                lead = _re.split(r"[，。：；]", notice)[0]
                add(lead, "notice", {path})
                middle = _HAN_RUN_RE.findall(notice)
                part = max(middle, key=len) if middle else lead
                add(part[len(part) // 2 - 2:len(part) // 2 + 2], "notice", {path}, top3=True)
    plans = [(p, t) for p, (k, _, t) in pages.items() if k == "plan"]
    for path, text in plans[:20]:
        runs = _HAN_RUN_RE.findall(text[len(text) // 3:])
        run = next((r for r in runs if len(r) >= 6), runs[0])
        add(run[1:6], "phrase")
    for query, targets in (synonyms or {}).items():
        add(query, "synonym", scan=[query, *targets])
    unique = {(q.text, q.group): q for q in table}
    return list(unique.values())


def scan(pages: dict[str, tuple[str, str, str]], words) -> set[str]:
    """Pages whose title or text contains one of `words` (any script)."""
    words = [to_hans(w) for w in words]
    return {p for p, (_, title, text) in pages.items()
            if any(w in to_hans(title) or w in to_hans(text) for w in words)}


@dataclass
class Score:
    queries: int = 0
    first: int = 0
    top3: int = 0
    found: int = 0  # pages of the scan found
    expected: int = 0  # pages of the scan
    marked: int = 0  # first results that show the query marked
    markable: int = 0
    misses: list = field(default_factory=list)
    unmarked: list = field(default_factory=list)  # (query, first result, its marks)
    results: list = field(default_factory=list)  # each query's result paths, in order
    scans: list = field(default_factory=list)  # each query's pages of the substring scan

    def line(self, label: str) -> str:
        recall = self.found / self.expected if self.expected else 1.0
        return (f"{label}: {self.queries} queries, found first {self.first}/{self.queries}, "
                f"top 3 {self.top3}/{self.queries}, recall {self.found}/{self.expected} ({recall:.1%}), "
                f"query marked in first result {self.marked}/{self.markable}")


ALL_RESULTS_JS = """async (q) => {
  const input = document.querySelector('[data-bl-search-query]');
  input.value = q; input.dispatchEvent(new Event('input'));
  const root = document.querySelector('[data-bl-search]');
  const until = async (f) => { for (let i = 0; i < 600 && !f(); i++) await new Promise(r => setTimeout(r, 25)); };
  await until(() => root.dataset.blSearchDone === q);
  for (let i = 0; i < 20; i++) {
    const more = root.querySelector('.bl-search__more');
    if (!more) break;
    const n = root.querySelectorAll('.md-search-result__link').length;
    more.click();
    await until(() => root.querySelectorAll('.md-search-result__link').length > n);
  }
  const links = Array.from(root.querySelectorAll('.md-search-result__link'));
  return links.map(a => ({path: new URL(a.href).pathname,
    marks: Array.from(a.querySelectorAll('mark')).map(m => m.textContent)}));
}"""


def measure(page, site: Path, prefix: str, table: list[Query]) -> Score:
    """Run every query of `table` in the open search box of variant `prefix`; the score.
    Results are in display order (grouped by kind), every page of them ("more" clicked)."""
    pages = published_pages(site, prefix)
    score = Score()
    for query in table:
        items = page.evaluate(ALL_RESULTS_JS, query.text)
        paths = [i["path"].lstrip("/").removeprefix(prefix) for i in items]
        expected = scan(pages, query.scan)
        score.results.append(paths)
        score.scans.append(expected)
        want = query.want or expected
        first = bool(paths) and paths[0] in want
        top3 = bool(set(paths[:3]) & want)
        score.queries += 1
        score.first += first or (query.top3 and top3)
        score.top3 += top3
        score.expected += len(expected)
        score.found += len(expected & set(paths))
        if paths and paths[0] in expected:
            score.markable += 1
            marks = [to_hans(m) for m in items[0]["marks"]]
            # a query with a space is marked word by word
            if any(_re.sub(r"\s", "", to_hans(w)) in "".join(marks) for w in query.scan):
                score.marked += 1
            else:
                score.unmarked.append((query.text, paths[0], items[0]["marks"]))
        if not (first or (query.top3 and top3)) or expected - set(paths):
            score.misses.append((query.text, query.group, paths[:3], sorted(expected - set(paths))))
    return score


def plain_index(site: Path, dest: Path, variant: variants.Variant = VARIANTS[1]) -> Path:
    """A copy of `site` whose search is a plain Pagefind index over `variant`'s own pages
    (no shared index, no name lists, no phrase postings), with the same query map, for
    comparing with what the build publishes (issue 15)."""
    import gzip
    import json
    from collections import Counter

    shutil.copytree(site, dest, ignore=shutil.ignore_patterns(search.BUNDLE))
    bundle = dest / search.BUNDLE
    pages = [p for p in search._scan(dest, bundle) if search.variant_of(p.rel, VARIANTS) is variant]
    search._build_bundle(pages, bundle)
    used = Counter()
    for page in pages:
        used.update(search_derive.han_chars(page.region))
    manifest = {"lang": variant.key, "map": search.query_map(variant.code, used), "pages": None,
                "names": {"prefix": variant.key + "_", "all": None, "shards": 0, "pattern": "", "empty": []},
                "prefetch": []}
    (bundle / search.manifest_name(variant.key)).write_bytes(gzip.compress(json.dumps(manifest, ensure_ascii=False).encode()))
    return dest
