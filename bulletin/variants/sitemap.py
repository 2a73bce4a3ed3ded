"""Sitemaps: the root one lists every variant's pages; each variant has its own."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from .model import Variant

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def write_sitemaps(site_dir: Path, variants: list[Variant], site_url: str, base_path: str) -> None:
    """Rewrite MkDocs' sitemap.xml (and .gz) from its entries.

    The root sitemap lists every variant's URLs; each variant's folder gets one with its
    own URLs, because Material's instant navigation reads the sitemap at the variant root
    to know which links it may load in place. Every entry carries the hreflang set.
    """
    try:
        tree = ET.parse(site_dir / "sitemap.xml")
    except (FileNotFoundError, ET.ParseError):
        return
    entries = []
    for url in tree.getroot().findall(f"{{{SITEMAP_NS}}}url"):
        loc = (url.findtext(f"{{{SITEMAP_NS}}}loc") or "").strip()
        lastmod = (url.findtext(f"{{{SITEMAP_NS}}}lastmod") or "").strip()
        entries.append((loc, lastmod))

    def located(loc: str, variant: Variant) -> str:
        if not variant.prefix:
            return loc
        if site_url and loc.startswith(site_url):
            return site_url + variant.prefix + "/" + loc[len(site_url):]
        if loc.startswith(base_path):
            return base_path + variant.prefix + "/" + loc[len(base_path):]
        return loc

    def sitemap(listed: list[Variant]) -> str:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
        for variant in listed:
            for loc, lastmod in entries:
                lines.append("  <url>")
                lines.append(f"    <loc>{_xml(located(loc, variant))}</loc>")
                if lastmod:
                    lines.append(f"    <lastmod>{_xml(lastmod)}</lastmod>")
                for alt in variants:
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.lang}" '
                                 f'href="{_xml(located(loc, alt))}"/>')
                lines.append("  </url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"

    for variant in variants:
        if variant.prefix:
            _write(site_dir / variant.prefix, sitemap([variant]))
    _write(site_dir, sitemap(variants))


def _write(directory: Path, text: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitemap.xml").write_text(text, encoding="utf-8")
    with gzip.GzipFile(directory / "sitemap.xml.gz", "wb", mtime=0) as fh:
        fh.write(text.encode("utf-8"))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
