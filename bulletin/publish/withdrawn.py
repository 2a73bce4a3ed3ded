"""Who a built site shows: the people pages in a site folder, checked against those withheld now.

A site folder kept for `bulletin rollback` must not bring back a person who withdrew;
publish asks here before it keeps site.prev and before it rolls back to it.
"""

from __future__ import annotations

import gzip
import html
import re
import urllib.parse
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..people import Withheld


BINARY = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".ico", ".woff", ".woff2", ".ttf", ".pdf")


def withheld_now(docs_dir: Path) -> list["Withheld"]:
    """Everyone site_src/ withholds today for want of consent (people.Roll.avoided()).

    Runs the same checks as a build (checks.prepare), so rollback and build never disagree
    about who that is; the problems it finds are not reported here.
    """
    from .. import checks, content

    return checks.prepare(content.load(Path(docs_dir))).roll.avoided()


def _profile_slugs(site: Path) -> set[str]:
    """Slugs of the profile pages in a built site: people/<slug>/index.html in any variant."""
    from ..people import category_by_slug

    found = set()
    for page in site.rglob("people/*/index.html"):
        slug = page.parent.name
        if not category_by_slug(slug):
            found.add(slug)
    return found


def _text(path: Path) -> str:
    """A built file's text with every way a name can be encoded undone: gzip (the search
    index, sitemap.xml.gz), JSON \\u escapes (the screen's data), HTML references, %-escapes."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    text = data.decode("utf-8", errors="ignore")
    if "\\u" in text:
        text += "\n" + re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    if "&" in text:
        text += "\n" + html.unescape(text)
    if "%" in text:
        text += "\n" + urllib.parse.unquote(text)
    return text


def people_in(site: Path, withheld: Iterable["Withheld"]) -> list[str]:
    """Each withheld person `site` still shows — their profile URL as a folder or a link, or
    their name (any script) in any file — as a line for the maintainer: who, why, which file."""
    from ..people import REASONS, name_forms

    withheld = list(withheld)
    if not withheld or not Path(site).is_dir():
        return []
    needles: dict[str, list[str]] = {}
    for person in withheld:
        why = REASONS.get(person.reason, "不发布").removeprefix("的")
        label = f"{person.name or person.url}（{why}，见 site_src/{person.rel}）"
        forms = name_forms(person.name, person.name_hant) if person.name and len(person.name) >= 2 else set()
        specific = person.url.startswith("people/") or person.url.count("/") >= 2  # not "news/"
        needles[label] = sorted(forms | ({person.url} if specific else set()))
    found: list[str] = []
    files = sorted(p for p in Path(site).rglob("*") if p.is_file() and not p.is_symlink())
    for path in files:
        rel = path.relative_to(site).as_posix()
        text = rel if rel.lower().endswith(BINARY) else rel + "\n" + _text(path)
        for label, forms in needles.items():
            if label not in found and any(form in text for form in forms):
                found.append(label)
        if len(found) == len(needles):
            break
    return found


def stale_people(live: Path, new: Path, withheld: Iterable["Withheld"] = ()) -> list[str]:
    """What the live site (about to become site.prev) shows that the new build leaves out:
    profile URLs the new build no longer has, and any trace of the `withheld` people."""
    if not Path(live).is_dir():
        return []
    gone = [f"people/{slug}/" for slug in sorted(_profile_slugs(live) - _profile_slugs(new))]
    return gone + people_in(live, withheld)
