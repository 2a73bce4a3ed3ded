"""Front matter: split it off, parse its YAML with line numbers, refuse aliases and deep nesting."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..report import Report
from .files import size_text

MAX_FRONT_MATTER_BYTES = 64 * 1024  # the YAML between the two "---" lines
MAX_YAML_BYTES = 1024 * 1024  # a YAML file an editor writes (site_src/glossary.yml)
MAX_YAML_DEPTH = 20  # nested lists/mappings; front matter needs three at most


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
