"""The tags page: most-used tags first, and each tag a heading that opens its pages.

Material sorts tags by code point, which for Chinese is no order a reader can see. The
tags with the most pages lead; equal counts keep a stable order by name.
"""

from __future__ import annotations

import re


def sort_by_count(tags_plugin) -> None:
    """Have Material's tags plugin list the most-used tags first, unless the site chose an order."""
    if tags_plugin is None:
        return
    from material.plugins.tags import tag_name

    if tags_plugin.config.listings_tags_sort_by is tag_name:
        tags_plugin.config.listings_tags_sort_by = by_count


def by_count(tag, tree=None) -> tuple[int, str]:
    """Sort key for a tag of a listing: (-pages under it, name)."""
    return (-len(tree.mappings) if tree is not None else 0, tag.name)


DIRECTIVE = "<!-- material/tags -->"
_GROUP_RE = re.compile(r'(<h2 id="tag:[^"]*">\s*<span class="md-tag">.*?</span>)\s*</h2>\s*(<ul>.*?</ul>)', re.S)


def group_listing(html: str) -> str:
    """The tags page as an index: each tag a heading with its count that opens its pages.

    Material writes `<h2 id="tag:…">` + `<ul>` per tag; each pair becomes a <details> whose
    summary is the heading (a link to #tag:… opens it), so a phone shows one line per tag.
    """
    def group(match: re.Match) -> str:
        count = match[2].count("<li>")
        return (f'<details class="bl-tag-group"><summary>{match[1]} <span class="bl-count">{count}</span></h2>'
                f"</summary>{match[2]}</details>")

    return _GROUP_RE.sub(group, html)
