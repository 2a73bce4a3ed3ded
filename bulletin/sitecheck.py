"""The last line of defence: scan the built site before it is published.

Two checks over every file the build wrote:

- personal numbers (a valid ID number, a mobile number) in HTML text (joined across
  bold, <span> and other inline tags, as an editor may have split it), attributes and
  comments, the search index, the sitemap (also gzipped), our own scripts and any file
  name — whatever produced them, a template, a plugin or a caption;
- requests to other hosts: any absolute http(s) or protocol-relative reference that a
  browser would load (src, srcset, poster, stylesheet/icon/preload links, CSS url()
  and @import, fonts, meta refresh, URLs in our own JavaScript) to a host that is not
  the site's own. A plain link (<a href>) loads nothing until clicked; it is allowed
  when an editor wrote it in content, and reported otherwise.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from bisect import bisect_right
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from . import incremental, privacy, tree
from .report import E, W, Message, Report, register

MESSAGES = {
    "SITE001": Message(E, "构建出的网站里出现了{kind}「{masked}」，网站未发布。"
                          "它可能来自照片说明、文件名或生成的页面；请在 site_src/ 中找到并删除它。"),
    "SITE002": Message(E, "网站会从外部服务器「{host}」加载内容（{what}：{url}）。"
                          "读者的浏览器只能从本站加载字体、脚本、样式和图片：页面里的图片请下载到 site_src/ 里再引用；"
                          "来自模板或配置的（例如 theme.font 的网络字体），请在 mkdocs.yml 或 theme/ 中关掉。"),
    "SITE003": Message(W, "链接「{url}」指向外部网站「{host}」，但不是编辑在内容里写的链接（来自模板或插件）。"
                          "请在模板或配置中去掉它，或把它写进页面内容。"),
}
register(MESSAGES)

TEXT_SUFFIXES = {".html", ".htm", ".json", ".xml", ".txt", ".webmanifest", ".csv"}
GZIP_SUFFIXES = {".gz", ".pf_fragment"}
SCANNED_SUFFIXES = TEXT_SUFFIXES | {".js", ".css"}
VENDOR_DIRS = ("assets/javascripts/", "assets/stylesheets/", "assets/external/", "pagefind/")

# rel values of <link> that make the browser fetch the href.
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
                "mask-icon", "preload", "prefetch", "preconnect", "dns-prefetch", "modulepreload",
                "manifest", "prerender"}
LOADING_ATTRS = {"src", "poster", "data", "background", "action", "formaction"}
NAMESPACES = ("http://www.w3.org/", "https://www.w3.org/")
NUMBER_ATTRS_SKIPPED = privacy.NOT_TEXT_ATTRS

_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)
_JS_URL_RE = re.compile(r"""(["'`])((?:https?:)?//[A-Za-z0-9.-]+[^"'`\s]*)\1""")
_REFRESH_RE = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.I)
_KIND = {"PRIV001": "身份证号码", "PRIV003": "手机号码"}


def foreign_host(url: str, own_hosts: set[str]) -> str | None:
    """The host an absolute or protocol-relative URL points at, if it is not ours."""
    url = html.unescape(url.strip())
    if not (url.lower().startswith(("http://", "https://")) or url.startswith("//")):
        return None
    host = (urlsplit(url).hostname or "").lower()
    if not host or host in own_hosts:
        return None
    return host


class _PageScanner(HTMLParser):
    """Collects what to scan for numbers and (line, url, what, is_link) references.

    `texts` are attribute values and comments, (line, text). `phrases` are the text of
    a page between block tags, as [(line, piece), …]: a number an editor split with
    bold or a <span> arrives in several pieces and is only whole when they are joined,
    across exactly the tags `privacy` reads through.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[int, str]] = []
        self.phrases: list[list[tuple[int, str]]] = []
        self.refs: list[tuple[int, str, str, bool]] = []
        self._in: str | None = None
        self._phrase: list[tuple[int, str]] = []

    def _flush(self) -> None:
        if self._phrase:
            self.phrases.append(self._phrase)
            self._phrase = []

    def close(self):
        super().close()
        self._flush()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag == "br":
            self._phrase.append((line, " "))  # as privacy.view reads it
        elif tag not in privacy.INLINE_TAGS:
            self._flush()
        values = {k.lower(): v or "" for k, v in attrs}
        for key, value in values.items():
            if key not in NUMBER_ATTRS_SKIPPED and value and not key.startswith("xmlns"):
                self.texts.append((line, value))
        for key in LOADING_ATTRS & values.keys():
            self.refs.append((line, values[key], f"<{tag} {key}>", False))
        for key in ("srcset", "imagesrcset"):
            for candidate in values.get(key, "").split(","):
                if candidate.strip():
                    self.refs.append((line, candidate.split()[0], f"<{tag} {key}>", False))
        if "href" in values or "xlink:href" in values:
            href = values.get("href") or values.get("xlink:href", "")
            rels = set(values.get("rel", "").lower().split())
            if tag in ("a", "area"):
                self.refs.append((line, href, f"<{tag} href>", True))
            elif tag == "link":
                if rels & LOADING_RELS:
                    self.refs.append((line, href, f"<link rel={values.get('rel')}>", False))
            else:
                self.refs.append((line, href, f"<{tag} href>", False))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH_RE.search(values.get("content", ""))
            if match:
                self.refs.append((line, match.group(1), "<meta refresh>", False))
        if "style" in values:
            self.refs += [(line, url, f"<{tag} style>", False) for url in css_urls(values["style"])]
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag not in privacy.INLINE_TAGS and tag != "br":
            self._flush()
        if tag == self._in:
            self._in = None

    def handle_comment(self, data):
        self.texts.append((self.getpos()[0], data))  # comments are published with the page
        if not privacy.read_through(data):
            self._flush()

    def handle_data(self, data):
        line = self.getpos()[0]
        self._phrase.append((line, data))
        if self._in == "style":
            self._css(line, data)
        elif self._in == "script":
            for m in _JS_URL_RE.finditer(data):
                self.refs.append((line + data.count("\n", 0, m.start()), m.group(2), "<script> 中的地址", False))

    def _css(self, line: int, data: str) -> None:
        for m in _CSS_URL_RE.finditer(data):
            self.refs.append((line + data.count("\n", 0, m.start()), m.group(2) or m.group(4), "<style>", False))


def css_urls(text: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in _CSS_URL_RE.finditer(text)]


def _numbers(text: str, display: str, first_line: int | None, report: Report) -> None:
    for finding in privacy.numbers_in(text):
        line = None if first_line is None else first_line + text.count("\n", 0, finding.start)
        report.add("SITE001", display, line, kind=_KIND[finding.code], masked=finding.masked)


def _numbers_in_phrase(pieces: list[tuple[int, str]], display: str, report: Report) -> None:
    """Scan joined text pieces; a finding is reported on the line of the piece it starts in."""
    if len(pieces) == 1:
        _numbers(pieces[0][1], display, pieces[0][0], report)
        return
    text = "".join(piece for _, piece in pieces)
    starts = list(accumulate((len(piece) for _, piece in pieces[:-1]), initial=0))
    for finding in privacy.numbers_in(text):
        k = bisect_right(starts, finding.start) - 1
        line = pieces[k][0] + text.count("\n", starts[k], finding.start)
        report.add("SITE001", display, line, kind=_KIND[finding.code], masked=finding.masked)


def scan_site(
    site_dir: Path,
    own_hosts: Iterable[str],
    allowed_links: Iterable[str] = (),
    *,
    display_root: str = "site",
    vendor_dirs: tuple[str, ...] = VENDOR_DIRS,
    cache_dir: Path | None = None,
) -> Report:
    """Scan every file under `site_dir` and return a Report of SITE001–SITE003 errors.

    `own_hosts`: host names that are the site itself (from site_url). `allowed_links`:
    the absolute URLs editors wrote as links in content (see `content_links`).
    Problems name files as `display_root/rel` — "site/…", even when the folder being
    checked is the temporary build folder. Material's own bundled scripts and styles
    (`vendor_dirs`) are not searched for URL strings: their CDN addresses are only used
    by features this site does not turn on; CSS is still searched for url().
    With a `cache_dir`, a file's findings are reused from a build that scanned the same
    bytes under the same name and settings.
    """
    site_dir = Path(site_dir)
    own = {h.lower() for h in own_hosts}
    allowed = {html.unescape(u).strip() for u in allowed_links}
    allowed |= {u.rstrip("/") for u in allowed} | {u + "/" for u in allowed if not u.endswith("/")}
    report = Report()
    memo = incremental.Store(Path(cache_dir) / "sitecheck") if cache_dir else None
    settings = incremental.digest("sitecheck", repr(sorted(own)), repr(sorted(allowed)), repr(vendor_dirs))
    for path, rel in tree.files(site_dir):
        display = f"{display_root}/{rel}"
        _numbers(rel, display, None, report)
        suffix = path.suffix.lower()
        if suffix not in SCANNED_SUFFIXES and suffix not in GZIP_SUFFIXES:
            continue
        data = path.read_bytes()
        key = incremental.digest(settings, display, data) if memo is not None else ""
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = Report()
            _scan_file(path, data, rel, display, own, allowed, vendor_dirs, found)
            if memo is not None:
                memo.put(key, found.problems)
            found = found.problems
        report.problems.extend(found)
    if memo is not None:
        memo.finish()
    return report


def _scan_file(path: Path, data: bytes, rel: str, display: str, own: set[str], allowed: set[str],
               vendor_dirs: tuple[str, ...], report: Report) -> None:
    """The findings in one file's content (`data`, read once)."""
    suffix = path.suffix.lower()
    vendor = rel.startswith(vendor_dirs)
    if suffix in (".html", ".htm"):
        _scan_html(data.decode("utf-8", "replace"), display, own, allowed, report)
    elif suffix == ".json":
        _scan_json(data.decode("utf-8", "replace"), display, report)
    elif suffix in TEXT_SUFFIXES or (suffix == ".js" and not vendor):
        text = data.decode("utf-8", "replace")
        _numbers(text, display, 1, report)
        if suffix == ".js":
            _scan_js(text, display, own, report)
    elif suffix in GZIP_SUFFIXES:
        _scan_gzip(data, display, report)
    if suffix == ".css":
        _scan_css(data.decode("utf-8", "replace"), display, own, report)


_ANY_URL_RE = re.compile(r"//([A-Za-z0-9.-]+)")


def _worth_parsing(text: str, own: set[str]) -> bool:
    """A cheap look at the raw page: could it hold a number or a foreign reference?

    Parsing is most of the scan's cost, and most pages hold neither: only their own
    host, the SVG namespace and no long digit runs.
    """
    if any(True for _ in privacy.numbers_in(text)):
        return True
    hosts = {m.group(1).lower() for m in _ANY_URL_RE.finditer(text)}
    return bool(hosts - own - {"www.w3.org"})


def _scan_html(text: str, display: str, own: set[str], allowed: set[str], report: Report) -> None:
    if not _worth_parsing(text, own):
        return
    scanner = _PageScanner()
    scanner.feed(text)
    scanner.close()
    for line, piece in scanner.texts:
        _numbers(piece, display, line, report)
    for pieces in scanner.phrases:
        _numbers_in_phrase(pieces, display, report)
    for line, url, what, is_link in scanner.refs:
        host = foreign_host(url, own)
        if host is None or url.startswith(NAMESPACES):
            continue
        if is_link:
            if html.unescape(url).strip() not in allowed:
                report.add("SITE003", display, line, url=_short(url), host=host)
        else:
            report.add("SITE002", display, line, url=_short(url), host=host, what=what)


def _scan_css(text: str, display: str, own: set[str], report: Report) -> None:
    for m in _CSS_URL_RE.finditer(text):
        url = m.group(2) or m.group(4)
        host = foreign_host(url, own)
        if host:
            line = 1 + text.count("\n", 0, m.start())
            what = "CSS @import" if m.group(4) else "CSS url()"
            report.add("SITE002", display, line, url=_short(url), host=host, what=what)


def _scan_js(text: str, display: str, own: set[str], report: Report) -> None:
    for m in _JS_URL_RE.finditer(text):
        url = m.group(2)
        host = foreign_host(url, own)
        if host and not url.startswith(NAMESPACES):
            line = 1 + text.count("\n", 0, m.start())
            report.add("SITE002", display, line, url=_short(url), host=host, what="脚本中的地址")


def _scan_json(text: str, display: str, report: Report) -> None:
    """Scan the strings inside a JSON file, so that \\uFF11-escaped digits count too.

    MkDocs writes its search index with ASCII escapes: a full-width number is only
    visible once the JSON is decoded. Each string is scanned on its own (line 1: such
    files are one line); a file that is not JSON is scanned as text.
    """
    try:
        data = json.loads(text)
    except ValueError:
        _numbers(text, display, 1, report)
        return
    strings: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) >= 11:  # a shorter string holds no number on its own
                strings.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    # One scan for the file: a block tag between strings ends a number as it does in a page.
    _numbers(_STRING_GAP.join(strings), display, 1, report)


