"""The safety promises through a real build: `mkdocs build` / `bulletin build` with the plugin.

A fixture site (tests/fixtures/safety/site) is copied to a temporary folder, the fixture
pages a case needs are dropped into its site_src/, links and FIFOs are made on the spot,
and MkDocs runs in a subprocess with a time limit (a build that follows a link to "/"
or opens a FIFO would never end). Each case asserts the problem code, the file and (for
text) the line in the build's log, and that the output holds no trace of the bad input.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin import publish, sitecheck
from helpers_safety import page_dangers, tree_hash

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "safety"
PAGES = FIXTURES / "pages"
TIME_LIMIT = 120  # seconds; the fixture site builds in a few


def make_project(base: Path, pages: dict[str, str]) -> Path:
    """Copy the fixture site to `base`, add fixture pages {destination rel: fixture name}."""
    project = base / "project"
    shutil.copytree(FIXTURES / "site", project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("@THEME@", str(ROOT / "theme")), encoding="utf-8")
    for rel, name in pages.items():
        target = project / "site_src" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PAGES / name, target)
    return project


def env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(ROOT)) if p)
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=path)


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(list(args), cwd=project, env=env(), capture_output=True, text=True, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} did not finish in {TIME_LIMIT} s: it followed a link or opened a FIFO")


def mkdocs_build(project: Path) -> subprocess.CompletedProcess:
    return run(project, sys.executable, "-m", "mkdocs", "build", "-d", str(project / "out"))


def bulletin(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run(project, sys.executable, "-m", "bulletin.cli", *args)


def logged(result: subprocess.CompletedProcess, code: str, path: str, line: int | None) -> bool:
    where = f"{path}:{line}" if line else path
    return f"{where}: {code} " in result.stdout + result.stderr


def everything(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


def published(directory: Path) -> set[str]:
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*")}


# --- inputs that must never be read ---------------------------------------------------

REFUSAL_PAGES = {
    "ref-dotdot.md": "ref-dotdot.md",
    "ref-absolute.md": "ref-absolute.md",
    "ref-file-url.md": "ref-file-url.md",
    "ref-html.md": "ref-html.md",
    "albums/ref-cover/index.md": "albums/ref-cover/index.md",
    "plans/gbk-plan.md": "gbk-plan.md",
}

REFUSALS = [
    # (case, code, file, line)
    ("symlink to /etc", "SAFE001", "site_src/etc", None),
    ("symlink to a file outside", "SAFE001", "site_src/passwd.md", None),
    ("dangling symlink", "SAFE001", "site_src/dangling.jpg", None),
    ("symlinked folder", "SAFE001", "site_src/linked-folder", None),
    ("symlink to /", "SAFE001", "site_src/albums/root", None),
    ("FIFO named .md", "SAFE002", "site_src/pipe.md", None),
    ("FIFO named .jpg", "SAFE002", "site_src/albums/spring/pipe.jpg", None),
    ("../ image reference", "SAFE004", "site_src/ref-dotdot.md", 5),
    ("absolute path reference", "SAFE005", "site_src/ref-absolute.md", 5),
    ("file:// reference", "SAFE006", "site_src/ref-file-url.md", 5),
    ("../ in raw HTML", "SAFE004", "site_src/ref-html.md", 5),
    ("../ in album cover", "SAFE004", "site_src/albums/ref-cover/index.md", 4),
    ("GBK file", "CONTENT007", "site_src/plans/gbk-plan.md", 1),
]


@pytest.fixture(scope="module")
def refusals(tmp_path_factory):
    base = tmp_path_factory.mktemp("refusals")
    project = make_project(base, REFUSAL_PAGES)
    src = project / "site_src"
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# 机密\n\nsecret-outside-marker\n", encoding="utf-8")
    (outside / "secret.jpg").write_bytes(b"\xff\xd8secret-photo-marker")
    (src / "albums" / "spring").mkdir(parents=True)
    (src / "albums" / "spring" / "index.md").write_text("---\ntitle: 春季活动\ndate: 2026-03-05\n---\n\n照片。\n",
                                                       encoding="utf-8")
    os.symlink("/etc", src / "etc")
    os.symlink("/etc/passwd", src / "passwd.md")
    os.symlink(base / "nowhere.jpg", src / "dangling.jpg")
    os.symlink(outside, src / "linked-folder")
    os.symlink("/", src / "albums" / "root")
    os.mkfifo(src / "pipe.md")
    os.mkfifo(src / "albums" / "spring" / "pipe.jpg")
    before = tree_hash(src)
    result = mkdocs_build(project)
    return project, result, before


@pytest.mark.parametrize("case,code,path,line", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_is_reported(refusals, case, code, path, line):
    _, result, _ = refusals
    assert logged(result, code, path, line), result.stdout + result.stderr


def test_refused_build_fails_leaves_no_trace_and_no_change_in_site_src(refusals):
    project, result, before = refusals
    assert result.returncode != 0  # errors fail the build
    out = project / "out"
    data = everything(out) if out.exists() else b""
    for trace in (b"root:x:0:0", b"secret-outside-marker", b"secret-photo-marker"):
        assert trace not in data
    names = published(out) if out.exists() else set()
    assert not {n for n in names if re.search(r"passwd|pipe|dangling|linked-folder|secret|(^|/)etc(/|$)|root", n)}
    assert tree_hash(project / "site_src") == before
    assert not list((project / ".cache").glob("shadow-src-*"))


def test_bulletin_check_reports_the_same_without_building(refusals):
    project, _, _ = refusals
    result = bulletin(project, "check")
    assert result.returncode == 1
    for _, code, path, line in REFUSALS:
        assert logged(result, code, path, line), (code, path, result.stdout)
    assert not (project / "site").exists()


# --- markup that must not run ---------------------------------------------------------

XSS = [
    # (fixture, code, line) — a page may raise several; each is listed
    ("xss-script.md", "XSS001", 5),
    ("xss-iframe.md", "XSS001", 5),
    ("xss-object.md", "XSS001", 5),
    ("xss-object.md", "XSS001", 6),
    ("xss-onerror.md", "XSS002", 5),
    ("xss-svg.md", "XSS002", 5),
    ("xss-attr-list.md", "XSS003", 5),
    ("xss-attr-list.md", "XSS003", 8),
    ("xss-javascript-link.md", "XSS004", 5),
    ("xss-javascript-link.md", "XSS004", 7),
    ("xss-data-url.md", "XSS004", 5),
    ("xss-meta-refresh.md", "XSS005", 5),
    ("xss-style.md", "XSS006", 5),
    ("xss-title.md", "XSS001", 2),
    ("xss-glightbox.md", "XSS002", 5),
]
XSS_PAGES = sorted({f for f, _, _ in XSS} | {"xss-comment.md", "xss-heading.md", "xss-code.md"})


@pytest.fixture(scope="module")
def xss(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("xss"), {name: name for name in XSS_PAGES})
    return project, mkdocs_build(project)


@pytest.mark.parametrize("name,code,line", XSS, ids=[f"{x[0]}:{x[2]}" for x in XSS])
def test_xss_is_reported_as_a_warning_with_line(xss, name, code, line):
    _, result = xss
    assert logged(result, code, f"site_src/{name}", line), result.stdout + result.stderr


def test_xss_pages_are_built_without_anything_that_runs(xss):
    project, result = xss
    assert result.returncode == 0, result.stderr  # warnings only: the pages are published, cleaned
    out = project / "out"
    for name in XSS_PAGES:
        page = out / name.removesuffix(".md") / "index.html"
        assert page.is_file(), name
    problems = {}
    for page in out.rglob("*.html"):
        found = page_dangers(page.read_text(encoding="utf-8"), ("xss", "alert"))
        if found:
            problems[page.relative_to(out).as_posix()] = found
    assert problems == {}


def test_xss_payloads_leave_no_trace_in_any_output(xss):
    project, _ = xss
    data = everything(project / "out").decode("utf-8", "replace")
    # the payloads, not the page names (which are in every page's navigation)
    for trace in ('alert("xss-script")', "evil.example", "xss-object.swf", "xss-embed.swf",
                  "alert('xss-onerror')", "alert('xss-svg')", "xss-attrlist", "xss-attrblock", "xss_js",
                  "alert('xss-style')", "内部备注", "PHNjcmlwdD54c3MtZGF0YTwvc2NyaXB0Pg", 'alert("xss-title")',
                  "xss-gldesc"):
        assert trace not in data, trace
    assert "</title><script>" not in data
    code_page = (project / "out" / "xss-code" / "index.html").read_text(encoding="utf-8")
    code = re.search(r"<code>(.*?)</code>", code_page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", code)).strip() == '<script>alert("shown-as-code")</script>'  # shown as text


# --- personal numbers -----------------------------------------------------------------

NUMBERS = [
    ("number-id.md", "PRIV001", 5, "11010519491231002X"),
    ("number-mobile.md", "PRIV003", 5, "13800138000"),
    ("number-mobile-86.md", "PRIV003", 5, "13912345678"),
    ("number-mobile-spaces.md", "PRIV003", 5, "137 0013 7000"),
    ("number-mobile-dashes.md", "PRIV003", 5, "136-0013-6000"),
    ("number-mobile-fullwidth.md", "PRIV003", 5, "１３５００１３５０００"),
    ("number-front-matter.md", "PRIV003", 3, "15800158000"),
    ("number-alt.md", "PRIV003", 5, "18900189000"),
]
WARNED = [
    ("number-id-lookalike.md", "PRIV002", 5),
    ("number-address.md", "PRIV004", 5),
]


@pytest.fixture(scope="module")
def numbers(tmp_path_factory):
    pages = {name: name for name, *_ in NUMBERS + WARNED}
    project = make_project(tmp_path_factory.mktemp("numbers"), pages)
    album = project / "site_src" / "albums" / "spring"
    album.mkdir(parents=True)
    (album / "index.md").write_text("---\ntitle: 春季活动\ndate: 2026-03-05\n---\n\n照片。\n", encoding="utf-8")
    (album / "IMG_13300133000.jpg").write_bytes(b"\xff\xd8")
    return project, mkdocs_build(project)


@pytest.mark.parametrize("name,code,line,number", NUMBERS, ids=[n[0] for n in NUMBERS])
def test_number_is_an_error_with_line_and_never_published(numbers, name, code, line, number):
    project, result = numbers
    assert logged(result, code, f"site_src/{name}", line), result.stdout + result.stderr
    assert number not in result.stdout + result.stderr  # the log masks it
    if (project / "out").exists():
        assert number.encode() not in everything(project / "out")
        assert not (project / "out" / name.removesuffix(".md")).exists()


@pytest.mark.parametrize("name,code,line", WARNED, ids=[n[0] for n in WARNED])
def test_lookalike_and_address_are_warnings(numbers, name, code, line):
    _, result = numbers
    assert logged(result, code, f"site_src/{name}", line)


def test_number_in_a_file_name(numbers):
    project, result = numbers
    assert logged(result, "PRIV003", "site_src/albums/spring/IMG_13300133000.jpg", None)
    assert result.returncode != 0
    if (project / "out").exists():
        assert not [p for p in published(project / "out") if "13300133000" in p]
        report = sitecheck.scan_site(project / "out", {"bulletin.example.org"}, {"https://gjzwfw.www.gov.cn/"})
        assert report.problems == []


# --- requests to other hosts ----------------------------------------------------------

def test_external_image_fails_the_build_naming_the_file(tmp_path):
    project = make_project(tmp_path, {})
    (project / "site_src" / "cdn.md").write_text(
        "---\ntitle: 外部图片\n---\n\n![图](https://cdn.example.com/a.jpg)\n\n[政策](https://www.gov.cn/)\n",
        encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "SITE002" in result.stdout + result.stderr
    assert "out/cdn/index.html" in result.stdout + result.stderr  # named by the folder the build wrote
    assert "www.gov.cn" not in result.stdout + result.stderr  # an editor's link is fine


def test_the_fixture_site_itself_is_clean(tmp_path):
    project = make_project(tmp_path, {})
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    report = sitecheck.scan_site(project / "out", {"bulletin.example.org"}, {"https://gjzwfw.www.gov.cn/"})
    assert report.problems == []


# --- atomic publish through the command -----------------------------------------------

def test_failed_build_leaves_site_byte_identical_and_rollback_works(tmp_path):
    project = make_project(tmp_path, {})
    first = bulletin(project, "build")
    assert first.returncode == 0, first.stderr
    site = project / "site"
    assert (site / "index.html").is_file()
    before = tree_hash(site)

    # a page with broken front matter: every other page is written, then on_post_build fails
    (project / "site_src" / "broken.md").write_text("---\ntitle: 计划: 第一篇\n---\n", encoding="utf-8")
    failed = bulletin(project, "build")
    assert failed.returncode == 1
    assert "网站未发布" in failed.stderr
    assert tree_hash(site) == before
    assert not [p for p in project.iterdir() if p.name.startswith(("site.tmp-", "site.old-"))]

    (project / "site_src" / "broken.md").unlink()
    (project / "site_src" / "news.md").write_text("---\ntitle: 新闻\n---\n\n新内容。\n", encoding="utf-8")
    assert bulletin(project, "build").returncode == 0
    assert (site / "news" / "index.html").is_file()
    assert tree_hash(project / "site.prev") == before
    assert bulletin(project, "rollback").returncode == 0
    assert tree_hash(site) == before


def test_a_build_while_another_holds_the_lock_gets_a_clear_message(tmp_path):
    project = make_project(tmp_path, {})
    assert bulletin(project, "build").returncode == 0
    before = tree_hash(project / "site")
    with publish.BuildLock(project / "site"):
        second = bulletin(project, "build")
    assert second.returncode == 1
    assert "另一个构建正在进行" in second.stderr and f"进程 {os.getpid()}" in second.stderr
    assert tree_hash(project / "site") == before
    assert bulletin(project, "build").returncode == 0
