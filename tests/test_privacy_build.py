"""Pasted personal numbers through a real `bulletin build`: reported with file and line, never published.

One build of the safety fixture site with two plans, each holding a number as editors
paste it: a mobile with no-break spaces (Word, WeChat) and an ID number in groups of
digits. Both used to be published.
"""

from __future__ import annotations

import pytest

from test_safety_build import bulletin, everything, logged, make_project

PLANS = {
    # file: (text, code, line, the number as written, the digits)
    "plans/volunteers.md": ("---\ntitle: 志愿者招募计划\ndate: 2026-03-05\n---\n\n为做好社区服务，制定本计划。\n\n"
                            "报名请联系王阿姨：138\u00a00013\u00a08000。\n",
                            "PRIV003", 8, "138\u00a00013\u00a08000", "13800138000"),
    "plans/subsidy.md": ("---\ntitle: 高龄津贴发放计划\ndate: 2026-03-05\n---\n\n"
                         "本月发放名单如下。\n\n| 姓名 | 身份证号 |\n|---|---|\n| 李大爷 | 110101 1990 0307 1233 |\n",
                         "PRIV001", 10, "110101 1990 0307 1233", "110101199003071233"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("pasted-numbers"), {})
    for rel, (text, *_) in PLANS.items():
        path = project / "site_src" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project, bulletin(project, "build")


@pytest.mark.parametrize("rel", PLANS, ids=list(PLANS))
def test_pasted_number_fails_the_build_naming_file_and_line(built, rel):
    _, result = built
    _, code, line, written, digits = PLANS[rel]
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert logged(result, code, f"site_src/{rel}", line), log
    assert written not in log and digits not in log  # the log masks it


def test_nothing_is_published(built):
    project, _ = built
    assert not (project / "site").exists()
    leftovers = [p for p in project.iterdir() if p.name.startswith(("site.tmp-", "site.old-"))]
    data = b"".join(everything(p) for p in leftovers)
    for _, _, _, written, digits in PLANS.values():
        assert written.encode() not in data and digits.encode() not in data
