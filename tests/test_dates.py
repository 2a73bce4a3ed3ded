"""The one date parser and the one way dates are printed (bulletin.dates)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bulletin.dates import (DAY_PATTERN, DATE_EXAMPLE, day_text, month_text, parse_date, parse_month,
                            period_text)

# id, value, parse_date(value), parse_date(value, day=True)
CASES = [
    ("iso", "2026-03-05", dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("chinese", "2026年3月5日", dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("chinese-spaced", "2026 年 3 月 5 日", dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("slashes", "2026/3/5", dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("dots", "2026.03.05", dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("in-a-sentence", "落款：2025年5月6日", dt.date(2025, 5, 6), dt.date(2025, 5, 6)),
    ("month-only", "2026年3月", dt.date(2026, 3, 1), None),
    ("iso-month", "2026-11", dt.date(2026, 11, 1), None),
    ("placeholder-year", "20xx年2月3日", None, None),
    ("words", "去年春天", None, None),
    ("no-such-day", "2026-02-30", None, None),
    ("no-such-month", "2026-13-01", None, None),
    ("empty", "", None, None),
    ("a-date", dt.date(2026, 3, 5), dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("a-datetime", dt.datetime(2026, 3, 5, 9, 30), dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ("a-number", 20260305, None, None),
    ("nothing", None, None, None),
]


@pytest.mark.parametrize("value, loose, whole", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parse_date(value, loose, whole):
    assert parse_date(value) == loose
    assert parse_date(value, day=True) == whole
    assert type(parse_date(value)) in (dt.date, type(None))  # a datetime comes back as its day


@pytest.mark.parametrize("value, expected", [
    ("2026-11", "2026-11"), ("2026/11", "2026-11"), ("2026.1", "2026-01"), ("2026年11月", "2026-11"),
    (" 2026 年 11 月 ", "2026-11"), ("2026-11-20", "2026-11"), (dt.date(2026, 11, 20), "2026-11"),
    ("2026-13", None), ("十一月", None), ("20xx-11", None),
])
def test_parse_month(value, expected):
    assert parse_month(value) == expected


def test_printed_forms():
    assert day_text(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert month_text("2026-03") == "2026年3月"
    assert period_text(dt.date(2026, 3, 5), dt.date(2026, 4, 20)) == "3月5日至4月20日"
    assert period_text(None, dt.date(2026, 4, 20)) == "截至4月20日"
    assert period_text(dt.date(2026, 3, 5), None) == ""
    assert period_text(dt.date(2026, 12, 3), dt.date(2026, 12, 3)) == "12月3日"  # one day, said once


def test_the_day_pattern_takes_what_parse_date_reads_as_a_whole_day():
    for text in ("2026-11-01", "2026/11/1", "2026.11.01", "2026年11月1日", "2026 年 11 月 1 日"):
        assert re.fullmatch(DAY_PATTERN, text)
        assert parse_date(text, day=True) == dt.date(2026, 11, 1)
    assert not re.fullmatch(DAY_PATTERN, "2026-11")


def test_the_example_in_messages_is_read():
    for example in DATE_EXAMPLE.split(" 或 "):
        assert parse_date(example, day=True) == dt.date(2026, 3, 5)
