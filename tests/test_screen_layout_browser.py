"""The lobby screen's layouts in real Chromium, measured: every slide kind on four screen shapes
(16:9, 9:16 portrait, 5:4 and 21:9), in Simplified and Traditional.

What a viewer would see is asserted from bounding boxes: a photo, and an album's mosaic, covers
at least 85% of the screen in one direction over a blurred copy of itself; a person without a
portrait gets a panel as large as a portrait's; a month's honor roll shows every member's name in
full and large, a portrait exactly where the member has one, its cards filling their grid; every
line of text is inside the safe area and at least 3.5% of the screen height, nothing is clipped,
a text is shortened only when even the smallest size cannot hold it (then after a clause, and the
QR label says so), and left out only when not even its first clause fits; the page asks for
nothing that is not there. Set BULLETIN_SCREEN_SHOTS=<folder> to keep a screenshot of each slide kind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin import screen
from bulletin.variants import Variant
from helpers_screen import CHECK_LAYOUT, SITE_URL, TODAY, build, people, person, site_model

pytestmark = pytest.mark.browser

DAYTIME = "now=2026-11-29T14:05:00"
SIZES = {"16x9": (1920, 1080), "9x16": (1080, 1920), "5x4": (1280, 1024), "21x9": (2560, 1080)}
BREAKS = "。！？；，、：!?;,:"
MORE = "……"
# Every kind of slide the fixture site has, as the test tells them apart.
KINDS = {"plan", "notice", "person", "person-no-portrait", "photo-landscape", "photo-portrait", "photo-wide",
         "honor-roll", "album-mosaic", "album-one-photo"}
STORY_ROOM = 24  # a member's story is shown only in a card whose texts have this much height (in %)

MEASURE = """(breaks) => {
  const W = innerWidth, H = innerHeight, stage = document.getElementById('stage');
  const unit = parseFloat(stage.style.getPropertyValue('--u'));
  const data = JSON.parse(document.getElementById('screen-data').textContent);
  const st = bulletinScreen.state();
  const slide = data.slides.find((s) => s.id === st.id);
  const section = document.querySelector('.slide.active');
  const out = {id: st.id, kind: st.kind, mode: st.photoMode, photo: null, panel: null, unsafe: [], clipped: [],
               shortened: [], omitted: [], points: null, mosaic: null, roll: null, label: document.getElementById('qr-label').textContent,
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

  const union = (rects) => rects.length ? {left: Math.min(...rects.map((r) => r.left)), top: Math.min(...rects.map((r) => r.top)),
    right: Math.max(...rects.map((r) => r.right)), bottom: Math.max(...rects.map((r) => r.bottom))} : null;
  const overlapping = (rects) => rects.some((a, i) => rects.some((b, j) => j > i
    && Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1));
  const within = (r, box) => r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
  if (st.kind === 'album') {
    const box = section.querySelector('.mosaic').getBoundingClientRect();
    const tiles = [...section.querySelectorAll('.mosaic img')].filter((t) => getComputedStyle(t).display !== 'none');
    const rects = tiles.map((t) => t.getBoundingClientRect()), u = union(rects);
    const fill = section.querySelector('.photo-fill img'), fb = fill.getBoundingClientRect();
    out.mosaic = {x: (u.right - u.left) / W, y: (u.bottom - u.top) / H, tiles: tiles.length, images: slide.images.length,
                  filled: rects.reduce((a, r) => a + r.width * r.height, 0) / (box.width * box.height),
                  overlap: overlapping(rects), inside: rects.every((r) => within(r, box)),
                  loaded: tiles.every((t) => t.complete && t.naturalWidth > 0), cover: tiles.every((t) => getComputedStyle(t).objectFit === 'cover'),
                  shown: tiles.map((t) => t.getAttribute('src')), wanted: slide.images.map((i) => data.base + i),
                  blurred: /blur\\(/.test(getComputedStyle(fill).filter) && fill.getAttribute('src') === data.base + slide.images[0],
                  fillCovers: fb.left <= 0.5 && fb.top <= 0.5 && fb.right >= W - 0.5 && fb.bottom >= H - 0.5};
  }
  if (st.kind === 'honor_roll') {
    const grid = section.querySelector('.roll-grid').getBoundingClientRect();
    const cards = [...section.querySelectorAll('.member')].filter((c) => getComputedStyle(c).display !== 'none');
    const rects = cards.map((c) => c.getBoundingClientRect()), u = union(rects);
    out.roll = {names: cards.map((c) => c.querySelector('.m-name').textContent), members: slide.members.map((m) => m.name),
                nameSizes: cards.map((c) => parseFloat(getComputedStyle(c.querySelector('.m-name')).fontSize) / unit),
                // the name is the largest text of its card (the category on an emblem aside)
                nameLargest: cards.every((c) => { const name = parseFloat(getComputedStyle(c.querySelector('.m-name')).fontSize);
                  return [...c.querySelectorAll('.m-text > *')].every((t) => getComputedStyle(t).display === 'none'
                    || !t.textContent || parseFloat(getComputedStyle(t).fontSize) <= name); }),
                portraits: cards.map((c) => { const img = c.querySelector('.m-photo img');
                  return getComputedStyle(img).display !== 'none' && img.complete && img.naturalWidth > 0 ? img.getAttribute('src') : null; }),
                wanted: slide.members.map((m) => m.image ? data.base + m.image : null),
                emblems: cards.map((c) => getComputedStyle(c.querySelector('.m-emblem')).display !== 'none'),
                photoSizes: cards.map((c) => { const r = c.querySelector('.m-photo').getBoundingClientRect(); return [r.width / unit, r.height / unit]; }),
                x: (u.right - u.left) / W, y: (u.bottom - u.top) / H,
                gridX: (u.right - u.left) / grid.width, gridY: (u.bottom - u.top) / grid.height,
                overlap: overlapping(rects), inside: rects.every((r) => within(r, grid))};
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
  const cards = [...section.querySelectorAll('.member')];
  for (const el of section.querySelectorAll('.fit[data-field], .fit[data-member]')) {
    const card = el.closest('.member');
    if (card && getComputedStyle(card).display === 'none') continue;
    const field = el.getAttribute('data-field') || el.getAttribute('data-member'), shown = el.textContent;
    const source = card ? slide.members[cards.indexOf(card)] : slide;
    const full = (field === 'caption' && st.kind === 'photo' ? slide.caption || slide.title : source[field]) || '';
    if (shown === full) continue;
    if (getComputedStyle(el).display === 'none') {
      // Left out: honest only if not even the first clause fits at the smallest size (or, for a
      // member's story, the card has no room for a story at all).
      const first = firstClause(full), text = first < 0 ? full : full.slice(0, first) + '\u2026\u2026';
      const room = card ? card.querySelector('.m-text').clientHeight / unit : null;
      const was = [el.style.display, el.style.fontSize, el.textContent];
      el.style.display = ''; el.style.fontSize = parseFloat(el.getAttribute('data-min')) * unit + 'px'; el.textContent = text;
      out.omitted.push({field, full, room, firstFits: !overflows(el) && el.clientHeight >= parseFloat(el.getAttribute('data-min')) * unit * 1.4});
      [el.style.display, el.style.fontSize, el.textContent] = was;
      continue;
    }
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
    if kind == "honor_roll":
        return "honor-roll"
    if kind == "album":
        return "album-mosaic" if result["mosaic"]["images"] > 1 else "album-one-photo"
    if kind == "person":
        return "person" if result["hasImage"] else "person-no-portrait"
    if kind == "photo":
        w, h = result["photo"]["natural"]
        return "photo-portrait" if h > w else "photo-wide" if w / h > 1.6 else "photo-landscape"
    return kind


@pytest.fixture(scope="module")
def layout_site(tmp_path_factory) -> Path:
    from bulletin.script import Converter

    names = [p.name for p in people()]
    variants = ((Variant("zh-Hans"), None), (Variant("zh-Hant", "zh-hk"), Converter("zh-Hant", names=names)))
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
    mosaic = result["mosaic"]
    if mosaic:
        assert max(mosaic["x"], mosaic["y"]) >= 0.85, (what, "mosaic coverage", mosaic)
        assert mosaic["loaded"] and mosaic["cover"] and not mosaic["overlap"] and mosaic["inside"], (what, mosaic)
        assert mosaic["filled"] >= 0.95, (what, "the mosaic's photos leave part of it empty", mosaic)
        assert mosaic["shown"] == mosaic["wanted"][:len(mosaic["shown"])], (what, "photos in the album's order", mosaic)
        assert len(mosaic["shown"]) >= min(mosaic["images"], max(1, mosaic["images"] - 1)), (what, "photos left out", mosaic)
        assert mosaic["blurred"] and mosaic["fillCovers"], (what, "no blurred fill of the cover", mosaic)
    roll = result["roll"]
    if roll:
        assert roll["names"] == roll["members"], (what, "every member's name in full", roll)
        assert roll["nameLargest"], (what, "names large", roll)
        assert roll["portraits"] == roll["wanted"], (what, "a portrait exactly where the member has one", roll)
        assert roll["emblems"] == [w is None for w in roll["wanted"]], (what, roll)
        assert not roll["overlap"] and roll["inside"], (what, roll)
        assert roll["gridX"] >= 0.95 and roll["gridY"] >= 0.95, (what, "the cards fill their grid", roll)
    for entry in result["omitted"]:
        assert not entry["firstFits"] or (entry["room"] is not None and entry["room"] < STORY_ROOM), (what, "left out although it fits", entry)
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


# Months of one, two and three honorees (a month of more is shared out over slides of three): names
# of two to seven characters, with and without portrait, stories short and long.
ROLL = [
    {"slug": "r1", "name": "欧阳明远", "category": "见义勇为", "community": "和平社区", "summary": "跳入冰冷的河水救起落水儿童。"},
    {"slug": "r2", "name": "李娜", "category": "助人为乐", "community": "幸福社区",
     "summary": "组织志愿者为独居老人送餐三年，风雨无阻，" * 3},
    {"slug": "r3", "name": "阿依古丽·买买提", "category": "孝老爱亲", "community": "",
     "summary": "悉心照料瘫痪在床的婆婆二十年。"},
    {"slug": "r4", "name": "钱学敏", "category": "敬业奉献", "community": "幸福街道社区卫生服务中心",
     "summary": "坚守社区卫生服务站二十年。"},
]
ROLL_PORTRAITS = {"r1", "r2", "r4"}


@pytest.fixture(scope="module")
def roll_sites(tmp_path_factory) -> dict[int, Path]:
    from bulletin.script import Converter
    from helpers_screen import jpeg

    sites = {}
    for count in (1, 2, 3):
        site = tmp_path_factory.mktemp(f"roll{count}") / "site"
        members = []
        for fields in ROLL[:count]:
            member = {**fields, "honored": "2026-11"}
            if fields["slug"] in ROLL_PORTRAITS:
                member["portrait"] = f"media/people/{fields['slug']}.jpg"
                jpeg(site / member["portrait"], (600, 800), (100, 80 + 30 * len(members), 60))
            members.append(person(**member))
        conf = screen.settings({"kinds": {kind: 0 for kind in screen.KINDS} | {"honor_roll": 1}}, site_url=SITE_URL,
                               site_name="幸福街道文明宣传栏")
        variants = ((Variant("zh-Hans"), None),
                    (Variant("zh-Hant", "zh-hk"), Converter("zh-Hant", names=[m.name for m in members])))
        screen.write(site, screen.slides(site_model(people=members), conf, today=TODAY), conf, variants)
        sites[count] = site
    return sites


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_honor_roll_of_one_two_or_three_fills_the_screen(roll_sites, open_page, size):
    width, height = SIZES[size]
    shots = os.environ.get("BULLETIN_SCREEN_SHOTS")
    for count, site in roll_sites.items():
        for prefix, script in (("", "hans"), ("zh-hk/", "hant")):
            page = open_page((site / prefix / "screen/index.html").as_uri() + f"?speed=4&{DAYTIME}", width, height)
            (result,) = walk(page, shots, f"roll{count}-{script}-{width}x{height}").values()
            check(result, f"{script} {width}x{height} roll of {count}")
            assert len(result["roll"]["names"]) == count
            assert page.failed == [] and page.errors == [], (page.failed, page.errors)


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
                    box = result["photo"] or result["panel"] or result["mosaic"] or result["roll"]
                    if box:
                        seen.setdefault(category(result), []).append(f"{box['x']:.2f}x{box['y']:.2f}")
                for kind, boxes in sorted(seen.items()):
                    print(f"{script} {width}x{height} {kind:20} coverage (x by y) {' '.join(sorted(set(boxes)))}")
                page.close()
        browser.close()


if __name__ == "__main__":
    import sys

    figures(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
