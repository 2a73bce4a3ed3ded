"""No request leaves the site's own host: each kind of page loaded in real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import foreign_requests

MAX_PAGES = 24


def representative_pages(site: Path) -> list[str]:
    """The home page, each section's index and its first page, for every script variant."""
    pages = ["", "404.html"]
    for section in sorted(p for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        rel = section.relative_to(site).as_posix()
        pages.append(rel + "/")
        children = sorted(c for c in section.iterdir() if c.is_dir() and (c / "index.html").is_file())
        if children:
            pages.append(children[0].relative_to(site).as_posix() + "/")
            grand = sorted(g for g in children[0].iterdir() if g.is_dir() and (g / "index.html").is_file())
            if grand:
                pages.append(grand[0].relative_to(site).as_posix() + "/")
    return pages[:MAX_PAGES]


@pytest.mark.browser
def test_no_request_leaves_localhost_on_any_kind_of_page(sample_site, serve, page_log):
    server = serve(sample_site)
    page, requests = page_log()
    visited = []
    for rel in representative_pages(sample_site):
        page.goto(server.url + rel, wait_until="networkidle")
        visited.append(rel)
        search = page.locator("input[type=search], input[name=query]").first
        if search.count() and search.is_visible():
            search.fill("志愿")  # the search index and its worker load on first use
            page.wait_for_load_state("networkidle")
    assert len(visited) >= 4, visited
    assert any(url.startswith(server.url) for url in requests)
    assert foreign_requests(requests) == []
