"""Cut rendered HTML into what people read and what machines read.

`parse` tokenises a page once with a regex tokenizer: everything not converted is kept
as the exact original text, so the output is byte-identical outside the converted
pieces (and the region markers, which are always removed). A `Document` can then be
rendered into any number of variants (`Converter.render`), optionally with a
`Rewriter` that changes machine attributes such as URLs (the variant writer).

Converted: text nodes, the attributes people read (READABLE_ATTRS, the content of
descriptive <meta> tags, the label of buttons) and the UI strings under "translations"
in Material's `<script id="__config">`. Never converted: tags, other attributes, URLs,
comments, <script>, <style>, <textarea>, <code>, <pre>, <kbd>, <samp>, and anything
inside an element with translate="no" (HTML's own "do not translate" flag, used by the
script switch so 简 and 繁 keep their own forms).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

from .markers import HANS, effective, has_marks, runs, strip_marks

READABLE_ATTRS = frozenset({
    "alt", "title", "aria-label", "aria-description", "aria-roledescription",
    "aria-placeholder", "aria-valuetext", "placeholder", "label",
})
META_READABLE = frozenset({
    "description", "og:title", "og:description", "og:site_name", "og:image:alt",
    "twitter:title", "twitter:description", "twitter:image:alt", "application-name",
    "apple-mobile-web-app-title",
})
BUTTON_TYPES = frozenset({"button", "submit", "reset"})
SKIP_TEXT = frozenset({"code", "pre", "kbd", "samp"})
RAW_TEXT = frozenset({"script", "style", "textarea"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                  "meta", "source", "track", "wbr"})

_TOKEN_RE = re.compile(
    r"(<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>)"   # 1: comment (unterminated: to the end), doctype
    r"|</([A-Za-z][^\s/>]*)[^>]*>"              # 2: end tag name
    r"|<([A-Za-z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",  # 3: start tag name; quotes may hold >
    re.S)
_ATTR_RE = re.compile(
    r"([^\s\"'>/=][^\s\"'>/=]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_HINT_RE = re.compile(r"(?i)(?:alt|title|aria-[a-z]+|placeholder|label|content|value|translate)\s*=")
_RAW_END = {name: re.compile(rf"</{name}(?=[\s/>])", re.I) for name in RAW_TEXT}
_STRING = r'"(?:[^"\\]|\\.)*"'
# A flat object of strings, as Material writes it; anything else is left alone.
_TRANSLATIONS_RE = re.compile(
    rf'"translations"\s*:\s*(\{{\s*(?:{_STRING}\s*:\s*{_STRING}\s*,?\s*)*\}})')
_JSON_PAIR_RE = re.compile(r'"(?:[^"\\]|\\.)*"\s*:\s*"((?:[^"\\]|\\.)*)"')

Run = tuple[str, str]  # (script, text)


class Attr:
    """One attribute of a start tag; spans index into the tag's raw text."""

    __slots__ = ("name", "value", "start", "vstart", "vend", "end", "quote")

    def __init__(self, name, value, start, vstart, vend, end, quote):
        self.name, self.value, self.quote = name, value, quote
        self.start, self.vstart, self.vend, self.end = start, vstart, vend, end


