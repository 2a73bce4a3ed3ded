"""Atomic publish: a build either replaces site/ completely or leaves it byte-identical."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bulletin import people, publish, sitecheck  # sitecheck registers the SITE codes a check reports
from bulletin.report import Report
from helpers_safety import tree_hash

ROOT = Path(__file__).resolve().parents[1]


def writer(version: str, pages: int = 5):
    """A build that writes a small complete site labelled `version`."""

    def build(into: Path) -> None:
        (into / "index.html").write_text(f"<h1>{version}</h1>", encoding="utf-8")
        for n in range(pages):
            (into / "plans").mkdir(exist_ok=True)
            (into / "plans" / f"{n}.html").write_text(f"{version} {n}", encoding="utf-8")

    return build


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f"{site.name}.tmp-") or
                  p.name.startswith(f"{site.name}.old-"))


@pytest.fixture
def site(tmp_path) -> Path:
    site = tmp_path / "site"
    publish.build_atomically(site, writer("v1"))
    return site


def test_first_build_publishes(tmp_path):
    site = tmp_path / "site"
    assert publish.build_atomically(site, writer("v1")) == site
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"
    assert leftovers(site) == []
    assert not (tmp_path / "site.prev").exists()


def test_second_build_replaces_and_keeps_the_previous(site):
    publish.build_atomically(site, writer("v2"))
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"
    assert (site.parent / "site.prev" / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"
    publish.build_atomically(site, writer("v3"))
    assert (site.parent / "site.prev" / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"
    assert leftovers(site) == []


def test_stale_files_of_the_old_site_do_not_survive(site):
    (site / "old-page.html").write_text("old", encoding="utf-8")
    publish.build_atomically(site, writer("v2"))
    assert not (site / "old-page.html").exists()


def test_build_that_fails_halfway_leaves_site_byte_identical(site):
    before = tree_hash(site)

    def fails_late(into: Path) -> None:
        writer("v2")(into)
        raise RuntimeError("plugin failed in on_post_build")

    with pytest.raises(RuntimeError):
        publish.build_atomically(site, fails_late)
    assert tree_hash(site) == before
    assert leftovers(site) == []


def test_disk_full_halfway_is_reported_in_chinese_and_cleaned_up(site, monkeypatch):
    before = tree_hash(site)
    written: list[str] = []
    real_write = Path.write_text

    def write_until_full(self, *args, **kwargs):
        if len(written) >= 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        written.append(str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_until_full)
    with pytest.raises(publish.PublishError) as caught:
        publish.build_atomically(site, writer("v2"))
    monkeypatch.undo()
    assert caught.value.code == "PUB003"
    assert "磁盘空间不足" in str(caught.value) and "保持原样" in str(caught.value)
    assert len(written) == 3  # it really did fail halfway
    assert tree_hash(site) == before
    assert leftovers(site) == []


def test_real_write_limit_in_a_subprocess_leaves_site_intact(site):
    """The kernel refuses a write (RLIMIT_FSIZE → EFBIG), as a full disk would."""
    before = tree_hash(site)
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from pathlib import Path
        from bulletin import publish
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        def build(into):
            (into / "index.html").write_text("<h1>v2</h1>")
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
            (into / "big.bin").write_bytes(b"x" * 100_000)
        try:
            publish.build_atomically(Path({str(site)!r}), build)
        except publish.PublishError as exc:
            print(exc.code)
            sys.exit(1)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == "PUB004"
    assert tree_hash(site) == before
    assert leftovers(site) == []


FULL_DISK = """
import hashlib, json, sys
from pathlib import Path
from bulletin import publish
sys.path.insert(0, "tests")
from helpers_safety import tree_hash
site = Path(sys.argv[1]) / "site"
def small(into):
    (into / "index.html").write_text("<h1>v1</h1>")
def huge(into):
    (into / "index.html").write_text("<h1>v2</h1>")
    for n in range(100):
        (into / f"photo-{n}.jpg").write_bytes(b"x" * 65536)
publish.build_atomically(site, small)
before = tree_hash(site)
try:
    publish.build_atomically(site, huge)
    code = None
except publish.PublishError as exc:
    code, message = exc.code, str(exc)
print(json.dumps({"code": code, "message": message, "same": tree_hash(site) == before,
                  "left": sorted(p.name for p in site.parent.iterdir())}))
