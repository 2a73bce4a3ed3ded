"""简/繁 per passage: mixed-script pages and Traditional-written profiles, read in both variants.

A page is in the reader's script when OpenCC, run the other way, would change nothing: the
Simplified page holds no character t2s would change, the Traditional page none s2hk would
change. Names are set aside (a surname such as 于 stays 于 in Traditional).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings, strategies as st

from bulletin import script
from bulletin.script import passages
from conftest import ROOT, build_site

T2S = opencc.OpenCC("t2s.json")
S2HK = opencc.OpenCC("s2hk.json")

# name as written (Traditional), its Simplified form
PEOPLE = {
    "yu": ("于麗雲", "于丽云"), "yu2": ("余建國", "余建国"), "hou": ("后曉紅", "后晓红"),
    "gan": ("干志強", "干志强"), "fan": ("范麗華", "范丽华"), "zhong": ("鍾發強", "钟发强"),
    "gu": ("谷秀英", "谷秀英"), "shen": ("沈國華", "沈国华"), "ye": ("葉海燕", "叶海燕"),
}

TRADITIONAL_PLAN = """---
title: 社區環境衞生整治工作計劃
community: 幸福街道辦事處
date: 2026-03-05
---

為了全面做好社區環境衞生工作，按照創建活動考評的標準要求，特擬定本計劃。

本月好人：于秀兰、钟发强，他们的事迹已经在社区宣传栏展出。

## 一、明確工作職責

各社區要成立領導小組，落實責任到人。

## 二、补充说明：志愿者报名时间调整

- 志願者每週六上午參加清掃活動。
- 报名电话改为社区办公室，请居民相互转告。

| 項目 | 負責人 |
|---|---|
| 樓道清掃 | 社區居委會 |
| 垃圾分类宣传 | 网格员队伍 |
"""

SIMPLIFIED_PAGE = """---
title: 学习心得
---

社区组织居民学习先进事迹，大家纷纷发言。

> 「為人民服務，是我們每一個黨員的責任。」

会后，志愿者们还一起打扫了活动室。
"""


def profile(slug: str, name: str) -> str:
    return (f"---\nname: {name}\ncategory: 助人爲樂\nhonored: 2026-11\ncommunity: 和平社區\n"
            f"summary: 義務為社區獨居老人送餐三年，風雨無阻\nconsent: {{by: 本人, date: 2026-10-20}}\n---\n\n"
            f"{name}每天清晨六點就來到社區食堂，為行動不便的老人準備熱騰騰的早餐。\n")


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("mixed")
    src = base / "site_src"
    (src / "plans").mkdir(parents=True)
    (src / "people").mkdir()
    (src / "index.md").write_text("---\ntitle: 首页\n---\n\n欢迎。\n", encoding="utf-8")
    (src / "plans" / "mixed.md").write_text(TRADITIONAL_PLAN, encoding="utf-8")
    (src / "simplified.md").write_text(SIMPLIFIED_PAGE, encoding="utf-8")
    for slug, (name, _) in PEOPLE.items():
        (src / "people" / f"2026-11-{slug}.md").write_text(profile(slug, name), encoding="utf-8")
    shutil.copy(ROOT / "site_src" / "people" / "index.md", src / "people" / "index.md")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    text = re.sub(r"nav:\n(?:  - .*\n)+", "", text)
    (base / "mkdocs.yml").write_text(text, encoding="utf-8")
    build_site(base / "mkdocs.yml", base / "site")
    return base / "site"


def readable(page: Path) -> str:
    """The text a reader sees in the page's main column (article), tags removed."""
    html = page.read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
    article = re.sub(r"<(script|style)\b.*?</\1>", "", article, flags=re.S)
    return re.sub(r"<[^>]+>", "", article)


def without_names(text: str) -> str:
    for name, simplified in PEOPLE.values():
        text = text.replace(name, "").replace(simplified, "")
    return text.replace("于秀兰", "").replace("于秀蘭", "")


def wrong_characters(text: str, converter: opencc.OpenCC) -> list[str]:
    """Characters the other direction's conversion would change: the wrong script's."""
    text = without_names(text)
    converted = converter.convert(text)
    return sorted({a for a, b in zip(text, converted) if a != b}) if len(converted) == len(text) else ["length"]


@pytest.mark.parametrize("page", ["plans/mixed/index.html", "simplified/index.html",
                                  *[f"people/2026-11-{slug}/index.html" for slug in PEOPLE], "people/index.html"])
def test_every_passage_is_in_the_readers_script(mixed_site, page):
    assert wrong_characters(readable(mixed_site / page), T2S) == []
    assert wrong_characters(readable(mixed_site / "zh-hk" / page), S2HK) == []