_STRING_GAP = "<p>"


def _scan_gzip(raw: bytes, display: str, report: Report) -> None:
    try:
        data = gzip.decompress(raw)
    except (OSError, EOFError):
        return  # not gzip after all (a photo named .gz is not ours to judge)
    if data.startswith(b"pagefind_dcd"):
        data = data[len(b"pagefind_dcd"):]
    text = data.decode("utf-8", "replace")
    if text.lstrip()[:1] in ("{", "["):
        _scan_json(text, display, report)  # pagefind fragments are JSON
    else:
        _numbers(text, display, 1, report)


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:80] + "…"


_LINK_RE = re.compile(
    r"\]\(\s*<?((?:https?:)?//[^\s)>]+)"  # [text](https://…)
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?((?:https?:)?//\S+?)>?(?:[ \t]|$)"  # [id]: https://…
    r"|<(https?://[^>\s]+)>"  # <https://…>
    r"|<a\b[^>]*?\bhref\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)",  # <a href="https://…">
    re.M | re.I,
)


def content_links(sources: Iterable) -> set[str]:
    """The absolute URLs that editors wrote as links in Markdown pages (`content.Source`s).

    These are the `<a href>`s scan_site accepts. Images are not links: an external image
    is a request, and is reported whatever its origin.
    """
    links: set[str] = set()
    for source in sources:
        for m in _LINK_RE.finditer(source.text):
            url = next(g for g in m.groups() if g)
            links.add(html.unescape(url))
    return links


def own_hosts(site_url: str | None) -> set[str]:
    """The host names that count as the site itself, from mkdocs.yml's site_url."""
    host = urlsplit(site_url or "").hostname
    return {host.lower()} if host else set()
