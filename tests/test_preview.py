"""`bulletin serve`: a saved change to a page's text renders that page alone, in every script,
and the page then equals what a full build makes of it; the search index and the screen
follow; anything the quick path cannot show alone (front matter, a withheld person named)
builds the whole site."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin import search_bundle
from test_safeinput import _fetch as _fetch_served, _free_port

ROOT = Path(__file__).resolve().parents[1]
PLAN = "plan-04"  # its title carries a compilation number and its year is a placeholder
LIVERELOAD = re.compile(r"<script>\s*var livereload.*?</script>", re.S)


def _fetch(url: str) -> str | None:
    """The page as served, without the live-reload script the server adds."""
    page = _fetch_served(url)
    return LIVERELOAD.sub("", page) if page is not None else None


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}")


class Preview:
    """`bulletin serve` on a copy of the sample site, its log in a file, its site folder found."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.src = where / "site_src"
        shutil.copytree(ROOT / "site_src", self.src)
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        (where / "mkdocs.yml").write_text(config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"),
                                          encoding="utf-8")
        self.tmp = where / "tmp"
        self.tmp.mkdir()
        self.log_path = where / "serve.log"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc = None

    def start(self) -> None:
        env = dict(os.environ, TMPDIR=str(self.tmp), NO_MKDOCS_2_WARNING="1")
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "-f", "mkdocs.yml", "serve", "-a",
                                      f"127.0.0.1:{self.port}"], cwd=self.where, env=env,
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        _wait_for(lambda: _fetch(self.url + f"plans/{PLAN}/"), 300, "the first build")
        _wait_for(lambda: "Serving on" in self.log(), 60, "the server")
        time.sleep(0.5)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def site(self) -> Path:
        (found,) = [p for p in self.tmp.iterdir() if p.name.startswith("mkdocs_")]
        return found

    def builds(self) -> int:
        return self.log().count("Documentation built")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(timeout=60)
            self.log_file.close()


@pytest.fixture
def preview(tmp_path):
    server = Preview(tmp_path)
    person = server.src / "people" / "2026-10-liu-yang.md"  # withheld: consent withdrawn
    person.write_text(person.read_text(encoding="utf-8").replace("guardian: 刘建军}", "guardian: 刘建军, withdrawn: true}"),
                      encoding="utf-8")
    server.start()
    yield server
    server.stop()


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{text}\n", encoding="utf-8")


@pytest.mark.slow
def test_a_saved_text_shows_alone_and_equals_a_full_build(preview):
    plan = preview.src / "plans" / f"{PLAN}.md"
    pages = [f"plans/{PLAN}/", f"zh-hk/plans/{PLAN}/"]
    builds = preview.builds()

    _append(plan, "## 预览标记节\n\n预览标记QUICK1：后来补上的一句。")
    for page in pages:
        _wait_for(lambda: "QUICK1" in (_fetch(preview.url + page) or ""), 30, f"QUICK1 on /{page}")
    assert f"已更新 plans/{PLAN}.md" in preview.log()
    assert preview.builds() == builds, "a change to a plan's text built the whole site"
    assert "預覽標記" in _fetch(preview.url + pages[1])  # converted like every page
    quick = {page: _fetch(preview.url + page) for page in pages}

    # search and the screen follow in the background
    _wait_for(lambda: "预览的搜索和大屏已更新" in preview.log(), 120, "the search index")
    bundle = preview.site() / "pagefind"
    entry = json.loads(bundle.joinpath("pagefind-entry.json").read_text(encoding="utf-8"))
    assert len(entry["languages"]) == 2
    for lang, language in entry["languages"].items():
        assert bundle.joinpath(f"pagefind.{language['hash']}.pf_meta").is_file(), "the entry names a missing index"
        (record,) = [r for r in search_bundle.read_fragments(bundle, lang) if f"plans/{PLAN}/" in r["url"]]
        assert "QUICK1" in record["content"], lang

    # a full build (mkdocs.yml saved) makes the same site, every file of every variant
    before = _files(preview.site())
    os.utime(preview.where / "mkdocs.yml")
    _wait_for(lambda: preview.builds() > builds, 300, "the full build")
    time.sleep(0.5)
    for page in pages:
        assert _fetch(preview.url + page) == quick[page], f"/{page}: quick path and full build differ"
    after = _files(preview.site())
    assert sorted(before) == sorted(after)
    assert [rel for rel in before if before[rel] != after[rel]] == []


