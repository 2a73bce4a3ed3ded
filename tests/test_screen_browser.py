"""The lobby screen in real Chromium: layout in both orientations, QR codes, file:// offline,
updates over http with the server going away and coming back, and a 2,000-slide soak."""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import threading
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bulletin import screen
from helpers_screen import CHECK_LAYOUT, LONG_TITLE, SITE_URL, build

pytestmark = pytest.mark.browser

KINDS = {"person", "photo", "plan", "notice", "honor_roll", "album"}
DAYTIME = "now=2026-11-29T14:05:00"
VIEWPORTS = [{"width": 1920, "height": 1080}, {"width": 1080, "height": 1920}]

SLIDE_OF = """(id) => JSON.parse(document.getElementById('screen-data').textContent).slides.find((s) => s.id === id)"""


def state(page) -> dict:
    return page.evaluate("bulletinScreen.state()")


def decode_element(page, selector: str) -> str:
    shot = page.locator(selector).screenshot()
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert results, f"no QR code readable in {selector}"
    return results[0].text


def paused_on(page, site: Path, wanted):
    """`page` with the screen open, paused, stepped on to the first slide `wanted(state)` accepts."""
    page.goto((site / "screen/index.html").as_uri() + f"?speed=4&{DAYTIME}")
    page.wait_for_function("bulletinScreen.state().transitions >= 1")
    page.keyboard.press(" ")
    for _ in range(state(page)["order"]):
        if wanted(step(page)):
            break
    return page


def step(page, key: str = "ArrowRight") -> dict:
    before = state(page)["transitions"]
    page.keyboard.press(key)
    page.wait_for_function(f"bulletinScreen.state().transitions > {before}")
    page.wait_for_timeout(250)  # the fade (600 ms / speed) is over
    return state(page)


@pytest.fixture(scope="module")
def screen_site(tmp_path_factory) -> tuple[Path, list[dict]]:
    site, slides, _ = build(tmp_path_factory.mktemp("screen"))
    return site, slides


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["landscape", "portrait"])
def test_every_slide_fits_reads_from_three_metres_and_has_a_working_qr(screen_site, new_page, viewport):
    site, slides = screen_site
    page = new_page(viewport=viewport)
    page.context.set_offline(True)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "screen/index.html").as_uri() + f"?speed=4&{DAYTIME}")
    page.wait_for_function("bulletinScreen.state().transitions >= 1")
    page.keyboard.press(" ")
    order = state(page)["order"]
    decoded = {}
    seen = set()
    kinds = set()
    for _ in range(order):
        current = step(page)
        assert current["mode"] == "slides" and current["paused"]
        problems = page.evaluate(CHECK_LAYOUT)
        assert problems == [], (current["id"], problems)
        seen.add(current["id"])
        kinds.add(current["kind"])
        if current["kind"] not in decoded:
            decoded[current["kind"]] = (decode_element(page, "#qr"), page.evaluate(SLIDE_OF, current["id"])["link"])
    assert kinds == KINDS
    assert seen == {s["id"] for s in slides}  # one full cycle shows every slide
    for kind, (found, expected) in decoded.items():
        assert found == expected and found.startswith(SITE_URL), kind
    assert all(url.startswith("file:") for url in requests), [u for u in requests if not u.startswith("file:")]
    assert page.errors == []


