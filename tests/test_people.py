"""好人榜: the person model, consent, listings, cards in both scripts, and a real build.

Each problem fixture (tests/fixtures/people/cases/) asserts (code, file, line) and that
the person is left out of every output. Golden cards live in tests/golden/people/;
regenerate them with BULLETIN_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import textwrap
from pathlib import Path

import jinja2
import pytest
from PIL import Image

from bulletin import content, people, privacy
from bulletin.report import CATALOGUE, Severity

from helpers_people import (CASES, ROOT, build, files_mentioning, make_project, make_source,
                            name_forms)

TODAY = dt.date(2026, 11, 29)
GOLDEN = ROOT / "tests" / "golden" / "people"
UPDATE_GOLDEN = os.environ.get("BULLETIN_UPDATE_GOLDEN") == "1"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(src: Path, today: dt.date = TODAY) -> tuple[content.ContentIndex, people.Roll]:
    index = content.load(src)
    privacy.scan_index(index)
    return index, people.review(index, today)


@pytest.fixture
def src(tmp_path) -> Path:
    return make_source(tmp_path)


# ---------------------------------------------------------------- the sample site

def test_sample_profiles_are_all_published_across_five_categories_and_two_months():
    index, roll = load(ROOT / "site_src")
    person_problems = [p for p in index.report.problems if p.path.startswith("site_src/people/")]
    assert person_problems == []
    assert len(roll.people) >= 12 and roll.withheld == []
    assert {p.category.name for p in roll.people} == {c.name for c in people.CATEGORIES}
    listed = people.months(roll.people)
    assert [m.key for m in listed] == ["2026-11", "2026-10"]
    assert all({p.category for p in m.people} == set(people.CATEGORIES) for m in listed)
    surnames = {p.name[0] for p in roll.people}
    assert {"于", "余", "后", "干", "范"} <= surnames
    assert any(p.consent.show_portrait is False for p in roll.people)
    hidden = next(p for p in roll.people if p.name == "余建国")
    assert hidden.portrait is None  # photo exists but may not be shown
    assert "示例数据" in (ROOT / "site_src" / "people" / "index.md").read_text(encoding="utf-8")


def test_sample_portraits_are_small_drawn_jpegs_with_exif_to_strip():
    portraits = sorted((ROOT / "site_src" / "people").glob("*.jpg"))
    assert len(portraits) >= 8
    for path in portraits:
        assert path.stat().st_size < 40_000, path.name
        with Image.open(path) as image:
            assert image.format == "JPEG"
            exif = image.getexif()
            assert exif.get(0x010F) == "SampleCam" and exif.get_ifd(0x8825), path.name
    index, roll = load(ROOT / "site_src")
    referenced = {p.source.meta.get("portrait") for p in roll.people} - {None}
    assert referenced <= {p.name for p in portraits}


def test_make_sample_people_writes_every_portrait(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample_people", ROOT / "scripts" / "make_sample_people.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.make(tmp_path)
    assert {p.name for p in written} == {f"{slug}.jpg" for slug in module.PORTRAITS}
    sideways = next(p for p in written if p.stem == "2026-11-hou-xiaohong")
    with Image.open(sideways) as image:
        assert image.getexif()[0x0112] == 6 and image.width > image.height  # stored on its side


# ---------------------------------------------------------------- one fixture per problem

CASE_EXPECT = [
    # (case, code, line, severity, reason)
    ("unknown-category", "PERSON001", 3, Severity.ERROR, "invalid"),
    ("missing-consent", "PERSON004", 1, Severity.WARNING, "no-consent"),
    ("withdrawn", "PERSON006", 11, Severity.NOTICE, "withdrawn"),
    ("minor-without-guardian", "PERSON007", 6, Severity.WARNING, "minor"),
    ("expired", "PERSON008", 7, Severity.NOTICE, "expired"),
    ("missing-portrait", "PERSON009", 5, Severity.ERROR, "invalid"),
    ("summary-too-long", "PERSON003", 5, Severity.ERROR, "invalid"),
    ("incomplete-consent", "PERSON005", 6, Severity.WARNING, "no-consent"),
    ("bad-honored", "PERSON002", 4, Severity.ERROR, "invalid"),
]


@pytest.mark.parametrize("case,code,line,severity,reason", CASE_EXPECT, ids=[c[0] for c in CASE_EXPECT])
def test_each_problem_names_code_file_line_and_withholds_the_person(tmp_path, case, code, line, severity, reason):
    src = make_source(tmp_path, [case])
    index, roll = load(src)
    display = f"site_src/people/{case}.md"
    assert (code, display, line) in index.report.codes()
    problem = next(p for p in index.report.problems if p.code == code)
    assert problem.severity is severity
    assert problem.message[0] >= "\u2e80"  # Chinese, not a traceback
    name = index.sources[f"people/{case}.md"].meta["name"]
    assert name not in [p.name for p in roll.people]
    assert [p.name for p in roll.people] == ["钱善善"]  # the good profile is unaffected
    assert (f"people/{case}.md", name, reason) in [(w.rel, w.name, w.reason) for w in roll.withheld]
    assert f"people/{case}.md" in people.unpublished(index, roll)
    assert name not in [n["name"] for n in people.names(roll.people)]
    listed = [p.name for m in people.months(roll.people) for p in m.people]
    listed += [p.name for c in people.category_pages(roll.people) for m in c.months for p in m.people]
    assert name not in listed


def test_unknown_category_lists_the_five_and_suggests_the_closest(tmp_path):
    src = make_source(tmp_path, ["unknown-category"])
    index, _ = load(src)
    problem = next(p for p in index.report.problems if p.code == "PERSON001")
    assert str(problem).startswith("site_src/people/unknown-category.md:3: PERSON001")
    assert "助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲" in problem.message
    assert "是不是「助人为乐」" in problem.message


def test_withdrawal_in_flow_style_points_at_the_consent_line(src):
    write(src, "people/flow.md", """
        ---
        name: 余思远
        category: 见义勇为
        honored: 2026-10
        summary: 撤回
        consent: {by: 本人, date: 2026-09-20, withdrawn: true}
        ---
        """)
    index, roll = load(src)
    assert ("PERSON006", "site_src/people/flow.md", 6) in index.report.codes()
    assert roll.withheld[0].reason == "withdrawn"


def test_withdrawn_or_unconsented_profile_reports_nothing_else(src):
    """Fixing a withdrawn profile's details must never hold up the build that removes it."""
    write(src, "people/gone.md", """
        ---
        name: 余思远
        category: 不存在的类别
        honored: 2026-99
        portrait: missing.jpg
        summary: 撤回
        consent: {by: 本人, date: 2026-09-20, withdrawn: 2026-11-01}
        ---
        """)
    index, roll = load(src)
    assert [p.code for p in index.report.problems] == ["PERSON006"]
    assert index.report.errors == []


