"""Every local URL of every page of every variant leads somewhere: the built-site invariant.

Run over the finished site (both variants, the screen, the search page lists) before it
is published. Which attributes carry a URL is decided by their name, not by a list of
known tags, so a URL a plugin invents (glightbox's `data-srcset`) is checked too:
`href`, `src`, `poster`, any `*-src`, `*-href`, `*srcset`, link-bearing `<meta content>`,
`url()` in inline and shipped CSS, the screen's slide data and search's page lists.
Fragments must name an id on their page.

A broken URL that an editor wrote in a page's text (a link or an image in the page's
content whose file name the Markdown source names) is a warning naming that source file,
as MkDocs' own link validation is; anything the build itself wrote (templates, assets,
photos, the screen, search) is an error: `bulletin build` then keeps the previous site.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .report import E, W, Message, Report, register

MESSAGES = {
    "LINK001": Message(E, "生成的网站有坏链接：{page} 的 {attr} 指向「{target}」，网站里没有{what}。网站未发布。"
                          "这是模板、主题、插件或 mkdocs.yml 导航（nav）的问题，不是页面内容的问题："
                          "请把这条信息报告给网站维护人员。"),
    "LINK002": Message(W, "页面里的链接「{target}」（{page} 的 {attr}）指向的{what}不存在。"
                          "请检查链接的拼写，或删掉这个链接。"),
}
register(MESSAGES)

_ATTR = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_ID = re.compile(r' (?:id|name)="([^"]*)"')  # as the build's HTML serialisers write them
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_SCRIPT_BLOCK = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
_SCREEN_DATA = re.compile(r'<script[^>]*id="screen-data"[^>]*>(.*?)</script>', re.S)
_CONTENT = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>(.*?)</article>', re.S)
META_URLS = {"og:url", "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:url"}
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:", "about:")


def url_attribute(name: str) -> bool:
    name = name.lower()
    return name in ("href", "src", "poster", "srcset", "imagesrcset") or \
        name.endswith(("-src", "-href", ":href", "srcset", "-poster"))


@dataclass
class Site:
    """The built site's files and each page's anchors, read once."""

    root: Path
    base_path: str = "/"
    files: set[str] = field(default_factory=set)
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)  # page -> (source shown, its text)
    reported: set[tuple[str, str]] = field(default_factory=set)
    _ids: dict[str, set[str]] = field(default_factory=dict)
    _resolved: dict[tuple[str, str], tuple[str | None, str]] = field(default_factory=dict)
    fragments: list[tuple[str, str, str, str, str, bool]] = field(default_factory=list)

    @classmethod
    def read(cls, root: Path, site_url: str | None) -> "Site":
        root = Path(root)
        files: set[str] = set()
        for directory, _, names in os.walk(root):
            rel = Path(directory).relative_to(root).as_posix()
            prefix = "" if rel == "." else rel + "/"
            files.update(prefix + name for name in names)
        base_path = urlsplit(site_url or "").path or "/"
        return cls(root, base_path if base_path.endswith("/") else base_path + "/", files)

    def ids(self, rel: str) -> set[str]:
        found = self._ids.get(rel)
        if found is None:
            text = (self.root / rel).read_text("utf-8", "replace")
            found = self._ids[rel] = {html.unescape(i) if "&" in i else i for i in _ID.findall(text)}
        return found

    def resolve(self, page: str, url: str, site_url: str) -> tuple[str | None, str]:
        """(site-relative file the URL names, or None when it is not ours to check; fragment).

        Remembered per folder: the header, navigation and footer repeat on every page.
        """
        folder = posixpath.dirname(page)
        climb = "../" * (folder.count("/") + 1) if folder else ""
        # A link that climbs to the site root first names the same file from every folder
        # as deep as this one: Material writes every asset and nav link so.
        key = ("/", url[len(climb):]) if climb and url.startswith(climb) else (folder, url)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(page, url, site_url)
        return found

    def _resolve(self, page: str, url: str, site_url: str) -> tuple[str | None, str]:
        url = html.unescape(url.strip())
        if not url or url.startswith(SKIP_SCHEMES):
            return None, ""
        if site_url and url.startswith(site_url):
            url = self.base_path + url[len(site_url):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None, ""
        path = unquote(parts.path)
        if not path:
            return page, parts.fragment
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return path, parts.fragment
            target = path[len(self.base_path):]
        else:
            target = posixpath.join(posixpath.dirname(page), path)
        target = posixpath.normpath(target) if target else "."
        if target == "." or path.endswith("/"):
            target = ("" if target == "." else target + "/") + "index.html"
        elif target not in self.files and target + "/index.html" in self.files:
            target += "/index.html"
        return target, parts.fragment


def page_sources(sources: dict, dests: dict[str, str], variants) -> dict[str, tuple[str, str]]:
    """Built page (each variant's copy) → (the Markdown file it came from, its text).

    sources: rel → content.Source; dests: rel → the built page's path; variants: the site's."""
    found: dict[str, tuple[str, str]] = {}
    for rel, source in sources.items():
        dest = dests.get(rel)
        if dest:
            for variant in variants:
                found[f"{variant.prefix}/{dest}" if variant.prefix else dest] = (source.display, source.text)
    return found


def check_site(site_dir: Path, site_url: str | None = None, *, display_root: str = "site",
               sources: dict[str, tuple[str, str]] | None = None) -> Report:
    """LINK001/LINK002 for every local URL under `site_dir` that leads nowhere.

    `sources`: built page (site-relative, every variant's copy) → (the source file an
    editor can open, "site_src/plans/plan-01.md", and its text), so that a broken link
    an editor wrote is told apart from the build's own and reported once, against the
    file it is in.
    """
    site = Site.read(site_dir, site_url)
    site.sources = sources or {}
    site_url = site_url or ""
    report = Report()
    for rel in sorted(site.files):
        suffix = rel.rsplit(".", 1)[-1].lower()
        if suffix == "html":
            _check_page(site, rel, site_url, display_root, report)
        elif suffix == "css" and not rel.startswith("assets/stylesheets/"):
            text = (site.root / rel).read_text("utf-8", "replace")
            for m in _CSS_URL.finditer(text):
                _check(site, rel, "CSS url()", m.group(2), site_url, display_root, report, editor=False)
        elif suffix == "json" and rel.startswith("pagefind/") and rel.endswith("-pages.json"):
            _check_search_pages(site, rel, display_root, report)
    for page, attr, url, target, fragment, editor in site.fragments:  # every page's ids are known now
        if fragment not in site.ids(target):
            _broken(site, page, attr, url, f"页面内的位置「#{fragment}」", display_root, report, editor=editor)
    return report


# An attribute that may carry a URL, found directly: most tags of a page carry none, and
# parsing every tag of every page was most of the check's time.
_URL_VALUE = re.compile(r"""(href|src|srcset|poster|style)\s*=\s*("[^"]*"|'[^']*')""")  # HTML5 serialisers write names in lower case
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:-")
_META = re.compile(r"<meta\b[^>]*>", re.I)
_TAG_START = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")


