"""Where each URL of a page points from a variant's copy of it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from ..script import Rewriter, Tag
from ..script.html import rebuild_tag
from ..sharing import og_locale
from .model import Variant, is_page_path, up

URL_ATTRS = frozenset({"href", "src", "poster", "action", "formaction", "data", "cite",
                       "background", "longdesc", "manifest", "icon"})
# Elements that may carry a URL attribute; any element may carry one in style="url(…)".
URL_TAGS = frozenset({"a", "area", "link", "script", "img", "source", "video", "audio", "track",
                      "iframe", "embed", "object", "form", "input", "button", "image", "use",
                      "feimage", "meta", "blockquote", "q", "ins", "del", "body", "table", "td",
                      "th", "html"})
META_URLS = frozenset({"og:url", "og:image", "og:image:url", "og:image:secure_url",
                       "og:video", "og:audio", "twitter:image", "twitter:url"})
# Any attribute named like one that carries a URL, whoever invented it: glightbox's
# data-srcset, lazy loaders' data-src, SVG's xlink:href.
_MAY_CARRY_URL = re.compile(r"(?:src|srcset|href|style)\s*=", re.I)


def url_kind(name: str) -> str | None:
    """"url", "srcset" or None: what an attribute of this name holds."""
    if name.endswith("srcset"):
        return "srcset"
    if name in URL_ATTRS or name.endswith(("-src", "-href", ":href", "-poster")):
        return "url"
    return None


_CSS_URL_RE = re.compile(r"""url\(\s*(&quot;|&#34;|&#39;|['"]|)(.+?)\1\s*\)""")
_CONFIG_SEARCH_RE = re.compile(r'("search"\s*:\s*")([^"]*)(")')


class Site(Protocol):
    """What a page's URLs are rewritten against: the site's variants, its URL and files, and
    the tags already rewritten on other pages (the variant writer is one)."""

    variants: Sequence[Variant]
    by_code: Mapping[str, Variant]
    site_url: str
    base_path: str

    def is_shared_file(self, path: str) -> bool: ...
    def names_page(self, rest: str) -> bool | None: ...
    def rebuilt_tags(self, variant: Variant, climb: str, error_page: bool) -> dict[str, str | None]: ...
    def counterpart(self, rel: str, current: Variant, target: Variant) -> str: ...


class PageRewriter(Rewriter):
    """Machine attributes of one page in one variant."""

    def __init__(self, site: Site, rel: str, variant: Variant):
        self.site = site
        self.rel = rel
        self.variant = variant
        self.dir = posixpath.dirname(rel)
        self.climb = up(self.dir)  # from this page's folder to the site root
        self.into_variant = "../" * variant.depth
        self.is_default = variant.prefix == ""
        self.error_page = rel == "404.html"
        self._depends_on_folder = False

    @staticmethod
    def may_change(tag: Tag) -> bool:
        return tag.name in URL_TAGS or _MAY_CARRY_URL.search(tag.raw) is not None

    def rebuild(self, tag: Tag, values: dict[int, str]) -> str | None:
        """Memoised per variant and folder depth: the header, navigation and footer repeat
        on every page, and a tag whose links all climb to the site root (or are absolute)
        comes out the same wherever it is."""
        name = tag.name
        if not self.may_change(tag):
            return rebuild_tag(tag, values, {}) if values else None
        if values or tag.marks or self.is_default or name == "html" or \
                (name == "a" and "data-variant" in tag.raw):
            return super().rebuild(tag, values)
        memo = self.site.rebuilt_tags(self.variant, self.climb, self.error_page)
        raw = tag.raw
        if raw in memo:
            return memo[raw]
        self._depends_on_folder = False
        new = super().rebuild(tag, values)
        if not self._depends_on_folder:
            memo[raw] = new
        return new

    def tag(self, tag: Tag) -> dict[str, str | None] | None:
        name = tag.name
        changes: dict[str, str | None] = {}
        if name == "html":
            changes["lang"] = self.variant.lang
            if self.is_default and self.rel == "index.html":
                changes["data-bulletin-root"] = ""
            return changes
        raw = tag.raw
        if name == "a" and "data-variant" in raw:
            target = self.site.by_code.get(tag.get("data-variant") or "")
            if target is not None:
                changes["href"] = self.site.counterpart(self.rel, self.variant, target)
                changes["aria-current"] = "true" if target is self.variant else None
                return changes
        if self.is_default or not self.may_change(tag):
            return None
        for attr in tag.attrs:
            value = attr.value
            if not value:
                continue
            carries = url_kind(attr.name)
            if carries == "url":
                new = self.url(value)
            elif carries == "srcset":
                new = self.srcset(value)
            elif attr.name == "style" and "url(" in value:
                new = self.css(value)
            elif attr.name == "content" and name == "meta" and \
                    (tag.get("property") or tag.get("name") or "").lower() in META_URLS:
                new = self.url(value)
            elif attr.name == "content" and name == "meta" and (tag.get("property") or "").lower() == "og:locale":
                new = og_locale(self.variant.lang)
            else:
                continue
            if new is not None and new != value:
                changes[attr.name] = new
        return changes or None

    def raw(self, tag: Tag, text: str) -> str:
        if self.is_default:
            return text
        if tag.name == "script" and tag.get("id") == "__config":
            # Material's worker script is a shared asset; "base" stays: it is the variant root,
            # where the variant's own search index lives.
            return _CONFIG_SEARCH_RE.sub(
                lambda m: m.group(1) + (self.url(m.group(2)) or m.group(2)) + m.group(3), text)
        if tag.name == "style" and "url(" in text:
            return self.css(text) or text
        return text

    def css(self, text: str) -> str | None:
        new = _CSS_URL_RE.sub(
            lambda m: f"url({m.group(1)}{self.url(m.group(2)) or m.group(2)}{m.group(1)})", text)
        return new if new != text else None

    def _root_page(self, rest: str) -> bool:
        """Whether a site-absolute path names a page of the default variant (not a shared
        file, and not already a page of some variant)."""
        path = urlsplit(rest).path
        if any(path.startswith(v.prefix + "/") for v in self.site.variants if v.prefix):
            return False
        return is_page_path(path)

    def srcset(self, value: str) -> str | None:
        out = []
        for candidate in value.split(","):
            stripped = candidate.strip()
            if not stripped:
                out.append(candidate)
                continue
            url, _, descriptor = stripped.partition(" ")
            new = self.url(url) or url
            out.append(candidate.replace(url, new, 1))
        joined = ",".join(out)
        return joined if joined != value else None

    def url(self, url: str) -> str | None:
        """`url` as seen from this variant's copy of the page, or None if unchanged."""
        if url.startswith(("#", "data:", "mailto:", "tel:", "javascript:", "blob:")):
            return None
        prefix = self.variant.prefix
        site_url = self.site.site_url
        if site_url and url.startswith(site_url):
            rest = url[len(site_url):]
            if not self._root_page(rest):
                return None
            return site_url + prefix + "/" + _drop_dot(rest)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        base_path = self.site.base_path
        if url.startswith("/"):
            rest = url[len(base_path):]
            if not url.startswith(base_path) or not self._root_page(rest):
                return None
            return base_path + prefix + "/" + _drop_dot(rest)
        if self.error_page:
            return None
        path = parts.path
        if not path:
            return None
        climb = self.climb
        if path.startswith(climb) or path + "/" == climb:
            # Most links climb to the site root and go down from there (Material writes
            # every asset and nav link so): whether they name a shared file depends on
            # the rest alone, and the answer is the same on every page.
            names_page = self.site.names_page(path[len(climb):])
            if names_page is not None:
                return None if names_page else self.into_variant + url
        resolved = posixpath.normpath(posixpath.join(self.dir, path))
        if resolved.startswith("../") or resolved == "..":
            return None
        if resolved == ".":
            resolved = ""
        if path.endswith("/") and resolved:
            resolved += "/"
        self._depends_on_folder = True
        if is_page_path(resolved) and not self.site.is_shared_file(resolved):
            return None
        tail = url[len(path):]  # query and fragment, as written
        return "../" * self.variant.depth + up(self.dir) + resolved + tail


def _drop_dot(rest: str) -> str:
    return "" if rest in (".", "./") else rest