# ---------------------------------------------------------------- accepted forms and edges

PROFILE = """
---
name: 于秀兰
category: {category}
honored: {honored}
summary: {summary}
consent: {consent}
{extra}
---

故事。
"""


def profile(src: Path, slug: str = "yu", *, category="助人为乐", honored="2026-11", summary="帮助邻居",
            consent="{by: 本人, date: 2026-10-20, show_portrait: true}", extra="") -> str:
    write(src, f"people/{slug}.md", PROFILE.format(category=category, honored=honored, summary=summary,
                                                   consent=consent, extra=extra))
    return f"site_src/people/{slug}.md"


@pytest.mark.parametrize("written,expected", [
    ("助人為樂", "助人为乐"), ("助人爲樂", "助人为乐"), ("見義勇為", "见义勇为"), ("誠實守信", "诚实守信"),
    ("敬業奉獻", "敬业奉献"), ("孝老愛親", "孝老爱亲"), (" 孝老爱亲 ", "孝老爱亲"), ("jingye-fengxian", "敬业奉献"),
])
def test_category_is_accepted_in_either_script_and_normalised(src, written, expected):
    profile(src, category=written)
    index, roll = load(src)
    yu = next(p for p in roll.people if p.name == "于秀兰")
    assert yu.category.name == expected
    assert not [p for p in index.report.problems if p.code == "PERSON001"]


