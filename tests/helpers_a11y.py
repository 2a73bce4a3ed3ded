"""axe-core and the Nu Html Checker (vnu), pinned in tests/a11y/package.json.

`.ci/run` installs them with `npm ci` into tests/a11y/node_modules. Outside CI a missing
checker skips its tests; in CI (CI set) it fails them.

Run as a script to measure a built site: `python tests/helpers_a11y.py SITE_DIR` prints the
vnu errors (all, and those not known to come from Material) and the axe violations over
every page kind of both variants at phone and desktop width.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent / "a11y" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = [(390, 844), (1366, 768)]
VARIANTS = ["", "zh-hk/"]
# One page of every kind on the sample site (the search results are opened on the home page).
PAGE_KINDS = {
    "home": "",
    "plans index": "plans/",
    "plan": "plans/plan-01/",
    "tags": "tags/",
    "albums index": "albums/",
    "album": "albums/weekend-cleanup/",
    "people index": "people/",
    "people category": "people/zhuren-weile/",
    "profile": "people/2026-11-yu-xiulan/",
    "notices": "notices/",
    "404": "no-such-page/",
}
SEARCH_QUERY = "志愿"


def require(path: Path, what: str) -> Path:
    """`path` if it exists; else fail in CI and skip elsewhere, saying how to install it."""
    if path.exists():
        return path
    message = f"{what} not found at {path}: run `npm ci --ignore-scripts --prefix tests/a11y`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def java() -> str:
    """The java command; in CI its absence fails, elsewhere it skips."""
    found = shutil.which("java")
    if found:
        return found
    message = "java not found: apt-get install default-jre-headless"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# --- axe ------------------------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN, WCAG_AA)


def describe(violations: list[dict]) -> list[str]:
    """One line per failing element: rule, element and what axe says is wrong."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"{v['id']} {node['target']}: {summary}")
    return lines


def settle(page) -> None:
    """Wait until the page's fonts and transitions are done, so colours are measured as seen."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(250)


def open_search(page, query: str = SEARCH_QUERY) -> None:
    """Open the search box with `/`, type `query` and wait for its results."""
    page.keyboard.press("/")
    page.wait_for_function("document.getElementById('__search').checked")
    page.fill("[data-bl-search-query]", query)
    page.wait_for_function("(q) => document.querySelector('[data-bl-search]').dataset.blSearchDone === q",
                           arg=query, timeout=15000)
    page.wait_for_timeout(300)


def open_lightbox(page) -> None:
    """Open the album's first photo in the lightbox and wait until it has zoomed in."""
    page.locator("a.glightbox").first.click()
    page.wait_for_function("(() => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.complete && i.naturalWidth > 0; })()", timeout=10000)
    page.wait_for_timeout(600)


def axe_survey(site_url: str, new_page, viewports=VIEWPORTS) -> dict[str, list[str]]:
    """Every page kind of both variants at both widths, search and lightbox open included.

    `new_page(**context_options)` returns a fresh Playwright page. Returns
    {"<variant><page> WxH": [violation lines]} for the pages that have any.
    """
    found: dict[str, list[str]] = {}
    for width, height in viewports:
        page = new_page(viewport={"width": width, "height": height})
        for prefix in VARIANTS:
            for kind, path in PAGE_KINDS.items():
                page.goto(f"{site_url}{prefix}{path}")
                settle(page)
                found[f"/{prefix}{path} ({kind}) {width}x{height}"] = describe(axe_violations(page))
            page.goto(f"{site_url}{prefix}")
            settle(page)
            open_search(page)
            found[f"/{prefix} (search open) {width}x{height}"] = describe(axe_violations(page))
            page.goto(f"{site_url}{prefix}{PAGE_KINDS['album']}")
            settle(page)
            open_lightbox(page)
            found[f"/{prefix}{PAGE_KINDS['album']} (lightbox open) {width}x{height}"] = describe(axe_violations(page))
    return {where: lines for where, lines in found.items() if lines}


# --- vnu ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Known:
    """An error vnu reports on Material's own markup, which our templates do not write."""

    message: str  # a regular expression matched against vnu's message
    extract: str  # a regular expression matched against the markup vnu quotes
    reason: str


KNOWN = [
    Known(r"^Attribute “autocomplete” is only allowed when the input type is",
          r'<input class="md-toggle"[^>]*type="checkbox"[^>]*autocomplete="off"',
          "Material's base.html puts autocomplete=off on its drawer and search toggle checkboxes "
          "(it stops Firefox restoring their state on back navigation)."),
]


@dataclass(frozen=True)
class VnuError:
    path: str  # relative to the site
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} | {' '.join(self.extract.split())[:160]}"

    def known(self) -> Known | None:
        for known in KNOWN:
            if re.search(known.message, self.message) and re.search(known.extract, self.extract):
                return known
        return None


def vnu_errors(site: Path) -> list[VnuError]:
    """vnu's errors over every HTML file under `site`."""
    done = subprocess.run([java(), "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
                           "--skip-non-html", str(site)], capture_output=True, text=True, timeout=600)
    report = json.loads(done.stderr or done.stdout)
    errors = []
    for message in report["messages"]:
        if message.get("type") != "error":
            continue
        url = message.get("url", "")
        path = url.removeprefix("file:").removeprefix(str(site.resolve())).lstrip("/")
        errors.append(VnuError(path, message.get("lastLine"), message.get("message", ""), message.get("extract", "")))
    return errors


def _main(site: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import CHROMIUM, CHROMIUM_ARGS, Server
    from playwright.sync_api import sync_playwright

    errors = vnu_errors(site)
    pages = len(list(site.rglob("*.html")))
    ours = [e for e in errors if not e.known()]
    print(f"vnu: {len(errors)} errors on {pages} pages ({len(errors) / pages:.2f} a page), "
          f"{len(ours)} not known from Material")
    for error in ours:
        print("  ", error)
    server = Server(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new_page(**options):
            return browser.new_context(**options).new_page()

        found = axe_survey(server.url, new_page)
        browser.close()
    server.close()
    count = sum(len(lines) for lines in found.values())
    rules = sum(len({line.split()[0] for line in lines}) for lines in found.values())
    print(f"axe: {rules} violations (rule × page) and {count} failing elements on {len(found)} of "
          f"{len(VIEWPORTS) * len(VARIANTS) * (len(PAGE_KINDS) + 2)} page views")
    for where, lines in found.items():
        print("  ", where)
        for line in lines:
            print("      ", line)


if __name__ == "__main__":
    import sys

    _main(Path(sys.argv[1]))
