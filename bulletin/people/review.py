"""Reading profiles: validation, expiry, profiles out of place, and mentions of withheld people.

The consent record itself is read in consent.py."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import PurePosixPath

from ..content import ContentIndex, Source
from ..dates import parse_date
from ..report import Problem, Report
from ..script import detect_script
from .consent import (is_withdrawal_key, mention_ok, raw_front_matter, read_consent, read_minor,
                      read_withdrawal)
from .model import (CATEGORIES, PORTRAIT_SUFFIXES, REASONS, SUMMARY_MAX, Person, Roll, Withheld,
                    category_by_slug, normalise_category, parse_honored, to_simplified)


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
    raw = raw_front_matter(source)
    hant = str(meta.get("name_hant") or "") or None

    def withheld(reason: str) -> Withheld:
        return Withheld(source.rel, name, reason, hant, mention_ok(raw))

    if read_withdrawal(source, index, raw, name):
        return withheld("withdrawn")
    consent, reason = read_consent(source, report, today)
    if consent is None:
        return withheld(reason or "no-consent")
    minor, reason = read_minor(source, report, name, consent, today)
    if reason:
        return withheld(reason)
    until = None
    if "until" in meta:
        until = parse_date(meta["until"])
        if until is None:
            report.add("PERSON016", display, source.line_of("until"),
                       label="展示截止日期", key="until", value=meta["until"])
            return withheld("unclear")
        if today > until:
            report.add("PERSON008", display, source.line_of("until"), until=until.isoformat())
            return withheld("expired")

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
        return withheld("invalid")
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


def read_person(source: Source, index: ContentIndex, today: dt.date | None = None) -> Person | Withheld:
    """One profile read as `review` reads it (problems go to index.report)."""
    return _read_person(source, index, today or dt.date.today())


def profile_script(person: Person, prefer: str, **changed: str) -> str:
    """The script a profile is written in: its fields are most of its text, so they decide
    with the story. `changed`: new values of summary, community or body to judge instead."""
    text = {"name": person.name, "summary": person.summary, "community": person.community,
            "body": person.source.body} | changed
    return detect_script(" ".join(text.values()), prefer) or "zh-Hans"


def _refuse(index: ContentIndex, rel: str) -> None:
    """Take a page out of the build, as safeinput.check_safety does: never read or published."""
    source = index.sources.pop(rel, None)
    if rel in index.files:
        index.files.remove(rel)
    index.refused.add(rel)
    index.report.skip(source.display if source else f"{index.root.name}/{rel}")


def looks_like_profile(keys) -> list[str]:
    """Of a page's top-level front-matter keys, those that make it a honor-roll profile:
    `consent`, or `name` with a category, an honored month or a withdrawal. [] for an
    ordinary page (a `cancelled:` key on an event page is not a withdrawal of consent)."""
    keys = {str(k) for k in keys}
    found = {"consent"} & keys
    with_name = {k for k in keys if k in ("category", "honored") or is_withdrawal_key(k)}
    if "name" in keys and with_name:
        found |= {"name"} | with_name
    return sorted(found)


def refuse_misplaced(index: ContentIndex) -> list[Withheld]:
    """Refuse every page outside people/<slug>.md whose front matter looks like a profile.

    Consent is only ever checked for people/<slug>.md; a profile moved to archive/, plans/ or
    people/old/ would otherwise be an ordinary page, published without a look at its consent.
    Each is reported (PERSON022), taken out of the index and returned as withheld, so its name
    is kept out of every other page too. Reads the keys content.load recorded (unknown ones
    included), so an ordinary page costs no second parse.
    """
    found = []
    for rel in sorted(index.sources):
        source = index.sources[rel]
        if source.kind == "person":
            continue
        keys = looks_like_profile(source.lines)
        if not keys:
            continue
        line = min((source.line_of(k) or 1 for k in keys), default=1)
        index.report.add("PERSON022", source.display, line, keys="、".join(keys))
        raw = raw_front_matter(source)
        name = str(raw["name"]).strip() if isinstance(raw.get("name"), (str, int)) else ""
        hant = raw.get("name_hant") if isinstance(raw.get("name_hant"), str) else None
        found.append(Withheld(rel, name or None, "misplaced", hant, mention_ok(raw)))
        _refuse(index, rel)
    return found


def review(index: ContentIndex, today: dt.date | None = None, *, check_mentions: bool = True) -> Roll:
    """Read every profile in the index; problems go to index.report.

    Returns the Roll: published people (latest month first, then category order) and the
    withheld profiles. A profile another check has already skipped (privacy.scan_index
    found an ID or mobile number in it) is withheld too, so run those checks first.
    Pages outside people/ that look like profiles are refused first (`refuse_misplaced`).

    With `check_mentions`, every other page that still names a person withheld for want of
    consent (`Roll.avoided`) gets a PERSON014 error and is taken out of the index, so the
    name reaches no page, listing, search index or screen — unless the profile's
    consent.mention_ok lists that page. A published profile taken out this way is withheld
    too. Since it takes pages out of the index, run it before anything collects pages from
    the index: a plan plans.collect has already listed keeps its place in the plans index
    and on the screen.
    """
    today = today or dt.date.today()
    people: list[Person] = []
    withheld: list[Withheld] = refuse_misplaced(index)
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
        if rel.startswith("people/") and rel.endswith(".md") and rel not in {w.rel for w in withheld}:
            withheld.append(Withheld(rel, None, "invalid"))
    order = {c.slug: i for i, c in enumerate(CATEGORIES)}
    people.sort(key=lambda p: (-int(p.honored.replace("-", "")), order[p.category.slug], p.slug))
    roll = Roll(people, withheld)
    if check_mentions:
        problems = mentions(index, roll.names_to_avoid(), skip={w.rel for w in withheld}, roll=roll)
        index.report.problems.extend(problems)
        named = {_rel_of(index, p.path) for p in problems}
        for person in [p for p in roll.people if p.source.rel in named]:
            roll.people.remove(person)
            roll.withheld.append(Withheld(person.source.rel, person.name, "invalid", person.name_hant))
        for rel in sorted(named):
            _refuse(index, rel)
    return roll


def _rel_of(index: ContentIndex, display: str) -> str:
    prefix = f"{index.root.name}/"
    return display[len(prefix):] if display.startswith(prefix) else display


def collect(index: ContentIndex, today: dt.date | None = None) -> list[Person]:
    """The published people only (see `review` for the withheld ones)."""
    return review(index, today).people


def _allowed(rel: str, pages: tuple[str, ...]) -> bool:
    return any(rel == page or rel == f"{page}/index.md" or rel == f"{page}.md" for page in pages)


def mentions(index: ContentIndex, withdrawn_names: list[str], *, skip: set[str] = frozenset(),
             roll: Roll | None = None) -> list[Problem]:
    """PERSON014 errors for every line of every other page that still names a withheld person.

    Looks through each Markdown source, front matter included (plan text, album captions,
    tags, other profiles, ordinary pages) in either script, for the name and its name_hant.
    Names shorter than two characters are ignored: one character matches too much ordinary
    text. With `roll`, a page listed in the person's consent.mention_ok is not reported.
    """
    names = [n for n in withdrawn_names if len(n) >= 2]
    if not names:
        return []
    by_name = {w.name: w for w in (roll.avoided() if roll else []) if w.name}
    forms = {name: {name} | ({by_name[name].name_hant} if name in by_name and by_name[name].name_hant else set())
             for name in names}
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
                if not any(form in line or form in plain for form in forms[name]):
                    continue
                who = by_name.get(name)
                if who is not None and _allowed(rel, who.mention_ok):
                    continue
                scratch.add("PERSON014", source.display, number, name=name,
                            reason=REASONS[who.reason] if who else "没有同意发布",
                            profile=f"{index.root.name}/{who.rel}" if who else "其好人榜档案", rel=rel)
    return scratch.problems
