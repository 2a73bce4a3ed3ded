"""Walk `site_src/`, read front matter with line numbers, and validate it.

This is the one place that reads editors' files. It returns a `ContentIndex` that every
other module (plans, albums, people, screen, search) works from, and a `Report` of
every problem found. A bad page is skipped and listed; the rest goes on.

MkDocs parses front matter too, but silently publishes broken YAML as page text, so we
parse it ourselves, keep each key's line number, and hand MkDocs only pages we accept.

Reading is bounded: a file over its size limit is refused unread, YAML aliases are
refused before anything is expanded (nine nested `&a [*a, *a, …]` lists are a billion
strings once printed), and nesting is capped before the parser's recursion is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .report import Report

KINDS = ("plan", "album", "person", "page")


@dataclass(frozen=True)
class Field:
    """One front-matter key: its Chinese label, expected type and an example value."""

    label: str
    type: str  # str | int | year | date | bool | tags | map | number | list
    required: bool = False
    example: str = ""


PLAN_FIELDS: dict[str, Field] = {
    "title": Field("标题", "str", True, "title: 社区精神文明建设工作计划"),
    "community": Field("发文单位", "str", example="community: 幸福街道办事处"),
    "year": Field("年份", "year", example="year: 2026"),
    "year_placeholder": Field("年份是占位符", "bool"),
    "date": Field("日期", "date", example="date: 2026-02-03"),
    "recipient": Field("报送单位", "str"),
    "tags": Field("主题标签", "tags", example="tags: [环境卫生, 志愿服务]"),
    "source": Field("来源", "str"),
    "summary": Field("摘要", "str"),
    "variant_of": Field("相似计划", "map", example="variant_of: {plan: plan-16, similarity: 0.93}"),
    "normalised": Field("导入时的规范化", "map"),
}

ALBUM_FIELDS: dict[str, Field] = {
    "title": Field("标题", "str", True, "title: 学雷锋志愿服务活动"),
    "date": Field("活动日期", "date", True, "date: 2026-03-05"),
    "location": Field("地点", "str", example="location: 社区文化广场"),
    "cover": Field("封面照片", "str", example="cover: IMG_0012.jpg"),
    "captions": Field("照片说明", "map", example="captions: {IMG_0012.jpg: 志愿者为老人理发}"),
    "order": Field("照片顺序", "list", example="order: [IMG_0012.jpg, IMG_0013.jpg]"),
    "summary": Field("简介", "str"),
    "tags": Field("主题标签", "tags"),
}

PERSON_FIELDS: dict[str, Field] = {
    "name": Field("姓名", "str", True, "name: 王秀英"),
    "name_hant": Field("繁体姓名", "str"),
    "category": Field("类别", "str", True, "category: 助人为乐"),
    "honored": Field("上榜年月", "str", True, "honored: 2026-11"),
    "community": Field("所在社区", "str"),
    "portrait": Field("照片", "str", example="portrait: wang.jpg"),
    "focus": Field("照片焦点", "list", example="focus: [0.5, 0.3]"),
    "summary": Field("一句话事迹", "str", True, "summary: 十年如一日照顾孤寡老人"),
    "consent": Field("本人同意记录", "map", example="consent: {by: 本人, date: 2026-10-20, show_portrait: true}"),
    "minor": Field("未成年人", "bool"),
    # An age or a birth date under 18 makes the person a minor (people.review): known keys,
    # so that writing one instead of `minor: true` can never pass as an ignored typo.
    "age": Field("年龄", "int", example="age: 35"),
    "born": Field("出生日期", "date", example="born: 1990-05-01"),
    "birthday": Field("出生日期", "date", example="born: 1990-05-01"),
    "birth": Field("出生日期", "date", example="born: 1990-05-01"),
    "until": Field("展示截止日期", "date", example="until: 2027-10-31"),
    "tags": Field("主题标签", "tags"),
}

# Ordinary pages (home, about, docs-like pages) accept Material's own keys.
PAGE_FIELDS: dict[str, Field] = {
    "title": Field("标题", "str"),
    "description": Field("页面描述", "str"),
    "summary": Field("摘要", "str"),
    "tags": Field("主题标签", "tags"),
    "hide": Field("隐藏的页面部件", "list"),
    "template": Field("模板", "str"),
    "icon": Field("图标", "str"),
    "status": Field("状态", "str"),
    "search": Field("搜索设置", "map"),
}

SCHEMAS = {"plan": PLAN_FIELDS, "album": ALBUM_FIELDS, "person": PERSON_FIELDS, "page": PAGE_FIELDS}

TYPE_NAMES = {
    "str": "一段文字", "int": "整数", "year": "四位年份（或占位的 20xx）", "date": "日期（如 2026-03-05）",
    "bool": "true 或 false", "tags": "标签列表（如 [环境卫生, 志愿服务]）", "map": "「键: 值」的组合",
    "number": "数字", "list": "列表（如 [a, b]）",
}

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Size limits, in bytes. A work plan is tens of KB; an imported compilation of a
# thousand plans is split into pages of that size. The limits stop a pasted e-book or a
# generated file from taking the build down, far above anything an editor writes.
MAX_PAGE_BYTES = 2 * 1024 * 1024  # one Markdown page, front matter included
MAX_FRONT_MATTER_BYTES = 64 * 1024  # the YAML between the two "---" lines
MAX_YAML_BYTES = 1024 * 1024  # a YAML file an editor writes (site_src/glossary.yml)
MAX_YAML_DEPTH = 20  # nested lists/mappings; front matter needs three at most

# Invisible controls that change the display order of the text around them ("Trojan
# Source"): embeddings and overrides, isolates, and the directional marks. A Chinese
# bulletin needs none of them; left in, they can make a sentence read reversed.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BIDI_LINES_REPORTED = 10  # per file; the rest are counted in the last message


@dataclass
class Source:
    """One Markdown file as the editor wrote it, with validated front matter."""

    rel: str  # path relative to site_src, POSIX style: "plans/plan-01.md"
    display: str  # what messages show: "site_src/plans/plan-01.md"
    kind: str
    meta: dict[str, Any]
    lines: dict[str, int]  # front-matter key -> 1-based line number in the file
    body: str
    body_line: int  # 1-based line number of the first body line
    text: str  # the whole file, decoded

    @property
    def slug(self) -> str:
        parts = self.rel.split("/")
        if self.kind == "album":
            return parts[-2]
        return parts[-1].rsplit(".", 1)[0]

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


@dataclass
class ContentIndex:
    """Everything in site_src/ that the build accepted, plus what it refused."""

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)  # rel -> Source (Markdown)
    files: list[str] = field(default_factory=list)  # every safe regular file, rel paths
    refused: set[str] = field(default_factory=set)  # rel paths never to read or publish
    report: Report = field(default_factory=Report)

    def of_kind(self, kind: str) -> list[Source]:
        return [s for s in self.sources.values() if s.kind == kind]


def kind_of(rel: str) -> str:
    """Which content model a Markdown file follows, from where it sits."""
    parts = rel.split("/")
    if parts[0] == "plans" and len(parts) == 2 and parts[1] != "index.md":
        return "plan"
    if parts[0] == "albums" and len(parts) == 3 and parts[2] == "index.md":
        return "album"
    if parts[0] == "people" and len(parts) == 2 and parts[1] != "index.md":
        return "person"
    return "page"


def display_path(root: Path, rel: str) -> str:
    return f"{root.name}/{rel}"


def walk(root: Path, report: Report) -> tuple[list[str], set[str]]:
    """List regular files under `root` without following links or opening special files.

    Returns (safe files, refused paths). Hidden entries (".git", ".DS_Store") are passed
    over silently, as MkDocs does. A symlink or a FIFO is refused, never read: reading a
    FIFO blocks forever and a link may point anywhere on the machine.
    """
    files: list[str] = []
    refused: set[str] = set()

    def visit(directory: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            report.add("SAFE003", display_path(root, prefix.rstrip("/") or "."), detail=exc.strerror or str(exc))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if not _is_utf8(entry.name):
                shown, encoding = undecodable_name(entry.name)
                folder = display_path(root, prefix.rstrip("/")) if prefix else root.name
                display = f"{folder}/{shown}"
                is_dir = entry.is_dir(follow_symlinks=False)
                report.add("CONTENT015", display, kind="文件夹" if is_dir else "文件",
                           example=_ascii_example(entry.name, is_dir), folder=folder, shown=shown, encoding=encoding,
                           raw=os.fsencode(entry.name).decode("ascii", "backslashreplace"))
                refused.add(rel)
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                target = os.readlink(entry.path)
                report.add("SAFE001", display_path(root, rel), target=target)
                refused.add(rel)
            elif stat.S_ISDIR(mode):
                visit(Path(entry.path), rel + "/")
            elif stat.S_ISREG(mode):
                files.append(rel)
            else:
                report.add("SAFE002", display_path(root, rel), kind=_special_kind(mode))
                refused.add(rel)

    visit(root, "")
    return files, refused


def _ascii_example(name: str, is_dir: bool) -> str:
    """A name to suggest instead of an undecodable one, keeping an ASCII extension."""
    if is_dir:
        return "spring-2026"
    ext = os.path.splitext(name)[1].lower()
    if ext == ".md":
        return "plan-01.md"
    return "photo-01" + (ext if _is_utf8(ext) and ext.isascii() and ext[1:].isalnum() else ".jpg")


def readable(rel: str) -> str:
    """`rel` with each undecodable part as its editor saw it: safe to print or log."""
    return "/".join(p if _is_utf8(p) else undecodable_name(p)[0] for p in rel.split("/"))


def _is_utf8(name: str) -> bool:
    """False for a name whose bytes were not UTF-8 (os.scandir gives them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def undecodable_name(name: str) -> tuple[str, str]:
    """A file name that is not UTF-8 as its editor saw it, and the encoding that reads it.

    Archives made on Chinese Windows store names in GBK (or Big5 in Hong Kong and
    Taiwan); unpacked on Linux those bytes reach us as surrogate escapes.
    """
    raw = os.fsencode(name)
    for codec, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace"), "未知编码"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def decode(data: bytes, display: str, report: Report) -> str | None:
    """UTF-8 text (a BOM is dropped), or None with a problem naming the likely encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5"), ("utf-16", "UTF-16")):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        report.add("CONTENT007", display, 1, encoding=label)
        return None
    report.add("CONTENT007", display, 1, encoding="未知编码")
    return None


FRONT_RE = re.compile(r"\A---[ \t]*\r?\n")
END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """(yaml text or None, line where yaml starts, body, line where body starts)."""
    match = FRONT_RE.match(text)
    if not match:
        return None, 0, text, 1
    end = END_RE.search(text, match.end())
    if not end:
        return "", 2, text, 1  # unterminated: caller reports CONTENT002
    yaml_text = text[match.end():end.start()]
    body_start = text.find("\n", end.start())
    body = "" if body_start < 0 else text[body_start + 1:]
    body_line = text.count("\n", 0, body_start + 1) + 1 if body_start >= 0 else text.count("\n") + 2
    return yaml_text, 2, body, body_line


class YamlRefused(yaml.MarkedYAMLError):
    """YAML that is well formed but not read: an alias, or nesting past MAX_YAML_DEPTH.

    `code` and `fields` are the problem to report; `problem_mark` is where (0-based line).
    """

    def __init__(self, code: str, mark: yaml.Mark, **fields: object) -> None:
        super().__init__(problem=code, problem_mark=mark)
        self.code, self.fields = code, fields


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses aliases and deep nesting while composing.

    PyYAML composes `*a` into a second reference to the anchored node, so the document
    is a graph; constructing it is cheap, but anything that walks the values (printing
    one, checking it, converting it) expands every path: nine levels of nine aliases are
    387 million strings. Editors never need anchors and aliases, so the first alias stops
    the parse, before any node is built from it. The composer recurses once per level,
    so nesting is capped here too, long before Python's recursion limit.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused("CONTENT011", event.start_mark, name=event.anchor)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise YamlRefused("CONTENT014", event.start_mark, depth=MAX_YAML_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def compose_yaml(text: str) -> yaml.Node | None:
    """The node graph of one YAML document an editor wrote — the one way to read their YAML.

    Raises YamlRefused for an alias or nesting deeper than MAX_YAML_DEPTH (report
    `exc.code` with `exc.fields`), yaml.YAMLError for malformed YAML. Nodes from here
    hold no shared references, so constructing them is bounded by the text's size.
    """
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def construct_yaml(node: yaml.Node) -> Any:
    """The Python value of a node from `compose_yaml` (dates as datetime.date)."""
    return _Loader("").construct_document(node)


def report_refused(exc: YamlRefused, display: str, first_line: int, report: Report) -> None:
    """Report a YamlRefused at its line; `first_line` is the file line of the YAML's line 1."""
    report.add(exc.code, display, first_line + exc.problem_mark.line, **exc.fields)


def parse_front_matter(text: str, display: str, report: Report) -> tuple[dict, dict[str, int], str, int] | None:
    """Parse front matter; on a problem, report it and return None.

    Returns (meta, key -> line, body, body line).
    """
    yaml_text, first_line, body, body_line = split_front_matter(text)
    if yaml_text is None:
        return {}, {}, body, body_line
    if yaml_text == "" and first_line == 2 and body is text:
        report.add("CONTENT002", display, 1)
        return None
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        report.add("CONTENT013", display, 1, size=size_text(size), limit=size_text(MAX_FRONT_MATTER_BYTES))
        return None
    try:
        node = compose_yaml(yaml_text)
    except YamlRefused as exc:
        report_refused(exc, display, first_line, report)
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        report.add("CONTENT001", display, line, detail=_yaml_problem_zh(detail))
        return None
    if node is None:
        return {}, {}, body, body_line
    if not isinstance(node, yaml.MappingNode):
        report.add("CONTENT006", display, first_line + node.start_mark.line,
                   found="一段文字" if isinstance(node, yaml.ScalarNode) else "一个列表")
        return None
    try:
        meta = construct_yaml(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        report.add("CONTENT001", display, line, detail=_yaml_problem_zh(getattr(exc, "problem", str(exc))))
        return None
    lines = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            lines[str(key_node.value)] = first_line + key_node.start_mark.line
    return meta, lines, body, body_line


def _yaml_problem_zh(detail: str) -> str:
    known = {
        "mapping values are not allowed here": "这里不能再出现冒号（值里含冒号时请加引号）",
        "could not find expected ':'": "缺少冒号",
        "found character '\\t' that cannot start any token": "用了 Tab 缩进，请改用空格",
        "found duplicate anchor": "重复的锚点",
        "expected <block end>, but found '<block mapping start>'": "缩进不一致",
        "found unexpected end of stream": "引号或括号没有闭合",
        "found undefined alias": "用了未定义的别名（*）",
    }
    for english, chinese in known.items():
        if english in detail:
            return chinese
    return f"YAML 解析失败（{detail}）"


def validate(meta: dict, lines: dict[str, int], kind: str, display: str, report: Report) -> dict | None:
    """Check keys and types against the kind's schema; return normalised meta or None.

    Unknown keys are warnings (a typo should not hide a page); missing required keys and
    wrong types are errors, and the page is skipped.
    """
    schema = SCHEMAS[kind]
    ok = True
    clean: dict[str, Any] = {}
    for key, value in meta.items():
        key = str(key)
        line = lines.get(key)
        spec = schema.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"是不是「{close[0]}」？" if close else f"可用的项：{'、'.join(schema)}。"
            report.add("CONTENT003", display, line, key=key, hint=hint)
            continue
        if value is None or value == "" or value == []:
            if spec.required:
                continue  # reported below as missing
            report.add("CONTENT010", display, line, key=key)
            continue
        normalised = _coerce(value, spec.type)
        if normalised is _BAD:
            shown = str(value)
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            report.add("CONTENT005", display, line, key=key, label=spec.label,
                       expected=TYPE_NAMES[spec.type], value=shown,
                       hint=f"例如：{spec.example}" if spec.example else "")
            ok = False
            continue
        clean[key] = normalised
    for key, spec in schema.items():
        if spec.required and key not in clean and not (key in meta and meta[key] not in (None, "", [])):
            report.add("CONTENT004", display, lines.get(key) or 1, key=key, label=spec.label,
                       example=spec.example or f"{key}: …")
            ok = False
    return clean if ok else None


_BAD = object()


def _coerce(value: Any, type_: str) -> Any:
    if type_ == "str":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        if isinstance(value, dt.date):
            return value.isoformat()
        return _BAD
    if type_ == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else _BAD
    if type_ == "number":
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else _BAD
    if type_ == "year":
        if isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100:
            return value
        if isinstance(value, str) and re.fullmatch(r"(?:19|20)(?:\d\d|[xX]{2})|[xX]{2,4}", value.strip()):
            return value.strip()
        return _BAD
    if type_ == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and value.strip():
            return value.strip()
        return _BAD
    if type_ == "bool":
        return value if isinstance(value, bool) else _BAD
    if type_ == "tags":
        if isinstance(value, str):
            items = re.split(r"[,，、;；]\s*", value)
        elif isinstance(value, list):
            items = value
        else:
            return _BAD
        if not all(isinstance(i, (str, int)) for i in items):
            return _BAD
        return [str(i).strip() for i in items if str(i).strip()]
    if type_ == "map":
        return value if isinstance(value, dict) else _BAD
    if type_ == "list":
        return value if isinstance(value, list) else _BAD
    raise ValueError(type_)


class TooBig(ValueError):
    """A file over its size limit, refused before it was read."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes > {limit}")
        self.size, self.limit = size, limit


def read_bytes_limited(path: Path, limit: int | None) -> bytes:
    """The file's bytes; TooBig (nothing read) if it holds more than `limit` bytes.

    The size is checked before reading and again while reading, so a file that grows
    meanwhile cannot slip past. OSError as from open().
    """
    with open(path, "rb") as handle:
        if limit is None:
            return handle.read()
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooBig(size, limit)
        data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooBig(max(size, len(data)), limit)
        return data


def size_text(size: int) -> str:
    """A byte count as an editor reads it: 640 字节, 64 KB, 2.3 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB" if size % 1024 == 0 else f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.0f} MB" if size % (1024 * 1024) == 0 else f"{size / 1024 / 1024:.1f} MB"


def report_too_big(exc: TooBig, display: str, report: Report, what: str, hint: str) -> None:
    report.add("CONTENT012", display, None, size=size_text(exc.size), limit=size_text(exc.limit),
               what=what, hint=hint)


PAGE_HINT = "一篇页面通常只有几十 KB，请把内容拆成几篇，或删掉误粘贴进来的大段内容。"


def read_text(path: Path, display: str, report: Report, limit: int | None = None,
              what: str = "页面", hint: str = PAGE_HINT) -> str | None:
    """An editor's text file as str, or None with a problem (unreadable, too big, not UTF-8)."""
    try:
        data = read_bytes_limited(Path(path), limit)
    except TooBig as exc:
        report_too_big(exc, display, report, what, hint)
        return None
    except OSError as exc:
        report.add("SAFE003", display, detail=exc.strerror or str(exc))
        return None
    return decode(data, display, report)


def strip_bidi(text: str, display: str, report: Report) -> str:
    """`text` without bidirectional controls, a warning for each line that had some.

    Only the text the build uses is changed; the file on disk stays as written.
    """
    if not BIDI_RE.search(text):
        return text
    lines = text.split("\n")
    found = [(number, BIDI_RE.findall(line)) for number, line in enumerate(lines, 1) if BIDI_RE.search(line)]
    for at, (number, chars) in enumerate(found[:BIDI_LINES_REPORTED]):
        names = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in chars))
        rest = len(found) - BIDI_LINES_REPORTED
        more = f"此后还有 {rest} 行也有，一并删除了。" if at == BIDI_LINES_REPORTED - 1 and rest > 0 else ""
        report.add("CONTENT016", display, number, count=len(chars), chars=names, more=more)
    return BIDI_RE.sub("", text)


