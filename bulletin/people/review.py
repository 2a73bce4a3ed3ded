"""Reading profiles: validation, consent and expiry, and mentions of withheld people."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any, Iterator

from ..content import ContentIndex, Source, parse_front_matter
from ..plans import parse_date
from ..report import Problem, Report
from .model import (ADULT_AGE, BIRTH_KEYS, CATEGORIES, CONSENT_KEYS, PORTRAIT_SUFFIXES, REASONS, SUMMARY_MAX,
                    Consent, Person, Roll, Withheld, category_by_slug, normalise_category, parse_honored,
                    to_simplified)


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


# Keys that name a withdrawal, matched after `_norm_key` (NFKC, lower case, Simplified,
# no spaces or punctuation): a fragment anywhere in the key, or a close typo of one.
WITHDRAWAL_FRAGMENTS = ("withdr", "revok", "revoc", "retract", "rescind", "optout", "cancel",
                        "撤", "收回", "取消", "退出", "不同意", "不再同意")
WITHDRAWAL_WORDS = ("withdrawn", "withdraw", "withdrawal", "revoked", "revoke")


def _norm_key(key: Any) -> str:
    text = to_simplified().convert(unicodedata.normalize("NFKC", str(key)).casefold())
    return re.sub(r"[\s_\-.·:：]+", "", text)


def is_withdrawal_key(key: Any) -> bool:
    """Does a front-matter key name a withdrawal of consent, in either script or misspelt?"""
    norm = _norm_key(key)
    if not norm:
        return False
    if any(fragment in norm for fragment in WITHDRAWAL_FRAGMENTS):
        return True
    return bool(difflib.get_close_matches(norm, WITHDRAWAL_WORDS, n=1, cutoff=0.8))


def raw_front_matter(source: Source) -> dict:
    """The front matter as written, unknown keys included (validation drops those from `meta`)."""
    parsed = parse_front_matter(source.text, source.display, Report())
    return parsed[0] if parsed and isinstance(parsed[0], dict) else {}


def _withdrawal_keys(raw: dict) -> Iterator[tuple[str, ...]]:
    """Paths (top key, …, key) of every key naming a withdrawal, at any depth, except the one
    documented place, consent.withdrawn."""

    def walk(value: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if isinstance(value, dict):
            for key, inner in value.items():
                here = path + (str(key),)
                if is_withdrawal_key(key) and here != ("consent", "withdrawn"):
                    yield here
                yield from walk(inner, here)
        elif isinstance(value, list):
            for inner in value:
                yield from walk(inner, path)

    yield from walk(raw, ())


def _path_line(source: Source, path: tuple[str, ...]) -> int | None:
    if len(path) == 1:
        return source.line_of(path[0])
    return _sub_line(source, path[0], path[1])


def _forget_unknown_key(index: ContentIndex, source: Source, line: int | None) -> None:
    """Drop content's "unknown/empty key, ignored" warning for a line we read as a withdrawal.

    The key is not ignored (it withholds the person), and a warning would make `--strict`
    fail the very build that takes the person off the site.
    """
    index.report.problems[:] = [
        p for p in index.report.problems
        if not (p.path == source.display and p.line == line and p.code in ("CONTENT003", "CONTENT010"))]


def _mention_ok(raw: dict) -> tuple[str, ...]:
    """consent.mention_ok as rel paths: a page or a list of pages the person agreed may name them."""
    consent = raw.get("consent")
    value = consent.get("mention_ok") if isinstance(consent, dict) else None
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    found = []
    for item in items:
        if isinstance(item, str) and item.strip():
            rel = item.strip().lstrip("./")
            rel = rel.split("/", 1)[1] if rel.startswith("site_src/") else rel
            found.append(rel.rstrip("/"))
    return tuple(found)


def _read_withdrawal(source: Source, index: ContentIndex, raw: dict, name: str) -> bool:
    """Report a withdrawal written anywhere in the front matter; True if there is one.

    consent.withdrawn is the documented place (PERSON006); `withdrawn: false` there is the
    one way to say "not withdrawn". Any other key naming a withdrawal — at the top level,
    misspelt, in Traditional — is read as the withdrawal it means (PERSON018), never as a
    typo to ignore: withholding is what the editor wanted.
    """
    report = index.report
    consent = raw.get("consent")
    if isinstance(consent, dict) and "withdrawn" in consent and consent["withdrawn"] is not False:
        when = _as_date(consent["withdrawn"])
        report.add("PERSON006", source.display, _sub_line(source, "consent", "withdrawn"),
                   name=name, when=f"于 {when.isoformat()} " if when else "")
        return True
    elsewhere = list(_withdrawal_keys(raw))
    for path in elsewhere:
        line = _path_line(source, path)
        if len(path) == 1:
            _forget_unknown_key(index, source, line)
        report.add("PERSON018", source.display, line, name=name, key=".".join(path))
    return bool(elsewhere)


def _read_consent(source: Source, report: Report, today: dt.date) -> tuple[Consent | None, str | None]:
    """(consent, None) when publication is agreed and in force, else (None, reason) with a problem
    reported. Closed by default: a key it does not know, a date it cannot read or a date still to
    come withholds the person."""
    raw = source.meta.get("consent")
    display = source.display
    if not isinstance(raw, dict) or not raw:
        report.add("PERSON004", display, source.line_of("consent") or 1)
        return None, "no-consent"
    unknown = [str(key) for key in raw if str(key) not in CONSENT_KEYS]
    for key in unknown:
        close = difflib.get_close_matches(key.lower(), list(CONSENT_KEYS), n=1, cutoff=0.6)
        report.add("PERSON015", display, _sub_line(source, "consent", key), key=key,
                   hint=f"是不是「{close[0]}」？" if close else "")
    if unknown:
        return None, "unclear"
    for key in ("by", "date"):
        if raw.get(key) in (None, ""):
            report.add("PERSON005", display, source.line_of("consent"), key=key, label=CONSENT_KEYS[key])
            return None, "no-consent"
    date = _as_date(raw["date"])
    if date is None:
        report.add("PERSON016", display, _sub_line(source, "consent", "date"),
                   label="同意日期", key="consent.date", value=raw["date"])
        return None, "unclear"
    if date > today:
        report.add("PERSON019", display, _sub_line(source, "consent", "date"),
                   date=date.isoformat(), today=today.isoformat())
        return None, "unclear"
    show = raw.get("show_portrait", False)
    if not isinstance(show, bool):
        report.add("PERSON017", display, _sub_line(source, "consent", "show_portrait"), value=show)
        show = False
    return Consent(by=str(raw["by"]).strip(), date=date, show_portrait=show,
                   guardian=str(raw.get("guardian") or "").strip()), None


def _read_minor(source: Source, report: Report, name: str, consent: Consent,
                today: dt.date) -> tuple[bool, str | None]:
    """(is a minor, None) if the person may be published as far as age goes, else (…, reason).

    `minor: true`, an age under 18 or a birth date less than 18 years ago all make the person
    a minor, who needs `consent.guardian`; an age or birth date that cannot be read withholds.
    """
    meta = source.meta
    minor = bool(meta.get("minor", False))
    what, where = "", "minor"  # why they count as a minor, and the key that says so
    if "age" in meta:
        age = meta["age"]  # content checked it is an int
        if not 0 <= age <= 130:
            report.add("PERSON021", source.display, source.line_of("age"), label="年龄", key="age", value=age)
            return True, "unclear"
        if age < ADULT_AGE:
            minor, what, where = True, f"年龄写的是 {age} 岁", "age"
    for key in BIRTH_KEYS:
        if key not in meta:
            continue
        born = _as_date(meta[key])
        if born is None or born > today or today.year - born.year > 130:
            report.add("PERSON021", source.display, source.line_of(key), label="出生日期", key=key, value=meta[key])
            return True, "unclear"
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < ADULT_AGE and not what:
            minor, what, where = True, f"出生于 {born.isoformat()}", key
    if minor and not consent.guardian:
        if what:
            report.add("PERSON020", source.display, source.line_of(where), name=name, what=what)
        else:
            report.add("PERSON007", source.display, source.line_of("minor"), name=name)
        return True, "minor"
    return minor, None


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
        return Withheld(source.rel, name, reason, hant, _mention_ok(raw))

    if _read_withdrawal(source, index, raw, name):
        return withheld("withdrawn")
    consent, reason = _read_consent(source, report, today)
    if consent is None:
        return withheld(reason or "no-consent")
    minor, reason = _read_minor(source, report, name, consent, today)
    if reason:
        return withheld(reason)
    until = None
    if "until" in meta:
        until = _as_date(meta["until"])
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
        found.append(Withheld(rel, name or None, "misplaced", hant, _mention_ok(raw)))
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
