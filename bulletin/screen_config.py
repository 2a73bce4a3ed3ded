"""The lobby screen's options in mkdocs.yml (`plugins: - bulletin: screen: …`).

Mounted by bulletin/config.py as `screen = c.SubConfig(ScreenConfig)`. The slideshow
itself (bulletin/screen.py) reads these as a plain mapping and never imports MkDocs.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .screen import parse_hours


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

    person = AtLeast(12, 1)
    photo = AtLeast(8, 1)
    plan = AtLeast(15, 1)
    notice = AtLeast(10, 1)
    honor_roll = AtLeast(15, 1)
    album = AtLeast(10, 1)


class KindsConfig(Config):
    """Relative share of each slide kind in the playlist; 0 leaves a kind out."""

    person = AtLeast(3, 0)
    photo = AtLeast(2, 0)
    plan = AtLeast(1, 0)
    notice = AtLeast(1, 0)
    honor_roll = AtLeast(1, 0)  # a month's honorees together
    album = AtLeast(1, 0)  # an album's overview: title, date, place and a mosaic of its photos


class ScreenConfig(Config):
    """`screen:` under the bulletin plugin."""

    enabled = c.Type(bool, default=True)
    dwell = c.SubConfig(DwellConfig)
    kinds = c.SubConfig(KindsConfig)
    on_hours = OnHours(default="07:00-22:00")
    orientation = c.Choice(("auto", "landscape", "portrait"), default="auto")
    check_interval = AtLeast(300, 10)  # seconds between checks for a new build
    max_points = AtLeast(6, 1)  # h2 headings listed on a plan slide
    plans = AtLeast(20, 0)  # newest plans that get a slide
    photos_per_album = AtLeast(12, 1)
