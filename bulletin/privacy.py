"""Personal numbers and home addresses: found in the sources, never published.

A mainland resident ID that passes the GB 11643-1999 check digit, a first-generation
15-digit ID with a real birth date, or a mobile number (with or without +86) is an
error: the page is skipped. An 18-digit number shaped like an ID whose check digit
fails is a warning (it may be a mistyped ID or an order number). A home address down
to the building, unit or room (3号楼2单元501室) is a warning.

Editors paste numbers from Word and WeChat, so a number arrives grouped any way, with
non-breaking or zero-width characters between its digits, partly in bold, as HTML
entities or in a percent-encoded tel: link. The scan therefore reads a *view* of the
text (`view`) in which each character stands for what a reader sees, and looks for
numbers there in any grouping. The view is exactly as long as the text, so an offset
in it is the offset in the editor's file: the line of a finding is the line where the
number starts.

The same finder is used by `sitecheck` on the built site, as a last line of defence.
Numbers in messages are masked, so the build log never repeats them in full.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from itertools import chain
from typing import Iterable, Iterator
from urllib.parse import unquote

from .report import E, W, Message, Report, register

MESSAGES = {
    "PRIV001": Message(E, "发现身份证号码「{masked}」。身份证号不能出现在公开网站上，这一页不能发布。"
                          "请删除这个号码，需要时写成「身份证号已核验」之类的说明。"),
    "PRIV002": Message(W, "「{masked}」是 18 位数字，格式像身份证号（校验位不符）。"
                          "如果它是身份证号，请删除；如果是订单号、编号等，请在数字之间加空格或注明用途。"),
    "PRIV003": Message(E, "发现手机号码「{masked}」。居民的手机号不能出现在公开网站上，这一页不能发布。"
                          "请删除它；公开联系方式请用社区办公电话。"),
    "PRIV004": Message(W, "「{text}」看起来是具体到楼栋、单元或房间的住址。"
                          "公开网站上请只写到小区或社区（例如「幸福小区」），不要写门牌。"),
}
register(MESSAGES)

# Full-width digits and the marks that go with numbers, mapped one code point to one:
# what the address pattern reads.
_WIDE = str.maketrans(
    "０１２３４５６７８９Ｘｘ＋－\u3000\u2010\u2011\u2012\u2013\u2014\u2212",
    "0123456789Xx+-" + " " + "-" * 6,
)

# What the view is read for: digits, ASCII letters (a letter next to a digit glues it
# into a code such as a file hash), the separators " ", "\n", "-", ".", "/", and two
# marks of our own. Every other character ends a number.
_T = "\x00"  # transparent: markup or an invisible character; digits on both sides stay together
_B = "\x01"  # barrier: a block tag (<p>, <td>); a number does not continue across it

# Tags that sit inside a run of text: a number may be split by them. Shared with
# sitecheck, which joins the text pieces of a built page across exactly these tags.
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark q s samp small span strike "
    "strong sub sup time tt u var wbr".split()
)
# Attributes that hold coordinates, styling or hashes, not words: their digit strings
# are never a number someone wrote.
NOT_TEXT_ATTRS = frozenset({"d", "points", "viewbox", "transform", "style", "class", "integrity"})


def _table() -> dict[int, str]:
    """NFKC, reduced to what matters around digits, one code point to one.

    Only the BMP outside the CJK ideographs and the few supplementary blocks with
    digits or format characters are examined: the rest normalises to nothing we read.
    """
    kept = set("0123456789+-./ ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    table: dict[int, str] = {}
    points = chain(range(0x3400), range(0xA000, 0x10000), range(0x1D7CE, 0x1D800), range(0x1FBF0, 0x1FBFA),
                   (0x110BD, 0x110CD), range(0x13430, 0x13440), range(0x1BCA0, 0x1BCA4),
                   range(0x1D173, 0x1D17B), range(0xE0000, 0xE0080))
    for point in points:
        char = chr(point)
        category = unicodedata.category(char)
        if category == "Cf":
            table[point] = _T
        elif category == "Zs" or char in "\t\r\v\f":
            table[point] = " "
        elif category in ("Zl", "Zp"):
            table[point] = "\n"
        elif category == "Pd" or char == "\u2212":  # hyphens, dashes, the minus sign
            table[point] = "-"
        elif category[0] != "L" or not char.isascii():
            normal = unicodedata.normalize("NFKC", char)
            if len(normal) == 1 and normal != char and normal in kept:
                table[point] = normal
    table.update({ord(mark): _T for mark in "*_~`"})  # Markdown emphasis and code marks
    table.update({ord(_T): "?", ord(_B): "?"})  # our marks must not come from the text
    return table


_TABLE = _table()


# A short note in a comment is read through, as the browser shows the digits around it
# as one run; a long one, or commented-out markup, ends a number and is read as text.
# Bounded and stopping at "<": an unclosed comment costs no scan to the end of the page.
_COMMENT = r"<!--(?:[^<>-]|-(?!->)){0,200}+-->"
_COMMENT_RE = re.compile(_COMMENT)


def read_through(comment: str) -> bool:
    """True if the view reads digits on both sides of `<!--comment-->` as one run.

    `sitecheck` asks this, to join the text of a built page exactly where the view does.
    """
    return _COMMENT_RE.fullmatch(f"<!--{comment}-->") is not None


def _class(points: Iterable[int]) -> str:
    """A character class body of ranges: the search engine scans ranges fast, long lists slowly."""
    spans: list[list[int]] = []
    for point in sorted(set(points)):
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans)


def _window_re() -> re.Pattern:
    """Eleven digits or more, each written any way, with nothing but markup between them.

    A digit: any character the view makes a digit, or an entity or percent escape that
    spells one. Between digits: any tag, any other entity or escape, and any character
    the view makes a space, dash, dot, slash, line break or transparent mark. A search
    that fails reads at most the ten digits' chain again from each of them: linear.
    """
    digits = _class(chain(range(0x30, 0x3A), (k for k, v in _TABLE.items() if v.isdigit())))
    gaps = _class(chain(map(ord, " \n-./"), (k for k, v in _TABLE.items() if v in (" ", "-", ".", "/", "\n", _T))))
    x = _class(chain(map(ord, "Xx"), (k for k, v in _TABLE.items() if v in "Xx")))
    # Escapes that spell a digit, ASCII or full-width (a browser percent-encodes "tel:１３８…").
    entity = r"#0*(?:4[89]|5[0-7]|6529[6-9]|6530[0-5])(?![0-9]);?|#[xX]0*(?:3|[fF][fF]1)[0-9](?![0-9A-Fa-f]);?"
    percent = r"3[0-9]|[eE][fF]%[bB][cC]%9[0-9]"
    escape = rf"&(?:{entity})|%(?:{percent})"
    digit = rf"(?:[{digits}]|{escape})"
    gap = rf"(?:(?!{escape})(?:<[A-Za-z/][^<>]*>|{_COMMENT}|&#?[A-Za-z0-9]{{1,32}};|%[0-9A-Fa-f]{{2}}|[{gaps}]))"
    # The first digit is matched as one class, then told apart: a pattern that starts
    # with a class lets the engine skip to candidates quickly. Possessive repeats: a gap
    # never starts like a digit, so there is nothing to take back.
    first = rf"[{digits}&%](?:(?<=&)(?:{entity})|(?<=%)(?:{percent})|(?<=[{digits}]))"
    return re.compile(rf"{first}(?:{gap}*+{digit}){{10,}}+(?:{gap}*+[{x}])?")


_WINDOW_RE = _window_re()
_PLAIN_DIGITS = "0123456789０１２３４５６７８９"
_OTHER_DIGIT_RE = re.compile("[%s]" % _class(k for k, v in _TABLE.items() if v.isdigit() and chr(k) not in _PLAIN_DIGITS))


_TOKEN_RE = re.compile(
    rf"(?P<comment>{_COMMENT})"
    r"|<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>"
    r"|&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|(?:%[0-9A-Fa-f]{2})+"
)
_ELEVEN_DIGITS = re.compile(r"[0-9](?:[^0-9]*[0-9]){10}")


def view(text: str) -> str:
    """What a reader sees of `text` around digits, as a string of the same length.

    NFKC; spaces of every kind to " "; dashes to "-"; zero-width and other format
    characters, Markdown emphasis marks, inline HTML tags and short comments to a
    transparent mark; an entity or a percent escape to the character it encodes
    followed by transparent marks; a line break in HTML (<br>) to a space; other tags
    to a barrier. Linear in the length of the text: one translation, then one pass over
    the markup tokens.
    """
    return _view(text)[0]


def _view(text: str) -> tuple[str, list[tuple[int, int, bool]]]:
    """The view, and what it hides that could hold a number.

    (start, end, is a comment) for each tag with eleven digits or more, and for the
    text of each comment it reads through: both are published with the page.
    """
    plain = text.translate(_TABLE)
    if "<" not in text and "&" not in text and "%" not in text:
        return plain, []
    pieces: list[str] = []
    hidden: list[tuple[int, int, bool]] = []
    last = 0
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        token = m.group()
        if m.group("comment"):
            shown = ""  # a browser shows the digits around it as one run
            hidden.append((start + 4, end - 3, True))
        elif m.group(3):
            name = m.group(3).lower()
            if name == "br":
                shown = " "  # a space, not "\n": Markdown writes "<br />\n", which is not a blank line
            elif name in INLINE_TAGS:
                shown = ""
            else:
                shown = _B * (end - start)
            if _ELEVEN_DIGITS.search(plain, start, end):
                hidden.append((start, end, False))
        else:
            decoded = unquote(token, errors="replace") if token[0] == "%" else html.unescape(token)
            if decoded == token:
                continue
            shown = decoded.translate(_TABLE)
        pieces.append(plain[last:start])
        pieces.append(shown + _T * (end - start - len(shown)))
        last = end
    pieces.append(plain[last:])
    return "".join(pieces), hidden


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


def scan_text(text: str, display: str, first_line: int | None, report: Report, *, addresses: bool = True) -> int:
    """Report every finding in `text`, which starts at line `first_line` of `display`.

    `first_line` None means the text is not a file's content (a file name): problems
    then carry no line. Returns the number of errors added (the caller skips the page
    if it is not zero).
    """
    errors = 0
    for finding in find(text, addresses=addresses):
        line = None if first_line is None else first_line + text.count("\n", 0, finding.start)
        if finding.code == "PRIV004":
            report.add(finding.code, display, line, text=finding.masked)
        else:
            problem = report.add(finding.code, display, line, masked=finding.masked)
            errors += problem.severity is E
    return errors


def scan_name(rel: str, display: str, report: Report) -> int:
    """Scan a file's path (an album folder, a photo's name) for personal numbers."""
    return scan_text(rel, display, None, report, addresses=False) if _has_digits(rel) else 0


def _has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def scan_source(source, report: Report) -> int:
    """Scan one Markdown `content.Source`: front matter, captions, alt text, body and name.

    The whole file is scanned from line 1, so a number in a front-matter value or a
    caption map is reported on the line where the editor wrote it. Returns the number
    of errors added.
    """
    return scan_text(source.text, source.display, 1, report) + scan_name(source.rel, source.display, report)


# Other files that MkDocs copies to the site as they are, and that people read.
TEXT_SUFFIXES = {".txt", ".csv", ".json", ".html", ".htm", ".xml", ".yml", ".yaml"}


def scan_index(index, report: Report | None = None) -> set[str]:
    """Scan every accepted page, every file name, and the text files MkDocs would copy.

    `index` is a `content.ContentIndex`. Returns the rel paths that carry an error: the
    caller must not publish them (a photo whose name holds a phone number, a page or a
    downloadable .csv with an ID number). Problems go to `report` (default: the index's
    own report); files with errors are marked skipped.
    """
    report = report if report is not None else index.report
    bad: set[str] = set()
    for rel, source in index.sources.items():
        if scan_source(source, report):
            bad.add(rel)
    for rel in index.files:
        if rel in index.sources or rel.endswith(".md"):
            continue
        display = f"{index.root.name}/{rel}"
        errors = scan_name(rel, display, report)
        if rel[rel.rfind("."):].lower() in TEXT_SUFFIXES:
            try:
                text = (index.root / rel).read_bytes().decode("utf-8", "replace")
            except OSError:
                text = ""  # content.walk listed it; if it vanished since, there is nothing to publish
            errors += scan_text(text, display, 1, report, addresses=False)
        if errors:
            bad.add(rel)
    for rel in bad:
        report.skip(f"{index.root.name}/{rel}")
    return bad


def numbers_in(text: str) -> Iterable[Finding]:
    """Only the findings that are errors (a valid ID or a mobile number).

    The built site is mostly markup and prose: text without eleven digits close
    together is passed over by one regular-expression search (`_windows`).
    """
    return (f for f in find(text, addresses=False) if f.code in ("PRIV001", "PRIV003"))
