"""Consent fails closed: a profile is published only when its consent record is complete,
valid and in force, and a withheld person leaves no trace in site/, site.prev/ or a rollback.

One case per way consent used to leak (a withdrawal at the top level or misspelt, a date
still to come, an age instead of `minor: true`, a profile moved out of people/, a name left
in another page, an old site kept for rollback). Each asserts (code, file, line, severity)
and, through a real build, that the person's name (any script) and profile URL are in no
file of the built site: every page, the search index (gzip, decompressed) and the screen
(JSON, unescaped).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from bulletin import content, people, privacy
from bulletin.report import Severity

from helpers_people import ROOT, build, files_mentioning, make_project, make_source, name_forms

TODAY = dt.date(2026, 11, 29)


def write(src: Path, rel: str, text: str) -> str:
    path = src / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return f"site_src/{rel}"


def load(src: Path, today: dt.date = TODAY) -> tuple[content.ContentIndex, people.Roll]:
    index = content.load(src)
    privacy.scan_index(index)
    return index, people.review(index, today)


def problem(index: content.ContentIndex, code: str, path: str):
    found = [p for p in index.report.problems if p.code == code and p.path == path]
    assert found, (code, path, index.report.render())
    return found[0]


def published(roll: people.Roll) -> list[str]:
    return [p.name for p in roll.people]


def reason(roll: people.Roll, rel: str) -> str:
    return next(w.reason for w in roll.withheld if w.rel == rel)


def profile(src: Path, slug: str, *, name: str = "于秀兰", consent: str = "{by: 本人, date: 2026-10-20}",
            extra: str = "", body: str = "故事。") -> str:
    """A profile whose line 6 is `consent:` and line 7 the first `extra` line."""
    text = (f"---\nname: {name}\ncategory: 助人为乐\nhonored: 2026-11\nsummary: 帮助邻居\nconsent: {consent}\n"
            + (extra + "\n" if extra else "") + f"---\n\n{body}\n")
    (src / "people").mkdir(parents=True, exist_ok=True)
    (src / "people" / f"{slug}.md").write_text(text, encoding="utf-8")
    return f"site_src/people/{slug}.md"


@pytest.fixture
def src(tmp_path) -> Path:
    return make_source(tmp_path)


# ---------------------------------------------------------------- 1. a withdrawal at the top level

@pytest.mark.parametrize("key", ["withdrawn", "Withdrawn", "revoked", "撤回", "撤銷"])
def test_withdrawal_at_the_top_level_withholds_with_a_notice_not_an_unknown_key(src, key):
    path = profile(src, "top", extra=f"{key}: 2026-11-20")
    index, roll = load(src)
    found = problem(index, "PERSON018", path)
    assert (found.line, found.severity) == (7, Severity.NOTICE)
    assert f"「{key}」" in found.message and "按撤回同意处理" in found.message
    assert "于秀兰" not in published(roll) and reason(roll, "people/top.md") == "withdrawn"
    # not "unknown key, ignored", and nothing that --strict would count: the build goes on
    assert [p.code for p in index.report.problems if p.path == path] == ["PERSON018"]
    assert index.report.errors == [] and index.report.warnings == []


def test_top_level_withdrawal_false_still_withholds(src):
    """Fail closed: the key alone says "withdrawal"; the message says to delete it if wrong."""
    path = profile(src, "top", extra="withdrawn: false")
    index, roll = load(src)
    assert ("PERSON018", path, 7) in index.report.codes()
    assert "于秀兰" not in published(roll)


# ---------------------------------------------------------------- 2. a misspelt key inside consent

@pytest.mark.parametrize("key", ["withdraw", "withdrawal", "revoked", "revoke", "撤回", "撤銷", "withdrwan"])
def test_withdrawal_misspelt_inside_consent_is_read_as_the_withdrawal(src, key):
    path = profile(src, "typo", consent=f"\n  by: 本人\n  date: 2026-10-20\n  {key}: 2026-11-20")
    index, roll = load(src)
    found = problem(index, "PERSON018", path)
    assert (found.line, found.severity) == (9, Severity.NOTICE)
    assert f"consent.{key}" in found.message
    assert "于秀兰" not in published(roll) and reason(roll, "people/typo.md") == "withdrawn"
    assert index.report.errors == [] and index.report.warnings == []


def test_unknown_consent_key_withholds_with_an_error_and_suggests_the_key(src):
    path = profile(src, "odd", consent="\n  by: 本人\n  date: 2026-10-20\n  show_portriat: true")
    index, roll = load(src)
    found = problem(index, "PERSON015", path)
    assert (found.line, found.severity) == (9, Severity.ERROR)
    assert "「show_portriat」" in found.message and "是不是「show_portrait」" in found.message
    assert "by、date、show_portrait、guardian、withdrawn、mention_ok" in found.message
    assert "于秀兰" not in published(roll) and reason(roll, "people/odd.md") == "unclear"


def test_empty_withdrawn_inside_consent_is_a_withdrawal_and_false_is_not(src):
    profile(src, "empty", consent="{by: 本人, date: 2026-10-20, withdrawn: }")
    profile(src, "kept", name="余建国", consent="{by: 本人, date: 2026-10-20, withdrawn: false}")
    index, roll = load(src)
    assert ("PERSON006", "site_src/people/empty.md", 6) in index.report.codes()
    assert set(published(roll)) == {"钱善善", "余建国"}


# ---------------------------------------------------------------- 3. a consent date still to come

def test_consent_dated_after_today_withholds_with_an_error(src):
    path = profile(src, "future", consent="\n  by: 本人\n  date: 2026-12-01")
    index, roll = load(src)
    found = problem(index, "PERSON019", path)
    assert (found.line, found.severity) == (8, Severity.ERROR)
    assert "2026-12-01" in found.message and "2026-11-29" in found.message
    assert "于秀兰" not in published(roll) and reason(roll, "people/future.md") == "unclear"


def test_consent_dated_today_is_in_force(src):
    profile(src, "today", consent="{by: 本人, date: 2026-11-29}")
    _, roll = load(src)
    assert "于秀兰" in published(roll)


# ---------------------------------------------------------------- 4. an age or a birth date

@pytest.mark.parametrize("extra,line", [
    ("age: 13", 7),
    ("born: 2015-03-01", 7),
    ("birthday: 2008-11-30", 7),  # 17 the day before their 18th birthday
    ("minor: false\nage: 17", 8),  # the age wins over minor: false
])
def test_age_or_birth_date_under_18_is_a_minor_without_a_guardian(src, extra, line):
    path = profile(src, "kid", extra=extra)
    index, roll = load(src)
    found = problem(index, "PERSON020", path)
    assert (found.line, found.severity) == (line, Severity.WARNING)
    assert "未满 18 岁" in found.message and "guardian" in found.message
    assert "于秀兰" not in published(roll) and reason(roll, "people/kid.md") == "minor"


def test_minor_by_age_with_a_guardian_is_published_and_adults_are_untouched(src):
    profile(src, "kid", consent="{by: 于建华, date: 2026-10-20, guardian: 于建华}", extra="age: 13")
    profile(src, "adult", name="余建国", extra="born: 2008-11-29\nage: 40")
    index, roll = load(src)
    kid = next(p for p in roll.people if p.slug == "kid")
    assert kid.minor and kid.consent.guardian == "于建华"
    assert "余建国" in published(roll)
    assert index.report.problems == []


@pytest.mark.parametrize("extra,code,line", [
    ("born: 二〇一〇年", "PERSON021", 7),
    ("born: 2030-01-01", "PERSON021", 7),
    ("age: 200", "PERSON021", 7),
    ("age: 十三", "CONTENT005", 7),  # not an integer: the schema refuses the whole page
])
def test_unreadable_age_or_birth_date_withholds(src, extra, code, line):
    path = profile(src, "kid", extra=extra)
    index, roll = load(src)
    found = problem(index, code, path)
    assert (found.line, found.severity) == (line, Severity.ERROR)
    assert "于秀兰" not in published(roll)
    assert "people/kid.md" in people.unpublished(index, roll)


# ---------------------------------------------------------------- 5. a profile outside people/

WITHDRAWN_PROFILE = """
---
name: 余思远
category: 见义勇为
honored: 2026-10
summary: 已撤回
consent: {by: 本人, date: 2026-09-20, withdrawn: 2026-11-20}
---

