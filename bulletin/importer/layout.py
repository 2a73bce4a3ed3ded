"""Chinese numbering → Markdown structure, keeping every numeral visible as text.

Official documents (公文) number their levels 一、 → （一） → 1、/1./（1）/①, and often
open a numbered paragraph with its heading sentence and run on with the body
("一、強化社區民主自治建設，推進居民自治。一要完善…"). The mapping:

* 一、…  → ``## 一、…``   and  （一）… → ``### （一）…``.
  When the line runs on past its heading sentence, the first sentence (up to 。 or ：,
  at most HEADING_MAX characters) becomes the heading and the rest a paragraph below it.
  When no such sentence exists (one long sentence), the line stays a paragraph with its
  number in bold: a 150-character heading helps nobody.
* 1、 1. （1） ① … → a paragraph that starts with its number, its lead-in (the first
  sentence or the label before ：, up to LEAD_MAX characters) in bold:
  ``**1、城管中隊：**要每天…``. Not a Markdown list: a list marker would either hide the
  number in the browser's counter (the text would lose "1") or show two markers
  ("• 1、"). Bold lead-ins are how printed 公文 set this level.
  Exception: a short numbered line with no sentence in it ("1、加強組織領導，…落到實處")
  that is followed by body text or by a deeper numbering ("（1）…") rather than by its
  next sibling is a sub-heading, so it becomes ``#### 1、…``.
* An unnumbered paragraph that opens with a short label and a colon
  ("內河護河員：要全面…") gets the same bold lead-in as its numbered siblings.

Markdown-significant characters in the text are escaped, so "*市" stays "*市" and
"1." at the start of a line is never turned into a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING_MAX = 60
LEAD_MAX = 40
LABEL_MAX = 12

H2_RE = re.compile(r"^[一二三四五六七八九十]{1,3}、")
H3_RE = re.compile(r"^（[一二三四五六七八九十]{1,3}）")
ITEM_RE = re.compile(r"^(?:\d{1,2}[、.．]|（\d{1,2}）|[\u2460-\u2473])")
LABEL_RE = re.compile(r"^[^\s，。、：；“”（）《》]{2,%d}：" % LABEL_MAX)

_OPEN, _CLOSE = "“‘（《「『【", "”’）》」』】"


@dataclass
class Block:
    """One unit of the page: a heading (level 2–4) or a paragraph (level 0)."""

    level: int
    text: str
    lead: str = ""  # the part set in bold at the start of a paragraph
    line: int = 0  # source line, for messages


def numbering(text: str) -> str:
    """The numbering token a paragraph starts with ("一、", "（二）", "3、", "①"), or ""."""
    for pattern in (H2_RE, H3_RE, ITEM_RE):
        match = pattern.match(text)
        if match:
            return match.group()
    return ""


def style(token: str) -> str:
    """A numbering token's style, numbers blanked: "12、" → "0、", "（3）" → "（0）"."""
    return re.sub(r"\d+", "0", token) if not re.match(r"[\u2460-\u2473]", token) else "①"


def first_sentence_end(text: str, start: int = 0, marks: str = "。！？：") -> int:
    """Index of the first sentence mark outside quotes and brackets, or -1."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in marks:
            return i
    return -1


def _has_sentence(text: str) -> bool:
    return first_sentence_end(text, marks="。！？；") >= 0


def _heading_or_paragraph(level: int, text: str, token: str, line: int) -> list[Block]:
    end = first_sentence_end(text, len(token))
    if len(text) <= HEADING_MAX and (end < 0 or end == len(text) - 1):
        return [Block(level, text, line=line)]
    if 0 <= end < HEADING_MAX and end < len(text) - 1:
        return [Block(level, text[:end + 1], line=line), Block(0, text[end + 1:], line=line)]
    return [Block(0, text, lead=token, line=line)]


def _lead(text: str, token: str) -> str:
    end = first_sentence_end(text, len(token), marks="。！？：；")
    if 0 <= end < LEAD_MAX and end < len(text) - 1:
        return text[:end + 1]
    return token


def blocks(paragraphs: list[tuple[int, str]]) -> list[Block]:
    """Structure for a plan's normalised paragraphs [(source line, text), …]."""
    out: list[Block] = []
    for i, (line, text) in enumerate(paragraphs):
        token = numbering(text)
        following = paragraphs[i + 1][1] if i + 1 < len(paragraphs) else ""
        if token and H2_RE.match(text):
            out.extend(_heading_or_paragraph(2, text, token, line))
        elif token and H3_RE.match(text):
            out.extend(_heading_or_paragraph(3, text, token, line))
        elif token:
            if (len(text) <= HEADING_MAX and not _has_sentence(text)
                    and following and style(numbering(following)) != style(token)):
                out.append(Block(4, text, line=line))
            else:
                out.append(Block(0, text, lead=_lead(text, token), line=line))
        else:
            label = LABEL_RE.match(text)
            lead = label.group() if label and len(text) > label.end() else ""
            out.append(Block(0, text, lead=lead, line=line))
    return out


_ESCAPE_RE = re.compile(r"([\\`*_{}\[\]>#|])")
_LINE_START_RE = re.compile(r"^(\d+)([.)])|^([-+>=])")


def escape(text: str) -> str:
    """Text as inline Markdown that renders to exactly this text."""
    # Python-Markdown has no backslash escape for "<": an entity keeps it from opening a tag.
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _ESCAPE_RE.sub(r"\\\1", text)


def _line(markdown: str) -> str:
    """Keep a paragraph from opening as a list, quote or heading underline ("1.", "-", ">")."""
    return _LINE_START_RE.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", markdown)


def markdown(parts: list[Block]) -> str:
    """The page body: one block per paragraph, blank lines between, newline at the end."""
    chunks = []
    for block in parts:
        if block.level:
            chunks.append("#" * block.level + " " + escape(block.text))
        elif block.lead:
            rest = block.text[len(block.lead):]
            chunks.append(f"**{escape(block.lead)}**{escape(rest)}")
        else:
            chunks.append(_line(escape(block.text)))
    return "\n\n".join(chunks) + "\n"
