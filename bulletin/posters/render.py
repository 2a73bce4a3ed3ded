"""A poster as HTML in one script: the template filled from the model, converted once.

Text goes through the site's own converter (glossary, protected names, corner quotes on
the Traditional site), marked with the script each field was written in, exactly as the
pages are. The page numbers and the running header are CSS strings: their few words are
converted as text through the same converter.
"""

from __future__ import annotations

import datetime as dt
import functools
import html as htmllib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import sanitize, script
from ..people.model import CATEGORIES
from ..screen.kinds import qr_svg
from ..theme_dir import THEME_DIR as PLUGIN_THEME
from .model import Poster
from .paper import MM_PER_INCH, Paper, largest_box

THEME_DIR = PLUGIN_THEME / "posters"

DATE_TOKEN = "@@PRINT_DATE@@"
BODY_TOKEN = "@@BODY_PT@@"
BODY_SIZES = (16, 15, 14)  # a plan's body on A3, largest first: never below 14 pt
MARGIN_MM = 14  # left and right, on A3

FONTS = {  # Noto CJK (Debian's fonts-noto-cjk): the glyph forms each script's readers expect
    "zh-Hans": ("Noto Sans CJK SC", "Noto Serif CJK SC"),
    "zh-Hant": ("Noto Sans CJK TC", "Noto Serif CJK TC"),
    "zh-TW": ("Noto Sans CJK TC", "Noto Serif CJK TC"),
    "zh-HK": ("Noto Sans CJK HK", "Noto Serif CJK HK"),
}
KIND_LABELS = {"honor_roll": "好人榜", "plan": "工作计划", "album": "活动相册"}
CATEGORY_COLOURS = {  # as on the site's cards (people.css)
    "zhuren-weile": "#bf360c", "jianyi-yongwei": "#b71c1c", "chengshi-shouxin": "#1565c0",
    "jingye-fengxian": "#2e7d32", "xiaolao-aiqin": "#ad1457",
}
PLACEHOLDER_TINT = "#f3e5e5"


@dataclass
class Options:
    """What every poster of a build shares.

    street: printed in the band at the top of every poster. footer: the small print.
    site_url: QR codes lead there (none without it). markdown: Markdown → HTML with the
    site's extensions. prefer: the site's Traditional variant (script detection).
    """

    paper: Paper
    street: str
    footer: str = ""
    site_url: str = ""
    qr_cache: str = ""
    markdown: Callable[[str], str] | None = None
    prefer: str = "zh-HK"
    printed: dt.date = field(default_factory=dt.date.today)


@dataclass
class Rendered:
    """One poster in one script: candidate HTML documents, largest type first."""

    name: str  # file under the variant's posters/ folder
    htmls: list[str]
    link: str | None  # where its QR code leads


