"""Rebuilds that reuse the previous build's work publish exactly what a clean build does.

One small site is edited step by step as an editor would (a plan's body, a plan's title that
the listings show, an album caption, a profile's summary, a profile's consent withdrawn, an album
photo removed, a glossary entry, a template, mkdocs.yml, the title of a page the navigation
shows); after each edit the site built with the cache of the builds before it must equal,
file for file and byte for byte, a site built with no reused work (only the photo derivatives,
keyed by their originals, are shared). Each edit leaves most pages' Markdown and HTML to be
taken from the cache, so a key that missed what the edit changed would publish a stale page.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from helpers_people import files_mentioning, name_forms

PLANS = 6  # of the sample's plans: enough for listings, quick to build
REUSED = ("pages", "rendered", "page-outputs", "sitecheck", "search", "search-site", "search-records-*")  # the caches a clean build goes without


def _config(root: Path, name: str, cache: str) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_src", f"docs_dir: {root / 'site_src'}")
    text = text.replace("custom_dir: theme", f"custom_dir: {root / 'theme'}")
    text = text.replace("  - bulletin\n", f"  - bulletin:\n      cache_dir: {cache}\n")
    config = root / name
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    src = root / "site_src"
    shutil.copytree(ROOT / "site_src", src, ignore=shutil.ignore_patterns("plans"))
    (src / "plans").mkdir()
    for plan in sorted((ROOT / "site_src" / "plans").glob("plan-*.md"))[:PLANS]:
        shutil.copy(plan, src / "plans" / plan.name)
    shutil.copytree(ROOT / "theme", root / "theme")
    _config(root, "mkdocs.yml", "cache")
    _config(root, "clean.yml", "clean-cache")
    build_site(root / "mkdocs.yml", root / "site")
    assert any((root / "cache" / "pages").iterdir())
    return root


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _reused(caplog) -> tuple[int, int, int]:
    """(pages, pages whose Markdown was reused, pages reused whole) from the last build's log."""
    found = [re.search(r"页面缓存：(\d+) 页中 (\d+) 页沿用上次转换的 Markdown，(\d+) 页沿用上次生成的整页", r.getMessage())
             for r in caplog.records]
    found = [m for m in found if m]
    assert found, "the build did not say what it reused"
    return tuple(int(n) for n in found[-1].groups())


LAST_REUSED: list[tuple[int, int, int]] = []  # what the last incremental build with caplog reused


