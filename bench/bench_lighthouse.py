"""Lighthouse (mobile) on home, a plan, an album and a profile in both scripts, against a plain
Material site built from the same Markdown, served the same way in the same run.

Each page is measured `--runs` times (median), ours and the peer's in turn, so a busy
moment of this shared machine falls on both. Lighthouse is pinned in bench/lighthouse
(npm) and drives Debian's Chromium.

Usage: python bench/bench_lighthouse.py [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import ROOT, markdown_only, plain_material_config, run_build  # noqa: E402

TOOLS = HERE / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = {"home": "", "plan": "plans/plan-19/", "album": "albums/square-gala/", "profile": "people/2026-11-yu-xiulan/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
NAMES = {"performance": "Performance", "accessibility": "Accessibility", "best-practices": "Best Practices",
         "seo": "SEO"}


def install() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS)], check=True,
                       stdout=subprocess.DEVNULL)


def serve(directory: Path) -> str:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    server.handle_error = lambda request, address: None  # Lighthouse drops connections it no longer needs
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/"


def lighthouse(url: str, out: Path) -> dict[str, float]:
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
                   check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM))
    report = json.loads(out.read_text(encoding="utf-8"))
    return {key: report["categories"][key]["score"] * 100 for key in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    install()
    with tempfile.TemporaryDirectory(prefix="bench-lh-") as tmp:
        work = Path(tmp)
        ours, peer = work / "ours", work / "peer"
        run_build(ROOT / "mkdocs.yml", ours)
        docs = work / "peer-docs"
        markdown_only(ROOT / "site_src", docs)
        run_build(plain_material_config(docs, work), peer)
        ours_url, peer_url = serve(ours), serve(peer)
        scores: dict[tuple[str, str], list[dict[str, float]]] = {}
        for run in range(args.runs):
            for kind, path in PAGES.items():
                for who, url in (("简", ours_url + path), ("繁", ours_url + "zh-hk/" + path),
                                 ("peer", peer_url + path)):
                    scores.setdefault((kind, who), []).append(lighthouse(url, work / "report.json"))
        for kind in PAGES:
            peer_scores = {c: statistics.median(s[c] for s in scores[(kind, "peer")]) for c in CATEGORIES}
            for who in ("简", "繁"):
                mine = {c: statistics.median(s[c] for s in scores[(kind, who)]) for c in CATEGORIES}
                for category in CATEGORIES:
                    ratio = mine[category] / peer_scores[category] if peer_scores[category] else float("nan")
                    print(f"| Lighthouse mobile, {kind} ({who}), {NAMES[category]}, median of {args.runs} "
                          f"| {mine[category]:.0f} | {peer_scores[category]:.0f} | {ratio:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
