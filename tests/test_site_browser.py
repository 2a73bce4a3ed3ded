"""The sample site in real Chromium: a plan page reads right and asks no other host."""

from __future__ import annotations

import pytest

from conftest import foreign_requests

pytestmark = pytest.mark.browser


def test_plan_page_headings_and_no_foreign_requests(sample_site, serve, page_log):
    server = serve(sample_site)
    page, requests = page_log(viewport={"width": 390, "height": 844})
    page.goto(server.url + "plans/plan-01/", wait_until="networkidle")
    h1 = page.locator("article h1").all_inner_texts()
    h2 = page.locator("article h2").all_inner_texts()
    assert len(h1) == 1 and h1[0].strip()
    assert h2 and all(text.strip()[0] in "一二三四五六七八九十" for text in h2)
    assert page.locator(".bl-facts").count() == 1
    assert page.evaluate("document.documentElement.lang").startswith("zh")
    assert len(requests) > 3  # the page, its styles and scripts were all fetched
    assert foreign_requests(requests) == []


@pytest.mark.parametrize("path", ["", "plans/", "tags/"])
def test_index_pages_load_without_foreign_requests(sample_site, serve, page_log, path):
    server = serve(sample_site)
    page, requests = page_log()
    response = page.goto(server.url + path, wait_until="networkidle")
    assert response.status == 200
    assert page.locator("article h1, .bl-hero h1").count() >= 1
    assert foreign_requests(requests) == []