def slide_id(slides: list[dict], **fields) -> str:
    """The id of the slide whose fields have these values (ids are made elsewhere; never guess them)."""
    return next(s["id"] for s in slides if all(str(s.get(k) or "").startswith(v) for k, v in fields.items()))


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["landscape", "portrait"])
def test_200_character_title_is_fitted_or_shortened_after_a_clause(screen_site, new_page, viewport):
    """Too long even at the smallest size: the title ends after a clause with "……", and the QR label
    says the full text is a scan away; it is never cut inside a word or hidden under the meta line."""
    site, slides = screen_site
    wanted = slide_id(slides, url="plans/plan-02/")
    page = paused_on(new_page(viewport=viewport), site, lambda current: current["id"] == wanted)
    title = page.evaluate("""() => { const t = document.querySelector('.s-plan.active .title');
      const r = t.getBoundingClientRect(), m = document.querySelector('.s-plan.active .meta').getBoundingClientRect();
      return {text: t.textContent, clamped: t.classList.contains('clamped'), scroll: t.scrollHeight,
              client: t.clientHeight, bottom: r.bottom, metaTop: m.top, size: parseFloat(getComputedStyle(t).fontSize),
              label: document.getElementById('qr-label').textContent}; }""")
    unit = state(page)["unit"]
    assert title["bottom"] <= title["metaTop"] + 0.5
    assert not title["clamped"] and title["scroll"] <= title["client"] + 1
    assert title["text"] != LONG_TITLE  # 200 characters do not fit at the smallest size
    head = title["text"].removesuffix("……")
    assert title["text"].endswith("……") and LONG_TITLE.startswith(head) and LONG_TITLE[len(head)] in "，、；。"
    assert len(head) >= 10 and title["size"] == pytest.approx(4.2 * unit, abs=0.5)
    assert title["label"] == "扫码看全文"
    # The next clause would not have fitted: the title was shortened no more than it had to be.
    longer = next(i for i in range(len(head) + 1, len(LONG_TITLE)) if LONG_TITLE[i] in "，、；。")
    assert page.evaluate("""(text) => { const t = document.querySelector('.s-plan.active .title'), was = t.textContent;
      t.textContent = text; const over = t.scrollHeight > t.clientHeight + 1; t.textContent = was; return over; }""",
                         LONG_TITLE[:longer] + "……")
    assert page.evaluate(CHECK_LAYOUT) == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["landscape", "portrait"])
def test_a_persons_month_and_community_show_in_full(screen_site, new_page, viewport):
    """Beside the portrait the column is narrow in portrait: the meta line must not end in "…"."""
    site, _ = screen_site
    page = paused_on(new_page(viewport=viewport), site, lambda current: current["kind"] == "person")
    meta = page.evaluate("""() => { const m = document.querySelector('.s-person.active .meta');
      const spans = [...m.querySelectorAll('span')].filter((s) => s.textContent);
      return {text: spans.map((s) => s.textContent), cut: m.scrollWidth > m.clientWidth + 1
              || spans.some((s) => getComputedStyle(s).display !== 'inline' && s.scrollWidth > s.clientWidth + 1)}; }""")
    assert len(meta["text"]) == 2 and all(meta["text"])  # month and community
    assert not meta["cut"], meta


def test_advances_by_itself_and_keyboard_moves_and_pauses(screen_site, new_page):
    site, _ = screen_site
    page = new_page(viewport=VIEWPORTS[0])
    page.goto((site / "screen/index.html").as_uri() + f"?speed=20&{DAYTIME}")
    page.wait_for_function("bulletinScreen.state().transitions >= 4", timeout=15000)
    page.keyboard.press(" ")
    paused = state(page)
    assert paused["paused"] and page.locator("#paused").is_visible()
    page.wait_for_timeout(2000)  # longer than any dwell at speed 20
    assert state(page)["transitions"] == paused["transitions"]
    forward = step(page, "ArrowRight")
    back = step(page, "ArrowLeft")
    assert forward["pos"] == (paused["pos"] + 1) % paused["order"] and back["id"] == paused["id"]
    assert back["paused"]
    page.keyboard.press(" ")
    page.wait_for_function(f"bulletinScreen.state().transitions > {back['transitions'] + 2}", timeout=10000)
    assert page.errors == []


def test_forced_portrait_on_a_landscape_output_turns_the_stage(tmp_path, new_page):
    site, _, _ = build(tmp_path, config={"orientation": "portrait"})
    page = new_page(viewport=VIEWPORTS[0])
    page.goto((site / "screen/index.html").as_uri() + f"?speed=4&{DAYTIME}")
    page.wait_for_function("bulletinScreen.state().transitions >= 1")
    page.keyboard.press(" ")
    assert page.evaluate("document.getElementById('stage').classList.contains('portrait-layout')")
    assert state(page)["unit"] == pytest.approx(19.2)
    for _ in range(state(page)["order"]):
        current = step(page)
        assert page.evaluate(CHECK_LAYOUT) == [], current["id"]