余思远的故事。
"""


@pytest.mark.parametrize("rel,text,line", [
    ("archive/2026-10-yu.md", WITHDRAWN_PROFILE, 2),
    ("plans/2026-10-yu.md", "---\ntitle: 旧档案\nname: 余思远\nconsent: {by: 本人, date: 2026-09-20}\n---\n\n余思远。\n", 4),
    ("people/old/2026-10-yu.md", WITHDRAWN_PROFILE, 2),
    ("notes.md", "---\nname: 余思远\nhonored: 2026-10\n---\n\n余思远。\n", 2),
])
def test_a_profile_outside_people_is_refused_naming_the_file(src, rel, text, line):
    path = write(src, rel, text)
    index, roll = load(src)
    found = problem(index, "PERSON022", path)
    assert (found.line, found.severity) == (line, Severity.ERROR)
    assert rel not in index.sources and rel in index.refused
    assert reason(roll, rel) == "misplaced" and "余思远" in roll.names_to_avoid()


def test_an_ordinary_page_with_a_name_or_a_cancelled_key_is_not_a_profile(src):
    write(src, "about.md", "---\ntitle: 关于\nname: 社区办公室\n---\n\n联系我们。\n")
    write(src, "event.md", "---\ntitle: 义诊\ncancelled: true\n---\n\n因雨取消。\n")
    index, _ = load(src)
    assert {"about.md", "event.md"} <= set(index.sources)
    assert not [p for p in index.report.problems if p.code == "PERSON022"]


# ---------------------------------------------------------------- 6. a withheld name elsewhere

def mentioning_site(src: Path) -> None:
    """The withdrawn 余思远 named in a plan body, an album caption, a page's tags and another profile."""
    make_source(src.parent, ["withdrawn"])
    write(src, "plans/plan-01.md", """
        ---
        title: 工作计划
        ---

        ## 一、表彰

        表彰余思远等先进个人。
        """)
    write(src, "albums/autumn/index.md", """
        ---
        title: 秋季志愿活动
        date: 2026-10-05
        captions:
          a.jpg: 志愿者余思远为老人理发
        ---
        """)
    Image.new("RGB", (64, 48), (200, 120, 80)).save(src / "albums" / "autumn" / "a.jpg")
    write(src, "news.md", "---\ntitle: 消息\ntags: [好人好事, 餘思遠]\n---\n\n社区消息。\n")
    profile(src, "friend", name="余建国", body="他和余思远是邻居。")


