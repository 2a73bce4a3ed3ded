"""Corner quotes: “”‘’ become 「」『』 in Traditional variants (Hong Kong and Taiwan print them so),
outside code, protected spans and markup; Simplified keeps its curly quotes; an option per variant."""

from __future__ import annotations

import re

import pytest

from bulletin import script
from bulletin.script.converter import corner_quotes
from bulletin.variants import as_variants


def test_quotes_map_and_apostrophes_stay():
    assert corner_quotes("他说“六好社区”和‘银发’") == "他说「六好社区」和『银发』"
    assert corner_quotes("don’t ‘90s rock’n’roll") == "don’t ‘90s rock’n’roll"
    assert corner_quotes("没有引号") == "没有引号"


def test_converter_applies_them_outside_code_and_protected_spans():
    hk = script.Converter("zh-HK", corner_quotes=True)
    html = ('<p>開展“學雷鋒”活動，<a href="/x" title="“標題”">“鏈接”</a></p>'
            '<p><code>“代碼”</code></p><pre>“預”</pre>')
    out = hk.html(html, "zh-HK")
    assert "開展「學雷鋒」活動" in out and ">「鏈接」</a>" in out and 'title="「標題」"' in out
    assert "<code>“代碼”</code>" in out and "<pre>“預”</pre>" in out
    protected = hk.text(script.protect_markdown("-{“原样”}-和“转换”"), "zh-Hans")
    assert protected == "“原样”和「轉換」"
    assert "“" in script.Converter("zh-HK").html("<p>“引號”</p>", "zh-HK")  # off unless asked


def test_quotes_around_markup_code_and_protected_spans():
    hk = script.Converter("zh-HK", corner_quotes=True)
    out = hk.html('<p>開展“<strong>學雷鋒</strong>”活動，“<code>x</code>”和“<a href="/a">鏈接</a>”</p>', "zh-HK")
    assert out == '<p>開展「<strong>學雷鋒</strong>」活動，「<code>x</code>」和「<a href="/a">鏈接</a>」</p>'
    # the quotes around a protected span change, the span itself does not
    assert hk.text(script.protect_markdown("他说“-{于秀兰}-”，‘-{“原样”}-’"), "zh-Hans") == "他説「于秀兰」，『“原样”』"
    untouched = '<kbd>“</kbd><script>var s = "“x”";</script><textarea>“t”</textarea>'
    assert hk.html(f"<p>“甲{untouched}”</p>", "zh-HK") == f"<p>「甲{untouched}」</p>"
    # what people read in attributes changes; addresses do not
    out = hk.html('<p title="“t”"><a href="/“x”">y</a><img alt="“相片”" src="/“p”.png"></p>', "zh-HK")
    assert out == '<p title="「t」"><a href="/“x”">y</a><img alt="「相片」" src="/“p”.png"></p>'


def test_default_is_on_for_traditional_and_off_for_simplified():
    variants = {v.code: v for v in as_variants([{"code": "zh-Hans"}, {"code": "zh-HK", "prefix": "zh-hk"},
                                                {"code": "zh-TW", "prefix": "zh-tw", "corner_quotes": False}],
                                               "zh-Hans")}
    assert variants["zh-Hans"].corner_quotes is False and variants["zh-HK"].corner_quotes is True
    assert variants["zh-TW"].corner_quotes is False


def _texts(html: str) -> str:
    html = re.sub(r"<(script|style|code|pre)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_sample_site_traditional_pages_use_corner_quotes(sample_site):
    curly = []
    corner = 0
    for page in sorted((sample_site / "zh-hk").rglob("*.html")):
        text = _texts(page.read_text(encoding="utf-8"))
        if re.search(r"[“”]", text):
            curly.append(page.relative_to(sample_site).as_posix())
        corner += len(re.findall("「", text))
    assert curly == [] and corner > 20
    simplified = _texts((sample_site / "albums/xueleifeng-2026/index.html").read_text(encoding="utf-8"))
    assert "“学雷锋志愿服务”" in simplified
    hant = _texts((sample_site / "zh-hk/albums/xueleifeng-2026/index.html").read_text(encoding="utf-8"))
    assert "「學雷鋒志願服務」" in hant


def test_derived_search_records_take_the_corner_quotes_of_their_pages():
    """A Traditional variant's search records are derived from the Simplified ones by pairing
    Han characters; its quotes follow its pages, one character for one (word locations stay)."""
    from bulletin import search_derive

    base_region, region = "<p>开展“学雷锋”活动</p>", "<p>開展「學雷鋒」活動</p>"
    pair = search_derive.Pair(base_region, region, "/zh-hk/a/", search_derive.han_chars(base_region),
                              search_derive.han_chars(region))
    record = {"url": "/a/", "content": "开展\u200b“学雷锋”\u200b活动", "meta": {},
              "anchors": [{"text": "“学雷锋”", "location": 1}]}
    hk = search_derive.Deriver("zh-Hans", "zh-HK", corner_quotes=True).record(record, pair)
    assert hk["content"] == "開展\u200b「學雷鋒」\u200b活動"
    assert [a["text"] for a in hk["anchors"]] == ["「學雷鋒」"]
    plain = search_derive.Deriver("zh-Hans", "zh-HK").record(record, pair)
    assert plain["content"] == "開展\u200b“學雷鋒”\u200b活動"


def test_sample_site_search_records_quote_as_their_pages(sample_site):
    from bulletin import search

    bundle = sample_site / search.BUNDLE
    hk = "".join(r["content"] for r in search.read_fragments(bundle, "zh-hant-hk"))
    hans = "".join(r["content"] for r in search.read_fragments(bundle, "zh-hans"))
    assert "“学雷锋志愿服务”" in hans.replace("\u200b", "")  # Simplified keeps its curly quotes
    assert "「學雷鋒志願服務」" in hk.replace("\u200b", "")
    assert not re.search("[“”]", hk)
