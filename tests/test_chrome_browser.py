"""The page's frame at phone and desktop widths, in both scripts: the home page's title never
leaves one character on a line of its own, and on a wide screen no left sidebar repeats
one tab (the navigation is the tabs), while a phone's menu still lists every section."""

from __future__ import annotations

import pytest

from test_readable_browser import set_large

PREFIXES = pytest.mark.parametrize("prefix", ["", "zh-hk/"], ids=["zh-Hans", "zh-Hant"])
SECTIONS = ["", "plans/", "albums/", "people/", "notices/", "tags/"]

# The characters of an element's text, grouped by the line they are drawn on.
LINES_JS = """(el) => {
  const lines = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (!rect.width || !node.data[i].trim()) continue;
      const line = lines.find(l => Math.abs(l.top - rect.top) < rect.height / 2);
      if (line) line.text += node.data[i]; else lines.push({top: rect.top, text: node.data[i]});
    }
  }
  return lines.map(l => l.text);
}"""


@PREFIXES
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_home_title_leaves_no_character_alone(sample_site, serve, page_log, prefix, large):
    server = serve(sample_site)
    for width in (360, 390, 430):
        page, _ = page_log(viewport={"width": width, "height": 800})
        page.goto(server.url + prefix, wait_until="networkidle")
        set_large(page, large)
        lines = page.locator(".bl-hero h1").evaluate(LINES_JS)
        assert lines and "".join(lines), (width, lines)
        assert len(lines) == 1 or len(lines[-1]) > 1, (width, lines)
        if not large and width >= 390:
            assert len(lines) == 1, (width, lines)  # the sample's name fits a phone's line
        page.close()


@PREFIXES
def test_wide_screens_show_no_sidebar_that_repeats_a_tab(sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 768})
    for section in SECTIONS + ["plans/plan-01/"]:
        page.goto(server.url + prefix + section, wait_until="networkidle")
        assert page.locator(".md-tabs").is_visible()
        assert not page.locator(".md-sidebar--primary").is_visible(), section
        # the article starts where the tabs do, not one sidebar's width further in
        tabs = page.locator(".md-tabs__list").bounding_box()
        article = page.locator("article").first.bounding_box()
        assert abs(article["x"] - tabs["x"]) < 24, (section, tabs, article)
        if section == "plans/":  # a list without headings: no empty contents column beside it
            assert not page.locator(".md-sidebar--secondary").is_visible()
            assert article["width"] > 0.9 * tabs["width"], (tabs, article)


@PREFIXES
def test_the_phone_menu_lists_every_section(sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 390, "height": 844})
    page.goto(server.url + prefix + "plans/", wait_until="networkidle")
    page.locator(".md-header label[for=__drawer]").first.click()
    drawer = page.locator(".md-sidebar--primary")
    drawer.locator(".md-nav__link").last.wait_for(state="visible")
    links = drawer.locator(".md-nav__list .md-nav__link").all_inner_texts()
    assert len([t for t in links if t.strip()]) == len(SECTIONS), links
