"""Activity albums: a folder of photos plus index.md becomes an album page.

    albums = collect(index, report)            # from the content index, newest first
    made = build_media(albums, cache_dir, report)   # derivatives; bad photos dropped
    page_markdown(album)                        # the album page (facts, description, grid)
    index_markdown(albums)                      # the albums index (covers, newest first)
    originals(index)                            # source files MkDocs must not copy

An album is `site_src/albums/<slug>/index.md` (front matter: content.ALBUM_FIELDS; the
body is the album's description) and the photos beside it. Photos are shown in the order
of `order:`, then by file name (IMG_2 before IMG_10). `captions:` and `cover:` name photos
by file name; case and the extension may be left out.

Titles and captions are written into the page as text and attributes (alt, title), so the
script conversion of the rendered HTML covers them like everything else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from . import media
from .content import ContentIndex, display_path
from .dates import day_text, parse_date
from .media import Derivatives, Job, MediaBuild, Settings
from .report import Message, Report, Severity, register
from .theme_dir import THEME_DIR

W = Severity.WARNING

MESSAGES: dict[str, Message] = {
    "ALBUM001": Message(W, "封面「{name}」不在这个相册文件夹里，已改用第一张照片。{hint}"),
    "ALBUM002": Message(W, "照片说明写给了「{name}」，但相册文件夹里没有这张照片，这条说明没有用上。{hint}"),
    "ALBUM003": Message(W, "照片顺序里的「{name}」不在相册文件夹里，已忽略。{hint}"),
    "ALBUM004": Message(W, "相册里还没有可以发布的照片，页面只显示文字介绍。请把照片（JPEG、HEIC 等）放进「{folder}」文件夹。"),
    "ALBUM005": Message(W, "「{name}」的照片说明应是一段文字，实际是{found}，已忽略。例如：captions: {{{name}: 志愿者为老人理发}}"),
    "ALBUM006": Message(W, "封面照片「{name}」无法使用（原因见这张照片的问题），已改用「{fallback}」。"),
    "ALBUM007": Message(W, "这个文件夹里的 {count} 个文件不属于任何相册（缺少 index.md），不会发布。"
                           "请在文件夹里新建 index.md（至少写上 title 和 date），或把照片移到已有的相册文件夹。"),
    "ALBUM008": Message(W, "相册里的子文件夹「{folder}」中的 {count} 个文件不会发布：相册的照片要直接放在相册文件夹里。"),
    "ALBUM009": Message(W, "有 {count} 个文件直接放在了 albums/ 文件夹里，不属于任何相册，不会发布。"
                           "请为每次活动建一个子文件夹（如 albums/2026-03-xueleifeng/），把照片和 index.md 放进去。"),
}
register(MESSAGES)

# Album photos: a grid thumbnail, a phone-size and a screen-size image; portrait photos are
# bounded by height like landscape ones by width, so neither is bigger than a screen needs.
ALBUM_SETTINGS = Settings(widths=(400, 800, 1600), long_side=True)
THUMB_WIDTH = 400  # the <img src> of a grid cell: what a browser without srcset shows
GRID_SIZES = "(max-width: 30em) 50vw, (max-width: 60em) 33vw, 16rem"
COVER_SIZES = "(max-width: 30em) 100vw, (max-width: 60em) 50vw, 20rem"


@dataclass
class Photo:
    """One photo of an album, with what the build made of it (None until built, or if it failed)."""

    name: str  # file name in the album folder: "IMG_0012.jpg"
    rel: str  # "albums/spring/IMG_0012.jpg"
    display: str  # "site_src/albums/spring/IMG_0012.jpg"
    caption: str
    job: Job
    media: Derivatives | None = None


@dataclass
class Album:
    """An album as pages show it."""

    slug: str
    rel: str  # "albums/spring/index.md"
    display: str
    title: str
    date: dt.date | None
    date_text: str  # "2026年3月5日", or the date as written when it is not a calendar date
    location: str
    summary: str
    tags: list[str]
    description: str  # the body of index.md (Markdown)
    photos: list[Photo] = field(default_factory=list)
    cover_name: str | None = None  # the photo the cover: key names, once resolved

    @property
    def url(self) -> str:
        return f"albums/{self.slug}/"

    @property
    def cover(self) -> Photo | None:
        """The chosen cover if it was built, else the first photo that was."""
        built = [p for p in self.photos if p.media is not None]
        chosen = next((p for p in built if p.name == self.cover_name), None)
        return chosen or (built[0] if built else None)

    @property
    def sort_key(self) -> tuple:
        return (self.date or dt.date.min, self.title)


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _date(value: object) -> tuple[dt.date | None, str]:
    """(the day, as printed): a value that is not a whole day is printed as written."""
    day = parse_date(value if isinstance(value, dt.date) else str(value or "").strip(), day=True)
    return day, day_text(day) if day else str(value or "").strip()


def _resolve(name: object, photos: list[str]) -> str | None:
    """The photo a front-matter entry means: exact name, then any case, then without extension."""
    wanted = str(name).strip()
    if wanted in photos:
        return wanted
    lower = {p.lower(): p for p in photos}
    if wanted.lower() in lower:
        return lower[wanted.lower()]
    stems = {}
    for photo in photos:
        stems.setdefault(PurePosixPath(photo).stem.lower(), []).append(photo)
    match = stems.get(wanted.lower(), [])
    return match[0] if len(match) == 1 else None


def _hint(photos: list[str]) -> str:
    if not photos:
        return ""
    shown = "、".join(photos[:6]) + ("……" if len(photos) > 6 else "")
    return f"文件夹里的照片有：{shown}。"


# Files that file managers leave beside photos: never published, never worth a message.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}


def _is_original(rel: str) -> bool:
    return not rel.endswith(".md")


def originals(index: ContentIndex) -> set[str]:
    """Source paths (relative to site_src) that must never be copied into the site.

    Every non-Markdown file under albums/ (originals, and anything else dropped there).
    MkDocs copies non-Markdown files byte for byte, GPS and all, so the plugin removes
    these from its files in on_files (images elsewhere: see `published`).
    """
    return {rel for rel in index.files if rel.startswith("albums/") and _is_original(rel)}


def collect(index: ContentIndex, report: Report, settings: Settings = ALBUM_SETTINGS) -> list[Album]:
    """Albums from the content index, newest first, with their photos in display order.

    Problems with cover/captions/order, and photos that belong to no album, are reported
    (ALBUM001–008); nothing here decodes a photo.
    """
    root = index.root
    sources = {s.rel: s for s in index.of_kind("album")}
    by_folder: dict[str, list[str]] = {}
    for rel in index.files:
        folder, name = rel.rsplit("/", 1) if "/" in rel else ("", rel)
        if rel.startswith("albums/") and _is_original(rel) and name.lower() not in SYSTEM_FILES:
            by_folder.setdefault(folder, []).append(name)

    albums = []
    for rel, source in sorted(sources.items()):
        folder = rel.rsplit("/", 1)[0]
        names = sorted(by_folder.get(folder, []), key=_natural)
        albums.append(album_of(source, root, folder, names, report, settings))

    for folder, names in sorted(by_folder.items()):
        if f"{folder}/index.md" in sources:
            continue
        album = next((a for a in _ancestors(folder) if f"{a}/index.md" in sources), None)
        if folder == "albums":
            report.add("ALBUM009", display_path(root, folder), count=len(names))
        elif album is not None:
            report.add("ALBUM008", display_path(root, folder), folder=folder[len(album) + 1:], count=len(names))
        elif f"{folder}/index.md" not in index.refused:
            report.add("ALBUM007", display_path(root, folder), count=len(names))
    albums.sort(key=lambda a: a.sort_key, reverse=True)
    return albums


def _ancestors(folder: str) -> list[str]:
    """"albums/a/b/c" -> ["albums/a/b", "albums/a"]: the folders above, below albums/."""
    parts = folder.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts) - 1, 1, -1)]


def _entry_line(source, key: str, entry: object) -> int | None:
    """The line of one entry under `key` (a caption, an order item); the key's line if not found.

    content.py records lines of top-level keys only; an editor fixing one caption among
    twenty wants the caption's own line.
    """
    start = source.line_of(key)
    if start is None:
        return None
    lines = source.text.split("\n")
    needle = str(entry)
    for number in range(start, min(source.body_line - 1, len(lines)) + 1):
        text = lines[number - 1]
        if number > start and text[:1] not in (" ", "\t", "-"):
            break  # the next top-level key
        if needle in text:
            return number
    return start


def album_of(source, root: Path, folder: str, names: list[str], report: Report,
             settings: Settings = ALBUM_SETTINGS) -> Album:
    """One album from its index.md `source` and its photos `names` (problems go to `report`)."""
    meta = source.meta

    def line(key: str, entry: object = None) -> int | None:
        return source.line_of(key) if entry is None else _entry_line(source, key, entry)
    captions: dict[str, str] = {}
    for key, value in (meta.get("captions") or {}).items():
        name = _resolve(key, names)
        if name is None:
            report.add("ALBUM002", source.display, line("captions", key), name=key, hint=_hint(names))
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            captions[name] = str(value).strip()
        else:
            found = "一个列表" if isinstance(value, list) else "「键: 值」的组合" if isinstance(value, dict) else "空的"
            report.add("ALBUM005", source.display, line("captions", key), name=key, found=found)
    ordered: list[str] = []
    for entry in meta.get("order") or []:
        name = _resolve(entry, names)
        if name is None:
            report.add("ALBUM003", source.display, line("order", entry), name=entry, hint=_hint(names))
        elif name not in ordered:
            ordered.append(name)
    ordered += [n for n in names if n not in ordered]
    cover = None
    if meta.get("cover"):
        cover = _resolve(meta["cover"], names)
        if cover is None:
            report.add("ALBUM001", source.display, line("cover"), name=meta["cover"], hint=_hint(names))
    if not names:
        report.add("ALBUM004", source.display, None, folder=f"{root.name}/{folder}/")
    date, date_text = _date(meta.get("date"))
    photos = []
    for name in ordered:
        rel = f"{folder}/{name}"
        display = display_path(root, rel)
        job = Job(src=root / rel, display=display, settings=settings)
        photos.append(Photo(name=name, rel=rel, display=display, caption=captions.get(name, ""), job=job))
    return Album(
        slug=source.slug, rel=source.rel, display=source.display, title=meta.get("title", source.slug),
        date=date, date_text=date_text, location=meta.get("location", ""), summary=meta.get("summary", ""),
        tags=list(meta.get("tags") or []), description=source.body, photos=photos, cover_name=cover,
    )


def jobs(albums: list[Album]) -> list[Job]:
    """Every photo's media job, for `media.build`."""
    return [photo.job for album in albums for photo in album.photos]


