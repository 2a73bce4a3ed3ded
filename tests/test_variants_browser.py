"""简/繁 in real Chromium: the switch, the remembered choice, the first visit.

Two sites: a small one built here by MkDocs with hooks that call bulletin.script and
bulletin.variants exactly as the plugin does (so the switch is tested on its own), and
the sample site built from the repository's mkdocs.yml.
"""

from __future__ import annotations

import mimetypes
import re
import shutil
import textwrap
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT, SHARED, build_site, foreign_requests

pytestmark = pytest.mark.browser

SITE_URL = "https://bulletin.example.org/"
MATERIAL_HEADER = Path(__import__("material").__file__).parent / "templates" / "partials" / "header.html"

HOOKS = '''
from bulletin.script import HANS, HK, Converter, detect_script, mark, protect_markdown
from bulletin.variants import VariantWriter, as_variants

VARIANTS = as_variants([{"code": "zh-Hans", "prefix": ""},
                        {"code": "zh-HK", "prefix": "zh-hk"}], "zh-Hans")
state = {}


def on_config(config):
    config.extra["bulletin_variants"] = [v.to_extra() for v in VARIANTS]
    return config


def on_pre_build(config):
    state["writer"] = VariantWriter(
        config.site_dir, VARIANTS, "zh-Hans",
        lambda v: Converter(v.code, names=["于秀兰"], prefer=HK), config.site_url)


def on_page_markdown(markdown, page, config, files):
    script = detect_script(markdown, prefer=HK) or HANS
    page.meta["bulletin_script"] = script
    page.meta["title"] = mark(page.title, script)
    return protect_markdown(markdown)


def on_page_content(html, page, config, files):
    script = page.meta["bulletin_script"]
    for item in _walk(page.toc):
        item.title = mark(item.title, script)
    return mark(html, script)


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def on_post_page(output, page, config):
    return state["writer"].page(page.file.dest_uri, output)


def on_post_template(output, template_name, config):
    if template_name == "404.html":
        return state["writer"].page("404.html", output)
    return output


def on_post_build(config):
    state["writer"].finish()
'''


@pytest.fixture(scope="module")
def variant_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("variants")
    docs = root / "docs"
    (docs / "plans").mkdir(parents=True)
    (docs / "assets" / "bulletin").mkdir(parents=True)
    shutil.copy(ROOT / "theme/assets/bulletin/switch.js", docs / "assets/bulletin/switch.js")
    seed = (SHARED / "seed/000_98485ed91a327be3.txt").read_text(encoding="utf-8").splitlines()
    seed_body = "\n\n".join(line for line in seed[2:60] if line.strip())
    (docs / "index.md").write_text("# 首页\n\n欢迎来到幸福街道文明宣传栏。\n", encoding="utf-8")
    (docs / "plans" / "hk.md").write_text(
        "---\ntitle: 街道社區精神文明建設工作計劃\n---\n\n# 街道社區精神文明建設工作計劃\n\n"
        + seed_body + "\n\n## 衞生工作\n\n為了做好衞生工作。\n", encoding="utf-8")
    body = "\n\n".join(f"## 第{n}部分\n\n" + "为了全面做好卫生工作，头发要理好。" * 30 for n in "一二三四五")
    (docs / "plans" / "hans.md").write_text(
        "# 社区工作计划\n\n于秀兰同志表彰。-{后来}-\n\n" + body + "\n", encoding="utf-8")
    theme = root / "theme" / "partials"
    theme.mkdir(parents=True)
    shutil.copy(ROOT / "theme/partials/script-switch.html", theme / "script-switch.html")
    header = MATERIAL_HEADER.read_text(encoding="utf-8")
    marker = '{% if "material/search" in config.plugins %}'
    assert marker in header
    (theme / "header.html").write_text(
        header.replace(marker, '{% include "partials/script-switch.html" %}\n' + marker, 1),
        encoding="utf-8")
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: 幸福街道文明宣传栏
        site_url: https://bulletin.example.org/
        theme:
          name: material
          custom_dir: theme
          language: zh
          font: false
          features: [navigation.instant]
        plugins: []
        hooks: [hooks.py]
        extra_javascript: [assets/bulletin/switch.js]
        """), encoding="utf-8")
    site = root / "site"
    build_site(root / "mkdocs.yml", site)
    return site


def bad_responses(page):
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return bad


def test_switch_goes_to_the_same_page_keeps_anchor_and_is_remembered(variant_site, serve, page_log):
    server = serve(variant_site)
    page, requests = page_log(locale="zh-CN")
    bad = bad_responses(page)
    page.goto(server.url + "plans/hans/", wait_until="networkidle")
    anchor = page.evaluate("document.querySelectorAll('article h2')[2].id")
    assert anchor
    page.goto(server.url + f"plans/hans/#{anchor}", wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    switch = page.locator(".bulletin-switch a[data-variant='zh-HK']")
    assert switch.is_visible() and switch.inner_text() == "繁"
    switch.click()
    page.wait_for_url(server.url + f"zh-hk/plans/hans/#{anchor}", wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-HK"
    assert page.locator("article h1").inner_text() == "社區工作計劃"
    assert "于秀蘭同志表彰。后来" in page.locator("article").inner_text()
    assert page.locator(".bulletin-switch a[data-variant='zh-Hans']").inner_text() == "简"
    # The anchor is where the reader was: the third part is on screen.
    assert page.locator("article h2").nth(2).inner_text() == "第三部分"
    assert page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 200
    # The root remembers the choice.
    page.goto(server.url, wait_until="networkidle")
    page.wait_for_url(server.url + "zh-hk/")
    assert page.locator("article h1").inner_text() == "首頁"
    # Choosing 简 again lands on the root, and it stays there.
    page.locator(".bulletin-switch a[data-variant='zh-Hans']").click()
    page.wait_for_url(server.url, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert page.url == server.url
    assert page.locator("article h1").inner_text() == "首页"
    assert bad == [] and foreign_requests(requests) == []


@pytest.mark.parametrize("locale, landing", [
    ("zh-TW", "zh-hk/"), ("zh-HK", "zh-hk/"), ("zh-CN", ""), ("en-US", ""),
])
def test_first_visit_to_the_root_follows_browser_language(variant_site, serve, page_log, locale, landing):
    server = serve(variant_site)
    page, _ = page_log(locale=locale)
    page.goto(server.url, wait_until="networkidle")
    page.wait_for_timeout(200)
    assert page.url == server.url + landing
    # Other pages never redirect, whatever the language.
    page.goto(server.url + "plans/hans/", wait_until="networkidle")
    page.wait_for_timeout(200)
    assert page.url == server.url + "plans/hans/"


def test_seed_page_shows_its_own_characters_in_the_traditional_variant(variant_site, serve, page_log):
    server = serve(variant_site)
    page, _ = page_log()
    page.goto(server.url + "zh-hk/plans/hk/", wait_until="networkidle")
    seed = (SHARED / "seed/000_98485ed91a327be3.txt").read_text(encoding="utf-8").splitlines()
    text = page.locator("article").inner_text()
    for line in seed[2:60]:
        if line.strip():
            assert line.strip() in text
    assert page.title().startswith("街道社區精神文明建設工作計劃")
    page.goto(server.url + "plans/hk/", wait_until="networkidle")
    assert page.title().startswith("街道社区精神文明建设工作计划")
    assert "为了做好卫生工作。" in page.locator("article").inner_text()


def route_site(page, site: Path, origin: str = SITE_URL) -> None:
    """Answer every request to `origin` from `site`, so the browser believes it is on the
    published host: Material's instant navigation only runs when the sitemap's URLs are
    the page's own."""
    def handle(route):
        path = route.request.url[len(origin):].split("#")[0].split("?")[0]
        target = site / unquote(path)
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            route.fulfill(status=404, body="not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=target.read_bytes(), content_type=kind)

    page.route(origin + "**", handle)


def test_switch_after_instant_navigation_targets_the_new_page(variant_site, page_log):
    page, _ = page_log(locale="zh-CN")
    route_site(page, variant_site)
    page.goto(SITE_URL + "zh-hk/plans/hans/", wait_until="networkidle")
    page.evaluate("window.__notReloaded = true")
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="街道社區").first.click()
    page.wait_for_url(SITE_URL + "zh-hk/plans/hk/", wait_until="networkidle")
    assert page.evaluate("window.__notReloaded === true"), "Material's instant navigation did not run"
    page.locator(".bulletin-switch a[data-variant='zh-Hans']").click()
    page.wait_for_url(SITE_URL + "plans/hk/", wait_until="networkidle")
    assert page.evaluate("window.__notReloaded") is None  # a full load: the other script's JS and index
    assert page.locator("article h1").inner_text() == "街道社区精神文明建设工作计划"
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"


