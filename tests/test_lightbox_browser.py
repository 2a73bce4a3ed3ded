"""Every photo opens in the lightbox, in both scripts, and fits the window with its caption."""

from __future__ import annotations

import pytest

VIEWPORTS = [(390, 844), (1366, 768), (1920, 1080)]
FITS = """() => {
  const slide = document.querySelector('.gslide.current');
  const img = slide.querySelector('img');
  const box = img.getBoundingClientRect();
  const desc = slide.querySelector('.gslide-description');
  const text = desc && desc.offsetParent ? desc.getBoundingClientRect() : null;
  return {loaded: img.complete && img.naturalWidth > 0, top: box.top, bottom: box.bottom,
          left: box.left, right: box.right, descBottom: text ? text.bottom : box.bottom,
          width: innerWidth, height: innerHeight};
}"""


def _albums(site):
    return sorted(p.parent.relative_to(site).as_posix() for p in site.glob("albums/*/index.html"))


@pytest.mark.browser
@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_every_photo_opens_and_fits_in_both_scripts(sample_site, serve, page_log, width, height):
    server = serve(sample_site)
    page, _ = page_log(viewport={"width": width, "height": height})
    bad: list[str] = []
    page.on("requestfailed", lambda r: bad.append(r.url))
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    opened = 0
    for prefix in ("", "zh-hk/"):
        for album in _albums(sample_site):
            page.goto(f"{server.url}{prefix}{album}/")
            count = page.locator("a.glightbox").count()
            assert count
            page.locator("a.glightbox").first.click()
            for n in range(count):
                page.wait_for_function("(() => { const i = document.querySelector('.gslide.current img');"
                                       " return i && i.complete && i.naturalWidth > 0; })()", timeout=10000)
                page.wait_for_timeout(450)  # the slide's zoom-in effect
                box = page.evaluate(FITS)
                where = f"{prefix}{album} photo {n + 1}"
                assert box["loaded"], where
                assert box["top"] >= -1 and box["left"] >= -1 and box["right"] <= box["width"] + 1, (where, box)
                assert box["bottom"] <= box["height"] + 1 and box["descBottom"] <= box["height"] + 1, (where, box)
                opened += 1
                if n + 1 < count:
                    page.keyboard.press("ArrowRight")
                    page.wait_for_timeout(500)
            page.keyboard.press("Escape")
            page.wait_for_selector(".glightbox-container", state="detached")
    assert opened >= 20
    assert bad == []


PAGE_KINDS = ["", "plans/", "plans/plan-01/", "albums/", "albums/weekend-cleanup/", "people/",
              "people/2026-11-yu-xiulan/", "people/zhuren-weile/", "notices/", "tags/", "screen/",
              "no-such-page/"]


@pytest.mark.browser
def test_every_page_kind_of_both_variants_loads_with_no_failed_request(sample_site, serve, page_log):
    server = serve(sample_site)
    failures: list[str] = []
    for prefix in ("", "zh-hk/"):
        for kind in PAGE_KINDS:
            page, _ = page_log(viewport={"width": 390, "height": 844})
            page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
            page.on("response", lambda r, kind=kind: failures.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/no-such-page/") else None)
            page.goto(f"{server.url}{prefix}{kind}", wait_until="load")
            page.wait_for_timeout(300)  # the favicon is asked for after load
            page.close()
    assert failures == []
