"""One search index for every script: segment each page once, not once per variant.

Pagefind indexes the articles of one variant, the base (the Simplified one where there is
one: its word segmentation is trained on Simplified text). Each other variant's search is
derived from that index instead of being indexed again:

- its readers' queries are converted in the browser to the base's script (with the base's
  character map), so the base's word index and filter chunks answer them unchanged; the
  bundle holds those files once, shared by every variant;
- its results come from its own records (fragments): the base page's record with the
  variant's URL, its result fields (title, community, tags...: from the site model,
  converted for the variant, search_fields.py), and the article text in the variant's
  characters, word for word at the same positions, so Pagefind's excerpts and highlights
  fall on the same words;
- its page list (`pagefind.<lang>_<hash>.pf_meta`) is the base's, naming its own records.

The variant's characters come from its own published article. Both variants' articles are
written from one rendered page and differ only where the script differs, so the Han
characters of the two articles pair up one to one, in order. The pairing is checked against
the base record. Where the variant's page has more or fewer (a glossary term of another
length, say), the two are lined up around the difference and only that stretch takes
OpenCC's conversion; such pages are counted in the build log.

Reading and writing the bundle's files is search_format.py's.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import html as htmlmod
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cbor2

from . import incremental
from .script.converter import corner_quotes
from .script.engine import chain, run_chain
from .search_format import PAGEFIND_VERSION, FormatError, format_problem, language_files  # noqa: F401  (search.py reads them here)
from .search_entry import SHOWN_FIELDS
from .search_format import read_file, write_file

ZWSP = "\u200b"  # Pagefind's word separator in the content of segmented pages

HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
HAN_SPLIT_RE = re.compile(f"({HAN_RE.pattern})")

# Elements whose text Pagefind leaves out: those it always removes (its parser's
# REMOVE_SELECTORS), the hidden result fields, what search.py excludes by selector
# (EXCLUDE_SELECTORS) and what an editor marked.
EXCLUDED_RE = re.compile(
    r'<(head|style|script|noscript|label|form|svg|footer|nav|iframe|template)\b[^>]*>'
    r'|<([a-zA-Z][\w-]*)\b[^>]*?(?:\bclass="[^"]*\b(?:bl-search-meta|md-content__button|md-source-file|headerlink)\b'
    r'|\bdata-search-skip\b|\bdata-pagefind-ignore\b)[^>]*>', re.I)
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
TOKEN_RE = re.compile(r"<[^>]*>|[^<]+")
ALT_RE = re.compile(r'\balt="([^"]*)"')
IMG_RE = re.compile(r"<img\b[^>]*>")
SRC_RE = re.compile(r'\bsrc="([^"]*)"')


def _drop_excluded(region: str) -> str:
    """`region` without the elements Pagefind leaves out (nested ones included)."""
    if not EXCLUDED_RE.search(region):
        return region
    out, pos = [], 0
    while (match := EXCLUDED_RE.search(region, pos)) is not None:
        out.append(region[pos:match.start()])
        name = match[1] or match[2]
        if name.lower() in VOID_TAGS or match[0].endswith("/>"):
            pos = match.end()
            continue
        depth, end = 1, len(region)
        for tag in re.compile(rf"<(/?){re.escape(name)}\b[^>]*>", re.I).finditer(region, match.end()):
            depth += -1 if tag[1] else (0 if tag[0].endswith("/>") else 1)
            if depth == 0:
                end = tag.end()
                break
        pos = end
    out.append(region[pos:])
    return "".join(out)


def han_chars(region: str) -> str:
    """The Han characters Pagefind reads from an article, in order: its text and the
    captions it is told to read (`data-pagefind-index-attrs="alt"`).

    Whole-string substitutions rather than a walk over tokens: this runs on every page of
    every variant (a list of one-character strings per page cost a big site seconds)."""
    region = _drop_excluded(region)
    region = INDEXED_IMG_RE.sub(_alt_text, region)
    text = htmlmod.unescape(TAG_RE.sub(" ", region))
    return NON_HAN_RE.sub("", text)


INDEXED_IMG_RE = re.compile(r"<img\b[^>]*data-pagefind-index-attrs[^>]*>")
TAG_RE = re.compile(r"<[^>]*>")
NON_HAN_RE = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _alt_text(img: re.Match) -> str:
    alt = ALT_RE.search(img[0])
    return f" {alt[1]} " if alt else " "


@dataclass
class Pair:
    """One page in the base variant and in a derived one."""

    base_region: str
    region: str
    url: str  # the derived page's URL as Pagefind writes it: "/zh-hant/plans/a/"
    base_chars: str  # han_chars() of each region
    chars: str
    # the derived page's result fields (search_fields.py: from the site model, in the
    # variant's script); None: each is the base record's, converted like its headings
    fields: Mapping[str, str] | None = None


class Deriver:
    """Derives one variant's records from the base's: `record(base_record, pair)`."""

    def __init__(self, base_script: str, target_script: str, corner_quotes: bool = False) -> None:
        self.configs = chain(base_script, target_script)
        # The pairing takes the variant's Han characters only; its pages' 「」 for the base's
        # “” come from the variant writer's converter, so they are put in here the same way.
        self.corner_quotes = corner_quotes
        self.converted = 0  # pages whose characters did not pair up (converted with OpenCC)

    def record(self, base: dict, pair: Pair) -> dict:
        content = base.get("content", "")
        source, target = pair.base_chars, pair.chars
        pieces = HAN_SPLIT_RE.split(content)  # text, Han character, text, ...
        if "".join(pieces[1::2]) == source:
            if len(source) != len(target):
                self.converted += 1
                target = self._align(source, target)
            pieces[1::2] = target
            derived = "".join(pieces)
            text = _Text(content, derived, source, target)
        else:
            self.converted += 1
            derived = self._convert_words(content)
            text = _Text(content, derived, "", "")
        meta = dict(base.get("meta") or {})
        if pair.fields is not None:
            meta.update(pair.fields)
        else:
            meta.update({name: self._quotes(self._convert(meta[name], text))
                         for name in SHOWN_FIELDS if isinstance(meta.get(name), str)})
        image = _image(base, pair)
        if image is not None:
            meta["image"], meta["image_alt"] = image
        elif meta.get("image_alt"):
            meta["image_alt"] = self._convert(meta["image_alt"], text)
        anchors = [{**a, "text": self._convert(a.get("text", ""), text, a.get("location", 0))}
                   for a in base.get("anchors") or []]
        if self.corner_quotes:  # one character for one: Pagefind's word locations stay
            derived = corner_quotes(derived)
            anchors = [{**a, "text": corner_quotes(a["text"])} for a in anchors]
            if meta.get("image_alt"):
                meta["image_alt"] = corner_quotes(meta["image_alt"])
        return {**base, "url": pair.url, "content": derived, "meta": meta, "anchors": anchors}

    def _quotes(self, value: str) -> str:
        return corner_quotes(value) if self.corner_quotes else value

    def _convert(self, value: str, text: "_Text", word: int = 0) -> str:
        """A field of the base record in the variant's script: as the variant's content
        writes the same passage (a heading, a caption), else character by character with
        the forms the page uses, and OpenCC for the rest."""
        if not HAN_RE.search(value):
            return value
        found = text.parallel(value, word)
        if found is not None:
            return found
        converted = run_chain(self.configs, value)
        if len(converted) != len(value):
            return converted
        return "".join(text.table.get(a, b) for a, b in zip(value, converted))

    def _align(self, source: str, target: str) -> str:
        """One character for each of `source` where the variant's page has more or fewer
        (a glossary term of another length): the page's own wherever the two line up,
        OpenCC's in the stretches that do not."""
        guess = run_chain(self.configs, source)
        if len(guess) != len(source):
            guess = "".join(c if len(c) == 1 else s for s, c in ((s, run_chain(self.configs, s)) for s in source))
        return line_up(guess, target)

    def _convert_words(self, content: str) -> str:
        """`content` through OpenCC, keeping its word boundaries (Pagefind's locations)."""
        words = content.split(ZWSP)
        whole = run_chain(self.configs, "".join(words))
        if len(whole) == sum(map(len, words)):
            out, pos = [], 0
            for word in words:
                out.append(whole[pos:pos + len(word)])
                pos += len(word)
            return ZWSP.join(out)
        return ZWSP.join(run_chain(self.configs, w) for w in words)


