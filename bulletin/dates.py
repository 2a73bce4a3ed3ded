"""Dates as editors write them and as residents read them: one parser, one way to print.

Editors type 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日 (YAML also hands over real
dates); a placeholder year (20xx年2月3日) is not a date. Pages, listings, the screen and
posters print 2026年3月5日, a month as 2026年11月.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# A whole day, as a piece of a larger pattern (notices: "2026-11-01 至 2026-11-30：…").
DAY_PATTERN = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
# What a message shows as the way to write a date.
DATE_EXAMPLE = "2026-03-05 或 2026年3月5日"

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?")
_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_date(value: Any, *, day: bool = False) -> dt.date | None:
    """The calendar date in a front-matter value, or None (a placeholder, words, no such day).

    A string is searched for its first year-month(-day); without a day it is the month's
    first, unless `day` asks for a whole date. A datetime counts as its day.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE_RE.search(value)
    if not match or (day and match[3] is None):
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return None


def parse_month(value: Any) -> str | None:
    """"2026-11" from 2026-11, 2026/11, 2026年11月 or a full date; None if unreadable."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    match = _MONTH_RE.match(str(value))
    if not match:
        date = parse_date(str(value))
        return f"{date.year:04d}-{date.month:02d}" if date else None
    year, month = int(match[1]), int(match[2])
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


def readable_date(value: Any) -> str:
    """A date as residents read it: a whole day as 2026年3月5日, a month as 2026年11月, a year
    as 2026年; other text (a date whose placeholder year was left out, words) as written."""
    day = parse_date(value, day=True)
    if day is not None:
        return day_text(day)
    text = "" if value is None else str(value).strip()
    if len(text) == 4 and text.isdigit():
        return f"{text}年"
    month = parse_month(text) if text else None
    return month_text(month) if month else text


def day_text(date: dt.date) -> str:
    """2026年3月5日."""
    return f"{date.year}年{date.month}月{date.day}日"


def month_text(key: str) -> str:
    """"2026-11" -> 2026年11月."""
    year, month = key.split("-")[:2]
    return f"{int(year)}年{int(month)}月"


def period_text(start: dt.date | None, until: dt.date | None) -> str:
    """When a notice is shown: 3月5日至3月20日, one day as 3月5日, 截至3月20日, or nothing."""
    if start and until:
        if start == until:
            return f"{start.month}月{start.day}日"
        return f"{start.month}月{start.day}日至{until.month}月{until.day}日"
    if until:
        return f"截至{until.month}月{until.day}日"
    return ""