def _check_page(site: Site, rel: str, site_url: str, display_root: str, report: Report) -> None:
    text = (site.root / rel).read_text("utf-8", "replace")
    site._ids[rel] = {html.unescape(i) if "&" in i else i for i in _ID.findall(text)}
    content = _CONTENT.search(text)
    span = content.span(1) if content else (0, 0)
    pos = 0
    for script in [*_SCRIPT_BLOCK.finditer(text), None]:
        stop = script.start() if script else len(text)
        for m in _URL_VALUE.finditer(text, pos, stop):
            value = m.group(2)[1:-1]
            start = m.start()
            while start > 0 and text[start - 1] in _NAME_CHARS:
                start -= 1
            if not value or start == 0 or not text[start - 1].isspace():
                continue
            attr = text[start:m.end(1)].lower()
            if not url_attribute(attr) and attr != "style":
                continue
            if attr == "style":
                if "url(" in value:
                    for u in _CSS_URL.finditer(html.unescape(value)):
                        _check(site, rel, "style", u.group(2), site_url, display_root, report, editor=False)
                continue
            tag = _TAG_START.match(text, text.rfind("<", 0, start))
            name = tag.group(1).lower() if tag else "?"
            urls = [c.strip().split()[0] for c in value.split(",") if c.strip()] if attr.endswith("srcset") else [value]
            editor = span[0] <= m.start() < span[1]  # decided for good in _broken
            for url in urls:
                _check(site, rel, f"<{name} {attr}>", url, site_url, display_root, report, editor=editor)
        if script:
            pos = script.end()
    for meta in _META.finditer(text):
        attrs = {a.group(1).lower(): _unquote(a.group(2) or "") for a in _ATTR.finditer(meta.group(0)[5:])}
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key in META_URLS and attrs.get("content"):
            _check(site, rel, f"<meta {key}>", attrs["content"], site_url, display_root, report, editor=False)
    for block in _STYLE_BLOCK.finditer(text):
        for m in _CSS_URL.finditer(block.group(1)):
            _check(site, rel, "<style>", m.group(2), site_url, display_root, report, editor=False)
    data = _SCREEN_DATA.search(text)
    if data:
        _check_screen(site, rel, data.group(1), site_url, display_root, report)


