"""Search: what the index holds and how pages are marked, without a browser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html as htmlmod
import json
import os
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from bulletin import albums, checks, content, model, people, plans, search
from bulletin.script import HANS, HK, strip_marks

from helpers_search import FIXTURE, VARIANTS, build, build_fixture, copy_fixture, write_variants

PAGE = """<!doctype html><html lang="zh-Hans"><head><title>页</title></head><body>
<header class="md-header"><nav>首页 工作计划</nav></header>
<div class="md-content" data-md-component="content">
<article class="md-content__inner md-typeset">
<h1>社区环境卫生整治计划</h1><p>正文</p><img src="a.jpg" alt="志愿者为老人理发"><img src="b.jpg">
</article></div>
<footer class="md-footer">版权所有</footer></body></html>"""


def plan_entry(**kw) -> search.Entry:
    return search.Entry(**{"kind": "plan", "title": "社区环境卫生整治计划", "date": "2026-03-05",
                           "community": "幸福街道办事处", **kw})


# ---- marking pages


def test_mark_page_indexes_only_the_article_with_its_result_fields():
    out = search.mark_page(PAGE, plan_entry())
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in out
    head, article = out.split("data-pagefind-body>", 1)
    assert "data-pagefind" not in head  # header and nav are outside the indexed region
    block = article[:article.index("</div>") + 6]
    assert block.startswith('<div class="bl-search-meta" hidden data-pagefind-ignore>')
    assert '<span data-pagefind-meta="kind:plan"></span>' in block
    assert "data-pagefind-filter" not in block  # results group by meta; filters are shared by every script
    assert '<span data-pagefind-meta="title">社区环境卫生整治计划</span>' in block
    assert '<span data-pagefind-meta="date:2026-03-05"></span>' in block
    assert '<span data-pagefind-meta="community">幸福街道办事处</span>' in block
    # captions in alt are indexed; an image without one is left alone
    assert '<img data-pagefind-index-attrs="alt" src="a.jpg" alt="志愿者为老人理发">' in out
    assert '<img src="b.jpg">' in out
    assert out.count("data-pagefind-body") == 1
    assert out.endswith('<footer class="md-footer">版权所有</footer></body></html>')


def test_mark_page_leaves_unsearchable_pages_alone():
    assert search.mark_page(PAGE, None) == PAGE
    no_article = PAGE.replace("<article", "<section").replace("</article>", "</section>")
    assert search.mark_page(no_article, plan_entry()) == no_article
    once = search.mark_page(PAGE, plan_entry())
    assert search.mark_page(once, plan_entry()) == once


def test_result_fields_are_escaped_text():
    out = search.mark_page(PAGE, plan_entry(title='<img src=x onerror=alert(1)>&"', community="A&B",
                                            date='2026"><script>'))
    assert "<img src=x" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;\"" in out
    assert 'data-pagefind-meta="date:2026&quot;&gt;&lt;script&gt;"' in out
    assert ">A&amp;B<" in out


def test_fields_written_in_traditional_carry_their_script():
    """The variant writer converts by region markers: a Traditional title must be marked."""
    out = search.mark_page(PAGE, plan_entry(title="市容環境衞生迎檢工作實施方案", script=HK))
    title = out.split('data-pagefind-meta="title">', 1)[1].split("</span>", 1)[0]
    assert title != strip_marks(title)  # wrapped in a marker
    assert strip_marks(title) == "市容環境衞生迎檢工作實施方案"


# ---- entries from the content index


@pytest.fixture(scope="module")
def index() -> content.ContentIndex:
    return content.load(FIXTURE / "site_src")


def model_entries(index: content.ContentIndex, today: dt.date | None = None) -> dict:
    """Every page's search entry, as the plugin makes them: from the validated model."""
    prepared = checks.prepare(index) if today is None else checks.Prepared(
        index, plans.collect(index), people.review(index, today), albums.collect(index, index.report))
    site = model.build(prepared)
    return {rel: search.entry_for(src, site=site) for rel, src in index.sources.items()}