def rebuild_and_compare(root: Path, caplog=None, reused: int = 1) -> Path:
    """The incremental build and a clean one of the current sources: equal file for file.

    With caplog: at least `reused` pages of the incremental build came whole from the cache
    (its counts are kept in LAST_REUSED: the clean build logs too, where an earlier test
    left the log at INFO)."""
    incremental = root / "site"
    shutil.rmtree(incremental, ignore_errors=True)
    if caplog is not None:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            build_site(root / "mkdocs.yml", incremental)
        LAST_REUSED[:] = [_reused(caplog)]
        assert LAST_REUSED[0][2] >= reused
    else:
        build_site(root / "mkdocs.yml", incremental)
    clean_cache = root / "clean-cache"
    shutil.rmtree(clean_cache, ignore_errors=True)
    shutil.copytree(root / "cache", clean_cache, copy_function=os.link, ignore=shutil.ignore_patterns(*REUSED))
    clean = root / "clean-site"
    shutil.rmtree(clean, ignore_errors=True)
    build_site(root / "clean.yml", clean)
    ours, theirs = _tree(incremental), _tree(clean)
    assert sorted(ours) == sorted(theirs), (set(ours) ^ set(theirs))
    differ = [rel for rel in ours if ours[rel] != theirs[rel]]
    assert not differ, differ[:10]
    return incremental


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_rebuild_after_each_edit_equals_a_clean_build(project, caplog):
    src = project / "site_src"
    plan = sorted((src / "plans").glob("plan-*.md"))[1]
    site = project / "site"

    # a plan's body
    plan.write_text(plan.read_text(encoding="utf-8") + "\n本段为增量构建测试新加的一句话。\n", encoding="utf-8")
    site = rebuild_and_compare(project, caplog, reused=25)
    assert "本段为增量构建测试新加的一句话" in (site / "plans" / plan.stem / "index.html").read_text(encoding="utf-8")

    # a plan's title, which the plans index and the home page list
    text = plan.read_text(encoding="utf-8")
    title = re.search(r"^title:\s*(.+)$", text, re.M)[1]
    _edit(plan, f"title: {title}", "title: 增量构建测试改过的标题")
    site = rebuild_and_compare(project, caplog, reused=25)
    assert "增量构建测试改过的标题" in (site / "plans" / "index.html").read_text(encoding="utf-8")

    # an album's caption, which its page and the lobby screen show
    album = src / "albums" / "weekend-cleanup"
    _edit(album / "index.md", "小朋友也拿起了扫帚", "小朋友也拿起了扫帚（增量构建测试）")
    site = rebuild_and_compare(project, caplog, reused=25)
    assert "增量构建测试" in (site / "albums" / "weekend-cleanup" / "index.html").read_text(encoding="utf-8")

    # a profile's summary, which the honor roll and the home page list
    person = src / "people" / "2026-10-chen-yuqing.md"
    summary = re.search(r"^summary:\s*(.+)$", person.read_text(encoding="utf-8"), re.M)[1]
    _edit(person, f"summary: {summary}", "summary: 增量构建测试改过的一句话事迹")
    site = rebuild_and_compare(project, caplog, reused=25)
    assert "增量构建测试改过的一句话事迹" in (site / "people" / "index.html").read_text(encoding="utf-8")

    # a profile's consent withdrawn: gone from every file at this first rebuild
    _edit(person, "consent: {by: 本人, date: 2026-09-18, show_portrait: true}",
          "consent: {by: 本人, date: 2026-09-18, show_portrait: true, withdrawn: 2026-09-20}")
    site = rebuild_and_compare(project)
    assert files_mentioning(site, name_forms("陈余庆") | {"陳余慶", "chen-yuqing"}) == []

    # a photo removed from an album
    photos = sorted(p.name for p in album.glob("*.jpg"))
    index = (album / "index.md").read_text(encoding="utf-8")
    gone = next(name for name in reversed(photos) if name not in index)
    (album / gone).unlink()
    site = rebuild_and_compare(project)
    assert not list(site.rglob(f"*{Path(gone).stem}*"))

    # a glossary entry: the Traditional pages follow it
    _edit(src / "glossary.yml", "terms:\n", "terms:\n  - zh-Hans: 志愿者\n    zh-Hant: 志願者測試\n")
    site = rebuild_and_compare(project)
    assert any("志願者測試" in p.read_text(encoding="utf-8") for p in (site / "zh-hk").rglob("*.html"))

    # a template
    _edit(project / "theme" / "plan.html", "{% block content %}", "{% block content %}<p>模板改过了</p>")
    site = rebuild_and_compare(project)
    assert "模板改过了" in (site / "plans" / plan.stem / "index.html").read_text(encoding="utf-8")

    # mkdocs.yml: the footer every page shows, and a navigation entry that takes its page's title
    for config in ("mkdocs.yml", "clean.yml"):
        _edit(project / config, "copyright: 幸福街道办事处", "copyright: 幸福街道办事处（增量构建测试）")
        _edit(project / config, "  - 通知公告: notices.md", "  - notices.md")
    site = rebuild_and_compare(project)
    assert "增量构建测试" in (site / "plans" / plan.stem / "index.html").read_text(encoding="utf-8")

    # the title of a page the navigation shows: in every page's navigation
    _edit(src / "notices.md", "title: 通知公告", "title: 社区通知（增量构建测试）")
    site = rebuild_and_compare(project, caplog, reused=0)
    assert "社区通知（增量构建测试）" in (site / "plans" / plan.stem / "index.html").read_text(encoding="utf-8")
    assert LAST_REUSED[0][1] > 25  # the other pages' Markdown is not converted again, their template is


