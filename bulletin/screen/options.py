"""The screen's options as plain data (no MkDocs here)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Slide kinds. person: one honoree; honor_roll: a month's honorees together; photo: one album
# photo; album: an album's overview with a mosaic of its photos; plan; notice.
KINDS = ("person", "photo", "plan", "notice", "honor_roll", "album")

HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-~－～至到]\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(value: str) -> tuple[int, int]:
    """"07:00-22:00" -> (420, 1320), minutes after midnight; end may be 24:00.

    A range whose end is before its start runs over midnight ("20:00-02:00"); equal
    start and end mean always on. Raises ValueError with a Chinese message.
    """
    match = HOURS_RE.match(str(value))
    if not match:
        raise ValueError(f"开机时段「{value}」看不懂，请写成「07:00-22:00」（开始-结束，24 小时制）。")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
        raise ValueError(f"开机时段「{value}」里的时间不存在，小时应为 0–24，分钟应为 0–59。")
    return start, end


@dataclass
class Settings:
    """The screen's options (mkdocs.yml `screen:`) plus the site's name and URL."""

    site_url: str = ""
    site_name: str = ""
    dwell: dict[str, int] = field(default_factory=lambda: {"person": 12, "photo": 8, "plan": 15, "notice": 10,
                                                           "honor_roll": 15, "album": 10})
    kinds: dict[str, int] = field(default_factory=lambda: {"person": 3, "photo": 2, "plan": 1, "notice": 1,
                                                           "honor_roll": 1, "album": 1})
    on_hours: str = "07:00-22:00"
    orientation: str = "auto"
    check_interval: int = 300
    max_points: int = 6
    plans: int = 20
    photos_per_album: int = 12
    qr_cache: str = ""  # folder for QR codes kept between builds; "" keeps none


def settings(config: Mapping | Settings | None = None, *, site_url: str = "", site_name: str = "") -> Settings:
    """Settings from the plugin's `screen` sub-config (or any mapping with the same keys).

    Missing keys keep their defaults, so tests and callers can pass a partial dict.
    """
    if isinstance(config, Settings):
        return config
    result = Settings(site_url=site_url or "", site_name=site_name or "")
    for key, value in dict(config or {}).items():
        if key in ("dwell", "kinds"):
            getattr(result, key).update({k: int(v) for k, v in dict(value).items() if k in KINDS})
        elif key in {f.name for f in dataclasses.fields(Settings)}:
            setattr(result, key, value)
    return result
