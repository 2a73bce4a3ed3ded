"""Which lines of Markdown are fenced code: one rule for every reader of editors' Markdown.

The sanitizer's warnings, the `-{…}-` protection and the risky-conversion check all skip
code, so they must agree on where code is. The rule is CommonMark's: a fence is three or
more backticks or tildes indented by at most three spaces (a backtick fence's info string
has no backtick); it is closed by a line of the same character, at least as long, indented
by at most three spaces, with nothing after it. One difference, taken from the renderer
(Python-Markdown with pymdownx.superfences): a fence that is never closed is not code, its
lines are rendered as ordinary text, so they are read as text here too. Reading text as
code would hide a `<script>` from the sanitizer's warning; reading code as text at worst
warns about an example.
"""

from __future__ import annotations

import re
from itertools import islice

_OPEN_RE = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
_CLOSE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line (with or without its line ending), whether it belongs to a fenced code
    block, the opening and closing fences included."""
    closers: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        m = _CLOSE_RE.match(line.rstrip("\r\n"))
        if m:
            closers.append((i, m.group(1)))
    inside = [False] * len(lines)
    unclosed: dict[str, int] = {}  # fence character -> shortest fence already found unclosed
    next_closer = 0
    i = 0
    while i < len(lines):
        m = _OPEN_RE.match(lines[i].rstrip("\r\n"))
        if m is None:
            i += 1
            continue
        fence = m.group(1)
        if len(fence) >= unclosed.get(fence[0], len(fence) + 1):
            i += 1  # one of this kind, no longer, found no closer below: neither will this one
            continue
        while next_closer < len(closers) and closers[next_closer][0] <= i:
            next_closer += 1
        end = next((j for j, mark in islice(closers, next_closer, None)
                    if mark[0] == fence[0] and len(mark) >= len(fence)), None)
        if end is None:  # never closed: text, and the next line may open a fence of its own
            unclosed[fence[0]] = len(fence)
            i += 1
            continue
        inside[i:end + 1] = [True] * (end + 1 - i)
        i = end + 1
    return inside
