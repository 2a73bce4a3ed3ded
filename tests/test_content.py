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
    ("YAML alias", "---\ntitle: 计划\nsource: &a 汇编\nsummary: *a\n---\n", ("CONTENT011", 4)),
    ("alias in a list", "---\ntitle: 计划\ntags: &t [环境]\nsummary: [*t]\n---\n", ("CONTENT011", 4)),
    ("merge key", "---\ntitle: 计划\nvariant_of: &v {plan: a}\nnormalised:\n  <<: *v\n---\n", ("CONTENT011", 5)),
    ("undefined alias", "---\ntitle: 计划\nsummary: *nowhere\n---\n", ("CONTENT011", 3)),
    ("front matter too big", "---\ntitle: 计划\nsummary: " + "字" * 22_000 + "\n---\n", ("CONTENT013", 1)),
    ("nested too deep", "---\ntitle: 计划\nsummary: " + "[" * 25 + "]" * 25 + "\n---\n", ("CONTENT014", 3)),
    ("bidi override", "---\ntitle: 计划\n---\n\n付款给\u202e0001\u202c元\n", ("CONTENT016", 5)),
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


# Bounded reading ------------------------------------------------------------------------

BOMB = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))


def test_alias_is_refused_before_anything_is_constructed(src, monkeypatch):
    """A billion laughs in the summary: refused at its first alias, nothing built from it."""
    write(src, "people/bomb.md", "---\nname: 王秀英\nsummary: &l0 [哈哈哈哈哈哈哈哈]\n" + BOMB + "---\n")
    built = []
    monkeypatch.setattr(content._Loader, "construct_document", lambda self, node: built.append(node))
    index = content.load(src)
    assert index.report.codes() == [("CONTENT011", "site_src/people/bomb.md", 4)]
    assert "*l0" in index.report.problems[0].message and "直接写出来" in index.report.problems[0].message
    assert built == [] and index.sources == {} and "people/bomb.md" in index.refused


def test_anchor_without_alias_is_harmless(src):
    write(src, "plans/anchor.md", "---\ntitle: &t 计划\n---\n正文\n")
    index = content.load(src)
    assert index.report.problems == [] and index.sources["plans/anchor.md"].meta["title"] == "计划"


def test_page_over_the_size_limit_is_refused_unread(src, monkeypatch):
    monkeypatch.setattr(content, "MAX_PAGE_BYTES", 1000)
    write(src, "plans/big.md", "---\ntitle: 计划\n---\n" + "字" * 400)
    write(src, "plans/fits.md", "---\ntitle: 计划\n---\n" + "字" * 300)
    index = content.load(src)
    assert index.report.codes() == [("CONTENT012", "site_src/plans/big.md", None)]
    message = index.report.problems[0].message
    assert "1.2 KB" in message and "上限 1000 字节" in message
    assert list(index.sources) == ["plans/fits.md"] and "plans/big.md" in index.refused


def test_limits_are_documented_in_the_messages():
    assert content.size_text(content.MAX_PAGE_BYTES) == "2 MB"
    assert content.size_text(content.MAX_FRONT_MATTER_BYTES) == "64 KB"
    assert content.size_text(content.MAX_YAML_BYTES) == "1 MB"


def test_bidi_controls_are_removed_from_the_build_text_not_the_file(src):
    text = "---\ntitle: 计划\u202e\n---\n\n\u2067甲\u2069\u200f乙\n"
    path = write(src, "plans/bidi.md", text.encode("utf-8"))
    index = content.load(src)
    assert index.report.codes() == [("CONTENT016", "site_src/plans/bidi.md", 2),
                                    ("CONTENT016", "site_src/plans/bidi.md", 5)]
    assert all(p.severity.value == "warning" for p in index.report.problems)
    source = index.sources["plans/bidi.md"]
    assert source.meta["title"] == "计划" and source.body == "\n甲乙\n"
    assert not content.BIDI_RE.search(source.text)
    assert path.read_bytes() == text.encode("utf-8")  # the editor's file is untouched


