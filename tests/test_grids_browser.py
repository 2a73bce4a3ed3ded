"""Card grids look intended at every width: no lone card on a last row when a better column count
fits (honor roll on the home page, the 好人榜 and a category page), in both scripts and in 大字."""

from __future__ import annotations

import pytest

from test_readable_browser import set_large

PAGES = ["", "people/", "people/zhuren-weile/"]
WIDTHS = list(range(360, 1921, 80))

ROWS_JS = """() => Array.from(document.querySelectorAll('ul.bl-people')).map(ul => {
  const tops = Array.from(ul.children).map(li => Math.round(li.getBoundingClientRect().top));
  const rows = [...new Set(tops)].map(t => tops.filter(x => x === t).length);
  return {count: tops.length, rows};
})"""


@pytest.mark.parametrize("prefix", ["", "zh-hk/"], ids=["zh-Hans", "zh-Hant"])
def test_no_lone_card_on_a_last_row(sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 900})
    lone = []
    checked = 0
    for path in PAGES:
        page.goto(server.url + prefix + path)
        for large in (False, True):
            set_large(page, large)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for grid in page.evaluate(ROWS_JS):
                    rows = grid["rows"]
                    checked += 1
                    if grid["count"] >= 4 and len(rows) > 1 and max(rows) > 1 and rows[-1] == 1:
                        lone.append((path, large, width, rows))
        set_large(page, False)
    assert checked > 100 and lone == []


SEPARATORS_JS = """() => {
  const bad = [];
  for (const box of document.querySelectorAll('.bl-album-card-meta, .bl-plan-meta')) {
    const edge = box.getBoundingClientRect().left;
    const items = Array.from(box.children);
    const tops = items.map(s => Math.round(s.getBoundingClientRect().top));
    items.forEach((span, i) => {
      const firstInLine = i === 0 || tops[i] !== tops[i - 1];
      const bullet = span.getBoundingClientRect().left + parseFloat(getComputedStyle(span, '::before').left);
      const shown = bullet >= edge - 0.5;
      if (firstInLine === shown) bad.push(`${box.className}: ${span.textContent} first=${firstInLine} shown=${shown}`);
    });
  }
  return bad;
}"""


@pytest.mark.parametrize("prefix", ["", "zh-hk/"], ids=["zh-Hans", "zh-Hant"])
def test_meta_lines_never_start_with_a_separator(sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 900})
    bad = []
    for path in ["", "albums/", "plans/"]:
        page.goto(server.url + prefix + path)
        for large in (False, True):
            set_large(page, large)
            for width in range(360, 1367, 62):
                page.set_viewport_size({"width": width, "height": 900})
                bad += [(path, large, width, b) for b in page.evaluate(SEPARATORS_JS)]
        set_large(page, False)
    assert bad == []


@pytest.mark.parametrize("width", [360, 390, 430])
def test_phone_cards_have_no_white_strip_under_the_portrait(sample_site, serve, page_log, width):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": width, "height": 900})
    for prefix in ("", "zh-hk/"):
        page.goto(server.url + prefix + "people/")
        gaps = page.evaluate("""() => Array.from(document.querySelectorAll('.bl-person-link')).map(a => {
            const card = a.getBoundingClientRect(), photo = a.querySelector('.bl-portrait').getBoundingClientRect();
            return [card.bottom - photo.bottom, photo.top - card.top]; })""")
        assert len(gaps) >= 10
        assert all(below <= 2 and above <= 2 for below, above in gaps), gaps  # the border only
