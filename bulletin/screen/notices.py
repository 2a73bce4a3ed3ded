"""Notices (通知公告): the Markdown list in site_src/notices.md, and their slides.

Each list item is one notice; it may start with the dates it is shown between, then a
colon (see parse_notices). The screen drops expired notices at build time, and the page
hides them on the day they end without a rebuild.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..dates import DAY_PATTERN, parse_date, period_text
from ..report import Report
from .options import Settings

NOTICES_FILE = "notices.md"

NOTICE_RANGE_RE = re.compile(
    rf"^(?:(?P<start>{DAY_PATTERN})\s*(?:至|到|~|～|—|－)\s*(?P<until>{DAY_PATTERN})"
    rf"|(?:至|到|截至|截止)\s*(?P<only_until>{DAY_PATTERN})"
    rf"|(?P<only_start>{DAY_PATTERN})\s*起)\s*[:：]\s*(?P<text>.+)$")
LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


def parse_notices(body: str, display: str, first_line: int, report: Report) -> list[dict]:
    """Notices from the Markdown list in site_src/notices.md, one per top-level item.

    An item may start with when it is shown, then a colon:
    「2026-11-25 至 2026-11-30：」, 「至 2026-11-30：」 or 「2026-11-25 起：」.
    Continuation lines (indented) join the item. A link in the item is where its QR leads.
    Returns [{text, start, until, link, line}]; an unreadable range is reported (SCREEN001)
    and the notice is shown every day.
    """
    items: list[tuple[int, list[str]]] = []
    for offset, line in enumerate(body.splitlines()):
        match = re.match(r"^[-*+]\s+(.*)$", line)
        if match:
            items.append((first_line + offset, [match[1].strip()]))
        elif not line.strip():
            continue
        elif items and line.startswith((" ", "\t")):
            items[-1][1].append(line.strip())
        elif items:
            items.append((0, []))  # a paragraph ends the list item
    notices = []
    for line, parts in items:
        text = " ".join(parts).strip()
        if not text:
            continue
        start = until = None
        match = NOTICE_RANGE_RE.match(text)
        if match:
            first = match["start"] or match["only_start"]
            second = match["until"] or match["only_until"]
            start, until = parse_date(first, day=True), parse_date(second, day=True)
            if (first and start is None) or (second and until is None):
                report.add("SCREEN001", display, line, value=text[:match.start("text")].rstrip(" :："))
            text = match["text"].strip()
        link = LINK_RE.search(text)
        plain = LINK_RE.sub(r"\1", text)
        plain = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", plain)
        notices.append({"text": plain, "start": start, "until": until,
                        "link": link[2] if link else None, "line": line})
    return notices


ITEM_RE = re.compile(r"^([-*+]\s+)(.*)$")


def page_markdown(markdown: str, today: dt.date) -> str:
    """site_src/notices.md as residents read it on the site: a notice whose period ended
    before `today` is left out (continuation lines and all), and the period an editor
    wrote in front of a notice (2026-11-20 至 2026-12-31：) reads as the screen shows it
    (**11月20日至12月31日**：, in bold). A period that cannot be read stays as written (and is
    reported by parse_notices). When every notice has ended, the page says there is none."""
    out: list[str] = []
    dropping = False
    items = dropped = 0
    for line in markdown.splitlines(keepends=True):
        item = ITEM_RE.match(line.rstrip("\r\n"))
        if item is None:
            if dropping and (line.startswith((" ", "\t")) or not line.strip()):
                continue  # the dropped notice's continuation (or the blank line after it)
            dropping = False
            out.append(line)
            continue
        dropping = False
        items += 1
        match = NOTICE_RANGE_RE.match(item[2])
        if match is None:
            out.append(line)
            continue
        first, second = match["start"] or match["only_start"], match["until"] or match["only_until"]
        start, until = parse_date(first, day=True), parse_date(second, day=True)
        if (first and start is None) or (second and until is None):
            out.append(line)
            continue
        if until is not None and until < today:
            dropping, dropped = True, dropped + 1
            continue
        when = period_text(start, until) or f"{start.month}月{start.day}日起"
        ending = line[len(line.rstrip("\r\n")):]
        out.append(f"{item[1]}**{when}**：{match['text']}{ending}")
    if dropped and dropped == items:
        out.append("\n目前没有正在发布的通知。\n")
    return "".join(out)


def read_notices(index: Any) -> list[dict]:
    """Notices from the content index's site_src/notices.md; [] when there is none."""
    source = index.sources.get(NOTICES_FILE)
    if source is None:
        return []
    return parse_notices(source.body, source.display, source.body_line, index.report)


def notice_slides(notices: Iterable[Mapping], settings: Settings, today: dt.date,
                  page: str = "notices/") -> list[dict]:
    """Notice slides; expired ones are left out. The QR leads to the notice's link or the notices page."""
    result = []
    for number, notice in enumerate(notices, 1):
        start, until = notice.get("start"), notice.get("until")
        if until and until < today:
            continue
        result.append({
            "kind": "notice", "id": f"notice:{number}", "url": notice.get("link") or page,
            "text": notice["text"], "period_text": period_text(start, until),
            "start": start.isoformat() if start else None, "until": until.isoformat() if until else None,
        })
    return result

