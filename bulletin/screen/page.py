"""The screen page: slide data inlined as JSON into one HTML file, and its publication.

`render()` builds the page of one variant; `write()` publishes site/<prefix>/screen/ with
the service worker, `version.json` (polled by the page) and `bundle.json` (every file of
the build, fetched in full before a screen switches to it).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..digests import file_sha256
from ..report import Report
from ..script import Converter
from ..script.markers import mark
from ..theme_dir import THEME_DIR as PLUGIN_THEME
from ..variants.model import Variant
from .kinds import HUMAN_KEYS, MOSAIC_SIZE, ROLL_SIZE, page_url, playlist, qr_svg
from .options import Settings, parse_hours, settings

THEME_DIR = PLUGIN_THEME / "screen"
# Without variants given: the Simplified page at the root, every text as written.
DEFAULT_VARIANT = Variant("zh-Hans")

LABELS = {
    "person": "好人榜", "photo": "活动相册", "plan": "工作计划", "notice": "通知公告",
    "honor_roll": "月度好人榜", "album": "活动相册",
    "qr": "扫码看详情", "qr_more": "扫码看全文", "paused": "已暂停", "standby": "欢迎关注精神文明建设",
    "weekdays": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "date": "{y}年{m}月{d}日 {w}",
}


def _converted(data: dict, converter: Converter) -> dict:
    """A copy of the page data with every human-readable string in the target script.

    Each string is plain text (the template escapes it) and goes through the converter's
    text API as it is, marked with the script it was written in (its slide's `script`, or
    per field its `scripts`), so text already in the target script is left alone.
    """

    def collect(container: Any, key: Any, script: str | None = None) -> None:
        value = container[key]
        if isinstance(value, str) and value:
            container[key] = converter.text(mark(value, script))
        elif isinstance(value, list):
            for i in range(len(value)):
                collect(value, i, script)

    data = json.loads(json.dumps(data))
    for slide in data["slides"]:
        # An honor roll's members each carry their own script, like a person's card.
        for item in [slide, *slide.get("members", [])]:
            for key in HUMAN_KEYS:
                if key in item:
                    collect(item, key, item.get("scripts", {}).get(key, item.get("script")))
    for key in data["labels"]:
        collect(data["labels"], key)
    collect(data["site"], "name")
    return data


def _json_for_script(data: Any) -> str:
    """JSON safe inside <script>: ASCII only (so no later HTML pass can alter it), no '<'."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _assets(theme_dir: Path) -> dict[str, str]:
    return {name: (theme_dir / name).read_text(encoding="utf-8")
            for name in ("screen.html.j2", "screen.css", "screen.js", "sw.js")}


def page_data(slide_list: list[dict], conf: Settings, variant: Variant, version: str) -> dict:
    """What the page's script reads from its inline JSON."""
    exported = []
    for slide in slide_list:
        slide = {k: v for k, v in slide.items() if k not in ("source",)}
        slide["link"] = page_url(slide["url"], conf, variant.folder)
        slide["qr"] = qr_svg(slide["link"], conf.qr_cache)
        exported.append(slide)
    home = page_url("", conf, variant.folder)
    return {
        "version": version, "lang": variant.lang, "base": "../" * (variant.depth + 1),
        "settings": {"dwell": conf.dwell, "on_hours": list(parse_hours(conf.on_hours)),
                     "orientation": conf.orientation, "check_interval": conf.check_interval},
        "labels": dict(LABELS), "site": {"name": conf.site_name, "link": home, "qr": qr_svg(home, conf.qr_cache)},
        "slides": exported, "order": playlist(exported, conf.kinds),
    }


