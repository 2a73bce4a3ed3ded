"""Albums: the model from site_src/, the pages people see, and the lightbox in real Chromium."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import markdown
import pytest
from PIL import Image

import helpers_media as h
from bulletin import albums, content, media
from bulletin.report import Report

ROOT = Path(__file__).resolve().parents[1]

SPRING = """\
---
title: 学雷锋志愿服务活动
date: 2026-03-05
location: 幸福社区文化广场
cover: IMG_10.jpg
summary: 志愿者为居民义诊、理发。
order: [IMG_10.jpg, missing.jpg]
captions:
  IMG_2.jpg: 志愿者为老人理发
  img_10: 便民服务台
  gone.jpg: 没有这张
---

社区志愿者在文化广场开展学雷锋活动。
"""

AUTUMN = """\
---
title: 重阳节敬老活动
date: 2026-10-29
location: 社区老年活动中心
captions:
  IMG_1.jpg: [一, 二]
---
"""

WINTER = """\
---
title: 新春写春联
date: 2025-01-20
---
还没有照片。
"""


def make_site(root: Path) -> Path:
    """site_src/ with three albums, stray photos and a HEIC portrait."""
    site = root / "site_src"
    spring = site / "albums" / "spring"
    spring.mkdir(parents=True)
    (spring / "index.md").write_text(SPRING, encoding="utf-8")
    h.phone_jpeg(spring / "IMG_2.jpg", 6)
    h.phone_jpeg(spring / "IMG_10.jpg", 1, image=h.quadrants().rotate(90, expand=True))
    h.phone_jpeg(spring / "IMG_3.jpg", 8)
    (spring / "raw" / "2").mkdir(parents=True)
    h.phone_jpeg(spring / "raw" / "IMG_9.jpg")
    h.phone_jpeg(spring / "raw" / "2" / "IMG_8.jpg")
    (spring / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    autumn = site / "albums" / "autumn"
    autumn.mkdir()
    (autumn / "index.md").write_text(AUTUMN, encoding="utf-8")
    h.phone_jpeg(autumn / "IMG_1.jpg")
    winter = site / "albums" / "winter"
    winter.mkdir()
    (winter / "index.md").write_text(WINTER, encoding="utf-8")
    stray = site / "albums" / "stray"
    stray.mkdir()
    h.phone_jpeg(stray / "a.jpg")
    h.phone_jpeg(site / "albums" / "loose.jpg")
    (site / "people").mkdir()
    (site / "people" / "wang.heic").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic")
    (site / "index.md").write_text("# 首页\n", encoding="utf-8")
    return site


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


@pytest.fixture
def collected(site):
    index = content.load(site)
    report = Report()
    return index, albums.collect(index, report), report


# The model ------------------------------------------------------------------------------


def test_albums_newest_first_with_photos_in_editor_order(collected):
    _, found, _ = collected
    assert [a.slug for a in found] == ["autumn", "spring", "winter"]
    spring = found[1]
    # order: first, then the rest by number, not by text (IMG_2 before IMG_3, IMG_10 first by order)
    assert [p.name for p in spring.photos] == ["IMG_10.jpg", "IMG_2.jpg", "IMG_3.jpg"]
    assert spring.photos[0].caption == "便民服务台"  # "img_10" matched without case and extension
    assert spring.photos[1].caption == "志愿者为老人理发"
    assert spring.cover_name == "IMG_10.jpg"
    assert spring.date_text == "2026年3月5日" and spring.location == "幸福社区文化广场"
    assert spring.description.strip() == "社区志愿者在文化广场开展学雷锋活动。"
    assert spring.url == "albums/spring/"


def test_front_matter_mistakes_are_reported_with_lines(collected):
    _, _, report = collected
    codes = sorted(report.codes())
    assert codes == [
        ("ALBUM002", "site_src/albums/spring/index.md", 11),  # caption for gone.jpg
        ("ALBUM003", "site_src/albums/spring/index.md", 7),  # order names missing.jpg
        ("ALBUM004", "site_src/albums/winter/index.md", None),  # no photos yet
        ("ALBUM005", "site_src/albums/autumn/index.md", 6),  # caption is a list
        ("ALBUM007", "site_src/albums/stray", None),  # photos without an album
        ("ALBUM008", "site_src/albums/spring/raw", None),  # subfolder inside an album
        ("ALBUM008", "site_src/albums/spring/raw/2", None),
        ("ALBUM009", "site_src/albums", None),  # a photo in albums/ itself
    ]
    nested = next(p for p in report.problems if p.path.endswith("raw/2"))
    assert "「raw/2」" in nested.message
    gone = next(p for p in report.problems if p.code == "ALBUM002")
    assert "gone.jpg" in gone.message and "IMG_10.jpg" in gone.message  # names what is there


def test_cover_naming_a_missing_photo(site):
    index_md = site / "albums" / "spring" / "index.md"
    index_md.write_text(SPRING.replace("cover: IMG_10.jpg", "cover: IMG_99.jpg"), encoding="utf-8")
    report = Report()
    found = albums.collect(content.load(site), report)
    assert ("ALBUM001", "site_src/albums/spring/index.md", 5) in report.codes()
    assert found[1].cover_name is None


def test_originals_never_published(collected):
    index, _, _ = collected
    assert albums.originals(index) == {
        "albums/spring/IMG_2.jpg", "albums/spring/IMG_10.jpg", "albums/spring/IMG_3.jpg",
        "albums/spring/raw/IMG_9.jpg", "albums/spring/raw/2/IMG_8.jpg", "albums/spring/Thumbs.db",
        "albums/autumn/IMG_1.jpg", "albums/stray/a.jpg", "albums/loose.jpg",
    }


# With the media pipeline ------------------------------------------------------------------


@pytest.fixture
def built(tmp_path, collected):
    index, found, report = collected
    made = albums.build_media(found, tmp_path / "cache", report, out_dir=tmp_path / "site", workers=0,
                              progress=None)
    return found, made, report, tmp_path / "site"


def test_bad_photo_is_dropped_and_the_album_still_builds(tmp_path, site):
    (site / "albums" / "spring" / "IMG_10.jpg").write_bytes(b"")  # the cover, now empty
    index = content.load(site)
    report = Report()
    found = albums.collect(index, report)
    albums.build_media(found, tmp_path / "cache", report, workers=0, progress=None)
    spring = found[1]
    assert [p.name for p in spring.photos] == ["IMG_2.jpg", "IMG_3.jpg"]
    assert spring.cover.name == "IMG_2.jpg"
    assert ("MEDIA001", "site_src/albums/spring/IMG_10.jpg", None) in report.codes()
    assert ("ALBUM006", "site_src/albums/spring/index.md", None) in report.codes()
    assert "<figure" in albums.page_markdown(spring)


class Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def render_page(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=["attr_list", "md_in_html"])


def test_album_page_grid_lightbox_and_placeholders(built):
    found, made, _, site = built
    spring = found[1]
    page = render_page(albums.page_markdown(spring))
    tags = Tags(page)
    assert "2026年3月5日" in tags.text and "幸福社区文化广场" in tags.text and "3 张" in tags.text
    assert "社区志愿者在文化广场开展学雷锋活动。" in tags.text
    assert [t for t in tags.text if t in ("便民服务台", "志愿者为老人理发")] == ["便民服务台", "志愿者为老人理发"]
    links = tags.all("a")
    assert len(links) == 3
    for link in links:
        assert "glightbox" in link["class"].split()
        assert link["data-gallery"] == "album-spring"
        assert link["href"].startswith("../../media/") and link["href"].endswith(".jpg")
        assert (site / link["href"].removeprefix("../../")).is_file()
    assert links[0]["title"] == "便民服务台"
    images = tags.all("img")
    sources = tags.all("source")
    assert len(images) == 3 and len(sources) == 3
    # The first photo is what the reader waits for as the page opens; the rest load as scrolled to.
    assert [image["loading"] for image in images] == ["eager", "lazy", "lazy"]
    for image, source in zip(images, sources):
        assert "off-glb" in image["class"].split()
        assert int(image["width"]) > 0 and int(image["height"]) > 0
        assert "background-image: url('data:image/webp;base64," in image["style"]
        assert source["type"] == "image/webp"
        for candidate in source["srcset"].split(", ") + image["srcset"].split(", "):
            url, width = candidate.split(" ")
            assert (site / url.removeprefix("../../")).is_file() and width.endswith("w")
    # The space reserved is the upright photo's: IMG_10 is portrait, IMG_2 was stored sideways.
    by_alt = {img["alt"]: img for img in images}
    assert int(by_alt["便民服务台"]["height"]) > int(by_alt["便民服务台"]["width"])
    assert (int(by_alt["志愿者为老人理发"]["width"]), int(by_alt["志愿者为老人理发"]["height"])) == (320, 240)
    assert by_alt["学雷锋志愿服务活动（第 3 张）"]  # no caption: the album title and position


def test_captions_are_text_never_markup(tmp_path, site):
    index_md = site / "albums" / "spring" / "index.md"
    index_md.write_text(SPRING.replace("志愿者为老人理发", "\"<script>alert(1)</script>\""), encoding="utf-8")
    report = Report()
    found = albums.collect(content.load(site), report)
    albums.build_media(found, tmp_path / "cache", report, workers=0, progress=None)
    page = render_page(albums.page_markdown(found[1]))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_glightbox_plugin_leaves_our_links_alone(built):
    from mkdocs_glightbox.plugin import LightboxPlugin

    found, _, _, _ = built
    plugin = LightboxPlugin()
    plugin.load_config({})
    plugin.using_material_privacy = False
    page = render_page(albums.page_markdown(found[1]))
    wrapped = plugin.wrap_img_with_anchor_selectolax(page, plugin_config=plugin.config, meta={},
                                                     skip_classes=["off-glb"])
    tags = Tags(wrapped)
    assert len(tags.all("a")) == 3  # no second anchor nested around each <img>
    assert sum("glightbox" in a.get("class", "") for a in tags.all("a")) == 3


def test_albums_index_newest_first_with_covers(built):
    found, _, _, site = built
    page = render_page(albums.index_markdown(found).split("---\n", 2)[2])
    tags = Tags(page)
    hrefs = [a["href"] for a in tags.all("a")]
    assert hrefs == ["../albums/autumn/", "../albums/spring/", "../albums/winter/"]
    covers = tags.all("img")
    assert len(covers) == 2  # winter has no photo yet: a blank cover, not a broken image
    spring_cover = covers[1]
    assert spring_cover["alt"] == "学雷锋志愿服务活动"
    cover_file = site / spring_cover["src"].removeprefix("../")
    with Image.open(cover_file) as image:
        assert image.height > image.width  # IMG_10, the chosen cover, is the portrait one
    assert "3 张照片" in tags.text and "2026年3月5日" in tags.text
    front = albums.index_markdown(found).split("---\n", 2)[1]
    assert 'title: "活动相册"' in front


def test_page_html_is_one_raw_block_for_markdown(built):
    found, _, _, _ = built
    text = albums.page_markdown(found[1])
    page = render_page(text)
    assert "<p><figure" not in page and "<p><picture" not in page and "&lt;figure" not in page


def test_root_for_pages():
    assert albums.root_for("albums/spring/") == "../.."
    assert albums.root_for("albums/") == ".."
    assert albums.root_for("") == "."
    assert albums.root_for("albums/spring/index.html") == "../.."


# The sample site --------------------------------------------------------------------------


def test_sample_albums_are_what_the_script_makes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_media.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    shipped_root = ROOT / "site_src" / "albums"
    shipped = sorted(p.relative_to(shipped_root).as_posix() for p in shipped_root.rglob("*") if p.is_file())
    assert made == shipped
    for rel in made:
        fresh, kept = tmp_path / rel, shipped_root / rel
        if rel.endswith(".md"):
            assert fresh.read_text(encoding="utf-8") == kept.read_text(encoding="utf-8"), rel
            continue
        # Compared as pictures, not bytes: another libjpeg may encode the same pixels differently.
        with Image.open(fresh) as a, Image.open(kept) as b:
            assert a.size == b.size and a.getexif() == b.getexif(), rel
            assert a.getexif().get_ifd(0x8825) == b.getexif().get_ifd(0x8825), rel
            difference = sum(abs(x - y) for x, y in zip(a.convert("L").tobytes(), b.convert("L").tobytes()))
            assert difference / (a.width * a.height) < 2, rel


def test_sample_photos_are_small_phone_like_and_carry_what_must_be_stripped():
    photos = sorted((ROOT / "site_src" / "albums").rglob("*.jpg"))
    assert len({p.parent for p in photos}) == 3 and len(photos) >= 9
    assert sum(p.stat().st_size for p in photos) < 1.5 * 2**20
    orientations = set()
    for photo in photos:
        with Image.open(photo) as image:
            assert max(image.size) >= 1200
            exif = image.getexif()
            orientations.add(exif.get(0x0112))
            assert exif.get_ifd(0x8825), photo  # a GPS position, as phones write
    assert len(orientations) >= 4 and {6, 8} & orientations


def test_sample_site_albums_load_without_problems(tmp_path):
    index = content.load(ROOT / "site_src")
    report = Report()
    found = albums.collect(index, report)
    album_problems = [p for p in report.problems if p.code.startswith(("ALBUM", "MEDIA"))]
    assert album_problems == []
    assert {a.slug for a in found} == {"xueleifeng-2026", "weekend-cleanup", "square-gala"}
    made = albums.build_media(found, tmp_path / "cache", report, out_dir=tmp_path / "site", workers=2,
                              progress=None)
    assert not made.failed
    assert media.scan_published_images(tmp_path / "site", [index.root / r for r in albums.originals(index)]).problems == []
    for album in found:
        for photo in album.photos:
            with Image.open(photo.job.src) as original:
                stored = original.size
                turned = original.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            upright = stored[::-1] if turned else stored
            assert (photo.media.width > photo.media.height) == (upright[0] > upright[1]), photo.name


# In real Chromium --------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="assets/glightbox.min.css"><link rel="stylesheet" href="assets/album.css">
<script src="assets/glightbox.min.js"></script><title>{title}</title></head>
<body><article class="md-typeset">{body}</article>
<script>const lightbox = GLightbox({{"touchNavigation": true, "loop": false, "zoomable": true, "draggable": true,
"openEffect": "none", "closeEffect": "none", "slideEffect": "none"}});</script></body></html>
"""


