"""Fixture data for the lobby screen tests: a small site with every slide kind.

The screen reads the site model (bulletin.model.Site). Plans and notices go through the real
content loader; people and albums are built here as the models' objects (`person`, `album`,
`photo`), each image a published derivative at a given path, with JPEGs made in code under
site/media/. `site_model()` puts them together.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image, ImageDraw

from bulletin import content, model, plans, screen
from bulletin.albums import Album, Photo
from bulletin.dates import day_text
from bulletin.media.model import Derivatives, Rendition
from bulletin.notices import Notice, read_page
from bulletin.people import Consent, Person, normalise_category
from bulletin.variants import Variant

SITE_URL = "https://bulletin.example.org/"
LONG_TITLE = ("关于深入开展新时代文明实践活动、全面提升社区居民文明素养和城市治理水平、"
              "持续推进垃圾分类与环境整治、加强未成年人思想道德建设以及志愿服务常态化工作的实施方案") * 3
LONG_TITLE = LONG_TITLE[:200]
TODAY = dt.date(2026, 11, 29)


def jpeg(path: Path, size: tuple[int, int], colour: tuple[int, int, int], label: str = "") -> Path:
    """A real JPEG with a few shapes, so that decoding and layout are exercised."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([w // 8, h // 8, w // 2, h // 2], fill=(255 - colour[0], 200, 80))
    draw.ellipse([w // 2, h // 3, w - w // 8, h - h // 8], fill=(30, 60, 200))
    if label:
        draw.text((10, 10), label, fill=(255, 255, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return path


def plan_text(title: str, community: str, date: str, headings: list[str]) -> str:
    body = "".join(f"## {h}\n\n正文内容。\n\n### （一）小节\n\n内容。\n\n" for h in headings)
    return f"---\ntitle: {title}\ncommunity: {community}\ndate: {date}\n---\n\n{body}"


NOTICES = """---
title: 通知公告
---

- 2026-11-25 至 2026-12-31：12月1日上午9点，社区文化广场开展垃圾分类宣传活动，欢迎居民参加。
- 社区图书室开放时间调整为每天 8:30—20:00，[详情](https://bulletin.example.org/library/)。
- 至 2026-11-01：这条通知已经过期，不应出现在大屏上。
"""


def make_sources(root: Path, extra_plans: dict[str, str] | None = None) -> Path:
    """site_src/ with three plans (one with a 200-character title) and notices.md."""
    src = root / "site_src"
    pages = {
        "plans/plan-01.md": plan_text("幸福社区2026年精神文明建设工作计划", "幸福社区居委会", "2026-03-01",
                                      ["一、指导思想", "二、工作目标", "三、主要措施", "四、工作要求"]),
        "plans/plan-02.md": plan_text(LONG_TITLE, "幸福街道办事处精神文明建设领导小组办公室", "2026-05-06",
                                      [f"{n}、" + "持续深化文明实践志愿服务工作" * 3 for n in "一二三四五六七八九十"]),
        "plans/plan-03.md": plan_text("老旧小区环境整治工作计划", "和平社区", "2025年9月1日", ["一、总体要求", "二、工作安排"]),
        "notices.md": NOTICES,
    }
    pages.update(extra_plans or {})
    for rel, text in pages.items():
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


# The site model's objects -------------------------------------------------------------------

def derivative(url: str, width: int = 1600, height: int = 1200) -> Derivatives:
    """A photo the pipeline made: one JPEG rendition, published at `url` (site-relative)."""
    return Derivatives(url, width, height, (Rendition(url, width, height, "jpeg", 1000, Path("/nonexistent")),), "",
                       "#808080")


def source(rel: str, body: str = "", kind: str = "") -> content.Source:
    """A page of site_src/ as the content index holds it."""
    return content.Source(rel, f"site_src/{rel}", kind or rel.split("/")[0].rstrip("s"), {}, {}, body, 1, body)


def plan(slug: str, title: str, body: str = "", **fields) -> plans.Plan:
    """A work plan; `fields` are Plan's (community, date, date_text, script, variant_of …)."""
    return plans.Plan(slug, source(f"plans/{slug}.md", body, "plan"), title, **fields)


def person(name: str, category: str, honored: str, slug: str = "", community: str = "", summary: str = "",
           portrait: str | None = None, until: dt.date | None = None, script: str | None = None) -> Person:
    """A published profile (its consent given); `portrait` is where its screen-size photo is published."""
    slug = slug or f"{honored}-{name}"
    return Person(slug, source(f"people/{slug}.md", kind="person"), name, normalise_category(category), honored, summary,
                  Consent("本人", dt.date(2026, 1, 1), portrait is not None), community=community,
                  until=until, photo=derivative(portrait, 600, 800) if portrait else None, script=script)


def photo(album_slug: str, name: str, caption: str = "", src: str | None = None) -> Photo:
    """A photo of an album; `src` is where its derivative is published (None: not built)."""
    return Photo(name, f"albums/{album_slug}/{name}", f"site_src/albums/{album_slug}/{name}", caption, None,
                 derivative(src) if src else None)


def album(slug: str, title: str, date: dt.date | None = None, location: str = "", summary: str = "",
          photos: list[Photo] | None = None, cover: str | None = None) -> Album:
    return Album(slug, f"albums/{slug}/index.md", f"site_src/albums/{slug}/index.md", title, date,
                 day_text(date) if date else "", location, summary, [], "", photos or [], cover)


def site_model(plans=(), albums=(), people=(), notices=(), prefer: str = "zh-HK") -> model.Site:
    """The site model the screen reads; `notices` are the notices page's (Notice or text)."""
    notices = tuple(n if isinstance(n, Notice) else Notice(n) for n in notices)
    page = model.NoticesPage("通知公告", notices) if notices else None
    return model.Site(plans=plans, albums=albums, people=people, notices_page=page, prefer=prefer)


def people() -> list[Person]:
    return [person(**fields) for fields in PEOPLE]


PEOPLE = [
    {"slug": "2026-10-li", "name": "李建国", "category": "见义勇为", "honored": "2026-10", "community": "和平社区",
     "summary": "寒冬跳入河中救起落水儿童。", "portrait": "media/people/2026-10-li.screen.jpg"},
    {"slug": "2026-11-wang", "name": "王秀英", "category": "助人为乐", "honored": "2026-11", "community": "幸福社区",
     "summary": "十年如一日照顾社区孤寡老人，" * 12, "portrait": "media/people/2026-11-wang.screen.jpg"},
    {"slug": "2026-09-zhao", "name": "赵敏", "category": "孝老爱亲", "honored": "2026-09", "community": "",
     "summary": "悉心照料瘫痪在床的婆婆二十年。", "portrait": None},
    {"slug": "2026-11-sun", "name": "孙志强", "category": "敬业奉献", "honored": "2026-11", "community": "和平社区",
     "summary": "坚守社区卫生服务站二十年，每天第一个到岗。", "portrait": "media/people/2026-11-sun.screen.jpg"},
    {"slug": "2026-11-ouyang", "name": "欧阳明远", "category": "诚实守信", "honored": "2026-11", "community": "幸福社区",
     "summary": "拾到装有三万元现金的背包，在寒风中等候失主两个小时，原物归还后婉拒酬谢。", "portrait": None},
    {"slug": "2025-01-old", "name": "钱过期", "category": "诚实守信", "honored": "2025-01",
     "summary": "展示期已过。", "until": dt.date(2026, 1, 31)},
]


def albums() -> list[Album]:
    return [
        album("spring", "学雷锋志愿服务活动", dt.date(2026, 3, 5), "社区文化广场",
              photos=[photo("spring", "IMG_0001.jpg", "志愿者为老人义务理发", "media/albums/spring/IMG_0001.screen.jpg"),
                      photo("spring", "IMG_0002.jpg", "", "media/albums/spring/IMG_0002.screen.jpg")]),
        album("summer", "“我们的节日·端午”邻里包粽子", dt.date(2026, 6, 19), "幸福社区党群服务中心",
              "三十多户居民一起包粽子，把粽子送到独居老人家中。", cover="IMG_0203.jpg",
              photos=[photo("summer", f"IMG_020{i}.jpg", "", f"media/albums/summer/IMG_020{i}.screen.jpg")
                      for i in range(1, 7)]),
        album("autumn", "重阳节敬老活动", dt.date(2026, 10, 29),
              photos=[photo("autumn", "IMG_0100.jpg", "为社区老人送上重阳糕" * 10, "media/albums/autumn/IMG_0100.screen.jpg")]),
    ]


# The photos of an album with six, of every shape, for its mosaic.
SUMMER_SIZES = [(1600, 1200), (1200, 1600), (1600, 900), (1200, 1200), (900, 1600), (1600, 1067)]


def make_media(site: Path) -> None:
    jpeg(site / "media/people/2026-10-li.screen.jpg", (600, 800), (120, 80, 60))
    jpeg(site / "media/people/2026-11-wang.screen.jpg", (600, 800), (90, 110, 70))
    jpeg(site / "media/people/2026-11-sun.screen.jpg", (600, 800), (70, 90, 130))
    jpeg(site / "media/albums/spring/IMG_0001.screen.jpg", (1600, 1200), (200, 60, 60))
    jpeg(site / "media/albums/spring/IMG_0002.screen.jpg", (900, 1600), (60, 160, 60))
    jpeg(site / "media/albums/autumn/IMG_0100.screen.jpg", (1600, 900), (60, 60, 200))
    for i, size in enumerate(SUMMER_SIZES, 1):
        jpeg(site / f"media/albums/summer/IMG_020{i}.screen.jpg", size, (40 * i, 200 - 25 * i, 90), f"{i}")


def build(root: Path, config: dict | None = None, extra_plans: dict[str, str] | None = None,
          notices_text: str | None = None, variants=((Variant("zh-Hans"), None),)) -> tuple[Path, list[dict], dict]:
    """Write site_src/, media and site/screen/ under `root`; returns (site, slides, versions)."""
    src = make_sources(root, extra_plans)
    if notices_text is not None:
        (src / "notices.md").write_text(notices_text, encoding="utf-8")
    index = content.load(src)
    assert index.report.errors == [], index.report.render()
    site = root / "site"
    make_media(site)
    conf = screen.settings(config or {}, site_url=SITE_URL, site_name="幸福街道文明宣传栏")
    model_site = site_model(plans.collect(index), albums(), people(), read_page(index).notices)
    slide_list = screen.slides(model_site, conf, today=TODAY)
    versions = screen.write(site, slide_list, conf, variants, index.report)
    return site, slide_list, versions


# Every visible element of the stage: inside the window, text at least 3.5% of the stage
# height, no text cut off without an ellipsis, and no line of slide text under the QR code
# (lines, not element boxes: a plan's headings flow around the code's corner).
CHECK_LAYOUT = """() => {
  const W = innerWidth, H = innerHeight, stage = document.getElementById('stage');
  const unit = parseFloat(stage.style.getPropertyValue('--u'));
  const minimum = unit * 3.5;
  const qr = document.querySelector('.qr').getBoundingClientRect();
  const bad = [];
  // What the user sees of an element: its box cut by every ancestor inside the stage that clips
  // overflow (an ellipsis, a clamped text); the stage itself does not count, it is the screen.
  const visibleBox = (el) => {
    const b = el.getBoundingClientRect();
    let [left, top, right, bottom] = [b.left, b.top, b.right, b.bottom];
    for (let a = el.parentElement; a && a !== stage; a = a.parentElement) {
      if (getComputedStyle(a).overflow === 'visible') continue;
      const c = a.getBoundingClientRect();
      left = Math.max(left, c.left); top = Math.max(top, c.top);
      right = Math.min(right, c.right); bottom = Math.min(bottom, c.bottom);
    }
    return right - left >= 1 && bottom - top >= 1 ? {left, top, right, bottom} : null;
  };
  const name = (el) => el.tagName.toLowerCase() + '.' + el.className + '[' + (el.getAttribute('data-field') || '') + ']';
  for (const el of stage.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (el.closest('.slide') && !el.closest('.slide.active')) continue;
    if (el.closest('.is-night') && !el.closest('.night')) continue;
    const r = visibleBox(el);
    if (!r) continue;
    if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5)
      bad.push(['outside the window', name(el), [r.left, r.top, r.right, r.bottom]]);
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!text) continue;
    const size = parseFloat(cs.fontSize);
    if (size < minimum - 0.01) bad.push(['text smaller than 3.5% of the height', name(el), size, minimum]);
    if (cs.display !== 'inline') {
      const slack = Math.max(1, size * 0.25);
      const clipped = el.scrollHeight > el.clientHeight + slack || el.scrollWidth > el.clientWidth + slack;
      const graceful = el.classList.contains('clamped') || cs.textOverflow === 'ellipsis';
      if (clipped && !graceful) bad.push(['text cut off', name(el), el.scrollHeight, el.clientHeight]);
    }
    if (!el.closest('.slide')) continue;
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const line of range.getClientRects())
        if (!(line.right <= qr.left + 0.5 || line.left >= qr.right - 0.5 || line.bottom <= qr.top + 0.5 || line.top >= qr.bottom - 0.5))
          bad.push(['text under the QR code', name(el), node.textContent.slice(0, 20)]);
    }
  }
  return bad;
}"""
