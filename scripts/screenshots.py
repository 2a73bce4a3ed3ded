"""`make screenshots`: a gallery of every page kind, in both scripts, on a phone and a desktop,
and the lobby screen in landscape and portrait, with an index page to review at a glance.

Usage: python scripts/screenshots.py [SITE_DIR] [OUT_DIR]   (defaults: site/ and screenshots/)
Needs Debian's chromium and fonts-noto-cjk (Chinese shows as boxes without them).
"""

from __future__ import annotations

import functools
import html
import http.server
import sys
import threading
from pathlib import Path

PAGES = {
    "首页": "", "工作计划列表": "plans/", "工作计划": "plans/plan-19/", "标签": "tags/", "活动相册列表": "albums/",
    "活动相册": "albums/square-gala/", "好人榜": "people/", "好人榜分类": "people/zhuren-weile/",
    "好人榜人物": "people/2026-11-yu-xiulan/", "通知公告": "notices/", "找不到页面": "404.html",
}
VARIANTS = {"简": "", "繁": "zh-hk/"}
SIZES = {"手机": (390, 844), "电脑": (1366, 768)}
SCREENS = {"大屏横屏": (1920, 1080), "大屏竖屏": (1080, 1920)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Lazy photos below the first screen are loaded and decoded before the shot, or a full-page
# shot catches some of them half-loaded.
SHOW_PHOTOS_JS = """() => Promise.all(Array.from(document.images, img => {
  img.loading = 'eager';
  return img.decode().catch(() => null);
}))"""


def serve(directory: Path) -> str:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    server.handle_error = lambda request, address: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/"


def main() -> None:
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}/ 里没有网站，请先运行 make site")
    out.mkdir(parents=True, exist_ok=True)
    base = serve(site)
    shots: list[tuple[str, str, str, str]] = []  # (kind, script, size, file)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size, (width, height) in {**SIZES, **SCREENS}.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            targets = {"大屏": "screen/"} if size in SCREENS else PAGES
            for kind, path in targets.items():
                for script, prefix in VARIANTS.items():
                    page.goto(base + prefix + path)
                    page.wait_for_load_state("networkidle")
                    if size in SIZES:  # a full page shows every photo, as a reader scrolling down sees them
                        page.evaluate(SHOW_PHOTOS_JS)
                    page.wait_for_timeout(300)
                    name = f"{path.strip('/').replace('/', '-').replace('.html', '') or 'home'}-{prefix.strip('/') or 'zh-hans'}-{width}x{height}.png"
                    page.screenshot(path=str(out / name), full_page=size == "手机")
                    shots.append((kind, script, size, name))
            page.close()
        browser.close()
    rows = "\n".join(
        f'<figure><a href="{html.escape(name)}"><img src="{html.escape(name)}" loading="lazy" alt=""></a>'
        f"<figcaption>{html.escape(kind)} · {script} · {size}</figcaption></figure>" for kind, script, size, name in shots)
    (out / "index.html").write_text(f"""<!doctype html>
<html lang="zh-Hans"><meta charset="utf-8"><title>截图一览（{len(shots)} 张）</title>
<style>body{{font-family:sans-serif;margin:1rem}} main{{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:1rem}}
figure{{margin:0}} img{{width:100%;height:320px;object-fit:cover;object-position:top;border:1px solid #ccc}}</style>
<h1>截图一览（{len(shots)} 张）</h1><p>每类页面 × 简繁 × 手机和电脑，以及大屏横竖屏。点图片看原图。</p>
<main>
{rows}
</main></html>
""", encoding="utf-8")
    print(f"已写出 {len(shots)} 张截图和索引页：{out / 'index.html'}")


if __name__ == "__main__":
    main()