def test_entries_by_kind(index):
    entries = model_entries(index)
    assert entries["index.md"] is None  # ordinary pages are not searchable
    plan = entries["plans/weisheng.md"]
    assert (plan.kind, plan.title, plan.date, plan.community) == (
        "plan", "社区环境卫生整治计划", "2026年3月5日", "幸福街道办事处")
    assert entries["plans/weichengnian.md"].date == "9月1日"  # as its page prints it: no placeholder year
    album = entries["albums/xueleifeng/index.md"]
    assert (album.kind, album.title, album.date, album.community) == (
        "album", "学雷锋活动相册", "2026年3月5日", "幸福社区文化广场")
    person = entries["people/2026-11-yu-xiulan.md"]
    assert (person.kind, person.title, person.date, person.community) == ("person", "于秀兰", "2026年11月", "和平社区")  # as the pages show dates
    assert plan.script == HANS


def test_expired_person_is_never_searchable(tmp_path):
    src = copy_fixture(tmp_path / "fixture").parent / "site_src"
    profile = src / "people/2026-11-wang-xiuying.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("---\n", "---\nuntil: 2026-10-31\n", 1),
                       encoding="utf-8")
    rel = "people/2026-11-wang-xiuying.md"
    assert model_entries(content.load(src), today=dt.date(2026, 11, 1))[rel] is None
    assert model_entries(content.load(src), today=dt.date(2026, 10, 31))[rel] is not None


def test_search_reads_the_published_model_not_the_front_matter(tmp_path):
    src = copy_fixture(tmp_path / "fixture").parent / "site_src"
    withheld = src / "people/2026-11-wang-xiuying.md"  # no consent record: never published, never found
    withheld.write_text(re.sub(r"(?m)^consent:.*\n", "", withheld.read_text(encoding="utf-8")), encoding="utf-8")
    profile = src / "people/2026-11-yu-xiulan.md"  # the month of the list written as a day
    profile.write_text(re.sub(r"(?m)^honored:.*$", "honored: 2026-11-01", profile.read_text(encoding="utf-8")),
                       encoding="utf-8")
    entries = model_entries(content.load(src))
    assert entries["people/2026-11-wang-xiuying.md"] is None
    assert entries["people/2026-11-yu-xiulan.md"].date == "2026年11月"  # as the profile shows it


# ---- cross-script query maps


def test_query_map_takes_any_script_to_the_variants_forms():
    hk = search.query_map(HK, Counter("衞生計劃發展于於"))
    assert hk["卫"] == "衞" and hk["衛"] == "衞"  # Simplified and standard Traditional
    assert hk["计"] == "計" and hk["划"] == "劃"
    assert "衞" not in hk  # already this variant's form
    hans = search.query_map(HANS, Counter("卫生计划发展"))
    assert hans["衞"] == "卫" and hans["衛"] == "卫" and hans["計"] == "计"


def test_query_map_keeps_only_forms_the_pages_use_most_used_first():
    hk = search.query_map(HK, Counter({"發": 5, "髮": 2, "展": 1}))
    assert hk["发"] == "發髮"
    assert search.query_map(HK, Counter({"發": 1, "髮": 3}))["发"] == "髮發"
    assert "发" not in search.query_map(HK, Counter({"展": 1}))  # nothing to find either way
    # a name's protected surname stays findable as typed: 于 is used as itself and as 於
    assert search.query_map(HK, Counter({"於": 2, "于": 1}))["于"] == "於于"


def test_search_reads_the_variant_writer_s_variants():
    from bulletin import variants

    hant = variants.Variant(HK, "zh-hant")
    assert (hant.lang, hant.folder, hant.code, hant.key) == ("zh-Hant-HK", "zh-hant/", HK, "zh-hant-hk")
    root = variants.Variant(HANS)
    assert (root.folder, root.code) == ("", HANS)
    assert search.variant_of("zh-hant/plans/a/index.html", [root, hant]) is hant
    assert search.variant_of("plans/a/index.html", [root, hant]) is root


# ---- the built fixture


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site, stats = build_fixture(tmp_path_factory.mktemp("search"))
    return site, stats