def test_a_withheld_name_in_another_page_is_an_error_and_the_page_is_left_out(tmp_path):
    src = tmp_path / "site_src"
    mentioning_site(src)
    index, roll = load(src)
    expected = [("site_src/plans/plan-01.md", 7), ("site_src/albums/autumn/index.md", 5),
                ("site_src/news.md", 3), ("site_src/people/friend.md", 9)]
    for path, line in expected:
        found = problem(index, "PERSON014", path)
        assert (found.line, found.severity) == (line, Severity.ERROR)
        assert "已撤回同意" in found.message and "mention_ok" in found.message
    for rel in ("plans/plan-01.md", "albums/autumn/index.md", "news.md", "people/friend.md"):
        assert rel not in index.sources and rel in index.refused
    assert published(roll) == ["钱善善"]  # the profile that names them is withheld too
    assert reason(roll, "people/friend.md") == "invalid"
    assert "people/friend.md" in people.unpublished(index, roll)


def test_expired_and_unconsented_names_count_too(tmp_path):
    src = make_source(tmp_path, ["expired", "missing-consent"])
    write(src, "plans/plan-01.md", "---\ntitle: 计划\n---\n\n感谢干晓岚、周未签和钱善善。于是大家都很高兴。\n")
    index, _ = load(src)
    found = sorted(p.message[:12] for p in index.report.problems if p.code == "PERSON014")
    assert len(found) == 2 and "钱善善" not in "".join(found)


