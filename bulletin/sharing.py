"""What a link preview shows, and what crawlers read: descriptions, share images, robots.txt.

A page's description is its `summary` when it has one, else the start of its first
paragraph; its share image is the album's cover or a consented portrait, else the site's
own image. Link previews (Open Graph) need absolute URLs, so they use `site_url`.
"""

from __future__ import annotations

import html as html_lib
import re

from .sanitize import plain_text

SITE_IMAGE = "assets/bulletin/share.png"  # 1200×630, the site's emblem without words
DESCRIPTION_LIMIT = 120  # characters: what a chat preview or search result shows

# Open Graph names a locale language_TERRITORY: the territory of a variant's BCP 47 tag
# (zh-Hant-HK), else the one its script is mostly read in.
OG_TERRITORIES = ("HK", "TW", "MO", "SG", "CN")

_ARTICLE_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_SENTENCE_END = "。！？；!?;"


def og_locale(lang: str) -> str:
    parts = [part.upper() for part in lang.split("-")[1:]]
    territory = next((p for p in parts if p in OG_TERRITORIES), "TW" if "HANT" in parts else "CN")
    return f"zh_{territory}"


def first_paragraph(html: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The plain text of the first paragraph that has words, cut at a sentence end within
    `limit` characters (else at `limit`, with「…」)."""
    for match in _ARTICLE_RE.finditer(html):
        text = " ".join(html_lib.unescape(_TAG_RE.sub("", match[1])).split())
        if text:
            return shorten(text, limit)
    return ""


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = max((text.rfind(mark, 0, limit) for mark in _SENTENCE_END), default=-1)
    return text[:cut + 1] if cut >= limit // 2 else text[:limit - 1] + "…"


def description(summary: object, html: str) -> str:
    """The page's description as plain text, safe in any template: its summary, else its
    first paragraph; "" when it has neither (the site's description is used then)."""
    text = " ".join(str(summary).split()) if isinstance(summary, str) else ""
    return plain_text(shorten(text) if text else first_paragraph(html))


def robots_txt(site_url: str | None) -> str:
    """Every page may be crawled; the sitemap is named when the site's address is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def share_image(album, person) -> str | None:
    """An album's cover or a profile's consented portrait, as a site-relative URL."""
    if album is not None and album.cover is not None:
        photo = album.cover.media
        return photo.pick(photo.fallback(), 800).url
    if person is not None:
        return person.portrait_url
    return None
