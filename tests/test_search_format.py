"""Pagefind's private bundle format: pinned, checked at each build, and never a traceback.

search_format.py reads and writes the bundle Pagefind writes. A Pagefind other than the
pinned one is simulated by a wrapper around the real one that changes what it wrote.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bulletin import search, search_derive

from helpers_search import build_fixture

REAL_RUN = search.run_pagefind


def test_the_installed_pagefind_is_the_pinned_one():
    assert search.pagefind_version() == f"pagefind {search_derive.PAGEFIND_VERSION}"


def _newer_version(source: Path, bundle: Path | None = None) -> None:
    """Pagefind as a later release might write: the same files, another version."""
    REAL_RUN(source, bundle)
    entry_path = (bundle or source / search.BUNDLE) / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["version"] = "1.9.0"
    entry_path.write_text(json.dumps(entry), encoding="utf-8")


def _unreadable(source: Path, bundle: Path | None = None) -> None:
    """Pagefind writing page lists in a format nothing here reads."""
    REAL_RUN(source, bundle)
    for meta in (bundle or source / search.BUNDLE).glob("pagefind.*.pf_meta"):
        meta.write_bytes(gzip.compress(b"pagefind_v2" + b"\x00" * 40))


def test_an_unknown_format_indexes_each_variant_on_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "run_pagefind", _newer_version)
    site, stats = build_fixture(tmp_path)
    assert stats.fallback and stats.derived == {}
    summary = stats.summary()
    assert "分别建索引" in summary and f"pagefind[extended]=={search_derive.PAGEFIND_VERSION}" in summary
    bundle = site / search.BUNDLE
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    hans, hant = entry["languages"]["zh-hans"], entry["languages"]["zh-hant-hk"]
    assert hans["hash"] != hant["hash"] and hant["page_count"] == hans["page_count"] > 0
    # the Traditional index is Pagefind's own, of the Traditional pages
    urls = [search_derive.read_file(p)["url"] for p in search_derive.language_files(bundle, entry, "zh-hant-hk")
            if p.suffix == ".pf_fragment"]
    assert urls and all(url.startswith("/zh-hk/") for url in urls)
    for key in ("zh-hans", "zh-hant-hk"):  # each with the manifest search.js reads first
        assert list(bundle.glob(f"bulletin-{key}.json*"))


def test_a_bundle_it_cannot_read_ends_in_a_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "run_pagefind", _unreadable)
    with pytest.raises(search.SearchError) as caught:
        build_fixture(tmp_path)
    message = str(caught.value)
    assert "读不懂" in message and f"pagefind-bin-extended=={search_derive.PAGEFIND_VERSION}" in message
