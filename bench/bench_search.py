"""`make bench`, search: index size, bytes fetched for a typical query, build-time share.

The corpus is the seed plans in site_src/plans/ (with the profiles and album pages beside
them, Markdown only), as they are (25 plans) and replicated under new slugs to --plans.
Each corpus is built in this run:

- without search: the site's mkdocs.yml minus Material's search plugin (the bulletin
  plugin writes the script variants);
- with search: the same, with the pages marked for search (the plugin's on_post_page,
  here tests/fixtures/search/hooks.py) and `search.index_site` over the finished site;
- peer: plain Material with its own search plugin (lunr; `lang: zh` segments with jieba
  when it is installed: pip install -e '.[bench]').

Bytes fetched are measured in real Chromium on the built site: everything the first query
downloads after the reader opens search (ours), everything search-related from page load
to the first results (Material). The cross-script alternative not taken — a hidden copy
of each page in the other script, indexed — is measured on the same site.

Prints table rows `| name | value | peer | ratio |` (bench/run.py prints the header).
Usage: python bench/bench_search.py [--plans 1000] [--header] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import http.server
import logging
import os
import re
import resource
import shutil
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from bulletin import report, search, search_text  # noqa: E402
from helpers_search import FIXTURE, query_table, to_hans, to_hant  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOOKS = FIXTURE / "hooks.py"
QUERY_HANS = "志愿服务"  # a typical query: a topic most plans mention
QUERY_HANT = "卫生"  # typed in Simplified on the Traditional variant
QUERY_NAME, QUERY_NAME_HANT = "赵德顺", "趙德順"  # an honoree the segmenter splits (issue 15)
PEER = "lunr+jieba" if importlib.util.find_spec("jieba") else "lunr (no jieba)"


def row(name: str, value: str, peer: str = "—", ratio: str = "—") -> None:
    print(f"| {name} | {value} | {peer} | {ratio} |", flush=True)


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:.2f} MiB"


def kib(n: float) -> str:
    return f"{n / 1024:.0f} KiB"


# ---- corpus and configurations


def corpus(dest: Path, plans: int | None) -> int:
    """site_src/ at `dest` (photos too), the plans replicated to `plans` (None: as they are)."""
    src = ROOT / "site_src"
    seeds = sorted((src / "plans").glob("*.md"))
    if not seeds:  # before the import: the fixture's plans
        src, seeds = FIXTURE / "site_src", sorted((FIXTURE / "site_src" / "plans").glob("*.md"))
    for path in src.rglob("*"):
        rel = path.relative_to(src)
        if not path.is_file() or rel.parts[0] == "plans" and path in seeds and plans is not None:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    if plans is None:
        return len(seeds)
    (dest / "plans").mkdir(parents=True, exist_ok=True)
    for i in range(plans):
        original = seeds[i % len(seeds)]
        copy = i // len(seeds)
        text = re.sub(r"(variant_of:\s*\{plan:\s*)([\w-]+)", lambda m: f"{m[1]}{m[2]}-c{copy:03d}",
                      original.read_text(encoding="utf-8"))
        (dest / "plans" / f"{original.stem}-c{copy:03d}.md").write_text(text, encoding="utf-8")
    return plans


def our_config(docs: Path, where: Path, *, marked: bool) -> Path:
    """The site's mkdocs.yml pointed at `docs`, without Material's search plugin."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    config["plugins"] = [p for p in config.get("plugins", [])
                         if not (p == "search" or isinstance(p, dict) and "search" in p)]
    config["hooks"] = [str(HOOKS if marked else plain_hooks(where))]
    path = where / ("ours-search.yml" if marked else "ours-plain.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def plain_hooks(where: Path) -> Path:
    """hooks.py minus the marking: the same content load, so both builds pay for it."""
    path = where / "plain_hooks.py"
    path.write_text(HOOKS.read_text(encoding="utf-8").replace(
        "return search.mark_page(output, search.entry_for(source, site=SITE) if source else None)",
        "return output"), encoding="utf-8")
    return path


def material_config(docs: Path, where: Path, *, lunr: bool) -> Path:
    """The peer: plain Material with (or without) its search plugin for Chinese.

    Only the home page is in the navigation, as on our site: a navigation of 1,000 plans
    on every page would make the peer slow for reasons that have nothing to do with search.
    """
    plugins = "[{search: {lang: zh}}, tags]" if lunr else "[tags]"
    path = where / ("lunr.yml" if lunr else "material.yml")
    path.write_text(textwrap.dedent(f"""
        site_name: lunr
        docs_dir: {docs}
        theme: {{name: material, language: zh, font: false}}
        nav: [index.md]
        markdown_extensions: [toc, attr_list, md_in_html, admonition, tables, pymdownx.details, pymdownx.superfences]
        plugins: {plugins}
        validation: {{nav: {{omitted_files: info, not_found: info}}, links: {{not_found: info, unrecognized_links: info}}}}
    """), encoding="utf-8")
    return path


def without_templates(docs: Path, dest: Path) -> Path:
    """The same Markdown without `template:` (the peer has none of our templates)."""
    for path in docs.rglob("*.md"):  # photos are left out: Material would only copy them
        target = dest / path.relative_to(docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(re.sub(r"(?m)^template:.*\n", "", path.read_text(encoding="utf-8")),
                          encoding="utf-8")
    return dest


# ---- builds


class Clock:
    """Wall time and CPU time (this process and its children, e.g. Pagefind) of a block.

    The machine is shared: wall time moves with the load, CPU time much less.
    """

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def mkdocs_build(config_file: Path, site_dir: Path):
    """A real MkDocs build; the loaded configuration (plugins and all)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    build(config)
    return config


def build_ours(docs: Path, work: Path, *, marked: bool):
    """(site, variants, whole-build clock, index clock, stats): the site's build, plus
    marking (hooks) and `search.index_site` when `marked`."""
    site = work / ("site-search" if marked else "site-plain")
    shutil.rmtree(site, ignore_errors=True)
    cache = work / ".cache"  # the plugin's cache_dir: every build starts from the photos alone
    for entry in cache.iterdir() if cache.is_dir() else ():
        if entry.name != "media":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    index_clock, stats = Clock(), None
    with Clock() as clock:
        config = mkdocs_build(our_config(docs, work, marked=marked), site)
        site_variants = list(config.plugins["bulletin"].variants)
        if marked:
            with index_clock:
                stats = search.index_site(site, site_variants, synonyms=synonyms(docs))
    return site, site_variants, clock, index_clock, stats


def synonyms(docs: Path) -> dict[str, list[str]]:
    """The corpus's search.yml, as the plugin reads it."""
    return search_text.load_synonyms(docs / search_text.SYNONYMS_FILE, "search.yml", report.Report())


def table_bytes(browser, site: Path, docs: Path, site_variants, path: str, label: str) -> None:
    """The query table (tests/test_search_table_browser.py) over this corpus: the bytes each
    query's first results cost on a fresh visit, each form on the variant of its script
    (both when it is the same in both), and whether the first result is the page wanted or
    one that holds the query."""
    table = query_table(site, synonyms(docs))
    hant = site_variants[1].folder
    sizes, right, runs = [], 0, 0
    for query in table:
        simplified, traditional = to_hans(query.text) == query.text, to_hant(query.text) == query.text
        prefixes = ["", hant] if simplified and traditional else [""] if simplified else [hant]
        for prefix in prefixes:
            n, first = first_query(browser, site, prefix + path, query.text)
            sizes.append((n, query.text, prefix or "zh-Hans"))
            first = first.removeprefix("/" + prefix) if first else ""
            held = query.want or None
            right += first in held if held is not None else bool(first)
            runs += 1
    sizes.sort()
    median = sizes[len(sizes) // 2][0]
    worst = sizes[-1]
    row(f"query table ({len(table)} queries, {runs} runs): bytes before the first results, median / max, {label}",
        f"{kib(median)} / {kib(worst[0])}", f"max:「{worst[1]}」on {worst[2]}")
    row(f"query table, {label}: first result its page (names, titles, notices) or a result at all (phrases)",
        f"{right}/{runs}")


def hidden_copies(site: Path, dest: Path, site_variants) -> Path:
    """`site` with every page's article followed by a hidden copy of its counterpart's text."""
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns(search.BUNDLE))
    prefix = site_variants[1].folder
    article = re.compile(r"data-pagefind-body>(.*?)</article>", re.S)
    meta = re.compile(r'<div class="bl-search-meta".*?</div>', re.S)
    pages = [p for p in dest.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    texts = {}
    for page in pages:
        found = article.search(page.read_text(encoding="utf-8"))
        texts[page] = meta.sub("", found[1]) if found else ""
    for page in pages:
        rel = page.relative_to(dest).as_posix()
        other = dest / (rel[len(prefix):] if rel.startswith(prefix) else prefix + rel)
        html = page.read_text(encoding="utf-8")
        copy = f'<div hidden>{texts.get(other, "")}</div></article>'
        page.write_text(html.replace("</article>", copy, 1), encoding="utf-8")
    search.run_pagefind(dest)
    for name in search.UNUSED_BUNDLE_FILES:
        (dest / search.BUNDLE / name).unlink(missing_ok=True)
    for variant in site_variants:  # no query map: the copies are what make other scripts match
        (dest / search.BUNDLE / f"bulletin-{variant.key}.json").write_text(
            f'{{"lang":"{variant.key}","map":{{}},"prefetch":[]}}', encoding="utf-8")
    return dest


def bundle_bytes(site: Path, site_variants) -> dict[str, int]:
    bundle = site / search.BUNDLE
    return {v.key: sum(p.stat().st_size for p in search.language_files(bundle, v.key)) for v in site_variants}


# ---- the browser


class Server:
    def __init__(self, directory: Path) -> None:
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def first_query(browser, site: Path, path: str, query: str, *, lunr: bool = False) -> tuple[int, str]:
    """(bytes, first result's path) for the first query typed into the search box."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    server = Server(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        sizes: list[tuple[str, int]] = []
        asked: set = set()  # requests made since `sizes` was last cleared (not the page's own, finishing late)
        page.on("request", lambda r: asked.add(r))
        page.on("requestfinished", lambda r: r in asked and sizes.append((r.url, r.sizes()["responseBodySize"])))
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        if lunr:
            page.keyboard.press("/")
            page.keyboard.type(query)  # Material reads key events; fill() would not start it
            try:  # the finding: Material's zh search may answer nothing at all
                page.wait_for_selector(".md-search-result__item a", timeout=20_000)
                first = page.eval_on_selector(".md-search-result__item a", "a => new URL(a.href).pathname")
            except PlaywrightTimeout:
                first = ""
            counted = [n for u, n in sizes if "search" in u or "lunr" in u]
        else:
            sizes.clear()
            asked.clear()
            page.keyboard.press("/")
            page.fill("[data-bl-search-query]", query)
            page.wait_for_function("(q) => document.querySelector('[data-bl-search]')"
                                   ".dataset.blSearchDone === q", arg=query, timeout=60_000)
            first = page.evaluate("() => { const a = document.querySelector('.md-search-result__link');"
                                  " return a ? new URL(a.href).pathname : ''; }")
            counted = [n for _, n in sizes]
        return sum(counted), first
    finally:
        context.close()
        server.close()


# ---- one corpus


def bench(label: str, plans: int | None, work: Path, browser) -> None:
    docs = work / f"{label}-docs"
    count = corpus(docs, plans)
    label = f"{count} plans"
    build_ours(docs, work, marked=False)  # warms the photo cache, so neither build pays for it (the
    # other caches are emptied before each build: both measure a build of every page)
    plain_site, _, plain, _, _ = build_ours(docs, work, marked=False)
    site, site_variants, with_search, index, stats = build_ours(docs, work, marked=True)
    peer_docs = without_templates(docs, work / f"{label}-peer-docs")
    material_site, lunr_site = work / f"{label}-material", work / f"{label}-lunr"
    with Clock() as material:
        mkdocs_build(material_config(peer_docs, work, lunr=False), material_site)
    with Clock() as lunr:
        mkdocs_build(material_config(peer_docs, work, lunr=True), lunr_site)

    shared = {f for v in site_variants for f in search.language_files(site / search.BUNDLE, v.key)}
    shared |= set((site / search.BUNDLE).glob("bulletin-*-text*"))  # the phrase postings, shared too
    ours_disk = sum(f.stat().st_size for f in shared)  # the word index once: every script shares it
    lunr_disk = (lunr_site / "search" / "search_index.json").stat().st_size
    row(f"search index on disk, {label} (ours: 2 scripts)", mib(ours_disk), f"{mib(lunr_disk)} {PEER} (1 script)",
        f"{ours_disk / lunr_disk:.2f}×")
    row(f"search bundle as published, {label}", mib(stats.bundle_bytes))
    for variant in site_variants:
        manifest = search.read_manifest(site / search.BUNDLE, variant.key)
        ahead = sum((site / search.BUNDLE / name).stat().st_size for name in manifest["prefetch"])
        what = ("nothing" if not manifest["prefetch"] else "whole index"
                if any(name.startswith("fragment/") for name in manifest["prefetch"]) else "index chunks + page list")
        row(f"fetched ahead for offline use after the first results, {variant.key}, {label}", kib(ahead), what)
    row(f"build {label}: with search / without (wall)", f"{with_search.wall:.1f} s", f"{plain.wall:.1f} s",
        f"{with_search.wall / plain.wall:.2f}×")
    row(f"build {label}: with search / without (CPU)", f"{with_search.cpu:.1f} s", f"{plain.cpu:.1f} s",
        f"{with_search.cpu / plain.cpu:.2f}×")
    row(f"build {label}: share of search indexing (CPU)", f"{index.cpu:.1f} s", f"{with_search.cpu:.1f} s total",
        f"{index.cpu / with_search.cpu:.0%}")
    every = work / f"{label}-every-script"
    with Clock() as each:  # what it costs when Pagefind segments every script's pages
        search._build_bundle(search._scan(site, site / search.BUNDLE), every)
    row(f"build {label}: search indexing, each page segmented once / once per script (CPU)",
        f"{index.cpu:.1f} s", f"{each.cpu:.1f} s", f"{index.cpu / each.cpu:.2f}×")
    shutil.rmtree(every, ignore_errors=True)
    cache = work / f"{label}-cache"
    search.index_site(site, site_variants, cache_dir=cache)
    with Clock() as cached:
        again = search.index_site(site, site_variants, cache_dir=cache)
    if not again.cached:
        raise SystemExit("the search bundle was not reused from the cache")
    row(f"build {label}: search indexing, content unchanged (cached bundle, CPU)", f"{cached.cpu:.1f} s",
        f"{index.cpu:.1f} s uncached", f"{cached.cpu / index.cpu:.2f}×")
    row(f"build {label}: peer Material {PEER} / Material without search (CPU)", f"{lunr.cpu:.1f} s",
        f"{material.cpu:.1f} s", f"{lunr.cpu / material.cpu:.2f}×")

    plan_path = next(p for p in sorted((site / "plans").iterdir()) if (p / "index.html").is_file()
                     and p.name not in ("page",))
    path = f"plans/{plan_path.name}/"
    ours_bytes, ours_first = first_query(browser, site, path, QUERY_HANS)
    lunr_bytes, lunr_first = first_query(browser, lunr_site, path, QUERY_HANS, lunr=True)
    lunr_note = "" if lunr_first else ", found nothing"
    row(f"bytes fetched, first query「{QUERY_HANS}」zh-Hans, {label}", kib(ours_bytes),
        f"{kib(lunr_bytes)} {PEER}{lunr_note}", f"{ours_bytes / lunr_bytes:.3f}×")
    hant_bytes, hant_first = first_query(browser, site, site_variants[1].folder + path, QUERY_HANT)
    row(f"bytes fetched, first query「{QUERY_HANT}」typed on zh-Hant, {label}", kib(hant_bytes))
    if not ours_first or not hant_first:
        row(f"WARNING {label}: a query found nothing", repr(ours_first), repr(hant_first))
    for prefix, query in (("", QUERY_NAME), (site_variants[1].folder, QUERY_NAME_HANT)):
        name_bytes, name_first = first_query(browser, site, prefix + path, query)
        row(f"bytes fetched, first query「{query}」(a name) on {'zh-Hant' if prefix else 'zh-Hans'}, {label}",
            kib(name_bytes), f"first: {name_first or 'nothing'}")

    table_bytes(browser, site, docs, site_variants, path, label)

    copies = hidden_copies(site, work / f"{label}-copies", site_variants)
    copies_disk = sum(bundle_bytes(copies, site_variants).values())
    copies_bytes, _ = first_query(browser, copies, path, QUERY_HANS)
    row(f"cross-script by hidden copies, index on disk, {label}", mib(copies_disk), f"{mib(ours_disk)} query map",
        f"{copies_disk / ours_disk:.2f}×")
    row(f"cross-script by hidden copies, bytes for「{QUERY_HANS}」, {label}", kib(copies_bytes),
        f"{kib(ours_bytes)} query map", f"{copies_bytes / ours_bytes:.2f}×")
    maps = sum((site / search.BUNDLE / search.manifest_name(v.key)).stat().st_size for v in site_variants)
    row(f"query maps (both scripts), {label}", kib(maps))
    for directory in (plain_site, material_site, lunr_site, copies, cache):
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--header", action="store_true")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    if args.header:
        print("| benchmark | bulletin | peer | ratio |\n|---|---|---|---|", flush=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp, sync_playwright() as p:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            bench("seed", None, work, browser)
            bench("big", args.plans, work, browser)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
