"""The screenshot gallery's pages hold together in Chromium: every page kind of scripts/screenshots.py
in both scripts, on its phone and desktop (390 and 1366 px), and in 大字 on a 360 px phone; the pages
with card grids also at 360 and 1920 px: nothing runs past the window, nothing spills out of its
card, chip or meta line, no space between two Chinese characters shows that the source does not
have, and the Traditional site quotes with 「」 (whole pages with cards, the tags index opened,
and search results).

The pages are opened once (a module fixture) and each test reads its part of the survey.
Text below 16 px is tested over the same pages in test_readable_browser.py, lone cards in
test_grids_browser.py.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import ROOT, Server
from test_readable_browser import open_search_results

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
GALLERY = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(GALLERY)

PAGES = list(GALLERY.PAGES.values())
VARIANTS = list(GALLERY.VARIANTS.values())
GRID_PAGES = ["", "albums/", "people/", "people/zhuren-weile/"]  # the pages with card grids
# (width, height, text size, pages): the gallery's phone and desktop; the narrowest and widest
# screens for the card grids; and 大字 (rem × 1.5) on the narrowest phone, where cards burst first.
RUNS = [(w, h, "standard", PAGES) for w, h in GALLERY.SIZES.values()] + [
    (360, 740, "standard", GRID_PAGES), (1920, 1080, "standard", GRID_PAGES), (360, 740, "large", PAGES)]
# The search results opened on the home page: a query for each size, for more excerpts.
SEARCHED = {(390, "standard"): "学雷锋", (1366, "standard"): "志愿"}
TEXTSIZE_KEY = "bulletin.textsize"  # theme/assets/bulletin/textsize.js

# Boxes whose content must stay inside them: cards, chips and meta lines. The search results
# are cards too, and so is the open tags index.
BOXES = ", ".join([
    ".bl-card", ".bl-album-card", ".bl-person-card", ".bl-plan-item", ".md-search-result__item",  # cards
    ".bl-tag", ".bl-badge", ".md-tag",  # chips
    ".bl-plan-meta", ".bl-album-card-meta", ".bl-person-meta", ".bl-facts",  # meta lines and fact boxes
    ".bl-hero", ".bl-profile-head", "details.bl-tag-group", ".admonition",
])
CJK = r"\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uffef"
SPACED = re.compile(rf"([{CJK}])[ \t\u00a0]+([{CJK}])")

SURVEY_JS = """(boxes) => {
  const problems = [];
  const name = el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
  const words = el => (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 14);
  const seen = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true}); };
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) problems.push(`页面宽 ${root.scrollWidth} px > 窗口 ${root.clientWidth} px`);
  for (const box of document.querySelectorAll(boxes)) {
    if (!seen(box)) continue;
    const b = box.getBoundingClientRect();
    if (b.left < -0.5 || b.right > root.clientWidth + 0.5)
      problems.push(`${name(box)} 出了窗口 (${Math.round(b.left)}..${Math.round(b.right)})「${words(box)}」`);
    if (box.scrollWidth > box.clientWidth + 1)
      problems.push(`${name(box)} 的内容比它宽 (${box.scrollWidth} > ${box.clientWidth})「${words(box)}」`);
    for (const el of box.querySelectorAll('*')) {
      if (!seen(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5)
        problems.push(`${name(el)} 出了 ${name(box)}「${words(el)}」`);
      // a clamped paragraph clips at its padding box: padding below it shows the top of the next line
      const s = getComputedStyle(el);
      if (s.webkitLineClamp !== 'none' && parseFloat(s.paddingBottom) > 0 && el.scrollHeight > el.clientHeight)
        problems.push(`${name(el)} 截断的文字下面露出半行「${words(el)}」`);
    }
  }
  return {problems, text: document.body.innerText};
}"""


def _visit(page, url: str) -> dict:
    page.goto(url, wait_until="load")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return page.evaluate(SURVEY_JS, BOXES)


def survey_site(site, browser) -> dict:
    """{(prefix, path, width, text size): {"problems": [...], "text": body text}} over RUNS, and
    (prefix, "search", width, text size) for the search results of SEARCHED on the home page."""
    server = Server(site)
    found = {}
    try:
        for width, height, textsize, pages in RUNS:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(server.url + "404.html")
            if textsize == "large":
                page.evaluate("([key]) => localStorage.setItem(key, 'large')", [TEXTSIZE_KEY])
            for prefix in VARIANTS:
                for path in pages:
                    found[(prefix, path, width, textsize)] = _visit(page, server.url + prefix + path)
                if (width, textsize) in SEARCHED:
                    page.goto(server.url + prefix, wait_until="load")
                    open_search_results(page, SEARCHED[(width, textsize)])
                    found[(prefix, "search", width, textsize)] = page.evaluate(SURVEY_JS, BOXES)
            assert page.evaluate("document.documentElement.dataset.blText || 'standard'") == textsize
            context.close()
    finally:
        server.close()
    return found


@pytest.fixture(scope="module")
def survey(sample_site, browser) -> dict:
    return survey_site(sample_site, browser)


def test_the_survey_covers_the_gallery(survey):
    assert len(PAGES) == 11 and {path for _, path, _, _ in survey} >= set(PAGES) | {"search"}
    assert {(w, t) for _, _, w, t in survey} == {(390, "standard"), (1366, "standard"), (360, "standard"),
                                                  (1920, "standard"), (360, "large")}
    assert sum(path == "search" for _, path, _, _ in survey) == 4
    assert all(len(found["text"]) > 40 for found in survey.values())


def test_nothing_runs_past_the_window_or_out_of_its_card(survey):
    bad = {key: found["problems"] for key, found in survey.items() if found["problems"]}
    assert bad == {}


def _spaced_in_sources() -> set[tuple[str, str]]:
    """CJK–space–CJK pairs that editors or templates wrote on one line, in every script the site
    shows them in (a Traditional source's pair appears converted on the Simplified site)."""
    from bulletin import script

    pairs = set()
    files = [*sorted((ROOT / "site_src").rglob("*.md")), ROOT / "mkdocs.yml",
             *sorted((ROOT / "theme").rglob("*.html"))]
    for path in files:
        for m in SPACED.finditer(path.read_text(encoding="utf-8")):
            pairs.add((m[1], m[2]))
    converted = set()
    for target, source in (("zh-Hans", "zh-Hant"), ("zh-HK", "zh-Hans")):
        converter = script.Converter(target, corner_quotes=target != "zh-Hans")
        for a, b in pairs:
            converted.add(tuple(converter.text(a + b, source)))
    return pairs | converted


def test_no_space_between_chinese_characters_that_the_source_does_not_have(survey):
    allowed = _spaced_in_sources()
    bad = {}
    for key, found in survey.items():
        text = found["text"]
        hits = [text[max(0, m.start() - 6):m.end() + 6] for m in SPACED.finditer(text) if (m[1], m[2]) not in allowed]
        if hits:
            bad[key] = hits
    assert bad == {}
    # the pages and the search results were read: long texts, with Chinese in them
    assert sum(len(re.findall(f"[{CJK}]", f["text"])) for f in survey.values()) > 30_000


def test_the_traditional_site_shows_corner_quotes_everywhere_it_shows_text(survey):
    """Pages, cards and search results alike (zh-HK prints 「」 by default; Simplified keeps “”)."""
    curly = {key: re.findall(r".{0,6}[“”].{0,6}", found["text"]) for key, found in survey.items()
             if key[0] == "zh-hk/" and re.search("[“”]", found["text"])}
    assert curly == {}
    assert all("「" in survey[("zh-hk/", "search", width, textsize)]["text"] for width, textsize in SEARCHED)
    assert "“" in survey[("", "search", 390, "standard")]["text"]
