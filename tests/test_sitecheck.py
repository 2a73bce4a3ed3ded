"""The post-build scan: personal numbers and requests to other hosts, with file and line."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin import content, sanitize, sitecheck

ROOT = Path(__file__).resolve().parents[1]
OWN = {"bulletin.example.org"}


def site_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    site = tmp_path / "site.tmp-1"
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return site


def page(body: str, head: str = "") -> str:
    return f"<!doctype html>\n<html>\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"


EXTERNAL = [
    # (label, head, body, what the message names)
    ("script src", "", '<script src="https://cdn.example.com/x.js"></script>', "<script src>"),
    ("protocol-relative script", "", '<script src="//cdn.example.com/x.js"></script>', "<script src>"),
    ("stylesheet", '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">', "",
     "<link rel=stylesheet>"),
    ("preconnect", '<link rel="preconnect" href="https://fonts.gstatic.com">', "", "<link rel=preconnect>"),
    ("icon", '<link rel="icon" href="https://cdn.example.com/favicon.ico">', "", "<link rel=icon>"),
    ("image", "", '<img src="https://cdn.example.com/a.jpg" alt="a">', "<img src>"),
    ("srcset", "", '<img src="a.jpg" srcset="a.jpg 1x, https://cdn.example.com/a2.jpg 2x">', "<img srcset>"),
    ("picture source", "", '<picture><source srcset="https://cdn.example.com/a.webp"></picture>', "<source srcset>"),
    ("video poster", "", '<video poster="https://cdn.example.com/p.jpg"></video>', "<video poster>"),
    ("iframe", "", '<iframe src="https://map.example.com/embed"></iframe>', "<iframe src>"),
    ("inline style", "", '<div style="background:url(https://cdn.example.com/bg.png)"></div>', "<div style>"),
    ("style element", "<style>@import 'https://cdn.example.com/x.css';</style>", "", "<style>"),
    ("style font", "<style>@font-face{src:url(https://fonts.gstatic.com/a.woff2)}</style>", "", "<style>"),
    ("meta refresh", '<meta http-equiv="refresh" content="0; url=https://other.example.com/">', "",
     "<meta refresh>"),
    ("inline script fetch", "", '<script>fetch("https://api.example.com/data.json")</script>', "<script> 中的地址"),
    ("svg image", "", '<svg><image href="https://cdn.example.com/a.png"/></svg>', "<image href>"),
]


@pytest.mark.parametrize("label,head,body,what", EXTERNAL, ids=[e[0] for e in EXTERNAL])
def test_external_request_in_html_is_an_error_with_line(tmp_path, label, head, body, what):
    site = site_with(tmp_path, {"plans/index.html": page(body, head)})
    report = sitecheck.scan_site(site, OWN)
    (problem,) = report.problems
    assert problem.code == "SITE002" and problem.path == "site/plans/index.html"
    assert problem.line == (4 if head else 7)
    assert what in problem.message


def test_own_host_and_relative_references_are_fine(tmp_path):
    body = ('<img src="../assets/a.jpg"><img src="https://bulletin.example.org/a.jpg">'
            '<script src="/assets/x.js"></script><a href="#top">top</a>'
            '<svg xmlns="http://www.w3.org/2000/svg"><use href="#icon"/></svg>')
    head = ('<link rel="canonical" href="https://bulletin.example.org/plans/">'
            '<link rel="alternate" hreflang="zh-Hant" href="https://bulletin.example.org/zh-Hant/">')
    site = site_with(tmp_path, {"plans/index.html": page(body, head)})
    assert sitecheck.scan_site(site, OWN).problems == []


def test_links_editors_wrote_are_allowed_other_links_are_reported(tmp_path):
    body = ('<a href="https://www.gov.cn/zhengce/">政策</a>\n'
            '<a href="https://squidfunk.github.io/mkdocs-material/">Made with Material</a>')
    site = site_with(tmp_path, {"index.html": page(body)})
    report = sitecheck.scan_site(site, OWN, allowed_links={"https://www.gov.cn/zhengce/"})
    assert report.codes() == [("SITE003", "site/index.html", 8)]
    assert "squidfunk.github.io" in report.problems[0].message


def test_content_links_collects_what_editors_wrote():
    text = ("---\ntitle: t\n---\n[政策](https://www.gov.cn/zhengce/)\n[ref]: https://example.org/a?x=1&y=2\n"
            "<https://example.net/>\n<a href=\"https://example.com/b\">b</a>\n![图](https://cdn.example.com/a.jpg)\n")
    source = content.Source("a.md", "site_src/a.md", "page", {}, {}, text, 1, text)
    links = sitecheck.content_links([source])
    assert {"https://www.gov.cn/zhengce/", "https://example.org/a?x=1&y=2", "https://example.net/",
            "https://example.com/b"} <= links


def test_css_files_url_and_import(tmp_path):
    css = "body{color:red}\n@import url(\"https://cdn.example.com/a.css\");\n.x{background:url(../img/a.png)}\n" \
          "@font-face{src:url('https://fonts.gstatic.com/s/a.woff2')}\n"
    site = site_with(tmp_path, {"assets/bulletin/bulletin.css": css})
    report = sitecheck.scan_site(site, OWN)
    assert report.codes() == [("SITE002", "site/assets/bulletin/bulletin.css", 2),
                              ("SITE002", "site/assets/bulletin/bulletin.css", 4)]


def test_our_javascript_is_searched_material_bundle_is_not(tmp_path):
    ours = 'const NS = "http://www.w3.org/2000/svg";\nfetch(`https://api.example.com/slides`);\n'
    vendor = 'load("https://unpkg.com/mermaid/dist/mermaid.min.js")'
    site = site_with(tmp_path, {"screen/screen.js": ours, "assets/javascripts/bundle.min.js": vendor})
    report = sitecheck.scan_site(site, OWN)
    assert report.codes() == [("SITE002", "site/screen/screen.js", 2)]


NUMBERS = [
    ("html text", "plans/a/index.html", page("<p>联系电话 13800138000</p>"), 7),
    ("html alt", "plans/a/index.html", page('<img src="a.jpg" alt="王阿姨 138-0013-8000">'), 7),
    ("html tel link", "plans/a/index.html", page('<a href="tel:+8613800138000">电话</a>'), 7),
    ("html id number", "people/a/index.html", page("<p>11010519491231002X</p>"), 7),
    ("search index", "search/search_index.json",
     json.dumps({"docs": [{"text": "电话 13800138000"}]}, ensure_ascii=False), 1),
    ("search index, escaped full-width digits", "search/search_index.json",
     json.dumps({"docs": [{"text": "电话 １３８００１３８０００"}]}), 1),
    ("sitemap", "sitemap.xml", "<urlset>\n<url><loc>https://bulletin.example.org/13800138000/</loc></url>\n</urlset>", 2),
    ("our script", "screen/slides.js", 'const slides = [\n{"caption": "电话 138 0013 8000"}];', 2),
    ("no-break spaces", "plans/a/index.html", page("<p>电话 138&nbsp;0013\u00a08000</p>"), 7),
    ("split by bold", "plans/a/index.html", page("<p>电话 <strong>138</strong>0013 <em>8000</em></p>"), 7),
    ("split by bold over lines", "plans/a/index.html",
     page("<p>电话\n<strong>138</strong>\n<span>0013</span>\n8000</p>"), 8),
    ("split by a line break tag", "plans/a/index.html", page("<p>电话 138 0013<br>\n8000</p>"), 7),
    ("zero-width characters", "plans/a/index.html", page("<p>电话 138\u200b0013\u2060800&#x30;</p>"), 7),
    ("percent-encoded tel link", "plans/a/index.html", page('<a href="tel:%2B86%20138%200013%208000">电话</a>'), 7),
    ("ID number in fours", "people/a/index.html", page("<p>身份证 1101 0119 9003 0712 33</p>"), 7),
    ("old ID number", "people/a/index.html", page("<p>身份证 110101900307123</p>"), 7),
    ("HTML comment", "plans/a/index.html", page("<!-- 王阿姨 138-0013-8000 -->"), 7),
    ("split by a comment", "plans/a/index.html", page("<p>电话 138<!-- x -->0013 8000</p>"), 7),
    ("search index, no-break spaces", "search/search_index.json",
     json.dumps({"docs": [{"text": "电话 138\u00a00013\u00a08000"}]}), 1),
]


@pytest.mark.parametrize("label,rel,text,line", NUMBERS, ids=[n[0] for n in NUMBERS])
def test_personal_number_in_the_built_site(tmp_path, label, rel, text, line):
    site = site_with(tmp_path, {rel: text})
    report = sitecheck.scan_site(site, OWN)
    assert [(p.code, p.path, p.line) for p in report.problems] == [("SITE001", f"site/{rel}", line)]
    assert "13800138000" not in report.problems[0].message


NOT_NUMBERS = [
    ("table cells", "<table><tr><td>138</td><td>0013</td><td>8000</td></tr></table>"),
    ("paragraphs", "<p>138 0013</p>\n<p>8000</p>"),
    ("dates and prices", "<p>2026-03-05 <b>13:30</b> 单价 138.00 元</p>"),
    ("order number split by bold", "<p>订单 <b>1380013800</b>0138001</p>"),
]


@pytest.mark.parametrize("label,body", NOT_NUMBERS, ids=[n[0] for n in NOT_NUMBERS])
def test_numbers_that_are_not_personal_in_the_built_site(tmp_path, label, body):
    site = site_with(tmp_path, {"plans/a/index.html": page(body)})
    assert sitecheck.scan_site(site, OWN).problems == []


def test_gzipped_sitemap_and_file_names(tmp_path):
    sitemap = gzip.compress("<urlset><url><loc>https://x/13800138000/</loc></url></urlset>".encode())
    site = site_with(tmp_path, {"sitemap.xml.gz": sitemap, "albums/a/IMG_13900139000.jpg": b"\xff\xd8"})
    report = sitecheck.scan_site(site, OWN)
    assert sorted(report.codes()) == [("SITE001", "site/albums/a/IMG_13900139000.jpg", None),
                                      ("SITE001", "site/sitemap.xml.gz", 1)]


def test_pagefind_fragment(tmp_path):
    fragment = gzip.compress(b"pagefind_dcd" + json.dumps({"content": "电话 13800138000"}).encode())
    site = site_with(tmp_path, {"pagefind/fragment/zh_abc.pf_fragment": fragment})
    assert sitecheck.scan_site(site, OWN).codes() == [("SITE001", "site/pagefind/fragment/zh_abc.pf_fragment", 1)]


def test_svg_path_data_and_material_numbers_are_not_numbers(tmp_path):
    svg = '<svg viewBox="0 0 24 24"><path d="M13 9 13 5 8 1 3 4 5 6 7 8 9"/></svg>'
    site = site_with(tmp_path, {"index.html": page(svg)})
    assert sitecheck.scan_site(site, OWN).problems == []


@pytest.fixture(scope="module")
def material_site(tmp_path_factory) -> Path:
    """A plain Material site (no bulletin plugin) built by MkDocs."""
    project = tmp_path_factory.mktemp("material")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# 首页\n\n[政务](https://www.gov.cn/)\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: t\nsite_url: https://bulletin.example.org/\ntheme:\n  name: material\n  font: false\n"
        "extra:\n  generator: false\n", encoding="utf-8")
    _mkdocs(project, "mkdocs.yml", project / "site")
    return project


def test_a_material_site_without_web_fonts_is_clean(material_site):
    report = sitecheck.scan_site(material_site / "site", OWN, {"https://www.gov.cn/"})
    assert report.problems == []


def test_material_web_fonts_and_generator_link_are_caught(material_site, tmp_path):
    config = material_site / "fonts.yml"
    config.write_text("site_name: t\nsite_url: https://bulletin.example.org/\ntheme:\n  name: material\n",
                      encoding="utf-8")
    _mkdocs(material_site, "fonts.yml", tmp_path / "site")
    report = sitecheck.scan_site(tmp_path / "site", OWN, {"https://www.gov.cn/"})
    hosts = {p.code: set() for p in report.problems}
    for p in report.problems:
        hosts[p.code].add(re.search(r"外部(?:服务器|网站)「([^」]+)」", p.message).group(1))
    assert hosts == {"SITE002": {"fonts.googleapis.com", "fonts.gstatic.com"}, "SITE003": {"squidfunk.github.io"}}


def _mkdocs(project: Path, config: str, site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                   cwd=project, env=env, check=True, capture_output=True, timeout=120)


@pytest.mark.slow
def test_safety_checks_on_a_25_page_site_take_little_time(tmp_path, capsys):
    """scan_site plus clean_html over 25 rendered pages, against the MkDocs build itself."""
    project = tmp_path / "p"
    (project / "docs").mkdir(parents=True)
    paragraph = "为了全面做好社区精神文明建设工作，结合本社区实际，制定本计划。" * 8
    for n in range(25):
        sections = "\n\n".join(f"## {k}、第{k}部分\n\n{paragraph}\n\n| 项目 | 负责人 |\n|---|---|\n| 活动 | 王 |"
                               for k in range(1, 7))
        (project / "docs" / f"p{n:02}.md").write_text(f"# 计划 {n}\n\n{sections}\n", encoding="utf-8")
    (project / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: t\nsite_url: https://bulletin.example.org/\ntheme:\n  name: material\n  font: false\n"
        "extra:\n  generator: false\nmarkdown_extensions: [toc, tables, attr_list, admonition]\n", encoding="utf-8")
    started = time.perf_counter()
    _mkdocs(project, "mkdocs.yml", project / "site")
    build_seconds = time.perf_counter() - started

    pages = sorted((project / "site").glob("p*/index.html"))
    assert len(pages) == 25
    fragments = [p.read_text(encoding="utf-8") for p in pages]
    started = time.perf_counter()
    for fragment in fragments:
        start = fragment.index('<article class="md-content__inner md-typeset">')
        sanitize.clean_html(fragment[start:fragment.index("</article>")])
    sanitize_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = sitecheck.scan_site(project / "site", OWN)
    scan_seconds = time.perf_counter() - started
    assert report.problems == []
    with capsys.disabled():
        print(f"\n25 pages: mkdocs build {build_seconds:.2f} s (subprocess, includes start-up); "
              f"clean_html {sanitize_seconds * 1000:.0f} ms; scan_site {scan_seconds * 1000:.0f} ms")
    assert sanitize_seconds + scan_seconds < build_seconds
