"""Finding personal numbers and home addresses in the view, with the ID check digit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .view import NOT_TEXT_ATTRS, _OTHER_DIGIT_RE, _PLAIN_DIGITS, _T, _WIDE, _WINDOW_RE, _view, view

_GROUP = r"[0-9](?:\x00*[0-9])*(?:\x00*[Xx])?"
# Between two groups of one number: up to three of " - . /" and at most one line break
# (followed by the next line's indent). A blank line or a fourth space ends the number.
_GAP = r"\x00*(?:(?:[ \-./]\x00*){1,3}(?:\n\x00*(?:[ ]\x00*){0,8})?|\n\x00*(?:[ ]\x00*){0,8})"
# An ID's check character may stand apart ("… 002 X"); alone it only ever ends an ID.
_RUN_RE = re.compile(rf"(?<![0-9A-Za-z]){_GROUP}(?:{_GAP}(?:{_GROUP}|[Xx](?![0-9A-Za-z])))*")
_GROUP_RE = re.compile(rf"{_GROUP}|[Xx]")
_ATTR_RE = re.compile(r"""([^\s"'<>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")

_NUM = r"[0-9一二三四五六七八九十百零〇两]+"
_BUILDING = rf"{_NUM}\s*(?:号楼|栋|幢|座)"
_UNIT = rf"{_NUM}\s*单元"
_ROOM = rf"(?:\d{{3,4}}(?:\s*(?:室|号|户)|(?![0-9年月日届期次人名个]))|{_NUM}\s*室)"
ADDRESS_RE = re.compile(
    rf"(?:{_BUILDING}\s*-?\s*(?:{_UNIT}\s*-?\s*(?:{_ROOM})?|{_ROOM})"
    rf"|{_UNIT}\s*-?\s*{_ROOM}"
    rf"|\d{{1,3}}-\d{{1,2}}-\d{{3,4}}\s*室)"
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# First two digits of an ID: the province. A 15-digit ID has no check digit, so this and
# the birth date are all that tell it from an order number.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
_ID18_RE = re.compile(r"[1-9]\d{5}(?:18|19|20)\d{9}[0-9X]")
_MOBILE_RE = re.compile(r"(?:0086|86)?(1[3-9]\d{9})")


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def is_valid_id(number: str) -> bool:
    """True for an 18-character ID with a real birth date and a correct check digit."""
    number = number.upper()
    if not re.fullmatch(r"[1-9]\d{16}[0-9X]", number):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_digit(number[:17]) == number[17]


@dataclass(frozen=True)
class Finding:
    """One personal number or address: what kind, where in the text, and how to show it."""

    code: str  # PRIV001..PRIV004
    start: int
    end: int
    masked: str


def mask(digits: str) -> str:
    """Keep the first three and last two characters: enough to find it, not to use it."""
    return digits[:3] + "*" * max(len(digits) - 5, 0) + digits[-2:]


def find(text: str, *, addresses: bool = True) -> Iterator[Finding]:
    """Every personal number (and, if asked, home address) in `text`, in order.

    Numbers are looked for in the view of each window `_windows` picks out, and in
    what the view hides there: comments, and the attribute values of tags that hold
    eleven digits or more (a tel: link or an alt text is published too). Offsets are
    offsets in `text`.
    """
    found: dict[int, Finding] = {}
    for low, high in _windows(text) if _may_hold_number(text) else ():
        part = text[low:high]
        plain, hidden = _view(part)
        numbers = list(_numbers(plain))
        for start, end, comment in hidden:
            if comment:
                numbers += [_shift(f, start) for f in _numbers(view(part[start:end]))]
                continue
            for m in _ATTR_RE.finditer(part, start, end):
                if m.group(1).lower() not in NOT_TEXT_ATTRS:
                    value = next(g for g in (2, 3, 4) if m.group(g) is not None)
                    numbers += [_shift(f, m.start(value)) for f in _numbers(view(m.group(value)))]
        for finding in numbers:
            found.setdefault(low + finding.start, _shift(finding, low))
    if addresses:
        for m in ADDRESS_RE.finditer(text.translate(_WIDE)):
            found.setdefault(m.start(), Finding("PRIV004", m.start(), m.end(), text[m.start():m.end()]))
    return iter(sorted(found.values(), key=lambda f: f.start))


def _shift(finding: Finding, by: int) -> Finding:
    return Finding(finding.code, finding.start + by, finding.end + by, finding.masked)


def _may_hold_number(text: str) -> bool:
    """A cheap look before `_windows`: could `text` hold eleven digits at all?

    Every way of writing a digit leaves an ASCII or full-width digit in the text (an
    entity's or percent escape's code, "&#49;", "%31") or is another Unicode digit. The
    built site is hundreds of thousands of short strings and text pieces: most are
    passed over here by a few C-level counts.
    """
    if len(text) < 11:
        return False
    if sum(map(text.count, _PLAIN_DIGITS)) >= 11:
        return True
    return _OTHER_DIGIT_RE.search(text) is not None


_TAG_REACH = 20_000  # how far back a window looks for the tag it may start inside
_ESCAPE_REACH = 64  # a window may start inside an escape (the "20" of "%20"): room to read it whole


def _windows(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that may hold a number, so that only they are normalised.

    `_WINDOW_RE` is looser than the view (any tag, any number of spaces between
    digits), so it cannot pass over a number the view would show. A span starting or
    ending inside a tag is widened to the whole tag, so that the view reads the tag as
    a tag and not its attribute digits as text.
    """
    spans: list[tuple[int, int]] = []
    for m in _WINDOW_RE.finditer(text):
        low, high = m.span()
        reach = max(low - _TAG_REACH, spans[-1][1] if spans else 0)  # a tag open before that was closed there
        opened, closed = text.rfind("<", reach, low), text.rfind(">", reach, low)
        low = opened if opened > closed else max(low - _ESCAPE_REACH, closed + 1)
        closed = text.find(">", high, high + _TAG_REACH)
        if closed != -1 and not 0 <= text.find("<", high, closed) < closed:
            high = closed + 1
        high = min(high + 2, len(text))
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(high, spans[-1][1]))
        else:
            spans.append((low, high))
    return spans


def _numbers(plain: str) -> Iterator[Finding]:
    """Numbers in a view, made of whole groups of digits.

    A run is digit groups joined by short gaps. A number is one or more consecutive
    groups of a run, never part of a group: "2026 138 0013 8000" holds a mobile, a
    20-digit order number does not, and a group touching a letter (a file hash) is no
    one's number. At each group the longest reading that is an error wins, so
    "+86 138…" keeps its prefix and an ID is not also read as a mobile.
    """
    for run in _RUN_RE.finditer(plain):
        if run.end() - run.start() < 11:
            continue
        groups = [(m.start(), m.end(), m.group().replace(_T, "").upper())
                  for m in _GROUP_RE.finditer(plain, run.start(), run.end())]
        after = plain[run.end():run.end() + 1]
        if after.isascii() and after.isalnum():
            groups.pop()  # glued to a letter
        i = 0
        while i < len(groups):
            best = None
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 18:
                    break
                reading = _reading(digits)
                if reading and reading[1] == "PRIV003" and _starts_with_a_month(groups, i, j):
                    continue
                if reading and (best is None or reading[0] <= best[0][0]):
                    best = (reading, j)
            if best is None:
                i += 1
                continue
            (_, code, masked), j = best
            yield Finding(code, groups[i][0], groups[j][1], masked)
            i = j + 1


def _starts_with_a_month(groups: list[tuple[int, int, str]], i: int, j: int) -> bool:
    """Groups i..j begin with a year and a month: "1998.10-2003.7" is a stretch of a
    life story, not a mobile. Nobody groups a phone number as 4 digits then 1 or 2."""
    year, month = groups[i][2], groups[min(i + 1, j)][2]
    return i < j and len(year) == 4 and year[:2] in ("19", "20") and len(month) <= 2 and 1 <= int(month) <= 12


def _reading(digits: str) -> tuple[int, str, str] | None:
    """(rank, code, masked) if `digits` is a personal number; lower rank wins."""
    if "X" in digits[:-1] or (digits[-1] == "X" and len(digits) != 18):
        return None
    if len(digits) == 18 and _ID18_RE.fullmatch(digits):
        if is_valid_id(digits):
            return 0, "PRIV001", mask(digits)
        if _plausible_id(digits):
            return 3, "PRIV002", mask(digits)
        return None
    if len(digits) == 15 and _is_old_id(digits):
        return 1, "PRIV001", mask(digits)
    m = _MOBILE_RE.fullmatch(digits)
    if m:
        return 2, "PRIV003", mask(m.group(1))
    return None


def _is_old_id(digits: str) -> bool:
    """A first-generation ID: province and area, a 19YYMMDD birth date, three digits."""
    if int(digits[:2]) not in _PROVINCES:
        return False
    try:
        dt.date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    except ValueError:
        return False
    return True


def _plausible_id(number: str) -> bool:
    """An 18-digit run is worth a warning only if the birth-date part is a real date."""
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born <= dt.date.today()


def numbers_in(text: str) -> Iterable[Finding]:
    """Only the findings that are errors (a valid ID or a mobile number).

    The built site is mostly markup and prose: text without eleven digits close
    together is passed over by one regular-expression search (`_windows`).
    """
    return (f for f in find(text, addresses=False) if f.code in ("PRIV001", "PRIV003"))
