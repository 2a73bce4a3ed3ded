"""Fixed conversions: the site glossary and personal names.

OpenCC converts 于 to 於 and 余 to 餘 because that is right in running text, but wrong
in 于秀兰 or 余华: a surname keeps its character, only the given name is converted. A
glossary gives other terms (places, organisations) one fixed form per script.

The glossary is `site_src/glossary.yml`:

    terms:                      # 词条：各文字版本的固定写法
      - zh-Hans: 于都县
        zh-Hant: 于都縣         # 没写的 zh-HK / zh-TW 沿用 zh-Hant
      - zh-Hans: 干部
        zh-HK: 幹部
      - zh-Hans: 幸福里社区      # 只写一种：任何版本都保持原样
    names:                      # 人名（好人榜的姓名会自动加入，这里补充其他人）
      - 于秀兰
      - {name: 范小松, name_hant: 范小鬆}

A term's missing forms come from its sibling Traditional forms (zh-HK, zh-TW and
zh-Hant stand in for each other); with no Traditional form at all it stays as written
in every variant, and a term written only in Traditional keeps that form in Simplified
too. A top-level list instead of the mapping is read as `terms`.

Matching: in text whose source is Simplified the zh-Hans forms are looked for; in
Traditional text any of the three Traditional forms. The longest match wins. The match
is replaced by the target variant's form; text between matches is converted normally.
Text is never touched when source and target are the same script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import content
from ..report import E, Message, Report, W, register
from .engine import chain, detect_script, run_chain
from .markers import HANS, HANT, HK, SCRIPTS, TRADITIONAL, TW

MESSAGES = {
    "SCRIPT001": Message(E, "词表 glossary.yml 不是正确的 YAML：{detail}。词表未使用，请按文件开头的说明修改。"),
    "SCRIPT002": Message(E, "词表应包含「terms:」（词条）和「names:」（人名）两个列表，实际是{found}。"
                            "例如：terms: [{{zh-Hans: 于都县, zh-Hant: 于都縣}}]"),
    "SCRIPT003": Message(E, "词条应写成各文字版本的写法，例如「{{zh-Hans: 于都县, zh-Hant: 于都縣}}」，"
                            "实际是「{value}」。本条未使用。"),
    "SCRIPT004": Message(E, "不认识的文字版本「{key}」。请使用 zh-Hans（简体）、zh-Hant（繁体）、"
                            "zh-HK（香港繁体）或 zh-TW（台湾繁体）。本条未使用。"),
    "SCRIPT005": Message(W, "「{form}」在词表中出现了两次（另见第 {other} 行），使用先出现的那一条。请删去重复的一条。"),
    "SCRIPT006": Message(E, "人名应写成「于秀兰」或「{{name: 于秀兰, name_hant: 于秀蘭}}」，实际是「{value}」。本条未使用。"),
    "SCRIPT007": Message(W, "词表中不认识的项「{key}」，已忽略。只能有 terms（词条）和 names（人名）。"),
    "SCRIPT008": Message(W, "「{context}」中的「{char}」在{variant}版里写作「{chosen}」（「{converted}」），"
                            "但按这句话的词来读应写作「{alternative}」。请确认哪个正确：在 site_src/glossary.yml "
                            "中写明这个词（例如 {{zh-Hans: …, zh-Hant: …}}），或用 -{{…}}- 让它保持原样。"),
    "SCRIPT009": Message(W, "「{form}」含有 <、>、&、引号之类的标记字符。词表里的词和人名只能是文字，本条未使用。"
                            "请删去这些字符。"),
}
register(MESSAGES)

# Single-character surnames whose Simplified form is also the Traditional surname,
# although OpenCC (rightly, in running text) converts the character: 于 not 於, 余 not
# 餘, 范 not 範. Other surnames take OpenCC's first form (钟 → 鍾, 叶 → 葉, 万 → 萬), which
# is the surname's Traditional form; `name_hant` overrides both.
KEEP_SURNAMES = frozenset("于余后干范沈松谷党朴种郁涂游咸适丑征仆冲占台岳卜胡姜周曲蒙折")

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 夏侯 慕容 令狐 尉迟 长孙 宇文 公孙 万俟 澹台 钟离 "
    "闻人 端木 轩辕 呼延 西门 南宫 独孤 百里 东郭 公羊 太史 申屠 濮阳 淳于 单于 闾丘 谷梁 "
    "司空 赫连 拓跋 第五 左丘 公冶 梁丘 宗政 亓官 仲孙 叔孙 巫马 漆雕 乐正 壤驷".split())


def family(script: str) -> tuple[str, ...]:
    """Scripts whose written forms may stand for each other when matching."""
    return (HANS,) if script == HANS else TRADITIONAL


@dataclass(frozen=True)
class Entry:
    """A fixed term or name: its written form in each of the four scripts."""

    forms: dict[str, str]
    kind: str = "term"  # "term" | "name"
    where: str = ""     # "site_src/glossary.yml:12" or "site_src/people/wang.md"


def term_forms(given: dict[str, str]) -> dict[str, str]:
    """Fill a glossary term's missing forms: siblings first, else as written."""
    forms = dict(given)
    for script in TRADITIONAL:
        if script not in forms:
            for sibling in (HANT, HK, TW):
                if sibling in given:
                    forms[script] = given[sibling]
                    break
    if HANS not in forms:
        forms[HANS] = next(given[s] for s in (HANT, HK, TW) if s in given)
    for script in TRADITIONAL:
        forms.setdefault(script, forms[HANS])
    return forms


