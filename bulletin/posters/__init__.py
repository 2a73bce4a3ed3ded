"""Posters for the physical 宣传栏: print-ready PDFs of the honor roll, plans and albums.

    posters = collect(site, photos=6)                # model.Poster: one per month, plan, album (site: bulletin.model.Site)
    options = options_from(posters_config, mkdocs_config, qr_cache=…, prefer="zh-HK")
    made = build(site_dir, posters, [(variant, converter), …], options, cache_dir, report)

Each poster is set in every script of the site from the same validated model the pages
use (so consent works as on the site), with a QR code to its page in that script, the
street's name, the print date and a footer, and written to site/posters/ (the default
script) and site/posters/<prefix>/ (the others). Photos are the pipeline's print
renditions, at least 200 dpi as printed. PDFs are cached by what they print.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..model import Site
from .build import FOLDER, Made, build, missing_fonts, output_path
from .messages import MESSAGES
from .model import PRINT_SETTINGS, Poster, album_posters, honor_roll_posters, plan_posters, print_jobs
from .paper import CHOICES, DPI, Paper, largest_box, parse_paper
from .render import BODY_SIZES, FONTS, Options, Rendered, page_link, render


def collect(site: Site, photos: int = 6) -> list[Poster]:
    """Every poster of the site model: honor rolls (its published people), plans, albums."""
    return (honor_roll_posters(list(site.people)) + plan_posters(list(site.plans))
            + album_posters(list(site.albums), photos))


def options_from(posters: Mapping, site: Mapping, *, qr_cache: str = "", prefer: str = "zh-HK",
                 markdown: Callable[[str], str] | None = None) -> Options:
    """Options from the plugin's `posters:` settings and the site's mkdocs.yml values.

    The street defaults to extra.short_name (what a phone's header shows), else the site
    name; the footer to the site's copyright line.
    """
    extra = site.get("extra") or {}
    street = posters.get("street") or extra.get("short_name") or site.get("site_name") or ""
    footer = posters.get("footer") or site.get("copyright") or ""
    return Options(paper=parse_paper(posters.get("paper") or "A3"), street=str(street), footer=str(footer),
                   site_url=str(site.get("site_url") or ""), qr_cache=qr_cache, markdown=markdown, prefer=prefer)


def markdown_renderer(extensions: list, configs: Mapping) -> Callable[[str], str]:
    """Markdown → HTML with the site's extensions, as its pages are rendered."""
    import markdown

    md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs))
    return lambda text: md.reset().convert(text)


__all__ = [
    "BODY_SIZES", "CHOICES", "DPI", "FOLDER", "FONTS", "MESSAGES", "PRINT_SETTINGS", "Made", "Options", "Paper",
    "Poster", "Rendered", "album_posters", "build", "collect", "honor_roll_posters", "largest_box", "markdown_renderer",
    "missing_fonts", "options_from", "output_path", "page_link", "parse_paper", "plan_posters", "print_jobs", "render",
]
