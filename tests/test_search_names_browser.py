"""Search finds every person, album and plan by its name (issue 15), in real Chromium.

The sample site (mkdocs.yml + site_src/) is built as it is published, with two profiles
added: 后振国, whose surname is also a Simplified character (后 must not become 後), and
裘万善, who withdrew consent and so must be in no file of the site. Every title, name,
community and tag the built site shows is typed into the search box of both script
variants, in both scripts.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from bulletin import content, search, search_names
from conftest import ROOT, build_site, foreign_requests
from test_search_browser import first_path, open_search, run_query

pytestmark = pytest.mark.browser

HANS, HANT = "", "zh-hk/"
VARIANTS = pytest.mark.parametrize("prefix", [HANS, HANT], ids=["zh-Hans", "zh-Hant"])

HOU = """---
name: 后振国
category: 敬业奉献
honored: 2026-11
community: 和平社区
summary: 退休后义务维修小区路灯
consent: {by: 本人, date: 2026-10-08}
---

后振国是小区的老电工，退休后义务为邻居维修路灯和楼道灯。
"""
WITHHELD_NAME = "裘万善"
WITHHELD = f"""---
name: {WITHHELD_NAME}
category: 助人为乐
honored: 2026-11
community: 和平社区
summary: 常年照顾孤寡老人
consent: {{by: 本人, date: 2026-09-20, withdrawn: true}}
---

{WITHHELD_NAME}常年照顾孤寡老人。
"""

# query -> the page it must find first, on either variant (issue 15)
FIRST = {
    "赵德顺": "people/2026-10-zhao-deshun/",
    "趙德順": "people/2026-10-zhao-deshun/",
    "干志强": "people/2026-11-gan-zhiqiang/",
    "干志強": "people/2026-11-gan-zhiqiang/",
    "后振国": "people/2026-11-hou-zhenguo/",
    "后振國": "people/2026-11-hou-zhenguo/",
    "四点半课堂": "people/2026-10-zhou-xiaomei/",
    "四點半課堂": "people/2026-10-zhou-xiaomei/",
    "学雷锋志愿服务活动": "albums/xueleifeng-2026/",
    "學雷鋒志願服務活動": "albums/xueleifeng-2026/",
}


def _project(dest: Path) -> Path:
    """A copy of the sample project with the two added profiles; its mkdocs.yml."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "site_src", dest / "site_src")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"),
                                     encoding="utf-8")
    (dest / "site_src" / "people" / "2026-11-hou-zhenguo.md").write_text(HOU, encoding="utf-8")
    (dest / "site_src" / "people" / "2026-11-qiu-wanshan.md").write_text(WITHHELD, encoding="utf-8")
    return dest / "mkdocs.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(site, project's site_src) of the sample with the added profiles, as published."""
    work = tmp_path_factory.mktemp("search-names")
    config = _project(work / "project")
    build_site(config, work / "site")
    return work / "site", work / "project" / "site_src"


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The same site with its name lists sharded by character, as a big site's are."""
    work = tmp_path_factory.mktemp("search-names-sharded")
    config = _project(work / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search_names, "NAMES_ONE_FILE", 0)
        build_site(config, work / "site")
    return work / "site"


H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
TAG_RE = re.compile(r"<[^>]+>")


def searchable(site: Path, prefix: str) -> dict[str, tuple[str, str]]:
    """Every page of a variant that search covers: site path -> (kind, the title it shows)."""
    found = {}
    for kind, folder in (("person", "people"), ("album", "albums"), ("plan", "plans")):
        for page in sorted((site / prefix / folder).glob("*/index.html")):
            html = page.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue  # a listing page: category, page 2 of the plans
            title = TAG_RE.sub("", H1_RE.search(html).group(1)).strip()
            found[f"{folder}/{page.parent.name}/"] = (kind, title)
    return found


@pytest.fixture
def search_page(serve, page_log):
    """search_page(site, prefix) -> page with the search box open; errors collected in page.errors."""
    def go(site: Path, prefix: str):
        server = serve(site)
        page, requests = page_log()
        page.errors = []
        page.requests = requests
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(server.url + prefix)
        page.wait_for_load_state("load")
        open_search(page)
        return page
    return go


def test_the_table_covers_the_whole_sample(built):
    """The parametrised tests below read their queries from the built site: make sure it
    has what they are meant to cover."""
    site, _ = built
    pages = searchable(site, HANS)
    kinds = [kind for kind, _ in pages.values()]
    assert kinds.count("person") >= 12 and kinds.count("album") >= 3 and kinds.count("plan") >= 25
    assert pages["people/2026-11-hou-zhenguo/"] == ("person", "后振国")
    assert searchable(site, HANT)["people/2026-11-hou-zhenguo/"] == ("person", "后振國")  # surname kept


