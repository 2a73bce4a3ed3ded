"""Shared by the search tests and bench/bench_search.py: build a site the way the build does.

MkDocs renders the pages (tests/fixtures/search/hooks.py marks them as the plugin's
on_post_page does), bulletin.variants writes the script variants, `search.index_site`
indexes the finished site (the plugin's on_post_build).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bulletin import content, search, variants
from bulletin.script import HANS, HK, Converter

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "search"
SITE_VARIANTS = [variants.Variant(HANS), variants.Variant(HK, "zh-hk")]  # as the plugin publishes them
VARIANTS = [search.Variant.of(v) for v in SITE_VARIANTS]  # zh-Hans at /, zh-Hant-HK at zh-hk/


def build(config_file: Path, site_dir: Path) -> Path:
    """A real MkDocs build of `config_file` into `site_dir`."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_build(load_config(config_file=str(config_file), site_dir=str(site_dir)))
    return site_dir


def write_variants(site_dir: Path, docs_dir: Path) -> int:
    """Write every script variant of the built site, as the plugin does; pages written.

    Personal names from the profiles keep their surname (于 stays 于).
    """
    index = content.load(docs_dir)
    names = [{"name": s.meta["name"], "name_hant": s.meta.get("name_hant")}
             for s in index.of_kind("person")]
    pages = variants.find_pages(site_dir, SITE_VARIANTS, HANS)
    stats = variants.write_variants(site_dir, pages, SITE_VARIANTS, HANS,
                                    lambda v: Converter(v.code, names=names, prefer=HK))
    return stats.pages


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
    stats = search.index_site(site, VARIANTS, cache_dir=cache_dir, prefetch=prefetch)
    return site, stats
