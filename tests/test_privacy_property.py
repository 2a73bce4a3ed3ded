"""Personal numbers written any way an editor might: every one is found, on its line.

Hypothesis draws a valid ID (18-digit with its check digit, or a 15-digit first
generation one), or a mobile with or without +86/0086, cuts it into random groups,
joins them with random separators (Unicode spaces, zero-width characters, dashes, dots,
a line break), writes each digit plainly, full-width, as an entity or a percent escape
(of the ASCII or the full-width digit),
wraps random digits in Markdown or HTML emphasis, and puts the result in a page of
Chinese text. The scan must report exactly that number, masked, on the line where it
starts.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bulletin import privacy
from bulletin.report import Report

PROVINCES = ["11", "13", "31", "37", "44", "51", "65", "82"]
FILLER = ["社区开展志愿服务活动。", "请居民朋友们积极参加。", "联系人：王阿姨", "欢迎大家踊跃报名！",
          "活动地点：社区广场", "本计划自发布之日起施行。"]
BEFORE = ["电话：", "联系电话 ", "身份证号：", "（", "请拨打", "号码是", ""]
AFTER = ["。", "）", "，谢谢", "", "\n"]
# What may stand between two groups of one number; "" runs them together.
SEPARATORS = ["", " ", "  ", "-", " - ", ".", "/", "\n", " \n", "\u00a0", "\u2009", "\u202f", "\u3000",
              "\u2002", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "&nbsp;", "&#8203;", "%20", "\t",
              "<br>", "<br />\n", "<!-- 注 -->"]
WRAPS = [("**", "**"), ("*", "*"), ("_", "_"), ("~~", "~~"), ("`", "`"), ("<b>", "</b>"),
         ("<strong>", "</strong>"), ('<span class="em">', "</span>"), ("<em>", "</em>")]


def written(char: str, how: int) -> str:
    """One digit (or the check character X) as an editor or a tool may write it."""
    if char in "Xx":
        return ["X", "x", "Ｘ", "ｘ", "X"][how % 5]
    wide = 0xFF10 + int(char)
    return [char, chr(wide), f"&#{ord(char)};", f"&#x{ord(char):x};", f"%3{char}", char,
            f"&#{wide};", f"&#x{wide:X};", f"%EF%BC%{0x90 + int(char):X}", char][how % 10]


@st.composite
def id18(draw) -> tuple[str, str]:
    area = draw(st.sampled_from(PROVINCES)) + draw(st.from_regex(r"\A[0-9]{4}\Z"))
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2012, 12, 31)))
    first17 = area + born.strftime("%Y%m%d") + draw(st.from_regex(r"\A[0-9]{3}\Z"))
    number = first17 + privacy.id_check_digit(first17)
    return number, number


@st.composite
def id15(draw) -> tuple[str, str]:
    area = draw(st.sampled_from(PROVINCES)) + draw(st.from_regex(r"\A[0-9]{4}\Z"))
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)))
    number = area + born.strftime("%y%m%d") + draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return number, number


@st.composite
def mobile(draw) -> tuple[str, str]:
    number = draw(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
    prefix = draw(st.sampled_from(["", "", "86", "0086"]))
    return prefix + number, number


def year_and_month(groups: list[str]) -> bool:
    """"1998.10-2003.7": the one grouping of a mobile the scan reads as dates, on purpose."""
    return len(groups) > 1 and len(groups[0]) == 4 and groups[0][:2] in ("19", "20") \
        and len(groups[1]) <= 2 and 1 <= int(groups[1]) <= 12


@st.composite
def rendering(draw, digits: str, mobile: bool = False) -> str:
    """`digits` cut into groups, joined, each digit written some way, some wrapped."""
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)])]
    assume(not (mobile and year_and_month(groups)))
    out = []
    for n, group in enumerate(groups):
        if n:
            out.append(draw(st.sampled_from(SEPARATORS)))
        chars = [written(c, draw(st.integers(0, 19))) for c in group]
        if draw(st.booleans()):
            a = draw(st.integers(0, len(chars) - 1))
            b = draw(st.integers(a, len(chars) - 1))
            left, right = draw(st.sampled_from(WRAPS))
            chars[a] = left + chars[a]
            chars[b] = chars[b] + right
        out.append("".join(chars))
    return "".join(out)


@st.composite
def page_with_a_number(draw):
    kind = draw(st.sampled_from(["id18", "id15", "mobile"]))
    whole, core = draw({"id18": id18(), "id15": id15(), "mobile": mobile()}[kind])
    shown = draw(rendering(whole, mobile=kind == "mobile"))
    if kind == "mobile" and whole != core and draw(st.booleans()):
        shown = "+" + shown
    lines_before = draw(st.lists(st.sampled_from(FILLER), max_size=6))
    text = ("\n".join(lines_before) + ("\n" if lines_before else "")
            + draw(st.sampled_from(BEFORE)) + shown + draw(st.sampled_from(AFTER))
            + "\n" + draw(st.sampled_from(FILLER)))
    code = "PRIV003" if kind == "mobile" else "PRIV001"
    return text, code, privacy.mask(core), len(lines_before) + 1


@settings(max_examples=400, deadline=None)
@given(page_with_a_number())
@example(("电话：138\u00a00013\u00a08000。\n下一行", "PRIV003", "138******00", 1))
@example(("第一行\n身份证 110101 1990 0307 1233", "PRIV001", "110*************33", 2))
def test_every_number_is_found_on_the_line_it_starts(case):
    text, code, masked, line = case
    report = Report()
    privacy.scan_text(text, "site_src/plans/a.md", 1, report)
    assert report.codes() == [(code, "site_src/plans/a.md", line)], text
    assert masked in report.problems[0].message


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.sampled_from("0123456789"), st.sampled_from("0123456789"),
       st.sampled_from(["", "\u200b", "**", "<b>"]))
def test_a_mobile_inside_a_longer_run_of_digits_is_not_a_mobile(number, before, after, mark):
    """An order or serial number that happens to contain 11 mobile-like digits is not one."""
    report = Report()
    privacy.scan_text(f"订单号 {before}{mark}{number}{after}，请保存。", "site_src/a.md", 1, report)
    assert report.codes() == []


@settings(max_examples=200, deadline=None)
@given(page_with_a_number(), st.lists(st.sampled_from(FILLER + ["<p>", "</p>\n", "2026-03-05", "第12期", "<b>", "&amp;"]),
                                      max_size=30))
def test_the_windows_never_skip_what_the_whole_view_shows(case, noise):
    """The scan normalises only windows around digits; reading the whole text finds no more."""
    text = "".join(noise) + case[0] + "".join(reversed(noise))
    whole = [(f.code, f.start, f.masked) for f in privacy._numbers(privacy.view(text))]
    assert [(f.code, f.start, f.masked) for f in privacy.find(text, addresses=False)] == whole


@settings(max_examples=200, deadline=None)
@given(page_with_a_number())
def test_the_built_site_scan_finds_what_the_source_scan_finds(case):
    """The same page text, as a sitecheck JSON string or text piece, is reported too."""
    text, code, masked, _ = case
    found = list(privacy.numbers_in(text))
    assert [(f.code, f.masked) for f in found] == [(code, masked)]