"""


def test_a_really_full_disk_in_a_private_tmpfs(tmp_path):
    """A 512 KiB tmpfs, mounted in a private namespace (nothing outside sees it), fills up."""
    if not shutil.which("unshare"):
        pytest.skip("unshare is not installed: the simulated full disk above covers this case")
    mount = tmp_path / "disk"
    mount.mkdir()
    script = (f"mount -t tmpfs -o size=512k tmpfs {mount} || exit 77; "
              f"exec {sys.executable} -c '{FULL_DISK}' {mount}")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    if result.returncode == 77 or "unshare failed" in result.stderr:
        pytest.skip(f"cannot mount a private tmpfs here ({result.stderr.strip()[:80]})")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["code"] == "PUB003" and "磁盘空间不足" in outcome["message"]
    assert outcome["same"] is True
    assert outcome["left"] == [".site-build.lock", "site"]


def test_ctrl_c_during_the_build_leaves_site_intact(site):
    before = tree_hash(site)

    def interrupted(into: Path) -> None:
        writer("v2")(into)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish.build_atomically(site, interrupted)
    assert tree_hash(site) == before
    assert leftovers(site) == []


def test_real_sigint_to_a_building_process(site):
    before = tree_hash(site)
    ready = site.parent / "ready"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from bulletin import publish
        def build(into):
            (into / "index.html").write_text("<h1>v2</h1>")
            Path({str(ready)!r}).touch()
            time.sleep(30)
        publish.build_atomically(Path({str(site)!r}), build)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    _wait_for(ready.exists)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode != 0 and "KeyboardInterrupt" in stderr
    assert tree_hash(site) == before
    assert leftovers(site) == []


def test_incomplete_build_is_not_published(site):
    before = tree_hash(site)
    with pytest.raises(publish.PublishError) as caught:
        publish.build_atomically(site, lambda into: (into / "other.html").write_text("x"))
    assert caught.value.code == "PUB002" and "index.html" in str(caught.value)
    assert tree_hash(site) == before


def test_check_errors_stop_the_publish(site):
    before = tree_hash(site)

    def check(into: Path) -> Report:
        report = Report()
        assert (into / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"  # checks the new build
        report.add("SITE001", "site/index.html", 3, kind="手机号码", masked="138******00")
        return report

    with pytest.raises(publish.PublishError) as caught:
        publish.build_atomically(site, writer("v2"), check)
    assert caught.value.code == "PUB005"
    assert caught.value.report.codes() == [("SITE001", "site/index.html", 3)]
    assert tree_hash(site) == before
    assert leftovers(site) == []


def test_a_clean_check_publishes(site):
    publish.build_atomically(site, writer("v2"), lambda into: Report())
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"


def test_leftovers_of_a_killed_build_are_removed(site):
    stale = site.parent / "site.tmp-999999"
    stale.mkdir()
    (stale / "index.html").write_text("half")
    publish.build_atomically(site, writer("v2"))
    assert leftovers(site) == []


def test_without_renameat2_two_renames_do_the_same(site, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    publish.build_atomically(site, writer("v2"))
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"
    assert (site.parent / "site.prev" / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"
    publish.rollback(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"


def test_a_failed_swap_restores_everything(site, monkeypatch):
    publish.build_atomically(site, writer("v2"))
    before, prev_before = tree_hash(site), tree_hash(site.parent / "site.prev")

    def broken(a, b):
        raise OSError(errno.EIO, "I/O error", str(b))

    monkeypatch.setattr(publish, "_exchange", broken)
    with pytest.raises(publish.PublishError) as caught:
        publish.build_atomically(site, writer("v3"))
    assert caught.value.code == "PUB007"
    assert tree_hash(site) == before
    assert tree_hash(site.parent / "site.prev") == prev_before
    assert leftovers(site) == []


def test_rollback_swaps_back_and_forth(site):
    publish.build_atomically(site, writer("v2"))
    publish.rollback(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"
    publish.rollback(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"


def test_rollback_without_a_previous_site(site):
    with pytest.raises(publish.PublishError) as caught:
        publish.rollback(site)
    assert caught.value.code == "PUB006" and "site.prev" in str(caught.value)


HOLDER = """
import sys, time
from pathlib import Path
from bulletin import people, publish, sitecheck  # sitecheck registers the SITE codes a check reports
site, ready = Path(sys.argv[1]), Path(sys.argv[2])
def build(into):
    for n in range(20):
        (into / f"{n}.html").write_text(str(n))
    ready.touch()
    time.sleep(float(sys.argv[3]))
    (into / "index.html").write_text("<h1>from the first build</h1>")
