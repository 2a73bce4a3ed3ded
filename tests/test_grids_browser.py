"""Card grids look intended at every width: no lone card on a last row when a better column count
fits (plan and album cards on the home page and the albums index, the honor roll on the home page,
the 好人榜 and a category page), in both scripts and in 大字."""

from __future__ import annotations

import pytest

from test_readable_browser import set_large

GRID_PAGES = ["", "albums/", "people/", "people/zhuren-weile/"]
# Every 40 px from 360 to 1920: the column counts do not depend on the script, so each script
# takes every other step (zh-Hans 360, 440, …; zh-Hant 400, 480, …).
WIDTHS = {"": list(range(360, 1921, 80)), "zh-hk/": list(range(400, 1921, 80))}

# Each card grid: its cards per row, and how many cards of the least width its CSS gives them
# (auto-fill, minmax(<least>, 1fr)) fit in a row.
ROWS_JS = """() => {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const known = window.blLeastCard = window.blLeastCard || {};  // in rem, per grid: the CSS is read once
  const least = ul => {
    if (!(ul.className in known)) known[ul.className] = leastRem(ul);
    return known[ul.className] && known[ul.className] * rem;
  };
  const leastRem = ul => {
    let found = null;
    for (const sheet of document.styleSheets) {
      let rules;
      try { rules = sheet.cssRules; } catch (e) { continue; }
      for (const rule of rules) {  // the auto-fill rules are top-level ones
        if (!rule.selectorText) continue;
        const m = /auto-fill,\\s*minmax\\((?:min\\()?([\\d.]+)rem/.exec(rule.style.gridTemplateColumns || '');
        if (m && ul.matches(rule.selectorText)) found = parseFloat(m[1]);
      }
    }
    return found;
  };
  return Array.from(document.querySelectorAll('ul.bl-people, ul.bl-cards, ul.bl-album-cards')).map(ul => {
    const tops = Array.from(ul.children).map(li => Math.round(li.getBoundingClientRect().top));
    const rows = [...new Set(tops)].map(t => tops.filter(x => x === t).length);
    const gap = parseFloat(getComputedStyle(ul).columnGap) || 0, card = least(ul);
    return {grid: ul.className, count: tops.length, rows, least: card,
            fit: Math.max(1, Math.floor((ul.clientWidth + gap) / (card + gap)))};
  });
}"""


def lone_card(grid: dict) -> bool:
    """A single card on the last row of a grid of several columns, where some column count that
    fits (two or more) would leave none."""
    rows, count = grid["rows"], grid["count"]
    if len(rows) < 2 or max(rows) < 2 or rows[-1] != 1:
        return False
    return any(count % columns != 1 for columns in range(2, min(grid["fit"], count) + 1))


def test_lone_card_rule():
    assert lone_card({"rows": [5, 1], "count": 6, "fit": 5})  # 3 + 3 fits
    assert not lone_card({"rows": [3, 3], "count": 6, "fit": 5})
    assert not lone_card({"rows": [2, 1], "count": 3, "fit": 2})  # three where two fit: no better count
    assert lone_card({"rows": [2, 1], "count": 3, "fit": 3})  # all three in a row fit
    assert not lone_card({"rows": [1, 1, 1], "count": 3, "fit": 1})  # one column, as on a phone


@pytest.mark.parametrize("prefix", ["", "zh-hk/"], ids=["zh-Hans", "zh-Hant"])
def test_no_lone_card_on_a_last_row(sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 900})
    lone = []
    checked = set()
    for path in GRID_PAGES:
        page.goto(server.url + prefix + path)
        for large in (False, True):
            set_large(page, large)
            for width in WIDTHS[prefix]:
                page.set_viewport_size({"width": width, "height": 900})
                for grid in page.evaluate(ROWS_JS):
                    assert grid["least"], grid  # the least card width was found in the CSS
                    checked.add((path, grid["grid"], grid["count"]))
                    if lone_card(grid):
                        lone.append((path, large, width, grid))
        set_large(page, False)
    grids = {grid for _, grid, _ in checked}
    assert grids == {"bl-cards", "bl-album-cards", "bl-people"} and len(checked) >= 6
    assert lone == []


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
