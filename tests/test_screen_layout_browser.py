"""The lobby screen's layouts in real Chromium, measured: every slide kind on four screen shapes
(16:9, 9:16 portrait, 5:4 and 21:9), in Simplified and Traditional.

What a viewer would see is asserted from bounding boxes: a photo covers at least 85% of the
screen in one direction over a blurred copy of itself, a person without a portrait gets a panel
as large as a portrait's, every line of text is inside the safe area and at least 3.5% of the
screen height, nothing is clipped, a text is shortened only when even the smallest size cannot
hold it (then after a clause, and the QR label says so), and the page asks for nothing that is
not there. Set BULLETIN_SCREEN_SHOTS=<folder> to keep a screenshot of each slide kind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin import screen
from helpers_screen import CHECK_LAYOUT, SITE_URL, build, people

pytestmark = pytest.mark.browser

DAYTIME = "now=2026-11-29T14:05:00"
SIZES = {"16x9": (1920, 1080), "9x16": (1080, 1920), "5x4": (1280, 1024), "21x9": (2560, 1080)}
BREAKS = "。！？；，、：!?;,:"
MORE = "……"
# Every kind of slide the fixture site has, as the test tells them apart.
KINDS = {"plan", "notice", "person", "person-no-portrait", "photo-landscape", "photo-portrait", "photo-wide"}

MEASURE = """(breaks) => {
  const W = innerWidth, H = innerHeight, stage = document.getElementById('stage');
  const unit = parseFloat(stage.style.getPropertyValue('--u'));
  const data = JSON.parse(document.getElementById('screen-data').textContent);
  const st = bulletinScreen.state();
  const slide = data.slides.find((s) => s.id === st.id);
  const section = document.querySelector('.slide.active');
  const out = {id: st.id, kind: st.kind, mode: st.photoMode, photo: null, panel: null, unsafe: [], clipped: [],
               shortened: [], points: null, label: document.getElementById('qr-label').textContent,
               labels: [data.labels.qr, data.labels.qr_more], hasImage: !!slide.image};
  const overflows = (el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
  const name = (el) => el.tagName.toLowerCase() + '.' + el.className + '[' + (el.getAttribute('data-field') || '') + ']';

  if (st.kind === 'photo') {
    const img = section.querySelector('.photo-main'), b = img.getBoundingClientRect();
    const k = Math.min(b.width / img.naturalWidth, b.height / img.naturalHeight);  // object-fit: contain
    const fill = section.querySelector('.photo-fill img'), f = section.querySelector('.photo-fill').getBoundingClientRect();
    const fb = fill.getBoundingClientRect();
    out.photo = {x: img.naturalWidth * k / W, y: img.naturalHeight * k / H, fit: getComputedStyle(img).objectFit,
                 natural: [img.naturalWidth, img.naturalHeight], sameImage: fill.currentSrc === img.currentSrc && !!img.currentSrc,
                 blurred: /blur\\(/.test(getComputedStyle(fill).filter),
                 fillCovers: f.left <= 0.5 && f.top <= 0.5 && f.right >= W - 0.5 && f.bottom >= H - 0.5
                             && fb.left <= 0.5 && fb.top <= 0.5 && fb.right >= W - 0.5 && fb.bottom >= H - 0.5};
  }
  if (st.kind === 'person') {
    const panel = [...section.querySelectorAll('.panel')].find((p) => getComputedStyle(p).display !== 'none');
    const r = panel.getBoundingClientRect();
    out.panel = {cls: panel.className, x: r.width / W, y: r.height / H, rect: [r.left, r.top, r.width, r.height].map(Math.round)};
  }

  // Every line of text on screen: inside the safe area, not clipped by any box it is in.
  const safe = 0.02 * Math.min(W, H);
  const clips = (el) => { const found = [];
    for (let a = el; a && a !== stage; a = a.parentElement) if (getComputedStyle(a).overflow !== 'visible') found.push(a);
    return found; };
  for (const el of stage.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('[hidden]') || (el.closest('.slide') && !el.closest('.slide.active'))) continue;
    if (el.closest('.night')) continue;
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const slack = parseFloat(cs.fontSize) * 0.1, boxes = clips(el).map((a) => a.getBoundingClientRect());
      for (const line of range.getClientRects()) {
        if (line.width < 1) continue;
        if (boxes.some((c) => line.left < c.left - slack || line.top < c.top - slack || line.right > c.right + slack || line.bottom > c.bottom + slack))
          out.clipped.push([name(el), node.textContent.slice(0, 12), 'line outside its box', [line.left, line.top, line.right, line.bottom].map(Math.round)]);
        if (line.left < safe - 0.5 || line.top < safe - 0.5 || line.right > W - safe + 0.5 || line.bottom > H - safe + 0.5)
          out.unsafe.push([name(el), node.textContent.slice(0, 12), [line.left, line.top, line.right, line.bottom].map(Math.round)]);
      }
      if (cs.display !== 'inline' && (cs.overflow !== 'visible' && overflows(el) || el.classList.contains('clamped')))
        out.clipped.push([name(el), el.textContent.slice(0, 12), el.scrollHeight, el.clientHeight]);
    }
  }

  // A fitted text that is not shown in full: it must not have fitted, even at the smallest size.
  const firstClause = (text) => { for (let i = 4; i < text.length; i++) if (breaks.includes(text[i])) return i; return -1; };
  const tryText = (el, text) => { const was = el.textContent; el.textContent = text; const over = overflows(el); el.textContent = was; return over; };
  for (const el of section.querySelectorAll('.fit[data-field]')) {
    const field = el.getAttribute('data-field'), shown = el.textContent;
    const full = (field === 'caption' && st.kind === 'photo' ? slide.caption || slide.title : slide[field]) || '';
    if (shown === full) continue;
    const head = shown.endsWith('\u2026\u2026') ? shown.slice(0, -2) : null;
    const entry = {field: el.getAttribute('data-field'), full, shown, size: parseFloat(getComputedStyle(el).fontSize) / unit,
                   min: parseFloat(el.getAttribute('data-min'))};
    if (head !== null && full.startsWith(head)) {
      entry.atClause = breaks.includes(full[head.length]);
      let next = head.length + 1;
      while (next < full.length && !breaks.includes(full[next])) next++;
      entry.longerFits = !tryText(el, next < full.length ? full.slice(0, next) + '\u2026\u2026' : full);
      const first = firstClause(full);
      entry.noClauseFits = first < 0 || tryText(el, full.slice(0, first) + '\u2026\u2026');
    }
    out.shortened.push(entry);
  }

  // A plan's headings: any left out or cut only when all of them in full overflow at the smallest size.
  const list = section.querySelector('.points');
  if (list) {
    const items = [...list.querySelectorAll('li:not(.room)')], points = slide.points || [];
    const shownPoints = items.filter((li) => li.textContent && getComputedStyle(li).display !== 'none').map((li) => li.textContent);
    out.points = {shown: shownPoints, full: points, size: parseFloat(getComputedStyle(list).fontSize) / unit};
    if (shownPoints.length !== points.length || shownPoints.some((p, i) => p !== points[i])) {
      const saved = items.map((li) => [li.textContent, li.style.display]), size = list.style.fontSize, cls = list.className;
      items.forEach((li, i) => { li.textContent = points[i] || ''; li.style.display = ''; });
      list.classList.remove('keep');
      list.style.fontSize = parseFloat(list.getAttribute('data-min')) * unit + 'px';
      out.points.fullOverflows = overflows(list);
      items.forEach((li, i) => { li.textContent = saved[i][0]; li.style.display = saved[i][1]; });
      list.style.fontSize = size; list.className = cls;
    }
  }
  return out;
}"""


def category(result: dict) -> str:
    kind = result["kind"]
    if kind == "person":
        return "person" if result["hasImage"] else "person-no-portrait"
    if kind == "photo":
        w, h = result["photo"]["natural"]
        return "photo-portrait" if h > w else "photo-wide" if w / h > 1.6 else "photo-landscape"
    return kind


@pytest.fixture(scope="module")
def layout_site(tmp_path_factory) -> Path:
    from bulletin.script import Converter

    names = [p["name"] for p in people()]
    variants = (screen.Variant(), screen.Variant("zh-Hant", "zh-hk/", Converter("zh-Hant", names=names).html))
    site, _, _ = build(tmp_path_factory.mktemp("layout"), variants=variants)
    return site


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(url: str, width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.errors, page.failed = [], []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("requestfailed", lambda request: page.failed.append(request.url))
        page.on("response", lambda response: page.failed.append(response.url) if response.status >= 400 else None)
        page.goto(url)
        return page

    yield make
    for context in contexts:
        context.close()


def walk(page, shots: str | None, tag: str) -> dict[str, dict]:
    """Pause, then show every slide of one cycle; measure each. Returns {slide id: measurement}."""
    page.wait_for_function("bulletinScreen.state().transitions >= 1")
    page.keyboard.press(" ")
    results: dict[str, dict] = {}
    shot_taken: set[str] = set()
    for _ in range(page.evaluate("bulletinScreen.state().order")):
        before = page.evaluate("bulletinScreen.state().transitions")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"bulletinScreen.state().transitions > {before}")
        page.wait_for_timeout(200)  # the fade (600 ms / speed 4) is over
        result = page.evaluate(MEASURE, BREAKS)
        result["layout"] = page.evaluate(CHECK_LAYOUT)
        results[result["id"]] = result
        kind = category(result)
        if shots and kind not in shot_taken:
            shot_taken.add(kind)
            page.wait_for_timeout(1000)  # without a GPU the fade can lag behind its clock
            page.screenshot(path=str(Path(shots) / f"{tag}-{kind}.png"))
    return results


def check(result: dict, where: str) -> None:
    """Everything a viewer would notice on one slide."""
    what = f"{where} {category(result)} {result['id']}"
    assert result["layout"] == [], (what, result["layout"])
    assert result["unsafe"] == [], (what, "text outside the safe area", result["unsafe"])
    assert result["clipped"] == [], (what, "text clipped", result["clipped"])
    photo = result["photo"]
    if photo:
        assert photo["fit"] == "contain", what  # the whole photo, nothing cropped
        assert max(photo["x"], photo["y"]) >= 0.85, (what, "photo coverage", photo)
        assert photo["sameImage"] and photo["blurred"] and photo["fillCovers"], (what, "no blurred fill of the photo", photo)
    for entry in result["shortened"]:
        assert entry["shown"].endswith(MORE) and "atClause" in entry, (what, entry)
        assert entry["size"] == pytest.approx(entry["min"], abs=0.05), (what, "shortened above the smallest size", entry)
        assert not entry["longerFits"], (what, "shortened more than needed", entry)
        assert entry["atClause"] or entry["noClauseFits"], (what, "cut inside a clause that would have fitted", entry)
    points = result["points"]
    cut = bool(result["shortened"]) or (points is not None and "fullOverflows" in points)
    if points is not None and "fullOverflows" in points:
        assert points["fullOverflows"], (what, "headings cut although all of them fitted", points)
        assert points["shown"], what
        for shown, full in zip(points["shown"], points["full"]):
            if shown != full:
                head = shown.removesuffix(MORE)
                assert shown.endswith(MORE) and full.startswith(head) and full[len(head)] in BREAKS, (what, shown, full)
    assert result["label"] == result["labels"][1 if cut else 0], (what, "the QR label", result["label"])


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_every_slide_kind_uses_the_screen_in_both_scripts(layout_site, open_page, size):
    width, height = SIZES[size]
    shots = os.environ.get("BULLETIN_SCREEN_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    by_script = {}
    for prefix, script in (("", "hans"), ("zh-hk/", "hant")):
        page = open_page((layout_site / prefix / "screen/index.html").as_uri() + f"?speed=4&{DAYTIME}", width, height)
        results = walk(page, shots, f"{script}-{width}x{height}")
        assert {category(r) for r in results.values()} == KINDS
        for result in results.values():
            check(result, f"{script} {width}x{height}")
        panels = {category(r): r["panel"]["rect"] for r in results.values() if r["kind"] == "person"}
        assert panels["person-no-portrait"] == panels["person"], "a card without portrait has the same panel"
        no_portrait = next(r["panel"] for r in results.values() if category(r) == "person-no-portrait")
        assert "emblem" in no_portrait["cls"] and max(no_portrait["x"], no_portrait["y"]) >= 0.85, no_portrait
        assert page.failed == [] and page.errors == [], (page.failed, page.errors)
        by_script[script] = results
    # Traditional text fits as Simplified does: the same texts are shortened, the same headings shown.
    for slide_id, hans in by_script["hans"].items():
        hant = by_script["hant"][slide_id]
        assert [e["field"] for e in hans["shortened"]] == [e["field"] for e in hant["shortened"]], slide_id
        if hans["points"]:
            assert len(hans["points"]["shown"]) == len(hant["points"]["shown"]), slide_id


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_standby_slide_fills_the_screen(tmp_path, open_page, size):
    width, height = SIZES[size]
    conf = screen.settings({}, site_url=SITE_URL, site_name="幸福街道文明宣传栏")
    screen.write(tmp_path / "site", [], conf)
    page = open_page((tmp_path / "site/screen/index.html").as_uri() + f"?{DAYTIME}", width, height)
    page.wait_for_function("bulletinScreen.state().mode === 'standby'")
    page.wait_for_timeout(700)
    assert page.evaluate(CHECK_LAYOUT) == []
    name = page.evaluate("""() => { const n = document.querySelector('.s-standby.active .site-name');
      return {text: n.textContent, size: parseFloat(getComputedStyle(n).fontSize) / innerHeight}; }""")
    assert name["text"] == "幸福街道文明宣传栏" and name["size"] >= 0.045
    assert page.failed == [] and page.errors == []


def test_over_http_the_page_asks_for_nothing_that_is_not_there(layout_site, browser):
    """A browser asks a web server for /favicon.ico unless the page names an icon; the screen
    names an inline one, so a lobby's server log shows no 404 (and no worker fetch fails)."""
    import functools
    import http.server
    import threading

    missing: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_error(self, code, *args, **kwargs):
            missing.append(f"{code} {self.path}")
            super().send_error(code, *args, **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(layout_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None)
        for prefix in ("", "zh-hk/"):
            page.goto(f"http://127.0.0.1:{server.server_port}/{prefix}screen/?speed=20&{DAYTIME}")
            page.wait_for_function("bulletinScreen.state().transitions >= 8", timeout=20000)
            page.wait_for_function("bulletinScreen.state().cached", timeout=30000)  # the worker fetched the bundle
        assert missing == [] and failed == [], (missing, failed)
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def figures(site: Path) -> None:
    """Print photo and panel coverage per slide kind, screen shape and script for a built site:
    python tests/test_screen_layout_browser.py /tmp/screen-site"""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for prefix, script in (("", "zh-Hans"), ("zh-hk/", "zh-Hant")):
            for width, height in SIZES.values():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((site / prefix / "screen/index.html").as_uri() + f"?speed=4&{DAYTIME}")
                seen: dict[str, list[str]] = {}
                for result in walk(page, None, "").values():
                    box = result["photo"] or result["panel"]
                    if box:
                        seen.setdefault(category(result), []).append(f"{box['x']:.2f}x{box['y']:.2f}")
                for kind, boxes in sorted(seen.items()):
                    print(f"{script} {width}x{height} {kind:20} coverage (x by y) {' '.join(sorted(set(boxes)))}")
                page.close()
        browser.close()


if __name__ == "__main__":
    import sys

    figures(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
