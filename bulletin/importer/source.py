"""Split a compilation text into its pieces, and take the signature off each piece.

A compilation looks like this:

    街道社區精神文明建設工作計劃(通用28篇)          ← the compilation title, repeated at random
    街道社區精神文明建設工作計劃 篇1                 ← one header line per piece
    …the plan's paragraphs…
    惠泉社區 / 20xx年2月3日 / 報:五鬆鎮文明辦        ← an optional signature at the end

The header's wording is learned from the text itself (the most common "<name> 篇N"), so a
body sentence that happens to end in "篇2" is not mistaken for a header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..report import Report

HEADER_RE = re.compile(r"^(?P<name>\S.*?)\s*篇\s*(?P<number>\d{1,3})\s*$")


@dataclass
class Line:
    """One non-empty line of the compilation and its 1-based line number."""

    number: int
    text: str


@dataclass
class Piece:
    """One plan as it stands in the compilation, headers and title lines already removed."""

    number: int  # the N of 篇N
    line: int  # line number of the header
    lines: list[Line] = field(default_factory=list)
    community: str = ""
    date: str = ""
    recipient: str = ""  # without its label 報:/报：, which the key `recipient` stands for


@dataclass
class Compilation:
    title: str  # the compilation's own title line, e.g. 街道社區精神文明建設工作計劃(通用28篇)
    header: str  # the wording before 篇N
    pieces: list[Piece]


def split(text: str, display: str, report: Report) -> Compilation | None:
    """Cut the text at its "篇N" header lines; None (with IMPORT001) if there are none.

    Lines that repeat the compilation title are dropped wherever they occur. A number
    seen twice keeps its first piece (IMPORT004); an empty piece is skipped (IMPORT002);
    text before the first header other than the title is reported (IMPORT005).
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [Line(i + 1, s.strip()) for i, s in enumerate(raw) if s.strip()]
    names = Counter(m["name"] for ln in lines if (m := HEADER_RE.match(ln.text)))
    if not names:
        report.add("IMPORT001", display, None)
        return None
    header = names.most_common(1)[0][0]
    title = lines[0].text if not _is_header(lines[0].text, header) else ""

    pieces: list[Piece] = []
    seen: dict[int, int] = {}
    current: Piece | None = None
    preface: list[Line] = []
    for ln in lines:
        if title and ln.text == title:
            continue
        match = HEADER_RE.match(ln.text)
        if match and match["name"] == header:
            number = int(match["number"])
            if number in seen:
                report.add("IMPORT004", display, ln.number, number=number, first=seen[number])
                current = None
                continue
            seen[number] = ln.number
            current = Piece(number, ln.number)
            pieces.append(current)
        elif current is not None:
            current.lines.append(ln)
        elif not seen:
            preface.append(ln)
    if preface:
        report.add("IMPORT005", display, preface[0].number, count=len(preface))
    kept = []
    for piece in pieces:
        take_signature(piece)
        if not piece.lines:
            report.add("IMPORT002", display, piece.line, number=piece.number)
            continue
        kept.append(piece)
    return Compilation(title, header, kept)


def _is_header(text: str, header: str) -> bool:
    match = HEADER_RE.match(text)
    return bool(match and match["name"] == header)


RECIPIENT_RE = re.compile(r"^(?P<label>報送|报送|抄報|抄报|報|报)\s*[:：]\s*(?P<value>\S.*)$")
_NUM = r"(?:\d{1,2}|[xX]{1,2}|[〇零一二三四五六七八九十]{1,3})"
DATE_RE = re.compile(
    r"^(?P<year>(?:19|20)\d\d|(?:19|20)[xX]{2}|[xX]{2,4}|[〇零一二三四五六七八九]{4})\s*年"
    rf"\s*{_NUM}\s*月(?:\s*{_NUM}\s*日)?$")
COMMUNITY_RE = re.compile(
    r"^[^\s，。、：:,;；（）()]{1,20}?"
    r"(?:社區|社区|街道辦事處|街道办事处|辦事處|办事处|街道|居委會|居委会|居民委員會|居民委员会"
    r"|村委會|村委会|委員會|委员会|人民政府|文明辦|文明办|黨委|党委|黨支部|党支部)$")


def take_signature(piece: Piece) -> None:
    """Move trailing signature lines (issuing body, date, 報: recipient) into the piece's fields.

    Only the last lines count, read upwards, each kind at most once: a community-like
    line in the middle of a plan is body text.
    """
    while piece.lines:
        text = piece.lines[-1].text
        if not piece.recipient and (m := RECIPIENT_RE.match(text)):
            piece.recipient = m["value"].strip()
        elif not piece.date and DATE_RE.match(text):
            piece.date = text
        elif not piece.community and COMMUNITY_RE.match(text):
            piece.community = text
        else:
            break
        piece.lines.pop()


YEAR_RE = re.compile(r"(?P<year>(?:19|20)\d\d|(?:19|20)[xX]{2}|[xX]{2,4})\s*年")


def year_of(text: str) -> tuple[int | str | None, bool]:
    """(year, is_placeholder) from a date or a sentence: 2019 → (2019, False); 20xx → ("20xx", True)."""
    match = YEAR_RE.search(text)
    if not match:
        return None, False
    value = match["year"]
    if value.isdigit():
        return int(value), False
    return value, True
