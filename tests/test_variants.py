"""The variant writer on a small built site: where files land and where every link goes."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import pytest

from bulletin.script import END, HANS, HK, MARK, Converter, mark
from bulletin.variants import (AlreadyConverted, Variant, VariantWriter, as_variants, find_pages, page_url,
                               write_variants)

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://bulletin.example.org/"
VARIANTS = [{"code": "zh-Hans", "prefix": "", "label": "简"},
            {"code": "zh-HK", "prefix": "zh-hk", "label": "繁"}]


def switch(page_url_: str | None, base_url: str) -> str:
    """The real partial, rendered as MkDocs would for the default variant."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme"))
    template = env.get_template("partials/script-switch.html")
    page = {"url": page_url_} if page_url_ is not None else None
    variants = [v.to_extra() for v in as_variants(VARIANTS, HANS)]
    return template.render(config={"extra": {"bulletin_variants": variants}}, page=page,
                           base_url=base_url)


def page(title: str, base: str, body: str, url: str | None, head: str = "") -> str:
    return f"""<!doctype html>
<html lang="zh" class="no-js"><head><meta charset="utf-8">
<title>{title} - 幸福街道</title>
<link rel="stylesheet" href="{base}/assets/x.css"><link rel="icon" href="{base}/assets/i.svg">
{head}
</head><body>
<header><a href="{base}/." class="md-logo" title="幸福街道">首页</a>{switch(url, base)}</header>
<nav><a href="{base}/plans/a/">工作计划</a><a href="{base}/plans/b/">{mark("計劃乙", HK)}</a></nav>
<article>{body}</article>
<script id="__config" type="application/json">{{"base": "{base}", "search": "{base}/assets/w.js", "translations": {{"clipboard.copy": "\\u590d\\u5236"}}}}</script>
<script src="{base}/assets/bundle.js"></script>
</body></html>"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    files = {
        "index.html": page("首页", ".", "<p>欢迎</p>", ""),
        "plans/a/index.html": page(
            "工作计划", "../..",
            mark("<h1 id='jh'>計劃</h1><p>為了全面做好衞生工作</p>", HK)
            + '<p>头发 <a href="../b/#x">乙</a> <a href="../../">首页</a> <a href="#jh">本页</a>'
              ' <a href="https://example.com/发">外部</a> <a href="/plans/b/">绝对</a>'
              ' <a href="../../albums/spring/">相册</a> <a href="../../files/plan.pdf?v=1#p2">下载</a>'
              ' <a href="mailto:a@example.org">信</a></p>'
              '<img src="../../albums/spring/photo.jpg" alt="照片" '
              'srcset="../../albums/spring/photo.jpg 1x, ../../albums/spring/photo@2x.jpg 2x">'
              '<div style="background-image:url(&quot;../../assets/bg.png&quot;)">背景</div>',
            "plans/a/",
            head=f'<link rel="canonical" href="{SITE_URL}plans/a/">'
                 f'<meta property="og:image" content="{SITE_URL}assets/i.svg">'),
        "plans/b/index.html": page("计划乙", "../..", "<p>乙</p>", "plans/b/"),
        "albums/spring/index.html": page("相册", "../..", '<img src="photo.jpg" alt="发">', "albums/spring/"),
        "404.html": page("找不到页面", "", "<p>页面不存在</p>", None),
    }
    shared = ["assets/x.css", "assets/i.svg", "assets/w.js", "assets/bundle.js", "assets/bg.png",
              "albums/spring/photo.jpg", "albums/spring/photo@2x.jpg", "files/plan.pdf"]
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel in shared:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{SITE_URL}{u}</loc><lastmod>2026-11-29</lastmod></url>"
                  for u in ("", "plans/a/", "plans/b/", "albums/spring/"))
        + "</urlset>", encoding="utf-8")
    return root


def build(site: Path) -> None:
    pages = find_pages(site, VARIANTS, HANS)
    assert pages == ["404.html", "albums/spring/index.html", "index.html",
                     "plans/a/index.html", "plans/b/index.html"]
    write_variants(site, pages, VARIANTS, HANS, lambda v: Converter(v.code), SITE_URL)


def urls(html: str) -> list[tuple[str, str]]:
    """Every URL in the page except the switch's, which lead to other variants on purpose."""
    html = re.sub(r"<[^>]*data-variant[^>]*>", "", html)
    found = re.findall(r'\s(href|src|srcset)="([^"]*)"', html)
    out = []
    for attr, value in found:
        if attr == "srcset":
            out += [("src", part.split()[0]) for part in value.split(",")]
        else:
            out.append((attr, value))
    found_css = re.findall(r"url\(&quot;(.*?)&quot;\)", html)
    return out + [("css", u) for u in found_css]