def _check_screen(site: Site, rel: str, raw: str, site_url: str, display_root: str, report: Report) -> None:
    try:
        data = json.loads(raw)
    except ValueError:
        report.add("LINK001", f"{display_root}/{rel}", page=f"{display_root}/{rel}", attr="大屏数据",
                   target="(无法解析)", what="可读的数据")
        return
    base = data.get("base", "")
    for slide in data.get("slides", []):
        for key, target in _slide_urls(slide):
            _check(site, rel, f"大屏幻灯片 {key}", base + target, site_url, display_root, report, editor=False)


def _slide_urls(slide: dict) -> list[tuple[str, str]]:
    """(field, URL) of a slide: its page and photo, an album mosaic's photos, and the photo of
    each person on a month's honor roll (any list of entries with an `image`)."""
    found = [(key, slide[key]) for key in ("url", "image") if isinstance(slide.get(key), str) and slide[key]]
    for key, value in slide.items():
        if not isinstance(value, list):
            continue
        for item in value:
            if key == "images" and isinstance(item, str) and item:
                found.append((key, item))
            elif isinstance(item, dict) and isinstance(item.get("image"), str) and item["image"]:
                found.append((f"{key}.image", item["image"]))
    return found


def _check_search_pages(site: Site, rel: str, display_root: str, report: Report) -> None:
    try:
        pages = json.loads((site.root / rel).read_text("utf-8"))
    except ValueError:
        return
    for entry in pages.values() if isinstance(pages, dict) else pages:
        url = entry[0] if isinstance(entry, list) and entry else None
        if isinstance(url, str):
            _check(site, "index.html", f"搜索页面清单 {rel}", url, "", display_root, report, editor=False)


def _check(site: Site, page: str, attr: str, url: str, site_url: str, display_root: str, report: Report,
           *, editor: bool) -> None:
    target, fragment = site.resolve(page, url, site_url)
    if target is None:
        return
    if target not in site.files:
        what = "这个文件"
    elif fragment and target.endswith(".html"):
        site.fragments.append((page, attr, url, target, unquote(fragment), editor))
        return
    else:
        return
    _broken(site, page, attr, url, what, display_root, report, editor=editor)


def _broken(site: Site, page: str, attr: str, url: str, what: str, display_root: str, report: Report, *,
            editor: bool) -> None:
    page_shown = f"{display_root}/{page}"
    source = site.sources.get(page) if editor else None
    name = posixpath.basename(unquote(urlsplit(html.unescape(url)).path)) or url
    if source is not None and name in source[1]:
        if (source[0], name) not in site.reported:  # once, not once per variant
            site.reported.add((source[0], name))
            report.add("LINK002", source[0], page=page_shown, attr=attr, target=url, what=what)
    else:
        report.add("LINK001", page_shown, page=page_shown, attr=attr, target=url, what=what)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
