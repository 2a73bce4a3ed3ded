"""The compilation importer: one page per plan, structure, signature, losslessness, variants."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import markdown
import pytest

from conftest import SHARED
import yaml

from bulletin import cli, content, importer, plans
from bulletin.content import PLAN_FIELDS
from bulletin.importer import describe, layout
from bulletin.importer.normalise import normalise_line

ROOT = Path(__file__).resolve().parents[1]
SEED = SHARED / "seed" / "000_98485ed91a327be3.txt"
TITLE_LINE = "街道社區精神文明建設工作計劃(通用28篇)"
NUMBERS = [n for n in range(1, 29) if n not in (10, 21, 22)]
# The extensions mkdocs.yml gives Python-Markdown.
EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition", "tables", "pymdownx.details", "pymdownx.superfences"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The seed imported once into a fresh site_src/plans."""
    site_src = tmp_path_factory.mktemp("imp") / "site_src"
    result = importer.import_plans(SEED, site_src / "plans")
    return result, site_src


def source_pieces() -> dict[int, list[str]]:
    """The seed cut at its 篇N lines, independently of the importer: {N: non-empty lines}."""
    pieces: dict[int, list[str]] = {}
    current = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        match = re.fullmatch(r"街道社區精神文明建設工作計劃 篇(\d+)", line)
        if match:
            current = pieces.setdefault(int(match[1]), [])
        elif current is not None and line and line != TITLE_LINE:
            current.append(line)
    return pieces


def read_page(site_src: Path, number: int) -> tuple[dict, str]:
    text = (site_src / "plans" / f"plan-{number:02d}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def render(body: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": False}}).convert(body)


