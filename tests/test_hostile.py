"""A hostile editor's site, built once: markup in every field, active files, reserved ids.

Every case here builds (they are warnings or silent clean-ups), so one site holds them
all; then every file of both variants is searched for what got through, and Chromium
opens every page, and every lightbox, of both variants: no dialog, no outside request.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from bulletin import media
from bulletin.plugin import THEME_DIR, escaped_templates
from conftest import foreign_requests
from helpers_safety import page_dangers
from test_safety_build import logged, make_project, mkdocs_build

XSS = "<img src=x onerror=alert('xss-{0}')>"
PEOPLE = Path(__file__).resolve().parents[1] / "site_src" / "people"


def _plan(field: str) -> str:
    fields = {"title": "测试计划", "community": "幸福社区", "recipient": "街道办", "date": "2026-03-05",
              "summary": "计划摘要", "source": "汇编"}
    fields[field] = XSS.format(field) + fields[field]
    lines = [f"{key}: \"{value}\"" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + f"\ntags: [\"{XSS.format('tag')}环境\", 志愿服务]\n---\n\n正文。\n"


PAGES = {
    # one plan per field, so that each field is printed wherever plans are listed
    **{f"plans/field-{field}.md": _plan(field) for field in ("title", "community", "recipient", "date", "summary")},
    # entities decode to text that looks like a tag: only the templates' escaping stops it
    "plans/entity.md": "---\ntitle: \"&lt;img src=x onerror=alert(1)&gt;实体计划\"\n"
                       "community: \"&lt;i onmouseover=alert(2)&gt;实体社区\"\ntags: [\"&lt;u onclick=alert(3)&gt;\"]\n---\n\n正文。\n",
    "plans/images.md": "---\ntitle: 带图片的计划\n---\n\n![图表](chart.png)\n\n[照片](photo.jpg) · "
                       "[海报](poster.svg)\n",
    "plans/config.md": "---\ntitle: 改写设置\n---\n\n<div id=\"__config\">{\"base\": \"https://evil.example\","
                       " \"search\": \"https://evil.example/w.js\"}</div>\n\n"
                       "<label for=\"__drawer\">菜单</label>\n\n"
                       "<a class=\"glightbox\" href=\"https://www.youtube.com/watch?v=xss\">视频</a>\n\n"
                       "<a class=\"glightbox\" data-glightbox=\"type: external\" href=\"//evil.example/\">外站</a>\n",
    "plans/glossary-term.md": "---\ntitle: 词表里的词\n---\n\n社区服务站今天开放。\n",
    "albums/hostile/index.md": "---\ntitle: \"<b onmouseover=alert('xss-album')>相册</b>\"\ndate: 2026-04-01\n"
                               "location: \"<svg onload=alert('xss-location')>广场\"\n"
                               f"captions: {{a.jpg: \"{XSS.format('caption')}合影\"}}\n"
                               "summary: \"<script>alert('xss-summary')</script>简介\"\n---\n\n相册说明。\n",
    "people/2026-11-hostile.md": "---\nname: \"<i onclick=alert('xss-name')>于秀兰</i>\"\ncategory: 助人为乐\n"
                                 "honored: 2026-11\ncommunity: \"<u onmouseover=alert('xss-pcommunity')>和平社区</u>\"\n"
                                 "summary: \"<img src=x onerror=alert('xss-psummary')>为老人送餐\"\n"
                                 "consent: {by: 本人, date: 2026-10-20}\n---\n\n事迹。\n",
    "notice-board.html": "<img src=x onerror=alert('xss-htmlfile')>\n",
    "plans/poster.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert('xss-svg')</script></svg>\n",
    "plans/form.pdf": "%PDF-1.4\n/JS (app.alert('xss-pdf'))\n",
    "glossary.yml": "terms:\n  - zh-Hans: 服务站\n    zh-Hant: \"<img src=x onerror=alert('xss-glossary')>服務站\"\n"
                    "  - zh-Hans: 干部\n    zh-Hant: 幹部\n",
}

METADATA_MARKER = "home-address-marker"


def _write_images(src: Path) -> None:
    image = Image.new("RGB", (320, 200), "#b71c1c")
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", METADATA_MARKER)
    image.save(src / "plans" / "chart.png", pnginfo=info)
    image.save(src / "plans" / "photo.jpg", comment=METADATA_MARKER.encode())
    image.save(src / "albums" / "hostile" / "a.jpg", comment=METADATA_MARKER.encode())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    project = make_project(base, {})
    src = project / "site_src"
    for rel, text in PAGES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    _write_images(src)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, result


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_template_the_plugin_ships_escapes():
    escaped = escaped_templates(THEME_DIR)
    names = [p.relative_to(THEME_DIR).as_posix() for p in THEME_DIR.rglob("*.html")]
    assert len(names) > 15
    assert all(escaped(name) for name in names)
    assert not escaped("base.html") and not escaped("partials/nav.html")  # Material's own


def test_no_page_of_either_variant_holds_editor_markup(hostile):
    project, _ = hostile
    out = project / "out"
    pages = _pages(out)
    assert any("zh-hk/" in p.as_posix() for p in pages)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert page_dangers(text) == [], page
        # no tag from a field survives as markup, escaped or not
        assert not re.search(r"<(img|svg|script|b|i|u)\b[^>]*alert", text), page


def test_fields_are_text_everywhere_they_are_printed(hostile):
    project, result = hostile
    out = project / "out"
    plan = (out / "plans" / "field-title" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*测试计划\s*</h1>", plan)
    listing = (out / "plans" / "index.html").read_text(encoding="utf-8")
    for text in ("测试计划", "幸福社区", "街道办"):
        assert text in listing or text in plan
    for shown in ("&lt;img src=x onerror=alert(1)&gt;实体计划", "&lt;i onmouseover=alert(2)&gt;实体社区",
                  "&lt;u onclick=alert(3)&gt;"):
        assert shown in listing, shown
    person = (out / "people" / "2026-11-hostile" / "index.html").read_text(encoding="utf-8")
    assert "于秀兰" in person and "和平社区" in person and "为老人送餐" in person
    assert "onclick" not in person and "&lt;i" not in person
    album = (out / "albums" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "相册" in album and "广场" in album and "合影" in album and "onload" not in album
    # the warning says what happened: the tag was removed, and names the line
    assert logged(result, "XSS002", "site_src/plans/field-title.md", 2)
    assert logged(result, "XSS001", "site_src/albums/hostile/index.md", 6)


def test_no_file_of_the_site_holds_a_trace_of_any_hostile_field(hostile):
    """Tags in fields are removed, not escaped: not even their text reaches search or the screen."""
    project, _ = hostile
    out = project / "out"
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".pf_fragment":
                data = gzip.decompress(data)
            assert b"xss-" not in data, path


def test_active_and_unknown_files_are_refused_not_published(hostile):
    project, result = hostile
    out = project / "out"
    for rel in ("notice-board.html", "plans/poster.svg", "plans/form.pdf"):
        assert logged(result, "SAFE007", f"site_src/{rel}", None), rel
        assert not (out / rel).exists()
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    for marker in (b"xss-htmlfile", b"xss-svg", b"xss-pdf"):
        assert marker not in everything


def test_page_images_are_published_only_as_clean_derivatives(hostile):
    project, _ = hostile
    out = project / "out"
    page = (out / "plans" / "images" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<img[^>]*\ssrc="([^"]*media/[^"]*)"', page)
    linked = re.findall(r'<a[^>]*\shref="([^"]*media/[^"]*\.jpg)"', page)
    assert shown and linked
    for url in shown + linked:
        path = (out / "plans" / "images" / url).resolve()
        assert path.is_file(), url
        with Image.open(path) as image:
            assert image.size == (320, 200)
    assert not (out / "plans" / "chart.png").exists() and not (out / "plans" / "photo.jpg").exists()
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert METADATA_MARKER.encode() not in everything
    originals = [project / "site_src" / r for r in ("plans/chart.png", "plans/photo.jpg", "albums/hostile/a.jpg")]
    assert media.scan_published_images(out, originals).problems == []


def test_glossary_markup_is_refused_and_never_reaches_a_page(hostile):
    project, result = hostile
    out = project / "out"
    assert logged(result, "SCRIPT009", "site_src/glossary.yml", 2)
    hant = (out / "zh-hk" / "plans" / "glossary-term" / "index.html").read_text(encoding="utf-8")
    assert "服務站" in hant and "xss-glossary" not in hant


def test_reserved_ids_and_foreign_lightbox_links_are_defused(hostile):
    project, _ = hostile
    page = (project / "out" / "plans" / "config" / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", page, re.S).group(0)
    assert "evil.example" in article  # the content is there, as text
    assert "__config" not in article and "__drawer" not in article
    assert page.count('id="__config"') == 1  # the theme's own
    for anchor in re.findall(r"<a\b[^>]*>", page):
        if "youtube" in anchor or "evil.example" in anchor:
            assert "glightbox" not in anchor, anchor


@pytest.mark.browser
def test_no_dialog_and_no_outside_request_on_any_page_or_lightbox(hostile, serve, page_log):
    project, _ = hostile
    out = project / "out"
    server = serve(out)
    page, requests = page_log(viewport={"width": 1366, "height": 768})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    opened = 0
    for path in _pages(out):
        rel = path.relative_to(out).as_posix()
        page.goto(server.url + rel, wait_until="load")
        for anchor in page.query_selector_all("a.glightbox"):
            if not anchor.is_visible():
                continue
            anchor.click()
            page.wait_for_selector(".glightbox-container", timeout=5000)
            page.wait_for_timeout(300)
            opened += 1
            page.keyboard.press("Escape")
            page.wait_for_selector(".glightbox-container", state="detached", timeout=5000)
        for anchor in page.query_selector_all("article a[href^='http'], article a[href^='//']"):
            anchor.dispatch_event("mouseover")
    assert opened >= 3
    assert dialogs == []
    assert foreign_requests(requests) == []


# --- property: whatever markup a field holds, no template prints it as markup ------------

from html.parser import HTMLParser  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import jinja2  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from bulletin import sanitize, script  # noqa: E402

FRAGMENTS = ["<xq onload=alert(1)>", "</dd><xq>", "\"><xq x=\"", "'><xq>", "&lt;xq onerror=1&gt;", "<!--", "-->",
             "<xq/onfocus=1 autofocus>", "&#60;xq&#62;", "<script>", "</script>", "<", ">", "&", "\""]
field_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text("社区于秀兰志愿服务 ", min_size=1, max_size=4)),
                      max_size=6).map("".join)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("xq", "script") or any(k.startswith("on") or k == "x" or k == "autofocus" for k, _ in attrs):
            self.bad.append(tag)


def _bad_elements(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    return parser.bad


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(THEME_DIR)), autoescape=escaped_templates(THEME_DIR))
    env.filters["mark"] = script.mark
    return env


@settings(max_examples=150, deadline=None)
@given(name=field_text, community=field_text, summary=field_text, raw=field_text)
def test_random_markup_in_profile_fields_never_becomes_an_element(name, community, summary, raw):
    meta = sanitize.text_meta({"name": name, "community": community, "summary": summary})
    category = SimpleNamespace(name="助人为乐", slug="zhuren-weile", url="people/zhuren-weile/")
    for fields in (meta, {"name": raw, "community": raw, "summary": raw}):  # cleaned, and as written
        person = SimpleNamespace(category=category, url="people/x/", photo=None, month_label="2026年11月",
                                 script="zh-HK", **fields)
        html = _env().get_template("partials/person-card.html").render(person=person, base_url="..")
        assert _bad_elements(html) == [], html


@settings(max_examples=100, deadline=None)
@given(title=field_text, location=field_text, caption=field_text)
def test_random_markup_in_album_fields_never_becomes_an_element(title, location, caption):
    from bulletin import albums

    album = SimpleNamespace(title=title, location=location, date=None, date_text=caption, summary=caption,
                            url="albums/x/", photos=[], slug="x")
    html = albums.render("album-index.html", cards=[(album, None)], root="..", cover_sizes="100vw")
    html += albums.render("album-facts.html", album=album)
    assert _bad_elements(html) == [], html