def read_source(root: Path, rel: str, report: Report) -> Source | None:
    """Read and validate one Markdown file; None (with problems reported) if unusable."""
    display = display_path(root, rel)
    text = read_text(root / rel, display, report, MAX_PAGE_BYTES)
    if text is None:
        return None
    text = strip_bidi(text.replace("\r\n", "\n"), display, report)
    parsed = parse_front_matter(text, display, report)
    if parsed is None:
        return None
    meta, lines, body, body_line = parsed
    kind = kind_of(rel)
    clean = validate(meta, lines, kind, display, report)
    if clean is None:
        return None
    return Source(rel, display, kind, clean, lines, body, body_line, text)


def check_name(rel: str, display: str, report: Report) -> bool:
    """Slugs and file names are ASCII: the Chinese lives in title/name."""
    for part in rel.split("/"):
        if not SLUG_RE.match(part):
            suggestion = re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") or "page"
            report.add("CONTENT008", display, name=part, suggestion=suggestion)
            return False
    return True


def page_url(rel: str) -> str:
    """The folder URL MkDocs gives a Markdown page (use_directory_urls, the default):
    both plans/x.md and plans/x/index.md become plans/x/."""
    stem = rel[: -len(".md")]
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{head}/" if head else ""
    return f"{stem}/"