@pytest.fixture
def album_site(tmp_path):
    """A served folder: an album page with our markup and the real GLightbox assets."""
    import mkdocs_glightbox

    site = tmp_path / "site"
    source = tmp_path / "src"
    (source / "albums" / "demo").mkdir(parents=True)
    (source / "albums" / "demo" / "index.md").write_text(textwrap.dedent("""\
        ---
        title: 周末环境卫生日
        date: 2026-04-18
        location: 滨河公园
        captions: {IMG_1.jpg: 清扫落叶, IMG_2.jpg: 垃圾分类宣传}
        ---
        居民和志愿者一起清理公园。
        """), encoding="utf-8")
    for i, orientation in enumerate((1, 6, 3, 8, 1, 1), start=1):
        h.phone_jpeg(source / "albums" / "demo" / f"IMG_{i}.jpg", orientation, size=(1200, 900),
                     image=h.quadrants(1200, 900).rotate(i * 15))
    report = Report()
    found = albums.collect(content.load(source), report)
    albums.build_media(found, tmp_path / "cache", report, out_dir=site, workers=0, progress=None)
    assets = site / "assets"
    assets.mkdir()
    glightbox = Path(mkdocs_glightbox.__file__).parent / "glightbox"
    shutil.copy(glightbox / "glightbox.min.js", assets)
    shutil.copy(glightbox / "glightbox.min.css", assets)
    shutil.copy(ROOT / "theme" / "assets" / "bulletin" / "album.css", assets)
    page = site / "albums" / "demo" / "index.html"
    page.parent.mkdir(parents=True)
    body = render_page(albums.page_markdown(found[0]))
    page.write_text(PAGE.format(title=found[0].title, body=body).replace('href="assets/', 'href="../../assets/')
                    .replace('src="assets/', 'src="../../assets/'), encoding="utf-8")
    return site