def test_every_variant_is_indexed_in_its_own_script(built):
    site, stats = built
    assert stats.pages == {"zh-hans": 6, "zh-hant-hk": 6}  # 3 plans, 1 album, 2 people; not home
    assert not stats.cached
    for variant in VARIANTS:
        records = search.read_fragments(site / search.BUNDLE, variant.key)
        urls = sorted(r["url"] for r in records)
        assert urls == sorted(f"/{variant.folder}{p}" for p in (
            "plans/weisheng/", "plans/lajifenlei/", "plans/weichengnian/",
            "albums/xueleifeng/", "people/2026-11-wang-xiuying/", "people/2026-11-yu-xiulan/"))


def test_records_carry_kind_date_community_in_the_readers_script(built):
    site, _ = built
    kinds = {"plans": "plan", "albums": "album", "people": "person"}
    for variant in VARIANTS:
        records = {r["url"].removeprefix("/" + variant.folder): r
                   for r in search.read_fragments(site / search.BUNDLE, variant.key)}
        for url, record in records.items():
            kind = kinds[url.split("/")[0]]
            assert record["meta"]["kind"] == kind
            assert record["meta"]["date"] and record["meta"]["community"] and record["meta"]["title"]
        plan = records["plans/weisheng/"]["meta"]
        person = records["people/2026-11-yu-xiulan/"]["meta"]
        if variant.key == "zh-hant-hk":
            assert (plan["title"], plan["community"]) == ("社區環境衞生整治計劃", "幸福街道辦事處")
            assert person["title"] == "于秀蘭"  # the surname is a name, not 於
        else:
            assert (plan["title"], plan["community"]) == ("社区环境卫生整治计划", "幸福街道办事处")


def test_index_holds_the_article_not_the_site_chrome(built):
    site, _ = built
    for record in search.read_fragments(site / search.BUNDLE, "zh-hans"):
        text = record["content"].replace("\u200b", "")
        assert "搜索测试" not in text  # site name in the header
        assert "键入以开始搜索" not in text and "首页" not in text  # search box, navigation
        assert "Material for MkDocs" not in text  # footer
    album = next(r for r in search.read_fragments(site / search.BUNDLE, "zh-hans")
                 if r["url"] == "/albums/xueleifeng/")
    assert "党员志愿者为社区老人测量血压" in album["content"].replace("\u200b", "")  # the caption


def test_bundle_ships_what_the_search_box_loads(built):
    site, stats = built
    bundle = site / search.BUNDLE
    for name in search.UNUSED_BUNDLE_FILES:
        assert not (bundle / name).exists()
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"zh-hans", "zh-hant-hk"}
    hk = search.read_manifest(bundle, "zh-hant-hk")
    hans = search.read_manifest(bundle, "zh-hans")
    # both variants search the Simplified index: queries in any script become Simplified
    assert hk["map"] == hans["map"]
    assert hans["map"]["衞"] == "卫" and hans["map"]["衛"] == "卫" and hans["map"]["計"] == "计"
    assert hans["map"]["於"] == "于"  # 位於 is 位于 in the index, as 于秀兰 is
    assert hk["prefetch"] and all((bundle / p).is_file() for p in hk["prefetch"])
    assert all(p.startswith(("index/zh-hans_", "fragment/zh-hant-hk_", "pagefind.zh-hant-hk_",
                             "bulletin-zh-hant-hk-names", "bulletin-zh-hans-text"))
               for p in hk["prefetch"])
    assert hk["names"]["all"] in hk["prefetch"]  # names work offline too
    assert stats.bundle_bytes == sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


