"""VariantWriter: the variant copies of each page, then the site-wide files."""

from __future__ import annotations

import functools
import os
import posixpath
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import incremental
from ..script import Converter, parse
from ..script.markers import HANS
from .links import PageRewriter
from .model import PER_VARIANT, Variant, as_variants, is_page_path, page_url, up
from .sitemap import write_sitemaps


_BATCH_BYTES = 8 * 1024 * 1024

# Material's JavaScript takes every <link rel="alternate"> for a language root: it asks
# each for <href>/sitemap.xml (on every page, a request that fails; on a home page, the
# whole sitemap) and reroutes clicks with what it finds. This script, run before Material's,
# answers those requests as failed without the network, so Material leaves per-page
# alternates alone; the base sitemap that its instant navigation reads still loads.
# docs/material.md lists it among the couplings to Material.
ALTERNATES_GUARD = (
    '<script>(function(X){if(!X)return;var open=X.prototype.open,send=X.prototype.send;'
    'function refused(url){try{var u=new URL(url,location.href);'
    'if(!/\\/sitemap\\.xml$/.test(u.pathname))return false;'
    'var c=JSON.parse((document.getElementById("__config")||{}).textContent||"{}");'
    'if((c.features||[]).indexOf("navigation.instant")>=0'
    '&&u.href===new URL("sitemap.xml",new URL(c.base||".",location.href)).href)return false;'
    'var l=document.querySelectorAll("link[rel~=alternate][hreflang]");'
    'for(var i=0;i<l.length;i++)if(new URL("sitemap.xml",l[i].href).href===u.href)return true}catch(e){}'
    'return false}'
    'X.prototype.open=function(m,url){this.blRefused=refused(url);return open.apply(this,arguments)};'
    'X.prototype.send=function(){if(!this.blRefused)return send.apply(this,arguments);var x=this;'
    'setTimeout(function(){x.dispatchEvent(new ProgressEvent("error"))},0)}})(window.XMLHttpRequest)</script>'
)


class AlreadyConverted(ValueError):
    """A page went through the writer before. Converting it again would convert the
    converted text (lossy: 為 → 为 → 爲) and prefix its URLs twice."""

    def __init__(self, rel: str):
        super().__init__(f"{rel} has already been converted into its script variants")
        self.rel = rel


@dataclass
class WriteStats:
    pages: int = 0
    files: int = 0
    seconds_parse: float = 0.0
    seconds_render: float = 0.0


