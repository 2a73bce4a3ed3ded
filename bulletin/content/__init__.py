"""Walk `site_src/`, read front matter with line numbers, and validate it.

This is the one place that reads editors' files. It returns a `ContentIndex` that every
other module (plans, albums, people, screen, search) works from, and a `Report` of
every problem found. A bad page is skipped and listed; the rest goes on.

MkDocs parses front matter too, but silently publishes broken YAML as page text, so we
parse it ourselves, keep each key's line number, and hand MkDocs only pages we accept.

Reading is bounded: a file over its size limit is refused unread, YAML aliases are
refused before anything is expanded (nine nested `&a [*a, *a, …]` lists are a billion
strings once printed), and nesting is capped before the parser's recursion is.

Modules: files (walk, names, encodings, size limits), frontmatter (YAML with line
numbers), schema (the fields of each kind, validation); this module joins them into
the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..report import Report
from .files import (BIDI_LINES_REPORTED, BIDI_RE, PAGE_HINT, TooBig, decode, display_path, kind_of,
                    read_bytes_limited, read_text, readable, report_too_big, size_text, strip_bidi,
                    undecodable_name, walk)
from .frontmatter import (END_RE, FRONT_RE, MAX_FRONT_MATTER_BYTES, MAX_YAML_BYTES, MAX_YAML_DEPTH,
                          YamlRefused, _Loader, compose_yaml, construct_yaml, parse_front_matter,
                          report_refused, split_front_matter)
from .schema import (ALBUM_FIELDS, KINDS, PAGE_FIELDS, PERSON_FIELDS, PLAN_FIELDS, SCHEMAS, TYPE_NAMES, Field,
                     validate)

__all__ = [
    "ALBUM_FIELDS", "BIDI_LINES_REPORTED", "BIDI_RE", "END_RE", "FRONT_RE", "KINDS", "MAX_FRONT_MATTER_BYTES",
    "MAX_PAGE_BYTES", "MAX_YAML_BYTES", "MAX_YAML_DEPTH", "PAGE_FIELDS", "PAGE_HINT", "PERSON_FIELDS",
    "PLAN_FIELDS", "SCHEMAS", "SLUG_RE", "TYPE_NAMES", "ContentIndex", "Field", "Source", "TooBig",
    "YamlRefused", "_Loader", "check_name", "compose_yaml", "construct_yaml", "decode", "display_path",
    "kind_of", "load", "page_url", "parse_front_matter", "read_bytes_limited", "read_source", "read_text",
    "readable", "report_refused", "report_too_big", "same_url", "size_text", "split_front_matter",
    "strip_bidi", "undecodable_name", "validate", "walk",
]

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Size limits, in bytes. A work plan is tens of KB; an imported compilation of a
# thousand plans is split into pages of that size. The limits stop a pasted e-book or a
# generated file from taking the build down, far above anything an editor writes.
MAX_PAGE_BYTES = 2 * 1024 * 1024  # one Markdown page, front matter included


@dataclass
class Source:
    """One Markdown file as the editor wrote it, with validated front matter."""

    rel: str  # path relative to site_src, POSIX style: "plans/plan-01.md"
    display: str  # what messages show: "site_src/plans/plan-01.md"
    kind: str
    meta: dict[str, Any]
    lines: dict[str, int]  # front-matter key -> 1-based line number in the file
    body: str
    body_line: int  # 1-based line number of the first body line
    text: str  # the whole file, decoded

    @property
    def slug(self) -> str:
        parts = self.rel.split("/")
        if self.kind == "album":
            return parts[-2]
        return parts[-1].rsplit(".", 1)[0]

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


@dataclass
class ContentIndex:
    """Everything in site_src/ that the build accepted, plus what it refused."""

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)  # rel -> Source (Markdown)
    files: list[str] = field(default_factory=list)  # every safe regular file, rel paths
    refused: set[str] = field(default_factory=set)  # rel paths never to read or publish
    report: Report = field(default_factory=Report)

    def of_kind(self, kind: str) -> list[Source]:
        return [s for s in self.sources.values() if s.kind == kind]


def read_source(root: Path, rel: str, report: Report) -> Source | None:
    """Read and validate one Markdown file; None (with problems reported) if unusable."""
    display = display_path(root, rel)
    text = read_text(root / rel, display, report, MAX_PAGE_BYTES)
    if text is None:
        return None
    text = strip_bidi(text.replace("\r\n", "\n"), display, report)
    parsed = parse_front_matter(text, display, report)
    if parsed is None:
        return None
    meta, lines, body, body_line = parsed
    kind = kind_of(rel)
    clean = validate(meta, lines, kind, display, report)
    if clean is None:
        return None
    return Source(rel, display, kind, clean, lines, body, body_line, text)


def check_name(rel: str, display: str, report: Report) -> bool:
    """Slugs and file names are ASCII: the Chinese lives in title/name."""
    for part in rel.split("/"):
        if not SLUG_RE.match(part):
            suggestion = re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") or "page"
            report.add("CONTENT008", display, name=part, suggestion=suggestion)
            return False
    return True


def page_url(rel: str) -> str:
    """The folder URL MkDocs gives a Markdown page (use_directory_urls, the default):
    both plans/x.md and plans/x/index.md become plans/x/."""
    stem = rel[: -len(".md")]
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{head}/" if head else ""
    return f"{stem}/"


def same_url(files: list[str], root: Path, report: Report) -> set[str]:
    """Markdown files that would be published at the same URL, each reported; all of them.

    MkDocs writes such pages to one index.html and one silently replaces the other,
    under the other's title. Neither is published: which one was meant is the editor's
    call, not the file system's order.
    """
    by_url: dict[str, list[str]] = {}
    for rel in files:
        if rel.endswith(".md"):
            by_url.setdefault(page_url(rel), []).append(rel)
    clashes: set[str] = set()
    for url, rels in by_url.items():
        if len(rels) < 2:
            continue
        for rel in rels:
            others = "」「".join(display_path(root, o) for o in rels if o != rel)
            report.add("CONTENT009", display_path(root, rel), None, other=others, url=url or "/")
        clashes.update(rels)
    return clashes


def load(root: Path) -> ContentIndex:
    """Walk `root` (site_src/) and build the content index with its problem report."""
    root = Path(root)
    index = ContentIndex(root)
    report = index.report
    files, refused = walk(root, report)
    index.refused |= refused
    for rel in refused:
        report.skip(display_path(root, readable(rel)))
    clashes = same_url(files, root, report)
    for rel in files:
        display = display_path(root, rel)
        if rel in clashes or (rel.endswith(".md") and not check_name(rel, display, report)):
            index.refused.add(rel)
            report.skip(display)
            continue
        index.files.append(rel)
        if not rel.endswith(".md"):
            continue
        source = read_source(root, rel, report)
        if source is None:
            index.refused.add(rel)
            report.skip(display)
            continue
        index.sources[rel] = source
    return index
