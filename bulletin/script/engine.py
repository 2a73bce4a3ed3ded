"""OpenCC underneath: which conversion chain takes one script to another, run in batches.

Only character forms are converted by default (s2hk, not a phrase table that would turn
社区 into 社群). A page is never converted into the script it is already in: a round trip
through the other script loses characters (為/爲, 眾/衆, 台/臺), so `chain(x, x)` is empty.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence

import opencc

from .markers import HANS, HANT, HK, SCRIPTS, TRADITIONAL, TW

# (source, target) -> OpenCC configurations applied in order.
CHAINS: dict[tuple[str, str], tuple[str, ...]] = {
    (HANS, HANT): ("s2t",), (HANS, HK): ("s2hk",), (HANS, TW): ("s2tw",),
    (HK, HANS): ("hk2s",), (HK, HANT): ("hk2t",), (HK, TW): ("hk2t", "t2tw"),
    (TW, HANS): ("tw2s",), (TW, HANT): ("tw2t",), (TW, HK): ("tw2t", "t2hk"),
    (HANT, HANS): ("t2s",), (HANT, HK): ("t2hk",), (HANT, TW): ("t2tw",),
}
# With `phrases: true` a variant also takes regional vocabulary (软件 → 軟體). OpenCC has
# phrase tables only between Simplified and Taiwan/Hong Kong; between Traditional
# standards the character chain is used either way.
PHRASE_CHAINS: dict[tuple[str, str], tuple[str, ...]] = {
    (HANS, TW): ("s2twp",), (HANS, HK): ("s2hkp",),
    (TW, HANS): ("tw2sp",), (HK, HANS): ("hk2sp",),
}

# Joins the pieces of one page so OpenCC runs once per source script. A private-use
# character is in no OpenCC dictionary, so it ends every phrase match: converting the
# joined text equals converting each piece on its own.
SEP = "\ue010"


class ScriptError(ValueError):
    """A variant asks for something OpenCC cannot do (unknown script or configuration)."""


@functools.lru_cache(maxsize=None)
def opencc_for(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration, built once: loading dictionaries is slow."""
    if f"{config}.json" not in opencc.CONFIGS:
        raise ScriptError(f"安装的 OpenCC（{opencc.__version__}）没有「{config}」转换表，"
                          f"请升级：pip install -U opencc")
    return opencc.OpenCC(f"{config}.json")


def chain(source: str, target: str, phrases: bool = False) -> tuple[str, ...]:
    """OpenCC configurations that take `source` text to `target`; () when they are equal."""
    for script in (source, target):
        if script not in SCRIPTS:
            raise ScriptError(f"不认识的文字版本「{script}」，应为 {', '.join(SCRIPTS)} 之一")
    if source == target:
        return ()
    if phrases and (source, target) in PHRASE_CHAINS:
        return PHRASE_CHAINS[(source, target)]
    return CHAINS[(source, target)]


def run_chain(configs: Sequence[str], text: str) -> str:
    for config in configs:
        text = opencc_for(config).convert(text)
    return text


def convert_many(pieces: Sequence[str], configs: Sequence[str]) -> list[str]:
    """Convert every piece through `configs` with one OpenCC call per configuration.

    Falls back to one call per piece if a piece contains the separator or OpenCC ever
    changes the number of pieces, so the result is always piece-by-piece exact.
    """
    if not configs or not pieces:
        return list(pieces)
    if len(pieces) == 1 or any(SEP in p for p in pieces):
        return [run_chain(configs, p) for p in pieces]
    out = run_chain(configs, SEP.join(pieces)).split(SEP)
    if len(out) != len(pieces):
        return [run_chain(configs, p) for p in pieces]
    return out


# Character classes for detection, filled per character as text is seen.
_SEEN: set[str] = set()
_CLASSES: dict[str, set[str]] = {
    "simplified": set(),   # s2t changes it, t2s keeps it, no Traditional standard keeps it
    "traditional": set(),  # t2s changes it
    HK: set(),             # t2hk changes it: not a Hong Kong form
    TW: set(),             # t2tw changes it: not a Taiwan form
    HANT: set(),           # hk2t or tw2t changes it: a regional form, not OpenCC's standard
}
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _classify(chars: Iterable[str]) -> None:
    todo = [c for c in chars if c not in _SEEN]
    if not todo:
        return
    shared = shared_characters()
    t = {name: convert_many(todo, (name,))
         for name in ("s2t", "s2hk", "s2tw", "t2s", "t2hk", "t2tw", "hk2t", "tw2t")}
    for i, c in enumerate(todo):
        if t["s2t"][i] != c and t["t2s"][i] == c and t["s2hk"][i] != c and t["s2tw"][i] != c \
                and c not in shared:
            _CLASSES["simplified"].add(c)
        if t["t2s"][i] != c:
            _CLASSES["traditional"].add(c)
        if t["t2hk"][i] != c:
            _CLASSES[HK].add(c)
        if t["t2tw"][i] != c:
            _CLASSES[TW].add(c)
        if t["hk2t"][i] != c or t["tw2t"][i] != c:
            _CLASSES[HANT].add(c)
    _SEEN.update(todo)


