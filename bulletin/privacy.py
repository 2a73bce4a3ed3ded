"""Personal numbers and home addresses: found in the sources, never published.

A mainland resident ID that passes the GB 11643-1999 check digit, or a mobile number
(with or without +86, with spaces or dashes, in full-width digits), is an error: the
page is skipped. An 18-digit number shaped like an ID whose check digit fails is a
warning (it may be a mistyped ID or an order number). A home address down to the
building, unit or room (3号楼2单元501室) is a warning.

The same finder is used by `sitecheck` on the built site, as a last line of defence.
Numbers in messages are masked, so the build log never repeats them in full.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .report import E, W, Message, Report, register

MESSAGES = {
    "PRIV001": Message(E, "发现身份证号码「{masked}」。身份证号不能出现在公开网站上，本页已跳过。"
                          "请删除这个号码，需要时写成「身份证号已核验」之类的说明。"),
    "PRIV002": Message(W, "「{masked}」是 18 位数字，格式像身份证号（校验位不符）。"
                          "如果它是身份证号，请删除；如果是订单号、编号等，请在数字之间加空格或注明用途。"),
    "PRIV003": Message(E, "发现手机号码「{masked}」。居民的手机号不能出现在公开网站上，本页已跳过。"
                          "请删除它；公开联系方式请用社区办公电话。"),
    "PRIV004": Message(W, "「{text}」看起来是具体到楼栋、单元或房间的住址。"
                          "公开网站上请只写到小区或社区（例如「幸福小区」），不要写门牌。"),
}
register(MESSAGES)

# Full-width digits and the marks that go with numbers, mapped one code point to one, so
# that offsets in the normalised text are offsets in the original.
_WIDE = str.maketrans(
    "０１２３４５６７８９Ｘｘ＋－\u3000\u2010\u2011\u2012\u2013\u2014\u2212",
    "0123456789Xx+-" + " " + "-" * 6,
)

_SEP = r"[ \t-]?"
ID_RE = re.compile(
    rf"(?<![0-9A-Za-z])([1-9]\d{{5}}){_SEP}((?:18|19|20)\d{{6}}){_SEP}(\d{{3}})([0-9Xx])(?![0-9A-Za-z])"
)
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z+])"
    r"(?:\(?(?:\+|00)?86\)?[ \t-]?)?"
    r"(1[3-9](?:[ \t-]?\d){9})"
    r"(?![0-9])"
)

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


# Every number form is at least 11 digits, separators allowed between them. Finding
# such runs first is what keeps a scan of a large search index fast.
_RUN_RE = re.compile("[0-9０-９][0-9０-９XxＸｘ \t\\-\u3000\u2010-\u2014\u2212－]{10,}")
_CONTEXT = 8  # characters before a run that may belong to it: "(+86) ", "0086-"


def find(text: str, *, addresses: bool = True) -> Iterator[Finding]:
    """Every personal number (and, if asked, home address) in `text`, in order."""
    found: dict[int, Finding] = {}
    for run in _RUN_RE.finditer(text):
        low = max(run.start() - _CONTEXT, 0)
        window = text[low:run.end() + 1].translate(_WIDE)
        for finding in _numbers(window):
            start = low + finding.start
            found.setdefault(start, Finding(finding.code, start, low + finding.end, finding.masked))
    if addresses:
        for m in ADDRESS_RE.finditer(text.translate(_WIDE)):
            found.setdefault(m.start(), Finding("PRIV004", m.start(), m.end(), text[m.start():m.end()]))
    return iter(sorted(found.values(), key=lambda f: f.start))


def _numbers(plain: str) -> list[Finding]:
    taken: list[tuple[int, int]] = []
    found: list[Finding] = []
    for m in ID_RE.finditer(plain):
        number = "".join(m.groups()).upper()
        code = "PRIV001" if is_valid_id(number) else "PRIV002"
        if code == "PRIV002" and not _plausible_id(number):
            continue
        found.append(Finding(code, m.start(), m.end(), mask(number)))
        taken.append(m.span())
    for m in MOBILE_RE.finditer(plain):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        digits = re.sub(r"\D", "", m.group(1))
        found.append(Finding("PRIV003", m.start(), m.end(), mask(digits)))
    return found


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


_TWO_DIGITS = re.compile(r"[0-9０-９]{2}")


def numbers_in(text: str) -> Iterable[Finding]:
    """Only the findings that are errors (a valid ID or a mobile number).

    Every form starts with two adjacent digits, so text without them is passed over
    cheaply: the built site is mostly short pieces of markup and prose.
    """
    if not _TWO_DIGITS.search(text):
        return iter(())
    return (f for f in find(text, addresses=False) if f.code in ("PRIV001", "PRIV003"))
