"""The guarantee: an nh3 allow-list over rendered HTML, and front-matter text made plain."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3


# --- the allow-list -----------------------------------------------------------------

TAGS = {
    # text and structure (Python-Markdown, md_in_html, attr_list)
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "section", "article",
    "aside", "header", "footer", "nav",
    # media: responsive images (picture/source/srcset) and local video/audio
    "img", "picture", "source", "video", "audio", "track",
    # pymdownx.tabbed and tasklist
    "input", "label",
    # Material's emoji and icons as inline SVG (no <a>, <use>, <animate>, <style> inside)
    "svg", "path", "g", "circle", "rect", "line", "polyline", "polygon", "ellipse",
}

# Their content goes with them: a script's text is not something to show either.
CLEAN_CONTENT_TAGS = {
    "script", "style", "iframe", "object", "embed", "applet", "noscript", "template", "frameset",
    "frame", "noframes", "noembed", "xmp", "title", "textarea", "select", "math",
}

# Data attributes that Markdown extensions and plugins put into page content. glightbox
# renders data-title and data-description as HTML, so their values are reduced to plain
# text below; data-type may only say "image" and data-glightbox is not kept, since either
# could make glightbox load a video player or a foreign page in a frame. Not here on purpose: data-variant (switch.js and variants.py treat any
# a[data-variant] as the script switch, so content must not make one) and
# data-pagefind-meta/-filter/-body (search.py writes those; an editor's would forge
# search results).
DATA_ATTRIBUTES = {
    "data-tabs",  # pymdownx.tabbed
    "data-width", "data-height", "data-title", "data-description",
    "data-desc-position", "data-gallery", "data-effect", "data-zoomable",
    "data-draggable", "data-caption-position", "data-srcset", "data-sizes",  # glightbox
    "data-search-skip", "data-pagefind-ignore",  # an editor may keep a passage out of search
}

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "role", "hidden", "style", "translate"} | DATA_ATTRIBUTES,
    "a": {"href", "name", "target", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "video": {"src", "controls", "poster", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "input": {"checked", "disabled", "name"},
    "label": {"for"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "td": {"colspan", "rowspan", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "svg": {"viewBox", "xmlns", "width", "height", "fill", "stroke", "aria-hidden", "focusable"},
    "path": {"d", "fill", "fill-rule", "clip-rule", "stroke", "stroke-width", "transform", "opacity"},
    "g": {"fill", "stroke", "transform", "opacity"},
    "circle": {"cx", "cy", "r", "fill", "stroke"},
    "rect": {"x", "y", "width", "height", "rx", "ry", "fill", "stroke"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke"},
    "polygon": {"points", "fill", "stroke"},
    "ellipse": {"cx", "cy", "rx", "ry", "fill", "stroke"},
}

TAG_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}, "a": {"data-type": {"image"}}}

# Ids the theme reads (Material's "__config" holds the settings its scripts load, "__drawer"
# and "__search" toggle the page): content that claimed one would steer the page's own
# scripts. Footnotes and tabbed blocks keep theirs.
RESERVED_ID = re.compile(r"^__(?!tabbed_)")

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# CSS properties an editor may set in a style attribute (their values still go through
# `safe_style`, which lets url() through only for an inline raster image).
STYLE_PROPERTIES = {
    "text-align", "vertical-align", "width", "max-width", "min-width", "height", "max-height",
    "min-height", "color", "background-color", "font-weight", "font-style", "font-size",
    "text-decoration", "text-indent", "line-height", "white-space", "margin", "margin-top",
    "margin-bottom", "margin-left", "margin-right", "padding", "padding-top", "padding-bottom",
    "padding-left", "padding-right", "float", "clear", "display", "border", "border-collapse",
    "object-fit", "object-position", "aspect-ratio",
    # the albums' blurred placeholder; url() is allowed only for inline raster images
    "background-image", "background-size", "background-position", "background-repeat",
}

# Classes that make Material's bundle fetch code from a CDN (mermaid comes from unpkg.com).
FORBIDDEN_CLASSES = {"mermaid"}

_URL_ATTRIBUTES = {"href", "src", "poster"}
_UNSAFE_STYLE = re.compile(r"expression\s*\(|javascript|vbscript|@import|behavior\s*:|\\", re.I)
_CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_LOADS = re.compile(r"url\s*\(|image-set|src\s*\(|//", re.I)  # whatever is left after the url()s
_INLINE_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=\s]*", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see, after entities and hidden whitespace are removed.

    Browsers drop tabs and newlines inside URLs, so `jav&#9;ascript:` is `javascript:`.
    """
    plain = _CONTROL.sub("", html.unescape(url))
    match = _SCHEME.match(plain)
    return match.group(1).lower() if match else None


_DECLARATION = re.compile(r"""\s*([-A-Za-z]+)\s*:\s*((?:[^;()'"]|\([^)]*\)|'[^']*'|"[^"]*")*)\s*(?:;|$)""")


def clean_style(style: str) -> str | None:
    """Only the declarations of STYLE_PROPERTIES that are `safe_style`; None if none is left.

    Done here rather than by nh3's style filter, which drops every value with a url()
    and so would drop the albums' inline placeholder too.
    """
    if _UNSAFE_STYLE.search(style):
        return None
    kept = [f"{m.group(1).lower()}: {m.group(2).strip()}" for m in _DECLARATION.finditer(style)
            if m.group(1).lower() in STYLE_PROPERTIES and m.group(2).strip() and safe_style(m.group(2))]
    return "; ".join(kept) if kept else None