@VARIANTS
@pytest.mark.parametrize("kind", ["person", "album", "plan"])
def test_every_name_and_title_typed_whole_finds_its_page_first(built, search_page, prefix, kind):
    """Typed in Simplified or in Traditional, on either variant: its own page first, and
    the query marked in the title the reader sees, in the reader's script."""
    site, _ = built
    hans, hant = searchable(site, HANS), searchable(site, HANT)
    shown = hant if prefix else hans
    page = search_page(site, prefix)
    wrong = {}
    for path, (k, title) in hans.items():
        if k != kind:
            continue
        # plans may share a title (精神文明建设工作计划): any of them first will do
        same = {"/" + prefix + p for p, (_, t) in hans.items() if t == title}
        for query in {title, hant[path][1]}:
            groups = run_query(page, query)
            first = groups[0]["items"][0] if groups and groups[0]["items"] else None
            if first is None or first["path"] not in same:
                wrong[query] = first and first["path"]
            elif first["title"] != shown[path][1] or first["titleMarks"] != [shown[path][1]]:
                wrong[query] = (first["title"], first["titleMarks"])
    assert wrong == {}
    assert page.errors == []


@VARIANTS
def test_two_characters_of_a_three_character_name_find_the_person_in_the_first_three(built, search_page, prefix):
    site, _ = built
    page = search_page(site, prefix)
    wrong = {}
    for path, (kind, name) in searchable(site, HANS).items():
        if kind != "person" or len(name) != 3:
            continue
        for query in (name[:2], name[1:]):
            top = [i["path"] for g in run_query(page, query) for i in g["items"]]
            # results are grouped by kind: the first three as the reader sees them
            if "/" + prefix + path not in top[:3]:
                wrong[query] = top[:3]
    assert wrong == {}


def _path(source: content.Source) -> str:
    rel = source.rel.removesuffix(".md").removesuffix("/index")
    return rel + "/"


@VARIANTS
def test_every_community_and_tag_finds_a_page_of_it_first(built, search_page, prefix):
    """A community or tag typed whole: the first result is a page of that community (its
    date and place line shows it) or with that tag, or has it in its title."""
    site, src = built
    index = content.load(src)
    published = searchable(site, HANS)
    by_word: dict[str, set[str]] = {}
    for source in index.sources.values():
        path = _path(source)
        if path not in published:
            continue
        meta = source.meta
        for word in [meta.get("community") or meta.get("location") or "", *(meta.get("tags") or [])]:
            if word:
                by_word.setdefault(str(word), set()).add(path)
    assert len(by_word) >= 10
    page = search_page(site, prefix)
    hans, hant = searchable(site, HANS), searchable(site, HANT)
    wrong = {}
    for word, paths in sorted(by_word.items()):
        groups = run_query(page, word)
        first = groups[0]["items"][0] if groups and groups[0]["items"] else None
        path = first and first["path"].removeprefix("/" + prefix)
        if first is None:
            wrong[word] = None
        elif not (path in paths or word in hans.get(path, ("", ""))[1]
                  or _same(word, hant.get(path, ("", ""))[1])):
            wrong[word] = first["path"]
    assert wrong == {}


def _same(word: str, title: str) -> bool:
    """`word` (any script) is part of a Traditional `title`."""
    table = search.char_table("zh-Hans", "zh-HK")
    return "".join(table.get(c, c) for c in word) in title or word in title


@VARIANTS
def test_the_names_of_issue_15_find_their_page_first(built, search_page, prefix):
    site, _ = built
    page = search_page(site, prefix)
    found = {q: first_path(run_query(page, q)) for q in FIRST}
    assert found == {q: "/" + prefix + p for q, p in FIRST.items()}
    assert page.errors == []
    assert foreign_requests(page.requests) == []


@VARIANTS
def test_a_phrase_is_marked_whole_not_its_pieces(built, search_page, prefix):
    """学雷锋: the pages that have it are marked 学雷锋 (学雷鋒… on the Traditional site),
    never 学习 or 学校, which Pagefind matched on 学 alone."""
    site, _ = built
    page = search_page(site, prefix)
    groups = run_query(page, "学雷锋")
    items = [i for g in groups for i in g["items"]]
    assert items[0]["path"] == "/" + prefix + "albums/xueleifeng-2026/"
    phrase = "學雷鋒" if prefix else "学雷锋"
    marks = [m for i in items for m in i["marks"] + i["titleMarks"]]
    assert phrase in marks
    assert all(m in phrase or phrase in m for m in marks), marks
    assert not any(w in m for m in marks for w in ("学习", "学校", "學習", "學校"))


@pytest.mark.parametrize("prefix, label", [(HANS, "标签：青少年"), (HANT, "標籤：青少年")], ids=["zh-Hans", "zh-Hant"])
def test_a_page_found_by_its_tag_shows_the_tag_marked(built, search_page, prefix, label):
    """周晓梅's profile is tagged 青少年 but does not say it: the result says why it is there."""
    site, _ = built
    page = search_page(site, prefix)
    groups = run_query(page, "青少年")
    first = groups[0]["items"][0]
    assert first["path"] == "/" + prefix + "people/2026-10-zhou-xiaomei/"
    assert label in first["facts"]
    assert page.evaluate("""() => Array.from(document.querySelectorAll(
        '.md-search-result__link')[0].querySelectorAll('.bl-search__tag mark')).map(m => m.textContent)""") == ["青少年"]


