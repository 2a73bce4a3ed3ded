"""The built-site invariant: every local URL of every page of every variant leads somewhere."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from bulletin import linkcheck
from conftest import ROOT, build_site

SITE_URL = "https://bulletin.example.org/"


@pytest.fixture
def copy(sample_site, tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    return site


def codes(report) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in report.problems]


def test_the_sample_site_has_no_broken_url_in_either_variant(sample_site):
    assert (sample_site / "zh-hk" / "albums").is_dir()
    assert linkcheck.check_site(sample_site, SITE_URL).problems == []


def test_every_url_bearing_attribute_is_rewritten_in_the_traditional_copy(sample_site):
    """glightbox's data-srcset was once left one folder short on every zh-hk album page."""
    for page in (sample_site / "zh-hk" / "albums").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        srcsets = re.findall(r'data-srcset="([^"]+)"', text)
        assert srcsets
        assert all(url.startswith("../../../media/") for s in srcsets for url in re.findall(r"(\S+) \d+w", s))


def test_a_data_srcset_one_folder_short_is_an_error_naming_page_and_attribute(copy):
    page = next((copy / "zh-hk" / "albums").glob("*/index.html"))
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('data-srcset="../../../media/', 'data-srcset="../../media/', 1), encoding="utf-8")
    report = linkcheck.check_site(copy, SITE_URL)
    rel = page.relative_to(copy).as_posix()
    assert report.problems and {p.code for p in report.problems} == {"LINK001"}
    assert {p.path for p in report.problems} == {f"site/{rel}"}
    assert "<a data-srcset>" in report.problems[0].message and "../../media/" in report.problems[0].message


def test_a_missing_anchor_a_css_url_a_screen_photo_and_a_search_page_are_caught(copy):
    home = copy / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace(
        "</header>", '<a href="plans/#no-such-heading">x</a></header>', 1), encoding="utf-8")
    css = copy / "assets" / "bulletin" / "bulletin.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.x{background:url(missing.png)}\n", encoding="utf-8")
    screen = copy / "zh-hk" / "screen" / "index.html"
    text = screen.read_text(encoding="utf-8")
    screen.write_text(re.sub(r'("image": ?"media/)[0-9a-f]+', r"\g<1>000000000000", text, count=1), encoding="utf-8")
    pages = next((copy / "pagefind").glob("bulletin-zh-hans-pages.json"))
    pages.write_text(pages.read_text(encoding="utf-8").replace('"/plans/', '"/plannen/', 1), encoding="utf-8")
    found = codes(linkcheck.check_site(copy, SITE_URL))
    assert ("LINK001", "site/index.html") in found
    assert ("LINK001", "site/assets/bulletin/bulletin.css") in found
    assert ("LINK001", "site/zh-hk/screen/index.html") in found
    assert sum(1 for code, path in found if path == "site/index.html") >= 2  # anchor + search page list


def test_a_broken_link_an_editor_wrote_is_a_warning_against_the_source_file(copy):
    page = copy / "plans" / "plan-01" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</article>", '<a href="../plan-99/">旧计划</a></article>', 1), encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</article>", '<a href="../plan-98/">新计划</a><img src="chart.png" alt=""></article>', 1), encoding="utf-8")
    sources = {"plans/plan-01/index.html": ("site_src/plans/plan-01.md", "见 [旧计划](../plan-99/)和 ![](chart.png)")}
    report = linkcheck.check_site(copy, SITE_URL, sources=sources)
    assert sorted(codes(report)) == [("LINK001", "site/plans/plan-01/index.html"),  # not in the source: ours
                                     ("LINK002", "site_src/plans/plan-01.md"), ("LINK002", "site_src/plans/plan-01.md")]


def test_a_build_with_a_broken_template_url_is_not_published(tmp_path):
    """The check runs inside every build: an error there stops `bulletin build`."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block extrahead %}<link rel="icon" href="{{ base_url }}/nowhere.ico">'
        "{% endblock %}", encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("custom_dir: theme", "custom_dir: overrides")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    import subprocess

    result = subprocess.run([sys.executable, "-m", "bulletin.cli", "build"], cwd=project, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode != 0
    assert "LINK001" in result.stdout + result.stderr and "nowhere.ico" in result.stdout + result.stderr
    assert not (project / "site").exists()


@pytest.mark.slow
def test_a_thousand_plan_site_has_no_broken_url(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from run import replicate_plans

    docs = tmp_path / "site_src"
    replicate_plans(ROOT / "site_src", docs, 1000)
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"), encoding="utf-8")
    site = tmp_path / "site"
    build_site(config, site)  # the build runs the check itself and fails on an error
    assert len(list((site / "zh-hk" / "plans").glob("*/index.html"))) >= 1000
    assert linkcheck.check_site(site, SITE_URL).problems == []


def test_mosaic_photos_and_honor_roll_portraits_on_the_screen_are_checked(copy):
    screen = copy / "screen" / "index.html"
    text = screen.read_text(encoding="utf-8")
    assert '"images":["media/' in text and '"kind":"honor_roll"' in text
    text = re.sub(r'("images":\["media/)[0-9a-f]+', r"\g<1>000000000000", text, count=1)
    text = re.sub(r'("members":\[\{[^]]*?"image":"media/)[0-9a-f]+', r"\g<1>111111111111", text, count=1)
    screen.write_text(text, encoding="utf-8")
    problems = [p for p in linkcheck.check_site(copy, SITE_URL).problems if p.path == "site/screen/index.html"]
    messages = " ".join(p.message for p in problems)
    assert len(problems) == 2 and "000000000000" in messages and "111111111111" in messages
    assert "大屏幻灯片 images" in messages and "大屏幻灯片 members.image" in messages