class VariantWriter:
    """Writes the variant copies of a site built in the default variant.

    converter_factory(variant) -> Converter for that variant's script (the plugin builds
    them once per build with the glossary and names). site_url: the configured site URL
    (absolute links and sitemaps), or None. cache_dir: where pages' variants are kept for
    the next build, or None. chrome: the script of text that carries no
    region marker, i.e. of Material's UI strings and the templates (theme.language "zh"
    is Simplified; pass "zh-Hant" or "zh-TW" for those languages).
    """

    def __init__(self, site_dir: str | Path, variants: Iterable[Variant | Mapping], default: str,
                 converter_factory: Callable[[Variant], Converter], site_url: str | None = None,
                 chrome: str = HANS, cache_dir: str | Path | None = None):
        self.site_dir = Path(site_dir)
        # a page's variants as an earlier build wrote them from the same page (see `memo_key`)
        self.memo = incremental.Store(Path(cache_dir) / "pages") if cache_dir else None
        self._memo_key: str | None = None
        self.last_key: str | None = None  # the key of the last page's copies, when they are kept
        self.variants = as_variants(variants, default)
        self.default = self.variants[0]
        self.by_code = {v.code: v for v in self.variants}
        self.converters = {v.code: converter_factory(v) for v in self.variants}
        self.site_url = (site_url.rstrip("/") + "/") if site_url else ""
        self.base_path = urlsplit(self.site_url).path or "/" if self.site_url else "/"
        self.chrome = chrome
        self.pages: list[str] = []
        self.stats = WriteStats()
        self._names_page: dict[str, bool | None] = {}
        self._rebuilt: dict[tuple[str, str, bool], dict[str, str | None]] = {}
        self._pending: list[tuple[str, bytes]] = []
        self._pending_bytes = 0
        self._made_dirs: set[str] = set()

    def is_shared_file(self, path: str) -> bool:
        """An extension-less path that is a file on disk (CNAME, a download) is shared too."""
        last = path.rsplit("/", 1)[-1]
        shared = bool(last) and "." not in last and path not in PER_VARIANT \
            and (self.site_dir / path).is_file()
        if shared != (path in self._extensionless()):
            self.memo = None  # a file appeared or went while pages were written: reuse nothing more
        return shared

    @functools.cache
    def _extensionless(self) -> frozenset[str]:
        """The site's files without an extension when the first page is written: the only
        thing on disk a page's variants depend on (see `is_shared_file`)."""
        found = set()
        for folder, _, names in os.walk(self.site_dir):
            for name in names:
                if "." not in name:
                    found.add(os.path.relpath(os.path.join(folder, name), self.site_dir).replace(os.sep, "/"))
        return frozenset(found)

    def memo_key(self) -> str:
        """Everything but the page that its variants depend on: the variants, the site URL,
        each converter's script, options, glossary and names, and the extension-less files."""
        if self._memo_key is None:
            converters = [(code, c.target, c.phrases, c.corner_quotes, repr(c.lexicon.entries))
                          for code, c in sorted(self.converters.items())]
            self._memo_key = incremental.digest(
                "variant-writer", repr(self.variants), self.site_url, self.base_path, self.chrome, repr(converters),
                "\n".join(sorted(self._extensionless())))
        return self._memo_key

    def names_page(self, rest: str) -> bool | None:
        """Whether root-relative path `rest` names a page (not a shared file); None when
        `rest` is not in its plain form ("./", "../" or "//" in it). Remembered per build."""
        try:
            return self._names_page[rest]
        except KeyError:
            pass
        plain = rest.rstrip("/")
        if plain and posixpath.normpath(plain) != plain or plain.startswith("../") or plain == "..":
            known = None
        else:
            known = is_page_path(rest) and not self.is_shared_file(rest)
        self._names_page[rest] = known
        return known

    def rebuilt_tags(self, variant: Variant, climb: str, error_page: bool) -> dict[str, str | None]:
        """Tags as rewritten for `variant` on pages `climb` below the root (see PageRewriter.rebuild)."""
        return self._rebuilt.setdefault((variant.code, climb, error_page), {})

    def counterpart(self, rel: str, current: Variant, target: Variant) -> str:
        """URL of page `rel` in `target`, relative to `current`'s copy (absolute on the 404 page)."""
        if rel == "404.html":
            return self.base_path + (target.prefix + "/" if target.prefix else "")
        climb = "../" * current.depth + up(posixpath.dirname(rel))
        return (climb or "./") + (target.prefix + "/" if target.prefix else "") + page_url(rel)

    def alternates(self, rel: str, current: Variant) -> str:
        """<link rel=alternate hreflang> for every variant of page `rel` (none on the 404 page).

        href is absolute when the site URL is known (what search engines require);
        data-href is relative, so the switch works on any host, also in preview.

        Followed by ALTERNATES_GUARD (see there). The sitemap carries the same hreflang set.
        """
        if rel == "404.html":
            return ""
        links = []
        for variant in self.variants:
            relative = self.counterpart(rel, current, variant)
            absolute = self._absolute(rel, variant) or relative
            links.append(f'<link rel="alternate" hreflang="{variant.lang}" href="{absolute}" '
                         f'data-variant="{variant.code}" data-href="{relative}">')
        default_url = self._absolute(rel, self.default) or self.counterpart(rel, current, self.default)
        links.append(f'<link rel="alternate" hreflang="x-default" href="{default_url}">')
        return "".join(links) + ALTERNATES_GUARD

    def _absolute(self, rel: str, variant: Variant) -> str:
        if not self.site_url:
            return ""
        return self.site_url + (variant.prefix + "/" if variant.prefix else "") + page_url(rel)

    def page(self, rel: str, html: str) -> str:
        """Write every non-default variant of page `rel` (path of its HTML file relative to
        site_dir, POSIX); return the default variant's HTML for the caller to write."""
        rel = rel.replace("\\", "/")
        self.last_key = None
        memo, key = self.memo, self.key_for(rel, html)
        if key is not None:
            done = memo.get(key)
            if done is not None:
                self.last_key = key
                return self.reuse(rel, done)
        texts: list[str] = []
        out = self._convert(rel, html, texts)
        if key is not None and self.memo is memo:
            memo.put(key, texts)
            self.last_key = key
        return out

    def key_for(self, rel: str, html: str) -> str | None:
        """The key of page `rel`'s copies made from `html` (None: nothing is kept)."""
        if self.memo is None:
            return None
        return incremental.digest(self.memo_key(), rel.replace("\\", "/"), html)

    def kept(self, key: str) -> list[str] | None:
        """The copies kept under `key` (every variant's text, in the order of `variants`)."""
        return self.memo.get(key) if self.memo is not None else None

    def reuse(self, rel: str, texts: list[str]) -> str:
        """Write kept copies of page `rel`; return the default variant's text."""
        out = ""
        for variant, text in zip(self.variants, texts):
            if variant.prefix:
                self._write(os.path.join(self.site_dir, variant.prefix, rel), text)
            else:
                out = text
        self.stats.pages += 1
        self.pages.append(rel)
        return out

    def _convert(self, rel: str, html: str, texts: list[str]) -> str:
        t0 = time.perf_counter()
        doc = parse(html, self.chrome)
        t1 = time.perf_counter()
        if any(tag.name == "link" and tag.get("data-variant") is not None for tag in doc.tags):
            raise AlreadyConverted(rel)
        out = html
        for variant in self.variants:
            text = self.converters[variant.code].render(
                doc, PageRewriter(self, rel, variant), self.alternates(rel, variant))
            texts.append(text)
            if variant.prefix:
                self._write(os.path.join(self.site_dir, variant.prefix, rel), text)
            else:
                out = text
        self.stats.seconds_parse += t1 - t0
        self.stats.seconds_render += time.perf_counter() - t1
        self.stats.pages += 1
        self.pages.append(rel)
        return out

    def _write(self, dest: str, text: str) -> None:
        """Variant copies are written in batches: in a 1,000-plan build, writing each copy
        as its page was rendered took 1.0–1.4 s of CPU, in 8 MB batches about 0.5 s."""
        data = text.encode("utf-8")
        self._pending.append((dest, data))
        self._pending_bytes += len(data)
        if self._pending_bytes >= _BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the variant copies made so far (plain system calls: half the time of
        pathlib's buffered files for a thousand pages)."""
        made = self._made_dirs
        for dest, data in self._pending:
            parent = os.path.dirname(dest)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            self.stats.files += 1
        self._pending.clear()
        self._pending_bytes = 0

    def finish(self) -> None:
        """Per-variant sitemaps; call after every page was written."""
        self.flush()
        if self.memo is not None:
            self.memo.finish()
        self.sitemaps()

    def sitemaps(self) -> None:
        write_sitemaps(self.site_dir, self.variants, self.site_url, self.base_path)


def write_variants(site_dir: str | Path, pages: Iterable[str], variants: Iterable[Variant | Mapping],
                   default: str, converter_factory: Callable[[Variant], Converter],
                   site_url: str | None = None, chrome: str = HANS) -> WriteStats:
    """Convert a built site on disk: the default variant in place, the others under their
    prefixes; then the sitemaps. `pages` are the HTML files, relative
    to site_dir. Returns timing and counts."""
    writer = VariantWriter(site_dir, variants, default, converter_factory, site_url, chrome)
    for rel in pages:
        path = writer.site_dir / rel
        html = path.read_text(encoding="utf-8")
        out = writer.page(rel, html)
        if out != html:
            path.write_text(out, encoding="utf-8")
    writer.finish()
    return writer.stats


def find_pages(site_dir: str | Path, variants: Iterable[Variant | Mapping], default: str) -> list[str]:
    """Every HTML file under site_dir outside the variant folders, relative, sorted."""
    root = Path(site_dir)
    skip = {v.prefix for v in as_variants(variants, default) if v.prefix}
    out = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        if rel.split("/", 1)[0] in skip:
            continue
        out.append(rel)
    return sorted(out)
