"""Text every resident can read: nothing below 16 px, and the 大字 switch (nothing below 24 px),
remembered across pages and scripts, on every page kind of both variants, phone and desktop."""

from __future__ import annotations

import pytest

PAGES = ["", "plans/", "plans/plan-19/", "tags/", "albums/", "albums/square-gala/", "people/",
         "people/zhuren-weile/", "people/2026-11-yu-xiulan/", "notices/", "404.html"]
VARIANTS = {"zh-Hans": "", "zh-Hant": "zh-hk/"}
SIZES = [(390, 844), (1366, 768)]

# Every text node a reader can see, with the size it is drawn at.
SMALL_TEXT_JS = """(minimum) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.closest('[hidden],[aria-hidden="true"]')) continue;
    let shown = true;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0' ||
          s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') { shown = false; break; }
    }
    if (!shown) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minimum - 0.01) small.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${size}px「${text.slice(0, 12)}」`);
  }
  return small;
}"""


@pytest.fixture
def open_page(sample_site, serve, page_log):
    server = serve(sample_site)

    def go(path: str, width: int = 390, height: int = 844, page=None):
        if page is None:
            page, _ = page_log(viewport={"width": width, "height": height})
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        return page

    return go


def set_large(page, on: bool) -> None:
    button = page.locator("[data-bl-textsize]")
    if (button.get_attribute("aria-pressed") == "true") != on:
        button.click()
    page.wait_for_function("(on) => (document.documentElement.dataset.blText === 'large') === on", arg=on)


def open_search_results(page, query: str) -> None:
    page.keyboard.press("/")
    page.wait_for_function("document.getElementById('__search').checked")
    page.fill("[data-bl-search-query]", query)
    page.wait_for_function("(q) => document.querySelector('[data-bl-search]').dataset.blSearchDone === q",
                           arg=query, timeout=15000)
    # read the page once the search panel has opened: during the theme's opening animation its
    # backdrop, scaled up, reaches past the window for a moment
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=5000)


@pytest.mark.parametrize("prefix", VARIANTS.values(), ids=VARIANTS.keys())
@pytest.mark.parametrize(("width", "height"), SIZES, ids=["phone", "desktop"])
def test_no_text_below_16px_and_none_below_24px_in_large_mode(open_page, prefix, width, height):
    page = None
    found = {}
    for path in PAGES:
        page = open_page(prefix + path, width, height, page)
        for large in (False, True):
            set_large(page, large)
            small = page.evaluate(SMALL_TEXT_JS, 24 if large else 16)
            if small:
                found[(path, "大字" if large else "标准")] = small
        set_large(page, False)
    assert found == {}


@pytest.mark.parametrize("prefix", VARIANTS.values(), ids=VARIANTS.keys())
def test_search_results_are_as_readable_as_the_pages(open_page, prefix):
    page = open_page(prefix + "plans/", 390, 844)
    for large in (False, True):
        set_large(page, large)
        open_search_results(page, "志愿")
        assert page.locator(".md-search-result__link").count() > 0
        assert page.evaluate(SMALL_TEXT_JS, 24 if large else 16) == []
        page.keyboard.press("Escape")


def test_large_text_is_remembered_across_pages_and_scripts(open_page):
    page = open_page("plans/plan-19/")
    body = "document.querySelector('.md-typeset p').getBoundingClientRect().height"
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    set_large(page, True)
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)") \
        == pytest.approx(normal_size * 1.5, rel=0.01)
    assert page.locator("[data-bl-textsize]").get_attribute("aria-pressed") == "true"
    page.goto(page.url.replace("plans/plan-19/", "people/"))
    assert page.evaluate("document.documentElement.dataset.blText") == "large"
    page.locator('.bulletin-switch__link[data-variant="zh-HK"]').click()  # 繁 (shown in large mode on phones)
    page.wait_for_url("**/zh-hk/people/")
    assert page.evaluate("document.documentElement.dataset.blText") == "large"
    assert page.locator("[data-bl-textsize]").get_attribute("aria-pressed") == "true"
    assert page.evaluate(body) > 0
    set_large(page, False)
    page.reload()
    assert page.evaluate("document.documentElement.dataset.blText") is None


def test_large_text_applies_before_the_first_paint(open_page):
    """The stored choice is applied by the inline script in <head>: no jump from small to large."""
    page = open_page("")
    set_large(page, True)
    page.route("**/assets/bulletin/textsize.js", lambda route: route.abort())  # only the inline script
    page.goto(page.url + "plans/")
    assert page.evaluate("document.documentElement.dataset.blText") == "large"


@pytest.mark.parametrize("prefix", VARIANTS.values(), ids=VARIANTS.keys())
@pytest.mark.parametrize("width", [320, 360, 390])
def test_every_header_control_stays_on_a_phone_screen_in_large_mode(open_page, prefix, width):
    page = open_page(prefix + "albums/square-gala/", width, 740)
    set_large(page, True)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.md-header__button, .bulletin-switch__link, [data-bl-textsize]')).filter(e => {
          const s = getComputedStyle(e); return s.display !== 'none' && s.visibility !== 'hidden' && e.offsetWidth > 0;
        }).map(e => { const r = e.getBoundingClientRect();
          return {name: e.className, left: r.left, right: r.right, width: r.width, height: r.height}; })""")
    names = " ".join(b["name"] for b in boxes)
    assert "bl-textsize" in names and "bulletin-switch__link" in names and names.count("md-header__button") >= 2
    assert [b for b in boxes if b["left"] < 0 or b["right"] > width] == []
    button = next(b for b in boxes if "bl-textsize" in b["name"])
    assert button["width"] >= 44 and button["height"] >= 44  # a finger's tap


def test_the_switch_is_hidden_without_javascript(sample_site, serve, browser):
    server = serve(sample_site)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "plans/")
        assert not page.locator("[data-bl-textsize]").is_visible()
    finally:
        context.close()


def test_paragraph_line_and_paragraph_spacing(open_page):
    page = open_page("plans/plan-19/", 390, 844)
    for large in (False, True):
        set_large(page, large)
        size, line, gap = page.evaluate("""() => { const p = document.querySelector('.md-typeset p');
            const s = getComputedStyle(p); const next = p.nextElementSibling;
            return [parseFloat(s.fontSize), parseFloat(s.lineHeight),
                    next.getBoundingClientRect().top - p.getBoundingClientRect().bottom]; }""")
        assert line >= 1.5 * size  # line spacing
        assert gap >= 1.3 * (line - size)  # paragraph spacing beyond the gap between lines


@pytest.mark.parametrize("prefix", VARIANTS.values(), ids=VARIANTS.keys())
@pytest.mark.parametrize("width", [360, 390, 430, 1366])
def test_the_header_shows_the_whole_site_name(open_page, prefix, width):
    page = open_page(prefix + "plans/", width, 740)
    name = page.evaluate("""() => { const e = document.querySelector('.md-header__topic .md-ellipsis');
        return {text: e.innerText.trim(), cut: e.scrollWidth > e.clientWidth + 1}; }""")
    assert not name["cut"], name
    assert name["text"] == ("幸福街道" if width < 720 else ("幸福街道文明宣傳欄" if prefix else "幸福街道文明宣传栏"))
    other = page.locator(".bulletin-switch__link:visible")
    assert other.count() == (1 if width < 720 else 2)  # a phone offers the other script only
