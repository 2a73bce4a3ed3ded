"""WCAG 2.1 AA in real Chromium: axe-core over every page kind of both script variants at
phone and desktop width (search and lightbox open included), the lightbox with a keyboard,
and what a reader waits for first is never lazy-loaded."""

from __future__ import annotations

import re
import pytest

from helpers_a11y import (AXE_JS, PAGE_KINDS, VIEWPORTS, axe_survey, describe, axe_violations, open_lightbox,
                          require, settle)

pytestmark = pytest.mark.browser

ALBUM = PAGE_KINDS["album"]
LABELS = {  # what a reader of each variant hears for the dialog and its buttons
    "": {"dialog": "查看大图", "close": "关闭", "prev": "上一张", "next": "下一张"},
    "zh-hk/": {"dialog": "查看大圖", "close": "關閉", "prev": "上一張", "next": "下一張"},
}
DIALOG_STATE = """() => {
  const modal = document.getElementById('glightbox-body');
  const label = sel => { const b = modal.querySelector(sel); return b && b.getAttribute('aria-label'); };
  const img = document.querySelector('.gslide.current .gslide-image img');
  const active = document.activeElement;
  return {inside: modal.contains(active), active: active && active.className,
          dialog: modal.getAttribute('aria-label'), modal: modal.getAttribute('aria-modal'),
          close: label('.gclose'), prev: label('.gprev'), next: label('.gnext'), alt: img && img.alt};
}"""
FOCUSED = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect();
  return {inside: !!el.closest('#glightbox-body'), cls: el.className, top: r.top, left: r.left,
          bottom: r.bottom, right: r.right, width: innerWidth, height: innerHeight};
}"""
RING = """() => {
  const s = getComputedStyle(document.activeElement);
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor};
}"""
LCP = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const entry = list.getEntries().at(-1), el = entry && entry.element;
    resolve(el ? {tag: el.tagName, loading: el.getAttribute('loading'), url: entry.url} : null);
  }).observe({type: 'largest-contentful-paint', buffered: true});
})"""


@pytest.fixture
def axe_ready():
    require(AXE_JS, "axe-core")


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_axe_finds_no_wcag_aa_violation_on_any_page_kind(axe_ready, sample_site, serve, page_log, width, height):
    server = serve(sample_site)

    def new_page(**options):
        return page_log(**options)[0]

    found = axe_survey(server.url, new_page, viewports=[(width, height)])
    assert found == {}


def test_axe_sees_a_contrast_failure(axe_ready, sample_site, serve, page_log):
    """The harness works: text made too faint on a real page is reported."""
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 768})
    page.goto(server.url + PAGE_KINDS["plans index"])
    settle(page)
    page.add_style_tag(content=".md-tabs__link { opacity: .7 !important; }")
    page.wait_for_timeout(100)
    lines = describe(axe_violations(page))
    assert any(line.startswith("color-contrast .md-tabs__link") for line in lines), lines


@pytest.mark.parametrize("prefix", ["", "zh-hk/"], ids=["zh-Hans", "zh-Hant"])
def test_lightbox_takes_focus_is_labelled_in_the_readers_script_and_gives_focus_back(
        sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}{prefix}{ALBUM}")
    settle(page)
    links = page.locator("a.glightbox")
    opener = links.nth(1)
    thumb_alt = opener.locator("img").get_attribute("alt")
    opener.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(() => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.complete && i.naturalWidth > 0; })()", timeout=10000)
    page.wait_for_timeout(600)
    state = page.evaluate(DIALOG_STATE)
    expected = LABELS[prefix]
    assert state["inside"], state
    assert (state["dialog"], state["close"], state["prev"], state["next"]) == (
        expected["dialog"], expected["close"], expected["prev"], expected["next"])
    assert state["modal"] == "true"
    assert thumb_alt and state["alt"] == thumb_alt
    # The next photo says what its own thumbnail says.
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(700)
    assert page.evaluate(DIALOG_STATE)["alt"] == links.nth(2).locator("img").get_attribute("alt")
    # Tab and Shift+Tab stay inside, on buttons that are shown.
    for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab"]:
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        assert focused["inside"] and "gbtn" in focused["cls"], (key, focused)
    page.keyboard.press("Escape")
    page.wait_for_selector(".glightbox-container", state="detached")
    page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement === document.querySelectorAll('a.glightbox')[1]")


def test_lightbox_focus_ring_is_seen_on_black(sample_site, serve, page_log):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}{ALBUM}")
    settle(page)
    open_lightbox(page)
    for _ in range(3):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        assert ring["style"] == "solid" and ring["width"] >= 2, ring
        assert _contrast(ring["color"], (0, 0, 0)) >= 3, ring


@pytest.mark.parametrize("prefix", ["", "zh-hk/"], ids=["zh-Hans", "zh-Hant"])
def test_on_a_phone_tab_in_the_lightbox_reaches_only_buttons_on_screen(sample_site, serve, page_log, prefix):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 390, "height": 844})
    page.goto(f"{server.url}{prefix}{ALBUM}")
    settle(page)
    open_lightbox(page)
    for key in ["Tab", "Tab", "Tab", "Shift+Tab"]:
        page.keyboard.press(key)
        f = page.evaluate(FOCUSED)
        assert f["inside"], (key, f)
        assert f["top"] >= 0 and f["left"] >= 0 and f["bottom"] <= f["height"] and f["right"] <= f["width"], (key, f)


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_the_first_tab_lands_on_something_the_reader_sees(sample_site, serve, page_log, width, height):
    """Not on a hidden control (a one-scheme palette written as a list adds a hidden radio)."""
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": width, "height": height})
    for path in ("", PAGE_KINDS["plan"], "zh-hk/" + PAGE_KINDS["profile"]):
        page.goto(server.url + path)
        settle(page)
        page.keyboard.press("Tab")
        page.wait_for_timeout(300)  # Material's skip link fades in
        seen = page.evaluate("""() => { const el = document.activeElement, r = el.getBoundingClientRect();
          return {tag: el.tagName, type: el.type || '', opacity: +getComputedStyle(el).opacity,
                  area: r.width * r.height, inView: r.bottom > 0 && r.top < innerHeight}; }""")
        assert seen["tag"] != "BODY" and seen["type"] != "radio", (path, seen)
        assert seen["opacity"] > 0.5 and seen["area"] > 0 and seen["inView"], (path, seen)


