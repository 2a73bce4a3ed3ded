"""Shared by the safety tests: hashing a tree, finding what could run in built HTML."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path


def tree_hash(directory: Path) -> str:
    """One digest over every path, file mode and byte under `directory`."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        digest.update(rel.encode() + b"\0" + oct(path.lstat().st_mode).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


class PageDangers(HTMLParser):
    """What in a built page could run editor script or pull in another site.

    The theme's own <script> elements and its search <form> are expected; a script is
    reported only if it carries one of the test markers. Everything else that can run,
    embed or redirect is reported wherever it is.
    """

    def __init__(self, markers: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.markers = markers
        self.found: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag in ("iframe", "object", "embed", "frame", "applet", "base", "math"):
            self.found.append(f"{line}: <{tag}>")
        for key, value in attrs:
            value = value or ""
            if key.startswith("on"):
                self.found.append(f"{line}: <{tag} {key}>")
            plain = re.sub(r"[\x00-\x20]", "", value).lower()
            if key in ("href", "src", "srcset", "poster", "data", "action") and \
                    plain.startswith(("javascript:", "vbscript:", "data:text", "data:image/svg")):
                self.found.append(f"{line}: <{tag} {key}={value[:30]}>")
            # the albums' own placeholder is an inline raster image; nothing else may load
            if key == "style" and re.search(r"url\((?!['\"]?data:image/(?:webp|png|jpeg);base64,)|expression|javascript",
                                            value, re.I):
                self.found.append(f"{line}: <{tag} style={value[:30]}>")
            if key in ("data-title", "data-description") and "<" in value:
                self.found.append(f"{line}: <{tag} {key}={value[:30]}>")
            if key == "http-equiv" and value.lower() == "refresh":
                self.found.append(f"{line}: <meta refresh>")
        if tag in ("script", "title", "style"):
            self._in, self._text = tag, []

    def handle_data(self, data):
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == self._in:
            text = "".join(self._text)
            if tag == "title" and "<" in text:
                self.found.append(f"<title> holds markup: {text[:40]}")
            if tag in ("script", "style") and any(m in text for m in self.markers):
                self.found.append(f"<{tag}> with editor content: {text[:40]}")
            self._in = None

    def handle_comment(self, data):
        if any(m in data for m in self.markers):
            self.found.append(f"comment published: {data[:40]}")


def page_dangers(html: str, markers: tuple[str, ...] = ("xss",)) -> list[str]:
    parser = PageDangers(markers)
    parser.feed(html)
    parser.close()
    return parser.found
