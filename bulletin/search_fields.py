"""What each variant's search results show, from the site model: title, community, tags,
summary and notices of every searchable page, in the variant's script.

Pagefind reads the base variant's fields from the hidden block `mark_page` writes into its
pages (search_entry.py). The records of the variants derived from the base
(search_derive.py) take theirs from here: the page's `Entry` (`entry_of` on its model item)
converted by the variant's converter, on the texts with their script markers, as the
variant writer converts the same block on the variant's own pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from .model import Site
from .script import HANS, Converter
from .script.markers import runs
from .search_entry import Entry, entry_of, shown_fields
from .variants.model import Variant

# variant key -> page path (its HTML file under the variant's folder, "plans/a/index.html")
# -> field -> text
Fields = Mapping[str, Mapping[str, Mapping[str, str]]]


def site_fields(site: Site, dests: Mapping[str, str], scripts: Mapping[str, str],
                converter: Callable[[Variant], Converter]) -> dict[str, dict[str, dict[str, str]]]:
    """`result_fields` of the site's searchable pages (`page_entries`) in each of its
    variants, `converter` giving each variant's converter (the plugin's)."""
    return result_fields(page_entries(site, dests, scripts), [(v, converter(v)) for v in site.variants])


def page_entries(site: Site, dests: Mapping[str, str], scripts: Mapping[str, str]) -> dict[str, Entry]:
    """Each searchable page's entry by the path of its HTML file: `dests` maps a page's
    source (site_src/`rel`) to that path, `scripts` to the script it is written in."""
    found = {}
    for rel, dest in dests.items():
        entry = entry_of(site.item(rel), scripts.get(rel))
        if entry is not None:
            found[dest] = entry
    return found


def result_fields(entries: Mapping[str, Entry], converters: Sequence[tuple[Variant, Converter]],
                  chrome: str = HANS) -> dict[str, dict[str, dict[str, str]]]:
    """Every variant's result fields of each page of `entries`: variant key -> page path ->
    field -> text (`search_entry.SHOWN_FIELDS`, those the page has). `chrome`: the script of
    unmarked text (the variant writer's). One conversion per variant for every page."""
    shown = {dest: shown_fields(entry) for dest, entry in entries.items()}
    pieces = [(dest, name, runs(text, [], chrome)) for dest, fields in shown.items() for name, text in fields.items()]
    batch = [run for *_, items in pieces for run in items]
    out: dict[str, dict[str, dict[str, str]]] = {}
    for variant, converter in converters:
        converted, k = converter.convert_runs(batch), 0
        pages = out[variant.key] = {dest: {} for dest in shown}
        for dest, name, items in pieces:
            pages[dest][name] = "".join(converted[k:k + len(items)])
            k += len(items)
    return out


def of_page(fields: Fields | None, variant: str, page: str) -> Mapping[str, str] | None:
    """The result fields of variant `variant`'s page at `page`; None if none were given
    (search_derive then converts the base record's)."""
    return None if fields is None else fields.get(variant, {}).get(page)


def key(fields: Fields | None) -> str:
    """`fields` as part of a cache key."""
    return "" if fields is None else json.dumps(fields, ensure_ascii=False, sort_keys=True)
