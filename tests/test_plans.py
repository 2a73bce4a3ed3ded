"""Plans: the model, near-duplicate groups, the paginated index, and a real build."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from bulletin import content, plans
from conftest import ROOT, build_site


def plan_text(title: str, **meta) -> str:
    lines = [f"title: {title}"] + [f"{k}: {v}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n## 一、总体要求\n\n正文。\n\n## 二、工作措施\n\n正文。\n"


def make_src(root: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_collect_orders_newest_first_and_groups_variants(tmp_path):
    src = make_src(tmp_path / "site_src", {
        "plans/plan-01.md": plan_text("甲计划", year=2024, date="2024-03-01"),
        "plans/plan-02.md": plan_text("乙计划", date="2025年5月6日", community="幸福社区"),
        "plans/plan-03.md": plan_text("丙计划", year="20xx", year_placeholder="true", date="20xx年2月3日",
                                      variant_of="{plan: plan-01, similarity: 0.91}"),
        "plans/plan-04.md": plan_text("丁计划", variant_of="{plan: plan-03, similarity: 0.88}"),
    })
    index = content.load(src)
    result = plans.collect(index)
    assert [p.code for p in index.report.problems] == ["PLAN003", "PLAN003", "PLAN004"]  # notes for editors
    assert all(p.severity.value == "notice" for p in index.report.problems)
    assert [p.slug for p in result][:2] == ["plan-02", "plan-01"]
    second = next(p for p in result if p.slug == "plan-02")
    assert second.date == dt.date(2025, 5, 6) and second.year == 2025
    first = next(p for p in result if p.slug == "plan-01")
    assert [v.slug for v in first.variants] == ["plan-03", "plan-04"]  # a variant of a variant joins the group
    assert [p.slug for p in plans.groups(result)] == ["plan-02", "plan-01"]
    placeholder = next(p for p in result if p.slug == "plan-03")
    assert placeholder.year_placeholder and placeholder.date is None and placeholder.date_text == "2月3日"
    assert index.sources["plans/plan-03.md"].meta["date"] == "2月3日"  # search and the screen print it so too


def test_unknown_variant_target_and_bad_date_are_reported(tmp_path):
    src = make_src(tmp_path / "site_src", {
        "plans/plan-01.md": plan_text("甲计划", date="去年春天", variant_of="{plan: plan-99, similarity: 0.9}"),
    })
    index = content.load(src)
    result = plans.collect(index)
    assert sorted(index.report.codes()) == [
        ("PLAN001", "site_src/plans/plan-01.md", 4),
        ("PLAN002", "site_src/plans/plan-01.md", 3),
    ]
    assert result[0].variant_of is None


def test_listing_pages_keep_each_page_bounded(tmp_path):
    src = make_src(tmp_path / "site_src", {
        f"plans/p{i:03d}.md": plan_text(f"计划{i}", year=2000 + i % 5) for i in range(23)
    })
    pages = plans.listing_pages(plans.collect(content.load(src)), per_page=10)
    assert [p.url for p in pages] == ["plans/", "plans/page/2/", "plans/page/3/"]
    assert [sum(len(items) for _, items in p.sections) for p in pages] == [10, 10, 3]
    years = [label for label, _ in pages[0].sections]
    assert years == sorted(years, reverse=True)


def site_with_plans(tmp_path: Path, count: int) -> Path:
    """A copy of the sample site's config and home page with `count` generated plans."""
    src = tmp_path / f"src{count}"
    make_src(src, {
        "index.md": (ROOT / "site_src" / "index.md").read_text(encoding="utf-8"),
        "tags.md": (ROOT / "site_src" / "tags.md").read_text(encoding="utf-8"),
        "notices.md": (ROOT / "site_src" / "notices.md").read_text(encoding="utf-8"),  # the nav names it
        **{f"plans/plan-{i:04d}.md": plan_text(f"第{i}号计划", year=2020 + i % 6, tags="[环境卫生]")
           for i in range(count)},
    })
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: site_src", f"docs_dir: {src}")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    path = tmp_path / f"mkdocs{count}.yml"
    path.write_text(config, encoding="utf-8")
    site = tmp_path / f"site{count}"
    build_site(path, site)
    return site