def _split_name(name: str, script: str) -> tuple[str, str]:
    simplified = name[:2] if script == HANS else run_chain(chain(script, HANS), name[:2])
    if len(name) > 2 and simplified in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def name_forms(name: str, name_hant: str | None = None, name_hans: str | None = None,
               prefer: str | None = None) -> dict[str, str]:
    """The written form of a personal name in each script.

    The surname is converted alone (a compound surname as a unit), keeping the
    character for the surnames in KEEP_SURNAMES; the given name is converted alone,
    so no phrase reaches across the name's edge. A name written in Traditional gets
    its Simplified form the same way (於梨華 → 于梨华). `name_hant` fixes every
    Traditional form, `name_hans` the Simplified one.
    """
    script = detect_script(name, prefer) or HANS
    surname, given = _split_name(name, script)
    forms: dict[str, str] = {}
    for target in SCRIPTS:
        if target == script:
            forms[target] = name
            continue
        configs = chain(script, target)
        if script == HANS and surname in KEEP_SURNAMES:
            converted_surname = surname
        else:
            converted_surname = run_chain(configs, surname)
        forms[target] = converted_surname + run_chain(configs, given)
    if name_hant:
        for target in TRADITIONAL:
            forms[target] = name_hant
    if name_hans:
        forms[HANS] = name_hans
    return forms


_MARKUP = re.compile("[<>&\"']")


@dataclass
class Lexicon:
    """Glossary terms and names, matched longest first in text of either script family."""

    entries: list[Entry] = field(default_factory=list)
    conflicts: list[tuple[str, Entry, Entry]] = field(default_factory=list)
    rejected: list[Entry] = field(default_factory=list)
    _index: dict[str, tuple[re.Pattern, dict[str, Entry]]] | None = field(default=None, repr=False)

    def add(self, entry: Entry) -> None:
        """Use `entry`, unless one of its forms holds a markup character.

        A form replaces text inside rendered HTML, so it must be text: an entry with
        `<`, `>`, `&` or a quote is set aside in `rejected` (for a message), never used.
        """
        if any(_MARKUP.search(form) for form in entry.forms.values()):
            self.rejected.append(entry)
            return
        self.entries.append(entry)
        self._index = None

    def add_term(self, forms: dict[str, str], where: str = "") -> None:
        self.add(Entry(term_forms(forms), "term", where))

    def add_name(self, name: str, name_hant: str | None = None, name_hans: str | None = None,
                 where: str = "", prefer: str | None = None) -> None:
        self.add(Entry(name_forms(name, name_hant, name_hans, prefer), "name", where))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _build(self) -> dict[str, tuple[re.Pattern, dict[str, Entry]]]:
        # family key -> (trie regex over every form, form -> entry)
        forms: dict[str, dict[str, Entry]] = {HANS: {}, HANT: {}}
        self.conflicts = []
        for entry in self.entries:
            for key, scripts in ((HANS, (HANS,)), (HANT, TRADITIONAL)):
                for script in scripts:
                    form = entry.forms[script]
                    if not form:
                        continue
                    other = forms[key].get(form)
                    if other is None:
                        forms[key][form] = entry
                    elif other is not entry and other.forms != entry.forms:
                        self.conflicts.append((form, other, entry))
        self._index = {key: (_trie_regex(list(table)), table) for key, table in forms.items()}
        return self._index

    def matches(self, text: str, source: str) -> list[tuple[int, int, Entry]]:
        """(start, end, entry) of every glossary or name match, longest first, left to right."""
        if not self.entries or not text:
            return []
        index = self._index or self._build()
        pattern, table = index[HANS if source == HANS else HANT]
        return [(m.start(), m.end(), table[m.group()]) for m in pattern.finditer(text)]

    def split(self, text: str, source: str, target: str) -> list[tuple[str, bool]]:
        """Cut `text` at glossary and name matches: [(piece, fixed)], fixed pieces final.

        Pieces with fixed=False still need converting from `source` to `target`.
        """
        if source == target:
            return [(text, False)]
        found = self.matches(text, source)
        if not found:
            return [(text, False)]
        out: list[tuple[str, bool]] = []
        pos = 0
        for start, end, entry in found:
            if start > pos:
                out.append((text[pos:start], False))
            out.append((entry.forms[target], True))
            pos = end
        if pos < len(text):
            out.append((text[pos:], False))
        return out


