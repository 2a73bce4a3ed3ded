"""Slides from the site model (bulletin.model: plans, albums, people, notices), their QR
codes, and the play order. Each slide is a small dict.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import segno

from ..albums import Album, Photo
from ..dates import day_text, parse_date
from ..dates import month_text as _month_text
from ..model import Site
from ..people.model import CATEGORIES, Person
from ..plans import Plan
from ..script import detect_script
from .notices import notice_slides
from .options import KINDS, Settings, settings

# Keys of a slide whose values people read; only these are converted between scripts.
HUMAN_KEYS = ("title", "name", "category", "honored_text", "community", "summary", "caption",
              "location", "date_text", "text", "period_text", "points", "count_text", "year_text")

ROLL_SIZE = 3  # honorees on one honor-roll slide: a fourth leaves no room for a name on a portrait screen
MOSAIC_SIZE = 9  # photos in an album's mosaic
MOSAIC_WIDTH = 800  # the narrowest derivative a mosaic tile uses (a tile is at most half the screen)


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "").strip()


def month_text(value: Any) -> str:
    """"2026-11" -> "2026年11月"; anything else as written."""
    match = re.match(r"^(\d{4})-(\d{1,2})", _text(value))
    return _month_text(match[0]) if match else _text(value)


def date_text(value: Any) -> str:
    """A date as people read it: 2026年3月5日; placeholders (20xx年…) as written."""
    date = parse_date(value)
    return day_text(date) if date else _text(value)


def page_url(url: str, settings: Settings, prefix: str = "") -> str:
    """Where a QR code leads: site_url + variant prefix + the item's URL.

    Without a site_url the link is relative to the screen page (site/<prefix>/screen/),
    which keeps it correct when opened on the same host, but a phone needs site_url.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return url
    url = url.lstrip("/")
    if settings.site_url:
        return settings.site_url.rstrip("/") + "/" + prefix + url
    return "../" + url