RESYNC_WINDOW = 64  # how far (in characters) two texts may differ before they line up again
RESYNC_MATCH = 4  # characters that must agree for the two to count as lined up again


def line_up(guess: str, target: str) -> str:
    """`guess` with `target`'s characters wherever the two line up: through the stretches
    they share, and across a differing stretch of the same length on both sides; a
    stretch of another length keeps `guess`'s characters.

    Linear in the length: the two differ only in short stretches (a glossary term), so
    after a difference the next common run is looked for within RESYNC_WINDOW characters
    (a general diff, difflib's, takes quadratic time on a long page: an hour at 2 MB).
    Past a difference that cannot be lined up, the rest keeps `guess`.
    """
    out = list(guess)
    i = j = 0
    while i < len(guess) and j < len(target):
        if guess[i] == target[j]:
            i, j = i + 1, j + 1
            continue
        step = _resync(guess, target, i, j)
        if step is None:
            break
        di, dj = step
        if di == dj:
            out[i:i + di] = target[j:j + dj]
        i, j = i + di, j + dj
    return "".join(out)


def _resync(a: str, b: str, i: int, j: int) -> tuple[int, int] | None:
    """The smallest skip (di, dj) after which `a[i+di:]` and `b[j+dj:]` agree for
    RESYNC_MATCH characters (or both end), within RESYNC_WINDOW; None if there is none."""
    for total in range(1, 2 * RESYNC_WINDOW + 1):
        for di in range(max(0, total - RESYNC_WINDOW), min(total, RESYNC_WINDOW) + 1):
            ai, bj = i + di, j + total - di
            if ai > len(a) or bj > len(b):
                continue
            if a[ai:ai + RESYNC_MATCH] == b[bj:bj + RESYNC_MATCH]:
                return di, total - di
    return None


