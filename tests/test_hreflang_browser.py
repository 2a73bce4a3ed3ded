"""hreflang: every page of both scripts names its counterparts with rel="alternate" exactly,
and Material's JavaScript, which takes such links for language roots, leaves them alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import foreign_requests

SITE_URL = "https://bulletin.example.org/"
LINK_RE = re.compile(r"<link\b[^>]*\bhreflang=[^>]*>")
ATTR_RE = re.compile(r'(?<![\w-])(rel|hreflang|href)="([^"]*)"')


def _page_url(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return rel.removeprefix("zh-hk/").removesuffix("index.html")


def test_every_page_of_both_scripts_has_exact_alternates(sample_site):
    pages = [p for p in sample_site.rglob("*.html") if p.name == "index.html"
             and not p.relative_to(sample_site).as_posix().startswith(("screen/", "zh-hk/screen/", "pagefind/"))]
    assert len([p for p in pages if p.relative_to(sample_site).parts[0] == "zh-hk"]) > 30
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert 'rel=" alternate"' not in head
        links = [dict(ATTR_RE.findall(link)) for link in LINK_RE.findall(head)]
        path = _page_url(sample_site, page)
        assert links == [
            {"rel": "alternate", "hreflang": "zh-Hans", "href": SITE_URL + path},
            {"rel": "alternate", "hreflang": "zh-Hant-HK", "href": SITE_URL + "zh-hk/" + path},
            {"rel": "alternate", "hreflang": "x-default", "href": SITE_URL + path},
        ], page


@pytest.mark.browser
def test_material_fetches_nothing_for_them_and_the_switch_still_works(sample_site, serve, page_log):
    server = serve(sample_site)
    page, requests = page_log(locale="zh-CN")
    page.goto(server.url + "plans/plan-01/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert [u for u in requests if u.endswith("sitemap.xml")] == []
    assert foreign_requests(requests) == []
    # after Material has started, the DOM has them exactly as the HTML does (what Lighthouse reads)
    seen = page.evaluate("""[...document.querySelectorAll('link[rel="alternate"][hreflang]')]
        .map(l => [l.getAttribute('rel'), l.hreflang])""")
    assert seen == [["alternate", "zh-Hans"], ["alternate", "zh-Hant-HK"], ["alternate", "x-default"]]
    page.locator(".bulletin-switch a[data-variant='zh-HK']").first.click()
    page.wait_for_url(server.url + "zh-hk/plans/plan-01/", wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-HK"
    assert page.evaluate("localStorage.getItem('bulletin.variant')") == "zh-HK"
    page.locator(".bulletin-switch a[data-variant='zh-Hans']").first.click()
    page.wait_for_url(server.url + "plans/plan-01/", wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert [u for u in requests if u.endswith("sitemap.xml")] == [] and foreign_requests(requests) == []