def test_offline_page_list_and_what_is_fetched_ahead(built):
    """Each variant lists its pages for offline results; a small variant is fetched whole
    after the first query, a bigger one only what finds results."""
    site, _ = built
    bundle = site / search.BUNDLE
    hk = search.read_manifest(bundle, "zh-hant-hk")
    pages = json.loads((bundle / hk["pages"]).read_text(encoding="utf-8"))
    records = {r["url"]: r for r in search.read_fragments(bundle, "zh-hant-hk")}
    assert len(pages) == len(records)
    by_url = {row[0]: row for row in pages.values()}
    wang = by_url["/zh-hk/people/2026-11-wang-xiuying/"]
    assert wang[1:3] == [records[wang[0]]["meta"]["title"], "person"]
    assert all((bundle / "fragment" / f"{key}.pf_fragment").is_file() for key in pages)
    files = search.language_files(bundle, "zh-hant-hk")
    whole = search._prefetch_list(bundle, files, hk["pages"], "auto")
    lookup = search._prefetch_list(bundle, files, hk["pages"], "lookup")
    assert any(p.startswith("fragment/") for p in whole) and hk["pages"] not in whole
    assert hk["pages"] in lookup and any(p.startswith("index/") for p in lookup)
    assert not any(p.startswith("fragment/") for p in lookup)
    assert search._prefetch_list(bundle, files, hk["pages"], "none") == []


# ---- one segmentation per page, shared by every script


def test_each_page_is_segmented_once_and_every_variant_shares_the_index(built, tmp_path, monkeypatch):
    site, stats = built
    assert stats.derived == {"zh-hant-hk": "zh-hans"} and stats.converted == {"zh-hant-hk": 0}
    assert stats.segmented == 6  # the Simplified pages
    bundle = site / search.BUNDLE
    assert sorted(p.name.split("_")[0] for p in (bundle / "index").iterdir()) == ["zh-hans"] * len(
        list((bundle / "index").iterdir()))  # one word index, not one per script
    hk = search.language_files(bundle, "zh-hant-hk")
    hans = search.language_files(bundle, "zh-hans")
    assert [p for p in hk if p.suffix == ".pf_index"] == [p for p in hans if p.suffix == ".pf_index"]

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    runs = []
    real = search.run_pagefind
    monkeypatch.setattr(search, "run_pagefind", lambda source, bundle=None: (runs.append(
        sorted(p.relative_to(source).as_posix() for p in source.rglob("*.html"))), real(source, bundle)))
    search.index_site(copy, VARIANTS)
    assert len(runs) == 1 and len(runs[0]) == 6
    assert not any(rel.startswith("zh-hk/") for rel in runs[0])  # the Traditional pages are not segmented again


def test_derived_records_are_what_pagefind_reads_from_the_variants_own_pages(built, tmp_path):
    """Each Traditional record has the text, title, community and headings Pagefind itself
    reads from the Traditional page, cut into words where the Simplified page's are."""
    site, _ = built
    pages = [p for p in search._scan(site, site / search.BUNDLE) if p.lang == "zh-hant-hk"]
    own = tmp_path / "own"
    search._build_bundle(pages, own)  # the Traditional pages indexed on their own
    expected = {r["url"]: r for r in search.read_fragments(own, "zh-hant-hk")}
    derived = {r["url"]: r for r in search.read_fragments(site / search.BUNDLE, "zh-hant-hk")}
    base = {r["url"]: r for r in search.read_fragments(site / search.BUNDLE, "zh-hans")}
    assert derived.keys() == expected.keys() and len(derived) == 6
    for url, record in derived.items():
        want = expected[url]
        assert record["content"].replace("\u200b", "") == want["content"].replace("\u200b", "")
        assert record["meta"] == want["meta"]
        assert [a["text"] for a in record["anchors"]] == [a["text"] for a in want["anchors"]]
        words = [len(w) for w in record["content"].split("\u200b")]
        assert words == [len(w) for w in base[url.replace("/zh-hk/", "/", 1)]["content"].split("\u200b")]
    yu = derived["/zh-hk/people/2026-11-yu-xiulan/"]
    assert "于秀蘭" in yu["content"].replace("\u200b", "") and yu["meta"]["title"] == "于秀蘭"


SPAN_RE = re.compile(r'<span data-pagefind-meta="(title|community|tags|summary|notices)">([^<]*)</span>')


def _spans(html: str) -> dict[str, str]:
    return {name: htmlmod.unescape(value) for name, value in SPAN_RE.findall(html)}