class _Text:
    """A base record's content and the variant's, character for character in parallel."""

    def __init__(self, base: str, derived: str, source: str, target: str) -> None:
        # Where each word starts in the content without separators: a page has an
        # anchor per heading, so summing word lengths per anchor would be quadratic.
        self.starts = [0, *itertools.accumulate(map(len, base.split(ZWSP)))]
        self.base, self.derived = base.replace(ZWSP, ""), derived.replace(ZWSP, "")
        self.source, self.target = source, target
        self._first: dict[str, int] = {}
        if len(self.base) != len(self.derived):
            self.base = ""  # not parallel: parallel() finds nothing

    def parallel(self, value: str, word: int = 0) -> str | None:
        """`value` as the variant writes it where the base content has it (searched from
        word `word` on, then from the start), or None."""
        start = self.starts[min(max(word, 0), len(self.starts) - 1)]
        at = self.base.find(value, max(0, start - len(value)))
        if at < 0:
            at = self._first_at(value)
        return self.derived[at:at + len(value)] if at >= 0 else None

    def _first_at(self, value: str) -> int:
        """Where `value` first occurs in the base content (-1: nowhere), each value
        searched for once: a page may repeat a heading that the search above missed."""
        if value not in self._first:
            self._first[value] = self.base.find(value)
        return self._first[value]

    @functools.cached_property
    def table(self) -> dict[str, str]:
        """Each base character of the page: the form the variant's page uses most for it."""
        table: dict[str, str] = {}
        for (s, t), _ in Counter(zip(self.source, self.target)).most_common():
            table.setdefault(s, t)
        return table