def _trie_regex(words: list[str]) -> re.Pattern:
    """One regex matching any of `words`, the longest at each position.

    Built as a trie (于(?:秀兰|都县?)) so the regex engine never tries the words one by
    one: fast with thousands of names.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer words are optional, tried first
            body = f"(?:{body})?"
        return body

    if not words:
        return re.compile(r"(?!)")
    return re.compile(pattern(trie))


def load_glossary(path: Path, display: str, report: Report, lexicon: Lexicon | None = None,
                  prefer: str | None = None) -> Lexicon:
    """Read site_src/glossary.yml into `lexicon` (a new one if None).

    A missing file is an empty glossary. Every bad entry is reported with its line and
    left out; the rest is used.
    """
    lexicon = lexicon if lexicon is not None else Lexicon()
    try:
        text = content.read_bytes_limited(path, content.MAX_YAML_BYTES).decode("utf-8")
    except FileNotFoundError:
        return lexicon
    except content.TooBig as exc:
        content.report_too_big(exc, display, report, "词表",
                               "词表只需列出需要固定写法的词语和人名，请删掉重复或无关的内容。")
        return lexicon
    except (OSError, UnicodeDecodeError) as exc:
        report.add("SCRIPT001", display, None, detail=str(exc))
        return lexicon
    try:
        root = content.compose_yaml(text)  # aliases refused before anything is expanded
    except content.YamlRefused as exc:
        content.report_refused(exc, display, 1, report)
        return lexicon
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.add("SCRIPT001", display, mark.line + 1 if mark else None,
                   detail=getattr(exc, "problem", None) or str(exc).splitlines()[0])
        return lexicon
    if root is None:
        return lexicon
    sections: dict[str, yaml.Node] = {}
    if isinstance(root, yaml.SequenceNode):
        sections["terms"] = root
    elif isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value in ("terms", "names"):
                sections[key.value] = value
            else:
                report.add("SCRIPT007", display, key.start_mark.line + 1, key=key.value)
    else:
        report.add("SCRIPT002", display, root.start_mark.line + 1, found="一段文字")
        return lexicon
    first_line: dict[tuple[str, str], int] = {}
    for section, node in sections.items():
        if not isinstance(node, yaml.SequenceNode):
            report.add("SCRIPT002", display, node.start_mark.line + 1,
                       found=f"「{section}」不是列表")
            continue
        for item in node.value:
            line = item.start_mark.line + 1
            value = yaml.SafeLoader("").construct_object(item, deep=True) \
                if not isinstance(item, yaml.ScalarNode) else item.value
            where = f"{display}:{line}"
            if section == "terms":
                forms = _term_value(value, display, line, report)
                if forms is None:
                    continue
                keys = {(HANS if script == HANS else HANT, form) for script, form in forms.items()}
                clash = next((key for key in sorted(keys) if key in first_line), None)
                if clash is not None:
                    report.add("SCRIPT005", display, line, form=clash[1], other=first_line[clash])
                    continue
                first_line.update(dict.fromkeys(keys, line))
                lexicon.add_term(forms, where)
            else:
                name = _name_value(value)
                if name is None:
                    report.add("SCRIPT006", display, line, value=_show(value))
                    continue
                lexicon.add_name(*name, where=where, prefer=prefer)
    return lexicon


def _term_value(value: object, display: str, line: int, report: Report) -> dict[str, str] | None:
    if not isinstance(value, dict) or not value:
        report.add("SCRIPT003", display, line, value=_show(value))
        return None
    forms = {}
    for key, form in value.items():
        if key not in SCRIPTS:
            report.add("SCRIPT004", display, line, key=key)
            return None
        if not isinstance(form, str) or not form.strip():
            report.add("SCRIPT003", display, line, value=_show(value))
            return None
        forms[key] = form.strip()
    return forms


def _name_value(value: object) -> tuple[str, str | None, str | None] | None:
    if isinstance(value, str) and value.strip():
        return value.strip(), None, None
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip() \
            and set(value) <= {"name", "name_hant", "name_hans"} \
            and all(isinstance(v, str) for v in value.values()):
        return value["name"].strip(), value.get("name_hant"), value.get("name_hans")
    return None


def _show(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