def test_a_photo_that_fails_to_load_is_skipped(tmp_path, new_page):
    site, slides, _ = build(tmp_path)
    (site / "media/albums/spring/IMG_0001.screen.jpg").unlink()
    page = new_page(viewport=VIEWPORTS[0])
    page.goto((site / "screen/index.html").as_uri() + f"?speed=40&{DAYTIME}")
    shown = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and state(page)["cycles"] < 2:
        current = state(page)
        shown.add(current["id"])
        if current["kind"] == "photo":
            assert page.evaluate("document.querySelector('.s-photo img').naturalWidth") > 0
        page.wait_for_timeout(40)
    assert state(page)["cycles"] >= 2
    assert slide_id(slides, image="media/albums/spring/IMG_0001") not in shown
    assert slide_id(slides, image="media/albums/spring/IMG_0002") in shown
    assert slide_id(slides, image="media/albums/autumn/IMG_0100") in shown


def test_empty_playlist_shows_the_standby_slide(tmp_path, new_page):
    conf = screen.settings({}, site_url=SITE_URL, site_name="幸福街道文明宣传栏")
    screen.write(tmp_path / "site", [], conf)
    for viewport in VIEWPORTS:
        page = new_page(viewport=viewport)
        page.goto((tmp_path / "site/screen/index.html").as_uri() + f"?{DAYTIME}")
        page.wait_for_function("bulletinScreen.state().mode === 'standby'")
        page.wait_for_timeout(700)
        assert page.locator(".s-standby.active .site-name").inner_text() == "幸福街道文明宣传栏"
        assert decode_element(page, "#qr") == SITE_URL
        assert page.evaluate(CHECK_LAYOUT) == []
        assert page.locator("#clock-time").inner_text() == "14:05"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["landscape", "portrait"])
def test_outside_on_hours_only_a_dim_clock(screen_site, new_page, viewport):
    site, _ = screen_site
    page = new_page(viewport=viewport)
    page.goto((site / "screen/index.html").as_uri() + "?now=2026-11-29T23:30:00")
    page.wait_for_function("bulletinScreen.state().mode === 'night'")
    visible = page.evaluate("""() => [...document.querySelectorAll('#stage *')].filter((el) =>
        [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
        && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[hidden]')
        && el.getBoundingClientRect().width > 0).map((el) => el.textContent.trim())""")
    assert visible == ["23:30", "2026年11月29日 星期日"]
    assert page.evaluate(CHECK_LAYOUT) == []
    assert state(page)["transitions"] == 0


def test_static_elements_shift_a_few_pixels_over_time(screen_site, new_page):
    site, _ = screen_site
    page = new_page(viewport=VIEWPORTS[0])
    page.goto((site / "screen/index.html").as_uri() + f"?speed=1000&{DAYTIME}")
    offsets = set()
    for _ in range(20):
        offsets.add(page.evaluate("getComputedStyle(document.querySelector('.bar')).transform"))
        page.wait_for_timeout(60)
    moves = [tuple(float(v) for v in re.findall(r"-?[\d.]+", m)[4:6]) for m in offsets if m != "none"]
    assert len(offsets) >= 3
    assert all(abs(x) <= 4 and abs(y) <= 4 for x, y in moves)


# Over http ------------------------------------------------------------------------------

class Server:
    """A static server that can be stopped and started again on the same port with another site."""

    def __init__(self) -> None:
        self.port = 0
        self.httpd: http.server.ThreadingHTTPServer | None = None
        self.requests: list[str] = []

    def start(self, directory: Path) -> str:
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                outer.requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port),
                                                     functools.partial(Handler, directory=str(directory)))
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


@pytest.fixture
def server():
    instance = Server()
    yield instance
    instance.stop()


NEW_NOTICE = "- 新版通知：本周六上午社区开展义诊活动。\n"


def watch_navigations(page) -> list[str]:
    """The URL of every navigation of the main frame (an error page would be chrome-error://…)."""
    seen: list[str] = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)
    return seen


def wait_for_text(page, selector: str, text: str, timeout: float) -> None:
    page.wait_for_function("([s, t]) => [...document.querySelectorAll(s)].some((e) => e.textContent.includes(t))",
                           arg=[selector, text], timeout=timeout)


