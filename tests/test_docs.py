"""Every path and command the docs tell an editor to use exists: in the built sample, the
Makefile or the `bulletin` command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin import cli
from conftest import ROOT

DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
CODE = re.compile(r"`([^`\n]+)`")
PLACEHOLDER = re.compile(r"[^\x00-\x7f]|…|<|\{")  # 计划文件名.md, site_src/albums/相册文件夹/


def _spans() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        blocks = [body for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S) if lang in ("bash", "sh", "")]
        found += [(doc.name, m.group(1).strip()) for m in CODE.finditer(re.sub(r"```.*?```", "", text, flags=re.S))]
        found += [(doc.name, line.split("#")[0].strip()) for block in blocks for line in block.splitlines()]
    return [(name, span) for name, span in found if span]


SPANS = _spans()


def _site_paths():
    return sorted({(n, s) for n, s in SPANS if re.match(r"^(?:U盘/)?site/\S*$", s)})


def _make_targets():
    return sorted({(n, m.group(1)) for n, s in SPANS for m in re.finditer(r"\bmake (\w+)", s)})


def _commands():
    return sorted({(n, m.group(1)) for n, s in SPANS for m in re.finditer(r"\bbulletin (\w[\w-]*)", s)})


def test_the_docs_name_paths_and_commands_at_all():
    assert len(_site_paths()) >= 5 and len(_make_targets()) >= 4 and len(_commands()) >= 2


@pytest.mark.parametrize("doc,path", _site_paths())
def test_a_site_path_in_the_docs_exists_in_the_built_sample(sample_site, doc, path):
    rel = path.split("site/", 1)[1]
    if PLACEHOLDER.search(rel):
        pytest.skip("a placeholder, not a path")
    assert (sample_site / rel).exists(), f"{doc}: {path}"


@pytest.mark.parametrize("doc,target", _make_targets())
def test_a_make_target_in_the_docs_exists(doc, target):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{target}:", makefile, re.M), f"{doc}: make {target}"


@pytest.mark.parametrize("doc,command", _commands())
def test_a_bulletin_command_in_the_docs_exists(doc, command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0, f"{doc}: bulletin {command}"


def test_site_src_folders_in_the_docs_exist():
    paths = {s for _, s in SPANS if s.startswith("site_src/")}
    assert paths
    for path in paths:
        folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        folder = re.split(r"[^\x00-\x7f]", folder)[0]
        assert (ROOT / folder).is_dir(), path
