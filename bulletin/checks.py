"""Every check that runs on the sources, shared by the build and `bulletin check`.

The build and the check must never disagree, so both call `check_index`.
"""

from __future__ import annotations

from pathlib import Path

from . import content, plans
from .report import Report


def check_index(index: content.ContentIndex) -> None:
    """Run the per-kind checks on a loaded index; problems go to index.report."""
    plans.collect(index)


def check_sources(docs_dir: Path, config=None) -> Report:
    """Load and check site_src/ without building; returns the report."""
    index = content.load(docs_dir)
    check_index(index)
    return index.report