def _image(base: dict, pair: Pair) -> tuple[str, str] | None:
    """The derived page's (src, alt) of the image the base record shows, found by its
    position among the article's images (its path differs with the page's depth)."""
    src = (base.get("meta") or {}).get("image")
    if not src:
        return None
    base_imgs = IMG_RE.findall(pair.base_region)
    imgs = IMG_RE.findall(pair.region)
    if len(base_imgs) != len(imgs):
        return None
    for mine, theirs in zip(base_imgs, imgs):
        found = SRC_RE.search(mine)
        if found and htmlmod.unescape(found[1]) == src:
            new_src, alt = SRC_RE.search(theirs), ALT_RE.search(theirs)
            return (htmlmod.unescape(new_src[1]) if new_src else src,
                    htmlmod.unescape(alt[1]) if alt else "")
    return None


def derive_language(bundle: Path, entry: dict, base_key: str, key: str, deriver: Deriver,
                    pairs: dict[str, Pair], cache_dir: Path | None = None,
                    known: dict[Path, dict] | None = None) -> bool:
    """Write variant `key`'s records and page list into `bundle`, from language `base_key`.

    `pairs` maps each base record's URL to its page pair. Adds `key` to `entry` (the
    parsed pagefind-entry.json, written by the caller); False, with nothing written, if
    some base record has no counterpart. With a `cache_dir`, a record derived before from
    the same base record and page pair is reused. `known`, if given, gets every record
    read or written, by path (the caller reads them next: a big site has thousands).
    """
    base = entry["languages"][base_key]
    meta = read_file(bundle / f"pagefind.{base['hash']}.pf_meta")
    version, pages, *rest = meta
    memo = incremental.Store(Path(cache_dir) / f"search-records-{key}") if cache_dir else None
    settings = incremental.digest("derive", repr(deriver.configs))
    records = []
    known = {} if known is None else known
    for page_hash, _words in pages:
        path = bundle / "fragment" / f"{page_hash}.pf_fragment"
        record = known[path] = read_file(path)
        pair = pairs.get(record.get("url", ""))
        if pair is None:
            return False
        if memo is None:
            records.append(deriver.record(record, pair))
            continue
        entry_key = incremental.digest(settings, json.dumps(record, ensure_ascii=False), pair.base_region,
                                       pair.region, pair.url, pair.base_chars, pair.chars,
                                       json.dumps(pair.fields, ensure_ascii=False))
        done = memo.get(entry_key)
        if done is None:
            before = deriver.converted
            done = (deriver.record(record, pair), deriver.converted - before)
            memo.put(entry_key, done)
        else:
            deriver.converted += done[1]
        records.append(done[0])
    if memo is not None:
        memo.finish()
    payloads = [json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() for record in records]
    digits = _short_names([hashlib.sha256(p).hexdigest() for p in payloads])
    folder = bundle / "fragment"
    folder.mkdir(parents=True, exist_ok=True)
    derived = []
    for (_page_hash, words), payload, record in zip(pages, payloads, records):
        name = write_file(folder, "", key, ".pf_fragment", payload, digits, made=True)
        known[folder / f"{name}.pf_fragment"] = record
        derived.append([name, words])
    name = write_file(bundle, "pagefind.", key, ".pf_meta", cbor2.dumps([version, derived, *rest]))
    entry["languages"][key] = {**base, "hash": name, "page_count": len(derived)}
    return True


def _short_names(hashes: list[str], shortest: int = 7) -> int:
    """How many hex digits tell these hashes apart, at least `shortest` (Pagefind's rule):
    the page list names every record, and a reader's first query fetches it whole."""
    unique = len(set(hashes))
    digits = shortest
    while len({h[:digits] for h in hashes}) < unique:
        digits += 1
    return digits

