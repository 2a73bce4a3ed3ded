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
    assert index.report.problems == []
    assert [p.slug for p in result][:2] == ["plan-02", "plan-01"]
    second = next(p for p in result if p.slug == "plan-02")
    assert second.date == dt.date(2025, 5, 6) and second.year == 2025
    first = next(p for p in result if p.slug == "plan-01")
    assert [v.slug for v in first.variants] == ["plan-03", "plan-04"]  # a variant of a variant joins the group
    assert [p.slug for p in plans.groups(result)] == ["plan-02", "plan-01"]
    placeholder = next(p for p in result if p.slug == "plan-03")
    assert placeholder.year_placeholder and placeholder.date is None and placeholder.date_text == "20xx年2月3日"


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
