"""Link previews and what crawlers read: descriptions, Open Graph, robots.txt, the 404 title."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bulletin import sharing
from conftest import ROOT

SITE_URL = "https://bulletin.example.org/"
GENERIC = {"幸福街道精神文明建设工作计划、活动相册与好人榜", "幸福街道精神文明建設工作計劃、活動相冊與好人榜"}


def test_description_is_the_summary_else_the_first_paragraph():
    html = "<h2>一、目标</h2><p>  </p><p>为进一步<strong>提升</strong>社区文明程度，特制定本计划。其余内容。</p><p>第二段。</p>"
    assert sharing.description("", html) == "为进一步提升社区文明程度，特制定本计划。其余内容。"
    assert sharing.description("  一句话\n事迹  ", html) == "一句话 事迹"
    assert sharing.description(None, "<ul><li>只有列表</li></ul>") == ""
    long = "甲" * 70 + "。" + "乙" * 100
    assert sharing.description("", f"<p>{long}</p>") == "甲" * 70 + "。"  # cut at a sentence end
    assert sharing.description("", "<p>" + "丙" * 200 + "</p>") == "丙" * 119 + "…"


def test_description_is_plain_text_wherever_a_template_puts_it():
    described = sharing.description('<img src=x onerror=alert(1)>"引号"<b>与</b>', "")
    assert "<" not in described and '"' not in described and ">" not in described


@pytest.mark.parametrize(("lang", "locale"), [("zh-Hans", "zh_CN"), ("zh-Hant-HK", "zh_HK"), ("zh-Hant", "zh_TW"),
                                               ("zh-TW", "zh_TW"), ("zh-HK", "zh_HK"), ("zh-Hant-MO", "zh_MO")])
def test_og_locale_follows_the_variant_language(lang, locale):
    assert sharing.og_locale(lang) == locale


def test_robots_txt_names_the_sitemap_when_the_address_is_known():
    assert sharing.robots_txt(SITE_URL).splitlines() == ["User-agent: *", "Allow: /",
                                                         "Sitemap: https://bulletin.example.org/sitemap.xml"]
    assert "Sitemap" not in sharing.robots_txt("")


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "screen" not in p.relative_to(site).parts)


def _meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return match[1] if match else None


def test_every_page_of_every_variant_has_a_link_preview(sample_site):
    pages = _pages(sample_site)
    assert len(pages) > 80
    generic = []
    for page in pages:
        rel = page.relative_to(sample_site).as_posix()
        html = page.read_text(encoding="utf-8")
        traditional = rel.startswith("zh-hk/")
        title = _meta(html, "og:title")
        assert title and "<" not in title, rel
        assert _meta(html, "og:locale") == ("zh_HK" if traditional else "zh_CN"), rel
        image = _meta(html, "og:image")
        assert image and image.startswith(SITE_URL), rel
        assert (sample_site / urlsplit(image).path.lstrip("/")).is_file(), (rel, image)
        described = _meta(html, "og:description")
        assert described and described == _meta(html, "description"), rel
        if described in GENERIC:
            generic.append(rel)
        if rel.endswith("404.html"):
            continue
        url = _meta(html, "og:url")
        canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html)[1]
        assert url == canonical and url.startswith(SITE_URL + ("zh-hk/" if traditional else "")), rel
    assert generic == ["404.html", "zh-hk/404.html"]  # every page with words of its own uses them


def test_previews_use_the_summary_cover_and_consented_portrait_in_the_readers_script(sample_site):
    plan = (sample_site / "zh-hk/plans/plan-19/index.html").read_text(encoding="utf-8")
    assert _meta(plan, "og:description") == "明確工作職責，落實各項工作任務。"  # its summary
    assert _meta(plan, "og:image") == SITE_URL + "assets/bulletin/share.png"
    simplified = (sample_site / "plans/plan-19/index.html").read_text(encoding="utf-8")
    assert _meta(simplified, "og:description") == "明确工作职责，落实各项工作任务。"
    album = (sample_site / "albums/square-gala/index.html").read_text(encoding="utf-8")
    assert re.fullmatch(re.escape(SITE_URL) + r"media/[0-9a-f]+/[^/]+\.jpg", _meta(album, "og:image"))
    person = (sample_site / "zh-hk/people/2026-11-yu-xiulan/index.html").read_text(encoding="utf-8")
    assert _meta(person, "og:title") == "于秀蘭" and "銀髮互助隊" in _meta(person, "og:description")
    assert "portrait-2026-11-yu-xiulan" in _meta(person, "og:image")
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert _meta(home, "og:type") == "website" and _meta(plan, "og:type") == "article"


def test_a_portrait_without_consent_to_show_it_is_never_the_preview_image(sample_site):
    shown = hidden = 0
    for page in sorted((sample_site / "people").glob("20*/index.html")):  # the profiles
        html = page.read_text(encoding="utf-8")
        image = _meta(html, "og:image")
        own = f"portrait-{page.parent.name}-"
        if own in html.replace(image, ""):  # the page shows the portrait: so may the preview
            shown += 1
            assert own in image, page
        else:
            hidden += 1
            assert image == SITE_URL + "assets/bulletin/share.png", page
    assert shown >= 3 and hidden >= 1


def test_robots_txt_and_404_title_are_published(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://bulletin.example.org/sitemap.xml" in robots
    assert "<title>找不到这个页面 - 幸福街道文明宣传栏</title>" in (sample_site / "404.html").read_text(encoding="utf-8")
    assert "<title>找不到這個頁面 - 幸福街道文明宣傳欄</title>" in \
        (sample_site / "zh-hk/404.html").read_text(encoding="utf-8")
    assert (ROOT / "theme/assets/bulletin/share.png").stat().st_size < 20_000