@pytest.mark.parametrize("written,expected", [
    ("2026-11", "2026-11"), ("2026-3", "2026-03"), ("2026/03", "2026-03"), ("2026年3月", "2026-03"),
    ("2026-03-15", "2026-03"),
])
def test_honored_month_forms(src, written, expected):
    profile(src, honored=written)
    _, roll = load(src)
    assert next(p for p in roll.people if p.name == "于秀兰").honored == expected


def test_summary_of_sixty_characters_is_accepted_sixty_one_is_not(src):
    profile(src, "sixty", summary="好" * 60)
    profile(src, "sixtyone", summary="好" * 61)
    index, roll = load(src)
    assert ("PERSON003", "site_src/people/sixtyone.md", 5) in index.report.codes()
    assert "61 个字" in next(p.message for p in index.report.problems if p.code == "PERSON003")
    assert {p.slug for p in roll.people} == {"sixty", "2026-11-qian-shanshan"}


def test_until_is_the_last_day_shown(src):
    profile(src, extra="until: 2026-11-29")
    _, roll = load(src, today=dt.date(2026, 11, 29))
    assert "于秀兰" in [p.name for p in roll.people]
    _, roll = load(src, today=dt.date(2026, 11, 30))
    assert "于秀兰" not in [p.name for p in roll.people]


def test_minor_with_guardian_consent_is_published(src):
    profile(src, consent="{by: 于建华, date: 2026-10-20, guardian: 于建华}", extra="minor: true")
    index, roll = load(src)
    yu = next(p for p in roll.people if p.name == "于秀兰")
    assert yu.minor and yu.consent.guardian == "于建华"
    assert index.report.problems == []


def test_unknown_consent_key_is_an_error_on_its_line_and_withholds(src):
    """Consent is closed by default: a key it does not know makes the record unclear."""
    path = profile(src, consent="\n  by: 本人\n  date: 2026-10-20\n  show_portriat: true")
    index, roll = load(src)
    assert ("PERSON015", path, 9) in index.report.codes()
    assert next(p for p in index.report.problems if p.code == "PERSON015").severity is Severity.ERROR
    assert "于秀兰" not in [p.name for p in roll.people]


def test_unreadable_consent_date_withholds(src):
    path = profile(src, consent="{by: 本人, date: 上个月}")
    index, roll = load(src)
    assert ("PERSON016", path, 6) in index.report.codes()
    assert "于秀兰" not in [p.name for p in roll.people]


def test_show_portrait_false_gives_placeholder_and_keeps_the_original_private(src):
    (src / "people" / "yu.jpg").write_bytes(b"\xff\xd8\xff")
    profile(src, consent="{by: 本人, date: 2026-10-20, show_portrait: false}", extra="portrait: yu.jpg")
    index, roll = load(src)
    yu = next(p for p in roll.people if p.name == "于秀兰")
    assert yu.portrait is None
    assert people.portrait_jobs(roll, src) == {}
    assert "people/yu.jpg" in people.unpublished(index, roll)
    assert index.report.problems == []


def test_portrait_without_show_portrait_is_held_back_with_a_warning(src):
    (src / "people" / "yu.jpg").write_bytes(b"\xff\xd8\xff")
    path = profile(src, consent="{by: 本人, date: 2026-10-20}", extra="portrait: yu.jpg")
    index, roll = load(src)
    assert ("PERSON011", path, 7) in index.report.codes()
    assert next(p for p in roll.people if p.name == "于秀兰").portrait is None


@pytest.mark.parametrize("value", ["../secret.jpg", "other/yu.jpg", "yu.txt"])
def test_portrait_must_be_a_photo_beside_the_profile(src, value):
    path = profile(src, extra=f"portrait: {value}")
    index, roll = load(src)
    assert ("PERSON012", path, 7) in index.report.codes()
    assert "于秀兰" not in [p.name for p in roll.people]


