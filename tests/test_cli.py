"""The `bulletin` command as an editor runs it."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pdfplumber
import psutil
import pytest

from bulletin import command, publish
from conftest import ROOT


def project(tmp_path: Path, pages: dict[str, str]) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: 测试\ndocs_dir: site_src\ntheme: {name: material, language: zh, font: false}\n"
        "plugins: [bulletin]\n", encoding="utf-8")
    for rel, text in pages.items():
        path = tmp_path / "site_src" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def bulletin(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_check_lists_problems_and_risky_conversions_with_lines(tmp_path):
    root = project(tmp_path, {
        "index.md": "# 首页\n",
        "plans/plan-01.md": "---\ntitle: 计划\ncomunity: 幸福社区\n---\n\n第一行。\n\n闻到楼道里有焦糊味。理发师为老人理头发。\n",
    })
    result = bulletin(root, "check")
    out = result.stdout
    assert "site_src/plans/plan-01.md:3: CONTENT003" in out
    assert "site_src/plans/plan-01.md:8: SCRIPT008" in out and "「里」" in out and "「发」" not in out
    assert result.returncode == 0  # warnings only
    assert bulletin(root, "check", "--strict").returncode == 1


def test_check_fails_on_an_error_without_traceback(tmp_path):
    root = project(tmp_path, {"index.md": "# 首页\n", "plans/plan-01.md": "---\ntitle: 计划: 一\n---\n"})
    result = bulletin(root, "check")
    assert result.returncode == 1
    assert "site_src/plans/plan-01.md:2: CONTENT001" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_build_publishes_and_a_failed_build_keeps_the_previous_site(tmp_path):
    root = project(tmp_path, {"index.md": "# 首页\n\n欢迎。\n", "plans/plan-01.md": "---\ntitle: 计划\n---\n\n正文。\n"})
    assert bulletin(root, "build").returncode == 0
    published = (root / "site" / "plans" / "plan-01" / "index.html").read_text(encoding="utf-8")
    (root / "site_src" / "plans" / "plan-02.md").write_text("---\ntitle: 坏: 计划\n---\n", encoding="utf-8")
    result = bulletin(root, "build")
    assert result.returncode == 1
    assert "CONTENT001" in result.stderr and "Traceback" not in result.stderr
    # MkDocs' English closing line gives way to ours
    assert result.stderr.rstrip().endswith(f"网站未发布，{root / 'site'} 保持原样。")
    assert "Aborted with" not in result.stdout + result.stderr
    assert (root / "site" / "plans" / "plan-01" / "index.html").read_text(encoding="utf-8") == published
    assert not (root / "site" / "plans" / "plan-02").exists()


def test_import_plans_prints_the_report(tmp_path):
    from conftest import SHARED

    result = bulletin(ROOT, "import-plans", str(SHARED / "seed" / "000_98485ed91a327be3.txt"),
                      "--out", str(tmp_path / "plans"))
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "plans").glob("plan-*.md"))) == 25
    assert "25" in result.stdout


def test_check_and_build_list_the_same_script_warning(tmp_path):
    root = project(tmp_path, {
        "index.md": "# 首页\n",
        "plans/plan-01.md": "---\ntitle: 计划\n---\n\n第一行。\n\n闻到楼道里有焦糊味。\n",
    })
    checked = bulletin(root, "check")
    built = bulletin(root, "build")
    line = "site_src/plans/plan-01.md:7: SCRIPT008"
    assert line in checked.stdout and line in built.stdout + built.stderr
    assert built.returncode == 0  # a warning: the site is published
    strict = bulletin(root, "build", "--strict")
    assert strict.returncode == 1 and line in strict.stderr and "网站未发布" in strict.stderr
    assert "Aborted with" not in strict.stdout + strict.stderr


def test_the_sample_site_has_no_script_warning():
    from bulletin import checks
    from mkdocs.config import load_config

    report = checks.check_sources(ROOT / "site_src", load_config(config_file=str(ROOT / "mkdocs.yml")))
    assert [str(p) for p in report.problems if p.code.startswith("SCRIPT")] == []


# MkDocs' command line in a child process ------------------------------------------------------

def test_posters_reach_the_mkdocs_process_with_their_paper(tmp_path):
    """`bulletin posters --paper` turns posters on in the build it runs, whatever mkdocs.yml says."""
    root = project(tmp_path, {"index.md": "# 首页\n", "plans/plan-01.md": "---\ntitle: 计划\n---\n\n正文。\n"})
    assert bulletin(root, "build").returncode == 0
    assert not (root / "site" / "posters").exists()  # mkdocs.yml leaves them off
    result = bulletin(root, "posters", "--paper", "A4-landscape")
    assert result.returncode == 0, result.stderr
    for pdf in ("plans/plan-01.pdf", "zh-hk/plans/plan-01.pdf"):
        with pdfplumber.open(root / "site" / "posters" / pdf) as printed:
            assert (round(printed.pages[0].width), round(printed.pages[0].height)) == (842, 595)


@pytest.mark.parametrize("who", ["terminal", "process"])
def test_ctrl_c_stops_the_build_quietly_and_publishes_nothing(tmp_path, who):
    """At a terminal Ctrl-C reaches MkDocs' process too; sent to `bulletin` alone, it is passed on.
    Either way `bulletin` ends after MkDocs' process, not before."""
    root = project(tmp_path, {"index.md": "# 首页\n", "plans/plan-01.md": "---\ntitle: 计划\n---\n\n正文。\n"})
    proc = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "build"], cwd=root, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, process_group=0)
    log = []
    for line in proc.stderr:
        log.append(line)
        if "Building documentation" in line:
            break
    children = psutil.Process(proc.pid).children(recursive=True)
    assert children
    if who == "terminal":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    log += proc.stderr.readlines()
    assert proc.wait(timeout=30) == 130
    assert log[-1] == "已中断。\n" and "Traceback" not in "".join(log), "".join(log)
    assert psutil.wait_procs(children, timeout=0)[1] == []
    assert not (root / "site").exists() and not list(root.glob("site.tmp-*"))


