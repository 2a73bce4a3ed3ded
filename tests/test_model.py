"""The site model (bulletin/model.py): built once from the checked content, read by every output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from bulletin import checks, content, model, plans
from bulletin.variants import as_variants

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "site_src"

NOTICES = """---
title: 通知公告
---

- 2026-11-25 至 2026-12-31：社区文化广场开展垃圾分类宣传活动。
- 下周三到周五：日期看不懂的通知。
"""


@pytest.fixture
def site_src(tmp_path: Path) -> Path:
    src = tmp_path / "site_src"
    shutil.copytree(FIXTURE, src)
    (src / "notices.md").write_text(NOTICES, encoding="utf-8")
    withheld = src / "people/2026-11-wang-xiuying.md"  # no consent record: not published
    withheld.write_text(re.sub(r"(?m)^consent:.*\n", "", withheld.read_text(encoding="utf-8")), encoding="utf-8")
    return src


def test_the_site_holds_the_checked_content_by_kind(site_src):
    index = content.load(site_src)
    prepared = checks.prepare(index)
    variants = as_variants([{"code": "zh-Hans"}, {"code": "zh-TW", "prefix": "zh-tw"}], "zh-Hans")
    site = model.build(prepared, variants, "zh-TW")
    assert site.variants == tuple(variants) and site.prefer == "zh-TW"
    assert site.plans == tuple(prepared.plans) and site.albums == tuple(prepared.albums)
    assert isinstance(site.item("plans/weisheng.md"), plans.Plan)
    assert site.item("plans/weisheng.md").title == "社区环境卫生整治计划"
    assert site.item("albums/xueleifeng/index.md").title == "学雷锋活动相册"
    assert [p.name for p in site.people] == ["于秀兰"]  # the published roll only
    assert site.item("people/2026-11-yu-xiulan.md").name == "于秀兰"
    assert site.item("people/2026-11-wang-xiuying.md") is None  # withheld: no output may find her
    assert site.item("index.md") is None  # an ordinary page is no item of the model


def test_notices_are_read_once_with_their_problems(site_src):
    index = content.load(site_src)
    site = model.build(checks.prepare(index))
    page = site.item("notices.md")
    assert page is site.notices_page and page.title == "通知公告"
    assert [n.text for n in site.notices] == ["社区文化广场开展垃圾分类宣传活动。", "下周三到周五：日期看不懂的通知。"]
    assert site.notices[0].until.isoformat() == "2026-12-31"
    assert [p.code for p in index.report.problems if p.code.startswith("SCREEN")] == []  # 下周三 is no period
    assert model.build(checks.prepare(content.load(FIXTURE))).notices == ()  # no notices.md: none


def test_an_unreadable_notice_period_is_reported_once_where_asked(site_src):
    (site_src / "notices.md").write_text("- 2026-13-45 至 2026-12-31：日期写错的通知。\n", encoding="utf-8")
    index = content.load(site_src)
    prepared = checks.prepare(index)
    site = model.build(prepared)
    assert [p.code for p in index.report.problems].count("SCREEN001") == 1
    assert [n.text for n in site.notices] == ["日期写错的通知。"]
    from bulletin.report import Report

    elsewhere = Report()
    model.build(prepared, report=elsewhere)
    assert [p.code for p in elsewhere.problems] == ["SCREEN001"]
    assert [p.code for p in index.report.problems].count("SCREEN001") == 1


def test_the_site_is_frozen(site_src):
    site = model.build(checks.prepare(content.load(site_src)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.plans = ()  # type: ignore[misc]
    assert isinstance(site.plans, tuple) and isinstance(model.Site(plans=list(site.plans)).plans, tuple)


def test_search_and_posters_read_the_site(site_src):
    from bulletin import posters, search

    index = content.load(site_src)
    site = model.build(checks.prepare(index))
    entries = {rel: search.entry_for(source, site=site) for rel, source in index.sources.items()}
    assert {rel for rel, entry in entries.items() if entry is not None} == {
        "plans/weisheng.md", "plans/weichengnian.md", "plans/lajifenlei.md", "albums/xueleifeng/index.md",
        "people/2026-11-yu-xiulan.md", "notices.md"}
    assert entries["notices.md"].notices[-1] == "下周三到周五：日期看不懂的通知。"
    made = posters.collect(site)
    assert sorted(p.name for p in made if p.name.startswith("people/")) == ["people/2026-11.pdf"]
    assert sorted(p.kind for p in made) == ["honor_roll", "plan", "plan", "plan"]  # the album has no photo built


def test_notices_are_typed_and_frozen(site_src):
    from bulletin.notices import Notice

    site = model.build(checks.prepare(content.load(site_src)))
    first = site.notices[0]
    assert isinstance(first, Notice) and isinstance(site.notices_page, model.NoticesPage)
    assert (first.start.isoformat(), first.until.isoformat(), first.link, first.line) == ("2026-11-25", "2026-12-31", None, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.text = ""  # type: ignore[misc]
    assert first.ended(first.until + dt.timedelta(days=1)) and not first.ended(first.until)
    assert not site.notices[1].ended(dt.date(2099, 1, 1))  # no period: shown every day


def test_the_model_reads_notices_without_the_screen():
    """The notices are the model's: reading them loads nothing of the lobby screen."""
    import subprocess
    import sys

    code = ("import sys; from bulletin import model; "
            "print(sorted(m for m in sys.modules if m.startswith('bulletin.screen')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_screen_reads_the_site(site_src):
    """screen.slides takes the Site: its plans, its published roll only, its notices, and its
    Traditional preference for the text whose script the screen decides."""
    from bulletin import screen

    (site_src / "notices.md").write_text("- 社區後台管理系統升級，請勿登入\n", encoding="utf-8")
    variants = as_variants([{"code": "zh-Hans"}, {"code": "zh-TW", "prefix": "zh-tw"}], "zh-Hans")
    for prefer in ("zh-TW", "zh-HK"):
        site = model.build(checks.prepare(content.load(site_src)), variants, prefer)
        slides = screen.slides(site, {"site_url": "https://example.org/"}, today=dt.date(2026, 11, 29))
        kinds = {s["kind"] for s in slides}
        assert {"person", "plan", "notice", "honor_roll"} <= kinds
        assert [s["name"] for s in slides if s["kind"] == "person"] == ["于秀兰"]  # the withheld 王秀英 is not
        assert sorted(s["url"] for s in slides if s["kind"] == "plan") == sorted(p.url for p in site.plans)
        (notice,) = [s for s in slides if s["kind"] == "notice"]
        assert notice["text"] == "社區後台管理系統升級，請勿登入" and notice["script"] == prefer