def test_bad_focus_is_a_warning_and_crops_centred(src):
    (src / "people" / "yu.jpg").write_bytes(b"\xff\xd8\xff")
    path = profile(src, extra="portrait: yu.jpg\nfocus: [1.5, 0.2]")
    index, roll = load(src)
    assert ("PERSON010", path, 8) in index.report.codes()
    assert next(p for p in roll.people if p.name == "于秀兰").focus == (0.5, 0.5)


def test_file_named_like_a_category_page_is_refused(src):
    path = profile(src, "zhuren-weile")
    index, roll = load(src)
    assert ("PERSON013", path, 1) in index.report.codes()
    assert roll.people and all(p.slug != "zhuren-weile" for p in roll.people)


def test_mobile_number_in_a_story_withholds_the_person_everywhere(src):
    write(src, "people/phone.md", """
        ---
        name: 于秀兰
        category: 助人为乐
        honored: 2026-11
        summary: 帮助邻居
        consent: {by: 本人, date: 2026-10-20}
        ---

        有事请打 13912345678 找她。
        """)
    index, roll = load(src)
    assert ("PRIV003", "site_src/people/phone.md", 9) in index.report.codes()
    assert "于秀兰" not in [p.name for p in roll.people]
    assert "people/phone.md" in people.unpublished(index, roll)


def test_room_level_address_is_a_warning_and_the_profile_stays(src):
    write(src, "people/addr.md", """
        ---
        name: 于秀兰
        category: 助人为乐
        honored: 2026-11
        summary: 帮助邻居
        consent: {by: 本人, date: 2026-10-20}
        ---

        她家住 3号楼2单元501室，门总是开着。
        """)
    index, roll = load(src)
    problem = next(p for p in index.report.problems if p.code == "PRIV004")
    assert (problem.path, problem.line, problem.severity) == ("site_src/people/addr.md", 9, Severity.WARNING)
    assert "于秀兰" in [p.name for p in roll.people]


# ---------------------------------------------------------------- mentions: errors, and the page is left out

def test_mentions_of_a_withdrawn_person_point_at_captions_and_plan_lines(tmp_path):
    src = make_source(tmp_path, ["withdrawn"])
    write(src, "albums/autumn/index.md", """
        ---
        title: 秋季志愿活动
        date: 2026-10-05
        captions:
          a.jpg: 志愿者余思远为老人理发
          b.jpg: 大合影
        ---
        """)
    write(src, "plans/plan-01.md", """
        ---
        title: 工作计划
        ---

        ## 一、表彰

        表彰余思远等先进个人。
        """)
    write(src, "news.md", "# 消息\n\n感謝餘思遠的幫助。\n")  # written in Traditional, surname mis-converted
    index, roll = load(src)
    found = [(p.code, p.path, p.line) for p in index.report.problems if p.code == "PERSON014"]
    assert ("PERSON014", "site_src/albums/autumn/index.md", 5) in found
    assert ("PERSON014", "site_src/plans/plan-01.md", 7) in found
    assert ("PERSON014", "site_src/news.md", 3) in found
    assert not [f for f in found if f[1] == "site_src/people/withdrawn.md"]
    assert all(p.severity is Severity.ERROR for p in index.report.problems if p.code == "PERSON014")
    assert "已撤回同意" in next(p.message for p in index.report.problems if p.code == "PERSON014")
    assert {"albums/autumn/index.md", "plans/plan-01.md", "news.md"} <= index.refused
    assert not {"albums/autumn/index.md", "plans/plan-01.md", "news.md"} & set(index.sources)
    fresh = content.load(src)  # mentions() alone, before review took the pages out
    again = people.mentions(fresh, ["余思远"], skip={"people/withdrawn.md"})
    assert sorted((p.path, p.line) for p in again) == sorted((f[1], f[2]) for f in found)


