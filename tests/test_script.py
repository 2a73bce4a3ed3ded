"""Script conversion: what a reader of each variant sees, and what must never change."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import opencc
import pytest

from conftest import SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.report import Report
from bulletin.script import (END, HANS, HANT, HK, MARK, PROTECT, TW, Converter, Lexicon,
                             detect_script, load_glossary, mark, name_forms, protect,
                             protect_markdown, report_risky, risky, risky_characters,
                             strip_marks)
from bulletin.script.engine import chain, convert_many, run_chain


SEED = SHARED / "seed" / "000_98485ed91a327be3.txt"
TESTCASES = SHARED / "testdata" / "opencc" / "testcases.json"

# OpenCC configuration -> (source, target, phrases) in our terms.
CONFIGS = {
    "s2t": (HANS, HANT, False), "s2hk": (HANS, HK, False), "s2tw": (HANS, TW, False),
    "s2twp": (HANS, TW, True), "s2hkp": (HANS, HK, True),
    "hk2s": (HK, HANS, False), "hk2sp": (HK, HANS, True), "hk2t": (HK, HANT, False),
    "tw2s": (TW, HANS, False), "tw2sp": (TW, HANS, True), "tw2t": (TW, HANT, False),
    "t2s": (HANT, HANS, False), "t2hk": (HANT, HK, False), "t2tw": (HANT, TW, False),
}


def cc(config: str, text: str) -> str:
    return opencc.OpenCC(f"{config}.json").convert(text)


def load_testcases() -> list[dict]:
    # OpenCC's file has trailing commas (JSON5 style); plain json refuses them.
    raw = TESTCASES.read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))["cases"]


# ---------------------------------------------------------------- OpenCC's own cases

def test_opencc_testcases_pass_through_unchanged():
    checked = 0
    converters: dict[tuple[str, bool], Converter] = {}
    for case in load_testcases():
        for config, expected in case["expected"].items():
            if config not in CONFIGS:
                continue
            source, target, phrases = CONFIGS[config]
            conv = converters.setdefault((target, phrases), Converter(target, phrases=phrases))
            assert conv.text(case["input"], source) == expected, (case["id"], config)
            # The same text as a page: only the text node changes.
            page = f'<p title="{htmllib.escape(case["input"])}">{htmllib.escape(case["input"], quote=False)}</p>'
            want = f'<p title="{htmllib.escape(expected)}">{htmllib.escape(expected, quote=False)}</p>'
            assert conv.html(page, source) == want, (case["id"], config)
            checked += 1
    assert checked >= 200


def test_every_chain_we_use_is_covered_by_testcases():
    used = {config for case in load_testcases() for config in case["expected"]}
    assert {"s2t", "s2hk", "s2tw", "hk2s", "hk2t", "tw2s", "tw2t", "t2s", "t2hk", "t2tw"} <= used


# ---------------------------------------------------------------- the seed

def test_seed_is_detected_as_hong_kong():
    seed = SEED.read_text(encoding="utf-8")
    assert detect_script(seed) == HK
    # The title has no character that tells Hong Kong from OpenCC's standard: it goes to
    # the site's own Traditional variant when that is given, so it is never converted.
    title = seed.splitlines()[0]
    assert detect_script(title) == HANT
    assert detect_script(title, prefer=HK) == HK


def test_seed_round_trip_has_zero_differences():
    seed = SEED.read_text(encoding="utf-8")
    marked = mark(seed, HK)
    assert Converter(HK).text(marked) == seed
    assert Converter(HANS).text(marked) == cc("hk2s", seed)
    # A round trip through Simplified would lose characters: the reason we never do it.
    assert cc("s2hk", cc("hk2s", seed)) != seed


def test_seed_as_html_page_round_trip():
    seed = SEED.read_text(encoding="utf-8")
    body = "".join(f"<p>{htmllib.escape(line, quote=False)}</p>\n" for line in seed.splitlines() if line)
    page = ('<!doctype html><html lang="zh"><head><title>' + mark("街道社區精神文明建設工作計劃", HK)
            + " - 幸福街道</title></head><body><nav>首页 工作计划</nav><article>"
            + mark(body, HK) + "</article></body></html>")
    out = Converter(HK).html(page)
    assert out == strip_marks(page).replace("首页 工作计划", "首頁 工作計劃").replace("幸福街道<", "幸福街道<")
    assert body in out
    simplified = Converter(HANS).html(page)
    assert cc("hk2s", body) in simplified
    assert "\ue000" not in simplified and END not in simplified


def test_same_script_is_never_converted():
    text = "為爲眾衆台臺裏裡"
    for script in (HANT, HK, TW):
        assert Converter(script).text(mark(text, script)) == text
    assert Converter(HANS).text("为众台里于") == "为众台里于"
    # ...whereas converting it would change it.
    assert cc("t2hk", text) != text


# ---------------------------------------------------------------- detection

def test_detect_script_tells_the_standards_apart():
    simplified = "社区精神文明建设工作计划，为了卫生，说明情况"
    assert detect_script(simplified) == HANS
    assert detect_script(cc("s2t", simplified)) == HANT
    assert detect_script(cc("s2hk", simplified)) == HK
    assert detect_script(cc("s2tw", simplified)) == TW
    assert detect_script("Hello, world 2026") is None
    assert detect_script("") is None


def test_detect_script_ties_go_to_preferred_standard():
    # 為 is both the Hong Kong and the Taiwan form, not OpenCC's standard (爲).
    assert detect_script("為國", prefer=TW) == TW
    assert detect_script("為國", prefer=HK) == HK


# ---------------------------------------------------------------- names and glossary

@pytest.mark.parametrize("name, traditional", [
    ("于秀兰", "于秀蘭"), ("余华", "余華"), ("后小明", "后小明"), ("干宝", "干寶"),
    ("范冰冰", "范冰冰"), ("沈从文", "沈從文"), ("钟秀兰", "鍾秀蘭"), ("欧阳秀兰", "歐陽秀蘭"),
])
def test_names_keep_their_surname(name, traditional):
    for target in (HANT, HK, TW):
        conv = Converter(target, names=[name])
        assert conv.text(f"表彰{name}同志") == f"表彰{traditional}同志"
    assert Converter(HANS, names=[name]).text(mark(f"表彰{traditional}同志", HK)) == f"表彰{name}同志"


def test_without_the_name_list_opencc_would_change_the_surname():
    assert Converter(HK).text("于秀兰") == "於秀蘭"
    assert Converter(HK).text("余华") == "餘華"


def test_name_written_in_traditional_converts_both_ways():
    forms = name_forms("於梨華")
    assert forms[HANS] == "于梨华" and forms[HK] == "於梨華"
    assert Converter(HANS, names=["於梨華"]).text(mark("作家於梨華", HK)) == "作家于梨华"
    assert Converter(HK, names=["於梨華"]).text("作家于梨华") == "作家於梨華"


def test_name_hant_overrides():
    conv = Converter(HK, names=[{"name": "范小松", "name_hant": "範小鬆"}])
    assert conv.text("范小松") == "範小鬆"


def test_name_inside_traditional_page_is_left_alone_in_its_own_script():
    conv = Converter(HK, names=["于秀兰"])
    assert conv.text(mark("於是于秀蘭說", HK)) == "於是于秀蘭說"


def test_glossary_terms_fixed_per_variant():
    glossary = [{"zh-Hans": "于都县", "zh-Hant": "于都縣"}, {"zh-Hans": "幸福里"}]
    assert Converter(HK, glossary=glossary).text("于都县幸福里") == "于都縣幸福里"
    assert Converter(TW, glossary=glossary).text("于都县幸福里") == "于都縣幸福里"
    assert Converter(HANS, glossary=glossary).text(mark("于都縣", HK)) == "于都县"
    assert Converter(HK).text("幸福里") == "幸福裏"


def test_glossary_in_the_shape_of_the_file():
    glossary = {"terms": [{"zh-Hans": "干部", "zh-HK": "幹部"}], "names": ["余华"]}
    assert Converter(HK, glossary=glossary).text("干部余华") == "幹部余華"


def test_load_glossary_reports_bad_entries(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(
        "terms:\n"
        "  - {zh-Hans: 于都县, zh-Hant: 于都縣}\n"
        "  - {zh-CN: 错误}\n"
        "  - 只是一段文字\n"
        "  - {zh-Hans: 于都县, zh-HK: 於都縣}\n"
        "names:\n"
        "  - 于秀兰\n"
        "  - {name: 范小松, name_hant: 范小松}\n"
        "  - [列表]\n"
        "colours: 1\n", encoding="utf-8")
    report = Report()
    lexicon = load_glossary(path, "site_src/glossary.yml", report)
    assert report.codes() == [
        ("SCRIPT007", "site_src/glossary.yml", 10),
        ("SCRIPT004", "site_src/glossary.yml", 3),
        ("SCRIPT003", "site_src/glossary.yml", 4),
        ("SCRIPT005", "site_src/glossary.yml", 5),
        ("SCRIPT006", "site_src/glossary.yml", 9),
    ]
    conv = Converter(HK, glossary=lexicon)
    assert conv.text("于都县的于秀兰和范小松") == "于都縣的于秀蘭和范小松"


def test_load_glossary_broken_yaml_and_missing_file(tmp_path):
    report = Report()
    assert not load_glossary(tmp_path / "missing.yml", "site_src/glossary.yml", report)
    assert report.problems == []
    path = tmp_path / "glossary.yml"
    path.write_text("terms:\n  - {zh-Hans: 于都县\n", encoding="utf-8")
    load_glossary(path, "site_src/glossary.yml", report)
    assert [p.code for p in report.problems] == ["SCRIPT001"]
    assert "glossary.yml" in str(report.problems[0])


def test_glossary_as_top_level_list(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("- {zh-Hans: 干部, zh-HK: 幹部}\n", encoding="utf-8")
    report = Report()
    lexicon = load_glossary(path, "site_src/glossary.yml", report)
    assert report.problems == []
    assert Converter(TW, glossary=lexicon).text("干部") == "幹部"


# ---------------------------------------------------------------- -{…}- protection

def test_protect_markdown_wraps_spans_but_not_code():
    md = ("他叫-{于小松}-，住在-{后街}-。\n\n"
          "`-{code}-` 和 ``a -{b}- c``\n\n"
          "```\n-{fenced}-\n```\n"
          "~~~~md\n-{tilde}-\n~~~~\n"
          "末尾 -{不闭合\n\n另一段 }-\n")
    out = protect_markdown(md)
    assert f"他叫{PROTECT}于小松{END}，住在{PROTECT}后街{END}。" in out
    assert "`-{code}-` 和 ``a -{b}- c``" in out
    assert "-{fenced}-" in out and "-{tilde}-" in out
    assert "末尾 -{不闭合" in out and "另一段 }-" in out
    assert protect_markdown("没有保护") == "没有保护"


def test_protected_text_is_never_converted_and_markers_never_shown():
    text = protect_markdown("他叫-{于小松}-，头发很长")
    for target in (HANS, HANT, HK, TW):
        out = Converter(target).text(text)
        assert "于小松" in out and "-{" not in out and "}-" not in out
        assert not re.search("[\ue000-\ue00f]", out)
    assert Converter(HK).text(text) == "他叫于小松，頭髮很長"


def test_protected_inside_a_traditional_region():
    text = mark("計劃" + protect("於是") + "為了", HK)
    assert Converter(HANS).text(text) == "计划於是为了"


# ---------------------------------------------------------------- HTML

PAGE = """<!doctype html>
<html lang="zh" class="no-js"><head>
<meta charset="utf-8"><meta name="description" content="社区工作计划">
<meta property="og:title" content="社区"><meta name="author" content="于秀兰">
<title>工作计划 - 幸福街道</title>
<link rel="stylesheet" href="../assets/发.css">
<script id="__config" type="application/json">{"base": "..", "search": "../assets/w.js", "translations": {"clipboard.copy": "\\u590d\\u5236", "search.result.none": "\\u6ca1\\u6709\\u627e\\u5230"}, "version": null}</script>
<style>.发{content:"发"}</style>
</head><body>
<a href="../计划/头发.html" id="头发" class="发 x" data-发="发" title="头发">头发</a>
<img src="发.jpg" alt='头发' width=10>
<input type="search" placeholder="搜索" aria-label="搜索" value="发">
<input type="submit" value="发送">
<pre><code>print("发")</code></pre> <kbd>发</kbd> <samp>发</samp> <textarea>发</textarea>
<!-- 发 --><script>var s = "发";</script>
<span translate="no">发<b>发</b></span><span>发</span>
</body></html>"""


def test_html_converts_what_people_read_only():
    out = Converter(HK).html(PAGE)
    for kept in ('content="于秀兰"', 'href="../assets/发.css"', 'href="../计划/头发.html"',
                 'id="头发"', 'class="发 x"', 'data-发="发"', 'src="发.jpg"', 'value="发"',
                 '<pre><code>print("发")</code></pre>', "<kbd>发</kbd>", "<samp>发</samp>",
                 "<textarea>发</textarea>", "<!-- 发 -->", 'var s = "发";', '.发{content:"发"}',
                 '<span translate="no">发<b>发</b></span>', '"base": "..", "search": "../assets/w.js"'):
        assert kept in out, kept
    for converted in ('content="社區工作計劃"', 'content="社區"', "<title>工作計劃 - 幸福街道</title>",
                      'title="頭髮">頭髮</a>', "alt='頭髮'", 'placeholder="搜索" aria-label="搜索"',
                      'value="發送"', "<span>發</span>"):
        assert converted in out, converted
    # Material's UI strings, written back the way Jinja's tojson writes them.
    config = json.loads(re.search(r'id="__config"[^>]*>(.*?)</script>', out).group(1))
    assert config["translations"] == {"clipboard.copy": "複製", "search.result.none": "沒有找到"}
    assert "\\u8907\\u88fd" in out
    # Nothing else moved: undo the conversions and get the input back.
    assert len(out.splitlines()) == len(PAGE.splitlines())


def test_html_default_variant_changes_nothing_but_markers():
    assert Converter(HANS).html(PAGE) == PAGE
    marked = PAGE.replace("<title>工作计划", f"<title>{mark('工作計劃', HK)}")
    assert Converter(HANS).html(marked) == PAGE


def test_markers_in_attributes_are_local_and_stripped():
    page = (f'<a title="{mark("計劃", HK)}说明" data-x="{MARK[HK]}x{END}">'
            f'{MARK[HK]}為了<em>計劃</em>{END}为了</a>')
    assert Converter(HANS).html(page) == '<a title="计划说明" data-x="x">为了<em>计划</em>为了</a>'
    assert Converter(HK).html(page) == '<a title="計劃説明" data-x="x">為了<em>計劃</em>為了</a>'


def test_region_spans_across_tags_and_code_keeps_markers_out():
    page = f"{MARK[HK]}<h1>計劃</h1><pre><code>為</code></pre><p>為了</p>{END}<p>为了</p>"
    assert Converter(HANS).html(page) == "<h1>计划</h1><pre><code>為</code></pre><p>为了</p><p>为了</p>"
    assert Converter(TW).html(page) == "<h1>計劃</h1><pre><code>為</code></pre><p>為了</p><p>為了</p>"


def test_unbalanced_and_odd_markup_survives():
    page = '<p>发 < 3 & a<b >发</b\n><!-- x <p>发</p> --> <br/> <x-y a=\'>\'>发</x-y><p>发完'
    out = Converter(HANT).html(page)
    assert out == page.replace("发", "發").replace("<!-- x <p>發</p> -->", "<!-- x <p>发</p> -->")
    assert Converter(HANT).html(f"<p>{END}{END}发{MARK[HK]}發") == "<p>發發"


def test_batched_conversion_equals_piecewise():
    pieces = ["头发", "发展", "于是", "干部", "皇后", "里面", "一面", "松树"] * 3
    assert convert_many(pieces, ("s2hk",)) == [cc("s2hk", p) for p in pieces]
    assert convert_many(["a\ue010b", "发"], ("s2t",)) == ["a\ue010b", "發"]


# ---------------------------------------------------------------- property tests

CJK = "发干后里于余台松面周制系冲头展部来为说卫计划社区文明的了和是在有不人这中大苎"
TRAD = "發幹後裏於餘臺鬆麪週製係衝頭展部來為爲說説衞衛計劃社區文明的了和是在有不人這中大"
text_st = st.text(alphabet=CJK + "ab <&\n", min_size=0, max_size=12).map(
    lambda s: htmllib.escape(s, quote=False))
trad_st = st.text(alphabet=TRAD + "ab ", min_size=1, max_size=12)
machine_st = st.text(alphabet=CJK + "abc-_/.#?=", min_size=0, max_size=10).map(
    lambda s: htmllib.escape(s))


@st.composite
def pages(draw, depth=0):
    """(html, [(script, text)] in document order, expected pieces builder)."""
    nodes = draw(st.lists(st.sampled_from(
        ["text", "elem", "code", "protect", "comment", "script", "region", "notranslate"]
        if depth < 3 else ["text", "code", "comment"]), max_size=6))
    out = []
    for kind in nodes:
        if kind == "text":
            text = draw(text_st)
            out.append(("text", HANS, text))
        elif kind == "elem":
            tag = draw(st.sampled_from(["p", "a", "span", "em", "h2", "li"]))
            attrs = [(name, draw(machine_st)) for name in
                     draw(st.lists(st.sampled_from(["href", "id", "class", "data-x", "src"]),
                                   unique=True, max_size=3))]
            readable = draw(st.sampled_from([None, "title", "alt", "aria-label"]))
            out.append(("open", tag, attrs, readable, draw(text_st) if readable else ""))
            out.extend(draw(pages(depth + 1)))
            out.append(("close", tag))
        elif kind == "code":
            out.append(("raw", f"<code>{draw(text_st)}</code>"))
        elif kind == "protect":
            out.append(("protect", draw(text_st)))
        elif kind == "comment":
            out.append(("raw", f"<!-- {draw(text_st).replace('-', '')} -->"))
        elif kind == "script":
            out.append(("raw", f'<script>var x = "{draw(text_st)}";</script>'))
        elif kind == "region":
            out.append(("region", draw(st.sampled_from([HK, TW, HANT])), draw(trad_st)))
        elif kind == "notranslate":
            out.append(("raw", f'<span translate="no">{draw(text_st)}</span>'))
    return out


def render_page(nodes, target):
    """(input html, expected html): every text converted exactly once by raw OpenCC."""
    def conv(source, text):
        if source == target or not text:
            return text
        return run_chain(chain(source, target), text)

    src, want = [], []
    pending: list[str] = []  # adjacent text nodes are one text node in HTML
    for node in nodes + [("end",)]:
        kind = node[0]
        if kind == "text":
            src.append(node[2])
            pending.append(node[2])
            continue
        if pending:
            want.append(conv(HANS, "".join(pending)))
            pending = []
        if kind == "end":
            break
        if kind == "open":
            _, tag, attrs, readable, value = node
            a = "".join(f' {k}="{v}"' for k, v in attrs)
            src.append(f"<{tag}{a}" + (f' {readable}="{value}"' if readable else "") + ">")
            want.append(f"<{tag}{a}" + (f' {readable}="{conv(HANS, value)}"' if readable else "") + ">")
        elif kind == "close":
            src.append(f"</{node[1]}>")
            want.append(f"</{node[1]}>")
        elif kind == "raw":
            src.append(node[1])
            want.append(node[1])
        elif kind == "protect":
            src.append(protect(node[1]))
            want.append(node[1])
        elif kind == "region":
            src.append(mark(node[2], node[1]))
            want.append(conv(node[1], node[2]))
    return "".join(src), "".join(want)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=pages(), target=st.sampled_from([HANS, HANT, HK, TW]))
def test_property_markup_untouched_and_text_converted_exactly_once(nodes, target):
    source, expected = render_page(nodes, target)
    assert Converter(target).html(source) == expected


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=CJK + TRAD + "ab\n", max_size=30), target=st.sampled_from([HANT, HK, TW]))
def test_property_text_equals_one_opencc_pass(text, target):
    config = {HANT: "s2t", HK: "s2hk", TW: "s2tw"}[target]
    assert Converter(target).text(text) == cc(config, text)


# ---------------------------------------------------------------- risky conversions

def test_risky_lists_a_character_whose_own_word_reads_the_other_way():
    found = risky("闻到楼道里有焦糊味，他的头发很长，于是去了" + protect("干部") + "家里。", HANS, HK)
    assert [(r.char, r.chosen, r.alternative, r.context) for r in found] == [("里", "里", "裏", "到楼道里有焦糊")]
    decided = Converter(HK, glossary=[{"zh-Hans": "楼道里", "zh-Hant": "樓道裏"}])
    assert risky("闻到楼道里有焦糊味", HANS, HK, decided) == []
    assert risky(mark("樓道里", HK), HK, HANS) == []
    assert risky("楼道里", HANS, HANS) == []


def test_words_that_convert_the_same_either_way_are_never_listed():
    text = "理发师为老人理头发。以后皇后在这里吃面条，一只猫只是路过三公里外的干部家里。"
    assert risky(text, HANS, HK) == [] and risky(text, HANS, TW) == [] and risky(text, HANS, HANT) == []


def test_report_risky_names_the_line_reads_each_line_in_its_script_and_skips_code():
    md = "第一行没有\n\n闻到楼道里有焦糊味\n\n```\n楼道里\n```\n\n`楼道里` 和 -{楼道里}- 都不算\n\n"
    md += "樓道裏很乾淨。\n\n又闻到楼道里有焦糊味\n"
    report = Report()
    found = report_risky(report, "site_src/plans/a.md", md, 5, HK, Converter(HK), "繁体", "zh-HK")
    assert [(p.code, p.line) for p in report.problems] == [("SCRIPT008", 7), ("SCRIPT008", 17)]
    assert [r.char for r in found] == ["里", "里"]
    message = report.problems[0].message
    assert "「到楼道里有焦糊」中的「里」" in message and "「里」" in message and "「裏」" in message


def test_risky_characters_come_from_opencc_dictionary():
    chars = risky_characters()
    assert {"发", "干", "后", "里", "于", "余", "台", "松", "面", "周", "制", "系", "冲"} <= chars
    assert "社" not in chars and "为" not in chars


def test_lexicon_longest_match_first():
    lexicon = Lexicon()
    lexicon.add_term({"zh-Hans": "于都", "zh-Hant": "于都"})
    lexicon.add_term({"zh-Hans": "于都县", "zh-Hant": "于都縣"})
    assert Converter(HK, glossary=lexicon).text("于都县于都") == "于都縣于都"