def render(slide_list: list[dict], config: Mapping | Settings | None = None, variant: Variant = DEFAULT_VARIANT,
           converter: Converter | None = None, *, version: str = "dev", theme_dir: Path = THEME_DIR) -> str:
    """The screen page for one variant: HTML with its CSS, script and slide data inlined.

    Conversion to the variant's script happens here, exactly once, through the site's
    `converter` for the variant (None leaves every text as written): the page's own text
    as HTML, and the slide texts each as text, then written as ASCII-escaped JSON, which
    no later HTML pass can change.
    """
    conf = settings(config)
    assets = _assets(theme_dir)
    data = page_data(slide_list, conf, variant, version)
    if converter is not None:
        data = _converted(data, converter)
    for slide in data["slides"]:
        for item in [slide, *slide.get("members", [])]:
            item.pop("script", None)
            item.pop("scripts", None)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    placeholder = "@@SCREEN_DATA_" + hashlib.sha256(version.encode()).hexdigest()[:12] + "@@"
    page = env.from_string(assets["screen.html.j2"]).render(
        lang=variant.lang, site_name=conf.site_name, labels=LABELS,
        css=Markup(assets["screen.css"]), js=Markup(assets["screen.js"]), data=Markup(placeholder),
        version=version, roll_size=ROLL_SIZE, mosaic_size=MOSAIC_SIZE,
    )
    if converter is not None:
        page = converter.html(page)
    return page.replace(placeholder, _json_for_script(data))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def slide_images(slide: Mapping) -> list[str]:
    """Every image a slide shows: its photo, an album's mosaic, an honor roll's portraits."""
    found = [slide.get("image"), *slide.get("images", []), *(m.get("image") for m in slide.get("members", []))]
    return [image for image in found if image]


def _published(image: str, site_dir: Path) -> str | None:
    """`image` with `?v=<content hash>`, or None when the build did not make it."""
    path = site_dir / image.split("?", 1)[0]
    if not path.is_file():
        return None
    return f"{image.split('?', 1)[0]}?v={file_sha256(path)[:10]}"


def _checked(slide: dict, site_dir: Path, report: Report) -> dict | None:
    """The slide with its images versioned; None if it cannot be shown without a missing one.

    A photo slide needs its photo; an album's mosaic leaves a missing photo out (and needs one);
    a member of the honor roll without their portrait gets the card without one (SCREEN003).
    """
    where = site_dir.name
    slide = dict(slide)
    if slide.get("image"):
        image = _published(slide["image"], site_dir)
        if image is None:
            report.add("SCREEN002", slide.get("source") or f"{site_dir.name}/{slide['image']}", image=slide["image"])
            return None
        slide["image"] = image
    if "images" in slide:
        images = []
        for image in slide["images"]:
            published = _published(image, site_dir)
            if published is None:
                report.add("SCREEN003", f"{where}/{image}", image=image)
            else:
                images.append(published)
        if not images:
            return None
        slide["images"] = images
    if "members" in slide:
        members = []
        for member in slide["members"]:
            member = dict(member)
            if member.get("image"):
                published = _published(member["image"], site_dir)
                if published is None:
                    report.add("SCREEN003", f"{where}/{member['image']}", image=member["image"])
                member["image"] = published
            members.append(member)
        slide["members"] = members
    return slide


def write(site_dir: Path, slide_list: list[dict], config: Mapping | Settings | None = None,
          variants: Iterable[tuple[Variant, Converter | None]] = ((DEFAULT_VARIANT, None),),
          report: Report | None = None, *, theme_dir: Path = THEME_DIR) -> dict[str, str]:
    """Publish site/<prefix>/screen/ for each (variants.Variant, its script.Converter);
    returns {the variant's folder ("" or "zh-hk/"): build version}.

    Run after the photos are in `site_dir`: a slide whose image is missing is dropped
    (SCREEN002), since the screen switches to a build only once every file of it is
    fetched. Image URLs get `?v=<content hash>` so an unchanged photo is never fetched twice.
    version.json is written last: a screen never sees a version whose files are not there.
    """
    site_dir = Path(site_dir)
    conf = settings(config)
    report = report if report is not None else Report()
    assets = _assets(theme_dir)
    kept = [slide for slide in (_checked(s, site_dir, report) for s in slide_list) if slide is not None]
    versions = {}
    for variant, converter in variants:
        data = page_data(kept, conf, variant, "")
        seed = json.dumps([data, sorted(assets.items())], ensure_ascii=False, sort_keys=True)
        version = hashlib.sha256(seed.encode()).hexdigest()[:16]
        out = site_dir / variant.folder / "screen"
        page = render(kept, conf, variant, converter, version=version, theme_dir=theme_dir)
        images = sorted({data["base"] + image for s in kept for image in slide_images(s)})
        _write_atomic(out / "index.html", page)
        _write_atomic(out / "sw.js", assets["sw.js"])
        _write_atomic(out / "bundle.json", json.dumps({"version": version, "files": ["./", *images]}, indent=0))
        _write_atomic(out / "version.json", json.dumps({"version": version}))
        versions[variant.folder] = version
    return versions
