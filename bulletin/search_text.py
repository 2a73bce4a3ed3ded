"""Search by the page text itself: phrase postings and the editors' synonyms.

Phrases. Pagefind matches words, and a page's words are what its segmenter made of the
page in context: 学雷锋 in 开展学雷锋活动 may be cut 开展学 | 雷锋, so a reader who types
学雷锋 misses that page, and gets pages with 学习 instead. Each index (the base variant's,
shared by the variants derived from it) therefore also gets postings of the pairs of
adjacent characters of its pages' text: for each pair, the pages that hold it. A query's
pages are those that hold every pair of it, a superset of the pages that contain it (the
pairs may lie apart) and in practice the same set from four characters on. search.js
ranks them above the pages Pagefind matched on pieces of the query alone, and adds those
Pagefind did not find at all.

Text is compared folded, as search.js folds the query: each character in its most used
form in the index's script (the variant's query map), Latin letters in lower case. Only
Han characters, letters and digits pair; punctuation and spaces break a run.

Synonyms. Editors list in site_src/search.yml the words a reader may type for another
(义工 → 志愿者); the browser searches for both. They are folded like the text, so a
Traditional query (義工) finds them too. A bad entry is reported with its line and left
out; the rest, and the site, build as usual.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from operator import methodcaller, sub
from pathlib import Path
from typing import Any

import yaml

from . import content
from .report import Message, Report, Severity, register

E, W = Severity.ERROR, Severity.WARNING

MESSAGES = {
    "SEARCH001": Message(W, "搜索同义词文件不是正确的 YAML：{detail}。同义词未使用，请按文件开头的说明修改。"),
    "SEARCH002": Message(W, "搜索同义词文件应写成「synonyms:」下面一行一条，例如「  义工: 志愿者」，实际是{found}。"
                            "同义词未使用。"),
    "SEARCH003": Message(W, "同义词「{value}」写得不对：左边写读者会搜的词，冒号后写它指的词，"
                            "多个词用方括号，例如「义工: [志愿者, 志愿服务]」。本条未使用。"),
    "SEARCH004": Message(W, "同义词里的词「{value}」{why}。本条未使用。"),
    "SEARCH005": Message(W, "搜索同义词文件中不认识的项「{key}」，已忽略。只能有 synonyms（同义词）。"),
    "SEARCH006": Message(W, "「{word}」在同义词中出现了两次（另见第 {other} 行），两条都使用。可以把它们合成一条。"),
}
register(MESSAGES)

SYNONYMS_FILE = "search.yml"
MAX_WORD = 20  # characters: a synonym is a word or a name, not a sentence

# Characters that pair: Han (the Basic Multilingual Plane's, as search.js reads the query
# in UTF-16 units), Latin letters and digits. Anything else ends a run.
RUN_RE = re.compile("[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
BREAK_RE = re.compile("[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # before folding (A-Z too)

TEXT_ONE_FILE = 16 * 1024  # postings this small (gzipped, estimated) go in one file
# Else in shards of about this estimated size (a query fetches one per pair it asks for, up
# to eight): the estimate runs about twice the gzipped size, so a shard is about 2 KiB.
TEXT_SHARD_BYTES = 4 * 1024
TEXT_SHARDS = 256  # at most
TEXT_FORMAT = 3  # part of the search cache key: a cached bundle with another layout is not reused


def folder(qmap: dict[str, str]) -> dict[int, str]:
    """A str.translate table that folds text as search.js `fold` does with `qmap`, Latin
    letters lowered (search.js lowers the query)."""
    table = {ord(c): forms[0] for c, forms in qmap.items()
             if forms and len(forms[0]) == 1 and ord(forms[0]) < 0x10000}
    table.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    return table


def text_pairs(text: str) -> set[str]:
    """The pairs of adjacent characters of folded `text` that both pair (see RUN_RE)."""
    found: set[str] = set()
    for run in RUN_RE.findall(text):
        found.update(map(str.__add__, run[:-1], run[1:]))  # C-level: a big site has millions
    return found


def _pairs(text: str) -> set[int]:
    """Each pair of adjacent characters of `text`, once, as the number its 8 bytes of
    UTF-32 make (`int.to_bytes(8, sys.byteorder)` gives them back): the numbers are read
    from the encoded text at C speed, the pairs at even positions in one pass and those at
    odd positions in another, where making a string per character pair costs a big site
    seconds."""
    data = text.encode("utf-32-le", "surrogatepass")
    found = set(memoryview(data)[:len(data) // 8 * 8].cast("Q"))
    odd = data[4:]
    found.update(memoryview(odd)[:len(odd) // 8 * 8].cast("Q"))
    return found


def pair_shard(pair: str, shards: int) -> int:
    """The shard a pair's postings are in (search.js `pairShard`)."""
    return (ord(pair[0]) * 31 + ord(pair[1])) % shards