def same_url(files: list[str], root: Path, report: Report) -> set[str]:
    """Markdown files that would be published at the same URL, each reported; all of them.

    MkDocs writes such pages to one index.html and one silently replaces the other,
    under the other's title. Neither is published: which one was meant is the editor's
    call, not the file system's order.
    """
    by_url: dict[str, list[str]] = {}
    for rel in files:
        if rel.endswith(".md"):
            by_url.setdefault(page_url(rel), []).append(rel)
    clashes: set[str] = set()
    for url, rels in by_url.items():
        if len(rels) < 2:
            continue
        for rel in rels:
            others = "」「".join(display_path(root, o) for o in rels if o != rel)
            report.add("CONTENT009", display_path(root, rel), None, other=others, url=url or "/")
        clashes.update(rels)
    return clashes


def load(root: Path) -> ContentIndex:
    """Walk `root` (site_src/) and build the content index with its problem report."""
    root = Path(root)
    index = ContentIndex(root)
    report = index.report
    files, refused = walk(root, report)
    index.refused |= refused
    for rel in refused:
        report.skip(display_path(root, readable(rel)))
    clashes = same_url(files, root, report)
    for rel in files:
        display = display_path(root, rel)
        if rel in clashes or (rel.endswith(".md") and not check_name(rel, display, report)):
            index.refused.add(rel)
            report.skip(display)
            continue
        index.files.append(rel)
        if not rel.endswith(".md"):
            continue
        source = read_source(root, rel, report)
        if source is None:
            index.refused.add(rel)
            report.skip(display)
            continue
        index.sources[rel] = source
    return index
