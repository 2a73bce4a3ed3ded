"""What a search result shows for a page, and how a rendered page is marked for the index.

`entry_for(source, site=…)` says whether a page is searchable and what its result shows; it
reads the site model (bulletin.model: the page's plan, album, published person or the
notices page, by their typed fields), never the front matter again.
`mark_page(html, entry)` runs on each rendered page before the script variants are written:
it marks the article as the only indexed region and adds a hidden block with the result's
fields (see search.py).
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from dataclasses import dataclass

from .content import Source
from .dates import readable_date
from .model import Album, Item, NoticesPage, Person, Plan, Site
from .script import detect_script, mark


class SearchError(RuntimeError):
    """Search cannot be built (Pagefind is missing or failed, a conversion table is
    broken); the message says what to do, in Chinese."""


@dataclass(frozen=True)
class Entry:
    """What a search result shows for one page."""

    kind: str  # plan | album | person | notice
    title: str
    date: str = ""  # as the page shows it: 2026-03-05, 2026-11, 20xx年3月
    community: str = ""  # issuing body, the person's community, or the album's place
    script: str | None = None  # script the texts above are written in (None: Simplified)
    tags: tuple[str, ...] = ()  # topics, in their own script
    summary: str = ""  # a person's one-line deed (四点半课堂): found whole, like a title
    notices: tuple[str, ...] = ()  # the notices page's notices: each found like a title


def entry_for(source: Source, script: str | None = None, today: dt.date | None = None, *,
              site: Site) -> Entry | None:
    """The search entry of a page of the content index: of the plan, album, published
    person or notices page it is in the site model (`Site.item`); see `entry_of`."""
    return entry_of(site.item(source.rel), script, today)


def entry_of(item: Item | None, script: str | None = None, today: dt.date | None = None) -> Entry | None:
    """The search entry of a model item, or None if it is not searchable.

    Plans, albums, honor-roll profiles and the notices page (each notice found like a
    title; expired ones are not) are searchable; ordinary pages (home, listings, tag pages)
    are not, so they never crowd out the content they list. Only the published roll's
    people are given: whether a person may be shown is decided there, once. `script` is
    the page's source script (else the item's own, else detected from its texts).
    """
    if isinstance(item, NoticesPage):
        day = today or dt.date.today()
        notices = tuple(n.text for n in item.notices if not n.ended(day))
        script = script or detect_script("\n".join([item.title, *(n.text for n in item.notices)]))
        return Entry("notice", item.title, "", "", script, (), "", notices)
    summary = ""
    if isinstance(item, Plan):
        kind, title, date, where, text = "plan", item.title, item.shown_date, item.community, item.source.body
    elif isinstance(item, Album):
        date = readable_date(item.date or item.date_text)
        kind, title, where, text = "album", item.title, item.location, item.description
    elif isinstance(item, Person):
        kind, title, date, where, text = "person", item.name, readable_date(item.honored), item.community, item.source.body
        summary = item.summary
    else:
        return None
    script = script or getattr(item, "script", None) or detect_script(f"{title}\n{where or ''}\n{text}")
    tags = tuple(str(t) for t in item.tags if str(t).strip())
    return Entry(kind, str(title), date, str(where or ""), script, tags, str(summary or ""))


ARTICLE_RE = re.compile(r'<article\b[^>]*\bclass="[^"]*\bmd-content__inner\b[^"]*"[^>]*>')
IMG_ALT_RE = re.compile(r"<img\b(?=[^>]*\balt=\"[^\"]+\")(?![^>]*data-pagefind-index-attrs)", re.I)


def mark_page(html: str, entry: Entry | None) -> str:
    """`html` with Pagefind markup on its article; unchanged if `entry` is None.

    Adds `data-pagefind-body` to Material's `<article class="md-content__inner">`, a hidden
    block of result fields right inside it, and `data-pagefind-index-attrs="alt"` on
    images with a caption. Pagefind indexes only marked articles once any page has one,
    so pages without an entry (and the screen) stay out of the index. A page whose
    template has no such article is returned unchanged and is not indexed.
    """
    if entry is None or "data-pagefind-body" in html:
        return html
    match = ARTICLE_RE.search(html)
    if match is None:
        return html
    opening = match.group(0)[:-1].rstrip("/") + " data-pagefind-body>"
    end = html.find("</article>", match.end())
    end = len(html) if end < 0 else end
    body = IMG_ALT_RE.sub(r'<img data-pagefind-index-attrs="alt"', html[match.end():end])
    return html[:match.start()] + opening + meta_block(entry) + body + html[end:]


def meta_block(entry: Entry) -> str:
    """The hidden result fields of one page (not indexed as text, not shown).

    Fields people read (`shown_fields`) are element text, so the variant writer converts
    them like any other text; machine keys are attribute values.
    """
    shown = shown_fields(entry)

    def text(name: str) -> str:
        return f'<span data-pagefind-meta="{name}">{htmlmod.escape(shown[name], quote=False)}</span>'

    def attr(value: str) -> str:
        return htmlmod.escape(value, quote=True)

    parts = [f'<span data-pagefind-meta="kind:{attr(entry.kind)}"></span>', text("title")]
    if entry.date:
        parts.append(f'<span data-pagefind-meta="date:{attr(entry.date)}"></span>')
    parts += [text(name) for name in SHOWN_FIELDS[1:] if name in shown]
    return f'<div class="bl-search-meta" hidden data-pagefind-ignore>{"".join(parts)}</div>'


def shown_fields(entry: Entry) -> dict[str, str]:
    """The result fields people read, in SHOWN_FIELDS order, with their script markers
    (each variant's converter reads them): the title always, the others when set."""
    fields = {"title": mark(entry.title, entry.script)}
    if entry.community:
        fields["community"] = mark(entry.community, entry.script)
    if entry.tags:
        # Tags are normalised values, in whichever script the editor typed them: each
        # carries its own script, not the page's.
        fields["tags"] = TAG_SEPARATOR.join(mark(t, detect_script(t)) for t in entry.tags)
    if entry.summary:
        fields["summary"] = mark(entry.summary, entry.script)
    if entry.notices:
        fields["notices"] = mark(NOTICE_SEPARATOR.join(entry.notices), entry.script)
    return fields


SHOWN_FIELDS = ("title", "community", "tags", "summary", "notices")
TAG_SEPARATOR = "、"  # between the tags of the `tags` field (search.js splits them there)
NOTICE_SEPARATOR = "｜"  # between the notices of the `notices` field (search.js splits them there)
