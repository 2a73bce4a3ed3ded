"""A Python-Markdown extension: a soft line break between two Chinese characters is no space.

Editors wrap long Chinese lines wherever their editor does. Markdown turns a line break
inside a paragraph into a space, which in Chinese shows as a gap in the middle of a
sentence (「落葉、 白色垃圾」). This extension drops such a break, and the spaces around
it, when the characters on both sides are CJK (Han, kana, CJK punctuation, full-width
forms) — also across inline markup (「**重点**\\n工作」). Breaks next to Latin letters or
digits stay spaces; code, preformatted text and hard breaks (two spaces, `<br>`) are
left alone. The build's region markers (`-{…}-` becomes a pair of private-use characters
before Markdown runs, see bulletin.script.markers) are invisible here: 「-{于秀兰}-\\n来了」
joins like 「于秀兰\\n来了」.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

CJK = ("\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff"
       "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f")
# Quotes, ellipses and dashes join on the side where Chinese text puts them.
ENDS = CJK + "\u201d\u2019\u2026\u2014"   # may end the line before the break
STARTS = CJK + "\u201c\u2018\u2026\u2014"  # may start the line after it
MARKERS = "\ue000-\ue00f"  # bulletin.script.markers: removed from every published page
_BREAK_RE = re.compile(rf"(?<=[{ENDS}])([{MARKERS}]*)[ \t]*\n[ \t]*(?=[{MARKERS}]*[{STARTS}])")
_LEADING_RE = re.compile(rf"^[ \t]*\n[ \t]*(?=[{MARKERS}]*[{STARTS}])")
_TRAILING_RE = re.compile(rf"(?<=[{ENDS}])([{MARKERS}]*)[ \t]*\n[ \t]*$")
_END_CHAR_RE = re.compile(rf"[{ENDS}][{MARKERS}]*$")
_START_CHAR_RE = re.compile(rf"^[{MARKERS}]*[{STARTS}]")
SKIP = frozenset({"code", "pre", "script", "style", "kbd", "samp", "textarea"})


def join_breaks(text: str) -> str:
    """`text` without the line breaks that sit between two CJK characters."""
    return _BREAK_RE.sub(r"\1", text) if "\n" in text else text


class CjkSoftBreakProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in SKIP:
            return
        if _changeable(element.text):
            element.text = _keep_type(element.text, join_breaks(element.text))
        children = list(element)
        for i, child in enumerate(children):
            self._walk(child)
            # text ending in a break, then an element that starts with CJK
            before = element.text if i == 0 else children[i - 1].tail
            if _changeable(before) and _TRAILING_RE.search(before) and \
                    child.tag not in SKIP and _START_CHAR_RE.match(_text(child)):
                new = _TRAILING_RE.sub(r"\1", before)
                if i == 0:
                    element.text = _keep_type(before, new)
                else:
                    children[i - 1].tail = _keep_type(before, new)
            tail = child.tail
            if _changeable(tail):
                tail = join_breaks(tail)
                # an element that ends with CJK, then a break and CJK
                if child.tag not in SKIP and _LEADING_RE.match(tail) and _END_CHAR_RE.search(_text(child)):
                    tail = _LEADING_RE.sub("", tail)
                child.tail = _keep_type(child.tail, tail)


def _changeable(text: str | None) -> bool:
    return bool(text) and "\n" in text


def _keep_type(old: str, new: str) -> str:
    return AtomicString(new) if isinstance(old, AtomicString) else new


def _text(element: etree.Element) -> str:
    return "".join(element.itertext())


class CjkSoftBreakExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(CjkSoftBreakProcessor(md), "bulletin_cjk_soft_break", 5)


def makeExtension(**kwargs) -> CjkSoftBreakExtension:  # noqa: N802
    return CjkSoftBreakExtension(**kwargs)
