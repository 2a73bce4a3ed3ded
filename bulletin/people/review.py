"""Reading profiles: validation, consent and expiry, and mentions of withheld people."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import PurePosixPath
from typing import Any

from ..content import ContentIndex, Source
from ..plans import parse_date
from ..report import Problem, Report
from .model import (CATEGORIES, CONSENT_KEYS, PORTRAIT_SUFFIXES, REASONS, SUMMARY_MAX, Consent, Person, Roll,
                    Withheld, category_by_slug, normalise_category, parse_honored, to_simplified)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(value) if isinstance(value, str) else None


def _sub_line(source: Source, key: str, sub: str) -> int | None:
    """Line of `sub` inside the map under `key` (block or flow style); else the key's line."""
    start = source.line_of(key)
    if start is None:
        return None
    lines = source.text.split("\n")
    pattern = re.compile(rf"(?:^\s+|[{{,]\s*){re.escape(sub)}\s*:")
    if pattern.search(lines[start - 1].split(":", 1)[1] if ":" in lines[start - 1] else ""):
        return start
    for number in range(start, len(lines)):
        line = lines[number]
        if not line.strip():
            continue
        if not line[0].isspace():
            break
        if pattern.match(line):
            return number + 1
    return start


def _read_consent(source: Source, report: Report, name: str, minor: bool) -> tuple[Consent | None, str | None]:
    """(consent, None) when publication is agreed, else (None, reason) with a problem reported."""
    raw = source.meta.get("consent")
    display = source.display
    if not isinstance(raw, dict) or not raw:
        report.add("PERSON004", display, source.line_of("consent") or 1)
        return None, "no-consent"
    for key in raw:
        if str(key) not in CONSENT_KEYS:
            report.add("PERSON015", display, _sub_line(source, "consent", str(key)), key=key)
    withdrawn = raw.get("withdrawn")
    if withdrawn not in (None, False, ""):
        when = _as_date(withdrawn)
        report.add("PERSON006", display, _sub_line(source, "consent", "withdrawn"),
                   name=name, when=f"于 {when.isoformat()} " if when else "")
        return None, "withdrawn"
    for key in ("by", "date"):
        if raw.get(key) in (None, ""):
            report.add("PERSON005", display, source.line_of("consent"), key=key, label=CONSENT_KEYS[key])
            return None, "no-consent"
    date = _as_date(raw["date"])
    if date is None:
        report.add("PERSON016", display, _sub_line(source, "consent", "date"),
                   label="同意日期", key="consent.date", value=raw["date"])
        return None, "invalid"
    guardian = str(raw.get("guardian") or "").strip()
    if minor and not guardian:
        report.add("PERSON007", display, source.line_of("minor"), name=name)
        return None, "minor"
    show = raw.get("show_portrait", False)
    if not isinstance(show, bool):
        report.add("PERSON017", display, _sub_line(source, "consent", "show_portrait"), value=show)
        show = False
    return Consent(by=str(raw["by"]).strip(), date=date, show_portrait=show, guardian=guardian), None


def _read_portrait(source: Source, index: ContentIndex, report: Report) -> tuple[str | None, bool]:
    """(rel of the original or None, ok). A named photo that is not there is an error."""
    value = source.meta.get("portrait")
    if not value:
        return None, True
    line = source.line_of("portrait")
    rel = str(PurePosixPath(source.rel).parent / str(value).strip())
    if (".." in PurePosixPath(str(value)).parts or "/" in str(value)
            or not rel.lower().endswith(PORTRAIT_SUFFIXES)):
        report.add("PERSON012", source.display, line, portrait=value)
        return None, False
    if rel not in index.files:
        report.add("PERSON009", source.display, line, portrait=value, expected=f"{index.root.name}/{rel}")
        return None, False
    return rel, True


def _read_focus(source: Source, report: Report) -> tuple[float, float]:
    value = source.meta.get("focus")
    if value is None:
        return (0.5, 0.5)
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in value)):
        return (float(value[0]), float(value[1]))
    report.add("PERSON010", source.display, source.line_of("focus"), value=value)
    return (0.5, 0.5)


