"""Personal numbers and home addresses: each form is found, with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin import content, privacy
from bulletin.report import Report

PAGES = Path(__file__).parent / "fixtures" / "safety" / "pages"

VALID_ID = "11010519491231002X"  # check digit X is right for these 17 digits


def codes(text: str) -> list[tuple[str, int]]:
    report = Report()
    privacy.scan_text(text, "site_src/a.md", 1, report)
    return [(p.code, p.line) for p in report.problems]


def test_check_digit_follows_gb_11643():
    assert privacy.id_check_digit("11010519491231002") == "X"
    assert privacy.id_check_digit("44052418800101001") == "4"  # the standard's second worked example
    assert privacy.is_valid_id(VALID_ID)
    assert privacy.is_valid_id(VALID_ID.lower())
    assert not privacy.is_valid_id("110105194912310021")  # wrong check digit
    assert not privacy.is_valid_id("110105194902300027")  # 30 February


@given(st.from_regex(r"\A[1-9][0-9]{5}(19[5-9][0-9]|20[01][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"))
def test_every_id_with_its_check_digit_is_an_error_and_every_other_digit_a_warning(first17):
    good = first17 + privacy.id_check_digit(first17)
    assert codes(f"号码{good}。") == [("PRIV001", 1)]
    for digit in "0123456789X":
        if digit != good[-1]:
            assert codes(f"号码{first17}{digit}。") == [("PRIV002", 1)]


NUMBER_FORMS = [
    ("plain", "电话13800138000。", "PRIV003"),
    ("+86", "电话 +86 13800138000", "PRIV003"),
    ("+86 with spaces", "电话 +86 138 0013 8000", "PRIV003"),
    ("86 without plus", "电话 8613800138000", "PRIV003"),
    ("0086 and dashes", "电话 0086-138-0013-8000", "PRIV003"),
    ("(+86)", "电话 (+86)13800138000", "PRIV003"),
    ("spaces", "电话：138 0013 8000", "PRIV003"),
    ("dashes", "电话：138-0013-8000", "PRIV003"),
    ("en dash", "电话：138–0013–8000", "PRIV003"),
    ("full-width digits", "电话：１３８００１３８０００", "PRIV003"),
    ("full-width +86", "电话：＋８６　１３８　００１３　８０００", "PRIV003"),
    ("ID", f"身份证：{VALID_ID}", "PRIV001"),
    ("ID lower-case x", f"身份证：{VALID_ID.lower()}", "PRIV001"),
    ("ID full-width", "身份证：１１０１０５１９４９１２３１００２Ｘ", "PRIV001"),
    ("ID with spaces", "身份证：110105 19491231 002X", "PRIV001"),
    ("ID lookalike", "编号 110105194912310021", "PRIV002"),
    ("address", "住在3号楼2单元501室", "PRIV004"),
    ("address building room", "住在5栋402", "PRIV004"),
    ("address unit room", "2单元301室", "PRIV004"),
    ("address dashes", "3-2-501室", "PRIV004"),
    ("address Chinese numerals", "三号楼二单元五零一室", "PRIV004"),
]


@pytest.mark.parametrize("label,text,code", NUMBER_FORMS, ids=[f[0] for f in NUMBER_FORMS])
def test_each_form_is_found(label, text, code):
    assert codes("第一行\n" + text) == [(code, 2)]


NOT_PERSONAL = [
    ("year range", "2021-2025 年工作计划"),
    ("date", "2026年3月5日 13:30"),
    ("landline", "社区办公电话 010-12345678"),
    ("14 digits", "订单 13800138000123"),
    ("in a hex hash", "assets/bundle.a13800138000b.min.js"),
    ("18 digits without a date", "编号 123456789012345678"),
    ("building alone", "社区3号楼前的广场"),
    ("building and a year", "3号楼2023年翻新"),
    ("room alone", "居委会301室"),
    ("office count", "共有12栋楼"),
    ("list of numbers", "第 13-14-15-16-17-18 期"),
]


@pytest.mark.parametrize("label,text", NOT_PERSONAL, ids=[f[0] for f in NOT_PERSONAL])
def test_ordinary_numbers_are_not_reported(label, text):
    assert codes(text) == []


def test_messages_mask_the_number():
    report = Report()
    privacy.scan_text("电话13800138000", "site_src/a.md", 1, report)
    (problem,) = report.problems
    assert "13800138000" not in problem.message
    assert "138******00" in problem.message
    assert problem.message.startswith("发现手机号码")


def test_lines_count_from_first_line():
    report = Report()
    privacy.scan_text("a\nb\n电话13800138000\n", "site_src/a.md", 10, report)
    assert report.codes() == [("PRIV003", "site_src/a.md", 12)]


def test_file_names_are_scanned_without_a_line():
    report = Report()
    assert privacy.scan_name("albums/x/IMG_13800138000.jpg", "site_src/albums/x/IMG_13800138000.jpg", report) == 1
    assert report.codes() == [("PRIV003", "site_src/albums/x/IMG_13800138000.jpg", None)]


FIXTURES = [
    # (fixture, code, line) — line in the fixture file, front matter counted
    ("number-id.md", "PRIV001", 5),
    ("number-id-lookalike.md", "PRIV002", 5),
    ("number-mobile.md", "PRIV003", 5),
    ("number-mobile-86.md", "PRIV003", 5),
    ("number-mobile-spaces.md", "PRIV003", 5),
    ("number-mobile-dashes.md", "PRIV003", 5),
    ("number-mobile-fullwidth.md", "PRIV003", 5),
    ("number-front-matter.md", "PRIV003", 3),
    ("number-alt.md", "PRIV003", 5),
    ("number-address.md", "PRIV004", 5),
]


@pytest.mark.parametrize("name,code,line", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_pages(tmp_path, name, code, line):
    root = tmp_path / "site_src"
    root.mkdir()
    shutil.copy(PAGES / name, root / name)
    index = content.load(root)
    assert index.report.problems == []
    report = Report()
    errors = privacy.scan_source(index.sources[name], report)
    assert report.codes() == [(code, f"site_src/{name}", line)]
    assert errors == (1 if code in ("PRIV001", "PRIV003") else 0)


def test_scan_index_returns_pages_and_files_to_leave_out(tmp_path):
    root = tmp_path / "site_src"
    (root / "albums" / "spring").mkdir(parents=True)
    shutil.copy(PAGES / "number-mobile.md", root / "number-mobile.md")
    shutil.copy(PAGES / "number-address.md", root / "number-address.md")
    (root / "albums" / "spring" / "IMG_13900139000.jpg").write_bytes(b"\xff\xd8")
    (root / "downloads").mkdir()
    (root / "downloads" / "volunteers.csv").write_text("姓名,电话\n王,13700137000\n", encoding="utf-8")
    index = content.load(root)
    bad = privacy.scan_index(index)
    assert bad == {"number-mobile.md", "albums/spring/IMG_13900139000.jpg", "downloads/volunteers.csv"}
    assert ("PRIV003", "site_src/downloads/volunteers.csv", 2) in index.report.codes()
    assert "site_src/number-mobile.md" in index.report.skipped
    assert "site_src/number-address.md" not in index.report.skipped  # a warning keeps the page


# --- numbers as editors paste them ---------------------------------------------------
# Each was published by a real build before the scan read a normalised view. The number
# starts on line 2 of the file; where a line break falls inside it, line 2 is still where
# the editor must look.

ID_A = "110101199003071233"  # valid check digit
ID_B = "440304198506120019"  # valid check digit
MOBILE = "13800138000"

PASTED = [
    ("ID in 6-4-4-4", "身份证：110101 1990 0307 1233", "PRIV001", "110*************33"),
    ("ID in fours", "身份证：4403 0419 8506 1200 19", "PRIV001", "440*************19"),
    ("ID with dashes", "身份证：110101-1990-0307-1233", "PRIV001", "110*************33"),
    ("ID split by bold", "身份证：110101**1990**03071233", "PRIV001", "110*************33"),
    ("ID, X in bold", "身份证：11010519491231002**X**", "PRIV001", "110*************2X"),
    ("old 15-digit ID", "身份证：110101900307123", "PRIV001", "110**********23"),
    ("old ID grouped", "身份证：110101 900307 123", "PRIV001", "110**********23"),
    ("no-break spaces", "电话：138\u00a00013\u00a08000", "PRIV003", "138******00"),
    ("thin spaces", "电话：138\u20090013\u20098000", "PRIV003", "138******00"),
    ("narrow no-break spaces", "电话：138\u202f0013\u202f8000", "PRIV003", "138******00"),
    ("ideographic spaces", "电话：138\u30000013\u30008000", "PRIV003", "138******00"),
    ("em spaces", "电话：138\u20030013\u20038000", "PRIV003", "138******00"),
    ("double spaces", "电话：138  0013  8000", "PRIV003", "138******00"),
    ("tab", "电话：138\t0013\t8000", "PRIV003", "138******00"),
    ("dots", "电话：138.0013.8000", "PRIV003", "138******00"),
    ("slashes", "电话：138/0013/8000", "PRIV003", "138******00"),
    ("3-8 grouping", "电话：138 00138000", "PRIV003", "138******00"),
    ("7-4 grouping", "电话：1380013 8000", "PRIV003", "138******00"),
    ("line break", "电话：138 0013\n8000", "PRIV003", "138******00"),
    ("line break, CRLF", "电话：1380013\r\n8000", "PRIV003", "138******00"),
    ("hard break", "电话：138 0013  \n  8000", "PRIV003", "138******00"),
    ("bold digits", "电话：**138**0013 8000", "PRIV003", "138******00"),
    ("italic and code", "电话：_138_ `0013` ~~8000~~", "PRIV003", "138******00"),
    ("<b>", "电话：138<b>0013</b>8000", "PRIV003", "138******00"),
    ("<span> with style", '电话：<span style="color:#c00">138</span>00138000', "PRIV003", "138******00"),
    ("<br>", "电话：138 0013<br>8000", "PRIV003", "138******00"),
    ("HTML comment in the middle", "电话：138<!-- 旧号码作废 -->0013 8000", "PRIV003", "138******00"),
    ("inside an HTML comment", "<!-- 王阿姨 138 0013 8000 -->", "PRIV003", "138******00"),
    ("decimal entity", "电话：&#49;3800138000", "PRIV003", "138******00"),
    ("hex entities", "电话：&#x31;&#x33;&#x38;00138000", "PRIV003", "138******00"),
    ("&nbsp;", "电话：138&nbsp;0013&nbsp;8000", "PRIV003", "138******00"),
    ("zero-width space", "电话：138\u200b0013\u200b8000", "PRIV003", "138******00"),
    ("zero-width non-joiner", "电话：1380\u200c0138000", "PRIV003", "138******00"),
    ("zero-width joiner", "电话：13800\u200d138000", "PRIV003", "138******00"),
    ("word joiner", "电话：138\u20600013\u20608000", "PRIV003", "138******00"),
    ("byte-order mark", "电话：\ufeff138\ufeff00138000", "PRIV003", "138******00"),
    ("zero-width entity", "电话：138&#8203;0013&zwj;8000", "PRIV003", "138******00"),
    ("full-width digits and dashes", "电话：１３８－００１３－８０００", "PRIV003", "138******00"),
    ("mathematical digits", "电话：\U0001d7cf\U0001d7d1\U0001d7d6\U0001d7ce\U0001d7ce\U0001d7cf\U0001d7d1"
                            "\U0001d7d6\U0001d7ce\U0001d7ce\U0001d7ce", "PRIV003", "138******00"),
    ("tel: link, percent-encoded", "[打电话](tel:%2B86%20138%200013%208000)", "PRIV003", "138******00"),
    ("tel: link, an encoded digit", "[打电话](tel:1380013%38000)", "PRIV003", "138******00"),
    ("tel: link in HTML", '<a href="tel:+86-138-0013-8000">打电话</a>', "PRIV003", "138******00"),
    ("percent-encoded no-break space", "tel:138%C2%A00013%C2%A08000", "PRIV003", "138******00"),
    ("after a date", "2026-03-05 13800138000", "PRIV003", "138******00"),
    ("0086 in dots", "电话：0086.138.0013.8000", "PRIV003", "138******00"),
]


@pytest.mark.parametrize("label,text,code,masked", PASTED, ids=[p[0] for p in PASTED])
def test_pasted_number_is_found_on_the_line_it_starts(label, text, code, masked):
    report = Report()
    privacy.scan_text("第一行\n" + text + "。\n下一行", "site_src/plans/a.md", 1, report)
    assert report.codes() == [(code, "site_src/plans/a.md", 2)]
    assert masked in report.problems[0].message


def test_the_line_is_where_the_number_starts_not_where_it_ends():
    report = Report()
    privacy.scan_text("标题\n\n电话：\n138 **0013**\n8000\n", "site_src/a.md", 1, report)
    assert report.codes() == [("PRIV003", "site_src/a.md", 4)]


def test_a_number_after_many_lines_of_markup_keeps_its_line():
    text = "".join(f"<p>第{n}段，<b>加粗</b>文字 &amp; 2026-03-{n % 28 + 1:02}</p>\n" for n in range(300))
    report = Report()
    privacy.scan_text(text + "<p>电话 138<span>0013</span>&nbsp;8000</p>\n", "site_src/a.md", 1, report)
    assert report.codes() == [("PRIV003", "site_src/a.md", 301)]


NOT_PERSONAL_EITHER = [
    ("ISO date", "活动时间 2026-03-05"),
    ("dotted date and time", "2026.03.05 13:30"),
    ("years", "2019 2020 2021 2022 2023 年"),
    ("numbered document", "第1390号文件"),
    ("prices", "单价 138.00 元，合计 13800.50 元"),
    ("11 digits not starting 13-19", "编号 12345678901、10012345678"),
    ("landline", "办公电话 0571-8888 6666"),
    ("landline with area code in brackets", "办公电话（0571）88886666"),
    ("20-digit order number", "订单号 13800138000138001380"),
    ("order number in fours", "订单号 1380 0138 0001 3800 1380"),
    ("mobile glued to a letter", "编号 A13800138000"),
    ("15 digits without a province", "流水号 990101900307123"),
    ("15 digits without a date", "流水号 110101901307123"),
    ("separate paragraphs", "电话 138 0013\n\n8000"),
    ("four spaces apart", "138    0013    8000"),
    ("block tags apart", "<td>138</td><td>0013</td><td>8000</td>"),
    ("SVG path data", '<svg viewBox="0 0 24 24"><path d="M13 9 13 5 8 1 3 4 5 6 7 8 9 1 3"/></svg>'),
    ("percent in prose", "完成率 100%，增长 13%，覆盖 80%"),
    ("years and months in a life story", "1998.10-2003.7 在社区工作；1996.9—2003.10 任组长"),
]


@pytest.mark.parametrize("label,text", NOT_PERSONAL_EITHER, ids=[n[0] for n in NOT_PERSONAL_EITHER])
def test_numbers_editors_write_every_day_are_not_reported(label, text):
    assert codes(text) == []


def test_a_number_in_an_attribute_is_found_even_when_the_tag_is_skipped_in_the_text():
    report = Report()
    privacy.scan_text('第一行\n<img src="a.jpg"\n  alt="王阿姨 138 0013 8000">', "site_src/a.md", 1, report)
    assert report.codes() == [("PRIV003", "site_src/a.md", 3)]


def test_view_keeps_offsets_and_shows_what_a_reader_sees():
    text = "电话 １３８&nbsp;**0013**<b>8000</b>"
    plain = privacy.view(text)
    assert len(plain) == len(text)
    assert plain.replace("\x00", "") == "电话 138 00138000"