def test_result_fields_are_the_hidden_block_as_each_variant_writes_it():
    """search_fields converts an entry's fields as the variant writer converts the hidden
    block: the page's script and each tag's own, the glossary, 「」 for “”, escaped text."""
    from bulletin.script import Converter

    entries = {
        "a/index.html": plan_entry(title="市容環境衞生“迎檢”工作實施方案", script=HK, community="A&B<社區>",
                                   tags=("环境卫生", "志願服務")),
        "b/index.html": search.Entry("notice", "通知公告", notices=("周六上午于都县老乡会开会", "停水通知")),
        "c/index.html": search.Entry("person", "于秀兰", summary="组织“银发互助队”"),
    }
    glossary = [{"zh-Hans": "于都县", "zh-Hant": "于都縣"}]
    variants = [(v, Converter(v.code, glossary=glossary, names=["于秀兰"], corner_quotes=v.corner_quotes))
                for v in VARIANTS]
    fields = search.result_fields(entries, variants)
    for variant, converter in variants:
        for dest, entry in entries.items():
            assert fields[variant.key][dest] == _spans(converter.html(search.meta_block(entry))), (variant, dest)
    hk, hans = fields["zh-hant-hk"], fields["zh-hans"]
    assert hk["a/index.html"]["title"] == "市容環境衞生「迎檢」工作實施方案"  # as written, with the reader's quotes
    assert hans["a/index.html"]["title"] == "市容环境卫生“迎检”工作实施方案"
    assert hk["a/index.html"]["tags"] == "環境衞生、志願服務" and hans["a/index.html"]["tags"] == "环境卫生、志愿服务"
    assert hk["b/index.html"]["notices"] == "週六上午于都縣老鄉會開會｜停水通知"  # the glossary's 于都縣
    assert hk["c/index.html"] == {"title": "于秀蘭", "summary": "組織「銀髮互助隊」"}


def test_derived_results_show_the_fields_they_are_given_not_what_the_page_says(built, tmp_path):
    """The Traditional records' result fields are the ones index_site is given (from the
    site model), not read back from the Traditional page's hidden block; other fields make
    another bundle, cache or not."""
    from helpers_search import result_fields

    site, _ = built
    fields = result_fields(FIXTURE / "site_src")
    hk = VARIANTS[1]
    for page in (site / hk.folder).rglob("index.html"):  # the same as the variant writer wrote
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            assert _spans(html) == fields[hk.key][page.relative_to(site / hk.folder).as_posix()]
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    _edit(copy / hk.folder / "plans" / "weisheng" / "index.html",
          '<span data-pagefind-meta="title">社區環境衞生整治計劃</span>', '<span data-pagefind-meta="title">別的標題</span>')

    def shown(url: str = "/zh-hk/plans/weisheng/") -> dict:
        return next(r["meta"] for r in search.read_fragments(copy / search.BUNDLE, hk.key) if r["url"] == url)

    assert not search.index_site(copy, VARIANTS, cache_dir=cache, fields=fields).cached
    assert shown()["title"] == "社區環境衞生整治計劃" and shown()["tags"] == "環境衞生"
    changed = {**fields, hk.key: {**fields[hk.key], "plans/weisheng/index.html": {
        **fields[hk.key]["plans/weisheng/index.html"], "title": "改過的標題"}}}
    stats = search.index_site(copy, VARIANTS, cache_dir=cache, fields=changed)
    assert not stats.cached and stats.segmented == 0  # Pagefind's part is the same
    assert shown()["title"] == "改過的標題" and shown("/zh-hk/plans/lajifenlei/")["title"] == "垃圾分類宣傳方案"
    assert search.index_site(copy, VARIANTS, cache_dir=cache, fields=changed).cached