@pytest.mark.slow
def test_plan_pages_do_not_grow_with_the_number_of_plans(tmp_path):
    small = site_with_plans(tmp_path, 3)
    large = site_with_plans(tmp_path, 250)
    page_small = (small / "plans/plan-0001/index.html").read_text(encoding="utf-8")
    page_large = (large / "plans/plan-0001/index.html").read_text(encoding="utf-8")
    assert abs(len(page_large.encode()) - len(page_small.encode())) < 200
    assert "第2号计划" not in page_large  # other plans are not in every page's nav
    index = (large / "plans/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'class="bl-plan-item"', index)) == 100
    assert (large / "plans/page/3/index.html").is_file()
    assert not (large / "plans/page/4").exists()


def test_editor_notes_are_reported_not_published(tmp_path):
    src = make_src(tmp_path / "site_src", {
        "plans/plan-01.md": plan_text("市容环境卫生迎检工作实施方案", source="汇编 篇1"),
        "plans/plan-19.md": plan_text("市容环境卫生迎检工作实施方案（篇19）", source="汇编 篇19", year="20xx",
                                      variant_of="{plan: plan-01, similarity: 0.96}"),
        "plans/plan-20.md": plan_text("第二篇的写法（篇2）", source="汇编 篇20"),  # not its own number: kept
    })
    index = content.load(src)
    result = {p.slug: p for p in plans.collect(index)}
    assert result["plan-19"].title == "市容环境卫生迎检工作实施方案" and result["plan-19"].numbering == "（篇19）"
    assert index.sources["plans/plan-19.md"].meta["title"] == "市容环境卫生迎检工作实施方案"
    assert result["plan-20"].title == "第二篇的写法（篇2）"
    problems = {p.code: p for p in index.report.problems}
    assert problems["PLAN003"].path == "site_src/plans/plan-19.md" and "96%" in problems["PLAN003"].message
    assert "plan-19.md" in problems["PLAN004"].message and "plan-19.md" in problems["PLAN005"].message
    notes = plans.editor_notes(result["plan-19"])
    assert len(notes) == 3 and "96%" in notes[0] and "（篇19）" in notes[2]
    assert plans.editor_notes(result["plan-01"]) == []


def test_unknown_years_are_listed_without_a_heading_of_their_own(tmp_path):
    src = make_src(tmp_path / "site_src", {
        "plans/a.md": plan_text("甲计划", year="20xx"), "plans/b.md": plan_text("乙计划"),
    })
    only_unknown = plans.listing_pages(plans.collect(content.load(src)), per_page=10)[0]
    assert [label for label, _ in only_unknown.sections] == [""]
    make_src(src, {"plans/c.md": plan_text("丙计划", date="2025-05-06")})
    mixed = plans.listing_pages(plans.collect(content.load(src)), per_page=10)[0]
    assert [label for label, _ in mixed.sections] == ["2025 年", "未注明年份"]


# What the editor is told about plans, in words or markup, that no resident should read.
EDITOR_ONLY = ["相似度", "相近版本", "另一篇计划", "年份待定", "原文年份", "占位符", "20xx", "（篇", "bl-editor-notes",
               "bl-variant"]


def test_published_sample_site_has_no_editor_notes(sample_site):
    found = []
    for page in sorted(sample_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        visible = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        # the seed's own sentences say 20xx年 (the editor's words, kept); the fields we print must not
        fields = " ".join(re.findall(r'<dl class="bl-facts">.*?</dl>|<span class="bl-plan-meta">.*?</span>|'
                                     r'<title>.*?</title>|data-pagefind-meta="[^"]*"', text, flags=re.S))
        found += [(page.relative_to(sample_site).as_posix(), word) for word in EDITOR_ONLY
                  if word in (fields if word == "20xx" else visible)]
    assert found == []


def test_local_preview_shows_editor_notes_above_the_plan(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    src = make_src(tmp_path / "src", {
        **{name: (ROOT / "site_src" / name).read_text(encoding="utf-8") for name in ("index.md", "tags.md", "notices.md")},
        "plans/plan-01.md": plan_text("市容环境卫生迎检工作实施方案", source="汇编 篇1"),
        "plans/plan-19.md": plan_text("市容环境卫生迎检工作实施方案（篇19）", source="汇编 篇19",
                                      variant_of="{plan: plan-01, similarity: 0.96}"),
    })
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8")
                           .replace("docs_dir: site_src", f"docs_dir: {src}")
                           .replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"), encoding="utf-8")
    pages = {}
    for command in ("serve", "build"):
        config = load_config(config_file=str(config_file), site_dir=str(tmp_path / command))
        config.plugins.on_startup(command=command, dirty=False)
        build(config)
        pages[command] = (tmp_path / command / "plans/plan-19/index.html").read_text(encoding="utf-8")
    assert "bl-editor-notes" in pages["serve"] and "相似度 96%" in pages["serve"] and "（篇19）" in pages["serve"]
    assert "bl-editor-notes" not in pages["build"] and "相似度" not in pages["build"]
    assert "（篇19）" not in pages["build"] and "<h1>市容环境卫生迎检工作实施方案</h1>" in pages["build"]


def test_tags_in_the_plans_index_take_their_own_script(sample_site):
    """The sample's plans are in Traditional, their tags typed in Simplified: each converts."""
    hant = (sample_site / "zh-hk/plans/index.html").read_text(encoding="utf-8")
    hans = (sample_site / "plans/index.html").read_text(encoding="utf-8")
    tags_hant = set(re.findall(r'class="bl-tag">([^<]*)<', hant))
    tags_hans = set(re.findall(r'class="bl-tag">([^<]*)<', hans))
    assert "文明創建" in tags_hant and "環境衞生" in tags_hant and not tags_hant & {"文明创建", "环境卫生", "志愿服务"}
    assert "文明创建" in tags_hans and not tags_hans & {"文明創建", "環境衞生"}


def test_a_plans_date_is_one_property_every_output_prints(tmp_path):
    """Plan.shown_date is the date a plan's page, the plans index, the home page, search, the
    screen and posters print: a day as 2026年3月5日, else the date as written without its
    placeholder year, else the year; a placeholder year (20xx) is never shown."""
    from bulletin import screen, search_entry
    from bulletin.posters import Options, Poster, parse_paper
    from bulletin.posters.render import plan_context

    pages = {
        "plans/a.md": plan_text("甲计划", date="2024-03-01"),
        "plans/b.md": plan_text("乙计划", year="20xx", year_placeholder="true", date="20xx年2月3日"),
        "plans/c.md": plan_text("丙计划", year="20xx"),
        "plans/d.md": plan_text("丁计划", year=2019),
    }
    found = {p.slug: p for p in plans.collect(content.load(make_src(tmp_path / "model", dict(pages))))}
    shown = {"a": "2024年3月1日", "b": "2月3日", "c": "", "d": "2019年"}
    assert {slug: p.shown_date for slug, p in found.items()} == shown
    assert found["c"].year is None and found["c"].year_placeholder  # the placeholder is no year of the model
    assert {slug: search_entry.entry_of(p).date for slug, p in found.items()} == shown
    slides = screen.plan_slides(found.values(), screen.settings())
    assert {s["url"]: s["date_text"] for s in slides} == {p.url: shown[p.slug] for p in found.values()}
    options = Options(parse_paper("A4"), "幸福街道")
    for slug, plan in found.items():
        meta = plan_context(Poster("plan", f"plans/{slug}.pdf", plan.url, plan.source.display, plan), options)["meta"]
        assert meta == ([shown[slug]] if shown[slug] else []), slug

    src = make_src(tmp_path / "site_src", {
        "index.md": (ROOT / "site_src" / "index.md").read_text(encoding="utf-8"),
        "tags.md": (ROOT / "site_src" / "tags.md").read_text(encoding="utf-8"),
        "notices.md": (ROOT / "site_src" / "notices.md").read_text(encoding="utf-8"),  # the nav names it
        **pages,
    })
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: site_src", f"docs_dir: {src}").replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = tmp_path / "site"
    build_site(tmp_path / "mkdocs.yml", site)
    listing = (site / "plans/index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    for slug, date in shown.items():
        page = (site / f"plans/{slug}/index.html").read_text(encoding="utf-8")
        assert (f"<dt>日期</dt><dd>{date}</dd>" in page) == bool(date), slug
        if slug == "d":  # a year alone is the listing section's heading, not repeated on its row
            assert "<h2" in listing and f"<span>{date}</span>" not in listing
        else:
            assert f"<span>{date}</span>" in listing if date else "20xx" not in listing
        assert f"<span>{date}</span>" in home if date else "20xx" not in home
    assert "2024-03-01" not in listing + home
