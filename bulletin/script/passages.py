"""The script of each passage: a page may mix Simplified and Traditional blocks.

The imported plans are in Traditional; an editor on the mainland adds a Simplified line
(a new honoree, a correction). Deciding the script once per page would leave that line
Simplified on the Traditional site. So rendered HTML is cut at block boundaries
(paragraph, list item, heading, table cell, caption…) and each passage that clearly reads
as one script is marked with it; a passage with no clear evidence (a name, a date, a
short title) takes the script of the passages around it, then of the page.

Evidence is counted per character, never from characters both scripts write (于 余 后 干
范 as surnames, 了 周): see `engine.shared_characters`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from .engine import _CLASSES, _HAN_RE, _classify
from .markers import END, HANS, HANT, HK, MARK, MARKS_RE, TW, mark

BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption", "caption",
          "summary", "blockquote", "div", "section", "article", "header", "footer", "aside", "nav", "table",
          "tr", "thead", "tbody", "tfoot", "ul", "ol", "dl", "details", "figure", "pre", "hr", "br")
_BOUNDARY = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(BLOCKS), re.I)
_TAG = re.compile(r"<[^>]*>")

# One script must outweigh the other this many times over to decide a passage that has
# characters of both (a quotation, a name in the other script).
MARGIN = 3


def passage_script(text: str, prefer: str | None = None) -> str | None:
    """The script `text` clearly reads as, or None when its characters do not say."""
    chars = _HAN_RE.findall(text)
    if not chars:
        return None
    counts = Counter(chars)
    _classify(counts)
    simplified_class, traditional_class = _CLASSES["simplified"], _CLASSES["traditional"]
    simplified = traditional = 0
    for c, n in counts.items():
        if c in simplified_class:
            simplified += n
        elif c in traditional_class:
            traditional += n
    if simplified and simplified >= MARGIN * traditional:
        return HANS
    if traditional and traditional >= MARGIN * simplified:
        # the Traditional standard whose forms the passage breaks least, as detect_script
        order = [HANT, HK, TW]
        if prefer in order:
            order.remove(prefer)
            order.insert(0, prefer)
        return min(order, key=lambda kind: sum(n for c, n in counts.items() if c in _CLASSES[kind]))
    return None


def mark_passages(html: str, page_script: str | None, prefer: str | None = None) -> str:
    """`html` with the page's region marker around it and each passage in another script marked.

    `page_script` is what the page as a whole is written in (None or zh-Hans: no outer
    marker, as `markers.mark`). Passages are the stretches between block tags; markers
    go only around their text, never inside a tag.
    """
    page_script = page_script or HANS
    cuts = [0]
    for m in _BOUNDARY.finditer(html):
        cuts += [m.start(), m.end()]
    cuts.append(len(html))
    pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    decided: list[str | None] = []
    for start, end in pieces:
        text = MARKS_RE.sub("", _TAG.sub("", html[start:end]))
        decided.append(passage_script(text, prefer) if _HAN_RE.search(text) else None)
    known = [i for i, s in enumerate(decided) if s]
    out: list[str] = []
    last = 0
    for n, (start, end) in enumerate(pieces):
        script = decided[n] or _surroundings(decided, known, n)
        if script is None or script == page_script or not _HAN_RE.search(html, start, end):
            continue
        head = len(html[start:end]) - len(html[start:end].lstrip())
        out += [html[last:start + head], MARK[script], html[start + head:end], END]
        last = end
    out.append(html[last:])
    body = "".join(out)
    return body if page_script == HANS else MARK[page_script] + body + END


def _surroundings(decided: list[str | None], known: list[int], n: int) -> str | None:
    """The script of the nearest decided passages before and after `n`, when they agree."""
    at = bisect.bisect_left(known, n)
    before = decided[known[at - 1]] if at > 0 else None
    after = decided[known[at]] if at < len(known) else None
    return before if before and before == after else None


def mark_toc(items, written_in: str, prefer: str) -> None:
    """Table-of-contents titles come from the page's headings: each is marked in its
    heading's script, else the page's (`items`: MkDocs' anchor links, with their children)."""
    for item in items:
        item.title = mark(item.title, passage_script(item.title, prefer) or written_in)
        mark_toc(item.children, written_in, prefer)