def test_mentions_ignore_published_people_and_one_character_names_but_not_expired_ones(tmp_path):
    """An expired person is withheld too: their name may not stay in other pages either."""
    src = make_source(tmp_path, ["expired"])
    write(src, "plans/plan-01.md", "---\ntitle: 计划\n---\n\n感谢钱善善。于是大家都很高兴。\n")
    write(src, "plans/plan-02.md", "---\ntitle: 计划\n---\n\n感谢干晓岚。\n")
    index, roll = load(src)
    found = [(p.path, p.line, p.severity) for p in index.report.problems if p.code == "PERSON014"]
    assert found == [("site_src/plans/plan-02.md", 5, Severity.ERROR)]
    assert "已过展示截止日期" in next(p.message for p in index.report.problems if p.code == "PERSON014")
    assert "plans/plan-01.md" in index.sources
    assert people.mentions(index, ["于"]) == []


# ---------------------------------------------------------------- listings and pages

def test_listing_latest_month_first_then_category_order(sample_index_roll):
    _, roll = sample_index_roll
    listed = people.months(roll.people)
    assert people.current(roll.people).key == "2026-11" == listed[0].key
    assert listed[0].label == "2026年11月"
    order = [c.slug for c in people.CATEGORIES]
    for month in listed:
        ranks = [order.index(p.category.slug) for p in month.people]
        assert ranks == sorted(ranks)
    pages = people.category_pages(roll.people)
    assert [c.category.slug for c in pages] == order
    assert sum(c.count for c in pages) == len(roll.people)
    assert all([m.key for m in c.months] == sorted((m.key for m in c.months), reverse=True) for c in pages)


@pytest.fixture(scope="module")
def sample_index_roll():
    return load(ROOT / "site_src")


def test_empty_category_still_gets_its_page(src):
    _, roll = load(src)
    pages = people.category_pages(roll.people)
    assert len(pages) == 5 and [c.count for c in pages] == [1, 0, 0, 0, 0]


def test_generated_pages_and_templates(src):
    index, roll = load(src)
    pages = people.generated_pages(index)
    assert set(pages) == {"people/index.md"} | {f"people/{c.slug}/index.md" for c in people.CATEGORIES}
    assert "title: 好人榜" in pages["people/index.md"]
    assert "title: 见义勇为" in pages["people/jianyi-yongwei/index.md"]
    write(src, "people/index.md", "---\ntitle: 好人榜\n---\n\n示例数据\n")
    index, roll = load(src)
    assert "people/index.md" not in people.generated_pages(index)
    assert people.template_for("people/index.md") == "people-index.html"
    assert people.template_for("people/xiaolao-aiqin/index.md") == "people-category.html"
    assert people.template_for("people/2026-11-qian-shanshan.md") == "person.html"
    assert people.template_for("plans/plan-01.md") is None


def test_context_for_each_page(src):
    _, roll = load(src)
    profile_context = people.context_for("people/2026-11-qian-shanshan.md", roll)
    assert profile_context["person"].name == "钱善善"
    index_context = people.context_for("people/index.md", roll)
    assert [m.key for m in index_context["people_months"]] == ["2026-11"]
    category_context = people.context_for("people/zhuren-weile/index.md", roll)
    assert category_context["people_category"].category.name == "助人为乐"
    assert len(category_context["people_categories"]) == 5
    home = people.context_for("index.md", roll, is_homepage=True)
    assert home == {"current_people": people.current(roll.people)}


def test_unpublished_covers_portraits_and_anything_private_beside_the_profiles(tmp_path):
    src = make_source(tmp_path, ["withdrawn", "missing-consent"])
    (src / "people" / "consent-scan.pdf").write_bytes(b"%PDF-1.4")
    (src / "people" / "2026-11-qian-shanshan.jpg").write_bytes(b"\xff\xd8\xff")
    write(src, "people/index.md", "---\ntitle: 好人榜\n---\n")
    index, roll = load(src)
    assert people.unpublished(index, roll) == {
        "people/withdrawn.md", "people/missing-consent.md", "people/consent-scan.pdf",
        "people/2026-11-qian-shanshan.jpg",
    }