def test_derived_records_have_names_as_short_as_pagefinds(built):
    """The page list names every record and the first query fetches it: seven hex digits
    unless two records would share them."""
    from bulletin import search_derive

    assert search_derive._short_names(["1234567aa", "7654321bb"]) == 7
    assert search_derive._short_names(["abcdef01x", "abcdef02y", "abcdef01x"]) == 8
    site, _ = built
    names = [p.stem for p in search.language_files(site / search.BUNDLE, "zh-hant-hk") if p.suffix == ".pf_fragment"]
    assert len(set(names)) == 6 and {len(n.split("_", 1)[1]) for n in names} == {7}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_page_whose_characters_do_not_pair_up_keeps_its_own_forms_around_the_difference(built, tmp_path):
    """Two more characters on the Traditional page only, as a glossary term of another
    length gives: the record still has the page's forms (于秀蘭, not OpenCC's 於秀蘭)."""
    site, _ = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    _edit(copy / "zh-hk" / "people" / "2026-11-yu-xiulan" / "index.html", "上午開張", "上午準時開張")
    stats = search.index_site(copy, VARIANTS)
    assert stats.derived == {"zh-hant-hk": "zh-hans"} and stats.converted == {"zh-hant-hk": 1}
    assert "按 OpenCC 转换" in stats.summary()
    records = {r["url"]: r for r in search.read_fragments(copy / search.BUNDLE, "zh-hant-hk")}
    base = {r["url"]: r for r in search.read_fragments(copy / search.BUNDLE, "zh-hans")}
    record = records["/zh-hk/people/2026-11-yu-xiulan/"]
    text = record["content"].replace("\u200b", "")
    assert "于秀蘭退休前是服裝廠" in text and "位於社區活動室" in text and "於秀蘭" not in text
    assert record["meta"]["title"] == "于秀蘭"
    assert [len(w) for w in record["content"].split("\u200b")] == [
        len(w) for w in base["/people/2026-11-yu-xiulan/"]["content"].split("\u200b")]  # same word positions


def test_without_memory_to_stage_in_the_staging_copy_goes_to_the_temporary_folder(built, tmp_path, monkeypatch):
    site, _ = built
    staged = []
    real = search.tempfile.TemporaryDirectory
    monkeypatch.setattr(search.tempfile, "TemporaryDirectory", lambda **kw: staged.append(kw.get("dir")) or real(**kw))
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    with_shm = search.index_site(copy, VARIANTS)
    assert staged[-1] == ("/dev/shm" if Path("/dev/shm").is_dir() else None)
    isdir = os.path.isdir
    monkeypatch.setattr(search.os.path, "isdir", lambda path: False if path == "/dev/shm" else isdir(path))
    without = search.index_site(copy, VARIANTS)
    assert staged[-1] is None
    assert without.pages == with_shm.pages and without.derived == with_shm.derived
    names = lambda key: sorted(r["url"] for r in search.read_fragments(copy / search.BUNDLE, key))
    assert names("zh-hans") and [u.removeprefix("/zh-hk") for u in names("zh-hant-hk")] == names("zh-hans")


def test_a_variant_with_other_pages_is_indexed_on_its_own(built, tmp_path):
    site, _ = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "zh-hk" / "people" / "2026-11-wang-xiuying" / "index.html").unlink()
    stats = search.index_site(copy, VARIANTS)
    assert stats.derived == {}
    records = search.read_fragments(copy / search.BUNDLE, "zh-hant-hk")
    assert len(records) == 5 and all(r["url"].startswith("/zh-hk/") for r in records)
    hk = search.read_manifest(copy / search.BUNDLE, "zh-hant-hk")
    assert hk["map"]["卫"] == "衞"  # its own index is Traditional: queries become Traditional
    assert all(p.name.startswith(("zh-hant-hk_", "pagefind.zh-hant-hk_"))
               for p in search.language_files(copy / search.BUNDLE, "zh-hant-hk"))


def test_a_variant_with_regional_vocabulary_is_indexed_on_its_own(built, tmp_path):
    """软件 is 軟體 on a Taiwan page with phrases: a query for 軟體 must find it there."""
    site, _ = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    hk = dataclasses.replace(VARIANTS[1], phrases=True)
    stats = search.index_site(copy, [VARIANTS[0], hk])
    assert stats.derived == {}
    assert all(p.name.startswith(("zh-hant-hk_", "pagefind.zh-hant-hk_"))
               for p in search.language_files(copy / search.BUNDLE, "zh-hant-hk"))


