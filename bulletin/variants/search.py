"""Each variant's search index: Material's lunr index with titles and texts converted."""

from __future__ import annotations

import json
from itertools import accumulate
from pathlib import Path

from ..script import Converter, parse
from ..script.markers import reopen, runs, strip_marks
from .model import Variant

ZWSP = "\u200b"


def prepare_search(docs: list[dict], chrome: str
                    ) -> tuple[list[tuple[int, str]], list, list[list[int]]]:
    """Parse the titles and texts (HTML fragments) of Material's search index once.

    Material's search plugin cuts a page into sections, so a region marker opened in the
    page's first entry closes in its last: the open regions are carried from entry to
    entry of the same page, in document order (title, then text). Zero-width spaces
    (word breaks that jieba inserts) are taken out, so OpenCC sees whole phrases, and
    their positions kept to put them back.
    """
    fields: list[tuple[int, str]] = []
    parsed = []
    breaks: list[list[int]] = []
    stack: list[str] = []
    page = None
    for i, doc in enumerate(docs):
        location = str(doc.get("location", "")).split("#", 1)[0]
        if location != page:
            page, stack = location, []
        for key in ("title", "text"):
            value = doc.get(key)
            if not isinstance(value, str):
                continue
            opened = reopen(stack)
            runs(value, stack)
            pieces = list(map(len, strip_marks(value).split(ZWSP)))
            fields.append((i, key))
            breaks.append(pieces)
            text = value.replace(ZWSP, "") if len(pieces) > 1 else value
            parsed.append(parse(opened + text, chrome))
    return fields, parsed, breaks


def put_back(converted: str, pieces: list[int]) -> str:
    """Re-insert the zero-width spaces: `pieces` are the lengths of the text between them.
    If the conversion changed the length (a rare phrase of another length), positions
    are unknown and the text goes without them. (All in C-level iteration: a page has
    thousands of word breaks.)"""
    if len(pieces) < 2 or len(converted) != sum(pieces):
        return converted
    ends = list(accumulate(pieces))
    return ZWSP.join(map(converted.__getitem__, map(slice, [0, *ends[:-1]], ends)))


def write_search_indexes(site_dir: Path, variants: list[Variant], converters: dict[str, Converter],
                         chrome: str) -> None:
    """search/search_index.json of the build, converted for each variant (the default in
    place); locations stay, Material resolves them against the variant root."""
    path = site_dir / "search" / "search_index.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    docs = [doc for doc in data.get("docs", []) if isinstance(doc, dict)]
    fields, parsed, breaks = prepare_search(docs, chrome)
    for variant in variants:
        converter = converters[variant.code]
        out = [dict(doc) for doc in docs]
        for (i, key), value, pieces in zip(fields, converter.render_many(parsed), breaks):
            out[i][key] = put_back(value, pieces)
        for doc in out:
            if isinstance(doc.get("tags"), list):
                doc["tags"] = [converter.text(t, chrome) if isinstance(t, str) else t
                               for t in doc["tags"]]
        dest = site_dir / variant.prefix / "search" / "search_index.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(dict(data, docs=out), ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")