def write_postings(bundle: Path, key: str, contents: Sequence[str], qmap: dict[str, str]) -> dict[str, Any]:
    """`bulletin-<key>-text*.json.gz`: for each pair of the folded `contents` (the index's
    pages' texts, in the order of its page list), the numbers of the pages that hold it,
    as differences (3, 1, 4 for pages 3, 4, 8: small numbers that compress well).

    One file while it is small (TEXT_ONE_FILE gzipped), else shards by pair: a power of
    two of them, up to TEXT_SHARDS, each about TEXT_SHARD_BYTES.
    Returns the manifest's "text" entry without the ids: {"shards", "pattern" (# for the
    shard's number), "empty"}; None when there is no text.
    """
    # A big site has millions of (pair, page) postings: each page's pairs are made and
    # filed at C speed, with every character that does not pair turned into a break (NUL),
    # and the pairs are folded once each at the end, not the pages character by character.
    raw: defaultdict[int, list[int]] = defaultdict(list)
    for number, text in enumerate(contents):
        text = BREAK_RE.sub("\0", text.replace("\u200b", ""))  # Pagefind's word breaks join
        deque(map(methodcaller("append", number), map(raw.__getitem__, _pairs(text))), maxlen=0)
    table = folder(qmap)
    postings: dict[str, list[int]] = {}
    for code, pages in raw.items():
        pair = code.to_bytes(8, sys.byteorder).decode("utf-32-le", "surrogatepass")
        if "\0" in pair:
            continue
        folded = pair.translate(table)
        postings[folded] = sorted(set(postings[folded]) | set(pages)) if folded in postings else pages
    if not postings:
        return {"shards": 0, "pattern": "", "empty": []}

    def encode(part: dict[str, list[int]]) -> bytes:
        deltas = {pair: list(map(sub, pages, [-1, *pages[:-1]])) for pair, pages in sorted(part.items())}
        raw = json.dumps(deltas, ensure_ascii=False, separators=(",", ":")).encode()
        return gzip.compress(raw, compresslevel=6, mtime=0)

    # Gzipped, a posting costs about a byte and a pair's key about three: enough to tell a
    # small site (one file) from a big one, and how many shards keep each near TEXT_SHARD_BYTES.
    estimate = sum(map(len, postings.values())) + 3 * len(postings)
    if estimate <= TEXT_ONE_FILE:
        name = f"bulletin-{key}-text.json.gz"
        (bundle / name).write_bytes(encode(postings))
        return {"shards": 1, "pattern": name, "empty": []}
    count = 2
    while count < TEXT_SHARDS and estimate / count > TEXT_SHARD_BYTES:
        count *= 2
    shards: list[dict[str, list[int]]] = [{} for _ in range(count)]
    for pair, pages in postings.items():
        shards[pair_shard(pair, count)][pair] = pages
    pattern = f"bulletin-{key}-text-#.json.gz"
    for k, shard in enumerate(shards):
        if shard:
            (bundle / pattern.replace("#", str(k))).write_bytes(encode(shard))
    return {"shards": count, "pattern": pattern, "empty": [k for k, s in enumerate(shards) if not s]}


# ---- synonyms