def detect_script(text: str, prefer: str | None = None) -> str | None:
    """Which script `text` is written in: "zh-Hans", "zh-Hant", "zh-HK", "zh-TW" or None.

    Counts the characters that only one script uses (character by character, so a phrase
    never tips the balance). Traditional text is then attributed to the standard whose
    forms it breaks least: Hong Kong (衞 説 為), Taiwan (衛 說 為) or OpenCC's standard
    (衛 說 爲). Text with no telling character at all (ASCII, or 王秀英) gives None.
    Ties between Traditional standards go to `prefer` when given (pass the site's
    Traditional variant, so text that fits it is not converted into it), else to
    zh-Hant, then zh-HK, then zh-TW.
    """
    counts = Counter(_HAN_RE.findall(text))
    if not counts:
        return None
    _classify(counts)

    def weight(kind: str) -> int:
        return sum(counts[c] for c in _CLASSES[kind].intersection(counts))

    simplified, traditional = weight("simplified"), weight("traditional")
    if simplified == 0 and traditional == 0:
        return None
    if simplified >= traditional:
        return HANS
    order = [HANT, HK, TW]
    if prefer in TRADITIONAL:
        order.remove(prefer)
        order.insert(0, prefer)
    return min(order, key=weight)


# Simplified characters with more than one Traditional form, when OpenCC's own
# dictionary cannot be read (the dictionary tool is not installed).
FALLBACK_RISKY = frozenset(
    "发干后里于余台松面周制系冲钟范沈复历只几借卷谷斗团征朴准尽当并划别家仆"
    "胡苏蒙郁适舍表采须致术板极柜汇丑云万了出合吊同向回困夸占千升卜丰伙价")


# Of those, the ones whose other forms are common words with another meaning (发/發/髮,
# 干/乾/幹, 后/後, 里/裏, 于/於 …): the list an editor can actually read through. Characters
# such as 同 (衕) or 表 (錶) have rare alternates that OpenCC's phrases already handle.
EDITOR_RISKY = frozenset(
    "发干后里于余台松面周制系冲钟复历只几卷谷斗准尽并划征丑云范沈借板舍采须致术汇签蒙胡苏郁获"
    "占托伙价仆朴霉涂游症别布了")


@functools.lru_cache(maxsize=1)
def editor_risky_characters() -> frozenset[str]:
    """The risky characters worth an editor's look: EDITOR_RISKY where OpenCC agrees."""
    return EDITOR_RISKY & risky_characters()


@functools.lru_cache(maxsize=1)
def _st_characters() -> dict[str, tuple[str, ...]] | None:
    """OpenCC's STCharacters: Simplified character -> its Traditional forms; None if unreadable.

    The dictionary ships compiled (marisa trie); the `opencc_dict` tool inside the
    opencc package dumps it to text.
    """
    base = os.path.join(os.path.dirname(opencc.__file__), "clib")
    tool = os.path.join(base, "bin", "opencc_dict")
    source = os.path.join(base, "share", "opencc", "STCharacters.ocd2")
    if not (os.access(tool, os.X_OK) and os.path.isfile(source)):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "st.txt")
        try:
            subprocess.run([tool, "-i", source, "-o", out, "-f", "ocd2", "-t", "text"],
                           check=True, capture_output=True, timeout=60)
            with open(out, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
            return None
    table = {}
    for line in lines:
        key, _, values = line.partition("\t")
        if len(key) == 1:
            table[key] = tuple(values.split())
    return table or None


@functools.lru_cache(maxsize=1)
def risky_characters() -> frozenset[str]:
    """Simplified characters for which OpenCC's STCharacters lists several Traditional forms.

    Without the dictionary tool, a fixed list of the common ones.
    """
    table = _st_characters()
    if table is None:
        return FALLBACK_RISKY
    return frozenset(c for c, forms in table.items() if len(forms) > 1) or FALLBACK_RISKY


# Simplified characters that are also written in Traditional text, as themselves: surnames
# (于 余 后 干 范 谷 沈 叶) and words (了 周 里 台 面 只 系 松), when the dictionary cannot be read.
FALLBACK_SHARED = frozenset("于余后干范谷沈叶了周里台面只系松卷借板表采朴准布")


@functools.lru_cache(maxsize=1)
def shared_characters() -> frozenset[str]:
    """Characters OpenCC converts from Simplified although Traditional text uses them too.

    STCharacters lists the character among its own Traditional forms (于 → 於 于, 后 → 後 后,
    干 → 幹 乾 干, 了 → 了 瞭). Such a character in a passage says nothing about its script,
    so detection never counts it.
    """
    table = _st_characters()
    if table is None:
        return FALLBACK_SHARED
    return frozenset(c for c, forms in table.items() if c in forms) | FALLBACK_SHARED
