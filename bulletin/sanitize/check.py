"""The warnings: each dangerous construct in an editor's Markdown, with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from typing import Iterator

from ..fences import fenced_lines
from ..report import W, Message, Report, register
from .clean import safe_style, url_scheme

MESSAGES = {
    "XSS001": Message(W, "页面里的 <{tag}> 标签可能运行脚本或加载外部内容，发布时已删除。"
                         "如需展示视频或地图，请使用截图或普通链接。"),
    "XSS002": Message(W, "HTML 标签上的事件属性「{attr}」会运行脚本，发布时已删除。请去掉这个属性。"),
    "XSS003": Message(W, "属性列表「{{ … }}」里的事件属性「{attr}」会运行脚本，发布时已删除。"
                         "属性列表只用来写 #id、.class 或 width 之类的普通属性。"),
    "XSS004": Message(W, "链接或图片地址「{url}」使用了 {scheme}: 协议，可能运行脚本或夹带内容，发布时已删除。"
                         "请改用网址（https://…）或 site_src/ 里文件的相对路径。"),
    "XSS005": Message(W, "<meta http-equiv=\"refresh\"> 会把读者自动跳转到别处，发布时已删除。"
                         "如需跳转，请写一个普通链接。"),
    "XSS006": Message(W, "样式「{style}」里含有 url()、expression 或脚本，发布时已删除。"
                         "样式只写颜色、对齐、宽度等，图片请用 Markdown 图片语法。"),
}
register(MESSAGES)


DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
    "link", "style", "meta", "noscript", "template", "math",
}

_TAG_RE = re.compile(r"<\s*([A-Za-z][A-Za-z0-9-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTR_RE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_ATTR_LIST_RE = re.compile(r"\{:?[ \t]*((?:[#.][^\s{}]+|[A-Za-z_:][\w:.-]*=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+))"
                           r"(?:[ \t]+(?:[#.][^\s{}]+|[A-Za-z_:][\w:.-]*=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+)))*)[ \t]*\}")
_LINK_TARGET_RE = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))+)")
_REF_DEF_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)", re.M)
_AUTOLINK_RE = re.compile(r"<((?:javascript|vbscript|data):[^>\s]*)>", re.I)
_INLINE_CODE_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_BAD_SCHEMES = {"javascript", "vbscript", "data", "livescript"}


@dataclass(frozen=True)
class Construct:
    """One dangerous thing in Markdown: its problem code, offset and message fields."""

    code: str
    offset: int
    fields: tuple[tuple[str, str], ...]


def blank_code(text: str) -> str:
    """`text` with fenced code blocks, inline code spans and HTML comments blanked out.

    Newlines are kept, so an offset in the result is a line in the original. What is
    inside code is shown as text, never run, so it must not raise a warning.
    """
    lines = text.splitlines(keepends=True)
    out = [_blank(line) if code else _INLINE_CODE_RE.sub(lambda m: _blank(m.group(0)), line)
           for line, code in zip(lines, fenced_lines(lines))]
    return _COMMENT_RE.sub(lambda m: _blank(m.group(0)), "".join(out))


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def link_targets(plain: str) -> Iterator[tuple[int, str]]:
    """(offset, target) of each Markdown link and image, inline or by reference definition.

    `plain` is Markdown with its code blanked (`blank_code`): a link shown as code is not one.
    """
    for regex in (_LINK_TARGET_RE, _REF_DEF_RE):
        for m in regex.finditer(plain):
            yield m.start(1), m.group(1)


def find_constructs(markdown: str) -> Iterator[Construct]:
    """Every dangerous construct in Markdown text, in order of where it starts."""
    text = blank_code(markdown)
    found: list[Construct] = []
    for tag in _TAG_RE.finditer(text):
        name = tag.group(1).lower()
        attrs = [(m.group(1).lower(), _unquote(m.group(2) or "")) for m in _ATTR_RE.finditer(tag.group(2))]
        if name == "meta" and any(k == "http-equiv" and v.strip().lower() == "refresh" for k, v in attrs):
            found.append(Construct("XSS005", tag.start(), ()))
        elif name in DANGEROUS_TAGS:
            found.append(Construct("XSS001", tag.start(), (("tag", name),)))
        for key, value in attrs:
            _check_attribute(key, value, tag.start(), "XSS002", found)
    for block in _ATTR_LIST_RE.finditer(text):
        for m in _ATTR_RE.finditer(block.group(1)):
            _check_attribute(m.group(1).lower(), _unquote(m.group(2) or ""), block.start(), "XSS003", found)
    autolinks = ((m.start(1), m.group(1)) for m in _AUTOLINK_RE.finditer(text))
    for offset, url in chain(link_targets(text), autolinks):
        scheme = url_scheme(url)
        if scheme in _BAD_SCHEMES:
            found.append(Construct("XSS004", offset, (("url", _short(url)), ("scheme", scheme))))
    seen: set[tuple[str, int]] = set()
    for construct in sorted(found, key=lambda c: (c.offset, c.code)):
        if (construct.code, construct.offset) not in seen:
            seen.add((construct.code, construct.offset))
            yield construct


def _check_attribute(key: str, value: str, offset: int, handler_code: str, found: list[Construct]) -> None:
    if key.startswith("on") and len(key) > 2:
        found.append(Construct(handler_code, offset, (("attr", key),)))
    elif key == "style" and not safe_style(value):
        found.append(Construct("XSS006", offset, (("style", _short(value)),)))
    elif key in ("href", "src", "srcset", "poster", "action", "formaction", "data", "xlink:href"):
        for candidate in value.split(",") if key == "srcset" else [value]:
            url = candidate.strip().split(" ")[0] if candidate.strip() else ""
            scheme = url_scheme(url)
            if scheme in _BAD_SCHEMES:
                found.append(Construct("XSS004", offset, (("url", _short(url)), ("scheme", scheme))))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def check_markdown(source, report: Report) -> int:
    """Report each dangerous construct in a `content.Source` as a warning.

    The whole file is read, front matter included (a title is rendered into the page
    too), so lines are lines of the file. The page is still built: `clean_html` and
    `plain_text` remove the construct, and the warning says so. Returns the count.
    """
    count = 0
    for construct in find_constructs(source.text):
        line = 1 + source.text.count("\n", 0, construct.offset)
        report.add(construct.code, source.display, line, **dict(construct.fields))
        count += 1
    return count
