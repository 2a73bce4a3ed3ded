"""The plugin's options in mkdocs.yml: one sub-config per concern, each with `enabled`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .screen_config import ScreenConfig


class PlansConfig(Config):
    enabled = c.Type(bool, default=True)
    per_page = c.Type(int, default=100)  # plans per listing page; keeps the index light at 1,000 plans
    latest = c.Type(int, default=6)  # how many the front page shows


class BulletinConfig(Config):
    """`plugins: - bulletin:` in mkdocs.yml."""

    cache_dir = c.Type(str, default=".cache")
    plans = c.SubConfig(PlansConfig)
    screen = c.SubConfig(ScreenConfig)