def load_synonyms(path: Path, display: str, report: Report) -> dict[str, list[str]]:
    """site_src/search.yml as {word: [what it stands for]}; {} when there is none.

    ```
    synonyms:
      义工: 志愿者
      学雷锋: [雷锋, 学习雷锋]
    ```
    Words in any script. Every bad entry is reported (a warning, with its line) and left
    out; the rest is used.
    """
    try:
        text = content.read_bytes_limited(path, content.MAX_YAML_BYTES).decode("utf-8")
    except FileNotFoundError:
        return {}
    except content.TooBig as exc:
        content.report_too_big(exc, display, report, "搜索同义词文件", "同义词只需列出常用的说法，请删掉重复或无关的内容。")
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        report.add("SEARCH001", display, None, detail=str(exc))
        return {}
    try:
        root = content.compose_yaml(text)
    except content.YamlRefused as exc:
        content.report_refused(exc, display, 1, report)
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.add("SEARCH001", display, mark.line + 1 if mark else None,
                   detail=getattr(exc, "problem", None) or str(exc).splitlines()[0])
        return {}
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        report.add("SEARCH002", display, root.start_mark.line + 1, found="一段文字或列表")
        return {}
    section = None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "synonyms":
            section = value
        else:
            report.add("SEARCH005", display, key.start_mark.line + 1, key=getattr(key, "value", "?"))
    if section is None or (isinstance(section, yaml.ScalarNode) and not section.value):
        return {}
    if not isinstance(section, yaml.MappingNode):
        report.add("SEARCH002", display, section.start_mark.line + 1, found="「synonyms」下面不是「词: 词」的形式")
        return {}
    found: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for key, value in section.value:
        line = key.start_mark.line + 1
        words = _words(key, value)
        if words is None:
            report.add("SEARCH003", display, line, value=_shown(key, value))
            continue
        bad = next(((w, why) for w in words if (why := _bad_word(w))), None)
        if bad:
            report.add("SEARCH004", display, line, value=bad[0], why=bad[1])
            continue
        word, targets = words[0], [w for w in dict.fromkeys(words[1:]) if w != words[0]]
        if not targets:
            continue
        if word in found:
            report.add("SEARCH006", display, line, word=word, other=lines[word])
        lines.setdefault(word, line)
        found.setdefault(word, [])
        found[word] += [t for t in targets if t not in found[word]]
    return found


def _words(key: yaml.Node, value: yaml.Node) -> list[str] | None:
    """[word, target, ...] of one entry, stripped; None if it is not words."""
    if not isinstance(key, yaml.ScalarNode) or not key.value.strip():
        return None
    if isinstance(value, yaml.ScalarNode):
        targets = [value.value]
    elif isinstance(value, yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode) for v in value.value):
        targets = [v.value for v in value.value]
    else:
        return None
    words = [key.value.strip(), *(t.strip() for t in targets)]
    return words if all(words) else None


def _bad_word(word: str) -> str:
    if len(word) > MAX_WORD:
        return f"超过 {MAX_WORD} 个字，同义词应是一个词或名称"
    if re.search(r"\s", word):
        return "中间有空格，同义词应是一个词"
    if re.search(r"[<>&\"'`]", word):
        return "含有 <、>、&、引号之类的标记字符"
    return ""


def _shown(key: yaml.Node, value: yaml.Node) -> str:
    def text(node: yaml.Node) -> str:
        if isinstance(node, yaml.ScalarNode):
            return node.value
        return "…"
    return f"{text(key)}: {text(value)}"


def fold_synonyms(synonyms: dict[str, list[str]], qmap: dict[str, str],
                  forms: Callable[[str], Iterable[str]] = lambda w: (w,)) -> dict[str, list[str]]:
    """`synonyms` folded into an index's script (see `folder`): the manifest's "synonyms",
    looked up by the folded query in search.js.

    The query map holds only the characters the pages use, so a word is listed under
    each of its `forms` (the word in every script): 垃圾分揀 folds to itself when no page
    has 拣, and must still find 垃圾分拣's synonyms."""
    table = folder(qmap)
    out: dict[str, list[str]] = {}
    for word, targets in synonyms.items():
        folded = [t.translate(table) for t in targets]
        for key in dict.fromkeys(f.translate(table) for f in (word, *forms(word))):
            out.setdefault(key, [])
            out[key] += [t for t in folded if t not in out[key] and t != key]
    return {k: v for k, v in sorted(out.items()) if v}
