"""The package as users install it: a wheel that carries the theme, and a site's overrides.

The wheel test builds a wheel from the working tree, installs it into a fresh venv (without
the project's checkout on the path) and builds the sample site there with no custom_dir, so
every template, partial, stylesheet and screen asset must come from the wheel; the result is
compared file for file with the editable install's build of the same sample. The same venv
then builds the sample under ProperDocs, the maintained fork of MkDocs 1.6.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import helpers_media as h
from conftest import ROOT, build_site

PROPERDOCS = "properdocs==1.6.7"  # the ProperDocs release the sample is compared under


# A site's custom_dir overrides the album partials -------------------------------------------

OVERRIDE_CONFIG = """\
site_name: 覆盖测试
site_url: https://bulletin.example.org/
docs_dir: site_src
theme:
  name: material
  custom_dir: overrides
  language: zh
  font: false
plugins:
  - bulletin
"""


def test_site_custom_dir_overrides_the_album_partials(tmp_path):
    """An album page and the albums index use a site's own partials/album-*.html, as pages do."""
    album = tmp_path / "site_src" / "albums" / "spring"
    album.mkdir(parents=True)
    (tmp_path / "site_src" / "index.md").write_text("# 首页\n", encoding="utf-8")
    (album / "index.md").write_text("---\ntitle: 学雷锋活动\ndate: 2026-03-05\n---\n活动简介。\n", encoding="utf-8")
    h.phone_jpeg(album / "IMG_1.jpg")
    partials = tmp_path / "overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "album-facts.html").write_text('<p class="site-facts">本站自己的相册信息</p>\n', encoding="utf-8")
    (partials / "album-index.html").write_text(
        '<p class="site-index">本站自己的相册目录：{{ cards | length }} 个</p>\n', encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(OVERRIDE_CONFIG, encoding="utf-8")
    site = tmp_path / "site"
    build_site(tmp_path / "mkdocs.yml", site)
    page = (site / "albums" / "spring" / "index.html").read_text(encoding="utf-8")
    assert "本站自己的相册信息" in page
    assert 'class="bl-album-facts' not in page
    assert 'class="bl-album-grid"' in page  # the partials the site leaves alone are the plugin's
    listing = (site / "albums" / "index.html").read_text(encoding="utf-8")
    assert "本站自己的相册目录：1 个" in listing


# The wheel, installed into a fresh venv ---------------------------------------------------

def _run(args: list, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """Run a command away from the checkout: no PYTHONPATH, the checkout not the working dir."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    return result


def _sample_project(dest: Path, cache: Path) -> Path:
    """The sample's mkdocs.yml in `dest`, reading ROOT/site_src, with no custom_dir at all:
    every template and asset must come from the installed package."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (("  custom_dir: theme\n", ""), ("docs_dir: site_src\n", f"docs_dir: {ROOT / 'site_src'}\n"),
                     ("  - bulletin\n", f"  - bulletin:\n      cache_dir: {cache}\n")):
        assert old in text, f"mkdocs.yml no longer has {old!r}: update this test"
        text = text.replace(old, new)
    dest.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest / "mkdocs.yml"


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel built from the working tree, a fresh venv's python with it installed)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("bulletin", "theme"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", src], cwd=work)
    wheel = next((work / "dist").glob("bulletin-*.whl"))
    _run([sys.executable, "-m", "venv", "--without-pip", work / "venv"], cwd=work)
    python = work / "venv" / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile", wheel], cwd=work)
    return wheel, python


def test_the_wheel_carries_every_theme_file(wheel_venv):
    wheel, _ = wheel_venv
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n.removeprefix("bulletin/theme/") for n in archive.namelist() if n.startswith("bulletin/theme/")}
    ours = {p.relative_to(ROOT / "theme").as_posix() for p in (ROOT / "theme").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert ours and shipped == ours


def _tree(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


GENERATOR_RE = re.compile(rb'<meta name="generator" content="[^"]*">')


def _same(a: Path, b: Path, allow_generator: bool) -> bool:
    if filecmp.cmp(a, b, shallow=False):
        return True
    if not (allow_generator and a.suffix == ".html"):
        return False
    return GENERATOR_RE.sub(b"", a.read_bytes()) == GENERATOR_RE.sub(b"", b.read_bytes())


def _differences(left: Path, right: Path, allow_generator: bool = False) -> list[str]:
    """Files only in one of the two sites, and files in both whose bytes differ (but for
    the generator's name in each page's <meta name="generator">, if `allow_generator`)."""
    a, b = _tree(left), _tree(right)
    out = [f"只在 {left.name}：{n}" for n in sorted(a - b)] + [f"只在 {right.name}：{n}" for n in sorted(b - a)]
    return out + [f"内容不同：{n}" for n in sorted(a & b) if not _same(left / n, right / n, allow_generator)]


@pytest.fixture(scope="module")
def wheel_build(wheel_venv, tmp_path_factory) -> tuple[Path, Path]:
    """The sample built by the installed wheel's `bulletin build`: (its project, its site)."""
    _, python = wheel_venv
    project = tmp_path_factory.mktemp("installed") / "project"
    config = _sample_project(project, ROOT / ".cache")
    where = _run([python, "-c", "import bulletin, sys; print(bulletin.__file__)"], cwd=project).stdout
    assert Path(where.strip()).is_relative_to(python.parents[1]), f"bulletin imported from {where}"
    _run([python.parent / "bulletin", "-f", config, "build"], cwd=project)
    return project, project / "site"


@pytest.mark.slow
def test_the_installed_wheel_builds_the_sample_as_the_checkout_does(wheel_build, sample_site):
    """File for file and byte for byte the same site as the editable install builds."""
    _, site = wheel_build
    assert len(_tree(site)) > 300
    assert _differences(sample_site, site) == []


@pytest.mark.slow
def test_properdocs_builds_the_sample_as_mkdocs_does(wheel_venv, wheel_build):
    """ProperDocs (pinned) in place of MkDocs: the same plugin, the same site, but for the
    generator each page names in its <meta name="generator">."""
    _, python = wheel_venv
    project, site = wheel_build
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile", PROPERDOCS],
         cwd=project)
    other = project / "site-properdocs"
    _run([python.parent / "properdocs", "build", "-f", project / "mkdocs.yml", "-d", other], cwd=project)
    assert len(_tree(other)) > 300
    home = (other / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-' in home  # built by ProperDocs indeed
    assert _differences(site, other, allow_generator=True) == []


@pytest.mark.slow
def test_bulletin_runs_properdocs_where_mkdocs_is_not_installed(wheel_venv, wheel_build, tmp_path):
    """ProperDocs alone: `bulletin` reads mkdocs.yml and runs `python -m properdocs`.

    Uninstalls MkDocs from the module's venv, so it comes after every test that builds there."""
    _, python = wheel_venv
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile", PROPERDOCS],
         cwd=tmp_path)
    _run([sys.executable, "-m", "pip", "--python", python, "uninstall", "--quiet", "--yes", "mkdocs"], cwd=tmp_path)
    assert _run([python, "-c", "import importlib.util as u; print(u.find_spec('mkdocs'))"], cwd=tmp_path).stdout \
        == "None\n"
    (tmp_path / "site_src" / "plans").mkdir(parents=True)
    (tmp_path / "site_src" / "index.md").write_text("# 首页\n", encoding="utf-8")
    (tmp_path / "site_src" / "plans" / "plan-01.md").write_text("---\ntitle: 计划\n---\n\n正文。\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: site_src\n"
                                         "theme: {name: material, language: zh, font: false}\nplugins: [bulletin]\n",
                                         encoding="utf-8")
    bulletin = python.parent / "bulletin"
    _run([bulletin, "check"], cwd=tmp_path)
    for _ in range(2):
        built = _run([bulletin, "build"], cwd=tmp_path)
    assert "已发布到" in built.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-' in home
    assert (tmp_path / "site" / "zh-hk" / "plans" / "plan-01" / "index.html").is_file()
    _run([bulletin, "rollback"], cwd=tmp_path)


# Public MkDocs API ---------------------------------------------------------------------------

def _importers(package: Path, prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    """The modules of `package` (file → names) that import a module under one of `prefixes`,
    at any level: at the top, inside a function, or under TYPE_CHECKING."""
    import ast

    def under(name: str) -> bool:
        return (name + ".").startswith(tuple(p + "." for p in prefixes))

    found: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                hits = [a.name for a in node.names if under(a.name)]
            elif isinstance(node, ast.ImportFrom) and not node.level:  # `from mkdocs import commands` too
                hits = [node.module] if under(node.module) else \
                    [f"{node.module}.{a.name}" for a in node.names if under(f"{node.module}.{a.name}")]
            else:
                continue
            if hits:
                found.setdefault(path.relative_to(package.parent).as_posix(), []).extend(hits)
    return found


def test_no_module_imports_the_mkdocs_command_line():
    """mkdocs.__main__ is MkDocs' command line, not its API (ProperDocs has its own)."""
    assert _importers(ROOT / "bulletin", ("mkdocs.__main__", "properdocs.__main__")) == {}


def test_only_the_preview_imports_mkdocs_commands():
    """MkDocs is a command-line tool: build and serve are run as its command (bulletin/command.py),
    not imported from mkdocs.commands, its internals. Only the preview's quick path renders one
    page through MkDocs' own page steps, on purpose, and falls back to a full build."""
    found = _importers(ROOT / "bulletin", ("mkdocs.commands", "properdocs.commands"))
    assert found.keys() <= {"bulletin/preview.py"}, found


def test_the_import_check_sees_every_form(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("def f():\n    from mkdocs.commands.build import build\n")
    (package / "b.py").write_text("import mkdocs.commands.serve as serve\nimport mkdocs.commandsx\n")
    (package / "c.py").write_text("from .mkdocs.commands import x\nfrom mkdocs import commands, config\n")
    assert _importers(package, ("mkdocs.commands",)) == {"pkg/a.py": ["mkdocs.commands.build"],
                                                          "pkg/b.py": ["mkdocs.commands.serve"],
                                                          "pkg/c.py": ["mkdocs.commands"]}


def test_the_cli_logs_in_mkdocs_layout(capsys):
    import logging

    from bulletin import cli

    root = logging.getLogger("mkdocs")
    saved = root.handlers[:], root.level, root.propagate
    try:
        cli._setup_logging(verbose=False)
        logging.getLogger("mkdocs.plugins.bulletin").warning("第一行\n第二行")
        logging.getLogger("mkdocs.plugins.bulletin").info("已发布到 site")
    finally:
        root.handlers[:], root.level, root.propagate = saved
    assert capsys.readouterr().err == "WARNING -  第一行\n           第二行\nINFO    -  已发布到 site\n"