def _published_texts(site: Path):
    """(path, text) of every file under `site`, gzip and Pagefind's files decompressed."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace")


def test_a_withheld_person_is_in_no_file_and_never_found(built, search_page):
    site, _ = built
    fragments = 0
    for path, text in _published_texts(site):
        fragments += text.startswith("pagefind_dcd")
        assert WITHHELD_NAME not in text and "裘萬善" not in text, path
    assert fragments > 40  # the fragments were read, not skipped
    for prefix in (HANS, HANT):
        page = search_page(site, prefix)
        for query in (WITHHELD_NAME, "裘萬善", "万善"):
            assert [i["path"] for g in run_query(page, query) for i in g["items"]
                    if "qiu-wanshan" in i["path"]] == []
            assert "qiu" not in " ".join(page.requests)


@VARIANTS
def test_sharded_name_lists_find_names_and_fetch_a_shard_per_pair(sharded, search_page, prefix):
    """On a big site a query fetches the postings of its character pairs, not the whole
    list, and finds the same pages."""
    names = search.read_manifest(sharded / "pagefind", "zh-hant-hk" if prefix else "zh-hans")["names"]
    assert names["shards"] == search.NAMES_SHARDS and len(names["empty"]) < search.NAMES_SHARDS - 20
    page = search_page(sharded, prefix)
    # before the first results (after them, what offline search needs is fetched ahead)
    assert first_path(run_query(page, "趙德順")) == "/" + prefix + FIRST["趙德順"]
    shards = [u for u in page.requests if "-names" in u]
    assert 1 <= len(shards) <= 2 and not any(u.endswith("-names.json.gz") for u in shards), shards
    for query, path in FIRST.items():
        assert first_path(run_query(page, query)) == "/" + prefix + path, query


def test_sharded_name_lists_work_offline_once_fetched_ahead(sharded, serve, page_log):
    """Offline, a shard never fetched is replaced by the whole list fetched ahead."""
    server = serve(sharded)
    page, _ = page_log()
    page.goto(server.url + "zh-hk/")
    open_search(page)
    assert first_path(run_query(page, "志愿")) is not None
    page.evaluate("window.BulletinSearch.prefetching")
    page.context.set_offline(True)
    for query in ("后振国", "四點半課堂", "干志強"):  # their shards were not fetched
        assert first_path(run_query(page, query)) == "/zh-hk/" + FIRST[query], query


def test_pure_functions_of_the_name_pass(built, search_page):
    site, _ = built
    page = search_page(site, HANS)
    out = page.evaluate("""() => {
      const S = window.BulletinSearch;
      const map = {"趙": "赵", "順": "顺", "髮": "发"};
      const rows = [["a", "赵德顺", "和平社区", ""], ["b", "王德顺路", "", ""],
                    ["c", "工作计划", "和平社区", "志愿服务、赵德顺"], ["d", "德顺", "", "", "赵德顺的故事"]];
      const parts = S.excerptAround("赵德顺. 好人榜. 得知父母生病，趙德順辞去工作", ["赵德顺"], "赵德顺", 10, false, map);
      return {
        fold: S.fold("趙德順𠀀髮", map),
        matches: S.nameMatches(rows, ["趙德順"], map).map(m => [m.id, m.tier]),
        part: S.nameMatches(rows, ["德顺"], map).map(m => [m.id, m.tier]),
        single: S.nameMatches(rows, ["德"], map),
        rank: S.rank([{id: "x", score: 9}, {id: "b", score: 1}], [{id: "b", tier: 3}, {id: "a", tier: 4}],
                     id => ({id: id, score: 0})).map(r => r.id),
        related: [S.related("学习", ["学雷锋"]), S.related("雷锋", ["学雷锋"]), S.related("志愿者", ["志愿"]),
                  S.related("趙德", ["赵德顺"], map)],
        around: parts.map(p => [p.text, p.mark]),
        none: S.excerptAround("赵德顺. 好人榜", ["王秀英"], "赵德顺", 10, false, map),
      };
    }""")
    assert out["fold"] == "赵德顺𠀀发"
    assert out["matches"] == [["a", 4], ["c", 2], ["d", 1]]  # whole name, whole tag, part of a summary
    assert out["part"] == [["d", 4], ["a", 3], ["b", 3], ["c", 1]]  # nearer the start of a shorter title first
    assert out["single"] == []  # one character is left to Pagefind
    assert out["rank"] == ["a", "b", "x"]
    assert out["related"] == [False, True, True, True]
    assert ["趙德順", True] in out["around"] and out["around"][0][0].startswith("…")
    assert out["none"] is None
