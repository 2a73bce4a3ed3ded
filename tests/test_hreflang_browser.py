"""hreflang: every page of both scripts names its counterparts with rel="alternate" exactly,
and Material's JavaScript, which takes such links for language roots (it asks each for
<href>/sitemap.xml and reroutes clicks with what it finds), leaves them alone: on the
published host and on any other, in both scripts, with the switch still working."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import foreign_requests

SITE_URL = "https://bulletin.example.org/"
LINK_RE = re.compile(r"<link\b[^>]*\bhreflang=[^>]*>")
ATTR_RE = re.compile(r'(?<![\w-])(rel|hreflang|href)="([^"]*)"')
SKIPPED = ("screen/", "zh-hk/screen/", "pagefind/", "posters/")


def _page_url(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return rel.removeprefix("zh-hk/").removesuffix("index.html")


def test_every_page_of_both_scripts_has_exact_alternates(sample_site):
    pages = [p for p in sample_site.rglob("index.html") if not p.relative_to(sample_site).as_posix().startswith(SKIPPED)]
    assert len([p for p in pages if p.relative_to(sample_site).parts[0] == "zh-hk"]) > 30
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        links = [dict(ATTR_RE.findall(link)) for link in LINK_RE.findall(head)]
        path = _page_url(sample_site, page)
        assert links == [
            {"rel": "alternate", "hreflang": "zh-Hans", "href": SITE_URL + path},
            {"rel": "alternate", "hreflang": "zh-Hant-HK", "href": SITE_URL + "zh-hk/" + path},
            {"rel": "alternate", "hreflang": "x-default", "href": SITE_URL + path},
        ], page


def _published_host(context, site: Path) -> None:
    """Serve `site` as if from the published host (SITE_URL), without the network."""
    def answer(route):
        path = urlsplit(route.request.url).path
        file = site / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            route.fulfill(status=404, body="not found")
            return
        route.fulfill(status=200, body=file.read_bytes(),
                      content_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream")
    context.route(SITE_URL + "**", answer)


def _check_switch(page, base: str, rel: str, requests: list[str], errors: list[str]) -> None:
    page.goto(base + rel, wait_until="networkidle")
    page.wait_for_timeout(300)
    # after Material has started, the DOM has the links as the HTML does (what Lighthouse reads)
    seen = page.evaluate("""[...document.querySelectorAll('link[rel="alternate"][hreflang]')]
        .map(l => [l.getAttribute('rel'), l.hreflang])""")
    assert seen == [["alternate", "zh-Hans"], ["alternate", "zh-Hant-HK"], ["alternate", "x-default"]]
    page.locator(".bulletin-switch a[data-variant='zh-HK']").first.click()
    page.wait_for_url(base + "zh-hk/" + rel, wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-HK"
    page.locator(".bulletin-switch a[data-variant='zh-Hans']").first.click()
    page.wait_for_url(base + rel, wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    # an ordinary link in the page goes where it says (Material reroutes nothing)
    page.locator("a.md-tabs__link", has_text="工作计划").first.click()
    page.wait_for_url(base + "plans/", wait_until="networkidle")
    assert [u for u in requests if u.endswith("sitemap.xml")] == []
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("rel", ["", "plans/plan-01/"])
def test_material_asks_for_no_sitemap_on_another_host(sample_site, serve, page_log, rel):
    server = serve(sample_site)
    page, requests = page_log(locale="zh-CN")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _check_switch(page, server.url, rel, requests, errors)
    assert foreign_requests(requests) == []


@pytest.mark.browser
@pytest.mark.parametrize("rel", ["", "plans/plan-01/"])
def test_material_asks_for_no_sitemap_on_the_published_host(sample_site, page_log, rel):
    page, requests = page_log(locale="zh-CN")
    _published_host(page.context, sample_site)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _check_switch(page, SITE_URL, rel, requests, errors)
    assert [u for u in requests if not u.startswith(SITE_URL)] == []
