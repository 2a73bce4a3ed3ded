"""On paper (A4, Chromium's print to PDF): no chrome, no blank pages, listings laid out compactly."""

from __future__ import annotations

import re

import pytest

VARIANTS = {"zh-Hans": "", "zh-Hant": "zh-hk/"}


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@pytest.fixture
def printed(sample_site, serve, page_log):
    server = serve(sample_site)
    page, _ = page_log()

    def to_pdf(path: str) -> bytes:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        return page.pdf(format="A4")

    return to_pdf, page


@pytest.mark.parametrize("prefix", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_honor_roll_prints_compactly_and_a_profile_on_one_page(printed, prefix):
    to_pdf, _ = printed
    assert pdf_pages(to_pdf(prefix + "people/")) <= 2  # 12 people: 5 pages before
    assert pdf_pages(to_pdf(prefix + "people/zhuren-weile/")) == 1  # a category page
    assert pdf_pages(to_pdf(prefix + "people/2026-11-yu-xiulan/")) == 1  # no blank second page
    assert pdf_pages(to_pdf(prefix + "albums/square-gala/")) == 1


@pytest.mark.parametrize("path", ["people/", "people/zhuren-weile/", "people/2026-11-yu-xiulan/", "plans/plan-19/"])
def test_no_chrome_or_controls_on_paper(printed, path):
    _, page = printed
    to_pdf, _ = printed
    to_pdf(path)
    page.emulate_media(media="print")
    try:
        shown = page.evaluate("""() => ['.md-header', '.md-tabs', '.md-footer', '.md-sidebar', '.bl-cat-nav',
            '.bl-profile-back', '[data-bl-textsize]', '.bulletin-switch'].filter(s => Array.from(
            document.querySelectorAll(s)).some(e => e.getClientRects().length && getComputedStyle(e).display !== 'none'))""")
        heading_last = page.evaluate("""() => Array.from(document.querySelectorAll('.md-typeset h2')).map(h =>
            getComputedStyle(h).breakAfter)""")
    finally:
        page.emulate_media(media="screen")
    assert shown == []
    assert set(heading_last) <= {"avoid"}  # a month heading never ends a page alone


def test_a_plan_prints_without_blank_pages(printed):
    to_pdf, page = printed
    pages = pdf_pages(to_pdf("plans/plan-19/"))
    page.emulate_media(media="print")
    try:
        height = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().height")
    finally:
        page.emulate_media(media="screen")
    a4_content_px = (297 - 30) / 25.4 * 96
    assert pages <= int(height // a4_content_px) + 1
