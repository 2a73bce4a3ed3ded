"""Bounded, well-behaved input handling through a real build.

A YAML alias bomb, pages over the size limit, two pages with one URL, bidi controls and
file names that are not UTF-8 each get their code, file and line in the build log, no
traceback, and no trace in the built site. The search stage that lines up the scripts
is checked to be linear by counting its steps on inputs of two sizes (no timings).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bulletin import content, search_derive
from test_safety_build import ROOT, bulletin, env, everything, logged, make_project, mkdocs_build, published

BOMB_LEVELS = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))
BOMB_PAGE = "---\ntitle: 炸弹\nsummary: &l0 [哈哈哈哈哈哈哈哈哈哈]\n" + BOMB_LEVELS + "---\n\nbomb-body-marker\n"
BOMB_GLOSSARY = "terms: &l0 [{zh-Hans: 哈, zh-Hant: 哈}]\n" + BOMB_LEVELS


def tree_hash(directory: Path) -> str:
    """helpers_safety.tree_hash for trees whose names need not be UTF-8 (raw bytes hashed)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        digest.update(os.fsencode(path.relative_to(directory)) + b"\0" + oct(path.lstat().st_mode).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- the alias bomb cannot take the machine down -----------------------------------------

LIMITED = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: the bomb needs far more
    from pathlib import Path
    from bulletin import content
    from bulletin.report import Report
    from bulletin.script import load_glossary
    index = content.load(Path(sys.argv[1]))
    report = Report()
    load_glossary(Path(sys.argv[1]) / "glossary.yml", "site_src/glossary.yml", report)
    for code, path, line in index.report.codes() + report.codes():
        print(code, path, line)
    for source in index.sources.values():
        print("accepted", source.rel, len(str(source.meta)))
""")


def test_alias_bomb_is_refused_within_a_memory_limit(tmp_path):
    """Expanded, the bomb is 387 million strings (gigabytes, minutes): under a 1 GB
    address-space limit and a 20 s timeout the load must still finish and refuse it."""
    src = tmp_path / "site_src"
    write(src, "plans/bomb.md", BOMB_PAGE)
    write(src, "people/bomb.md", BOMB_PAGE.replace("title: 炸弹", "name: 王秀英\ncategory: 助人为乐\nhonored: 2026-11"))
    write(src, "glossary.yml", BOMB_GLOSSARY)
    write(src, "plans/fine.md", "---\ntitle: 正常的计划\n---\n\n正文。\n")
    result = subprocess.run([sys.executable, "-c", LIMITED, str(src)], env=env(), capture_output=True,
                            text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "CONTENT011 site_src/plans/bomb.md 4" in lines
    assert "CONTENT011 site_src/people/bomb.md 6" in lines
    assert "CONTENT011 site_src/glossary.yml 2" in lines
    assert [line.rsplit(" ", 1)[0] for line in lines if line.startswith("accepted")] == ["accepted plans/fine.md"]


# --- one build with every refusal --------------------------------------------------------

ERROR_CASES = [
    # (case, code, file, line)
    ("alias bomb in front matter", "CONTENT011", "site_src/plans/bomb.md", 4),
    ("page over 2 MB", "CONTENT012", "site_src/plans/huge.md", None),
    ("front matter over 64 KB", "CONTENT013", "site_src/plans/long-meta.md", 1),
    ("nesting too deep", "CONTENT014", "site_src/plans/deep.md", 3),
    ("x.md beside x/index.md", "CONTENT009", "site_src/plans/twin.md", None),
    ("x/index.md beside x.md", "CONTENT009", "site_src/plans/twin/index.md", None),
    ("alias in the glossary", "CONTENT011", "site_src/glossary.yml", 2),
]


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("bounded"), {})
    src = project / "site_src"
    write(src, "plans/bomb.md", BOMB_PAGE)
    write(src, "plans/huge.md", "---\ntitle: 巨大\n---\n\n" + ("huge-body-marker 一段很长的文字。\n" * 70_000))
    write(src, "plans/long-meta.md", "---\ntitle: 长\nsummary: " + "long-meta-marker" * 5000 + "\n---\n")
    write(src, "plans/deep.md", "---\ntitle: 深\nsummary: " + "[" * 200 + "]" * 200 + "\n---\n\ndeep-body-marker\n")
    write(src, "plans/twin.md", "---\ntitle: 双胞胎甲\n---\n\ntwin-a-marker\n")
    write(src, "plans/twin/index.md", "---\ntitle: 双胞胎乙\n---\n\ntwin-b-marker\n")
    write(src, "glossary.yml", BOMB_GLOSSARY)
    write(src, "plans/fine.md", "---\ntitle: 正常的计划\n---\n\n正常的正文。\n")
    before = tree_hash(src)
    return project, mkdocs_build(project), before


@pytest.mark.parametrize("case,code,path,line", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_refusal_is_reported_with_code_file_and_line(refused, case, code, path, line):
    _, result, _ = refused
    assert logged(result, code, path, line), result.stdout + result.stderr


def test_refusals_fail_the_build_without_traceback_or_trace(refused):
    project, result, before = refused
    log = result.stdout + result.stderr
    assert result.returncode != 0  # errors: not published
    assert "Traceback" not in log and "RecursionError" not in log
    assert "site_src/plans/twin/index.md" in log and "两个都已跳过" in log
    out = project / "out"
    data = everything(out)
    for trace in (b"bomb-body-marker", "哈哈哈".encode(), b"huge-body-marker", b"long-meta-marker",
                  b"deep-body-marker", b"twin-a-marker", b"twin-b-marker"):
        assert trace not in data, trace
    assert not {n for n in published(out) if n.startswith(("plans/bomb", "plans/huge", "plans/twin", "plans/deep"))}
    assert (out / "plans" / "fine" / "index.html").is_file()  # the rest of the site is built
    assert tree_hash(project / "site_src") == before


# --- warnings: the site is published without the bad part ---------------------------------

GBK_NAME = b"\xd5\xd5\xc6\xac"  # 照片 in GBK, as an archive unpacked from Windows leaves it
BIDI_TEXT = "---\ntitle: 付款说明\u202e\n---\n\n请向\u2066居委会\u2069交费\u202e0001\u202c元。\n"
WARNING_CASES = [
    ("GBK photo name in an album", "CONTENT015", "site_src/albums/spring/照片.jpg", None),
    ("GBK page name in plans", "CONTENT015", "site_src/plans/照片.md", None),
    ("bidi in the title", "CONTENT016", "site_src/plans/bidi.md", 2),
    ("bidi in the body", "CONTENT016", "site_src/plans/bidi.md", 5),
]


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("warned"), {})
    src = project / "site_src"
    write(src, "albums/spring/index.md", "---\ntitle: 春季活动\ndate: 2026-03-05\n---\n\n照片。\n")
    try:
        write(src, os.fsdecode(b"albums/spring/" + GBK_NAME + b".jpg"), b"\xff\xd8gbk-photo-marker")
        write(src, os.fsdecode(b"plans/" + GBK_NAME + b".md"), "---\ntitle: 乱码\n---\n\ngbk-page-marker\n")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system takes UTF-8 names only")
    write(src, "plans/bidi.md", BIDI_TEXT)
    before = tree_hash(src)
    return project, bulletin(project, "build"), before


@pytest.mark.parametrize("case,code,path,line", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_warning_is_reported_with_code_file_and_line(warned, case, code, path, line):
    _, result, _ = warned
    assert logged(result, code, path, line), result.stdout + result.stderr


def test_warnings_publish_the_rest_without_the_bad_part(warned):
    project, result, before = warned
    log = result.stdout + result.stderr
    assert result.returncode == 0, log  # warnings only: published
    assert "Traceback" not in log and "UnicodeEncodeError" not in log
    site = project / "site"
    data = everything(site)
    assert b"gbk-photo-marker" not in data and b"gbk-page-marker" not in data
    assert not [n for n in published(site) if not n.isascii()]
    text = data.decode("utf-8", "replace")
    assert "居委会交费0001元" in text and "付款说明" in text
    for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert char not in text, f"U+{ord(char):04X}"
    assert tree_hash(project / "site_src") == before  # the editor's files are not "fixed" on disk
    assert (project / "site_src" / "plans" / "bidi.md").read_text(encoding="utf-8") == BIDI_TEXT


def test_strict_makes_the_warnings_fatal(warned):
    project, _, _ = warned
    result = bulletin(project, "check", "--strict")
    assert result.returncode != 0
    assert "CONTENT015" in result.stdout + result.stderr and "Traceback" not in result.stderr


# --- the search stage is linear ------------------------------------------------------------

class Counted(str):
    """A str that counts how often it is indexed or sliced: the work `line_up` does."""

    steps = 0

    def __getitem__(self, key):
        Counted.steps += 1
        return str.__getitem__(self, key)


def steps_to_line_up(size: int) -> int:
    unit = "社區精神文明建設工作計劃志願服務環境衛生"
    guess = unit * (size // len(unit))
    target = guess.replace("社區", "社區大家庭").replace("環境", "环境")  # other lengths, same lengths
    Counted.steps = 0
    derived = search_derive.line_up(Counted(guess), Counted(target))
    assert len(derived) == len(guess)
    assert derived.count("环境") == guess.count("環境")  # same-length stretches take the page's form
    return Counted.steps


def test_lining_up_two_scripts_is_linear():
    small, large = steps_to_line_up(20_000), steps_to_line_up(80_000)
    assert large < 4.5 * small  # four times the text, four times the steps (not sixteen)


def test_parallel_finds_each_anchor_at_its_word():
    base = "\u200b".join(["一、总体要求", "正文", "二、工作目标", "正文", "一、总体要求"])
    derived = base.replace("总体", "總體").replace("工作目标", "工作目標")
    text = search_derive._Text(base, derived, "", "")
    assert text.parallel("一、总体要求", 4) == "一、總體要求"
    assert text.parallel("二、工作目标", 2) == "二、工作目標"
    assert text.parallel("不存在", 1) is None
    assert text.parallel("一、总体要求", 99) == "一、總體要求"  # past the end: found from the start