def resolve(rel_file: str, url: str) -> str:
    path = url.split("#")[0].split("?")[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel_file), path))


def test_variant_pages_are_written_and_converted(site):
    build(site)
    hk = (site / "zh-hk/plans/a/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-HK" class="no-js">' in hk
    assert "<p>為了全面做好衞生工作</p>" in hk          # the seed's own forms, untouched
    assert "頭髮" in hk and "工作計劃" in hk and "首頁" in hk
    assert not re.search("[\ue000-\ue00f]", hk)
    root = (site / "plans/a/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans" class="no-js">' in root
    assert "<p>为了全面做好卫生工作</p>" in root and "头发" in root and "计划乙" in root
    assert not re.search("[\ue000-\ue00f]", root)


def test_every_link_in_a_variant_lands_on_a_shared_file_or_the_same_variant(site):
    build(site)
    for rel in ("plans/a/index.html", "albums/spring/index.html", "index.html"):
        html = (site / "zh-hk" / rel).read_text(encoding="utf-8")
        for attr, url in urls(html):
            if url.startswith(("#", "mailto:", "https://example.com")) or url.startswith(SITE_URL):
                continue
            if url.startswith("/"):
                continue
            target = resolve("zh-hk/" + rel, url)
            assert not target.startswith(".."), (rel, url)
            if (site / target).is_file():
                assert not target.startswith("zh-hk/") or target.endswith(".html"), (rel, url)
                continue
            # A page: it must be this variant's copy, and that copy must exist.
            assert target.startswith("zh-hk"), (rel, url)
            assert (site / target / "index.html").is_file(), (rel, url)


def test_exact_urls_in_a_variant_copy(site):
    build(site)
    hk = (site / "zh-hk/plans/a/index.html").read_text(encoding="utf-8")
    for expected in (
        'href="../../../assets/x.css"',            # shared asset: one extra ../
        'href="../b/#x"', 'href="../../"',          # pages: as written
        'href="#jh"', 'href="https://example.com/发"', 'href="mailto:a@example.org"',
        'href="/zh-hk/plans/b/"',                   # absolute page link: into the variant
        'href="../../albums/spring/"',
        'href="../../../files/plan.pdf?v=1#p2"',    # download: shared, query kept
        'src="../../../albums/spring/photo.jpg"',
        'srcset="../../../albums/spring/photo.jpg 1x, ../../../albums/spring/photo@2x.jpg 2x"',
        'url(&quot;../../../assets/bg.png&quot;)',
        f'<link rel="canonical" href="{SITE_URL}zh-hk/plans/a/">',
        f'content="{SITE_URL}assets/i.svg"',       # og:image: shared
        '"base": "../..", "search": "../../../assets/w.js"',
        'src="../../../assets/bundle.js"',
    ):
        assert expected in hk, expected
    album = (site / "zh-hk/albums/spring/index.html").read_text(encoding="utf-8")
    assert 'src="../../../albums/spring/photo.jpg" alt="發"' in album
    # The default variant's URLs are as MkDocs wrote them.
    root = (site / "plans/a/index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/x.css"' in root and 'href="/plans/b/"' in root


def test_switch_links_and_alternates(site):
    build(site)
    hk = (site / "zh-hk/plans/a/index.html").read_text(encoding="utf-8")
    hans_link = re.search(r'<a [^>]*data-variant="zh-Hans"[^>]*>简</a>', hk).group()
    hk_link = re.search(r'<a [^>]*data-variant="zh-HK"[^>]*>繁</a>', hk).group()
    assert 'href="../../../plans/a/"' in hans_link and "aria-current" not in hans_link
    assert 'href="../../../zh-hk/plans/a/"' in hk_link and 'aria-current="true"' in hk_link
    assert 'translate="no"' in hans_link and 'target="_self"' in hans_link
    root = (site / "plans/a/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="../../zh-hk/plans/a/"[^>]*data-variant="zh-HK"', root)
    assert re.search(r'<a [^>]*href="../../plans/a/"[^>]*data-variant="zh-Hans"[^>]*aria-current="true"', root)
    for html, prefix in ((root, "../../"), (hk, "../../../")):
        assert (f'<link rel="alternate" hreflang="zh-Hans" href="{SITE_URL}plans/a/" '
                f'data-variant="zh-Hans" data-href="{prefix}plans/a/">') in html
        assert (f'<link rel="alternate" hreflang="zh-Hant-HK" href="{SITE_URL}zh-hk/plans/a/" '
                f'data-variant="zh-HK" data-href="{prefix}zh-hk/plans/a/">') in html
        assert f'<link rel="alternate" hreflang="x-default" href="{SITE_URL}plans/a/">' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-bulletin-root=""' in home and 'href="./zh-hk/"' in home
    assert "data-bulletin-root" not in (site / "zh-hk/index.html").read_text(encoding="utf-8")
    assert "data-bulletin-root" not in root


def test_404_page_uses_absolute_urls(site):
    build(site)
    hk = (site / "zh-hk/404.html").read_text(encoding="utf-8")
    assert 'href="/zh-hk/"' in hk and 'href="/zh-hk/plans/a/"' in hk
    assert 'href="/assets/x.css"' in hk and '"search": "/assets/w.js"' in hk
    assert "找不到頁面" in hk
    assert re.search(r'<a [^>]*href="/"[^>]*data-variant="zh-Hans"', hk)
    assert 'hreflang="zh-Hans" href' not in hk


def test_sitemaps_list_every_variant(site):
    build(site)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert f"{SITE_URL}plans/a/" in locs and f"{SITE_URL}zh-hk/plans/a/" in locs and len(locs) == 8
    alternates = root.findall("s:url/x:link", ns)
    assert {a.get("hreflang") for a in alternates} == {"zh-Hans", "zh-Hant-HK"}
    own = ET.parse(site / "zh-hk/sitemap.xml").getroot()
    assert all(e.text.startswith(f"{SITE_URL}zh-hk/") for e in own.findall("s:url/s:loc", ns))
    assert (site / "zh-hk/sitemap.xml.gz").is_file()


def test_converting_a_page_twice_is_refused(site):
    """A second pass would convert converted text (為 → 为 → 爲) and prefix URLs twice."""
    build(site)
    root = (site / "plans/a/index.html").read_text(encoding="utf-8")
    with pytest.raises(AlreadyConverted):
        write_variants(site, ["plans/a/index.html"], VARIANTS, HANS, lambda v: Converter(v.code), SITE_URL)
    assert (site / "plans/a/index.html").read_text(encoding="utf-8") == root


def test_variant_configuration_is_checked():
    with pytest.raises(ValueError, match="prefix"):
        as_variants([{"code": "zh-Hans"}, {"code": "zh-HK"}], HANS)
    with pytest.raises(ValueError, match="default"):
        as_variants([{"code": "zh-HK", "prefix": "zh-hk"}], HANS)
    with pytest.raises(ValueError, match="unknown script"):
        Variant("zh-CN")
    variants = as_variants([{"code": "zh-HK", "prefix": "/zh-hk/"}, {"code": "zh-Hans", "prefix": "x"}], HANS)
    assert [(v.code, v.prefix, v.lang, v.label) for v in variants] == [
        ("zh-Hans", "", "zh-Hans", "简"), ("zh-HK", "zh-hk", "zh-Hant-HK", "繁")]


def test_page_url():
    assert page_url("index.html") == "" and page_url("plans/a/index.html") == "plans/a/"
    assert page_url("404.html") == "404.html"


def test_switch_partial_renders_for_the_root_variant():
    html = switch("plans/a/", "../..")
    assert 'href="../../plans/a/"' in html and 'href="../../zh-hk/plans/a/"' in html
    assert html.count('aria-current="true"') == 1 and 'translate="no"' in html
    assert 'href="./zh-hk/"' in switch("", ".")
    assert 'href="/zh-hk/"' in switch(None, "/")
    assert switch("x/", "..").count("data-variant") == 2
    one = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme")).get_template(
        "partials/script-switch.html").render(config={"extra": {}}, page=None, base_url=".")
    assert "data-variant" not in one


def test_markers_unbalanced_in_a_page_do_not_leak(site):
    (site / "plans/b/index.html").write_text(f"<html><body>{MARK[HK]}為<p>{END}{END}为</p></body></html>",
                                             encoding="utf-8")
    write_variants(site, ["plans/b/index.html"], VARIANTS, HANS, lambda v: Converter(v.code), SITE_URL)
    assert (site / "plans/b/index.html").read_text(encoding="utf-8").endswith("<body>为<p>为</p></body></html>")
    assert (site / "zh-hk/plans/b/index.html").read_text(encoding="utf-8").endswith("<body>為<p>為</p></body></html>")


def test_chrome_in_traditional(tmp_path):
    """A site whose theme language is Traditional: unmarked text is Traditional."""
    (tmp_path / "index.html").write_text('<html lang="zh-Hant"><body><p>搜尋說明</p></body></html>',
                                         encoding="utf-8")
    variants = [{"code": "zh-Hant", "prefix": ""}, {"code": "zh-Hans", "prefix": "hans"}]
    write_variants(tmp_path, ["index.html"], variants, "zh-Hant", lambda v: Converter(v.code),
                   chrome="zh-Hant")
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == \
        '<html lang="zh-Hant" data-bulletin-root=""><body><p>搜尋說明</p></body></html>'
    assert (tmp_path / "hans/index.html").read_text(encoding="utf-8") == \
        '<html lang="zh-Hans"><body><p>搜寻说明</p></body></html>'


def test_tags_remembered_between_pages_come_out_as_each_page_needs(site):
    """The writer remembers rewritten header and navigation tags from page to page; a link
    relative to a page's own folder must still be rewritten for that folder."""
    spring = (site / "albums/spring/index.html").read_text(encoding="utf-8")
    spring = spring.replace('<img src="photo.jpg" alt="发">',
                            '<img src="photo.jpg" alt="发"><a href="photo.jpg">原图</a>')
    (site / "albums/spring/index.html").write_text(spring, encoding="utf-8")
    (site / "albums/autumn").mkdir()
    (site / "albums/autumn/index.html").write_text(spring.replace("albums/spring/", "albums/autumn/"),
                                                   encoding="utf-8")
    (site / "albums/autumn/photo.jpg").write_bytes(b"x")
    pages = find_pages(site, VARIANTS, HANS)
    originals = {rel: (site / rel).read_text(encoding="utf-8") for rel in pages}

    def writer() -> VariantWriter:
        return VariantWriter(site, VARIANTS, HANS, lambda v: Converter(v.code), SITE_URL)

    def page(w: VariantWriter, rel: str) -> tuple[str, str]:
        default = w.page(rel, originals[rel])
        w.flush()
        return default, (site / "zh-hk" / rel).read_text(encoding="utf-8")

    shared = writer()
    remembered = {rel: page(shared, rel) for rel in pages}
    for rel in pages:
        assert remembered[rel] == page(writer(), rel), rel
    autumn = remembered["albums/autumn/index.html"][1]
    assert 'src="../../../albums/autumn/photo.jpg"' in autumn
    assert 'href="../../../albums/autumn/photo.jpg"' in autumn
    assert 'href="../../../assets/x.css"' in autumn