def _child(monkeypatch, code: str) -> None:
    """command.run's child: a short Python program instead of MkDocs."""
    monkeypatch.setattr(command, "command", lambda name, options: [sys.executable, "-c", code])


def test_the_child_log_passes_line_by_line_but_for_mkdocs_abort_line(monkeypatch, capfd):
    _child(monkeypatch, "import sys, time\n"
                        "print('INFO    -  一', file=sys.stderr, flush=True)\n"
                        "print('WARNING -  二\\n\\n三', file=sys.stderr)\n"
                        "print('\\nAborted with a BuildError!')\n"
                        "sys.exit(1)\n")
    with pytest.raises(command.Failed):
        command.run("build", [])
    assert capfd.readouterr().err == "INFO    -  一\nWARNING -  二\n\n三\n"


def test_the_log_colours_levels_on_a_terminal():
    out = io.StringIO()
    log = command.Log(out, color=True)
    for line in ("WARNING -  坏链接\n", "INFO    -  已构建\n", "ERROR   -  出错\n"):
        log.line(line)
    assert out.getvalue() == ("\033[33mWARNING -  \033[0m坏链接\nINFO    -  已构建\n"
                              "\033[31mERROR   -  \033[0m出错\n")


def test_a_full_disk_in_mkdocs_process_is_reported_as_ever(monkeypatch, tmp_path, capfd):
    """The child's traceback of ENOSPC becomes the OSError, which the publish reports (PUB003)."""
    _child(monkeypatch, "import errno, os\n"
                        "print('INFO    -  Building documentation', flush=True)\n"
                        "raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), '/srv/site.tmp-1/a.jpg')\n")
    with pytest.raises(publish.PublishError) as caught:
        publish.build_atomically(tmp_path / "site", lambda into: command.run("build", []))
    assert caught.value.code == "PUB003" and "/srv/site.tmp-1/a.jpg" in str(caught.value)
    err = capfd.readouterr().err
    assert err == "INFO    -  Building documentation\n"
    assert not list(tmp_path.glob("site.tmp-*"))


def test_any_other_traceback_is_passed_on(monkeypatch, capfd):
    _child(monkeypatch, "raise RuntimeError('插件出错')")
    with pytest.raises(command.Failed):
        command.run("build", [])
    err = capfd.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and err.endswith("RuntimeError: 插件出错\n")


def test_properdocs_runs_where_mkdocs_is_not_installed(monkeypatch):
    found = {"mkdocs": None, "properdocs": object()}
    monkeypatch.setattr(command.importlib.util, "find_spec", lambda name: found[name])
    assert command.program() == "properdocs"
    assert command.command("build", ["-d", "x"])[1:] == ["-m", "properdocs", "build", "-d", "x"]
    found["mkdocs"] = type("Spec", (), {"name": "mkdocs"})()
    assert command.program() == "mkdocs"
    found["mkdocs"] = type("Spec", (), {"name": "properdocs"})()  # after properdocs.replacement
    assert command.program() == "properdocs"