def test_alternate_links_are_alternates_to_the_browser(variant_site, serve, page_log):
    server = serve(variant_site)
    page, _ = page_log()
    page.goto(server.url + "plans/hans/", wait_until="networkidle")
    links = page.evaluate("""[...document.querySelectorAll('link[hreflang]')]
        .filter(l => l.relList.contains('alternate')).map(l => [l.hreflang, l.href])""")
    assert links == [["zh-Hans", SITE_URL + "plans/hans/"], ["zh-Hant-HK", SITE_URL + "zh-hk/plans/hans/"],
                     ["x-default", SITE_URL + "plans/hans/"]]


def test_sample_site_switch(sample_site, serve, page_log):
    """The repository's own site: the plugin must publish the Traditional variant.

    Needs bulletin/plugin.py to call bulletin.variants.VariantWriter (see the module
    docstring of bulletin/variants.py) and theme/partials/header.html to include
    partials/script-switch.html, with assets/bulletin/switch.js in extra_javascript.
    """
    switch_js = sample_site / "assets/bulletin/switch.js"
    variant_dirs = [p.parent.parent.name for p in sample_site.glob("*/plans/index.html")]
    assert switch_js.is_file(), "switch.js is not published: add it to extra_javascript"
    assert variant_dirs == ["zh-hk"], "the sample site publishes its Traditional variant under zh-hk/"
    plans = sorted(p.parent.name for p in (sample_site / "plans").glob("*/index.html"))
    assert plans, "the sample site has no plan pages"
    server = serve(sample_site)
    page, requests = page_log(locale="zh-CN")
    page.goto(server.url + f"plans/{plans[0]}/", wait_until="networkidle")
    title = page.locator("article h1").inner_text()
    links = page.locator(".bulletin-switch a[data-variant]")
    assert links.count() >= 2
    other = page.locator(".bulletin-switch a[data-variant]:not([aria-current])").first
    other.click()
    page.wait_for_url(re.compile(rf"/{variant_dirs[0]}/plans/{re.escape(plans[0])}/"), wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang").startswith("zh-Hant")
    assert page.locator("article h1").inner_text().strip()
    assert page.locator("article h1").inner_text() != title or not re.search("[计划区为]", title)
    page.goto(server.url, wait_until="networkidle")
    page.wait_for_url(server.url + variant_dirs[0] + "/")
    assert foreign_requests(requests) == []