def test_http_survives_the_server_going_away_and_switches_to_a_new_build(tmp_path, new_page, server):
    site_a, _, versions_a = build(tmp_path / "a")
    url = server.start(site_a) + f"screen/?speed=20&check=1&{DAYTIME}"
    page = new_page(viewport=VIEWPORTS[0])
    navigations = watch_navigations(page)
    page.goto(url)
    page.wait_for_function("bulletinScreen.state().cached", timeout=30000)
    assert state(page)["worker"] and state(page)["version"] == versions_a[""]

    server.stop()
    before = state(page)["transitions"]
    kinds = set()
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        current = state(page)
        kinds.add(current["kind"])
        if current["kind"] == "photo":
            assert page.evaluate("document.querySelector('.s-photo img').naturalWidth") > 0
        page.wait_for_timeout(100)
    assert state(page)["transitions"] >= before + 8 and KINDS <= kinds

    page.reload()  # the box restarts its browser while the network is still down
    page.wait_for_function("bulletinScreen.state().transitions >= 3", timeout=15000)
    assert state(page)["version"] == versions_a[""]

    site_b, _, versions_b = build(tmp_path / "b", notices_text=NEW_NOTICE)
    assert versions_b[""] != versions_a[""]
    server.requests.clear()
    server.start(site_b)
    page.wait_for_function(f"bulletinScreen.state().version === '{versions_b['']}'", timeout=30000)
    wait_for_text(page, ".s-notice.active .notice-text", "新版通知", timeout=20000)

    assert navigations == [url] * 3, navigations  # first visit, the restart, the switch; no error page
    assert page.locator("#stage").count() == 1
    assert "/screen/bundle.json" in server.requests
    assert not any(r.startswith("/media/") for r in server.requests), "unchanged photos were fetched again"
    assert not any("speed=" in r for r in server.requests), "the switch was not served from the cache"
    assert page.errors == []


def test_http_without_a_service_worker_swaps_the_new_build_in_place(tmp_path, new_page, server):
    site_a, _, versions_a = build(tmp_path / "a")
    url = server.start(site_a) + f"screen/?speed=20&check=1&{DAYTIME}"
    page = new_page(viewport=VIEWPORTS[1], service_workers="block")
    navigations = watch_navigations(page)
    page.goto(url)
    page.wait_for_function("bulletinScreen.state().transitions >= 2")
    assert not state(page)["worker"]  # no service worker controls the page
    server.stop()
    page.wait_for_timeout(2500)  # checks fail quietly while the server is away
    site_b, _, versions_b = build(tmp_path / "b", notices_text=NEW_NOTICE)
    server.start(site_b)
    page.wait_for_function(f"bulletinScreen.state().version === '{versions_b['']}'", timeout=30000)
    wait_for_text(page, ".s-notice.active .notice-text", "新版通知", timeout=20000)
    assert state(page)["updates"] == 1
    assert navigations == [url]  # never navigated again
    assert page.errors == []


# Soak and figures -----------------------------------------------------------------------

NOT_PAGE_OBJECTS = {"code", "native", "hidden", "synthetic"}


def js_object_bytes(cdp) -> int:
    """Bytes held by the page's own JavaScript values (objects, arrays, closures, strings, shapes)
    in a heap snapshot taken after garbage collection. JSHeapUsedSize also counts compiled code,
    which grows as V8 optimises, and the browser's own bounded buffers (performance timeline
    entries, DevTools network records); those say nothing about a leak in the screen's code."""
    cdp.send("HeapProfiler.collectGarbage")
    chunks: list[str] = []

    def collect(event):
        chunks.append(event["chunk"])

    cdp.on("HeapProfiler.addHeapSnapshotChunk", collect)
    cdp.send("HeapProfiler.takeHeapSnapshot", {"reportProgress": False})
    cdp.remove_listener("HeapProfiler.addHeapSnapshotChunk", collect)
    snapshot = json.loads("".join(chunks))
    fields = snapshot["snapshot"]["meta"]["node_fields"]
    kinds = snapshot["snapshot"]["meta"]["node_types"][0]
    width, kind_at, size_at = len(fields), fields.index("type"), fields.index("self_size")
    nodes = snapshot["nodes"]
    return sum(nodes[i + size_at] for i in range(0, len(nodes), width)
               if kinds[nodes[i + kind_at]] not in NOT_PAGE_OBJECTS)


