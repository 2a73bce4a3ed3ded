"""Inputs stay inside site_src/: the shadow tree MkDocs walks, and references that escape.

The build-level tests here run MkDocs with a small hooks file that makes exactly the
calls the bulletin plugin is to make (see HOOKS), so the approach is proven on a real
MkDocs before and independently of the plugin; tests/test_safety_build.py runs the same
refusals through the plugin itself.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import markdown
import pytest

from bulletin import content, safeinput, sanitize
from bulletin.report import Report

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "fixtures" / "safety" / "pages"


@pytest.fixture
def src(tmp_path) -> Path:
    root = tmp_path / "site_src"
    root.mkdir()
    (root / "index.md").write_text("# 首页\n", encoding="utf-8")
    (root / "albums" / "spring").mkdir(parents=True)
    (root / "albums" / "spring" / "a.jpg").write_bytes(b"\xff\xd8photo")
    return root


def make_unsafe(root: Path, outside: Path) -> None:
    """One of each thing that must never be read: links (to a file, a folder, nowhere, /) and FIFOs."""
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text("# 机密\n\nsecret-outside-marker\n", encoding="utf-8")
    os.symlink("/etc", root / "etc")
    os.symlink("/etc/passwd", root / "passwd.md")
    os.symlink(outside / "nowhere", root / "dangling.jpg")
    os.symlink(outside, root / "linked-folder")
    os.symlink("/", root / "albums" / "root")
    os.mkfifo(root / "pipe.md")
    os.mkfifo(root / "albums" / "spring" / "pipe.jpg")


def test_unsafe_entries_lists_links_and_fifos_hidden_ones_too(src, tmp_path):
    assert safeinput.unsafe_entries(src) == []
    make_unsafe(src, tmp_path / "outside")
    (src / ".hidden").mkdir()
    os.symlink("/", src / ".hidden" / "root")
    assert safeinput.unsafe_entries(src) == [
        ".hidden/root", "albums/root", "albums/spring/pipe.jpg", "dangling.jpg", "etc", "linked-folder",
        "passwd.md", "pipe.md"]


def test_a_clean_tree_is_walked_as_it_is(src, tmp_path):
    """The normal case: MkDocs keeps site_src/ itself, so `mkdocs serve` watches it as usual."""
    assert safeinput.docs_dir_for_mkdocs(src, tmp_path / ".cache") == src
    assert not (tmp_path / ".cache").exists()


def test_an_unsafe_tree_becomes_a_shadow_of_its_safe_files(src, tmp_path):
    make_unsafe(src, tmp_path / "outside")
    (src / ".hidden-notes.md").write_text("x")
    shadow = safeinput.docs_dir_for_mkdocs(src, tmp_path / ".cache")
    assert shadow != src and shadow.name == "site_src"
    files = sorted(p.relative_to(shadow).as_posix() for p in shadow.rglob("*") if not p.is_dir())
    assert files == ["albums/spring/a.jpg", "index.md"]
    assert safeinput.unsafe_entries(shadow) == []
    assert (shadow / "index.md").stat().st_ino == (src / "index.md").stat().st_ino  # hard link, no copy
    safeinput.remove_shadow(tmp_path / ".cache")
    assert not shadow.exists()
    assert (src / "index.md").read_text(encoding="utf-8") == "# 首页\n"  # nothing in site_src/ touched


def test_shadow_is_rebuilt_fresh_each_time(src, tmp_path):
    os.symlink("/etc", src / "etc")
    first = safeinput.docs_dir_for_mkdocs(src, tmp_path / ".cache")
    (src / "new.md").write_text("# 新\n", encoding="utf-8")
    (src / "index.md").unlink()
    second = safeinput.docs_dir_for_mkdocs(src, tmp_path / ".cache")
    assert second == first
    assert sorted(p.name for p in second.iterdir()) == ["albums", "new.md"]


def test_copies_where_hard_links_are_impossible(src, tmp_path, monkeypatch):
    os.symlink("/etc", src / "etc")

    def no_links(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    shadow = safeinput.docs_dir_for_mkdocs(src, tmp_path / ".cache")
    assert (shadow / "albums" / "spring" / "a.jpg").read_bytes() == b"\xff\xd8photo"
    assert (shadow / "index.md").stat().st_ino != (src / "index.md").stat().st_ino


# --- MkDocs itself, with the calls the plugin is to make ------------------------------

HOOKS = '''
from pathlib import Path
from bulletin import safeinput

real_docs_dir = None
watcher = None

def work_dir(config):
    return Path(config.config_file_path).parent / ".cache"

def on_config(config):
    global real_docs_dir
    real_docs_dir = Path(config.docs_dir)
    config.docs_dir = str(safeinput.docs_dir_for_mkdocs(real_docs_dir, work_dir(config)))
    return config

def on_serve(server, config, builder):
    global watcher
    watcher = safeinput.SafeWatcher(real_docs_dir, work_dir(config))
    watcher.attach(server, config.docs_dir)
    return server

def on_shutdown():
    if watcher is not None:
        watcher.stop()

def on_post_build(config):
    safeinput.remove_shadow(work_dir(config))

def on_build_error(error):
    pass
'''

CONFIG = """
site_name: t
docs_dir: site_src
theme:
  name: material
  font: false
