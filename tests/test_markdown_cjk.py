"""A soft line break between Chinese characters is no space (bulletin.markdown_cjk)."""

from __future__ import annotations

import markdown
import pytest

from bulletin.markdown_cjk import join_breaks


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["bulletin.markdown_cjk", "attr_list", "md_in_html"])


@pytest.mark.parametrize(("source", "html"), [
    ("清理落葉、\n白色垃圾。", "<p>清理落葉、白色垃圾。</p>"),
    ("社区组织\n  志愿者", "<p>社区组织志愿者</p>"),
    ("开展**重点**\n工作", "<p>开展<strong>重点</strong>工作</p>"),
    ("开展\n**重点**工作", "<p>开展<strong>重点</strong>工作</p>"),
    ("见[通知](notices.md)\n全文", '<p>见<a href="notices.md">通知</a>全文</p>'),
    ("他说：“六好\n社区”", "<p>他说：“六好社区”</p>"),
    ("共 60\n人参加", "<p>共 60\n人参加</p>"),  # a digit on one side: the space stays
    ("使用 WeChat\n小程序", "<p>使用 WeChat\n小程序</p>"),
    ("第一行  \n第二行", "<p>第一行<br />\n第二行</p>"),  # a hard break is kept
    ("- 清理\n  落叶\n- 第二项", "<ul>\n<li>清理落叶</li>\n<li>第二项</li>\n</ul>"),
])
def test_soft_breaks_between_cjk_are_dropped(source, html):
    assert render(source) == html


def test_code_is_left_alone():
    assert render("`代码\n换行`") == "<p><code>代码\n换行</code></p>"
    assert "甲\n乙" in render("```\n甲\n乙\n```")
    assert render("见 `x`\n中文") == "<p>见 <code>x</code>\n中文</p>"  # code ends the line: kept


def test_code_spans_at_a_break_keep_it():
    assert render("中文\n`代码`") == "<p>中文\n<code>代码</code></p>"
    assert render("`代码`\n中文") == "<p><code>代码</code>\n中文</p>"


@pytest.mark.parametrize(("source", "html"), [
    ("全文见\n[通知](notices.md)", '<p>全文见<a href="notices.md">通知</a></p>'),
    ("[通知](notices.md)\n全文", '<p><a href="notices.md">通知</a>全文</p>'),
    ("见 [WeChat](x.md)\n小程序", '<p>见 <a href="x.md">WeChat</a>\n小程序</p>'),
    ("见[通知](notices.md)\nAPP", '<p>见<a href="notices.md">通知</a>\nAPP</p>'),
])
def test_links_at_a_break(source, html):
    assert render(source) == html


def rendered_on_the_site(text: str) -> str:
    """As the build renders Markdown: -{…}- already turned into region markers, which the
    published page no longer has."""
    from bulletin.script import protect_markdown, strip_marks

    return strip_marks(render(protect_markdown(text)))


@pytest.mark.parametrize(("source", "html"), [
    ("-{于秀兰}-\n来了", "<p>于秀兰来了</p>"),
    ("请\n-{于秀兰}-来", "<p>请于秀兰来</p>"),
    ("见[-{通知}-](notices.md)\n全文", '<p>见<a href="notices.md">通知</a>全文</p>'),
    ("开展\n**-{重点}-**工作", "<p>开展<strong>重点</strong>工作</p>"),
    ("-{WeChat}-\n小程序", "<p>WeChat\n小程序</p>"),  # Latin inside the span: the space stays
    ("`-{于}-`\n来了", "<p><code>-{于}-</code>\n来了</p>"),  # code shows the syntax as written
])
def test_protected_spans_at_a_break(source, html):
    assert rendered_on_the_site(source) == html


def test_paragraphs_stay_apart():
    assert join_breaks("甲\n乙\n\nC") == "甲乙\n\nC"
    assert join_breaks("甲\n\n乙") == "甲\n\n乙"


@pytest.mark.parametrize("prefix", ["", "zh-hk/"])
def test_the_sample_site_has_no_space_between_chinese_from_a_line_break(sample_site, prefix):
    import re

    for album, joined in (("weekend-cleanup", ("落叶、白色垃圾", "落葉、白色垃圾")),
                          ("square-gala", ("京剧选段、诗朗诵", "京劇選段、詩朗誦"))):
        page = (sample_site / f"{prefix}albums/{album}/index.html").read_text(encoding="utf-8")
        paragraphs = " ".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", page, flags=re.S))
        assert joined[1 if prefix else 0] in paragraphs
        assert not re.search(r"[\u4e00-\u9fff、，。]\s+[\u4e00-\u9fff]", paragraphs)
