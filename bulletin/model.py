"""The site model, named in one place: what the content index is validated into.

`build()` makes one `Site` per build from `checks.prepare`'s result: the published
variants, plans, albums, people (the roll: consent decided once, in bulletin.people) and
notices. The screen, search and posters read it; none reads front matter again or decides
again who may be shown. The types stay in the modules that define them and are named here:

    Variant (variants.model), Plan (plans), Album and Photo (albums), Person (people),
    Notice and NoticesPage (notices)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union

from .albums import Album, Photo
from .checks import Prepared
from .notices import NOTICES_FILE, Notice, NoticesPage, read_page
from .people import Person
from .plans import Plan
from .report import Report
from .variants.model import Variant

Item = Union[Plan, Album, Person, NoticesPage]


@dataclass(frozen=True)
class Site:
    """Everything the outputs read, validated once.

    `people` is the published roll only: a withheld, withdrawn or expired profile is not
    in it. `prefer` is the site's Traditional variant: the script that text several
    Traditional standards fit is taken to be in.
    """

    variants: tuple[Variant, ...] = ()
    plans: tuple[Plan, ...] = ()
    albums: tuple[Album, ...] = ()
    people: tuple[Person, ...] = ()
    notices_page: NoticesPage | None = None
    prefer: str = "zh-HK"
    _by_rel: Mapping[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("variants", "plans", "albums", "people"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        items: dict[str, Item] = {}
        items.update((plan.source.rel, plan) for plan in self.plans)
        items.update((album.rel, album) for album in self.albums)
        items.update((person.source.rel, person) for person in self.people)
        if self.notices_page is not None:
            items[NOTICES_FILE] = self.notices_page
        object.__setattr__(self, "_by_rel", items)

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self.notices_page.notices if self.notices_page is not None else ()

    def item(self, rel: str) -> Item | None:
        """The plan, album, published person or notices page that site_src/`rel` is, if any."""
        return self._by_rel.get(rel)


def build(prepared: Prepared, variants: Iterable[Variant] = (), prefer: str = "zh-HK",
          report: Report | None = None) -> Site:
    """The site model from the checked content. A notice whose dates cannot be read is
    reported (SCREEN001) to `report`, else to the index's report."""
    notices_page = read_page(prepared.index, report)
    return Site(tuple(variants), tuple(prepared.plans), tuple(prepared.albums), tuple(prepared.roll.people),
                notices_page, prefer)


__all__ = ["Album", "Item", "Notice", "NoticesPage", "Person", "Photo", "Plan", "Site", "Variant", "build"]
