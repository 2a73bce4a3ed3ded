"""The plugin's options in mkdocs.yml: one sub-config per concern, each with `enabled`."""

from __future__ import annotations

import os
from collections.abc import Mapping

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError

from .posters.paper import CHOICES as PAPERS, ENV_PAPER, ENV_POSTERS, parse_paper
from .screen_config import ScreenConfig


class PlansConfig(Config):
    enabled = c.Type(bool, default=True)
    per_page = c.Type(int, default=100)  # plans per listing page; keeps the index light at 1,000 plans
    latest = c.Type(int, default=6)  # how many the front page shows


class SearchConfig(Config):
    enabled = c.Type(bool, default=True)  # Pagefind, segmented Chinese, one index per script
    synonyms = c.Type(str, default="search.yml")  # in site_src/: words readers type for others


class PostersConfig(Config):
    """Print-ready PDFs for the notice board, in site/posters/ (`bulletin posters` makes them once)."""

    enabled = c.Type(bool, default=False)  # every build makes them (unchanged ones come from the cache)
    paper = c.Choice(PAPERS, default="A3")  # A3, A4, A3-landscape, A4-landscape
    street = c.Type(str, default="")  # printed at the top; by default extra.short_name, else site_name
    footer = c.Type(str, default="")  # the small print at the bottom; by default the site's copyright
    photos = c.Type(int, default=6)  # album photos on its poster besides the cover


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
    posters = c.SubConfig(PostersConfig)
    screen = c.SubConfig(ScreenConfig)
    search = c.SubConfig(SearchConfig)

    def apply_command(self, environ: Mapping[str, str] = os.environ) -> None:
        """What `bulletin posters` asks of this build, in the environment of the MkDocs process
        it runs: posters made whatever mkdocs.yml says (BULLETIN_POSTERS=1), on the paper it
        names (BULLETIN_POSTERS_PAPER=A4-landscape) or else mkdocs.yml's."""
        if environ.get(ENV_POSTERS) != "1":
            return
        self.posters["enabled"] = True
        if environ.get(ENV_PAPER):
            try:
                self.posters["paper"] = parse_paper(environ[ENV_PAPER]).label
            except ValueError as exc:
                raise PluginError(f"环境变量 {ENV_PAPER} 有误：{exc}") from exc
