"""Shared by the honor-roll tests: fixture sites, a real MkDocs build, and a search of site/."""

from __future__ import annotations

import gzip
import html
import re
import shutil
import urllib.parse
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "people"
CASES = FIXTURES / "cases"
GOOD = FIXTURES / "good"

HOME = """---
title: 首页
template: home.html
---

# 测试站点
"""


def make_source(root: Path, cases: list[str] = (), *, good: bool = True) -> Path:
    """A site_src/ under `root` with the good fixture profile and the named problem cases."""
    src = root / "site_src"
    (src / "people").mkdir(parents=True, exist_ok=True)
    (src / "index.md").write_text(HOME, encoding="utf-8")
    if good:
        for path in GOOD.iterdir():
            shutil.copy(path, src / "people" / path.name)
    for case in cases:
        shutil.copy(CASES / f"{case}.md", src / "people" / f"{case}.md")
    return src


def make_project(root: Path, src: Path) -> Path:
    """An mkdocs.yml for `src`: the repository's own configuration, pointed at the fixture."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(src)
    config["site_dir"] = str(root / "site")
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    config["nav"] = [{"首页": "index.md"}, {"好人榜": "people/index.md"}]
    config.pop("not_in_nav", None)
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(config_file: Path, site_dir: Path) -> Exception | None:
    """Run a real MkDocs build; returns the build's exception (errors fail it) or None.

    A failed build has still written its pages to `site_dir`: that scratch output is what
    an atomic publish would have moved into place, so it must not hold withheld people either.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        mkdocs_build(load_config(config_file=str(config_file), site_dir=str(site_dir)))
    except (Abort, MkDocsException) as exc:
        return exc
    return None


def name_forms(name: str) -> set[str]:
    """A name as it could appear in any variant: as written, OpenCC's Traditional, and with
    the surname kept (what name protection produces)."""
    import opencc

    forms = {name}
    for config in ("s2t.json", "s2hk.json", "s2tw.json"):
        converted = opencc.OpenCC(config).convert(name)
        forms.add(converted)
        forms.add(name[0] + converted[1:])
    return forms


def site_text(path: Path) -> str:
    """A file's text with every way a name can be encoded undone: gzip, JSON \\u escapes
    (the search index is pure ASCII), HTML character references and %-encoding."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz, and every Pagefind index file
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="ignore")
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    return "\n".join((text, html.unescape(unescaped), urllib.parse.unquote(text)))


def files_mentioning(site_dir: Path, needles: set[str]) -> list[str]:
    """Every file in site/ whose name or (decompressed) content contains one of `needles`."""
    found = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if any(n in rel for n in needles):
            found.append(rel)
            continue
        if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".gif", ".woff", ".woff2", ".ico"):
            continue
        text = site_text(path)
        if any(n in text for n in needles):
            found.append(rel)
    return found