def page_link(url: str, site_url: str, prefix: str) -> str | None:
    """The absolute address of a page in a variant, or None without a site_url."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + (prefix.strip("/") + "/" if prefix else "") + url.lstrip("/")


@functools.cache
def environment(theme_dir: Path = THEME_DIR) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme_dir)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["mark"] = script.mark
    return env


def _css_string(text: str) -> str:
    """A CSS string literal: double quotes, with quotes and backslashes escaped."""
    return json.dumps(text, ensure_ascii=False)


def _content_width(paper: Paper) -> float:
    return paper.width_mm - 2 * MARGIN_MM * paper.scale


def _image(rendition_path: Path, px: tuple[int, int], box: tuple[float, float]) -> dict:
    width, height = largest_box(px[0], px[1], *box)
    return {"src": rendition_path.resolve().as_uri(), "width": width, "height": height}


def _needed_px(box_mm: float) -> int:
    return int(box_mm / MM_PER_INCH * 200) + 1


def _print_rendition(derivatives, box: tuple[float, float]):
    """The narrowest JPEG of a photo with 200 dpi over `box` (mm), else its largest."""
    fallback = derivatives.fallback()
    options = derivatives.of(fallback)
    need_w, need_h = _needed_px(box[0]), _needed_px(box[1])
    return next((r for r in options if r.width >= need_w and r.height >= need_h), options[-1])


def _marked_field(text: str, written_in: str | None, prefer: str) -> str:
    """A short field in the script its characters show, else in `written_in`."""
    return script.mark(text, script.passage_script(text, prefer) or written_in or "zh-Hans")


def _rows(items: list, columns: int) -> list[list]:
    """`items` in rows of `columns`, the last row padded with None."""
    rows = [items[i:i + columns] for i in range(0, len(items), columns)]
    if rows:
        rows[-1] += [None] * (columns - len(rows[-1]))
    return rows


def honor_roll_context(poster: Poster, options: Options) -> dict:
    """A month's cards in the categories' official order, each with a portrait or the placeholder."""
    month = poster.item
    paper = options.paper
    order = [c.slug for c in CATEGORIES]
    people = sorted(month.people, key=lambda p: (order.index(p.category.slug), p.name))
    many = len(people) > (9 if paper.landscape else 6)
    columns = (4 if many else 3) if paper.landscape else (3 if many else 2)
    box = (42, 56) if many else (48, 64)
    box = (box[0] * paper.scale, box[1] * paper.scale)
    cards = []
    for person in people:
        written = person.script or "zh-Hans"
        image = None
        if person.photo is not None:  # set only for a portrait the person agreed to show
            rendition = _print_rendition(person.photo, box)
            image = _image(rendition.path, (rendition.width, rendition.height), box)
        cards.append({
            "name": script.mark(person.name, written), "category": person.category.name,
            "community": script.mark(person.community, written), "summary": script.mark(person.summary, written),
            "image": image, "box": box, "colour": CATEGORY_COLOURS.get(person.category.slug, "#b71c1c"),
            "tint": PLACEHOLDER_TINT,
        })
    return {"month": month, "rows": _rows(cards, columns), "columns": columns, "count": len(cards),
            "title": f"{month.label} 好人榜"}


def plan_context(poster: Poster, options: Options) -> dict:
    plan = poster.item
    written = plan.script or "zh-Hans"
    body = ""
    if options.markdown is not None:
        rendered = sanitize.clean_html(options.markdown(script.protect_markdown(plan.source.body)))
        rendered = re.sub(r"<img\b[^>]*>", "", rendered)  # a plan's figures are for the web page
        body = script.mark_passages(rendered, written, options.prefer)
    when = plan.shown_date
    meta = [m for m in (_marked_field(plan.community, written, options.prefer) if plan.community else "", when) if m]
    paper = options.paper
    columns = (3 if paper.landscape else 2) if paper.name == "A3" else (2 if paper.landscape else 1)
    return {"title": script.mark(plan.title, written), "meta": meta, "body": Markup(body), "columns": columns}


def album_context(poster: Poster, options: Options, prints: dict) -> dict:
    """The cover as large as its pixels allow at 200 dpi, then the other photos in a row or two."""
    album = poster.item
    paper = options.paper
    written = script.detect_script(" ".join([album.title, album.summary, album.description]), options.prefer) or "zh-Hans"
    width = _content_width(paper)
    others = len(poster.photos) - 1
    cover_h = (paper.height_mm - 34 * paper.scale) * (0.36 if others > 0 else 0.6)
    columns = max(1, min(4 if paper.landscape else 3, others))
    cell_w = (width - (columns + 1) * 4 * paper.scale) / columns
    cell_box = (cell_w, cell_w * 0.75)

    def picture(photo, box):
        derivatives = prints.get(photo.display)
        if derivatives is None:
            return None
        rendition = _print_rendition(derivatives, box)
        found = _image(rendition.path, (rendition.width, rendition.height), box)
        found["caption"] = _marked_field(photo.caption, written, options.prefer) if photo.caption else ""
        return found

    cover = None
    if poster.photos and prints.get(poster.photos[0].display) is not None:
        largest = prints[poster.photos[0].display].of("jpeg")[-1]
        aspect = largest.width / largest.height  # the cover keeps its own shape: a portrait photo stays upright
        cover = picture(poster.photos[0], (min(width, cover_h * aspect), min(cover_h, width / aspect)))
    photos = [p for p in (picture(photo, cell_box) for photo in poster.photos[1:]) if p]
    meta = [album.date_text, _marked_field(album.location, written, options.prefer) if album.location else "",
            f"{len(album.photos)} 张照片"]
    return {"title": script.mark(album.title, written), "meta": [m for m in meta if m], "cover": cover,
            "rows": _rows(photos, columns),
            "summary": _marked_field(album.summary, written, options.prefer) if album.summary else ""}


def render(poster: Poster, variant, converter: script.Converter, options: Options, prints: dict | None = None,
           theme_dir: Path = THEME_DIR) -> Rendered:
    """The poster in `variant`'s script (a variants.Variant: code, prefix, lang).

    The HTML keeps two tokens: the print date (filled in when the PDF is made, so a
    poster whose content has not changed keeps its cache key across days) and, for a
    plan, the body size (one candidate document per size, largest first).
    """
    env = environment(theme_dir)
    paper = options.paper
    if poster.kind == "honor_roll":
        context = honor_roll_context(poster, options)
    elif poster.kind == "plan":
        context = plan_context(poster, options)
    else:
        context = album_context(poster, options, prints or {})
    link = page_link(poster.url, options.site_url, variant.prefix)
    qr = None
    if link:
        qr = {"svg": Markup(qr_svg(link, options.qr_cache)), "shown": re.sub(r"^[a-z]+://", "", link)}
    sans, serif = FONTS[variant.code]
    text = converter.text  # the CSS strings' few words
    page_label = (f'{_css_string(text("第 "))} counter(page) {_css_string(text(" 页 / 共 "))} counter(pages) '
                  f'{_css_string(text(" 页"))}') if poster.kind == "plan" else "none"
    css = env.get_template("poster.css.j2").render(
        paper=paper, pt=paper.pt, mm=lambda v: round(v * paper.scale, 2), fonts={"sans": sans, "serif": serif},
        page_label=Markup(page_label), columns=context.get("columns"),
        continued_label=Markup(_css_string(text("（续）"))) if poster.kind == "plan" else "")
    page = env.get_template(f"{poster.kind.replace('_', '-')}.html.j2").render(
        lang=variant.lang, css=Markup(css), kind=poster.kind, kind_label=KIND_LABELS[poster.kind],
        street=options.street, footer=options.footer, qr=qr, **context)
    page = converter.html(page)
    if poster.kind == "plan":
        sizes = [paper.pt(s) for s in BODY_SIZES]
        htmls = [page.replace(BODY_TOKEN, f"{size:g}") for size in sizes]
    else:
        htmls = [page]
    return Rendered(poster.name, htmls, link)


def plain_text(page: str) -> str:
    """The text a poster prints, for the last-line privacy check."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))
