"""The tags page is an index: most-used tags first, each a heading with its count that opens its
pages; links to a tag (#tag:…) still land on it, in both scripts."""

from __future__ import annotations

import re

import pytest

from bulletin import tags


def test_group_listing_wraps_each_tag_with_its_count():
    html = ('<h2 id="tag:志愿服务">\n\n<span class="md-tag">志愿服务</span></h2>\n  <ul>\n<li><a href="a/">甲</a></li>'
            '<li><a href="b/">乙</a></li></ul><p>后文</p>')
    out = tags.group_listing(html)
    assert out.startswith('<details class="bl-tag-group"><summary><h2 id="tag:志愿服务">')
    assert '<span class="bl-count">2</span></h2></summary><ul>' in out and out.endswith("</details><p>后文</p>")


class _Tree:
    def __init__(self, n):
        self.mappings = [None] * n


class _Tag:
    def __init__(self, name):
        self.name = name


def test_most_used_tags_come_first():
    found = sorted([(_Tag("乙"), _Tree(2)), (_Tag("甲"), _Tree(5)), (_Tag("丙"), _Tree(2))],
                   key=lambda item: tags.by_count(*item))
    assert [t.name for t, _ in found] == ["甲", "丙", "乙"]  # 5 pages, then 2 each by name


@pytest.mark.parametrize("prefix", ["", "zh-hk/"])
def test_sample_tags_page_is_an_index_by_count(sample_site, prefix):
    html = (sample_site / f"{prefix}tags/index.html").read_text(encoding="utf-8")
    counts = [int(n) for n in re.findall(r'<span class="bl-count">(\d+)</span></h2></summary>', html)]
    assert len(counts) >= 15 and counts == sorted(counts, reverse=True)
    assert html.count('<details class="bl-tag-group">') == len(counts)
    assert re.search(r"<h1[^>]*>(标签|標籤)</h1>", html)  # the tab's name


def test_a_link_to_a_tag_opens_it(sample_site, serve, page_log):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 390, "height": 844})
    page.goto(server.url + "tags/")
    assert page.evaluate("document.documentElement.scrollHeight") < 2500  # a phone's index, not 6,700 px
    page.goto(server.url + "plans/plan-19/")
    page.locator("a.md-tag").first.click()
    page.wait_for_url("**/tags/#tag:*")
    assert page.evaluate("decodeURIComponent(location.hash)") in (
        f"#{e}" for e in page.evaluate("Array.from(document.querySelectorAll('details[open] h2')).map(h => h.id)"))
