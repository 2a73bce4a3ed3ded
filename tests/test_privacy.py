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