def test_mention_ok_lets_the_person_agree_to_one_page(tmp_path):
    src = tmp_path / "site_src"
    mentioning_site(src)
    text = (src / "people" / "withdrawn.md").read_text(encoding="utf-8")
    text = text.replace("  withdrawn: 2026-11-20\n", "  withdrawn: 2026-11-20\n  mention_ok: [plans/plan-01.md, albums/autumn]\n")
    (src / "people" / "withdrawn.md").write_text(text, encoding="utf-8")
    index, roll = load(src)
    flagged = {p.path for p in index.report.problems if p.code == "PERSON014"}
    assert flagged == {"site_src/news.md", "site_src/people/friend.md"}
    assert "plans/plan-01.md" in index.sources and "albums/autumn/index.md" in index.sources
    assert "余思远" not in published(roll)


# ---------------------------------------------------------------- through a real build

NOTICE_CASES = {  # name: (rel, text) — withheld with a notice or a warning: the build succeeds
    "赵顶撤": ("people/top.md", "consent: {by: 本人, date: 2026-10-20}\nwithdrawn: 2026-11-20"),
    "孙笔误": ("people/typo.md", "consent:\n  by: 本人\n  date: 2026-10-20\n  撤回: 2026-11-20"),
    "李小龄": ("people/kid.md", "consent: {by: 本人, date: 2026-10-20}\nage: 13"),
    "周小生": ("people/born.md", "consent: {by: 本人, date: 2026-10-20}\nborn: 2014-06-01"),
}
ERROR_CASES = {  # withheld with an error: the build fails, and its output still leaves them out
    "吴未知": ("people/odd.md", "consent:\n  by: 本人\n  date: 2026-10-20\n  show_portriat: true"),
    "郑未来": ("people/future.md", "consent: {by: 本人, date: 2099-01-01}"),
    "王归档": ("archive/2026-10-wang.md", "consent: {by: 本人, date: 2026-09-20, withdrawn: 2026-11-20}"),
    "冯旧页": ("plans/2026-10-feng.md", "title: 好人好事\nconsent: {by: 本人, date: 2026-09-20}"),
}


def person_page(name: str, lines: str) -> str:
    return (f"---\nname: {name}\ncategory: 助人为乐\nhonored: 2026-11\nsummary: 测试人物\n{lines}\n---\n\n"
            f"{name}的故事。\n")


def write_cases(src: Path, cases: dict[str, tuple[str, str]]) -> None:
    for name, (rel, lines) in cases.items():
        text = person_page(name, lines)
        if rel.startswith("plans/"):
            text = text.replace("category: 助人为乐\n", "")  # a plan: no profile keys but name + consent
        write(src, rel, text)


def absent(site: Path, name: str, rel: str) -> list[str]:
    """Every file of the built site that still holds the name (any script) or the page's URL."""
    return files_mentioning(site, name_forms(name) | {rel[:-3] + "/"})


@pytest.fixture(scope="module")
def notice_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("consent-notices")
    src = make_source(root)
    write_cases(src, NOTICE_CASES)
    # a withdrawn person who agreed that one plan may still name them
    write(src, "people/agreed.md", person_page(
        "陈同意", "consent: {by: 本人, date: 2026-10-01, withdrawn: 2026-11-20, mention_ok: [plans/plan-01.md]}"))
    write(src, "plans/plan-01.md", "---\ntitle: 工作计划\n---\n\n感谢陈同意的帮助。\n")
    error = build(make_project(root, src), root / "site")
    return root / "site", error


def test_notice_build_succeeds(notice_build):
    site, error = notice_build
    assert error is None, error
    found = files_mentioning(site, {"钱善善"})  # the control: the same search finds a published person
    assert "screen/index.html" in found and any(f.startswith("pagefind/fragment/") for f in found)


