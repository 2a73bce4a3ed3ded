"""Search's name lists (issue 15): what the browser matches a query against whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bulletin import search, search_names

from helpers_search import VARIANTS, build_fixture


def names_of(site: Path, key: str) -> tuple[dict, dict[str, list]]:
    """(the manifest's "names" entry, every row of its list by its title) of one variant."""
    bundle = site / search.BUNDLE
    manifest = search.read_manifest(bundle, key)
    names = manifest["names"]
    rows = {row[1]: row for row in search.read_json(bundle / names["all"])}
    return names, rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site, _ = build_fixture(tmp_path_factory.mktemp("search-names"))
    return site


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search_names, "NAMES_ONE_FILE", 0)
        site, _ = build_fixture(tmp_path_factory.mktemp("search-names-sharded"))
    return site


def test_each_page_is_listed_with_its_title_community_tags_and_summary_in_the_readers_script(built):
    _, hans = names_of(built, "zh-hans")
    names, hk = names_of(built, "zh-hant-hk")
    assert names["shards"] == 0 and names["prefix"] == "zh-hant-hk_"
    assert set(hans) == {"社区环境卫生整治计划", "垃圾分类宣传方案", "未成年人思想道德建设方案", "学雷锋活动相册",
                         "王秀英", "于秀兰"}
    assert hans["社区环境卫生整治计划"][2:4] == ["幸福街道办事处", "环境卫生"]
    assert hk["社區環境衞生整治計劃"][2:4] == ["幸福街道辦事處", "環境衞生"]
    assert "于秀蘭" in hk  # the surname stays 于
    records = {r["url"]: r for r in search.read_fragments(built / search.BUNDLE, "zh-hant-hk")}
    ids = {f"{names['prefix']}{row[0]}" for row in hk.values()}
    bundle = built / search.BUNDLE
    assert all((bundle / "fragment" / f"{i}.pf_fragment").is_file() for i in ids)  # search.js reads them
    assert len(ids) == len(records)


def test_summaries_are_listed_for_people_only(built):
    _, hans = names_of(built, "zh-hans")
    people = [row for title, row in hans.items() if title in ("王秀英", "于秀兰")]
    assert people and all(row[4] for row in people)
    assert all(row[4] == "" for title, row in hans.items() if title not in ("王秀英", "于秀兰"))


def test_a_big_site_gets_postings_of_character_pairs_in_shards(sharded, built):
    """Each pair of adjacent characters of a title (folded into the index's script) lists
    the row in its shard under "t", of a community, tag or summary under "o"."""
    for variant in VARIANTS:
        names, rows = names_of(sharded, variant.key)
        assert names["shards"] == search.NAMES_SHARDS and len(names["empty"]) < search.NAMES_SHARDS - 20
        written = {p.name for p in (sharded / search.BUNDLE).glob(f"bulletin-{variant.key}-names-*.json.gz")}
        assert written == {names["pattern"].replace("#", str(k)) for k in range(search.NAMES_SHARDS)
                           if k not in names["empty"]}
        assert rows == names_of(built, variant.key)[1]  # the whole list, as on a small site
        bundle = sharded / search.BUNDLE
        qmap = search.read_manifest(bundle, variant.key)["map"]

        def fold(text):
            return "".join(qmap.get(c, c)[0] for c in text)

        def shard(pair):
            name = names["pattern"].replace("#", str(search.pair_shard(pair)))
            return search.read_json(bundle / name)

        for row in rows.values():
            for pair in search.name_pairs(fold(row[1])):
                assert row[0] in shard(pair)["t"][pair], (row[1], pair)
            for text in [row[2], *row[3].split("、"), row[4]]:
                for pair in search.name_pairs(fold(text)):
                    assert row[0] in shard(pair)["o"][pair], (text, pair)
    assert search.name_pairs("赵德顺 x") == ["赵德", "德顺"]


def test_the_name_lists_are_fetched_ahead_for_offline_search(built):
    bundle = built / search.BUNDLE
    for variant in VARIANTS:
        manifest = search.read_manifest(bundle, variant.key)
        assert manifest["names"]["all"] in manifest["prefetch"]
        assert manifest["names"]["shards"] == 0  # a small site: the list alone


def test_a_variant_without_records_lists_nothing(tmp_path):
    assert search._write_names(tmp_path, [], "zh-hans", {}) == {
        "prefix": "zh-hans_", "all": None, "shards": 0, "pattern": "", "empty": []}


def test_a_cached_bundle_with_another_name_layout_is_not_reused(monkeypatch):
    pages = [search._Page("people/a/index.html", "zh-hans", "<article data-pagefind-body>王秀英</article>")]
    before = search._digest(pages)
    monkeypatch.setattr(search_names, "NAMES_FORMAT", search_names.NAMES_FORMAT + 1)
    assert search._digest(pages) != before
