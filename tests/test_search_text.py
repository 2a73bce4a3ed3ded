"""Phrase postings, the editors' synonyms and the notices page in search (search_text.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
from pathlib import Path

import pytest

from bulletin import checks, content, model, search, search_bundle, search_text
from bulletin.report import Report

DISPLAY = "site_src/search.yml"


def load(tmp_path: Path, text: str) -> tuple[dict, list[tuple[str, str, int | None]], Report]:
    path = tmp_path / "search.yml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    found = search_text.load_synonyms(path, DISPLAY, report)
    return found, [(p.code, p.path, p.line) for p in report.problems], report


def test_synonyms_in_either_script_one_or_several(tmp_path):
    found, problems, _ = load(tmp_path, "# 说明\nsynonyms:\n  义工: 志愿者\n  學雷鋒: [雷鋒, 学习雷锋]\n")
    assert problems == []
    assert found == {"义工": ["志愿者"], "學雷鋒": ["雷鋒", "学习雷锋"]}


def test_the_sample_has_a_few_and_they_load_cleanly():
    report = Report()
    found = search_text.load_synonyms(Path(__file__).resolve().parents[1] / "site_src" / "search.yml", DISPLAY, report)
    assert report.problems == []
    assert found["义工"] == ["志愿者"] and found["学雷锋"] == ["雷锋"] and len(found) >= 3


def test_no_file_is_no_synonyms(tmp_path):
    assert search_text.load_synonyms(tmp_path / "search.yml", DISPLAY, Report()) == {}


@pytest.mark.parametrize("text, code, line", [
    ("synonyms:\n  义工: [志愿者\n", "SEARCH001", 3),  # not YAML
    ("- 义工\n", "SEARCH002", 1),  # a list, not synonyms:
    ("synonyms: [义工, 志愿者]\n", "SEARCH002", 1),
    ("synonyms:\n  义工: 志愿者\n  学雷锋: {a: b}\n", "SEARCH003", 3),  # what it stands for is not words
    ("synonyms:\n  义工: \"\"\n", "SEARCH003", 2),
    ("synonyms:\n  义工: 志愿者 服务\n", "SEARCH004", 2),  # a space
    ("synonyms:\n  义工: <b>志愿者</b>\n", "SEARCH004", 2),
    ("synonyms:\n  义工: " + "志" * 21 + "\n", "SEARCH004", 2),
    ("synonym:\n  义工: 志愿者\n", "SEARCH005", 1),  # an unknown key
    ("synonyms:\n  义工: 志愿者\n  义工: 志愿服务\n", "SEARCH006", 3),
])
def test_a_bad_entry_is_reported_with_its_line_in_chinese(tmp_path, text, code, line):
    found, problems, report = load(tmp_path, text)
    assert problems == [(code, DISPLAY, line)]
    problem = report.problems[0]
    assert problem.severity == "warning"  # the site still builds; --strict stops it
    assert "同义词" in problem.message and "Traceback" not in problem.message


def test_a_bad_entry_leaves_the_others(tmp_path):
    found, problems, _ = load(tmp_path, "synonyms:\n  义工: 志愿者\n  坏: {x: y}\n  老人: 老年人\n")
    assert found == {"义工": ["志愿者"], "老人": ["老年人"]}
    assert problems == [("SEARCH003", DISPLAY, 3)]


def test_yaml_aliases_are_refused(tmp_path):
    found, problems, _ = load(tmp_path, "a: &x [志愿者]\nsynonyms:\n  义工: *x\n")
    assert found == {} and problems and problems[0][1] == DISPLAY


def test_synonyms_fold_into_the_index_script_under_every_form():
    qmap = {"義": "义", "願": "愿", "鋒": "锋", "學": "学"}
    folded = search_text.fold_synonyms({"學雷鋒": ["雷鋒"], "义工": ["志願者"]}, qmap, search.script_forms)
    assert folded["学雷锋"] == ["雷锋"] and folded["义工"] == ["志愿者"]
    assert "義工" not in folded  # the browser folds 義工 to 义工 with the same map
    folded = search_text.fold_synonyms({"垃圾分拣": ["垃圾分类"]}, {}, search.script_forms)
    assert folded["垃圾分揀"] == ["垃圾分类"]  # 揀 is on no page: the query map cannot fold it


def test_text_pairs_pair_within_runs_of_han_letters_and_digits():
    assert search_text.text_pairs("学雷锋，志愿 ab1") == {"学雷", "雷锋", "志愿", "ab", "b1"}
    assert search_text.text_pairs("锋") == set()


@pytest.mark.parametrize("text", ["", "学", "学雷", "学雷锋", "学雷锋活动", "a\0b𠀋𠀋c\0", "𠮷野家𠮷", "x" * 9])
def test_pairs_are_every_pair_of_adjacent_characters_once(text):
    found = {n.to_bytes(8, sys.byteorder).decode("utf-32-le") for n in search_text._pairs(text)}
    assert found == {text[i:i + 2] for i in range(len(text) - 1)}


def test_postings_number_the_pages_that_hold_each_pair(tmp_path):
    contents = ["开展\u200b学雷锋\u200b活动", "學習雷鋒", "学\u200b雷锋"]
    text = search_text.write_postings(tmp_path, "zh-hans", contents, {"學": "学", "習": "习", "鋒": "锋"})
    assert text == {"shards": 1, "pattern": "bulletin-zh-hans-text.json.gz", "empty": []}
    postings = json.loads(gzip.decompress((tmp_path / text["pattern"]).read_bytes()))
    assert postings["学雷"] == [1, 2]  # pages 0 and 2, as steps from -1
    assert postings["雷锋"] == [1, 1, 1]  # page 1 folded to Simplified
    assert "锋活" in postings and "习雷" in postings


def test_a_big_site_gets_postings_in_shards(tmp_path, monkeypatch):
    monkeypatch.setattr(search_text, "TEXT_ONE_FILE", 0)
    assert search_text.write_postings(tmp_path, "zh-hans", ["学雷锋活动"] * 3, {})["shards"] == 2  # as few as fit
    monkeypatch.setattr(search_text, "TEXT_SHARD_BYTES", 0)
    text = search_text.write_postings(tmp_path, "zh-hans", ["学雷锋活动"] * 3, {})
    assert text["shards"] == search_text.TEXT_SHARDS and text["pattern"] == "bulletin-zh-hans-text-#.json.gz"
    k = search_text.pair_shard("雷锋", text["shards"])
    shard = json.loads(gzip.decompress((tmp_path / text["pattern"].replace("#", str(k))).read_bytes()))
    assert shard["雷锋"] == [1, 1, 1]
    assert len(text["empty"]) == text["shards"] - len({search_text.pair_shard(p, 256) for p in ["学雷", "雷锋", "锋活", "活动"]})


NOTICES = """---
title: 通知公告
---