@pytest.mark.browser
def test_lightbox_opens_with_keyboard_and_swipe_and_every_image_loads(album_site, serve, page_log):
    from conftest import foreign_requests

    server = serve(album_site)
    page, requests = page_log(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page.goto(server.url + "albums/demo/", wait_until="networkidle")
    images = page.locator(".bl-album-grid img")
    assert images.count() == 6
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle())
    chosen = page.evaluate("[...document.querySelectorAll('.bl-album-grid img')].map(i => i.currentSrc)")
    assert all(src.endswith(".webp") for src in chosen)  # Chromium takes the WebP source
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".bl-album-link").first.click()
    slide = page.locator(".gslide.current img")
    slide.wait_for()
    page.wait_for_function("() => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    assert "清扫落叶" in page.locator(".gslide.current .gslide-title").inner_text()
    first = slide.get_attribute("src")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("src => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.getAttribute('src') !== src && i.naturalWidth > 0; }", arg=first)
    assert "垃圾分类宣传" in page.locator(".gslide.current .gslide-title").inner_text()
    second = page.locator(".gslide.current img").get_attribute("src")
    swipe(page, start=(320, 400), end=(60, 400))  # swipe left: next photo
    page.wait_for_function("src => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.getAttribute('src') !== src && i.naturalWidth > 0; }", arg=second)
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached")
    assert len(requests) > 8
    assert foreign_requests(requests) == []


def swipe(page, start: tuple[int, int], end: tuple[int, int], steps: int = 8) -> None:
    """A real touch swipe through the DevTools protocol (Playwright only offers taps)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