def _read_person(source: Source, index: ContentIndex, today: dt.date) -> Person | Withheld:
    """A Person, or Withheld with its reason. Consent and expiry are read first: a withheld
    profile gets only that warning, so fixing its details can never hold up the next build
    (which is what takes the person off the site)."""
    report = index.report
    meta = source.meta
    display = source.display
    name = str(meta["name"])

    minor = bool(meta.get("minor", False))
    consent, reason = _read_consent(source, report, name, minor)
    if consent is None:
        return Withheld(source.rel, name, reason or "no-consent")
    until = None
    if "until" in meta:
        until = _as_date(meta["until"])
        if until is None:
            report.add("PERSON016", display, source.line_of("until"),
                       label="展示截止日期", key="until", value=meta["until"])
            return Withheld(source.rel, name, "invalid")
        if today > until:
            report.add("PERSON008", display, source.line_of("until"), until=until.isoformat())
            return Withheld(source.rel, name, "expired")

    ok = True
    clash = category_by_slug(source.slug)
    if clash:
        report.add("PERSON013", display, 1, slug=source.slug, category=clash.name)
        ok = False
    category = normalise_category(meta["category"])
    if category is None:
        close = difflib.get_close_matches(to_simplified().convert(str(meta["category"])),
                                          [c.name for c in CATEGORIES], n=1, cutoff=0.5)
        report.add("PERSON001", display, source.line_of("category"), value=meta["category"],
                   hint=f"是不是「{close[0]}」？" if close else "")
        ok = False
    honored = parse_honored(meta["honored"])
    if honored is None:
        report.add("PERSON002", display, source.line_of("honored"), value=meta["honored"])
        ok = False
    summary = str(meta["summary"])
    if len(summary) > SUMMARY_MAX:
        report.add("PERSON003", display, source.line_of("summary"), length=len(summary), limit=SUMMARY_MAX)
        ok = False
    portrait, portrait_ok = _read_portrait(source, index, report)
    ok = ok and portrait_ok
    focus = _read_focus(source, report)
    if not ok:
        return Withheld(source.rel, name, "invalid")
    if portrait and not consent.show_portrait:
        if "show_portrait" not in meta["consent"]:
            report.add("PERSON011", display, source.line_of("portrait"), portrait=meta["portrait"])
        portrait = None
    return Person(
        slug=source.slug, source=source, name=name, category=category, honored=honored,
        summary=summary, consent=consent, name_hant=meta.get("name_hant") or None,
        community=str(meta.get("community", "")), portrait=portrait, focus=focus, minor=minor,
        until=until, tags=list(meta.get("tags", [])),
    )


def review(index: ContentIndex, today: dt.date | None = None, *, check_mentions: bool = True) -> Roll:
    """Read every profile in the index; problems go to index.report.

    Returns the Roll: published people (latest month first, then category order) and the
    withheld profiles. A profile another check has already skipped (privacy.scan_index
    found an ID or mobile number in it) is withheld too, so run those checks first.
    With `check_mentions`, every other page that still names a person withheld for lack
    of consent gets a PERSON014 warning, so the build and `bulletin check` point at the
    same lines.
    """
    today = today or dt.date.today()
    people: list[Person] = []
    withheld: list[Withheld] = []
    for source in sorted(index.of_kind("person"), key=lambda s: s.rel):
        if source.display in index.report.skipped:
            withheld.append(Withheld(source.rel, str(source.meta.get("name") or "") or None, "invalid"))
            continue
        outcome = _read_person(source, index, today)
        if isinstance(outcome, Person):
            people.append(outcome)
        else:
            withheld.append(outcome)
            index.report.skip(source.display)
    for rel in sorted(index.refused):
        if rel.startswith("people/") and rel.endswith(".md"):
            withheld.append(Withheld(rel, None, "invalid"))
    order = {c.slug: i for i, c in enumerate(CATEGORIES)}
    people.sort(key=lambda p: (-int(p.honored.replace("-", "")), order[p.category.slug], p.slug))
    roll = Roll(people, withheld)
    if check_mentions:
        skip = {w.rel for w in withheld}
        index.report.problems.extend(mentions(index, roll.names_to_avoid(), skip=skip, roll=roll))
    return roll


def collect(index: ContentIndex, today: dt.date | None = None) -> list[Person]:
    """The published people only (see `review` for the withheld ones)."""
    return review(index, today).people


def mentions(index: ContentIndex, withdrawn_names: list[str], *, skip: set[str] = frozenset(),
             roll: Roll | None = None) -> list[Problem]:
    """PERSON014 warnings for every line of every other page that still names a withheld person.

    Looks through each Markdown source (plan text, album captions in front matter, other
    profiles, ordinary pages) in either script. Names shorter than two characters are
    ignored: one character matches too much ordinary text.
    """
    names = [n for n in withdrawn_names if len(n) >= 2]
    if not names:
        return []
    reasons = {w.name: REASONS[w.reason] for w in (roll.withheld if roll else [])}
    scratch = Report()
    convert = to_simplified().convert
    for rel in sorted(index.sources):
        if rel in skip:
            continue
        source = index.sources[rel]
        lines = source.text.split("\n")
        simplified = convert(source.text).split("\n")  # one call per page; OpenCC keeps line breaks
        if len(simplified) != len(lines):
            simplified = [convert(line) for line in lines]
        for number, (line, plain) in enumerate(zip(lines, simplified), start=1):
            for name in names:
                if name in line or name in plain:
                    scratch.add("PERSON014", source.display, number, name=name,
                                reason=reasons.get(name, "没有同意发布"))
    return scratch.problems