def test_many_bidi_lines_give_a_bounded_number_of_messages(src):
    write(src, "plans/bidi.md", "---\ntitle: 计划\n---\n" + "甲\u202a乙\u202c\n" * 50)
    index = content.load(src)
    assert [c[2] for c in index.report.codes()] == list(range(4, 4 + content.BIDI_LINES_REPORTED))
    assert "此后还有 40 行" in index.report.problems[-1].message


def test_two_sources_with_one_url_are_both_skipped(src):
    write(src, "plans/x.md", "---\ntitle: 甲\n---\n")
    write(src, "plans/x/index.md", "---\ntitle: 乙\n---\n")
    write(src, "plans/y.md", "---\ntitle: 丙\n---\n")
    index = content.load(src)
    assert sorted(index.report.codes()) == [("CONTENT009", "site_src/plans/x.md", None),
                                            ("CONTENT009", "site_src/plans/x/index.md", None)]
    first = next(p for p in index.report.problems if p.path == "site_src/plans/x.md")
    assert "site_src/plans/x/index.md" in first.message and "plans/x/" in first.message
    assert "两个都已跳过" in first.message
    assert list(index.sources) == ["plans/y.md"]
    assert {"plans/x.md", "plans/x/index.md"} <= index.refused
    assert "plans/x.md" not in index.files and "plans/x/index.md" not in index.files


def test_page_urls_as_mkdocs_makes_them():
    assert content.page_url("plans/x.md") == content.page_url("plans/x/index.md") == "plans/x/"
    assert content.page_url("index.md") == content.page_url("README.md") == ""
    assert content.page_url("albums/a/index.md") == "albums/a/"


@pytest.mark.parametrize("raw,shown,encoding", [
    (b"\xd5\xd5\xc6\xac.jpg", "照片.jpg", "GBK/GB18030"),  # 照片 in GBK
    (b"\xff\xfe.jpg", "\ufffd\ufffd.jpg", "未知编码"),
])
def test_file_name_not_utf8_is_skipped_and_named_as_the_editor_sees_it(src, raw, shown, encoding):
    write(src, "albums/spring/index.md", "---\ntitle: 春季\ndate: 2026-03-05\n---\n")
    name = os.fsdecode(raw)
    try:
        (src / "albums" / "spring" / name).write_bytes(b"\xff\xd8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system takes UTF-8 names only")
    index = content.load(src)
    display = f"site_src/albums/spring/{shown}"
    assert index.report.codes() == [("CONTENT015", display, None)]
    problem = index.report.problems[0]
    assert problem.severity.value == "warning" and encoding in problem.message
    assert "site_src/albums/spring" in problem.message and "photo-01.jpg" in problem.message
    str(problem).encode("utf-8")  # printable: no surrogate reaches the log
    assert display in index.report.skipped
    assert index.files == ["albums/spring/index.md"] and list(index.sources) == ["albums/spring/index.md"]


def test_folder_name_not_utf8_is_not_entered(src):
    folder = src / "albums" / os.fsdecode(b"\xb4\xba\xbc\xbe")  # 春季 in GBK
    write(folder, "index.md", "---\ntitle: 春季\ndate: 2026-03-05\n---\n")
    index = content.load(src)
    assert index.report.codes() == [("CONTENT015", "site_src/albums/春季", None)]
    assert "文件夹" in index.report.problems[0].message
    assert index.files == [] and index.sources == {}


def test_one_loader_for_every_yaml_an_editor_writes(tmp_path):
    from bulletin.report import Report
    from bulletin.script import load_glossary

    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n  - &t {zh-Hans: 干部, zh-Hant: 幹部}\n  - *t\n", encoding="utf-8")
    report = Report()
    lexicon = load_glossary(glossary, "site_src/glossary.yml", report)
    assert report.codes() == [("CONTENT011", "site_src/glossary.yml", 3)]
    assert lexicon.entries == []  # the whole glossary is refused, as a page would be

    glossary.write_text("terms:\n" + "  - 词语\n" * 120_000, encoding="utf-8")
    report = Report()
    load_glossary(glossary, "site_src/glossary.yml", report)
    assert report.codes() == [("CONTENT012", "site_src/glossary.yml", None)]
    assert "上限 1 MB" in report.problems[0].message
