"""The consent record, read closed by default.

A profile is published only when its record is complete, valid and in force: a key the
reader does not know, a date it cannot read or a date still to come withholds the person,
and so does a withdrawal written anywhere in the front matter (the documented
consent.withdrawn, a top-level `withdrawn:`, `revoked:`, 撤回/撤銷, a misspelling), and an
age or birth date under 18 without a guardian's name. Each function reports what it finds
to the index's report and says whether (and why) the person is withheld.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from typing import Any, Iterator

from ..content import ContentIndex, Source, parse_front_matter
from ..dates import parse_date
from ..report import Report
from .model import ADULT_AGE, BIRTH_KEYS, CONSENT_KEYS, Consent, to_simplified


def sub_line(source: Source, key: str, sub: str) -> int | None:
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
    return sub_line(source, path[0], path[1])


def _forget_unknown_key(index: ContentIndex, source: Source, line: int | None) -> None:
    """Drop content's "unknown/empty key, ignored" warning for a line we read as a withdrawal.

    The key is not ignored (it withholds the person), and a warning would make `--strict`
    fail the very build that takes the person off the site.
    """
    index.report.problems[:] = [
        p for p in index.report.problems
        if not (p.path == source.display and p.line == line and p.code in ("CONTENT003", "CONTENT010"))]


def mention_ok(raw: dict) -> tuple[str, ...]:
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


def read_withdrawal(source: Source, index: ContentIndex, raw: dict, name: str) -> bool:
    """Report a withdrawal written anywhere in the front matter; True if there is one.

    consent.withdrawn is the documented place (PERSON006); `withdrawn: false` there is the
    one way to say "not withdrawn". Any other key naming a withdrawal — at the top level,
    misspelt, in Traditional — is read as the withdrawal it means (PERSON018), never as a
    typo to ignore: withholding is what the editor wanted.
    """
    report = index.report
    consent = raw.get("consent")
    if isinstance(consent, dict) and "withdrawn" in consent and consent["withdrawn"] is not False:
        when = parse_date(consent["withdrawn"])
        report.add("PERSON006", source.display, sub_line(source, "consent", "withdrawn"),
                   name=name, when=f"于 {when.isoformat()} " if when else "")
        return True
    elsewhere = list(_withdrawal_keys(raw))
    for path in elsewhere:
        line = _path_line(source, path)
        if len(path) == 1:
            _forget_unknown_key(index, source, line)
        report.add("PERSON018", source.display, line, name=name, key=".".join(path))
    return bool(elsewhere)


def read_consent(source: Source, report: Report, today: dt.date) -> tuple[Consent | None, str | None]:
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
        report.add("PERSON015", display, sub_line(source, "consent", key), key=key,
                   hint=f"是不是「{close[0]}」？" if close else "")
    if unknown:
        return None, "unclear"
    for key in ("by", "date"):
        if raw.get(key) in (None, ""):
            report.add("PERSON005", display, source.line_of("consent"), key=key, label=CONSENT_KEYS[key])
            return None, "no-consent"
    date = parse_date(raw["date"])
    if date is None:
        report.add("PERSON016", display, sub_line(source, "consent", "date"),
                   label="同意日期", key="consent.date", value=raw["date"])
        return None, "unclear"
    if date > today:
        report.add("PERSON019", display, sub_line(source, "consent", "date"),
                   date=date.isoformat(), today=today.isoformat())
        return None, "unclear"
    show = raw.get("show_portrait", False)
    if not isinstance(show, bool):
        report.add("PERSON017", display, sub_line(source, "consent", "show_portrait"), value=show)
        show = False
    return Consent(by=str(raw["by"]).strip(), date=date, show_portrait=show,
                   guardian=str(raw.get("guardian") or "").strip()), None


def read_minor(source: Source, report: Report, name: str, consent: Consent,
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
        born = parse_date(meta[key])
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
