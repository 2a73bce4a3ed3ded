"""The sample site's variants, as built: the seed plans keep every character in 繁體."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import markdown
import opencc
import pytest

from bulletin import content
from conftest import ROOT

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PLANS = sorted(p.stem for p in (ROOT / "site_src" / "plans").glob("plan-*.md"))


class ArticleText(HTMLParser):
    """The text inside <article>, the part of a page the plan's body is in."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def article_han(html: str) -> str:
    parser = ArticleText()
    parser.feed(html)
    return "".join(HAN.findall("".join(parser.parts)))


def body_han(slug: str) -> str:
    index = content.load(ROOT / "site_src")
    body = index.sources[f"plans/{slug}.md"].body
    return "".join(HAN.findall(markdown.markdown(body)))


@pytest.mark.parametrize("slug", PLANS)
def test_traditional_variant_shows_the_seed_characters_exactly(sample_site, slug):
    page = (sample_site / "zh-hk" / "plans" / slug / "index.html").read_text(encoding="utf-8")
    body = body_han(slug)
    assert body and body in article_han(page)


@pytest.mark.parametrize("slug", PLANS[:5])
def test_simplified_variant_is_the_seed_converted_once(sample_site, slug):
    page = (sample_site / "plans" / slug / "index.html").read_text(encoding="utf-8")
    expected = opencc.OpenCC("hk2s.json").convert(body_han(slug))
    assert expected in article_han(page)
    assert body_han(slug) not in article_han(page)  # it really was converted


def test_every_page_has_both_variants_with_lang_and_hreflang(sample_site):
    pages = [p.relative_to(sample_site) for p in sample_site.rglob("index.html")
             if not p.relative_to(sample_site).parts[0] in ("zh-hk", "screen")]
    assert len(pages) > 40
    for rel in pages:
        root_html = (sample_site / rel).read_text(encoding="utf-8")
        variant_html = (sample_site / "zh-hk" / rel).read_text(encoding="utf-8")
        assert '<html lang="zh-Hans"' in root_html, rel
        assert '<html lang="zh-Hant-HK"' in variant_html, rel
        for html in (root_html, variant_html):
            assert 'hreflang="zh-Hans"' in html and 'hreflang="zh-Hant-HK"' in html, rel
            assert not re.search("[\ue000-\ue00f]", html), rel  # no region marker survives


def test_names_keep_their_surname_in_traditional(sample_site):
    people = (sample_site / "zh-hk" / "people" / "index.html").read_text(encoding="utf-8")
    assert "于秀蘭" in people and "於秀蘭" not in people
    assert "余建國" in people and "餘建國" not in people


def test_media_exists_once(sample_site):
    assert not (sample_site / "zh-hk" / "media").exists()
    assert not (sample_site / "zh-hk" / "assets").exists()
    assert any((sample_site / "media").rglob("*.webp"))


def screen_data(site, prefix: str) -> dict:
    html = (site / prefix / "screen" / "index.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="screen-data">(.*?)</script>', html, re.S)[1]
    return json.loads(raw)


def test_screen_of_the_sample_site_has_every_kind_in_both_scripts(sample_site):
    for prefix, lang in (("", "zh-Hans"), ("zh-hk", "zh-Hant-HK")):
        data = screen_data(sample_site, prefix)
        kinds = {slide["kind"] for slide in data["slides"]}
        assert {"person", "photo", "plan", "notice"} <= kinds, (prefix, kinds)
        text = json.dumps(data, ensure_ascii=False)
        if lang == "zh-Hans":
            assert "于秀兰" in text and "计划" in text
        else:
            assert "于秀蘭" in text and "於秀蘭" not in text
        links = [slide["link"] for slide in data["slides"]]
        assert all(link.startswith("https://bulletin.example.org/" + (prefix + "/" if prefix else ""))
                   for link in links), links[:3]
