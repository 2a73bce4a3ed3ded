"""What the browser matches a query against whole: each variant's names, and the query map.

The segmenter splits a name or set phrase its dictionary does not hold (赵德顺, 后振国,
四点半课堂) into pieces that match elsewhere or nothing. Each variant therefore also gets
a list of its pages' titles, communities, tags and people's summaries, written from the
published records (a withheld person, who has none, is in no list); the browser looks the
query up in it as a substring, both sides folded into the index's script with the query
map (`query_map`: each character of the other scripts, in the index's script).
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .script import HANS, SCRIPTS
from .script.engine import CHAINS, run_chain
from .search_entry import NOTICE_SEPARATOR, TAG_SEPARATOR, SearchError


SCAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@functools.lru_cache(maxsize=None)
def char_table(source: str, target: str) -> dict[str, str]:
    """Character-level conversion `source` → `target` for every CJK character it changes.

    Characters are converted one per line so that no phrase table applies: a query is
    converted character by character in the browser, and alternatives come from the
    reverse direction (see `query_map`).
    """
    chars = [chr(c) for lo, hi in SCAN_RANGES for c in range(lo, hi)]
    out = run_chain(CHAINS[(source, target)], "\n".join(chars)).split("\n")
    if len(out) != len(chars):
        raise SearchError("OpenCC 的逐字转换结果与输入不等长，无法生成搜索用的字表。")
    return {a: b for a, b in zip(chars, out) if a != b and len(b) == 1}


def script_forms(word: str) -> list[str]:
    """`word` in every script, character by character (OpenCC's one-to-one forms): through
    Simplified, with the tables `query_map` reads anyway."""
    back = [char_table(other, HANS) for other in SCRIPTS if other != HANS]
    hans = "".join(next((t[c] for t in back if c in t), c) for c in word)
    return [hans, *("".join(char_table(HANS, other).get(c, c) for c in hans) for other in SCRIPTS if other != HANS)]


def query_map(target: str, used: Counter) -> dict[str, str]:
    """For each character a reader may type in another script, its forms in `target`.

    `used` counts the characters of the variant's indexed text. A character maps to the
    forms of it that the pages use, most frequent first; it is left out when none is used
    (such a query cannot match either way). Forms come both ways: 卫 → 衞 (s2hk) and
    髮 → 发 read backwards gives 发 → 髮 as well as 發.
    """
    forms: dict[str, set[str]] = {}
    for other in SCRIPTS:
        if other == target:
            continue
        for typed, native in char_table(other, target).items():
            forms.setdefault(typed, set()).add(native)
        for native, typed in char_table(target, other).items():
            forms.setdefault(typed, set()).add(native)
    result = {}
    for typed, natives in forms.items():
        if used[typed]:
            natives = natives | {typed}  # 干 is also 干 in Hong Kong (若干)
        keep = sorted((c for c in natives if used[c]), key=lambda c: (-used[c], c))
        if keep and keep != [typed]:
            result[typed] = "".join(keep)
    return dict(sorted(result.items()))


# A variant's names, titles, communities and tags, for the browser's exact pass (see
# `_write_names`): one list while it is small, else postings of character pairs in shards.
NAMES_ONE_FILE = 32 * 1024
NAMES_SHARDS = 256
NAMES_FORMAT = 5  # part of the cache key: a cached bundle with another layout is not reused


def _write_names(bundle: Path, records: Sequence[tuple[Path, dict]], key: str,
                 qmap: dict[str, str]) -> dict[str, Any]:
    """`bulletin-<lang>-names.json.gz` (and on a big site `-names-<k>.json.gz`; gzipped
    JSON, as a first query fetches them): what search.js
    matches a query against, whole.

    The segmenter splits a name it does not know (赵德顺, 后振国) or a set phrase
    (四点半课堂) into pieces that match elsewhere or nothing; the browser therefore also
    looks for the query as a substring of each page's title, community, tags and (people)
    summary, and ranks those pages first. The list has one row per page of the variant's
    index: [id without the "<lang>_" prefix, title, community, tags joined by 、,
    summary, notices joined by ｜ (the notices page's, each found like a title)], read from the published records (so a withheld person, who has none, is in
    no list).

    A list over NAMES_ONE_FILE would cost every first query its size, so a big site also
    gets postings: for each pair of adjacent characters of a title ("t") or of another
    field ("o"), the ids of the rows that hold it, in shard (code point of the first × 31
    + code point of the second) % NAMES_SHARDS. A query fetches the shards of its pairs
    (a few KB), intersects their ids and reads the few candidates' records to rank them
    (search.js). Characters count as the browser compares them: folded into the index's
    script with the variant's query map `qmap` (its most used form), so 趙 and 赵 pair
    alike. The whole list stays for offline search (fetched ahead when it fits).
    Returns the manifest's "names" entry: {"prefix", "all" (the list, or None), "shards"
    (0: none, use the list), "pattern" (shard k's name with # for k), "empty" (shards
    not written)}: the manifest is part of every first query, 256 names are not.
    """
    prefix = f"{key}_"
    rows = []
    for path, record in records:
        meta = record.get("meta") or {}
        ident = path.name.removesuffix(".pf_fragment")
        if not ident.startswith(prefix) or not meta.get("title"):
            continue
        rows.append([ident[len(prefix):], meta.get("title", ""), meta.get("community", ""), meta.get("tags", ""),
                     meta.get("summary", ""), meta.get("notices", "")])
    rows.sort(key=lambda r: r[0])
    if not rows:
        return {"prefix": prefix, "all": None, "shards": 0, "pattern": "", "empty": []}

    def dump(part: Any) -> bytes:
        return json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()

    everything = f"bulletin-{key}-names.json.gz"
    whole = dump(rows)
    (bundle / everything).write_bytes(gzip.compress(whole, compresslevel=9, mtime=0))
    if len(whole) <= NAMES_ONE_FILE:
        return {"prefix": prefix, "all": everything, "shards": 0, "pattern": "", "empty": []}

    folding = {ord(c): forms[0] for c, forms in qmap.items()  # as search.js `fold`
               if forms and len(forms[0].encode("utf-16-le")) == 2}

    def fold(text: str) -> str:
        return text.translate(folding)

    shards: list[dict[str, dict[str, list[str]]]] = [{} for _ in range(NAMES_SHARDS)]
    for row in rows:
        fields = {"t": [row[1], *row[5].split(NOTICE_SEPARATOR)], "o": [row[2], *row[3].split(TAG_SEPARATOR), row[4]]}
        for field, texts in fields.items():
            pairs = {p for text in texts for p in name_pairs(fold(text))}
            for pair in sorted(pairs):
                shard = shards[pair_shard(pair)].setdefault(field, {})
                shard.setdefault(pair, []).append(row[0])
    pattern = f"bulletin-{key}-names-#.json.gz"
    for k, shard in enumerate(shards):
        if shard:
            (bundle / pattern.replace("#", str(k))).write_bytes(gzip.compress(dump(shard), compresslevel=9, mtime=0))
    return {"prefix": prefix, "all": everything, "shards": NAMES_SHARDS, "pattern": pattern,
            "empty": [k for k, shard in enumerate(shards) if not shard]}


def name_pairs(text: str) -> list[str]:
    """The pairs of adjacent characters of `text` that hold no space (search.js `pairs`)."""
    return [text[i:i + 2] for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())]


def pair_shard(pair: str) -> int:
    """The shard a character pair's postings are in (search.js `pairShard`)."""
    return (ord(pair[0]) * 31 + ord(pair[1])) % NAMES_SHARDS
