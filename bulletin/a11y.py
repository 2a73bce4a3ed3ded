"""A page's content made usable for every reader, after it has been cleaned.

- Heading levels do not skip: screen-reader users move by heading level, and an imported
  plan often goes from 二、 (h2) straight to 1、 (h4). Levels are closed up, never raised.
- The lightbox's script and style are wanted only on pages with a photo it opens, and its
  script (56 KB) does not hold up the first paint: it moves from the head to just before
  the script that starts it, at the end of the page.
"""

from __future__ import annotations

import re

_HEADING_RE = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.I)
_LIGHTBOX_RE = re.compile(r"<a\s[^>]*\bclass=\"[^\"]*\bglightbox\b", re.I)
_LIGHTBOX_SCRIPT_RE = re.compile(r'<script src="[^"<>]*assets/javascripts/glightbox\.min\.js"></script>')
_LIGHTBOX_START = '<script id="init-glightbox">'


def close_heading_gaps(html: str) -> str:
    """`html` with each heading at most one level below the heading it follows.

    The page's own title is the h1 (written by the template or the first # heading), so the
    first heading of the content is at most an h2. An h1 stays an h1. Closing tags follow
    their opening tags; the sanitiser has already balanced them.
    """
    stack: list[tuple[int, int]] = []  # (level written, level given) of the open sections
    open_levels: list[int] = []  # the level given to each heading not yet closed

    def renumber(match: re.Match) -> str:
        closing, level = match.group(1), int(match.group(2))
        if closing:
            given = open_levels.pop() if open_levels else level
            return f"</h{given}"
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else (0 if level == 1 else 1)
        given = min(level, parent + 1)
        stack.append((level, given))
        open_levels.append(given)
        return f"<h{given}"

    return _HEADING_RE.sub(renumber, html)


def has_lightbox(html: str) -> bool:
    """Whether the page's content has a link that opens in the lightbox."""
    return _LIGHTBOX_RE.search(html) is not None


def lightbox_script_last(html: str) -> str:
    """`html` with GLightbox's script (put in the head by mkdocs-glightbox) moved to just
    before the inline script that starts the lightbox: the same order of execution, but the
    page is shown before 56 KB of script is fetched and run."""
    start = html.find(_LIGHTBOX_START)
    found = _LIGHTBOX_SCRIPT_RE.search(html, 0, start) if start >= 0 else None  # most pages have no lightbox
    if found is None:
        return html
    return html[:found.start()] + html[found.end():start] + found.group(0) + html[start:]