# 通知公告

- 2026-11-20 至 2026-12-31：冬季用电用气安全提示：离家请关好燃气阀门。
- 社区图书室开放时间调整为每天 8:30—20:00，
  周一闭馆。
- 至 2026-11-01：旧的通知。
"""


def test_the_notices_page_is_searched_each_notice_like_a_title(tmp_path):
    (tmp_path / "notices.md").write_text(NOTICES, encoding="utf-8")
    index = content.load(tmp_path)
    site = model.build(checks.prepare(index))
    entry = search.entry_for(index.sources["notices.md"], today=dt.date(2026, 12, 1), site=site)
    assert entry.kind == "notice" and entry.title == "通知公告"
    assert entry.notices == ("冬季用电用气安全提示：离家请关好燃气阀门。", "社区图书室开放时间调整为每天 8:30—20:00， 周一闭馆。")
    block = search.meta_block(entry)
    assert 'data-pagefind-meta="notices"' in block and "旧的通知" not in block  # expired: not listed


def test_offline_prefetch_keeps_the_name_lists_when_the_postings_do_not_fit(tmp_path, monkeypatch):
    """A big site's postings may not fit what is fetched ahead; the name lists still do
    (offline, names are found as before and phrases by Pagefind alone)."""
    for name, size in (("index/a.pf_index", 100), ("fragment/b.pf_fragment", 500), ("pages.json", 100),
                       ("names.json", 100), ("text-0.json.gz", 300)):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    files = [tmp_path / "index/a.pf_index", tmp_path / "fragment/b.pf_fragment"]
    monkeypatch.setattr(search_bundle, "PREFETCH_LIMIT", 350)
    got = search._prefetch_list(tmp_path, files, "pages.json", "auto", ["names.json"], ["text-0.json.gz"])
    assert got == ["index/a.pf_index", "pages.json", "names.json"]
    monkeypatch.setattr(search_bundle, "PREFETCH_LIMIT", 650)
    got = search._prefetch_list(tmp_path, files, "pages.json", "auto", ["names.json"], ["text-0.json.gz"])
    assert got == ["index/a.pf_index", "pages.json", "names.json", "text-0.json.gz"]


def _han_chars_by_tokens(region: str) -> str:
    """The token walk han_chars replaced: the same characters in the same order."""
    import html
    from bulletin import search_derive as d
    parts = []
    for token in d.TOKEN_RE.findall(d._drop_excluded(region)):
        if not token.startswith("<"):
            parts.append(token)
        elif token.startswith("<img") and "data-pagefind-index-attrs" in token:
            alt = d.ALT_RE.search(token)
            if alt:
                parts.append(alt[1])
    return "".join(d.HAN_RE.findall(html.unescape(" ".join(parts))))


def test_han_chars_reads_text_and_indexed_captions_in_order(sample_site):
    from bulletin import search_derive

    region = ('<article data-pagefind-body><div class="bl-search-meta" hidden>标题</div><h1>学雷锋</h1>'
              '<p>志愿&amp;服务<img data-pagefind-index-attrs="alt" alt="测量&lt;血压"><img alt="不读">活动</p>'
              '<nav>导航</nav><span class="headerlink">¶</span></article>')
    assert search_derive.han_chars(region) == "学雷锋志愿服务测量血压活动"
    pages = search._scan(sample_site, sample_site / search.BUNDLE)
    assert len(pages) > 40
    assert [search_derive.han_chars(p.region) for p in pages] == [_han_chars_by_tokens(p.region) for p in pages]
