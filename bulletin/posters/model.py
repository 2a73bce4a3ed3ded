"""Which posters a site has: one per month of the honor roll, one per plan, one per album.

Everything comes from the validated site model the pages are built from (`people.Roll`'s
published people, `plans.Plan`, `albums.Album`), so a person the site withholds, or a
portrait without consent, cannot reach a poster: neither is in the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..media.model import Job, Settings
from ..people.pages import months

# Print renditions of album photos, made by the photo pipeline like every other derivative
# (upright, sRGB, no metadata, cached): 1,200 px covers a grid photo on A3 at 200 dpi,
# 2,400 px the cover across an A3 page. Never published on the site.
PRINT_SETTINGS = Settings(widths=(1200, 2400), formats=("jpeg",), jpeg_quality=88, placeholder=0)


@dataclass
class Poster:
    """One poster, before it is set in a script.

    kind: "honor_roll" | "plan" | "album". name: the file under posters/ ("plans/plan-01.pdf").
    url: the site-relative page its QR code leads to. source: what messages name.
    item: the model object (a people Month, a Plan, an Album). fit: try smaller body sizes
    (down to the least allowed) when that saves a page.
    """

    kind: str
    name: str
    url: str
    source: str
    item: Any
    fit: bool = False
    photos: list[Any] = field(default_factory=list)  # album photos shown, the cover first


def honor_roll_posters(people: list) -> list[Poster]:
    """One poster per month of the published roll, latest month first."""
    return [Poster("honor_roll", f"people/{month.key}.pdf", f"people/#month-{month.key}", f"好人榜 {month.label}", month)
            for month in months(people)]


def plan_posters(plans: list) -> list[Poster]:
    """One poster per published plan (a near-duplicate too: it has its own page)."""
    return [Poster("plan", f"plans/{plan.slug}.pdf", plan.url, plan.source.display, plan, fit=True)
            for plan in plans]


def album_posters(albums: list, photos: int) -> list[Poster]:
    """One photo page per album that has a built photo: the cover, then up to `photos` more."""
    found = []
    for album in albums:
        cover = album.cover
        if cover is None:
            continue
        shown = [cover] + [p for p in album.photos if p is not cover and p.media is not None][:photos]
        found.append(Poster("album", f"albums/{album.slug}.pdf", album.url, album.display, album, photos=shown))
    return found


def print_jobs(posters: list[Poster]) -> dict[str, Job]:
    """{photo display path: media.Job} of the print renditions the album posters need."""
    jobs = {}
    for poster in posters:
        for photo in poster.photos:
            jobs[photo.display] = Job(src=Path(photo.job.src), display=photo.display, settings=PRINT_SETTINGS,
                                      name=photo.job.name)
    return jobs