publish.build_atomically(site, build)
"""


def test_two_builds_at_once_one_site_and_a_clear_message(site):
    ready = site.parent / "ready"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(site), str(ready), "3"], cwd=ROOT,
                             stderr=subprocess.PIPE, text=True)
    _wait_for(ready.exists)
    with pytest.raises(publish.PublishError) as caught:
        publish.build_atomically(site, writer("second"))
    message = str(caught.value)
    assert caught.value.code == "PUB001"
    assert "另一个构建正在进行" in message and f"进程 {first.pid}" in message
    assert first.wait(timeout=60) == 0, first.stderr.read()
    assert (site / "index.html").read_text() == "<h1>from the first build</h1>"
    assert len(list(site.glob("*.html"))) == 21
    assert leftovers(site) == []
    publish.build_atomically(site, writer("third"))  # the lock was released
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>third</h1>"


def test_rollback_waits_for_no_one_and_refuses_during_a_build(site):
    publish.build_atomically(site, writer("v2"))
    ready = site.parent / "ready"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(site), str(ready), "2"], cwd=ROOT)
    _wait_for(ready.exists)
    with pytest.raises(publish.PublishError) as caught:
        publish.rollback(site)
    assert caught.value.code == "PUB001"
    first.wait(timeout=60)


def test_a_killed_build_leaves_no_lock_behind(site):
    before = tree_hash(site)
    ready = site.parent / "ready"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(site), str(ready), "60"], cwd=ROOT)
    _wait_for(ready.exists)
    first.kill()
    first.wait(timeout=30)
    assert tree_hash(site) == before
    assert leftovers(site) != []  # SIGKILL leaves its folder …
    publish.build_atomically(site, writer("v2"))  # … the next build may start, and cleans it up
    assert leftovers(site) == []
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"


def test_published_name_of_a_build_folder():
    assert publish.published_name("/srv/www/site.tmp-4242") == "site"
    assert publish.published_name(Path("public")) == "public"


def test_lock_file_is_beside_site_and_ignored_by_git(tmp_path):
    where = publish.paths(tmp_path / "site")
    assert where["lock"].name == ".site-build.lock"
    assert where["tmp"].name == f"site.tmp-{os.getpid()}"
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/.site-*" in ignored and "/site.*/" in ignored


def _wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the other build did not start")
        time.sleep(0.02)


# ---------------------------------------------------------------- withheld people and site.prev

def site_with_people(version: str, slugs: list[str], text: str = ""):
    """A build that writes profile pages people/<slug>/ (and one category page, never a profile)."""

    def write_site(into: Path) -> None:
        (into / "index.html").write_text(f"<h1>{version}</h1>{text}", encoding="utf-8")
        for slug in slugs:
            (into / "people" / slug).mkdir(parents=True)
            (into / "people" / slug / "index.html").write_text(version, encoding="utf-8")
        (into / "people" / "zhuren-weile").mkdir(parents=True, exist_ok=True)
        (into / "people" / "zhuren-weile" / "index.html").write_text(version, encoding="utf-8")

    return write_site


def test_site_prev_is_kept_when_nobody_is_dropped(tmp_path):
    site = tmp_path / "site"
    publish.build_atomically(site, site_with_people("v1", ["a", "b"]))
    publish.build_atomically(site, site_with_people("v2", ["a", "b", "c"]))
    assert (tmp_path / "site.prev" / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"


def test_site_prev_is_dropped_when_a_profile_is_gone(tmp_path, caplog):
    site = tmp_path / "site"
    publish.build_atomically(site, site_with_people("v1", ["a", "b"]))
    publish.build_atomically(site, site_with_people("v2", ["a", "b"]))
    with caplog.at_level("INFO", logger="mkdocs.bulletin.publish"):
        publish.build_atomically(site, site_with_people("v3", ["a"]))
    assert not (tmp_path / "site.prev").exists()
    assert "people/b/" in caplog.text and "已删除上一版本" in caplog.text
    assert not [p for p in tmp_path.iterdir() if ".old-" in p.name or ".tmp-" in p.name]


def test_site_prev_is_dropped_when_it_names_a_withheld_person_anywhere(tmp_path):
    """Given who is withheld now, their name anywhere in the old site counts: in the gzip'd
    search index, in the other script, as an escaped name in JSON (the screen's data)."""
    import gzip

    site, prev = tmp_path / "site", tmp_path / "site.prev"
    withheld = [people.Withheld("people/yu.md", "于秀兰", "withdrawn")]

    def with_fragment(into: Path) -> None:
        site_with_people("v1", [])(into)
        (into / "pagefind").mkdir()
        (into / "pagefind" / "f.pf_fragment").write_bytes(gzip.compress(b"pagefind_dcd" + "于秀蘭".encode()))

    publish.build_atomically(site, with_fragment)
    assert publish.people_in(site, withheld) == ["于秀兰（已撤回同意，见 site_src/people/yu.md）"]
    publish.build_atomically(site, with_fragment)
    assert prev.is_dir()  # without knowing who is withheld, no profile page went: kept
    publish.build_atomically(site, site_with_people("v2", []), withheld=withheld)
    assert not prev.exists()
    escaped = json.dumps({"name": "于秀兰"})
    assert "于" not in escaped
    (site / "bundle.json").write_text(escaped, encoding="utf-8")
    assert publish.people_in(site, withheld) == ["于秀兰（已撤回同意，见 site_src/people/yu.md）"]


def test_rollback_api_refuses_and_leaves_both_sites(tmp_path):
    site = tmp_path / "site"
    publish.build_atomically(site, site_with_people("v1", ["yu"]))
    publish.build_atomically(site, site_with_people("v2", ["yu", "qian"]))
    withheld = [people.Withheld("people/yu.md", "于秀兰", "no-consent")]
    with pytest.raises(publish.PublishError) as caught:
        publish.rollback(site, withheld)
    assert caught.value.code == "PUB009" and "没有同意发布的记录" in str(caught.value)
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v2</h1>"
    publish.rollback(site, [people.Withheld("people/gone.md", "何某某", "withdrawn")])
    assert (site / "index.html").read_text(encoding="utf-8") == "<h1>v1</h1>"
