"""Every check that runs on the sources, shared by the build and `bulletin check`.

The build and the check must never disagree, so both call `prepare`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import albums, content, people, plans, safeinput
from .report import Report


@dataclass
class Prepared:
    """What the per-kind modules made of the content index."""

    index: content.ContentIndex
    plans: list[plans.Plan] = field(default_factory=list)
    roll: people.Roll = field(default_factory=lambda: people.Roll([], []))
    albums: list[albums.Album] = field(default_factory=list)


def prepare(index: content.ContentIndex) -> Prepared:
    """Safety checks first (they take bad pages out of the index), then plans, people, albums.

    Problems go to index.report.
    """
    safeinput.check_safety(index)
    return Prepared(index, plans.collect(index), people.review(index), albums.collect(index, index.report))


def check_sources(docs_dir: Path, config=None) -> Report:
    """Load and check site_src/ without building; returns the report."""
    index = content.load(docs_dir)
    prepare(index)
    return index.report
