"""Notices (通知公告): the Markdown list in site_src/notices.md, read into the site model.

Each list item is one notice; it may start with the dates it is shown between, then a
colon (see parse_notices). The site model holds them as `Notice`s on a `NoticesPage`; the
screen makes slides of them and search finds each one; the notices page itself leaves out
the ended ones (page_markdown).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .content import ContentIndex
from .dates import DAY_PATTERN, parse_date, period_text
from .report import Message, Report, Severity, register

register({
    # SCREEN001: the code editors and docs/screen.md know this message by.
    "SCREEN001": Message(Severity.WARNING, "通知的显示日期「{value}」看不懂，这条通知将一直显示。"
                                           "请写成「2026-11-25 至 2026-11-30：通知内容」，"
                                           "或只写「至 2026-11-30：」「2026-11-25 起：」。"),
})

NOTICES_FILE = "notices.md"

NOTICE_RANGE_RE = re.compile(
    rf"^(?:(?P<start>{DAY_PATTERN})\s*(?:至|到|~|～|—|－)\s*(?P<until>{DAY_PATTERN})"
    rf"|(?:至|到|截至|截止)\s*(?P<only_until>{DAY_PATTERN})"
    rf"|(?P<only_start>{DAY_PATTERN})\s*起)\s*[:：]\s*(?P<text>.+)$")
LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
ITEM_RE = re.compile(r"^([-*+]\s+)(.*)$")


@dataclass(frozen=True)
class Notice:
    """One notice: its plain text (links and emphasis taken out), when it is shown (either
    end may be open), where its QR code leads (the item's first link, if any) and the line
    of site_src/notices.md it starts on."""

    text: str
    start: dt.date | None = None
    until: dt.date | None = None
    link: str | None = None
    line: int = 0

    def ended(self, today: dt.date) -> bool:
        """Whether the notice's last day is before `today`."""
        return self.until is not None and self.until < today


@dataclass(frozen=True)
class NoticesPage:
    """site_src/notices.md as the site model holds it: its title and its notices."""

    title: str
    notices: tuple[Notice, ...]


def parse_notices(body: str, display: str, first_line: int, report: Report) -> list[Notice]:
    """Notices from the Markdown list in site_src/notices.md, one per top-level item.

    An item may start with when it is shown, then a colon:
    「2026-11-25 至 2026-11-30：」, 「至 2026-11-30：」 or 「2026-11-25 起：」.
    Continuation lines (indented) join the item. A link in the item is where its QR leads.
    An unreadable range is reported (SCREEN001) and the notice is shown every day.
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
        notices.append(Notice(plain, start, until, link[2] if link else None, line))
    return notices


def read_page(index: ContentIndex, report: Report | None = None) -> NoticesPage | None:
    """The content index's site_src/notices.md, None when there is none. A notice whose
    dates cannot be read is reported to `report`, else to the index's report."""
    source = index.sources.get(NOTICES_FILE)
    if source is None:
        return None
    notices = parse_notices(source.body, source.display, source.body_line,
                            report if report is not None else index.report)
    return NoticesPage(str(source.meta.get("title") or ""), tuple(notices))


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