hooks:
  - hooks.py
"""


def project(tmp_path: Path, src: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "hooks.py").write_text(HOOKS, encoding="utf-8")
    return tmp_path


def _env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))


def test_mkdocs_build_of_a_tree_with_a_link_to_root_finishes_and_publishes_nothing_unsafe(src, tmp_path):
    make_unsafe(src, tmp_path / "outside")
    project(tmp_path, src)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
                            cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    published = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")
                       if not p.is_dir() and not p.relative_to(tmp_path / "site").as_posix().startswith(
                           ("assets/", "search/")))
    assert published == ["404.html", "albums/spring/a.jpg", "index.html", "sitemap.xml", "sitemap.xml.gz"]
    everything = b"".join(p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert b"secret-outside-marker" not in everything and b"root:x:0:0" not in everything
    assert not list((tmp_path / ".cache").glob("shadow-src-*"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return None


@pytest.mark.slow
@pytest.mark.parametrize("unsafe", [False, True], ids=["clean tree", "tree with a link to /"])
def test_mkdocs_serve_rebuilds_when_an_editor_saves(src, tmp_path, unsafe):
    if unsafe:
        make_unsafe(src, tmp_path / "outside")
    project(tmp_path, src)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        first = _wait_for(lambda: _fetch(url), 60)
        assert first and "首页" in first
        time.sleep(0.5)
        (src / "index.md").write_text("# 首页\n\nedited-by-the-editor\n", encoding="utf-8")
        assert _wait_for(lambda: "edited-by-the-editor" in (_fetch(url) or ""), 30), "no rebuild after a save"
        (src / "albums" / "summer").mkdir()  # a folder made while serving is watched after the rebuild
        time.sleep(2)
        (src / "albums" / "summer" / "index.md").write_text("# 夏\n\nnew-album-page\n", encoding="utf-8")
        assert _wait_for(lambda: "new-album-page" in (_fetch(url + "albums/summer/") or ""), 30)
    finally:
        server.send_signal(signal.SIGINT)  # what an editor does: Ctrl-C
        _, stderr = server.communicate(timeout=30)
    watching = [line for line in stderr.splitlines() if "Watching paths for changes" in line]
    assert watching and "serve-" in watching[0] and "site_src" not in watching[0]
    assert not list((tmp_path / ".cache").glob("serve-*")) and not list((tmp_path / ".cache").glob("shadow-src-*"))


# --- references that leave the tree ---------------------------------------------------

CLASSIFY = [
    ("../../etc/passwd", "SAFE004"),
    ("../../../etc/hostname", "SAFE004"),
    ("..\\..\\etc\\passwd", "SAFE004"),
    ("%2e%2e/%2e%2e/etc/passwd", "SAFE004"),
    ("../../etc/passwd#x", "SAFE004"),
    ("/etc/passwd", "SAFE005"),
    ("/home/editor/照片.jpg", "SAFE005"),
    ("C:\\Users\\editor\\a.jpg", "SAFE005"),
    ("\\\\server\\share\\a.jpg", "SAFE005"),
    ("file:///etc/passwd", "SAFE006"),
    ("FILE://server/share/a.jpg", "SAFE006"),
    ("../albums/spring/a.jpg", None),
    ("a.jpg", None),
    ("/plans/", None),
    ("/albums/spring/", None),
    ("#top", None),
    ("https://www.gov.cn/", None),
    ("mailto:a@example.org", None),
]


@pytest.mark.parametrize("target,code", CLASSIFY, ids=[c[0] for c in CLASSIFY])
def test_classify(src, target, code):
    (src / "plans").mkdir()
    assert safeinput.classify(target, "plans/plan-01.md", src) == code


REFERENCE_FIXTURES = [
    ("ref-dotdot.md", "ref-dotdot.md", "SAFE004", 5),
    ("ref-absolute.md", "ref-absolute.md", "SAFE005", 5),
    ("ref-file-url.md", "ref-file-url.md", "SAFE006", 5),
    ("ref-html.md", "ref-html.md", "SAFE004", 5),
    ("albums/ref-cover/index.md", "albums/ref-cover/index.md", "SAFE004", 4),
]


@pytest.mark.parametrize("fixture,rel,code,line", REFERENCE_FIXTURES, ids=[r[0] for r in REFERENCE_FIXTURES])
def test_reference_fixtures(src, fixture, rel, code, line):
    (src / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(PAGES / fixture, src / rel)
    index = content.load(src)
    assert index.report.problems == []
    report = Report()
    assert safeinput.check_references(index.sources[rel], src, report) == 1
    assert report.codes() == [(code, f"site_src/{rel}", line)]
    assert "不会读取或发布" in report.problems[0].message


def test_references_in_code_are_not_reported(src):
    text = "---\ntitle: t\n---\n```\n![](../../etc/passwd)\n```\n`/etc/passwd` 是系统文件。\n"
    source = content.Source("a.md", "site_src/a.md", "page", {}, {}, text, 1, text)
    report = Report()
    assert safeinput.check_references(source, src, report) == 0


# --- every refusal through the plain function boundary --------------------------------

SOURCE_CASES = [
    # (fixture, destination, code, line)
    ("gbk-plan.md", "plans/gbk-plan.md", "CONTENT007", 1),
    ("ref-dotdot.md", "ref-dotdot.md", "SAFE004", 5),
    ("ref-absolute.md", "ref-absolute.md", "SAFE005", 5),
    ("ref-file-url.md", "ref-file-url.md", "SAFE006", 5),
    ("number-id.md", "number-id.md", "PRIV001", 5),
    ("number-mobile.md", "number-mobile.md", "PRIV003", 5),
    ("number-mobile-86.md", "number-mobile-86.md", "PRIV003", 5),
    ("number-mobile-spaces.md", "number-mobile-spaces.md", "PRIV003", 5),
    ("number-mobile-dashes.md", "number-mobile-dashes.md", "PRIV003", 5),
    ("number-mobile-fullwidth.md", "number-mobile-fullwidth.md", "PRIV003", 5),
    ("number-front-matter.md", "number-front-matter.md", "PRIV003", 3),
    ("number-alt.md", "number-alt.md", "PRIV003", 5),
]


def test_check_safety_refuses_each_fixture_and_renders_no_trace(src, tmp_path):
    for fixture, rel, _, _ in SOURCE_CASES:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PAGES / fixture, src / rel)
    for name in ("xss-script.md", "xss-onerror.md", "number-address.md"):
        shutil.copy(PAGES / name, src / name)
    make_unsafe(src, tmp_path / "outside")
    index = content.load(src)
    dropped = safeinput.check_safety(index)
    codes = set(index.report.codes())
    for _, rel, code, line in SOURCE_CASES:
        assert (code, f"site_src/{rel}", line) in codes
        assert rel not in index.sources
    for rel, code in [("etc", "SAFE001"), ("passwd.md", "SAFE001"), ("dangling.jpg", "SAFE001"),
                      ("linked-folder", "SAFE001"), ("albums/root", "SAFE001"), ("pipe.md", "SAFE002"),
                      ("albums/spring/pipe.jpg", "SAFE002")]:
        assert (code, f"site_src/{rel}", None) in codes
        assert rel in index.refused and rel not in index.files
    assert ("XSS001", "site_src/xss-script.md", 5) in codes
    assert ("PRIV004", "site_src/number-address.md", 5) in codes
    # warnings keep the page (cleaned); errors take it out
    assert set(index.sources) == {"index.md", "xss-script.md", "xss-onerror.md", "number-address.md"}
    assert dropped == {rel for _, rel, code, _ in SOURCE_CASES if code != "CONTENT007"}
    rendered = "".join(sanitize.clean_html(markdown.markdown(s.body, extensions=["attr_list", "md_in_html"]))
                       for s in index.sources.values())
    for trace in ("xss-script", "onerror", "13800138000", "secret-outside-marker", "root:x:0", "etc/passwd"):
        assert trace not in rendered


def test_check_safety_leaves_a_clean_site_alone(src):
    index = content.load(src)
    assert safeinput.check_safety(index) == set()
    assert index.report.problems == []
    assert set(index.sources) == {"index.md"}


def test_fifo_is_never_opened(src):
    """content.load and check_safety return although nobody writes into the FIFO."""
    os.mkfifo(src / "pipe.md")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from bulletin import content, safeinput
        index = content.load(Path({str(src)!r}))
        safeinput.check_safety(index)
        print(sorted(index.report.codes()))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "[('SAFE002', 'site_src/pipe.md', None)]"
