"""Content loading: one case per problem code, asserting (code, file, line)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from bulletin import content


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def src(tmp_path) -> Path:
    root = tmp_path / "site_src"
    root.mkdir()
    return root


GOOD_PLAN = """
---
title: 社区文明创建工作计划
community: 幸福社区
year: 2026
date: 2026-02-03
tags: [文明创建, 志愿服务]
---

## 一、指导思想

正文。
"""


def test_good_plan_is_accepted_with_line_numbers(src):
    write(src, "plans/plan-01.md", GOOD_PLAN)
    index = content.load(src)
    assert index.report.problems == []
    source = index.sources["plans/plan-01.md"]
    assert source.kind == "plan"
    assert source.slug == "plan-01"
    assert source.meta["title"] == "社区文明创建工作计划"
    assert source.meta["tags"] == ["文明创建", "志愿服务"]
    assert source.lines["title"] == 2 and source.lines["tags"] == 6
    assert source.body_line == 8
    assert source.body.lstrip().startswith("## 一、指导思想")


CASES = [
    # (file, text, expected (code, line))
    ("broken YAML", "---\ntitle: 计划: 第一篇\n---\n正文\n", ("CONTENT001", 2)),
    ("tab indent", "---\ntitle: 计划\ntags:\n\t- 环境\n---\n", ("CONTENT001", 4)),
    ("unterminated", "---\ntitle: 计划\n\n正文没有结束线\n", ("CONTENT002", 1)),
    ("unknown key", "---\ntitle: 计划\ncomunity: 幸福社区\n---\n", ("CONTENT003", 3)),
    ("missing title", "---\ncommunity: 幸福社区\n---\n正文\n", ("CONTENT004", 1)),
    ("wrong type", "---\ntitle: 计划\nyear: 去年\n---\n", ("CONTENT005", 3)),
    ("list front matter", "---\n- a\n- b\n---\n", ("CONTENT006", 2)),
    ("empty value", "---\ntitle: 计划\nrecipient:\n---\n", ("CONTENT010", 3)),
]


@pytest.mark.parametrize("label,text,expected", CASES, ids=[c[0] for c in CASES])
def test_each_problem_names_code_file_and_line(src, label, text, expected):
    write(src, "plans/plan-02.md", text)
    index = content.load(src)
    code, line = expected
    assert (code, "site_src/plans/plan-02.md", line) in index.report.codes()
    problem = next(p for p in index.report.problems if p.code == code)
    assert problem.message and all("\u4e00" <= ch <= "\u9fff" for ch in problem.message[:2])


def test_errors_skip_the_page_warnings_keep_it(src):
    write(src, "plans/bad.md", "---\ntitle: 计划: 第一篇\n---\n")
    write(src, "plans/typo.md", "---\ntitle: 计划\ncomunity: 幸福社区\n---\n")
    index = content.load(src)
    assert "plans/bad.md" not in index.sources
    assert "plans/typo.md" in index.sources
    assert "site_src/plans/bad.md" in index.report.skipped
    assert "是不是「community」" in index.report.problems[-1].message or any(
        "是不是「community」" in p.message for p in index.report.problems)


def test_gbk_file_names_the_encoding(src):
    write(src, "plans/gbk.md", "---\ntitle: 社区计划\n---\n为了全面做好工作\n".encode("gbk"))
    index = content.load(src)
    assert index.report.codes() == [("CONTENT007", "site_src/plans/gbk.md", 1)]
    assert "GBK" in index.report.problems[0].message
    assert "plans/gbk.md" not in index.sources


def test_utf8_bom_is_accepted(src):
    write(src, "plans/bom.md", "\ufeff---\ntitle: 计划\n---\n正文\n".encode("utf-8"))
    index = content.load(src)
    assert index.report.problems == []
    assert index.sources["plans/bom.md"].meta["title"] == "计划"


def test_non_ascii_markdown_name_is_refused_with_a_suggestion(src):
    write(src, "plans/计划 一.md", GOOD_PLAN)
    index = content.load(src)
    assert [c[0] for c in index.report.codes()] == ["CONTENT008"]
    assert not index.sources


def test_symlink_and_fifo_are_refused_without_reading(src, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密")
    os.symlink(secret, src / "link.md")
    os.symlink(tmp_path / "nowhere", src / "dangling.jpg")
    os.symlink("/etc", src / "etc")
    os.mkfifo(src / "pipe.md")
    index = content.load(src)  # a FIFO that were opened would block here forever
    codes = sorted(index.report.codes())
    assert codes == [
        ("SAFE001", "site_src/dangling.jpg", None),
        ("SAFE001", "site_src/etc", None),
        ("SAFE001", "site_src/link.md", None),
        ("SAFE002", "site_src/pipe.md", None),
    ]
    assert index.refused == {"link.md", "dangling.jpg", "etc", "pipe.md"}
    assert index.files == [] and index.sources == {}


def test_kinds_follow_the_folders():
    assert content.kind_of("plans/plan-01.md") == "plan"
    assert content.kind_of("plans/index.md") == "page"
    assert content.kind_of("albums/spring/index.md") == "album"
    assert content.kind_of("people/wang.md") == "person"
    assert content.kind_of("about.md") == "page"