def test_a_change_on_a_variant_page_alone_keeps_the_cached_index(built, tmp_path):
    site, _ = built
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    search.index_site(copy, VARIANTS, cache_dir=cache)
    cached = next((cache / "search").iterdir())
    before = {p.name: p.read_bytes() for p in cached.rglob("*") if p.is_file()}
    _edit(copy / "zh-hk" / "plans" / "weisheng" / "index.html", "特制定本計劃", "特製定本計劃")
    stats = search.index_site(copy, VARIANTS, cache_dir=cache)
    assert not stats.cached and stats.segmented == 0  # new Traditional records, the same segmentation
    assert "分词沿用缓存" in stats.summary()
    record = next(r for r in search.read_fragments(copy / search.BUNDLE, "zh-hant-hk")
                  if r["url"] == "/zh-hk/plans/weisheng/")
    assert "特製定本計劃" in record["content"].replace("\u200b", "")
    assert {p.name: p.read_bytes() for p in cached.rglob("*") if p.is_file()} == before  # cache untouched


def _digest(bundle: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(bundle.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(bundle).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def test_unchanged_content_reuses_the_cached_bundle(built, tmp_path):
    site, _ = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    cache = tmp_path / "cache"
    first = search.index_site(copy, VARIANTS, cache_dir=cache)
    reference = _digest(copy / search.BUNDLE)
    again = search.index_site(copy, VARIANTS, cache_dir=cache)
    assert (first.cached, again.cached) == (False, True)
    assert _digest(copy / search.BUNDLE) == reference
    page = copy / "plans" / "weisheng" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("特制定本计划", "特制定本计划和细则"),
                    encoding="utf-8")
    changed = search.index_site(copy, VARIANTS, cache_dir=cache)
    assert not changed.cached
    assert len(list((cache / "search").iterdir())) == 1  # only the latest bundle is kept


def test_site_without_searchable_pages_gets_no_bundle(tmp_path):
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    stats = search.index_site(tmp_path, VARIANTS)
    assert stats.pages == {} and stats.bundle_bytes == 0
    assert not (tmp_path / search.BUNDLE).exists()


def test_missing_pagefind_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)
    (tmp_path / "index.html").write_text(search.mark_page(PAGE, plan_entry()), encoding="utf-8")
    search.pagefind_version.cache_clear()
    try:
        with pytest.raises(search.SearchError, match=r"pip install 'pagefind\[extended\]'"):
            search.index_site(tmp_path, VARIANTS)
    finally:
        search.pagefind_version.cache_clear()


def test_a_passage_an_editor_keeps_out_of_search_is_in_no_script(tmp_path):
    """`<div data-search-skip markdown>` (docs/editor-guide.md): on the page, not in the index."""
    config = copy_fixture(tmp_path / "src")
    src = config.parent
    plan = src / "site_src" / "plans" / "lajifenlei.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n<div data-search-skip markdown>\n\n"
                    "联系电话：八八六六一二三四，值班干部发放回收袋。\n\n</div>\n", encoding="utf-8")
    site = build(config, tmp_path / "site")
    write_variants(site, src / "site_src")
    stats = search.index_site(site, VARIANTS)
    assert stats.converted == {"zh-hant-hk": 0}  # the two scripts still pair up around it
    assert "值班幹部" in (site / "zh-hk" / "plans" / "lajifenlei" / "index.html").read_text(encoding="utf-8")
    for variant in VARIANTS:
        record = next(r for r in search.read_fragments(site / search.BUNDLE, variant.key)
                      if r["url"] == f"/{variant.folder}plans/lajifenlei/")
        text = record["content"].replace("\u200b", "")
        assert "积分奖励" in text or "積分獎勵" in text
        assert "值班" not in text and "八八六六" not in text


def test_a_page_that_is_not_published_is_not_in_the_index(tmp_path):
    """Withdrawn people are not published, so nothing of theirs can reach the index."""
    config = copy_fixture(tmp_path / "src")
    src = config.parent
    (src / "site_src" / "people" / "2026-11-wang-xiuying.md").unlink()
    site = build(config, tmp_path / "site")
    write_variants(site, src / "site_src")
    search.index_site(site, VARIANTS)
    for variant in VARIANTS:
        records = search.read_fragments(site / search.BUNDLE, variant.key)
        assert len(records) == 5
        assert not any("王秀英" in r["content"].replace("\u200b", "") for r in records)