_QR_STYLE = "m-border2-v1"  # part of the cache key: change it when the drawing changes


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, cache_dir: str = "") -> str:
    """An inline SVG QR code for `url` (error correction M, quiet zone of 2 modules).

    The SVG has a viewBox but no size, so the page's CSS sizes it. With `cache_dir`,
    codes are kept there between builds (one per variant and slide; drawing one takes
    about as long as building a page).
    """
    path = None
    if cache_dir:
        key = hashlib.sha256(f"{_QR_STYLE}\n{url}".encode()).hexdigest()[:32]
        path = Path(cache_dir) / f"{key}.svg"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    code = segno.make(url, error="m")
    svg = code.svg_inline(border=2, omitsize=True, dark="#000", light=None, svgclass="qr-code", lineclass=None)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.part")
            partial.write_text(svg, encoding="utf-8")
            os.replace(partial, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return svg


def headings(body: str, limit: int) -> list[str]:
    """The plan's h2 headings ("## 一、总体要求"), as plain text, at most `limit`."""
    points = []
    for line in body.splitlines():
        if line.startswith("## "):
            text = re.sub(r"\s*\{[#.][^}]*\}\s*$", "", line[3:]).strip().strip("#").strip()
            text = re.sub(r"[*_`]+", "", text)
            if text:
                points.append(text)
    return points[:limit]


def plan_slides(plans: Iterable[Plan], settings: Settings, prefer: str | None = None) -> list[dict]:
    """Plan highlights, newest first: title, issuing community, date, h2 headings.

    Variants of another plan are left out: the screen shows each plan once. Its script is
    the plan's own (`script`, decided with the rest of the site); only a plan without one
    is detected here, with the site's Traditional variant as `prefer`.
    """
    result = []
    for plan in plans:
        if plan.variant_of:
            continue
        body = plan.source.body
        result.append(_with_id({
            "kind": "plan", "url": plan.url, "title": _text(plan.title), "community": _text(plan.community),
            "date_text": plan.shown_date,
            "points": headings(body, settings.max_points),
            "script": plan.script or detect_script(_text(plan.title) + "\n" + body, prefer),
        }))
        if len(result) >= settings.plans:
            break
    return result


def _shown(people: Iterable[Person], today: dt.date):
    """Each person still shown today (not past their `until`)."""
    return [person for person in people if not (person.until and person.until < today)]


def _person_texts(person: Person) -> dict:
    """What a person's card and their place on the honor roll both show."""
    return {
        "name": _text(person.name), "category": _text(person.category),
        "community": _text(person.community), "summary": _text(person.summary),
        "image": _image_url(person.screen_image),
        "until": person.until.isoformat() if person.until else None,
        **({"script": person.script} if person.script else {}),
    }


def person_slides(people: Iterable[Person], settings: Settings, today: dt.date) -> list[dict]:
    """Honor-roll cards, the latest month first; a profile past its `until` date is left out.

    `until` also goes to the page, which stops showing the card on that day without a rebuild.
    """
    result = []
    for person in _shown(people, today):
        texts = _person_texts(person)
        result.append(_with_id({
            "kind": "person", "url": person.url, "name": texts.pop("name"), "category": texts.pop("category"),
            "honored": _text(person.honored), "honored_text": month_text(person.honored), **texts,
            # The profile's own fields are in its script; the category and month are the
            # site's words, always Simplified, whatever script the editor wrote in.
            "scripts": {"category": "zh-Hans", "honored_text": "zh-Hans"},
        }))
    result.sort(key=lambda s: s["name"])
    result.sort(key=lambda s: s["honored"], reverse=True)
    return result


def _newest_first(albums: Iterable[Album]) -> list[Album]:
    return sorted(albums, key=lambda a: _text(a.date), reverse=True)


def _built(album: Album) -> list[Photo]:
    """The album's photos that have a published derivative, in the album's order."""
    return [p for p in album.photos if _photo_image(p)]


def photo_slides(albums: Iterable[Album], settings: Settings) -> list[dict]:
    """Album photos with captions, newest album first, at most `photos_per_album` each."""
    result = []
    for album in _newest_first(albums):
        for photo in _built(album)[: settings.photos_per_album]:
            result.append(_with_id({
                "kind": "photo", "url": album.url, "title": _text(album.title),
                "caption": _text(photo.caption), "date_text": _text(album.date_text),
                "location": _text(album.location), "image": _photo_image(photo),
            }))
    return result


def _category_rank(name: str) -> int:
    """Where a category comes in the official order of the five."""
    names = [c.name for c in CATEGORIES]
    return names.index(name) if name in names else len(names)


def honor_roll_slides(people: Iterable[Person], settings: Settings, today: dt.date) -> list[dict]:
    """This month's honorees together (or, if this month has none yet, the latest month's), in the
    categories' official order, at most ROLL_SIZE to a slide, shared out evenly (a month of 4 makes
    slides of 2 and 2, of 7 slides of 3, 2 and 2).

    Only the people given are shown: the published roll, so a person without consent or whose
    consent was withdrawn cannot appear. Portraits only where the profile has a published one.
    A member past `until` is left out; `until` also goes to the page, which drops the member that
    day without a rebuild.
    """
    members = [{**_person_texts(person), "honored": _text(person.honored)[:7], "scripts": {"category": "zh-Hans"}}
               for person in _shown(people, today)]
    months = sorted({m["honored"] for m in members if re.match(r"^\d{4}-\d{2}$", m["honored"])})
    if not months:
        return []
    this_month = f"{today.year:04d}-{today.month:02d}"
    month = max((m for m in months if m <= this_month), default=months[-1])
    chosen = sorted((m for m in members if m["honored"] == month), key=lambda m: (_category_rank(m["category"]), m["name"]))
    for member in chosen:
        del member["honored"]
    parts = -(-len(chosen) // ROLL_SIZE)
    base, extra = divmod(len(chosen), parts)
    result, start = [], 0
    for part in range(parts):
        size = base + (part < extra)
        group, start = chosen[start:start + size], start + size
        untils = [m["until"] for m in group]
        result.append(_with_id({
            "kind": "honor_roll", "url": f"people/#month-{month}",
            "year_text": f"{month[:4]}年", "title": f"{int(month[5:])}月", "count_text": f"本期 {len(chosen)} 位",
            "members": group, "until": max(untils) if all(untils) else None,
            "script": "zh-Hans",  # the month and count are the site's words
        }))
    return result


def album_slides(albums: Iterable[Album], settings: Settings) -> list[dict]:
    """One overview per album, newest first: title, date, place, summary, the number of photos
    and a mosaic of up to MOSAIC_SIZE of them, the cover first."""
    result = []
    for album in _newest_first(albums):
        photos = _built(album)
        if not photos:
            continue
        cover = album.cover
        photos.sort(key=lambda p: cover is None or p.name != cover.name)
        result.append(_with_id({
            "kind": "album", "url": album.url, "title": _text(album.title), "date_text": _text(album.date_text),
            "location": _text(album.location), "summary": _text(album.summary),
            "count_text": f"{len(photos)} 张照片",
            "images": [_photo_image(p, MOSAIC_WIDTH) for p in photos[:MOSAIC_SIZE]],
        }))
    return result


# What a slide's id is made from: fields the screen page publishes anyway. Never the
# photo's original file name ("王秀英家门口.jpg", a phone number): derivatives are named
# by content hash, so without the id nothing on the screen carries that name.
ID_KEYS = ("kind", "url", "image", "text")


def slide_id(slide: Mapping) -> str:
    """A slide's id, "<kind>-<10 hex digits>", stable between builds while the slide is."""
    public = "\0".join(str(slide.get(key) or "") for key in ID_KEYS)
    return f"{slide['kind']}-{hashlib.sha256(public.encode()).hexdigest()[:10]}"


def _with_id(slide: dict) -> dict:
    slide["id"] = slide_id(slide)
    return slide


def _unique_ids(slides: list[dict]) -> None:
    """Every slide gets its id; the same photo twice (or two like notices) get -2, -3."""
    seen: dict[str, int] = {}
    for slide in slides:
        base = slide_id(slide)
        seen[base] = seen.get(base, 0) + 1
        slide["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _photo_image(photo: Photo, at_least: int = 0) -> str | None:
    """Site-relative path of a web derivative of an album photo, None if it was not built: the
    widest rendition in the format every browser shows, or with `at_least` the narrowest that
    is at least that wide."""
    media = photo.media
    if media is None:
        return None
    if at_least:
        return _image_url(media.pick(media.fallback(), at_least).url)
    return _image_url(media.of(media.fallback())[-1].url)


def _image_url(value: Any) -> str | None:
    """Site-relative path of a published image ("media/…"), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lstrip("/")


def slides(site: Site, config: Mapping | Settings | None = None, *, today: dt.date | None = None) -> list[dict]:
    """Every slide of the screen from the site model, grouped by kind in their display order.

    Each slide is a small dict with `kind`, `id` (slide_id: never from a file name), `url` (site-relative), `link` (where its QR
    leads, for the default variant), `qr` (inline SVG), `script` (the script its text is
    written in, None if it cannot tell) and the kind's text fields; photos and portraits
    have `image` (site-relative path of a published derivative), an album overview `images`,
    and an honor roll `members` (each with its own texts, `image` and `script`).

    A plan or person has its script from the model; the script of other slides is detected
    from their texts, with the site's Traditional variant (`Site.prefer`) deciding text that
    several Traditional standards fit, as the rest of the site decides it.
    """
    conf = settings(config)
    today = today or dt.date.today()
    prefer = site.prefer
    result = (person_slides(site.people, conf, today) + photo_slides(site.albums, conf)
              + plan_slides(site.plans, conf, prefer) + notice_slides(site.notices, conf, today)
              + honor_roll_slides(site.people, conf, today) + album_slides(site.albums, conf))
    _unique_ids(result)
    for slide in result:
        slide["link"] = page_url(slide["url"], conf)
        slide["qr"] = qr_svg(slide["link"], conf.qr_cache)
        if "script" not in slide:
            slide["script"] = detect_script(" ".join(human_texts(slide)), prefer)
    return result


def human_texts(slide: Mapping) -> list[str]:
    """The strings of a slide that people read (HUMAN_KEYS), in order."""
    texts = []
    for key in HUMAN_KEYS:
        value = slide.get(key)
        texts.extend(value if isinstance(value, list) else [value] if isinstance(value, str) else [])
    return [t for t in texts if t]


def playlist(slides: list[dict], kinds: Mapping[str, int], limit: int = 20000) -> list[int]:
    """The play order (indices into `slides`): kinds interleaved in the configured proportion.

    Smooth weighted round robin over the kinds, each kind cycling through its own slides,
    until every slide has been shown at least once. Kinds with weight 0 or no slides drop out.
    """
    queues = {kind: [i for i, s in enumerate(slides) if s["kind"] == kind] for kind in KINDS}
    weights = {k: int(kinds.get(k, 0)) for k in KINDS if queues[k] and int(kinds.get(k, 0)) > 0}
    if not weights:
        return []
    total = sum(weights.values())
    current = dict.fromkeys(weights, 0)
    taken = dict.fromkeys(weights, 0)
    order: list[int] = []
    while len(order) < limit:
        for kind, weight in weights.items():
            current[kind] += weight
        kind = max(weights, key=lambda k: (current[k], -KINDS.index(k)))
        current[kind] -= total
        queue = queues[kind]
        order.append(queue[taken[kind] % len(queue)])
        taken[kind] += 1
        if all(taken[k] >= len(queues[k]) for k in weights) and all(v == 0 for v in current.values()):
            break
    return order
