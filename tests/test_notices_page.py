"""The notices page (通知公告) as residents read it: ended notices are gone, and the period an
editor writes in front of a notice reads as the screen shows it, in both scripts."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from bulletin.report import Report
from bulletin.notices import page_markdown, parse_notices

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 3)


def test_an_ended_notice_goes_with_its_continuation_lines():
    md = "# 通知\n\n- 至 2026-12-02：已结束\n  续行也不见\n\n- 社区图书室照常开放。\n"
    out = page_markdown(md, TODAY)
    assert "已结束" not in out and "续行" not in out
    assert "- 社区图书室照常开放。" in out


def test_periods_read_as_the_screen_shows_them():
    md = ("- 2026-11-20 至 2026-12-31：旧物回收\n"
          "- 2026-12-01 起：用电安全\n"
          "- 至 2027-01-15：医保缴费\n"
          "- 2026/12/3 至 2026年12月3日：今天最后一天\n")
    assert page_markdown(md, TODAY) == ("- **11月20日至12月31日**：旧物回收\n"
                                        "- **12月1日起**：用电安全\n"
                                        "- **截至1月15日**：医保缴费\n"
                                        "- **12月3日**：今天最后一天\n")  # one day, said once


def test_what_cannot_be_read_stays_as_written():
    md = "- 2026-13-01 起：坏日期\n- 普通的一条：带冒号\n<!-- - 至 2020-01-01：注释里的示例 -->\n"
    assert page_markdown(md, TODAY) == md


def test_when_every_notice_has_ended_the_page_says_so():
    out = page_markdown("# 通知公告\n\n- 至 2026-11-30：旧的\n", TODAY)
    assert "旧的" not in out and "目前没有正在发布的通知" in out
    assert "目前没有" not in page_markdown("# 通知公告\n\n说明文字。\n", TODAY)


def test_the_built_page_shows_current_notices_without_editor_syntax(sample_site):
    source = (ROOT / "site_src" / "notices.md").read_text(encoding="utf-8")
    body = source.split("---", 2)[2]
    notices = parse_notices(body, "notices.md", 1, Report())
    today = dt.date.today()
    assert notices
    for prefix in ("", "zh-hk/"):
        page = (sample_site / prefix / "notices" / "index.html").read_text(encoding="utf-8")
        article = html.unescape(re.sub(r"<[^>]+>", "", page.split("<article", 1)[1].split("</article>", 1)[0]))
        assert not re.search(r"\d{4}-\d{2}-\d{2}\s*(至|起)|至\s*\d{4}-\d{2}-\d{2}", article), prefix
        for notice in notices:
            words = re.sub(r"\W", "", notice.text)[-6:]  # the end of each notice, a few characters
            shown = notice.until is None or notice.until >= today
            if prefix:
                continue  # the Traditional text differs; the syntax check above covers it
            assert (words in re.sub(r"\W", "", article)) == shown, notice.text
        if any(n.start and n.until and n.until >= today for n in notices):
            assert "日至" in article
