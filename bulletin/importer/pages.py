"""One compilation piece → one plan page: normalised text, structure, front matter."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content import PLAN_FIELDS
from ..report import Report
from . import describe, layout
from .normalise import KINDS, is_broken_paragraph, is_han, normalise_line
from .source import Piece, year_of

# Placeholders a template compilation leaves for the user to fill in: 20xx, xx大, 第X年, *市.
PLACEHOLDER_RE = re.compile(r"(?<![A-Za-z])\d*[xX]+\d*(?![A-Za-z])|\*(?=[\u4e00-\u9fff])")


def slug_for(number: int) -> str:
    """plan-01 … plan-28: the piece number kept, two digits so the files sort in order."""
    return f"plan-{number:02d}"


def comparable(text: str) -> str:
    """The Han characters and ASCII digits of `text`, in order: what similarity compares."""
    return "".join(ch for ch in text if is_han(ch) or ch in "0123456789")


@dataclass
class PlanPage:
    """A plan ready to be written: its front matter, body and what the import changed."""

    number: int
    slug: str
    meta: dict[str, Any]
    blocks: list[layout.Block]
    body: str
    counts: Counter = field(default_factory=Counter)
    title_found: bool = True
    title_from: str = ""  # slug of the plan whose title a variant without its own borrowed
    year_from: str = ""  # "date" | "text" | ""
    placeholders: Counter = field(default_factory=Counter)

    @property
    def filename(self) -> str:
        return f"{self.slug}.md"

    def text(self) -> str:
        """The whole file: YAML front matter in PLAN_FIELDS order, then the Markdown body."""
        meta = {key: self.meta[key] for key in PLAN_FIELDS if self.meta.get(key) not in (None, "", [], {})}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000)
        return f"---\n{front}---\n\n{self.body}"

    def comparable(self) -> str:
        return comparable("".join(block.text for block in self.blocks))


def paragraphs(piece: Piece, counts: Counter, display: str, report: Report) -> list[tuple[int, str]]:
    """Normalised paragraphs of a piece, broken sentences joined again."""
    out: list[tuple[int, str]] = []
    for line in piece.lines:
        text, quotes_ok = normalise_line(line.text, counts)
        if not quotes_ok:
            report.add("IMPORT006", display, line.number)
        if out and is_broken_paragraph(out[-1][1], text) and not layout.numbering(text):
            out[-1] = (out[-1][0], out[-1][1] + text)
            counts["joined_line"] += 1
        else:
            out.append((line.number, text))
    return out


def build(piece: Piece, compilation_title: str, names: describe.Names, display: str, report: Report) -> PlanPage:
    """Everything about one plan except `variant_of`, which needs all plans.

    `compilation_title` names the source in `source:` ("<title> 篇N").
    """
    counts: Counter = Counter()
    paras = paragraphs(piece, counts, display, report)
    parts = layout.blocks(paras)
    community = normalise_line(piece.community, counts)[0] if piece.community else ""
    recipient = normalise_line(piece.recipient, counts)[0] if piece.recipient else ""

    year, placeholder, year_from = None, False, ""
    if piece.date:
        year, placeholder = year_of(piece.date)
        year_from = "date" if year is not None else ""
    if year is None and parts and parts[0].level == 0:
        year, placeholder = year_of(parts[0].text)
        year_from = "text" if year is not None else ""

    title, found = describe.title(piece.number, parts, names)
    plain = "".join(block.text for block in parts)
    meta: dict[str, Any] = {
        "title": title,
        "community": community,
        "year": year,
        "year_placeholder": True if placeholder else None,
        "date": piece.date,
        "recipient": recipient,
        "tags": describe.tags(plain),
        "source": f"{compilation_title} 篇{piece.number}",
        "summary": describe.summary(parts),
        "variant_of": None,
        "normalised": {kind: counts[kind] for kind in KINDS if counts[kind]},
    }
    placeholders = Counter(m.group() for m in PLACEHOLDER_RE.finditer(plain))
    return PlanPage(piece.number, slug_for(piece.number), meta, parts, layout.markdown(parts),
                    counts=counts, title_found=found, year_from=year_from, placeholders=placeholders)


def write(page: PlanPage, out_dir: Path) -> bool:
    """Write the page if its content changed; True when the file was (re)written."""
    path = out_dir / page.filename
    text = page.text()
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    path.write_text(text, encoding="utf-8", newline="\n")
    return True
