"""Take screenshots of built pages in Debian's Chromium, to look at what readers see.

Usage: python scripts/screenshot.py SITE_DIR OUT_DIR PATH[@WIDTHxHEIGHT] ...
Serves SITE_DIR on a local port; each PATH (e.g. plans/plan-01/) is shot at 390×844 and
1920×1080 unless a size is given.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main(site: str, out: str, *paths: str) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=site)
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for item in paths:
            path, _, size = item.partition("@")
            sizes = [tuple(map(int, size.split("x")))] if size else [(390, 844), (1920, 1080)]
            for w, h in sizes:
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(base + path)
                page.wait_for_timeout(400)
                name = (path.strip("/").replace("/", "_") or "home") + f"_{w}x{h}.png"
                page.screenshot(path=str(Path(out) / name), full_page=False)
                page.close()
                print(Path(out) / name)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:])