def _files(site: Path) -> dict[str, bytes]:
    """Every file the preview serves but the search bundle (which keeps older index files)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).parts[0] != "pagefind"}


@pytest.mark.slow
def test_front_matter_builds_everything(preview):
    plan = preview.src / "plans" / f"{PLAN}.md"
    builds = preview.builds()
    text = plan.read_text(encoding="utf-8")
    plan.write_text(re.sub(r"^title: .*$", "title: 新标题TITLE2", text, count=1, flags=re.M), encoding="utf-8")
    _wait_for(lambda: preview.builds() > builds, 300, "the full build")
    assert "TITLE2" in _wait_for(lambda: _fetch(preview.url + "plans/"), 30, "the listing")
    assert f"已更新 plans/{PLAN}.md" not in preview.log()


@pytest.mark.slow
def test_a_withheld_name_in_new_text_takes_the_page_out(preview):
    plan = preview.src / "plans" / f"{PLAN}.md"
    builds = preview.builds()
    _append(plan, "感谢刘洋同学的帮助。")
    _wait_for(lambda: preview.builds() > builds, 300, "the full build")
    time.sleep(0.5)
    for page in (f"plans/{PLAN}/", f"zh-hk/plans/{PLAN}/"):
        assert "刘洋" not in (_fetch(preview.url + page) or "") and "劉洋" not in (_fetch(preview.url + page) or "")
    assert "PERSON014" in preview.log()
    assert f"已更新 plans/{PLAN}.md" not in preview.log()


@pytest.mark.slow
def test_a_new_caption_shows_on_the_album_alone(preview):
    album = preview.src / "albums" / "square-gala" / "index.md"
    builds = preview.builds()
    album.write_text(album.read_text(encoding="utf-8").replace("开场舞《红红火火》", "开场舞CAPTION3"), encoding="utf-8")
    for page in ("albums/square-gala/", "zh-hk/albums/square-gala/"):
        _wait_for(lambda: "CAPTION3" in (_fetch(preview.url + page) or ""), 30, f"the caption on /{page}")
    assert "開場舞" in _fetch(preview.url + "zh-hk/albums/square-gala/")
    assert "已更新 albums/square-gala/index.md" in preview.log()
    assert preview.builds() == builds


@pytest.mark.slow
def test_a_profile_summary_shows_on_every_list_alone_and_equals_a_full_build(preview):
    person = preview.src / "people" / "2026-11-yu-xiulan.md"
    builds = preview.builds()
    text = person.read_text(encoding="utf-8")
    person.write_text(re.sub(r"^summary: .*$", "summary: 新的事迹摘要SUMMARY4", text, count=1, flags=re.M),
                      encoding="utf-8")
    pages = ["people/2026-11-yu-xiulan/", "people/", "zh-hk/people/", ""]
    for page in pages:
        _wait_for(lambda: "SUMMARY4" in (_fetch(preview.url + page) or ""), 30, f"the summary on /{page}")
    assert "事蹟摘要" in _fetch(preview.url + "zh-hk/people/")
    assert "已更新 people/2026-11-yu-xiulan.md" in preview.log()
    assert preview.builds() == builds
    quick = {page: _fetch(preview.url + page) for page in pages}
    os.utime(preview.where / "mkdocs.yml")
    _wait_for(lambda: preview.builds() > builds, 300, "the full build")
    time.sleep(0.5)
    for page in pages:
        assert _fetch(preview.url + page) == quick[page], f"/{page}: quick path and full build differ"


@pytest.mark.slow
def test_hostile_text_is_cleaned_or_builds_everything(preview):
    plan = preview.src / "plans" / f"{PLAN}.md"
    builds = preview.builds()
    _append(plan, 'MARKUP5<script>alert("x")</script><img src=x onerror=alert(1)>')
    for page in (f"plans/{PLAN}/", f"zh-hk/plans/{PLAN}/"):
        shown = _wait_for(lambda: (lambda t: t if "MARKUP5" in t else None)(_fetch(preview.url + page) or ""), 30,
                          f"MARKUP5 on /{page}")
        assert 'alert("x")' not in shown and "onerror" not in shown
    assert preview.builds() == builds
    _append(plan, "联系人身份证：11010519491231002X")  # a personal number: the build's own refusal
    _wait_for(lambda: preview.builds() > builds, 300, "the full build")
    time.sleep(0.5)
    for page in (f"plans/{PLAN}/", f"zh-hk/plans/{PLAN}/"):
        assert "11010519491231002X" not in (_fetch(preview.url + page) or "")
    assert "PRIV001" in preview.log()