def safe_style(style: str) -> bool:
    """No script, no import, and url() only for an inline raster image (no request, no code).

    The albums put a blurred placeholder behind each photo as a data:image/webp URL;
    anything else in url() would be a request to somewhere, or worse.
    """
    if _UNSAFE_STYLE.search(style):
        return False
    if not all(_INLINE_IMAGE.fullmatch(m.group(2).strip()) for m in _CSS_URL.finditer(style)):
        return False
    return not _LOADS.search(_CSS_URL.sub(" ", style))


def _safe_url(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in URL_SCHEMES


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr in ("id", "for"):
        return None if RESERVED_ID.match(value.strip()) else value
    if attr in _URL_ATTRIBUTES:
        return value if _safe_url(value) else None
    if attr in ("srcset", "data-srcset"):
        candidates = [c.strip() for c in value.split(",") if c.strip()]
        kept = [c for c in candidates if _safe_url(c.split()[0])]
        return ", ".join(kept) if kept else None
    if attr == "style":
        return clean_style(value)
    if attr == "class":
        kept = [name for name in value.split() if name not in FORBIDDEN_CLASSES]
        return " ".join(kept) if kept else None
    if attr in ("data-title", "data-description"):
        text = html.unescape(nh3.clean(value, tags=set()))
        return text.replace("<", "＜").replace(">", "＞")
    return value


@lru_cache(maxsize=8)
def _cleaner(extra: frozenset[tuple[str, str]]) -> nh3.Cleaner:
    attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    for tag, name in extra:
        attributes.setdefault(tag, set()).add(name)
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=attributes,
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes=URL_SCHEMES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        generic_attribute_prefixes={"aria-"},
    )


def clean_html(fragment: str, extra_attributes: dict[str, set[str]] | None = None) -> str:
    """The rendered content of one page with everything that could run script removed.

    `extra_attributes` ({tag or "*": {attribute, …}}) widens the allow-list for markup
    another part of the build adds to page content before this runs. Removed: tags that
    run or embed (script, iframe, object, embed, style, meta, form…), event handlers,
    javascript:/data:/vbscript: URLs (also inside srcset), style declarations outside
    STYLE_PROPERTIES or with a url() that is not an inline raster image, and comments.
    """
    extra = frozenset((tag, name) for tag, names in (extra_attributes or {}).items() for name in names)
    return _local_lightbox(_cleaner(extra).clean(fragment))


_A_TAG = re.compile(r'<a((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*>')
_HREF = re.compile(r'\shref="([^"]*)"')
_CLASS = re.compile(r'\sclass="([^"]*)"')


def _local_lightbox(cleaned: str) -> str:
    """Only links to our own files open in the lightbox; any other `a.glightbox` is a plain link.

    glightbox opens a YouTube or Vimeo address with a player it loads from a CDN, and any
    other address in a frame. `cleaned` is nh3's output: attributes double-quoted.
    """
    if "glightbox" not in cleaned:
        return cleaned

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        classes = _CLASS.search(tag)
        if not classes or "glightbox" not in classes.group(1).split():
            return tag
        href = _HREF.search(tag)
        target = html.unescape(href.group(1)).strip() if href else ""
        if target and url_scheme(target) is None and not target.startswith(("//", "\\")):
            return tag
        kept = " ".join(c for c in classes.group(1).split() if c != "glightbox")
        return tag.replace(classes.group(0), f' class="{kept}"' if kept else "", 1)

    return _A_TAG.sub(fix, cleaned)



_MARKUP_CHARS = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂"})


def plain_text(value: str) -> str:
    """A title or description that is safe wherever a template puts it.

    MkDocs renders templates without autoescaping, and Material inserts `page.title`
    and `page.meta.description` raw — into the nav, into a `content="…"` attribute,
    and (after `striptags`, which decodes entities) into `<title>`. So entities cannot
    protect them: tags are removed and the characters that open markup or close an
    attribute become their full-width forms, which read the same in Chinese text.
    """
    text = html.unescape(nh3.clean(value, tags=set(), clean_content_tags={"script", "style"}))
    return text.translate(_MARKUP_CHARS)


def text_value(value: str) -> str:
    """Front matter is text, never markup: tags (and a script's or style's content) removed.

    Entities are decoded, so `AT&amp;T` reads AT&T; templates escape what they print.
    """
    if "<" not in value and "&" not in value:
        return value
    return html.unescape(nh3.clean(value, tags=set(), clean_content_tags={"script", "style"}))


def text_meta(meta):
    """A copy of validated front matter with every string (in lists and maps too) `text_value`.

    Map keys stay as written: they name files (album captions), which are checked as names.
    """
    return _strings(meta, text_value)


def safe_meta(meta):
    """A copy of front matter with every string (in lists and maps too) made `plain_text`."""
    return _strings(meta, plain_text)


def _strings(meta, change):
    if isinstance(meta, str):
        return change(meta)
    if isinstance(meta, dict):
        return {key: _strings(value, change) for key, value in meta.items()}
    if isinstance(meta, list):
        return [_strings(value, change) for value in meta]
    return meta