def test_names_for_script_protection_are_the_published_ones_with_overrides(tmp_path):
    src = make_source(tmp_path, ["withdrawn"])
    profile(src, "chen", extra="name_hant: 于秀蘭")
    _, roll = load(src)
    assert people.names(roll.people) == [{"name": "于秀兰", "name_hant": "于秀蘭"}, {"name": "钱善善"}]


# ---------------------------------------------------------------- cards (golden, both scripts)

def card_env() -> jinja2.Environment:
    """As the plugin sets up MkDocs' theme environment: our templates autoescape, `mark` filter."""
    from bulletin import script
    from bulletin.plugin import THEME_DIR, escaped_templates

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "theme")),
                             autoescape=escaped_templates(THEME_DIR))
    env.filters["mark"] = script.mark
    return env


def fake_photo(slug: str):
    from bulletin.media import Derivatives, Rendition

    renditions = tuple(
        Rendition(url=f"media/0123456789ab/portrait-{slug}-{w}.{ext}", width=w, height=w * 4 // 3,
                  format=fmt, size=1000, path=Path("/nonexistent"))
        for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")) for w in (240, 480)
    )
    return Derivatives(key="0123456789ab" * 5, width=480, height=640, renditions=renditions,
                       placeholder="", colour="#c0a080")


GOLDEN_PEOPLE = """
---
name: {name}
category: {category}
honored: 2026-11
community: 幸福社区
summary: {summary}
consent: {{by: 本人, date: 2026-10-20, show_portrait: true}}
---
"""


@pytest.fixture(scope="module")
def golden_roll(tmp_path_factory):
    src = tmp_path_factory.mktemp("golden") / "site_src"
    rows = [
        ("2026-11-yu-xiulan", "于秀兰", "助人为乐", "于是她发起了缝补互助队"),
        ("2026-11-yu-jianguo", "余建国", "见义勇为", "冲进浓烟救出两位老人"),
        ("2026-11-hou-xiaohong", "后小红", "敬业奉献", "十二年后仍坚守护理岗位"),
        ("2026-11-gan-zhiqiang", "干志强", "诚实守信", "干干净净做人，拾金不昧"),
        ("2026-11-fan-lihua", "范丽华", "孝老爱亲", "照顾婆婆十五年，堪称模范"),
    ]
    for slug, name, category, summary in rows:
        write(src, f"people/{slug}.md", GOLDEN_PEOPLE.format(name=name, category=category, summary=summary))
    index, roll = load(src)
    assert index.report.problems == []
    for person in roll.people:
        person.photo = fake_photo(person.slug) if person.name != "余建国" else None
    return roll


def render_cards(roll: people.Roll) -> str:
    template = card_env().get_template("partials/person-card.html")
    return "\n".join(template.render(person=p, base_url="../..") for p in roll.people)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path} missing: run with BULLETIN_UPDATE_GOLDEN=1 and review it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path} (BULLETIN_UPDATE_GOLDEN=1 to accept)"


def test_card_golden_simplified(golden_roll):
    html = render_cards(golden_roll)
    assert 'href="../../people/2026-11-yu-xiulan/"' in html
    assert html.count("<article") == 5
    check_golden("cards.zh-Hans.html", html)


def test_card_golden_traditional_keeps_surnames(golden_roll):
    from bulletin.script import Converter

    converter = Converter("zh-Hant", names=people.names(golden_roll.people))
    html = converter.html(render_cards(golden_roll))
    for right, wrong in [("于秀蘭", "於秀蘭"), ("余建國", "餘建國"), ("后小紅", "後小紅"),
                         ("干志強", "幹志強"), ("范麗華", "範麗華")]:
        assert right in html and wrong not in html
    assert "於是" in html  # ordinary running text still converts
    assert "助人爲樂" in html and "2026年11月" in html  # OpenCC standard form
    assert 'href="../../people/2026-11-yu-xiulan/"' in html  # URLs untouched
    check_golden("cards.zh-Hant.html", html)