@pytest.mark.parametrize("name", sorted(NOTICE_CASES))
def test_notice_cases_leave_no_trace_in_site(notice_build, name):
    site, _ = notice_build
    assert absent(site, name, NOTICE_CASES[name][0]) == []


def test_mention_ok_page_is_published_but_not_the_profile(notice_build):
    site, _ = notice_build
    found = files_mentioning(site, name_forms("陈同意"))
    assert "plans/plan-01/index.html" in found
    assert files_mentioning(site, {"people/agreed"}) == []
    assert not any(f.startswith(("screen/", "people/")) for f in found)


@pytest.fixture(scope="module")
def error_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("consent-errors")
    src = root / "site_src"
    mentioning_site(src)
    write_cases(src, ERROR_CASES)
    error = build(make_project(root, src), root / "site")
    return root / "site", error


def test_error_build_fails(error_build):
    site, error = error_build
    assert error is not None
    assert files_mentioning(site, {"钱善善"})  # it did write the rest


@pytest.mark.parametrize("name", sorted(ERROR_CASES) + ["余思远", "余建国"])
def test_error_cases_leave_no_trace_even_in_the_failed_output(error_build, name):
    site, _ = error_build
    rel = ERROR_CASES.get(name, ("people/withdrawn.md" if name == "余思远" else "people/friend.md", ""))[0]
    assert absent(site, name, rel) == []


def test_a_name_in_a_plan_title_tags_or_heading_leaves_no_trace(tmp_path):
    """The plans index, the home page and the screen list a plan from what plans.collect
    gathered: people.review must have refused the page before that."""
    src = make_source(tmp_path, ["withdrawn"])
    write(src, "plans/plan-02.md", "---\ntitle: 表彰余思远\ntags: [余思远]\n---\n\n## 一、余思远的事迹\n")
    assert build(make_project(tmp_path, src), tmp_path / "site") is not None
    assert absent(tmp_path / "site", "余思远", "people/withdrawn.md") == []


def test_pages_naming_a_withheld_person_are_not_built(error_build):
    site, _ = error_build
    assert not (site / "news" / "index.html").exists()
    assert not (site / "plans" / "plan-01" / "index.html").exists()
    assert not (site / "albums" / "autumn" / "index.html").exists()


# ---------------------------------------------------------------- 7. site.prev and rollback

def bulletin(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "-f", str(project / "mkdocs.yml"), *args],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)})


def test_rollback_refuses_a_withdrawn_person_and_the_next_build_purges_site_prev(tmp_path):
    src = make_source(tmp_path)
    profile(src, "yu", name="于秀兰")
    project = make_project(tmp_path, src).parent
    site, prev = tmp_path / "site", tmp_path / "site.prev"
    assert bulletin(project, "build").returncode == 0
    (src / "news.md").write_text("---\ntitle: 新闻\n---\n\n新内容。\n", encoding="utf-8")
    assert bulletin(project, "build").returncode == 0
    assert files_mentioning(prev, name_forms("于秀兰"))  # site.prev shows her, as does site/

    # She withdraws; before anyone builds, a rollback must not put site.prev back.
    profile(src, "yu", name="于秀兰", consent="{by: 本人, date: 2026-10-20, withdrawn: 2026-11-20}")
    live = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    refused = bulletin(project, "rollback")
    assert refused.returncode == 1
    assert "PUB009" in refused.stderr and "于秀兰（已撤回同意，见 site_src/people/yu.md）" in refused.stderr
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == live and prev.is_dir()

    # The build that takes her off the site does not keep the old site (with her) as site.prev;
    # written at the top level, the withdrawal is a notice, so even --strict publishes it.
    profile(src, "yu", name="于秀兰", extra="withdrawn: 2026-11-20")
    built = bulletin(project, "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert "已删除上一版本" in built.stderr and "people/yu/" in built.stderr
    assert not prev.exists()
    assert files_mentioning(site, name_forms("于秀兰") | {"people/yu/"}) == []
    again = bulletin(project, "rollback")
    assert again.returncode == 1 and "PUB006" in again.stderr