def test_a_simplified_line_in_a_traditional_plan_is_converted_only_on_the_traditional_page(mixed_site):
    hans = readable(mixed_site / "plans" / "mixed" / "index.html")
    hant = readable(mixed_site / "zh-hk" / "plans" / "mixed" / "index.html")
    assert "他们的事迹已经在社区宣传栏展出" in hans and "他們的事蹟已經在社區宣傳欄展出" in hant
    assert "垃圾分类宣传" in hans and "垃圾分類宣傳" in hant
    assert "補充説明" in hant and "补充说明" in hans
    assert "各社區要成立領導小組" in hant  # the Traditional source, untouched


def test_the_toc_follows_each_headings_script(mixed_site):
    hant = (mixed_site / "zh-hk" / "plans" / "mixed" / "index.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', hant, re.S)
    assert toc and "補充説明" in toc.group(0) and "补充说明" not in toc.group(0)


@pytest.mark.parametrize("slug", sorted(PEOPLE))
def test_a_traditional_profile_keeps_its_surname_in_both_scripts(mixed_site, slug):
    name, simplified = PEOPLE[slug]
    hans = (mixed_site / "people" / f"2026-11-{slug}" / "index.html").read_text(encoding="utf-8")
    hant = (mixed_site / "zh-hk" / "people" / f"2026-11-{slug}" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"<h1>\s*{simplified}\s*</h1>", hans), slug
    assert re.search(rf"<h1>\s*{name}\s*</h1>", hant), slug
    assert "和平社区" in hans and "和平社區" in hant
    listing = (mixed_site / "zh-hk" / "people" / "index.html").read_text(encoding="utf-8")
    assert name in listing and "於麗雲" not in listing


def test_shared_characters_never_decide_a_script():
    for text in ("于", "余", "后", "干", "范", "了", "周", "于秀蘭", "于丽云"):
        found = script.detect_script(text, "zh-HK")
        assert found == ("zh-HK" if "蘭" in text else "zh-Hans" if "丽" in text else None), text
    assert passages.passage_script("2026年3月5日") is None


SIMPLIFIED = ["社区组织志愿者清扫楼道。", "居民们纷纷报名参加活动。", "这项工作已经取得明显成效。",
              "请各单位认真落实责任。", "环境卫生整治需要长期坚持。"]
TRADITIONAL = ["社區組織志願者清掃樓道。", "居民們紛紛報名參加活動。", "這項工作已經取得明顯成效。",
               "請各單位認真落實責任。", "環境衞生整治需要長期堅持。"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 4)), min_size=1, max_size=8))
def test_random_mixed_passages_come_out_in_each_readers_script(blocks):
    """Paragraphs drawn from both scripts, in any order: each variant reads in its own."""
    html = "".join(f"<p>{(TRADITIONAL if trad else SIMPLIFIED)[i]}</p>" for trad, i in blocks)
    written = script.detect_script(re.sub("<[^>]+>", "", html), "zh-HK") or "zh-Hans"
    marked = script.mark_passages(html, written, "zh-HK")
    for target, back in (("zh-Hans", T2S), ("zh-HK", S2HK)):
        out = script.strip_marks(script.Converter(target, prefer="zh-HK").html(marked, "zh-Hans"))
        text = re.sub("<[^>]+>", "", out)
        assert back.convert(text) == text, (target, text)


def _screen_people(site: Path) -> dict[str, dict]:
    import json

    text = (site / "screen" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script[^>]*id="screen-data"[^>]*>(.*?)</script>', text, re.S).group(1))
    return {s["url"]: s for s in data["slides"] if s["kind"] == "person"}


def test_the_screen_shows_a_traditional_profile_in_each_readers_script(mixed_site):
    hans, hant = _screen_people(mixed_site), _screen_people(mixed_site / "zh-hk")
    yu_hans, yu_hant = hans["people/2026-11-yu/"], hant["people/2026-11-yu/"]
    assert (yu_hans["name"], yu_hans["community"], yu_hans["category"]) == ("于丽云", "和平社区", "助人为乐")
    assert (yu_hant["name"], yu_hant["community"]) == ("于麗雲", "和平社區")
    assert yu_hant["category"] in ("助人為樂", "助人爲樂") and yu_hant["honored_text"] == "2026年11月"
    for slide in list(hans.values()):
        assert wrong_characters(slide["summary"] + slide["category"], T2S) == []
    for slide in list(hant.values()):
        assert wrong_characters(slide["summary"] + slide["category"], S2HK) == []
