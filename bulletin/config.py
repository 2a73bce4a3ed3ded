"""The plugin's options in mkdocs.yml: one sub-config per concern, each with `enabled`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .screen_config import ScreenConfig


class PlansConfig(Config):
    enabled = c.Type(bool, default=True)
    per_page = c.Type(int, default=100)  # plans per listing page; keeps the index light at 1,000 plans
    latest = c.Type(int, default=6)  # how many the front page shows


class SearchConfig(Config):
    enabled = c.Type(bool, default=True)  # Pagefind, segmented Chinese, one index per script
    synonyms = c.Type(str, default="search.yml")  # in site_src/: words readers type for others


class VariantConfig(Config):
    """One published script: zh-Hans, zh-Hant (OpenCC standard), zh-HK or zh-TW forms."""

    code = c.Choice(("zh-Hans", "zh-Hant", "zh-HK", "zh-TW"))
    prefix = c.Type(str, default="")  # folder of a non-default variant, e.g. zh-hk
    label = c.Type(str, default="")  # what the switch shows; 简 / 繁 by default
    lang = c.Type(str, default="")  # <html lang>; the code by default
    phrases = c.Type(bool, default=False)  # OpenCC phrase conversion (s2twp …), off: character forms only
    corner_quotes = c.Optional(c.Type(bool))  # “”‘’ → 「」『』; by default on for Traditional, off for Simplified


class BulletinConfig(Config):
    """`plugins: - bulletin:` in mkdocs.yml."""

    cache_dir = c.Type(str, default=".cache")
    default_variant = c.Type(str, default="zh-Hans")
    variants = c.ListOfItems(c.SubConfig(VariantConfig),
                             default=[{"code": "zh-Hans"}, {"code": "zh-HK", "prefix": "zh-hk"}])
    glossary = c.Type(str, default="glossary.yml")  # in site_src/
    plans = c.SubConfig(PlansConfig)
    screen = c.SubConfig(ScreenConfig)
    search = c.SubConfig(SearchConfig)
