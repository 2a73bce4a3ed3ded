"""Search in real Chromium, on both script variants of the fixture site."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from conftest import foreign_requests
from helpers_search import build_fixture

pytestmark = pytest.mark.browser

HANS_PREFIX, HANT_PREFIX = "", "zh-hk/"

# query -> the page it must find first (a site path, the same in both variants)
FIRST = {
    "计划": "plans/weisheng/",
    "計劃": "plans/weisheng/",
    "卫生": "plans/weisheng/",
    "衞生": "plans/weisheng/",
    "衛生": "plans/weisheng/",
    "王秀英": "people/2026-11-wang-xiuying/",  # a name
    "于秀兰": "people/2026-11-yu-xiulan/",  # a name whose surname must not become 於
    "通过入户宣传和积分奖励": "plans/lajifenlei/",  # from the middle of a sentence
    "通過入戶宣傳和積分獎勵": "plans/lajifenlei/",  # the same, typed in Traditional
    "测量血压": "albums/xueleifeng/",  # an album caption
}
# Issue 8's words: each finds the plans that contain them.
CONTAINED = {
    "志愿服务": {"plans/weichengnian/"},
    "垃圾分类": {"plans/lajifenlei/"},
    "未成年人": {"plans/weichengnian/"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site, _ = build_fixture(tmp_path_factory.mktemp("search-browser"))
    return site


@pytest.fixture
def open_page(site, serve, page_log):
    """open_page(path) -> (page, server, requests, errors), search script ready."""
    server = serve(site)

    def go(path: str):
        page, requests = page_log()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        return page, server, requests, errors

    return go


def run_query(page, query: str) -> list[dict]:
    """Type `query` into the open search box; the results as the reader sees them."""
    page.fill("[data-bl-search-query]", query)
    page.wait_for_function("(q) => document.querySelector('[data-bl-search]').dataset.blSearchDone === q",
                           arg=query, timeout=15000)
    return page.evaluate("""() => Array.from(document.querySelectorAll('.bl-search__group')).map(g => ({
        label: g.querySelector('.bl-search__group-title').textContent,
        kind: g.dataset.kind,
        items: Array.from(g.querySelectorAll('.md-search-result__link')).map(a => ({
            path: new URL(a.href).pathname,
            title: a.querySelector('h1').textContent,
            titleMarks: Array.from(a.querySelectorAll('h1 mark')).map(m => m.textContent),
            facts: Array.from(a.querySelectorAll('.bl-search__facts span')).map(s => s.textContent),
            marks: Array.from(a.querySelectorAll('.bl-search__excerpt mark')).map(m => m.textContent),
        })),
    }))""")


def first_path(groups: list[dict]) -> str | None:
    return groups[0]["items"][0]["path"] if groups and groups[0]["items"] else None


def open_search(page) -> None:
    page.keyboard.press("/")
    page.wait_for_function("document.getElementById('__search').checked")


@pytest.mark.parametrize("prefix", [HANS_PREFIX, HANT_PREFIX], ids=["zh-Hans", "zh-Hant"])
def test_each_query_finds_the_expected_page_first(open_page, prefix):
    page, _, _, errors = open_page(prefix + "plans/weichengnian/")
    open_search(page)
    wrong = {}
    for query, expected in FIRST.items():
        found = first_path(run_query(page, query))
        if found != "/" + prefix + expected:
            wrong[query] = found
    for query, expected in CONTAINED.items():
        paths = {i["path"] for g in run_query(page, query) for i in g["items"]}
        if not {"/" + prefix + p for p in expected} <= paths:
            wrong[query] = sorted(paths)
    assert wrong == {}
    assert errors == []


@pytest.mark.parametrize("prefix, query, marked", [
    (HANS_PREFIX, "衛生", "卫生"), (HANT_PREFIX, "卫生", "衞生"), (HANT_PREFIX, "计划", "計劃"),
], ids=["trad-on-hans", "simp-on-hant", "simp-on-hant-2"])
def test_results_show_in_the_readers_script_with_the_match_marked(open_page, prefix, query, marked):
    page, _, _, _ = open_page(prefix)
    open_search(page)
    item = run_query(page, query)[0]["items"][0]
    assert marked in item["marks"]
    assert marked in item["titleMarks"]


def test_search_works_where_the_gzipped_script_cannot_be_had(open_page):
    """A server or proxy that will not hand out pagefind.js.gz: search loads pagefind.js."""
    page, _, requests, errors = open_page("plans/weisheng/")
    page.route("**/pagefind.js.gz", lambda route: route.abort())
    open_search(page)
    assert first_path(run_query(page, "卫生")) == "/plans/weisheng/"
    assert any(u.endswith("/pagefind/pagefind.js") for u in requests)
    assert errors == []


@pytest.mark.parametrize("prefix, labels, facts", [
    (HANS_PREFIX, {"plan": "计划", "album": "相册"}, ["2026年3月5日", "幸福社区文化广场"]),
    (HANT_PREFIX, {"plan": "計劃", "album": "相冊"}, ["2026年3月5日", "幸福社區文化廣場"]),
], ids=["zh-Hans", "zh-Hant"])
def test_results_are_grouped_by_kind_with_date_and_community(open_page, prefix, labels, facts):
    page, _, _, _ = open_page(prefix)
    open_search(page)
    groups = run_query(page, "志愿" if not prefix else "志願")
    assert [g["kind"] for g in groups] == ["album", "plan"]  # ordered by each group's best result
    assert [g["label"] for g in groups] == [labels["album"], labels["plan"]]
    assert len(groups[1]["items"]) == 2
    assert groups[0]["items"][0]["facts"] == facts
    assert all(len(i["facts"]) == 2 for g in groups for i in g["items"])


def test_first_query_downloads_little_and_nothing_foreign(open_page, record_property):
    page, server, requests, errors = open_page("plans/weisheng/")
    sizes: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"])))
    page.wait_for_load_state("networkidle")
    sizes.clear()
    open_search(page)
    groups = run_query(page, "卫生")
    assert first_path(groups) == "/plans/weisheng/"
    fetched = sum(n for _, n in sizes)
    record_property("first_query_bytes", fetched)
    sys.stdout.write(f"\nfirst query (fixture site): {fetched} bytes in {len(sizes)} requests\n")
    assert 0 < fetched < 1_000_000
    assert any(u.endswith("/pagefind/pagefind.js.gz") for u, _ in sizes)  # Pagefind's script, gzipped
    assert not any(u.endswith("/pagefind/pagefind.js") for u, _ in sizes)
    assert foreign_requests(requests) == []
    assert not any("search_index.json" in u for u in requests)  # Material's lunr index is not used
    assert errors == []


def test_works_when_the_site_is_served_under_a_path(site, serve, page_log, tmp_path):
    shutil.copytree(site, tmp_path / "bulletin")
    server = serve(tmp_path)
    page, requests = page_log()
    page.goto(server.url + "bulletin/zh-hk/")
    open_search(page)
    assert first_path(run_query(page, "王秀英")) == "/bulletin/zh-hk/people/2026-11-wang-xiuying/"
    assert foreign_requests(requests) == []


def test_nothing_is_loaded_until_search_is_opened(open_page):
    page, _, requests, _ = open_page("")
    page.wait_for_load_state("networkidle")
    assert not any("/pagefind/" in u for u in requests)


def test_keyboard_as_in_material(open_page, site):
    page, server, _, _ = open_page("")
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.matches('[data-bl-search-query]')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert not page.evaluate("document.activeElement.matches('[data-bl-search-query]')")
    page.keyboard.press("/")
    run_query(page, "志愿")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.closest('.md-search-result__link') && "
                          "new URL(document.activeElement.href).pathname")
    assert first == "/albums/xueleifeng/"
    page.keyboard.press("ArrowDown")
    second = page.evaluate("new URL(document.activeElement.href).pathname")
    assert second.startswith("/plans/")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('[data-bl-search-query]')")
    page.keyboard.press("Enter")  # from the box: the best result
    page.wait_for_url(lambda url: url.split("#")[0] == server.url + "albums/xueleifeng/")


def test_typing_s_in_a_field_does_not_open_search(open_page):
    page, _, _, _ = open_page("")
    page.evaluate("""() => { const i = document.createElement('input'); i.id = 'other';
                             document.querySelector('article').append(i); i.focus(); }""")
    page.keyboard.press("s")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.getElementById('other').value") == "s"


def test_search_keeps_working_offline_once_loaded(open_page, page_log):
    page, _, _, _ = open_page(HANT_PREFIX)
    open_search(page)
    assert first_path(run_query(page, "王秀英")) == "/zh-hk/people/2026-11-wang-xiuying/"
    page.evaluate("window.BulletinSearch.prefetching")
    page.context.set_offline(True)
    try:
        assert first_path(run_query(page, "测量血压")) == "/zh-hk/albums/xueleifeng/"
        assert first_path(run_query(page, "積分獎勵")) == "/zh-hk/plans/lajifenlei/"
    finally:
        page.context.set_offline(False)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """The fixture site indexed as a big one is: only what finds results is fetched ahead."""
    site, _ = build_fixture(tmp_path_factory.mktemp("search-lookup"), prefetch="lookup")
    return site


def test_a_big_site_finds_results_offline_and_shows_them_without_excerpt(big_site, serve, page_log):
    server = serve(big_site)
    page, requests = page_log()
    page.goto(server.url + HANT_PREFIX)
    page.wait_for_load_state("load")
    open_search(page)
    assert first_path(run_query(page, "王秀英")) == "/zh-hk/people/2026-11-wang-xiuying/"
    page.evaluate("window.BulletinSearch.prefetching")
    fetched = {url.rsplit("/pagefind/", 1)[-1] for url in requests if "/pagefind/" in url}
    assert "bulletin-zh-hant-hk-pages.json" in fetched
    assert any(name.startswith("index/zh-hans_") for name in fetched)  # the shared word index
    pages = json.loads((big_site / "pagefind/bulletin-zh-hant-hk-pages.json").read_text(encoding="utf-8"))
    album = next(key for key, row in pages.items() if row[0] == "/zh-hk/albums/xueleifeng/")
    assert f"fragment/{album}.pf_fragment" not in fetched  # offline, its result comes from the list
    page.context.set_offline(True)
    try:
        groups = run_query(page, "測量血壓")
        item = groups[0]["items"][0]
        assert item["path"] == "/zh-hk/albums/xueleifeng/"
        assert item["title"] and item["title"] == page.evaluate(
            "() => document.querySelector('.md-search-result__link h1').textContent")
        offline = page.text_content(".bl-search__excerpt--offline")
        assert "沒有網絡" in offline  # the notice, in the reader's script
        # A page whose fragment was fetched before going offline keeps its excerpt.
        groups = run_query(page, "王秀英")
        assert first_path(groups) == "/zh-hk/people/2026-11-wang-xiuying/"
        assert groups[0]["items"][0]["marks"]
    finally:
        page.context.set_offline(False)


def test_offline_before_loading_says_so(open_page):
    page, _, _, _ = open_page("")
    page.context.set_offline(True)
    try:
        open_search(page)
        run_query(page, "卫生")
        assert "没有网络" in page.text_content("[data-bl-search-status]")
        assert page.evaluate("document.querySelectorAll('.md-search-result__link').length") == 0
    finally:
        page.context.set_offline(False)


def test_opened_from_a_file_says_search_needs_the_web(site, page_log):
    page, requests = page_log()
    page.goto((site / "index.html").as_uri())
    open_search(page)
    run_query(page, "卫生")
    assert "无法搜索" in page.text_content("[data-bl-search-status]")
    assert foreign_requests(requests) == []


def test_pure_functions(open_page):
    page, _, _, _ = open_page("")
    got = page.evaluate("""() => {
        const S = window.BulletinSearch;
        const map = {"卫": "衞", "发": "發髮", "于": "於于", "兰": "蘭", "干": "干幹乾"};
        return {
          expand: S.expand("卫生", map),
          native: S.expand("若干", map),
          ambiguous: S.expand("头发", map),
          name: S.expand("于秀兰", map),
          limit: S.expand("发发发", map, 3).length,
          merge: S.merge([[{id: "a", score: 1}, {id: "b", score: 3}], [{id: "a", score: 5}]])
                  .map(r => [r.id, r.score]),
          group: S.group([{kind: "person", n: 1}, {kind: "plan", n: 2}, {kind: "person", n: 3}])
                  .map(g => [g.kind, g.items.map(i => i.n)]),
          excerpt: S.excerptParts("a &lt;b&gt; <mark>卫\\u200b生</mark> &amp; c"),
          marks: S.markParts([{text: "特制定本計", mark: true}, {text: "劃。計劃", mark: false}], ["計劃"]),
          trimmed: S.trimTitle([{text: "环境", mark: false}, {text: "卫生", mark: true},
                                {text: "整治计划. 为巩固", mark: false}], "社区环境卫生整治计划"),
          kept: S.trimTitle([{text: "一、整治重点. 各社区", mark: false}], "社区环境卫生整治计划"),
          lead: S.trimTitle([{text: ". ", mark: false}, {text: "整治计划. 为", mark: false}], "社区环境卫生整治计划"),
          joins: S.cjkJoins([{text: "活动日期2026年4月18日. 地点", mark: false}, {text: "清理。. 宣传. Done. OK", mark: true},
                              {text: "凝聚力。 组织“课堂”。 如今。 WeChat", mark: false}])
                  .map(p => p.text),
          joinsAcross: S.cjkJoins([{text: "人次。 ", mark: false}, {text: "雷锋", mark: true},
                                   {text: "精神. ", mark: false}, {text: "志愿", mark: true}, {text: ". ", mark: false},
                                   {text: "OK", mark: true}]).map(p => p.text),
        };
    }""")
    assert got["expand"] == ["衞生"]  # 卫 is not used on the page: as typed cannot match
    assert got["native"] == ["若干", "若幹", "若乾"]  # 干 is used as itself: as typed first
    assert got["ambiguous"] == ["头發", "头髮"]
    assert got["name"] == ["於秀蘭", "于秀蘭"]
    assert got["limit"] == 3
    assert got["joins"] == ["活动日期2026年4月18日\u3000地点", "清理。宣传. Done. OK", "凝聚力。组织“课堂”。如今。 WeChat"]
    assert got["joinsAcross"] == ["人次。", "雷锋", "精神\u3000", "志愿", ". ", "OK"]
    assert got["merge"] == [["a", 5], ["b", 3]]
    assert got["group"] == [["person", [1, 3]], ["plan", [2]]]
    assert got["excerpt"] == [{"text": "a <b> ", "mark": False}, {"text": "卫生", "mark": True},
                              {"text": " & c", "mark": False}]
    assert got["trimmed"] == [{"text": "为巩固", "mark": False}]
    assert got["kept"] == [{"text": "一、整治重点. 各社区", "mark": False}]
    assert got["lead"] == [{"text": "为", "mark": False}]  # a block's ". " and then the title's end
    assert got["marks"] == [{"text": "特制定本計劃", "mark": True}, {"text": "。", "mark": False},
                            {"text": "計劃", "mark": True}]