def metrics_on_first_slide(page, cdp) -> dict:
    """Metrics with the first slide of the playlist on screen, paused there: the node count
    depends on which slide is showing (a plan's points, a person's story), so samples taken
    on different slides cannot be compared."""
    page.evaluate("""() => { const s = bulletinScreen;
        if (!s.state().paused) s.pause();
        for (let i = 0; i < 1000 && s.state().pos !== 0; i++) s.next(); }""")
    page.wait_for_timeout(300)  # the cross-fade's outgoing slide is gone
    assert state(page)["pos"] == 0
    result = {"js_objects": js_object_bytes(cdp)}
    result.update({m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]})
    # Nodes in the document, text included; the Nodes metric above also counts detached
    # nodes the collector has not reached yet, so it moves by a few dozen between samples.
    result["live_nodes"] = page.evaluate("""() => { let n = 0; const w = document.createTreeWalker(document);
        while (w.nextNode()) n++; return n; }""")
    result["elements"] = page.evaluate("document.getElementsByTagName('*').length")
    page.evaluate("bulletinScreen.pause()")  # plays on
    return result


@pytest.mark.slow
def test_soak_2000_transitions_memory_and_dom_stay_flat(screen_site, new_page):
    site, _ = screen_site
    page = new_page(viewport=VIEWPORTS[0])
    page.goto((site / "screen/index.html").as_uri() + f"?speed=1000&{DAYTIME}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("HeapProfiler.enable")
    order = state(page)["order"]
    page.wait_for_function(f"bulletinScreen.state().transitions >= {order}", timeout=30000)
    first = metrics_on_first_slide(page, cdp)
    started = time.monotonic()
    page.wait_for_function("bulletinScreen.state().transitions >= 2000", timeout=240000, polling=500)
    elapsed = time.monotonic() - started
    last = metrics_on_first_slide(page, cdp)
    final = state(page)
    print(f"\nSOAK transitions={final['transitions']} cycles={final['cycles']} seconds={elapsed:.1f} "
          f"js_objects={first['js_objects']}->{last['js_objects']}B "
          f"heap_used={first['JSHeapUsedSize'] / 1e6:.3f}->{last['JSHeapUsedSize'] / 1e6:.3f}MB "
          f"live_nodes={first['live_nodes']}->{last['live_nodes']} elements={first['elements']}->{last['elements']} "
          f"listeners={first['JSEventListeners']:.0f}->{last['JSEventListeners']:.0f}")
    assert final["transitions"] >= 2000 and final["mode"] == "slides"
    # The clock's text may differ by a few bytes; anything retained per slide would add up
    # to kilobytes over 2,000 transitions.
    assert last["js_objects"] - first["js_objects"] <= 1024
    # The photo and album slides are reused: the one not showing still holds the last photo's
    # caption and meta line (a place, a date), so the text nodes differ by a few; a leak of
    # one node per slide would add thousands.
    assert abs(last["live_nodes"] - first["live_nodes"]) <= 8
    assert last["elements"] == first["elements"]
    assert last["JSEventListeners"] <= first["JSEventListeners"]
    assert page.errors == []


def test_page_weight_and_time_to_first_slide(screen_site, new_page):
    site, _ = screen_site
    weight = (site / "screen/index.html").stat().st_size
    page = new_page(viewport=VIEWPORTS[0])
    page.goto((site / "screen/index.html").as_uri() + f"?{DAYTIME}")
    page.wait_for_function("bulletinScreen.state().firstShown > 0")
    first = state(page)["firstShown"]
    slides = len(json.loads((site / "screen/bundle.json").read_text())["files"]) - 1
    print(f"\nFIGURES page_weight_without_photos={weight} bytes ({weight / 1024:.1f} KiB) "
          f"photos={slides} time_to_first_slide={first:.0f} ms")
    assert weight < 150_000
    assert first < 3000
