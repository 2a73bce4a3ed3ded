"""Make every poster in every script, reuse the unchanged ones, and put them in the site.

A poster's cache key is the hash of what it prints: the converted HTML (which names the
photo files, themselves named by the content hash of their originals), the type sizes
tried and the engine's version — not the print date, so a poster whose content has not
changed is not made again and keeps the date it was made on.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import media, privacy
from ..media import pool
from ..report import Report
from . import engine
from .messages import MESSAGES  # noqa: F401 - registers the codes
from .model import Poster, print_jobs
from ..screen.kinds import date_text
from .render import DATE_TOKEN, FONTS, Options, plain_text, render

POSTER_VERSION = 1  # bump when the templates' output changes in a way their text does not show
TIMEOUT = 180.0  # seconds for one poster (a long plan is laid out up to three times)
FOLDER = "posters"


@dataclass
class Made:
    """What `build` did. files: site-relative path → the published PDF; made/reused: how
    many were laid out now or copied from the cache; seconds: each poster's layout time."""

    files: dict[str, Path] = field(default_factory=dict)
    made: int = 0
    reused: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return f"海报：{len(self.files)} 份（新做 {self.made}，沿用 {self.reused}），在 {FOLDER}/ 下"


def missing_fonts(codes: Iterable[str]) -> list[str]:
    """Font families the posters of these scripts need and fontconfig does not know."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []  # no fontconfig tools to ask: WeasyPrint will say what it finds
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    wanted = dict.fromkeys(f for code in codes for f in FONTS[code])
    return [f for f in wanted if f not in families]


def output_path(name: str, prefix: str) -> str:
    """Site-relative path of a poster: posters/plans/plan-01.pdf, posters/zh-hk/plans/plan-01.pdf."""
    return "/".join(p for p in (FOLDER, prefix.strip("/"), name) if p)


def build(site_dir: Path, posters: list[Poster], variants: list[tuple], options: Options, cache_dir: Path,
          report: Report, *, workers: int | None = None) -> Made:
    """Make the posters into site_dir/posters/ for each (variants.Variant, script.Converter).

    cache_dir: the plugin's cache (.cache); print renditions go to its media/, PDFs to
    posters/. Problems go to `report`: a poster that fails is left out and the site is
    still published.
    """
    made = Made()
    missing = missing_fonts(v.code for v, _ in variants)
    if missing:
        report.add("POSTER001", "mkdocs.yml", None, family=missing[0])
        return made
    if not options.site_url:
        report.add("POSTER002", "mkdocs.yml", None)
    jobs = print_jobs(posters)
    built = media.build(jobs.values(), Path(cache_dir) / "media", report, progress=None) if jobs else None
    prints = {display: built.results[job] for display, job in jobs.items() if built and job in built.results}
    store = Path(cache_dir) / FOLDER
    today = date_text(options.printed)
    version = engine.engine_version()
    tasks, targets = [], []
    for poster in posters:
        for variant, converter in variants:
            rendered = render(poster, variant, converter, options, prints)
            rel = output_path(rendered.name, variant.prefix)
            found = next(iter(privacy.numbers_in(plain_text(rendered.htmls[0]))), None)
            if found is not None:
                what = "身份证号" if found.code == "PRIV001" else "手机号"
                report.add("POSTER004", poster.source, None, name=rel, what=what, masked=found.masked)
                continue
            key = hashlib.sha256("\0".join([f"v{POSTER_VERSION}", version, *rendered.htmls]).encode()).hexdigest()
            cached = store / key[:2] / f"{key}.pdf"
            targets.append((rel, cached, poster))
            if not cached.is_file():
                tasks.append({"htmls": [h.replace(DATE_TOKEN, today) for h in rendered.htmls], "out": str(cached),
                              "roots": [str(Path(cache_dir).resolve())], "name": rel})
    done: dict[str, dict] = {}
    if tasks:
        count = min(workers or pool.default_workers(), len(tasks))
        for task, result in pool.run(tasks, engine.make_pdf, count, TIMEOUT, media.DEFAULT_MEMORY):
            done[task["out"]] = result
    site_dir = Path(site_dir)
    for rel, cached, poster in targets:
        result = done.get(str(cached))
        if result is not None and result.get("status") != "ok":
            detail = result.get("fields", {}).get("detail") or MESSAGE_DETAIL.get(result.get("code"), "排版出错")
            report.add("POSTER003", poster.source, None, name=rel, detail=detail)
            continue
        if not cached.is_file():
            continue
        if result is not None:
            made.made += 1
            made.seconds[rel] = result.get("seconds", 0.0)
            made.pages[rel] = result.get("pages", 0)
        else:
            made.reused += 1
        out = site_dir / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, out)
        made.files[rel] = out
    return made


MESSAGE_DETAIL = {"MEDIA006": f"超过 {TIMEOUT:g} 秒仍未排完", "MEDIA007": "排版进程异常退出",
                  "MEDIA008": "内存不够"}

