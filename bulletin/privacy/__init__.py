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

Modules: view (what a reader sees, one character for one), numbers (the finder); this
module scans sources and files and reports.
"""

from __future__ import annotations

from ..report import E, W, Message, Report, register
from .numbers import (ADDRESS_RE, Finding, _numbers, find, id_check_digit, is_valid_id, mask,
                      numbers_in)
from .view import INLINE_TAGS, NOT_TEXT_ATTRS, read_through, view

__all__ = ["_numbers", "ADDRESS_RE", "INLINE_TAGS", "MESSAGES", "NOT_TEXT_ATTRS", "TEXT_SUFFIXES", "Finding", "find",
           "id_check_digit", "is_valid_id", "mask", "numbers_in", "read_through", "scan_index", "scan_name",
           "scan_source", "scan_text", "view"]

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
