"""`Converter`: text and HTML into one target variant, glossary and names respected."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from ..fences import fenced_lines
from ..report import Report
from .engine import _CLASSES, _HAN_RE, _classify, chain, convert_many, opencc_for, risky_characters
from .html import Document, Raw, Tag, encode_json_string, parse, rebuild_tag
from .lexicon import Lexicon
from .markers import HANS, PROTECTED, SCRIPTS, protect_markdown, runs, strip_marks

Run = tuple[str, str]

# Short pieces (navigation entries, headings, UI strings) recur on every page; long
# ones (paragraphs) do not, and caching them would only hold memory.
_CACHE_MAX_LEN = 64
_CACHE_MAX_ENTRIES = 200_000


class Rewriter:
    """Changes machine attributes while a Document is rendered (the variant writer's hook)."""

    def tag(self, tag: Tag) -> Mapping[str, str | None] | None:
        """Attributes of `tag` to set (raw HTML value) or remove (None); None for no change."""
        return None

    def raw(self, tag: Tag, text: str) -> str:
        """New content for a <script>/<style>/<textarea> opened by `tag`."""
        return text

    @staticmethod
    def may_change(tag: Tag) -> bool:
        """Whether `tag` may change: a test that is the same for every variant (a render
        works out once per page which tags to visit)."""
        return True

    def rebuild(self, tag: Tag, values: dict[int, str]) -> str | None:
        """`tag` as written in the variant, given its converted readable attributes
        (attr index -> raw value); None when it stays as written."""
        extra = self.tag(tag)
        if values or extra:
            return rebuild_tag(tag, values, dict(extra or {}))
        return None


class Converter:
    """Converts text and rendered HTML into the script `target`.

    names: personal names (str, or mapping with name / name_hant / name_hans) whose
    surname keeps its character. glossary: a Lexicon (see lexicon.load_glossary, which
    reports bad entries), a list of term mappings such as {"zh-Hans": "于都县",
    "zh-Hant": "于都縣"}, or a mapping {"terms": [...], "names": [...]}.
    phrases: use OpenCC's regional phrase tables (软件 → 軟體) where they exist.
    prefer: the site's Traditional variant, for names whose standard is ambiguous.
    """

    def __init__(self, target: str, names: Iterable[str | Mapping] = (),
                 glossary: Lexicon | Iterable[Mapping[str, str]] | Mapping | None = None,
                 phrases: bool = False, prefer: str | None = None, corner_quotes: bool = False):
        if target not in SCRIPTS:
            raise ValueError(f"unknown script {target!r}; expected one of {SCRIPTS}")
        self.target = target
        self.phrases = phrases
        self.corner_quotes = corner_quotes
        if isinstance(glossary, Lexicon):
            self.lexicon = Lexicon(list(glossary.entries))
        else:
            self.lexicon = Lexicon()
            if isinstance(glossary, Mapping):  # the glossary file's shape: terms and names
                names = [*glossary.get("names", ()), *names]
                glossary = glossary.get("terms", ())
            for forms in glossary or ():
                self.lexicon.add_term(dict(forms))
        for name in names:
            if isinstance(name, str):
                self.lexicon.add_name(name, prefer=prefer)
            else:
                self.lexicon.add_name(name["name"], name.get("name_hant"), name.get("name_hans"),
                                      prefer=prefer)
        self._cache: dict[tuple[str, str], str] = {}
        for source in SCRIPTS:  # load dictionaries now, not in the middle of a page
            for config in chain(source, target, phrases):
                opencc_for(config)

    def text(self, text: str, source: str = HANS) -> str:
        """`text` (written in `source`, may carry region markers) in the target script.

        Markers are removed; protected spans and same-script text come back as written.
        """
        return "".join(self.convert_runs(runs(text, [], source)))

    def html(self, html: str, source: str = HANS) -> str:
        """Rendered HTML in the target script; see bulletin.script.html for what changes."""
        return self.render(parse(html, source))

    def convert_runs(self, items: list[Run]) -> list[str]:
        """Convert (script, text) runs, one OpenCC call per source script for the lot."""
        target = self.target
        cache = self._cache
        out: list[str | None] = [None] * len(items)
        pending: dict[str, list[tuple[int, int, str]]] = {}
        split: dict[int, list[str]] = {}
        lexicon = self.lexicon
        for i, (script, piece) in enumerate(items):
            if script == PROTECTED or script == target or piece.isascii():
                out[i] = piece
                continue
            pieces = lexicon.split(piece, script, target) if lexicon else [(piece, False)]
            if len(pieces) == 1 and not pieces[0][1]:
                hit = cache.get((script, piece))
                if hit is not None:
                    out[i] = hit
                else:
                    pending.setdefault(script, []).append((i, -1, piece))
                continue
            texts = split[i] = [p for p, _ in pieces]
            for j, (p, fixed) in enumerate(pieces):
                if fixed or p.isascii():
                    continue
                hit = cache.get((script, p))
                if hit is not None:
                    texts[j] = hit
                else:
                    pending.setdefault(script, []).append((i, j, p))
        for script, entries in pending.items():
            unique = list(dict.fromkeys(p for _, _, p in entries))
            done = dict(zip(unique, convert_many(unique, chain(script, target, self.phrases))))
            for i, j, p in entries:
                if j < 0:
                    out[i] = done[p]
                else:
                    split[i][j] = done[p]
            if len(cache) > _CACHE_MAX_ENTRIES:
                cache.clear()
            for p in unique:
                if len(p) <= _CACHE_MAX_LEN:
                    cache[(script, p)] = done[p]
        for i, texts in split.items():
            out[i] = "".join(texts)
        if self.corner_quotes:
            for i, (script, _) in enumerate(items):
                if script != PROTECTED:
                    out[i] = corner_quotes(out[i])  # type: ignore[arg-type]
        return out  # type: ignore[return-value]

    def render(self, doc: Document, rewriter: Rewriter | None = None, head_extra: str = "") -> str:
        """One variant of a parsed page. `head_extra` is inserted before </head>."""
        items = _collect(doc)
        return _fill(doc, self.convert_runs(items), rewriter, head_extra)

    def render_many(self, docs: list[Document]) -> list[str]:
        """Like `render` for many small documents (search index entries), one batch for all."""
        collected = [_collect(doc) for doc in docs]
        converted = self.convert_runs([run for items in collected for run in items])
        out = []
        k = 0
        for doc, items in zip(docs, collected):
            out.append(_fill(doc, converted[k:k + len(items)], None, ""))
            k += len(items)
        return out


def _collect(doc: Document) -> list[Run]:
    items: list[Run] = []
    for _, rs in doc.texts:
        items.extend(rs)
    for tag in doc.tags:
        for _, rs in tag.readable:
            items.extend(rs)
    for raw in doc.raws:
        for _, _, rs in raw.strings:
            items.extend(rs)
    return items


def _no_tag(tag: Tag) -> bool:
    return False


def _fill(doc: Document, converted: list[str], rewriter: Rewriter | None, head_extra: str) -> str:
    k = 0
    parts = list(doc.parts)
    for part, rs in doc.texts:
        n = len(rs)
        parts[part] = converted[k] if n == 1 else "".join(converted[k:k + n])
        k += n
    for tag in doc.tags_to_fill(_no_tag if rewriter is None else rewriter.may_change):
        values: dict[int, str] = {}
        for index, rs in tag.readable:
            value = "".join(converted[k:k + len(rs)])
            k += len(rs)
            if value != tag.attrs[index].value:
                values[index] = value
        if rewriter is not None:
            new = rewriter.rebuild(tag, values)
        elif values:
            new = rebuild_tag(tag, values, {})
        else:
            continue
        if new is not None:
            parts[tag.part] = strip_marks(new) if tag.marks else new
    for raw in doc.raws:
        text = raw.text
        if raw.strings:
            text, k = _replace_strings(raw, converted, k)
        if rewriter is not None:
            text = rewriter.raw(raw.tag, text)
        if text is not raw.text:
            parts[raw.part] = strip_marks(text)
    if head_extra and doc.head_end is not None:
        parts[doc.head_end] = head_extra + parts[doc.head_end]
    return "".join(parts)


def _replace_strings(raw: Raw, converted: list[str], k: int) -> tuple[str, int]:
    out = []
    pos = 0
    for start, end, rs in raw.strings:
        value = "".join(converted[k:k + len(rs)])
        k += len(rs)
        original = "".join(text for _, text in rs)
        if value != original:
            out.append(raw.text[pos:start])
            out.append(encode_json_string(value))
            pos = end
    if not out:
        return raw.text, k
    out.append(raw.text[pos:])
    return "".join(out), k


class Risk(NamedTuple):
    """One character whose form depends on which word it is read with.

    `converted` is the passage as the variant shows it; `alternative` the character's
    form when its own word (as a segmenter reads the sentence) is converted alone.
    """

    char: str
    context: str      # a few characters either side, as written
    converted: str    # the same stretch in the target variant
    offset: int       # position of `char` in the text without markers
    chosen: str = ""       # the form the variant shows
    alternative: str = ""  # the form its own word takes


def risky(text: str, source: str, target: str, converter: Converter | None = None,
          width: int = 3) -> list[Risk]:
    """Characters that OpenCC converts one way where their own word points the other way.

    OpenCC converts the longest phrase it knows: in 楼道里 it matches 道里 (a distance)
    and keeps 里, where the sentence reads 楼道 + 里 (inside, 裏). So each Simplified
    passage is cut into words (jieba), and a character with several Traditional forms
    is listed when its word converted alone gives another form than the passage does.
    A word that converts the same either way (头发 → 頭髮) is never listed. Only
    Simplified text going into a Traditional variant is at risk; protected spans,
    glossary terms and names are already decided.
    """
    if target == HANS:
        return []
    pieces = [(s, p) for s, p in runs(text, [], source)]
    if not any(s == HANS for s, _ in pieces):
        return []
    converter = converter or Converter(target)
    chars = risky_characters()
    found: list[Risk] = []
    seen: set[tuple[str, str, str]] = set()
    offset = 0
    for script_, piece in pieces:
        if script_ == HANS and any(c in chars for c in piece):
            found += _risky_piece(piece, offset, converter, chars, width, seen)
        offset += len(piece)
    return found


def _risky_piece(piece: str, offset: int, converter: Converter, chars: frozenset[str], width: int,
                 seen: set) -> list[Risk]:
    decided: set[int] = set()
    for start, end, _ in converter.lexicon.matches(piece, HANS):
        decided.update(range(start, end))
    whole = converter.text(piece)
    if len(whole) != len(piece):
        return []
    found: list[Risk] = []
    pos = 0
    for word in segment(piece):
        at, pos = pos, pos + len(word)
        if not any(c in chars for c in word):
            continue
        alone = converter.text(word)
        if len(alone) != len(word):
            continue
        for k, c in enumerate(word):
            i = at + k
            if c not in chars or i in decided or alone[k] == whole[i]:
                continue
            lo = max(i - width, piece.rfind("\n", 0, i) + 1)
            end = piece.find("\n", i)
            hi = min(i + width + 1, len(piece) if end < 0 else end)
            key = (c, piece[lo:hi], whole[lo:hi])
            if key not in seen:
                seen.add(key)
                found.append(Risk(c, piece[lo:hi], whole[lo:hi], offset + i, whole[i], alone[k]))
    return found


def segment(text: str) -> list[str]:
    """Words of Simplified text, by jieba's dictionary (no guessing of unknown words)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return list(jieba.cut(text, HMM=False))


def report_risky(report: Report, display: str, markdown: str, first_line: int, source: str,
                 converter: Converter, label: str, prefer: str | None = None) -> list[Risk]:
    """Report (SCRIPT008) every risky conversion in a page's Markdown body, with its line.

    Each line is read in its own script when it clearly has one (a Simplified line added
    to a Traditional plan), else in the page's. `-{…}-` spans and code are left out.
    `label` names the variant in the message (e.g. "繁体").
    """
    from .passages import passage_script

    if converter.target == HANS:
        return []
    text = _blank_code(protect_markdown(markdown))
    chars = set(_HAN_RE.findall(text))
    _classify(chars)
    simplified = _CLASSES["simplified"]
    if source != HANS and simplified.isdisjoint(chars):
        return []  # a Traditional page without one Simplified character: nothing goes in risky
    found: list[Risk] = []
    plain_offset = 0
    for line in text.split("\n"):
        plain_line = strip_marks(line)
        if source == HANS or not simplified.isdisjoint(plain_line):
            written = passage_script(plain_line, prefer) or source
            for risk in risky(line, written, converter.target, converter):
                found.append(risk._replace(offset=plain_offset + risk.offset))
        plain_offset += len(plain_line) + 1
    plain = strip_marks(text)
    for risk in found:
        line = first_line + plain.count("\n", 0, risk.offset)
        report.add("SCRIPT008", display, line, context=risk.context, char=risk.char, variant=label,
                   converted=risk.converted, chosen=risk.chosen, alternative=risk.alternative)
    return found


_CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)", re.S)


def _blank_code(md: str) -> str:
    """Code replaced by spaces (line breaks kept): it is never converted, so never risky."""
    def blank(text: str) -> str:
        return re.sub(r"[^\n]", " ", text)
    lines = md.splitlines(keepends=True)
    md = "".join(blank(line) if code else line for line, code in zip(lines, fenced_lines(lines)))
    return _CODE_SPAN_RE.sub(lambda m: blank(m.group()), md)


_QUOTES = {"\u201c": "\u300c", "\u201d": "\u300d", "\u2018": "\u300e", "\u2019": "\u300f"}
# ‘ and ’ are also apostrophes in Latin text (don’t, ’90s): those stay.
_QUOTE_RE = re.compile(r"[\u201c\u201d]|(?<![A-Za-z0-9])\u2018(?![0-9]{2}s)|\u2019(?![A-Za-z0-9])")


def corner_quotes(text: str) -> str:
    """Curly quotes as Hong Kong and Taiwan print them: “…” → 「…」, ‘…’ → 『…』."""
    if "\u201c" not in text and "\u201d" not in text and "\u2018" not in text and "\u2019" not in text:
        return text
    return _QUOTE_RE.sub(lambda m: _QUOTES[m[0]], text)