class Tag:
    """A start tag as written, with what is needed to rebuild it."""

    __slots__ = ("part", "raw", "name", "_attrs", "readable", "marks")

    def __init__(self, part: int, raw: str, name: str):
        self.part, self.raw, self.name = part, raw, name
        self._attrs: list[Attr] | None = None
        self.readable: list[tuple[int, list[Run]]] = []  # (attr index, runs)
        self.marks = has_marks(raw)

    @property
    def attrs(self) -> list[Attr]:
        if self._attrs is None:
            self._attrs = parse_attrs(self.raw, len(self.name) + 1)
        return self._attrs

    def get(self, name: str) -> str | None:
        for attr in self.attrs:
            if attr.name == name:
                return attr.value
        return None

    def attr_dict(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for attr in self.attrs:
            out.setdefault(attr.name, strip_marks(attr.value) if attr.value is not None else "")
        return out


class Raw:
    """The content of a <script>, <style> or <textarea>, kept as written."""

    __slots__ = ("part", "tag", "text", "strings")

    def __init__(self, part: int, tag: Tag, text: str):
        self.part, self.tag, self.text = part, tag, text
        self.strings: list[tuple[int, int, list[Run]]] = []  # JSON string spans to convert


class Document:
    """A page cut into fixed parts and the slots each variant fills in."""

    __slots__ = ("parts", "texts", "tags", "raws", "head_end", "base", "_selected")

    def __init__(self, base: str = HANS):
        self.parts: list[str] = []
        self.texts: list[tuple[int, list[Run]]] = []
        self.tags: list[Tag] = []
        self.raws: list[Raw] = []
        self.head_end: int | None = None
        self.base = base
        self._selected: dict[object, list[Tag]] = {}

    def tags_to_fill(self, may_change: Callable[[Tag], bool]) -> list[Tag]:
        """The tags a render must visit, in order: those with readable attributes, and
        those `may_change` (a rewriter's test, the same for every variant) picks.
        Worked out once per page."""
        found = self._selected.get(may_change)
        if found is None:
            found = self._selected[may_change] = [
                tag for tag in self.tags if tag.readable or may_change(tag)]
        return found


def parse_attrs(raw: str, pos: int) -> list[Attr]:
    attrs = []
    end = len(raw) - 1
    for m in _ATTR_RE.finditer(raw, pos, end):
        name = m.group(1).lower()
        if m.lastindex is None or m.lastindex == 1:
            attrs.append(Attr(name, None, m.start(), None, None, m.end(), ""))
            continue
        group = m.lastindex
        quote = '"' if group == 2 else "'" if group == 3 else ""
        attrs.append(Attr(name, m.group(group), m.start(), m.start(group), m.end(group),
                          m.end(), quote))
    return attrs


def _readable(tag: Tag) -> list[int]:
    """Indexes of the attributes of `tag` that people read."""
    out = []
    attrs = tag.attrs
    for i, attr in enumerate(attrs):
        if attr.value is None:
            continue
        if attr.name in READABLE_ATTRS:
            out.append(i)
        elif attr.name == "content" and tag.name == "meta":
            kind = (tag.get("name") or tag.get("property") or "").lower()
            if kind in META_READABLE:
                out.append(i)
        elif attr.name == "value" and tag.name == "input" \
                and (tag.get("type") or "").lower() in BUTTON_TYPES:
            out.append(i)
    return out


def parse(html: str, base: str = HANS) -> Document:
    """Tokenise `html` once; `base` is the script of text outside any region marker."""
    doc = Document(base)
    parts = doc.parts
    stack: list[str] = []
    skip = 0
    notranslate: list[list] = []  # [tag name, nesting depth]
    pos, n = 0, len(html)
    search = _TOKEN_RE.search

    def text(piece: str) -> None:
        if skip or notranslate:
            if has_marks(piece):
                runs(piece, stack, base)
                piece = strip_marks(piece)
            parts.append(piece)
        elif piece.isascii():
            parts.append(piece)
        else:
            doc.texts.append((len(parts), runs(piece, stack, base)))
            parts.append("")

    while pos < n:
        m = search(html, pos)
        if m is None:
            text(html[pos:])
            break
        if m.start() > pos:
            text(html[pos:m.start()])
        tok = m.group()
        pos = m.end()
        group = m.lastindex
        if group == 1:
            parts.append(strip_marks(tok))
            continue
        name = m.group(group).lower()
        if group == 2:
            if name in SKIP_TEXT and skip:
                skip -= 1
            if notranslate and notranslate[-1][0] == name:
                notranslate[-1][1] -= 1
                if not notranslate[-1][1]:
                    notranslate.pop()
            if name == "head" and doc.head_end is None:
                doc.head_end = len(parts)
            parts.append(strip_marks(tok))
            continue
        tag = Tag(len(parts), tok, name)
        doc.tags.append(tag)
        parts.append(strip_marks(tok) if tag.marks else tok)
        opens = name not in VOID and not tok.endswith("/>")
        if tag.marks or _HINT_RE.search(tok):
            refused = (tag.get("translate") or "").lower() == "no"
            if refused and opens and not notranslate:
                notranslate.append([name, 0])
            if not refused and not notranslate:
                for i in _readable(tag):
                    tag.readable.append((i, runs(tag.attrs[i].value, list(stack), base)))
        if opens:
            if notranslate and notranslate[-1][0] == name:
                notranslate[-1][1] += 1
            if name in SKIP_TEXT:
                skip += 1
            elif name in RAW_TEXT:
                close = _RAW_END[name].search(html, pos)
                stop = close.start() if close else n
                raw = Raw(len(parts), tag, html[pos:stop])
                if name == "script" and tag.get("id") == "__config" and not notranslate:
                    _config_strings(raw, effective(stack, base))
                doc.raws.append(raw)
                parts.append(strip_marks(raw.text))
                pos = stop
    return doc


def _config_strings(raw: Raw, script: str) -> None:
    """Find the values under "translations" in Material's __config JSON."""
    m = _TRANSLATIONS_RE.search(raw.text)
    if m is None:
        return
    for pair in _JSON_PAIR_RE.finditer(raw.text, m.start(1), m.end(1)):
        value = _json_string(pair.group(1))
        if value is not None:
            raw.strings.append((pair.start(1), pair.end(1), [(script, value)]))


@functools.lru_cache(maxsize=1024)
def _json_string(body: str) -> str | None:
    try:
        return json.loads('"' + body + '"')
    except ValueError:
        return None


def encode_json_string(value: str) -> str:
    """A JSON string body as Jinja's `tojson` writes it (ASCII, HTML-safe)."""
    body = json.dumps(value)[1:-1]
    return (body.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("'", "\\u0027"))


def escape_attr(value: str, quote: str) -> str:
    """Escape the quote character; `value` is raw attribute text, entities already in place."""
    if quote == "'":
        return value.replace("'", "&#39;")
    return value.replace('"', "&quot;")


def rebuild_tag(tag: Tag, values: dict[int, str], extra: dict[str, str | None]) -> str:
    """`tag`'s raw text with attribute values replaced (index -> raw value) and
    attributes set or removed by name (None removes); untouched text stays as written."""
    raw = tag.raw
    attrs = tag.attrs
    edits: list[tuple[int, int, str]] = []
    for i, value in values.items():
        attr = attrs[i]
        if attr.vstart is None:
            edits.append((attr.start, attr.end, f'{attr.name}="{escape_attr(value, chr(34))}"'))
        elif attr.quote:
            edits.append((attr.vstart, attr.vend, escape_attr(value, attr.quote)))
        else:
            edits.append((attr.vstart, attr.vend, f'"{escape_attr(value, chr(34))}"'))
    append = []
    for name, value in extra.items():
        index = next((i for i, a in enumerate(attrs) if a.name == name), None)
        if index is None:
            if value is not None:
                append.append(f' {name}="{escape_attr(value, chr(34))}"')
            continue
        attr = attrs[index]
        edits = [e for e in edits if not (attr.start <= e[0] < attr.end)]
        if value is None:
            start = attr.start
            while start > 0 and raw[start - 1].isspace():
                start -= 1
            edits.append((start, attr.end, ""))
        else:
            edits.append((attr.start, attr.end, f'{attr.name}="{escape_attr(value, chr(34))}"'))
    if not edits and not append:
        return raw
    out = []
    pos = 0
    for start, end, new in sorted(edits):
        out.append(raw[pos:start])
        out.append(new)
        pos = end
    tail = raw[pos:]
    if append:
        cut = len(tail) - (2 if tail.endswith("/>") else 1)
        while cut > 0 and tail[cut - 1].isspace() and tail.endswith("/>"):
            cut -= 1
        tail = tail[:cut] + "".join(append) + tail[cut:]
    out.append(tail)
    return "".join(out)
