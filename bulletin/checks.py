"""Every check that runs on the sources, shared by the build and `bulletin check`.

The build and the check must never disagree, so both call `prepare`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import albums, content, people, plans, safeinput, script
from .report import Report


@dataclass
class Prepared:
    """What the per-kind modules made of the content index."""

    index: content.ContentIndex
    plans: list[plans.Plan] = field(default_factory=list)
    roll: people.Roll = field(default_factory=lambda: people.Roll([], []))
    albums: list[albums.Album] = field(default_factory=list)


def prepare(index: content.ContentIndex) -> Prepared:
    """Safety checks first (they take bad pages out of the index), then people, plans, albums.

    Problems go to index.report.
    """
    safeinput.check_safety(index)
    roll = people.review(index)  # first: it takes out pages that still name a withheld person
    return Prepared(index, plans.collect(index), roll, albums.collect(index, index.report))


def lexicon(index: content.ContentIndex, roll: people.Roll, glossary: str, prefer: str) -> script.Lexicon:
    """The site glossary (site_src/glossary.yml) plus every published person's name."""
    found = script.load_glossary(index.root / glossary, content.display_path(index.root, glossary),
                                 index.report, prefer=prefer)
    for person in roll.people:
        found.add_name(person.name, person.name_hant, where=person.source.display, prefer=prefer)
    for entry in found.rejected:
        path, _, line = entry.where.rpartition(":")
        path, line = (path, int(line)) if line.isdigit() else (entry.where, None)
        form = next(f for f in entry.forms.values() if set(f) & set("<>&\"'"))
        index.report.add("SCRIPT009", path, line, form=form)
    return found


def risky_conversions(index: content.ContentIndex, converters: dict[str, script.Converter], prefer: str) -> int:
    """SCRIPT008 for each character with several forms in another script, per page and line.

    converters: variant label -> its Converter. The build and `bulletin check` both call
    this, so they list the same warnings.
    """
    count = 0
    for source in index.sources.values():
        written_in = script.detect_script(source.body, prefer) or "zh-Hans"
        for label, converter in converters.items():
            if converter.target != "zh-Hans":
                count += len(script.report_risky(index.report, source.display, source.body, source.body_line,
                                                 written_in, converter, label, prefer))
    return count


def check_sources(docs_dir: Path, config=None) -> Report:
    """Load and check site_src/ without building; returns the report.

    With the MkDocs `config` of a site that uses the plugin, risky conversions into each
    other script variant are listed too.
    """
    index = content.load(docs_dir)
    prepared = prepare(index)
    plugin = config.plugins.get("bulletin") if config is not None else None
    if plugin is not None:
        from .variants import as_variants, preferred_traditional

        variants = as_variants([dict(v) for v in plugin.config.variants], plugin.config.default_variant)
        prefer = preferred_traditional(variants)
        words = lexicon(index, prepared.roll, plugin.config.glossary, prefer)
        risky_conversions(index, {v.label: script.Converter(v.code, glossary=words, phrases=v.phrases, prefer=prefer)
                                  for v in variants}, prefer)
    return index.report