def test_reused_page_work_is_keyed_by_the_page(project, caplog):
    """The cache is used (a rebuild with nothing changed reads every page's entry and renders
    no page) and drops what no page needs any more."""
    stores = [project / "cache" / name for name in ("pages", "rendered", "page-outputs")]
    before = {store: {name: (store / name).stat().st_mtime_ns for name in os.listdir(store)} for store in stores}
    for store in stores:
        (store / "left-from-an-older-build").write_bytes(b"")
    with caplog.at_level(logging.INFO):
        build_site(project / "mkdocs.yml", project / "site")
    for store in stores:
        assert {name: (store / name).stat().st_mtime_ns for name in os.listdir(store)} == before[store]
    pages, markdown, whole = _reused(caplog)
    assert pages > 25 and markdown == pages and whole == pages


def test_site_scan_reuses_findings_only_for_the_same_bytes(tmp_path):
    """The privacy scan of the built site takes a file's findings from the cache only when
    the file, its name and the scan's settings are the same: a number added to a page that
    was clean before is found at once."""
    from bulletin import sitecheck

    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>联系电话 13800138000</p>", encoding="utf-8")
    (site / "b.html").write_text("<p>没有号码</p>", encoding="utf-8")
    first = sitecheck.scan_site(site, {"bulletin.example.org"}, cache_dir=cache)
    assert [(p.code, p.path) for p in first.problems] == [("SITE001", "site/a/index.html")]
    assert len(list((cache / "sitecheck").iterdir())) == 2
    again = sitecheck.scan_site(site, {"bulletin.example.org"}, cache_dir=cache)
    assert again.problems == first.problems

    (site / "a" / "index.html").write_text("<p>联系电话已删除</p>", encoding="utf-8")
    (site / "b.html").write_text("<p>身份证 11010519491231002X</p>", encoding="utf-8")
    after = sitecheck.scan_site(site, {"bulletin.example.org"}, cache_dir=cache)
    assert [(p.code, p.path) for p in after.problems] == [("SITE001", "site/b.html")]
    assert len(list((cache / "sitecheck").iterdir())) == 2  # the old files' entries are gone


def test_page_keys_take_values_apart_and_refuse_what_they_cannot():
    """A page's key sees every value its template may print, in the template's order; a value
    it cannot take apart (a function a template could call) keeps the page out of the cache."""
    import datetime as dt
    from dataclasses import dataclass

    from markupsafe import Markup

    from bulletin.pagecache import Unfingerprintable, fingerprint

    @dataclass
    class Card:
        name: str
        tags: list

    same = fingerprint({"person": Card("张三", ["助人为乐"]), "day": dt.date(2026, 10, 1)})
    assert fingerprint({"person": Card("张三", ["助人为乐"]), "day": dt.date(2026, 10, 1)}) == same
    for other in ({"person": Card("张三", ["见义勇为"]), "day": dt.date(2026, 10, 1)},
                  {"person": Card("张三", ["助人为乐"]), "day": dt.date(2026, 10, 2)},
                  {"day": dt.date(2026, 10, 1), "person": Card("张三", ["助人为乐"])}):
        assert fingerprint(other) != same
    assert fingerprint(["ab", "c"]) != fingerprint(["a", "bc"])
    assert fingerprint([1]) != fingerprint(["1"]) != fingerprint([True])
    assert fingerprint(Markup("<b>x</b>")) != fingerprint("<b>x</b>")
    assert fingerprint({"b", "a"}) == fingerprint({"a", "b"})
    loop: dict = {"name": "x"}
    loop["self"] = loop
    assert fingerprint(loop) == fingerprint(loop)
    for opaque in ({"f": len}, [lambda: 1], Card("张三", [print])):
        with pytest.raises(Unfingerprintable):
            fingerprint(opaque)