def test_card_shows_a_drawn_placeholder_never_a_broken_image(golden_roll):
    template = card_env().get_template("partials/person-card.html")
    yu = next(p for p in golden_roll.people if p.name == "余建国")
    html = template.render(person=yu, base_url="..")
    assert "<img" not in html and "<svg" in html and 'aria-hidden="true"' in html


def test_card_with_photo_offers_webp_and_jpeg_at_its_size(golden_roll):
    template = card_env().get_template("partials/person-card.html")
    yu = next(p for p in golden_roll.people if p.name == "于秀兰")
    html = template.render(person=yu, base_url="..")
    assert '<source type="image/webp" srcset="../media/0123456789ab/portrait-2026-11-yu-xiulan-240.webp 240w' in html
    assert 'src="../media/0123456789ab/portrait-2026-11-yu-xiulan-480.jpg"' in html
    assert 'width="480" height="640"' in html and 'alt="于秀兰"' in html


def test_card_escapes_editor_text(src):
    write(src, "people/x.md", """
        ---
        name: <script>alert(1)</script>
        category: 助人为乐
        honored: 2026-11
        community: '"><img src=x onerror=alert(2)>'
        summary: <b>粗体</b>
        consent: {by: 本人, date: 2026-10-20}
        ---
        """)
    _, roll = load(src)
    person = next(p for p in roll.people if p.slug == "x")
    html = card_env().get_template("partials/person-card.html").render(person=person, base_url="..")
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


# ---------------------------------------------------------------- portraits through the pipeline

