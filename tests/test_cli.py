"""The `bulletin` command as an editor runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    assert bulletin(root, "build", "--strict").returncode == 1


def test_the_sample_site_has_no_script_warning():
    from bulletin import checks
    from mkdocs.config import load_config

    report = checks.check_sources(ROOT / "site_src", load_config(config_file=str(ROOT / "mkdocs.yml")))
    assert [str(p) for p in report.problems if p.code.startswith("SCRIPT")] == []