def attach(albums: list[Album], made: MediaBuild, report: Report) -> None:
    """Give each photo its derivatives; drop photos that failed (already reported)."""
    for album in albums:
        for photo in album.photos:
            photo.media = made.results.get(photo.job)
        kept = [p for p in album.photos if p.media is not None]
        if album.cover_name and album.cover_name not in {p.name for p in kept} and kept:
            report.add("ALBUM006", album.display, None, name=album.cover_name, fallback=kept[0].name)
        if album.photos and not kept:
            report.add("ALBUM004", album.display, None, folder=f"{Path(album.photos[0].display).parent}/")
        album.photos = kept


def build_media(albums: list[Album], cache_dir: Path, report: Report, **options) -> MediaBuild:
    """Make the derivatives of every album photo (see media.build for `options`) and attach them."""
    made = media.build(jobs(albums), cache_dir, report, **options)
    attach(albums, made, report)
    return made


# Rendering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs, with URLs relative to the page."""

    sources: list[tuple[str, str]]  # (MIME type, srcset) offered before the fallback
    src: str
    srcset: str
    width: int
    height: int
    full: str  # the largest fallback image: the lightbox and no-JavaScript link target
    full_srcset: str
    placeholder: str
    colour: str


def picture(derivatives: Derivatives, root: str, at_least: int = THUMB_WIDTH) -> Picture:
    """Page-relative URLs for one photo; `root` leads from the page to the site root ("../..")."""
    prefix = root.rstrip("/") + "/" if root else ""
    fallback = derivatives.fallback()
    shown = derivatives.pick(fallback, at_least)
    largest = derivatives.of(fallback)[-1]
    return Picture(
        sources=[(derivatives.of(f)[0].mime, derivatives.srcset(f, root)) for f in derivatives.formats() if f != fallback],
        src=prefix + shown.url, srcset=derivatives.srcset(fallback, root), width=shown.width, height=shown.height,
        full=prefix + largest.url, full_srcset=derivatives.srcset(fallback, root),
        placeholder=derivatives.placeholder, colour=derivatives.colour,
    )