def text_of(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def han_and_digits(text: str) -> str:
    return "".join(ch for ch in text if re.match(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]", ch))


def headings(body: str, level: int) -> list[str]:
    return [text_of(m) for m in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", render(body))]


# --- splitting and file names ---------------------------------------------------------

def test_every_plan_gets_one_page_with_an_ascii_slug(imported):
    result, site_src = imported
    names = sorted(p.name for p in (site_src / "plans").iterdir())
    assert names == [f"plan-{n:02d}.md" for n in NUMBERS]
    assert len(result.plans) == 25 and len(result.written) == 25
    report = result.render()
    assert "导入工作计划 25 篇" in report
    assert "原文没有：篇10、篇21、篇22。" in report


def test_compilation_title_and_piece_headers_leave_the_body(imported):
    _, site_src = imported
    for n in NUMBERS:
        meta, body = read_page(site_src, n)
        assert "通用28篇" not in body
        assert not re.search(r"篇\d+\s*$", body, re.M)
        assert meta["source"] == f"街道社區精神文明建設工作計劃(通用28篇) 篇{n}"


# --- structure --------------------------------------------------------------------------

def test_plan_01_sections_and_labelled_items(imported):
    _, site_src = imported
    _, body = read_page(site_src, 1)
    assert headings(body, 2) == ["一、明確工作職責，落實各項工作任務。", "二、有關工作要求："]
    assert headings(body, 3) == []
    page = render(body)
    assert "<strong>1、城管中隊：</strong>要每天對主次幹道" in page
    assert "<strong>內河護河員：</strong>要全面及時清理" in page
    assert "<ol>" not in page and "<ul>" not in page


def test_plan_02_levels_keep_their_numbering(imported):
    _, site_src = imported
    _, body = read_page(site_src, 2)
    assert headings(body, 2) == ["一、指導思想", "二、工作任務"]
    h3 = headings(body, 3)
    assert [h[:3] for h in h3] == ["（一）", "（二）", "（二）", "（三）"]  # the source numbers （二） twice
    assert h3[0] == "（一）圍繞創建全國文明城市考評細則，進一步明確責任，落實相關創建目標任務。"


def test_heading_sentence_is_lifted_out_of_a_run_on_line(imported):
    _, site_src = imported
    _, body = read_page(site_src, 12)
    assert headings(body, 2)[:2] == ["一、創建文明社區的指導思想：", "二、創建工作領導小組："]
    assert "\n\n高舉鄧小平理論偉大旗幟" in body  # the rest of the line is the section's first paragraph


def test_short_numbered_lines_over_body_text_become_h4(imported):
    _, site_src = imported
    _, body = read_page(site_src, 14)
    h4 = headings(body, 4)
    assert [h[:2] for h in h4] == ["1、", "2、", "3、", "4、", "5、"]
    assert h4[0] == "1、加強組織領導，健全工作制度，明確創建責任，確保精神文明創建活動落到實處"


def test_arabic_numbers_with_a_dot_stay_in_the_text(imported):
    _, site_src = imported
    _, body = read_page(site_src, 23)
    page = render(body)
    assert "<ol>" not in page
    assert "1.深化文明文明城市創建。" in text_of(page)
    assert "8.深入開展網絡文明建設。" in text_of(page)


def test_markdown_characters_render_as_written():
    parts = layout.blocks([(1, "學習讀本——20xx年*市基層黨員"), (2, "1.深化#重點_工作"), (3, "- [a] <b> & c|d")])
    page = text_of(render(layout.markdown(parts)))
    assert page.split("\n") == ["學習讀本——20xx年*市基層黨員", "1.深化#重點_工作", "- [a] <b> & c|d"]


# --- signature and years -----------------------------------------------------------------

def test_signature_moves_into_front_matter(imported):
    _, site_src = imported
    meta, body = read_page(site_src, 20)
    assert meta["community"] == "惠泉社區"
    assert meta["date"] == "20xx年2月3日"
    assert meta["recipient"] == "五鬆鎮文明辦"
    assert meta["year"] == "20xx" and meta["year_placeholder"] is True
    tail = body.rstrip().split("\n\n")[-1]
    assert tail.startswith("**2、**加強社會治安綜合治理")
    for gone in ("20xx年2月3日", "報：", "報:", "\n惠泉社區\n"):
        assert gone not in body


def test_real_year_is_an_int_and_simplified_stays_simplified(tmp_path):
    source = tmp_path / "c.txt"
    source.write_text("汇编(通用2篇)\n\n计划 篇1\n\n为做好工作,特制定本计划。\n\n幸福社区\n\n2019年2月3日\n\n报：街道文明办\n",
                      encoding="utf-8")
    result = importer.import_plans(source, tmp_path / "plans")
    meta, body = read_page(tmp_path, 1)
    assert meta["year"] == 2019 and "year_placeholder" not in meta
    assert (meta["community"], meta["date"], meta["recipient"]) == ("幸福社区", "2019年2月3日", "街道文明办")
    assert body == "\n为做好工作，特制定本计划。\n"
    assert meta["title"] == "精神文明建设工作计划（篇1）"  # nothing to build a title from: the fallback, in the plan's script
    assert result.report.codes() == [("IMPORT007", source.as_posix(), 3)]


def test_placeholder_years_are_flagged(imported):
    result, site_src = imported
    flagged = {page.slug for page in result.placeholder_years}
    assert "plan-20" in flagged and "plan-01" not in flagged
    meta, _ = read_page(site_src, 1)
    assert "year" not in meta and "year_placeholder" not in meta
    report = result.render()
    assert "篇20（plan-20）  year: 20xx（取自落款日期「20xx年2月3日」）" in report
    assert "篇3（plan-03）  year: 20xx（取自开头一段）" in report


# --- normalisation ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected, kinds", [
    ("創建工作,按照標準", "創建工作，按照標準", {"comma": 1}),
    ("指導思想:高舉", "指導思想：高舉", {"colon": 1}),
    ("活動;二是", "活動；二是", {"semicolon": 1}),
    ("(1)把工作(所)做好", "（1）把工作（所）做好", {"paren": 4}),
    ('繼續深化"一社一品"工作', "繼續深化“一社一品”工作", {"quote": 2}),
    ("城 管中隊", "城管中隊", {"space": 1}),
    ("構建和-諧社會", "構建和諧社會", {"hyphen": 1}),
    ("《堅持更高標準 追求更高水平》", "《堅持更高標準 追求更高水平》", {}),
    ("投資1,000元,8:30集合", "投資1,000元，8:30集合", {"comma": 1}),
    ("use a, b: c (d)", "use a, b: c (d)", {}),
])
def test_normalise_line(raw, expected, kinds):
    counts = Counter()
    assert normalise_line(raw, counts) == (expected, True)
    assert dict(counts) == kinds


def test_no_half_width_punctuation_left_between_chinese(imported):
    _, site_src = imported
    for n in NUMBERS:
        _, body = read_page(site_src, n)
        assert not re.search(r'[\u4e00-\u9fff][,:;()"][\u4e00-\u9fff]', body), n


def test_normalisation_counts_match_the_pages(imported):
    result, site_src = imported
    pieces = source_pieces()
    for n in NUMBERS:
        meta, body = read_page(site_src, n)
        counts = meta.get("normalised", {})
        source = "\n".join(pieces[n])
        for kind, mark in (("comma", "，"), ("colon", "："), ("semicolon", "；")):
            assert body.count(mark) - source.count(mark) == counts.get(kind, 0), (n, kind)
        assert body.count("（") + body.count("）") - source.count("（") - source.count("）") == counts.get("paren", 0)
        assert body.count("“") + body.count("”") - source.count("“") - source.count("”") == counts.get("quote", 0)
    totals = dict(result.normalised)
    assert totals["comma"] == sum(read_page(site_src, n)[0].get("normalised", {}).get("comma", 0) for n in NUMBERS)
    assert f"半角逗号 , → ，：{totals['comma']}" in result.render()
    assert totals["joined_line"] == 1  # 篇5 breaks "快樂童聲" across two paragraphs
    _, body5 = read_page(site_src, 5)
    assert "快樂童聲納涼晚會" in body5


@pytest.mark.parametrize("number", NUMBERS)
def test_every_han_character_and_digit_survives(imported, number):
    """Source piece vs. rendered page text plus the front matter that took lines away."""
    _, site_src = imported
    meta, body = read_page(site_src, number)
    expected = han_and_digits("".join(source_pieces()[number]))
    signature = str(meta.get("community", "")) + str(meta.get("date", ""))
    if "recipient" in meta:
        signature += "報" + meta["recipient"]  # the seed writes 報: before the recipient
    assert han_and_digits(text_of(render(body)) + signature) == expected


# --- titles, summaries, tags -----------------------------------------------------------------

def test_titles_are_useful_distinct_and_in_the_source_script(imported):
    result, site_src = imported
    titles = {n: read_page(site_src, n)[0]["title"] for n in NUMBERS}
    assert titles[1] == "市容環境衞生迎檢工作實施方案"
    assert titles[20] == "惠泉社區文明創建工作計劃"
    assert titles[3] == "利民社區精神文明建設工作計劃"
    assert titles[19] == "市容環境衞生迎檢工作實施方案（篇19）"  # a variant without its own takes its original's
    assert len(set(titles.values())) == len(titles)
    fallback = [page.number for page in result.plans if not page.title_found]
    assert all(titles[n] == f"精神文明建設工作計劃（篇{n}）" for n in fallback) and len(fallback) <= 5
    flagged = sorted(int(m) for m in re.findall(r"「篇(\d+)」开头没有能作标题的句子", result.report.render()))
    assert flagged == fallback
    assert "1 篇沿用相似计划的标题（篇19（plan-19） 用 篇1（plan-01） 的）" in result.render()


def test_summary_is_the_first_sentence_within_80_characters(imported):
    _, site_src = imported
    for n in NUMBERS:
        summary = read_page(site_src, n)[0]["summary"]
        assert 0 < len(summary) <= 80, n
    assert read_page(site_src, 27)[0]["summary"] == "20xx年在新形勢下的精神文明工作，我們深刻地認識到社區精神文明建設的重要性、長期性和艱鉅性。"
    assert read_page(site_src, 2)[0]["summary"].endswith("……")


def test_tags_come_from_the_topic_table_in_simplified(imported):
    _, site_src = imported
    for n in NUMBERS:
        tags = read_page(site_src, n)[0].get("tags", [])
        assert set(tags) <= set(describe.TOPICS) and len(tags) <= describe.MAX_TAGS, n
    assert "环境卫生" in read_page(site_src, 1)[0]["tags"]
    assert "社区教育" in read_page(site_src, 26)[0]["tags"]
    assert "志愿服务" in read_page(site_src, 16)[0]["tags"]


# --- near-duplicates --------------------------------------------------------------------------

def test_near_duplicates_are_found_and_marked_on_the_later_plan(imported):
    result, site_src = imported
    marked = {(p.earlier, p.later) for p in result.duplicates}
    assert {("plan-16", "plan-17"), ("plan-20", "plan-25")} <= marked
    for earlier, later in (("plan-16", "plan-17"), ("plan-20", "plan-25")):
        variant = read_page(site_src, int(later[-2:]))[0]["variant_of"]
        assert variant["plan"] == earlier and 0.9 <= variant["similarity"] < 1.0
    assert "variant_of" not in read_page(site_src, 16)[0]
    assert "variant_of" not in read_page(site_src, 24)[0]  # only half of it repeats 篇3
    report = result.render()
    assert "篇17（plan-17） ≈ 篇16（plan-16）  相似度 0.99" in report
    assert "篇25（plan-25） ≈ 篇20（plan-20）  相似度 0.99" in report
    assert re.search(r"篇24（plan-24） ~ 篇3（plan-03）  相似度 0\.\d\d，较短一篇的文字有 9\d% 见于另一篇", report)


# --- the pages as the site reads them ---------------------------------------------------------

def test_content_loader_accepts_every_page(imported):
    _, site_src = imported
    index = content.load(site_src)
    assert index.report.problems == []
    loaded = index.of_kind("plan")
    assert len(loaded) == 25
    for source in loaded:
        assert list(source.meta) == [k for k in PLAN_FIELDS if k in source.meta]
    grouped = plans.collect(index)
    assert {p.severity.value for p in index.report.problems} == {"notice"}  # near-duplicates etc., for editors
    by_slug = {p.slug: p for p in grouped}
    assert [v.slug for v in by_slug["plan-16"].variants] == ["plan-17"]
    assert by_slug["plan-20"].date_text == "2月3日" and by_slug["plan-20"].year_placeholder


def test_importing_twice_writes_identical_files(imported, tmp_path):
    _, site_src = imported
    out = tmp_path / "plans"
    importer.import_plans(SEED, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    again = importer.import_plans(SEED, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert again.changed == [] and len(again.written) == 25
    assert first == {p.name: p.read_bytes() for p in (site_src / "plans").iterdir()}


def test_committed_pages_match_a_fresh_import(imported):
    """site_src/plans is generated: regenerate with `python scripts/import_plans.py`."""
    _, site_src = imported
    for n in NUMBERS:
        name = f"plan-{n:02d}.md"
        committed = ROOT / "site_src" / "plans" / name
        fresh = (site_src / "plans" / name).read_text(encoding="utf-8")
        assert committed.read_text(encoding="utf-8") == fresh, f"{name} 与重新导入的结果不同：运行 python scripts/import_plans.py 后看 git diff"


# --- problems ------------------------------------------------------------------------------------

def test_text_without_piece_headers_is_refused(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text("一篇普通的文章。\n沒有分隔行。\n", encoding="utf-8")
    result = importer.import_plans(source, tmp_path / "plans")
    assert result.report.codes() == [("IMPORT001", source.as_posix(), None)]
    assert result.plans == [] and not (tmp_path / "plans").exists()


def test_problems_in_a_compilation_name_file_and_line(tmp_path):
    out = tmp_path / "plans"
    out.mkdir()
    (out / "plan-09.md").write_text("---\ntitle: 旧的\n---\n", encoding="utf-8")
    source = tmp_path / "c.txt"
    source.write_text("\n".join([
        "計劃彙編",                 # 1: the compilation's title
        "前言一行",                 # 2: before the first header
        "計劃 篇1",                 # 3
        '開展"文明家庭活動。',       # 4: one straight quote
        "計劃 篇2",                 # 5: empty piece
        "計劃 篇1",                 # 6: number seen before
        "重複的一篇。",
    ]) + "\n", encoding="utf-8")
    result = importer.import_plans(source, out)
    path = source.as_posix()
    assert sorted(result.report.codes()) == sorted([
        ("IMPORT005", path, 2), ("IMPORT006", path, 4), ("IMPORT002", path, 5), ("IMPORT004", path, 6),
        ("IMPORT007", path, 3), ("IMPORT003", (out / "plan-09.md").as_posix(), None),
    ])
    assert (out / "plan-09.md").read_text(encoding="utf-8") == "---\ntitle: 旧的\n---\n"
    assert [p.slug for p in result.plans] == ["plan-01"]
    assert '開展"文明家庭活動。' in (out / "plan-01.md").read_text(encoding="utf-8")


def test_an_output_directory_that_cannot_be_made_is_an_error(tmp_path):
    blocker = tmp_path / "plans"
    blocker.write_text("不是目录", encoding="utf-8")
    result = importer.import_plans(SEED, blocker)
    assert result.report.codes()[-1] == ("IMPORT008", blocker.as_posix(), None)
    assert result.written == [] and result.report.errors


def test_cli_prints_the_report(tmp_path, capsys):
    status = cli.main(["import-plans", str(SEED), "--out", str(tmp_path / "plans")])
    printed = capsys.readouterr().out
    assert status == 0
    assert "导入工作计划 25 篇" in printed and "规范化（共" in printed and "相似度" in printed