TAB_STOP = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect(), s = getComputedStyle(el);
  let opacity = 1, visible = s.visibility === 'visible';
  for (let e = el; e; e = e.parentElement) opacity *= +getComputedStyle(e).opacity;
  return {what: el.tagName + '.' + el.className, inView: r.width > 0 && r.height > 0 && r.bottom > 0 &&
          r.right > 0 && r.top < innerHeight && r.left < innerWidth, visible: visible && opacity > 0.5,
          outline: s.outlineStyle, color: s.outlineColor, width: parseFloat(s.outlineWidth),
          onRed: !!el.closest('.md-header, .md-tabs'), body: el === document.body};
}"""


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
@pytest.mark.parametrize("path", ["", PAGE_KINDS["plan"], "zh-hk/" + PAGE_KINDS["profile"]])
def test_every_tab_stop_is_in_sight_with_a_ring_that_stands_out(sample_site, serve, page_log, path, width, height):
    """Tab never lands on something hidden (closed drawer, closed search) and the focus ring
    is at least 3:1 against what it is drawn on: the red header or the white page."""
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": width, "height": height})
    page.goto(server.url + path)
    settle(page)
    for n in range(24):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        stop = page.evaluate(TAB_STOP)
        if stop["body"]:
            break
        page.wait_for_timeout(250)  # the skip link fades in; a scrolled-to element settles
        stop = page.evaluate(TAB_STOP)
        where = (n, stop)
        assert stop["inView"] and stop["visible"], where
        assert stop["outline"] != "none" and stop["width"] >= 1, where
        behind = (0xB7, 0x1C, 0x1C) if stop["onRed"] else (255, 255, 255)
        assert _contrast(stop["color"], behind) >= 3, where


def test_lightbox_script_and_style_only_on_pages_with_photos_it_opens(sample_site):
    with_photos, without = [], []
    for html in sample_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        rel = html.relative_to(sample_site).as_posix()
        loads = "glightbox.min.js" in text or "glightbox.min.css" in text or "lightbox.js" in text
        (with_photos if 'class="glightbox' in text else without).append((rel, loads))
    assert len(with_photos) >= 4  # the albums, in both variants
    assert all(loads for _, loads in with_photos), with_photos
    assert [rel for rel, loads in without if loads] == []


def test_the_lightbox_script_waits_at_the_end_of_the_page_until_the_script_that_starts_it(sample_site):
    """GLightbox's script is not in the head (where it held up the first paint of every album
    page) and runs just before the lightbox is started, in every variant."""
    pages = [html for html in sample_site.rglob("*.html") if 'id="init-glightbox"' in html.read_text(encoding="utf-8")]
    assert len(pages) >= 4  # the albums, in both variants
    for html in pages:
        text = html.read_text(encoding="utf-8")
        head = text[:text.index("</head>")]
        assert "glightbox.min.js" not in head, html
        script = re.search(r'<script src="[^"]*glightbox\.min\.js"></script>', text)
        assert script and text[script.end():].startswith('<script id="init-glightbox">'), html


def test_every_page_holds_up_its_first_paint_for_one_stylesheet_of_ours(sample_site):
    """The theme's stylesheets reach every page as one file (site.css), holding each of them
    in the plugin's order, so the page's look is the same as with the files one by one."""
    from bulletin.plugin import STYLESHEET, STYLESHEETS

    combined = (sample_site / STYLESHEET).read_text(encoding="utf-8")
    at = [combined.index((sample_site / css).read_text(encoding="utf-8")) for css in STYLESHEETS]
    assert at == sorted(at)
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 50
    for html in pages:
        if html.parent.name in ("screen", "posters"):
            continue  # the lobby screen has its own stylesheet
        ours = re.findall(r'<link rel="stylesheet" href="[^"]*assets/bulletin/([^"]+)"', html.read_text(encoding="utf-8"))
        assert ours == ["site.css"], (html.relative_to(sample_site).as_posix(), ours)


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
@pytest.mark.parametrize("path", [PAGE_KINDS["profile"], ALBUM, PAGE_KINDS["albums index"],
                                  PAGE_KINDS["people index"], "zh-hk/" + PAGE_KINDS["profile"]])
def test_the_largest_element_in_view_is_not_lazy_loaded(sample_site, serve, page_log, path, width, height):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": width, "height": height})
    page.goto(server.url + path)
    settle(page)
    largest = page.evaluate(LCP)
    assert largest is not None
    assert largest["loading"] != "lazy", largest


def test_the_profile_portrait_is_the_largest_element_and_eager(sample_site, serve, page_log):
    """The profile's portrait is what the reader waits for (so the test above can fail there)."""
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": 1366, "height": 768})
    page.goto(server.url + PAGE_KINDS["profile"])
    settle(page)
    largest = page.evaluate(LCP)
    assert largest["tag"] == "IMG" and "portrait" in largest["url"] and largest["loading"] == "eager"


def _contrast(css_color: str, other: tuple[int, int, int]) -> float:
    import re

    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css_color)[:3])

    def luminance(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])

    hi, lo = sorted((luminance((r, g, b)), luminance(other)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