def test_portrait_pipeline_crops_3_4_upright_around_focus_without_exif(tmp_path):
    from bulletin import media
    from bulletin.report import Report

    src = ROOT / "site_src"
    index, roll = load(src)
    jobs = people.portrait_jobs(roll, src)
    assert set(jobs) == {p.slug for p in roll.people if p.portrait}
    chosen = {slug: jobs[slug] for slug in ("2026-11-hou-xiaohong", "2026-11-gan-zhiqiang")}
    report = Report()
    made = media.build(chosen.values(), tmp_path / "cache", report, workers=0, progress=None)
    assert report.problems == []
    people.attach_photos(roll, chosen, made.results)
    for slug in chosen:
        person = next(p for p in roll.people if p.slug == slug)
        photo = person.photo
        assert abs(photo.width / photo.height - 3 / 4) < 0.01
        largest = photo.of("jpeg")[-1]
        data = largest.path.read_bytes()
        assert media.find_metadata(data) == []
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            rgb = image.convert("RGB")
            w, h = rgb.size
            # The drawn face (skin tone) sits on the centre line: upright and focused.
            r, g, b = rgb.getpixel((w // 2, int(h * 0.42)))
            assert r > 150 and r > b + 30, (slug, (r, g, b))
    others = [p for p in roll.people if p.slug not in chosen]
    assert all(p.photo is None for p in others)


# ---------------------------------------------------------------- messages

def test_every_person_message_is_chinese_and_registered():
    for code, message in people.MESSAGES.items():
        assert CATALOGUE[code] is message
        text = message.text.replace("{", "").lstrip("0123456789_abcdefghijklmnopqrstuvwxyz}")
        assert "\u4e00" <= text[0] <= "\u9fff" or text[0] in "「（", code


# ---------------------------------------------------------------- a real build

@pytest.fixture(scope="module")
def built_consent_cases(tmp_path_factory):
    """Withdrawn, expired, unconsented and unguarded people are warnings: the build succeeds."""
    root = tmp_path_factory.mktemp("people-build")
    src = make_source(root, ["withdrawn", "expired", "missing-consent", "minor-without-guardian",
                             "incomplete-consent"])
    shutil.copy(ROOT / "site_src" / "people" / "2026-11-yu-xiulan.md", src / "people")
    shutil.copy(ROOT / "site_src" / "people" / "2026-11-yu-xiulan.jpg", src / "people")
    shutil.copy(ROOT / "site_src" / "people" / "2026-11-fan-lihua.jpg", src / "people" / "withdrawn.jpg")
    (src / "people" / "consent-scan.pdf").write_bytes(b"%PDF-1.4 consent form")
    error = build(make_project(root, src), root / "site")
    return root / "site", error


WITHHELD_NAMES = {"余思远", "干晓岚", "周未签", "后小宝", "吴半签"}


def test_build_succeeds_when_people_are_only_withheld(built_consent_cases):
    site, error = built_consent_cases
    assert error is None, error


@pytest.mark.parametrize("name", sorted(WITHHELD_NAMES))
def test_withheld_person_is_absent_from_every_file_in_site(built_consent_cases, name):
    site, _ = built_consent_cases
    assert (site / "index.html").exists()
    case = {"余思远": "withdrawn", "干晓岚": "expired", "周未签": "missing-consent",
            "后小宝": "minor-without-guardian", "吴半签": "incomplete-consent"}[name]
    assert files_mentioning(site, name_forms(name) | {f"people/{case}"}) == []


def test_published_people_are_in_every_output(built_consent_cases):
    """The control for the absence test: the same search finds the people who are published."""
    site, _ = built_consent_cases
    found = files_mentioning(site, {"钱善善"})
    assert "people/2026-11-qian-shanshan/index.html" in found
    assert "people/index.html" in found
    assert "people/zhuren-weile/index.html" in found
    assert "index.html" in found  # the home page's current list
    assert any(rel.startswith("pagefind/fragment/zh-hans_") for rel in found)  # search finds them
    found_hant = files_mentioning(site, {"錢善善"})
    assert any(rel.startswith("pagefind/fragment/zh-hant-hk_") for rel in found_hant)
    assert "2026-11-qian-shanshan" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_no_original_portrait_or_private_file_is_published(built_consent_cases):
    site, _ = built_consent_cases
    names = {p.name for p in site.rglob("*") if p.is_file()}
    assert "consent-scan.pdf" not in names
    assert not [n for n in names if n.endswith(".jpg") and n.startswith(("2026-11-yu-xiulan", "withdrawn"))]
    original = (ROOT / "site_src" / "people" / "2026-11-yu-xiulan.jpg").read_bytes()
    assert all(p.read_bytes() != original for p in site.rglob("*.jpg"))
    profile_html = (site / "people" / "2026-11-yu-xiulan" / "index.html").read_text(encoding="utf-8")
    assert "portrait-2026-11-yu-xiulan" in profile_html  # the derivative, not the original


def test_build_with_errors_fails_and_its_output_still_leaves_them_out(tmp_path):
    src = make_source(tmp_path, ["unknown-category", "missing-portrait", "summary-too-long", "bad-honored"])
    site = tmp_path / "site"
    error = build(make_project(tmp_path, src), site)
    assert error is not None
    for name, case in [("孙乐乐", "unknown-category"), ("范文静", "missing-portrait"),
                       ("于海涛", "summary-too-long"), ("郑十三", "bad-honored")]:
        assert files_mentioning(site, name_forms(name) | {f"people/{case}"}) == [], name
    assert files_mentioning(site, {"钱善善"})  # the build did write the rest


def test_people_feed_the_screen_with_names_categories_and_photos(tmp_path):
    from bulletin import media, screen
    from bulletin.report import Report

    src = ROOT / "site_src"
    index, roll = load(src)
    jobs = people.portrait_jobs(roll, src)
    chosen = {"2026-11-yu-xiulan": jobs["2026-11-yu-xiulan"]}
    made = media.build(chosen.values(), tmp_path / "cache", Report(), workers=0, progress=None)
    people.attach_photos(roll, chosen, made.results)
    slides = screen.person_slides(roll.people, screen.Settings(), TODAY)
    yu = next(s for s in slides if s["name"] == "于秀兰")
    assert yu["category"] == "助人为乐" and yu["honored_text"] == "2026年11月"
    assert yu["url"] == "people/2026-11-yu-xiulan/"
    assert yu["image"].startswith("media/") and yu["image"].endswith(".jpg")
    assert yu["image"] in made.published
    assert next(s for s in slides if s["name"] == "余建国")["image"] is None