def root_for(url: str) -> str:
    """The relative path from a page at `url` to the site root: "albums/spring/" → "../..".

    Works for both MkDocs URL styles ("albums/spring/index.html" is in the same folder).
    """
    folders = url.split("/")[:-1]
    return "/".join(".." for part in folders if part) or "."


# One theme folder, or the site's template folders in MkDocs' order (custom_dir first).
ThemeDirs = Path | tuple[str | Path, ...]


def _environment(theme_dir: ThemeDirs) -> jinja2.Environment:
    dirs = [str(theme_dir)] if isinstance(theme_dir, Path) else [str(d) for d in theme_dir]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


_ENVIRONMENTS: dict[ThemeDirs, jinja2.Environment] = {}


def render(template: str, theme_dir: ThemeDirs = THEME_DIR, **context) -> str:
    """Render partials/<template> with `context`; blank lines are dropped so the HTML
    stays one raw block when it is placed in Markdown.

    theme_dir: the plugin's theme/, or the site's template folders (config.theme.dirs), so
    that a site's custom_dir overrides these partials as it does the page templates.
    """
    env = _ENVIRONMENTS.get(theme_dir)
    if env is None:
        env = _ENVIRONMENTS[theme_dir] = _environment(theme_dir)
    html = env.get_template(f"partials/{template}").render(**context)
    return "\n".join(line for line in html.splitlines() if line.strip())


