"""Problems an editor can cause, and the Chinese messages that explain them.

A problem is (path, line, code, message). Every module reports through a `Report`
so that the build can skip the bad item, go on, and summarise at the end. Codes are
stable (tests assert them); the text is what an editor reads, in Simplified Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"  # the build is not published
    WARNING = "warning"  # published; fatal under --strict
    NOTICE = "notice"  # published and never fatal: what the build did on purpose (a withdrawn consent)


@dataclass(frozen=True)
class Message:
    severity: Severity
    text: str


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

# The catalogue. Text is a str.format template; every field it names must be passed
# to Report.add. Each message says what is wrong and how to fix it.
CATALOGUE: dict[str, Message] = {
    # Reading files and front matter.
    "CONTENT001": Message(E, "文件开头的元数据（front matter）不是正确的 YAML：{detail}。"
                             "请检查这一行的冒号、缩进和引号；含冒号的值请用引号括起来。"),
    "CONTENT002": Message(E, "元数据的开头有「---」，但找不到结束的「---」。请在元数据最后一行之后单独写一行「---」。"),
    "CONTENT003": Message(W, "不认识的元数据项「{key}」，已忽略。{hint}"),
    "CONTENT004": Message(E, "缺少必填的元数据项「{key}」（{label}）。请在文件开头的元数据中补上，例如：{example}"),
    "CONTENT005": Message(E, "元数据项「{key}」（{label}）应为{expected}，实际写的是「{value}」。{hint}"),
    "CONTENT006": Message(E, "元数据应是「键: 值」的列表，实际是{found}。请按「title: 标题」的格式逐行书写。"),
    "CONTENT007": Message(E, "文件不是 UTF-8 编码（看起来是 {encoding}），无法读取。"
                             "请在编辑器中“另存为”UTF-8 编码后再构建。"),
    "CONTENT008": Message(E, "文件名「{name}」含有非 ASCII 字符或空格。网址只用英文字母、数字和连字符，"
                             "请改名为例如「{suggestion}」，中文标题写在 title 里。"),
    "CONTENT009": Message(E, "这个页面与「{other}」会发布到同一个网址（{url}），哪一个都不会发布，两个都已跳过。"
                             "请把其中一个改名（例如 plans/x.md 与 plans/x/index.md 只留一种写法），或把两篇合成一篇。"),
    "CONTENT010": Message(W, "元数据中有空的项「{key}」，已忽略。请填写内容或删除这一行。"),
    # Bounded reading: what would take the build down is refused before it is read.
    "CONTENT011": Message(E, "这里用了 YAML 别名「*{name}」，出于安全不会展开，本文件已跳过。"
                             "编辑内容不需要锚点（&）和别名（*）：请把要重复的值直接写出来。"),
    "CONTENT012": Message(E, "文件有 {size}，超过{what}的大小上限 {limit}，为保护构建没有读取，已跳过。{hint}"),
    "CONTENT013": Message(E, "文件开头的元数据（两行「---」之间）有 {size}，超过上限 {limit}，本文件已跳过。"
                             "元数据只写标题、日期等简短的几项，正文请写在第二个「---」之后。"),
    "CONTENT014": Message(E, "列表或「键: 值」一层套一层，超过了 {depth} 层，出于安全不会读取，本文件已跳过。"
                             "编辑内容用不到这么多层，请检查是否多写了方括号、花括号或缩进。"),
    "CONTENT015": Message(W, "{kind}名不是 UTF-8 编码（在「{folder}」里，按 {encoding} 读出来是「{shown}」，"
                             "在本机上显示为「{raw}」），无法读取或发布，已跳过。这通常是在 Windows 上解压的压缩包。"
                             "请把它改名为只用英文字母、数字和连字符的名字（例如 {example}），中文说明写在 index.md 里。"),
    "CONTENT016": Message(W, "这一行有 {count} 个看不见的文字方向控制符（{chars}），它们能让文字显示成倒序或误导读者，"
                             "构建时已删除（原文件没有改动）。{more}请在编辑器里删除它们：常见于从网页或聊天软件复制来的文字。"),
    # Files that must never be read or published.
    "SAFE001": Message(E, "这是一个符号链接（指向「{target}」），出于安全不会读取或发布。"
                          "请把文件本身复制到 site_src/ 里，而不是放链接。"),
    "SAFE002": Message(E, "这是{kind}，不是普通文件，不会读取或发布。请删除它，或换成普通文件。"),
    "SAFE003": Message(E, "无法读取：{detail}。请检查文件权限。"),
    # Import of a compilation text.
    "IMPORT001": Message(E, "找不到「篇N」分隔行，无法把汇编拆成单篇计划。请确认这是工作计划汇编的原文。"),
    "IMPORT002": Message(W, "第 {number} 篇没有正文，已跳过。"),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the sources: where, which rule, and what to do about it."""

    path: str
    line: int | None
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTICE: "提示"}[self.severity]
        return f"{where}: {self.code} {label}：{self.message}"


class Report:
    """Collects problems across a build or a check, in the order they were found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.skipped: set[str] = set()

    def add(self, code: str, path: str, line: int | None = None, **fields: object) -> Problem:
        """Record problem `code` at `path`:`line`; `fields` fill the catalogue text."""
        entry = CATALOGUE[code]
        problem = Problem(str(path), line, code, entry.text.format(**fields), entry.severity)
        self.problems.append(problem)
        return problem

    def skip(self, path: str) -> None:
        """Mark an item as left out of the build because of its problems."""
        self.skipped.add(str(path))

    def extend(self, other: "Report") -> None:
        self.problems.extend(other.problems)
        self.skipped |= other.skipped

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def codes(self) -> list[tuple[str, str, int | None]]:
        """(code, path, line) triples: what tests assert."""
        return [(p.code, p.path, p.line) for p in self.problems]

    def summary(self, *, failed: bool = False) -> str:
        """One line such as「3 个问题，涉及 2 个文件（错误 1，警告 2）」.

        `failed`: the build is not published at all, so the items skipped are not counted:
        "skipped" would suggest the rest went online.
        """
        if not self.problems:
            return "没有发现问题。"
        files = len({p.path for p in self.problems})
        notices = len(self.problems) - len(self.errors) - len(self.warnings)
        text = (f"{len(self.problems)} 个问题，涉及 {files} 个文件"
                f"（错误 {len(self.errors)}，警告 {len(self.warnings)}"
                + (f"，提示 {notices}" if notices else "") + "）")
        if self.skipped and not failed:
            text += f"；已跳过 {len(self.skipped)} 项"
        return text + "。"

    def log(self, logger, *, summary: bool = True) -> None:
        """Every problem to `logger` at its severity's level, in file order; then the summary."""
        levels = {Severity.ERROR: logger.error, Severity.WARNING: logger.warning, Severity.NOTICE: logger.info}
        for problem in sorted(self.problems, key=lambda p: (p.path, p.line or 0, p.code)):
            levels[problem.severity](str(problem))
        if self.problems and summary:
            logger.info(self.summary())

    def render(self) -> str:
        """Every problem on its own line, then the summary."""
        lines = [str(p) for p in sorted(self.problems, key=lambda p: (p.path, p.line or 0, p.code))]
        lines.append(self.summary())
        return "\n".join(lines)


def register(messages: dict[str, Message]) -> None:
    """Add a module's messages to the catalogue; a code may be defined only once."""
    clash = set(messages) & set(CATALOGUE)
    if clash:
        raise ValueError(f"problem codes defined twice: {sorted(clash)}")
    CATALOGUE.update(messages)
