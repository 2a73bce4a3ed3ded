"""The lobby screen's options in mkdocs.yml (`plugins: - bulletin: screen: …`).

Mounted by bulletin/config.py as `screen = c.SubConfig(ScreenConfig)`. The slideshow
itself (bulletin/screen.py) reads these as a plain mapping and never imports MkDocs.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .screen import Settings, parse_hours

DEFAULT = Settings()  # the defaults are the screen's own (bulletin/screen/options.py), stated once


class OnHours(c.Type):
    """A daily time range "HH:MM-HH:MM"; kept as the string the editor wrote."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        try:
            parse_hours(value)
        except ValueError as exc:
            raise c.ValidationError(str(exc)) from None
        return value


class AtLeast(c.Type):
    """An integer of at least `minimum` (seconds, weights)."""

    def __init__(self, default: int, minimum: int) -> None:
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool):
            raise c.ValidationError(f"应为整数，实际是 {value!r}。")
        value = super().run_validation(value)
        if value < self.minimum:
            raise c.ValidationError(f"应不小于 {self.minimum}，实际是 {value}。")
        return value


class DwellConfig(Config):
    """Seconds each slide kind stays on screen."""

    person = AtLeast(DEFAULT.dwell["person"], 1)
    photo = AtLeast(DEFAULT.dwell["photo"], 1)
    plan = AtLeast(DEFAULT.dwell["plan"], 1)
    notice = AtLeast(DEFAULT.dwell["notice"], 1)
    honor_roll = AtLeast(DEFAULT.dwell["honor_roll"], 1)
    album = AtLeast(DEFAULT.dwell["album"], 1)


class KindsConfig(Config):
    """Relative share of each slide kind in the playlist; 0 leaves a kind out."""

    person = AtLeast(DEFAULT.kinds["person"], 0)
    photo = AtLeast(DEFAULT.kinds["photo"], 0)
    plan = AtLeast(DEFAULT.kinds["plan"], 0)
    notice = AtLeast(DEFAULT.kinds["notice"], 0)
    honor_roll = AtLeast(DEFAULT.kinds["honor_roll"], 0)  # a month's honorees together
    album = AtLeast(DEFAULT.kinds["album"], 0)  # an album's overview: title, date, place and a mosaic of its photos


class ScreenConfig(Config):
    """`screen:` under the bulletin plugin."""

    enabled = c.Type(bool, default=True)
    dwell = c.SubConfig(DwellConfig)
    kinds = c.SubConfig(KindsConfig)
    on_hours = OnHours(default=DEFAULT.on_hours)
    orientation = c.Choice(("auto", "landscape", "portrait"), default=DEFAULT.orientation)
    check_interval = AtLeast(DEFAULT.check_interval, 10)  # seconds between checks for a new build
    max_points = AtLeast(DEFAULT.max_points, 1)  # h2 headings listed on a plan slide
    plans = AtLeast(DEFAULT.plans, 0)  # newest plans that get a slide
    photos_per_album = AtLeast(DEFAULT.photos_per_album, 1)
