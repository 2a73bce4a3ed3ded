"""In-band region markers: which script a stretch of text was written in.

Site chrome (Material's UI, navigation, our templates) is Simplified, but a page may be
written in any script. The plugin wraps text whose source is not Simplified in a pair of
private-use characters, so the source script travels with the text through Markdown,
Jinja templates, the table of contents and the search index, and the converter can
tell, character by character, what to convert from:

    MARK["zh-HK"] + "為了全面做好…" + END

Text outside any region is Simplified. Regions nest: PROTECT + "…" + END inside a region
is never converted (`-{…}-` in Markdown). The block U+E000–U+E00F is reserved for this;
every published output has these characters removed, so an editor who types one of them
loses it.
"""

from __future__ import annotations

import re

from ..fences import fenced_lines

HANS, HANT, HK, TW = "zh-Hans", "zh-Hant", "zh-HK", "zh-TW"
SCRIPTS = (HANS, HANT, HK, TW)
TRADITIONAL = (HANT, HK, TW)

# Simplified needs a marker only inside a region of another script (a Simplified passage
# in a Traditional page); text outside every region is Simplified anyway.
MARK = {HK: "\ue000", HANT: "\ue001", TW: "\ue002", HANS: "\ue004"}
PROTECT = "\ue003"
END = "\ue00f"
PROTECTED = "protect"
OPENERS = {**{v: k for k, v in MARK.items()}, PROTECT: PROTECTED}
MARKS_RE = re.compile("[\ue000-\ue00f]")
_HAS_MARK = re.compile("[\ue000-\ue00f]").search


def mark(text: str, script: str | None) -> str:
    """Wrap `text` so the converter knows it was written in `script`.

    Simplified (or unknown, None) text needs no marker: it is the default.
    """
    if not text or script in (None, HANS):
        return text
    if script == PROTECTED:
        return PROTECT + text + END
    return MARK[script] + text + END


def protect(text: str) -> str:
    """Wrap `text` so that no variant converts it."""
    return PROTECT + text + END if text else text


def strip_marks(text: str) -> str:
    """Remove every region marker (and anything else in the reserved block)."""
    return MARKS_RE.sub("", text) if _HAS_MARK(text) else text


def has_marks(text: str) -> bool:
    return _HAS_MARK(text) is not None


def effective(stack: list[str], base: str = HANS) -> str:
    """The script text is in at this point: PROTECTED if any enclosing region protects it."""
    if not stack:
        return base
    if PROTECTED in stack:
        return PROTECTED
    return stack[-1]


def runs(text: str, stack: list[str], base: str = HANS) -> list[tuple[str, str]]:
    """Split `text` into (script, piece) runs without markers, updating `stack` in place.

    `stack` carries the open regions from text seen before (across tags); an END with no
    open region is ignored, so a stray marker never raises.
    """
    if not _HAS_MARK(text):
        return [(effective(stack, base), text)] if text else []
    out: list[tuple[str, str]] = []
    pos = 0
    for m in MARKS_RE.finditer(text):
        if m.start() > pos:
            out.append((effective(stack, base), text[pos:m.start()]))
        ch = m.group()
        if ch == END:
            if stack:
                stack.pop()
        elif ch in OPENERS:
            stack.append(OPENERS[ch])
        pos = m.end()
    if pos < len(text):
        out.append((effective(stack, base), text[pos:]))
    return out


# Fenced code (bulletin.fences) and inline code spans keep -{ }- literally: an editor
# documenting the syntax must be able to show it.
_INLINE_CODE_RE = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)", re.S)
_PROTECT_RE = re.compile(r"-\{(.*?)\}-", re.S)


def protect_markdown(md: str) -> str:
    """Turn `-{text}-` into PROTECT + text + END, except inside code.

    Called before Markdown rendering so Markdown never sees the braces. Fenced code
    blocks and inline code spans are left as written. A `-{` without a closing `}-` in
    the same paragraph is left alone. Indented (four-space) code blocks are not
    recognised; use fences to show the syntax.
    """
    if "-{" not in md:
        return md
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(_protect_inline("".join(paragraph)))
            paragraph.clear()

    lines = md.splitlines(keepends=True)
    for line, code in zip(lines, fenced_lines(lines)):
        if code:
            flush()
            out.append(line)
            continue
        paragraph.append(line)
        if not line.strip():
            flush()
    flush()
    return "".join(out)


def _protect_inline(text: str) -> str:
    pieces: list[str] = []
    pos = 0
    for m in _INLINE_CODE_RE.finditer(text):
        pieces.append(_PROTECT_RE.sub(_protected, text[pos:m.start()]))
        pieces.append(m.group())
        pos = m.end()
    pieces.append(_PROTECT_RE.sub(_protected, text[pos:]))
    return "".join(pieces)


def _protected(m: re.Match) -> str:
    return PROTECT + m.group(1) + END
