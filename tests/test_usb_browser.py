"""The USB copy: the whole site, both scripts, opened over file:// without a server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin import linkcheck, usb


@pytest.fixture(scope="module")
def usb_copy(sample_site, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("usb") / "bulletin-usb"
    assert usb.write_copy(sample_site, target) > 50
    return target


def test_every_local_link_to_a_folder_names_its_index_html(usb_copy):
    for page in usb_copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        for value in re.findall(r'\s(?:href|data-href)="([^"]*)"', text):
            if re.match(r"^(?:[a-z]+:|//|#|/)", value):
                continue
            path = value.split("#")[0].split("?")[0]
            assert path and not path.endswith("/"), (page, value)


def test_the_copy_has_no_broken_link_and_the_published_site_is_untouched(sample_site, usb_copy):
    assert linkcheck.check_site(usb_copy, "https://bulletin.example.org/").problems == []
    assert 'href="plans/"' in (sample_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_a_reader_walks_the_usb_copy_in_both_scripts(usb_copy, page_log):
    page, requests = page_log(viewport={"width": 1366, "height": 768})
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((usb_copy / "index.html").as_uri())
    assert page.title()
    page.click(".md-tabs a[href='plans/index.html']")
    page.wait_for_url(re.compile(r"/plans/index\.html$"))
    page.click(".bl-plan-list a.bl-plan-title >> nth=0")
    page.wait_for_url(re.compile(r"/plans/[^/]+/index\.html$"))
    plan_url = page.url
    page.click("a[data-variant='zh-HK']")
    page.wait_for_url(re.compile(r"/zh-hk/plans/[^/]+/index\.html$"))
    assert page.url.endswith(plan_url.split("/site/")[-1].split("bulletin-usb/")[-1])
    assert page.get_attribute("html", "lang").startswith("zh-Hant")
    page.click(".md-tabs a[href$='albums/index.html']")
    page.wait_for_url(re.compile(r"/zh-hk/albums/index\.html$"))
    page.click(".bl-album-card a >> nth=0")
    page.wait_for_url(re.compile(r"/zh-hk/albums/[^/]+/index\.html$"))
    page.click("a.glightbox >> nth=0")
    page.wait_for_selector(".gslide.current img")
    page.wait_for_function("document.querySelector('.gslide.current img').naturalWidth > 0")
    page.keyboard.press("Escape")
    page.wait_for_selector(".glightbox-container", state="detached")
    page.click(".md-tabs a[href$='people/index.html']")
    page.wait_for_url(re.compile(r"/zh-hk/people/index\.html$"))
    page.click(".bl-person-link >> nth=0")
    page.wait_for_url(re.compile(r"/zh-hk/people/[^/]+/index\.html$"))
    assert page.query_selector("h1").inner_text()
    page.click("a[data-variant='zh-Hans']")
    page.wait_for_url(re.compile(r"/bulletin-usb/people/[^/]+/index\.html$"))
    assert failed == []
    walked = list(requests)
    page.goto((usb_copy / "zh-hk" / "index.html").as_uri())
    page.click("[data-bl-search-query]")
    page.fill("[data-bl-search-query]", "計劃")
    status = page.locator("[data-bl-search-status]")
    status.filter(has_text="網址").wait_for(timeout=10000)
    assert "直接打開本地文件時無法搜索" in status.inner_text()  # said plainly, in the reader's script
    assert all(url.startswith(("file:", "data:", "blob:")) for url in walked), \
        [u for u in walked if not u.startswith(("file:", "data:", "blob:"))]


def test_bulletin_build_for_usb_writes_the_copy_beside_the_site(tmp_path):
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"),
                                        encoding="utf-8")
    inside = subprocess.run([sys.executable, "-m", "bulletin.cli", "build", "--for-usb", "site/usb"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert inside.returncode == 2 and "不能放在" in inside.stderr
    result = subprocess.run([sys.executable, "-m", "bulletin.cli", "build", "--for-usb", "site-usb"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert 'href="plans/index.html"' in (project / "site-usb" / "index.html").read_text(encoding="utf-8")
    assert 'href="plans/"' in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert (project / "site-usb" / "zh-hk" / "screen" / "index.html").is_file()