def facts_html(album: Album, theme_dir: ThemeDirs = THEME_DIR) -> str:
    """The album's date, place and photo count, as HTML."""
    return render("album-facts.html", theme_dir, album=album)


def gallery_html(album: Album, root: str | None = None, theme_dir: ThemeDirs = THEME_DIR) -> str:
    """The album's photo grid with lightbox links, as HTML.

    root: from the album page to the site root; by default "../.." (albums/<slug>/).
    """
    root = root_for(album.url) if root is None else root
    photos = [(p, picture(p.media, root)) for p in album.photos if p.media is not None]
    return render("album.html", theme_dir, album=album, photos=photos, grid_sizes=GRID_SIZES)


def page_markdown(album: Album, root: str | None = None, theme_dir: ThemeDirs = THEME_DIR) -> str:
    """The album page's Markdown without front matter: facts, description, photo grid.

    For on_page_markdown, whose input is index.md's body. The HTML parts are raw blocks,
    which Python-Markdown passes through untouched.
    """
    parts = [facts_html(album, theme_dir), album.description.strip(), gallery_html(album, root, theme_dir)]
    return "\n\n".join(part for part in parts if part) + "\n"


def index_html(albums: list[Album], root: str = "..", theme_dir: ThemeDirs = THEME_DIR) -> str:
    """The albums index cards, newest first, as HTML. root: from the index page to the site root."""
    ordered = sorted(albums, key=lambda a: a.sort_key, reverse=True)
    cards = [(album, picture(album.cover.media, root, 800) if album.cover else None) for album in ordered]
    return render("album-index.html", theme_dir, cards=cards, root=root.rstrip("/") or ".", cover_sizes=COVER_SIZES)


def index_markdown(albums: list[Album], root: str = "..", title: str = "活动相册", theme_dir: ThemeDirs = THEME_DIR) -> str:
    """A generated albums/index.md (front matter + cards), for when the editors wrote none."""
    head = _front_matter(title, "社区精神文明建设活动的照片")
    return f"{head}\n{index_html(albums, root, theme_dir)}\n"


def _front_matter(title: str, description: str) -> str:
    import json

    # JSON strings are valid YAML scalars: quotes, colons and # in a title stay text.
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n" \
           f"description: {json.dumps(description, ensure_ascii=False)}\nhide: [toc]\n---\n"  # cards: the full width
