"""A copy of the built site that opens from a USB stick, by double-clicking index.html.

A web server turns `plans/` into `plans/index.html`; a browser opening files does not,
and shows a folder listing instead. So the copy names the file in every local link that
leads to a folder: `href`, `src`, any `*-href` (the switch reads `data-href`), in every
page of every variant. Everything else (photos, the screen, styles) already names files.
The published site is not touched: the copy is written beside it, then moved into place.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from .linkcheck import url_attribute

_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>")
_ATTR = re.compile(r"""(\s)([^\s=>/]+)(\s*=\s*)("[^"]*"|'[^']*')""")
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def folder_link(url: str, page: str, files: set[str]) -> str | None:
    """`url` naming index.html if it is a local link to a folder of the site, else None."""
    raw = html.unescape(url)
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or raw.startswith(("#", "/")):
        return None
    path = parts.path
    if not path:
        return None  # "#anchor" or "?query" on the same page
    if not path.endswith("/"):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        folder_index = "index.html" if target == "." else f"{target}/index.html"
        if target in files or folder_index not in files:
            return None
        path += "/"
    new = path + "index.html"
    if parts.query:
        new += "?" + parts.query
    if parts.fragment:
        new += "#" + parts.fragment
    return html.escape(new, quote=True)


def rewrite_page(text: str, page: str, files: set[str]) -> str:
    """One page with every local link to a folder naming its index.html."""
    scripts = [m.span() for m in _SCRIPT.finditer(text)]

    def tag(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in scripts):
            return match.group(0)

        def attr(m: re.Match) -> str:
            name = m.group(2).lower()
            if not url_attribute(name) or name.endswith("srcset"):
                return m.group(0)
            quote, value = m.group(4)[0], m.group(4)[1:-1]
            new = folder_link(value, page, files)
            return m.group(0) if new is None else f"{m.group(1)}{m.group(2)}{m.group(3)}{quote}{new}{quote}"

        return _ATTR.sub(attr, match.group(0))

    return _TAG.sub(tag, text)


def write_copy(site_dir: Path, target: Path) -> int:
    """Write the USB copy of `site_dir` to `target` (replaced whole). Returns pages rewritten."""
    site_dir, target = Path(site_dir), Path(target)
    staging = target.with_name(target.name + ".tmp-usb")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(site_dir, staging)
    files = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()}
    count = 0
    for rel in sorted(files):
        if rel.endswith(".html"):
            path = staging / rel
            text = path.read_text(encoding="utf-8")
            new = rewrite_page(text, rel, files)
            if new != text:
                path.write_text(new, encoding="utf-8")
                count += 1
    if target.exists():
        old = target.with_name(target.name + ".old-usb")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old)
    else:
        os.replace(staging, target)
    return count
