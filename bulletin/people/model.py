"""The honor roll's data: categories, the consent record, a person, the problems.

Plain dataclasses the templates, the screen and the script conversion read; no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..content import Source
from ..dates import DATE_EXAMPLE, parse_month
from ..dates import month_text as month_label
from ..report import Message, Severity, register

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

SUMMARY_MAX = 60
CONSENT_EXAMPLE = "consent: {{by: 本人, date: 2026-10-20, show_portrait: true}}"  # str.format template

MESSAGES: dict[str, Message] = {
    "PERSON001": Message(E, "类别「{value}」不是五类之一（助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲）。"
                            "{hint}本页未发布。"),
    "PERSON002": Message(E, "上榜年月「{value}」看不懂。请写成「年-月」，例如 honored: 2026-11。本页未发布。"),
    "PERSON003": Message(E, "一句话事迹（summary）有 {length} 个字，超过 {limit} 字的上限。"
                            "请精简到 {limit} 字以内，详细经过写在正文里。本页未发布。"),
    "PERSON004": Message(W, "没有本人同意发布的记录（consent），本页不发布。"
                            "取得本人同意后请补上，例如：" + CONSENT_EXAMPLE),
    "PERSON005": Message(W, "同意记录（consent）缺少「{key}」（{label}），视为没有同意记录，本页不发布。"
                            "请补全，例如：" + CONSENT_EXAMPLE),
    "PERSON006": Message(N, "「{name}」已{when}撤回同意：本页不再发布，也已从好人榜、分类页、首页、搜索和大屏中移除。"
                            "请删除此文件和照片，并修改其他页面中仍提到此人的文字（运行 bulletin check 可列出）。"),
    "PERSON007": Message(W, "「{name}」是未成年人（minor: true），须有监护人同意：请在 consent 中写明 "
                            "guardian: 监护人姓名。补上之前本页不发布。"),
    "PERSON008": Message(N, "展示截止日期（until）{until} 已过，本页不再发布。"
                            "如需继续展示，请在本人再次同意后修改 until。"),
    "PERSON009": Message(E, "找不到照片「{portrait}」（应放在本文件旁边：{expected}）。"
                            "请放入照片，或删除 portrait 这一行（将显示占位头像）。本页未发布。"),
    "PERSON010": Message(W, "照片焦点（focus）应为两个 0 到 1 之间的数 [横向, 纵向]，例如 focus: [0.5, 0.3]；"
                            "实际写的是「{value}」。已按居中裁剪。"),
    "PERSON011": Message(W, "照片「{portrait}」未发布：同意记录中没有写 show_portrait: true，先显示占位头像。"
                            "本人同意展示照片后请补上；不同意请写 show_portrait: false。"),
    "PERSON013": Message(E, "文件名「{slug}」与类别页「{category}」的网址 people/{slug}/ 相同。请给本文件换个名字。"),
    "PERSON014": Message(E, "这里提到了「{name}」，此人{reason}，好人榜不发布其页面，所以本页也未发布"
                            "（以免姓名出现在搜索和大屏上）。请删除或改写这处文字（例如改为“一位居民”）；"
                            "如本人同意在这里被提到，请在 {profile} 的 consent 中写上 mention_ok: [{rel}]。"),
    "PERSON015": Message(E, "同意记录（consent）中不认识的项「{key}」。{hint}同意记录不清楚就不能发布，本页未发布。"
                            "可用的项：" + "、".join(("by", "date", "show_portrait", "guardian", "withdrawn", "mention_ok"))
                            + "。"),
    "PERSON016": Message(E, f"{{label}}（{{key}}）「{{value}}」看不懂。请写成 {DATE_EXAMPLE}。本页未发布。"),
    "PERSON017": Message(W, "同意记录中的 show_portrait 应为 true 或 false，实际写的是「{value}」，按不展示照片处理。"),
    "PERSON018": Message(N, "「{name}」的元数据中有表示撤回同意的项「{key}」：按撤回同意处理，本页不发布，"
                            "也不会出现在好人榜、分类页、首页、搜索和大屏中。撤回的标准写法是在 consent 里写 "
                            "withdrawn: 撤回日期。确已撤回的，请删除此文件和照片，并改写其他页面中提到此人的文字；"
                            "并没有撤回的，请删除这一行。"),
    "PERSON019": Message(E, "同意日期（consent.date）{date} 晚于今天（{today}），同意还没有生效，本页未发布。"
                            "请核对日期，写本人实际签字同意的那一天。"),
    "PERSON020": Message(W, "「{name}」{what}，未满 18 岁，按未成年人处理：须有监护人同意，请在 consent 中写明 "
                            "guardian: 监护人姓名。补上之前本页不发布。"),
    "PERSON021": Message(E, "{label}（{key}）「{value}」看不懂或不合理，无法确定是否未成年，本页未发布。"
                            "年龄请写整数（age: 35），出生日期请写成 born: 1990-05-01。"),
    "PERSON022": Message(E, "这个页面看起来是好人榜人物档案（有 {keys}），但不在 people/ 文件夹里。"
                            "人物档案只能放在 people/ 下（如 people/2026-11-wang.md），才会核对本人同意；"
                            "本页未发布。请把它移回 people/，已撤回同意的请删除。"),
    "PERSON012": Message(E, "照片「{portrait}」不是可用的图片（应为 .jpg、.jpeg、.png、.webp、.heic）或不在 people/ 文件夹内。"
                            "请把照片放在本文件旁边，写文件名即可，例如 portrait: wang.jpg。本页未发布。"),
}
register(MESSAGES)


@dataclass(frozen=True)
class Category:
    """One of the five official categories: its name, ASCII slug and badge colour key."""

    name: str
    slug: str

    @property
    def url(self) -> str:
        return f"people/{self.slug}/"

    def __str__(self) -> str:
        return self.name


CATEGORIES: tuple[Category, ...] = (
    Category("助人为乐", "zhuren-weile"),
    Category("见义勇为", "jianyi-yongwei"),
    Category("诚实守信", "chengshi-shouxin"),
    Category("敬业奉献", "jingye-fengxian"),
    Category("孝老爱亲", "xiaolao-aiqin"),
)
CATEGORY_NAMES = "、".join(c.name for c in CATEGORIES)

PORTRAIT_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
PORTRAIT_ASPECT = 3 / 4  # width / height of every card photo
CONSENT_KEYS = {"by": "同意人", "date": "同意日期", "show_portrait": "是否展示照片",
                "guardian": "监护人", "withdrawn": "撤回日期", "mention_ok": "同意被提到的页面"}
ADULT_AGE = 18
BIRTH_KEYS = ("born", "birthday", "birth")  # PERSON_FIELDS knows them all (type date)

@lru_cache(maxsize=1)
def to_simplified():
    import opencc  # loaded once; a dictionary load costs ~50 ms

    return opencc.OpenCC("t2s.json")


def normalise_category(value: Any) -> Category | None:
    """The category an editor meant, in either script (助人為樂 → 助人为乐), or None."""
    text = re.sub(r"\s+", "", str(value))
    simplified = to_simplified().convert(text)
    for category in CATEGORIES:
        if simplified in (category.name, category.slug):
            return category
    return None


def category_by_slug(slug: str) -> Category | None:
    return next((c for c in CATEGORIES if c.slug == slug), None)


@dataclass(frozen=True)
class Consent:
    """The validated consent record."""

    by: str
    date: dt.date
    show_portrait: bool = False
    guardian: str = ""
    withdrawn: dt.date | bool | None = None


@dataclass
class Person:
    """One published profile, as every page, listing and the screen show it.

    portrait: the original photo's path relative to site_src, set only when the photo may
        be shown; the page never links it. photo: its derivatives (media.Derivatives),
        attached once the pipeline has made them; None shows the placeholder.
    """

    slug: str
    source: Source
    name: str
    category: Category
    honored: str  # "2026-11"
    summary: str
    consent: Consent
    name_hant: str | None = None
    community: str = ""
    portrait: str | None = None
    focus: tuple[float, float] = (0.5, 0.5)
    minor: bool = False
    until: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    photo: Any = None
    script: str | None = None  # the script the profile is written in; None: Simplified

    @property
    def url(self) -> str:
        """Site-relative URL with directory URLs: people/2026-11-yu-xiulan/."""
        return f"people/{self.slug}/"

    @property
    def month_label(self) -> str:
        return month_label(self.honored)

    @property
    def portrait_url(self) -> str | None:
        """Site-relative URL of the card-size photo (JPEG, ~480 px wide), or None."""
        return self._photo_url(480)

    @property
    def screen_image(self) -> str | None:
        """Site-relative URL of a photo large enough for the lobby screen, or None."""
        return self._photo_url(960)

    def _photo_url(self, width: int) -> str | None:
        if self.photo is None:
            return None
        return self.photo.pick(self.photo.fallback(), width).url


@dataclass(frozen=True)
class Withheld:
    """A profile that is not published, and why (what `bulletin check` and mentions use)."""

    rel: str
    name: str | None
    reason: str  # one of REASONS
    name_hant: str | None = None
    mention_ok: tuple[str, ...] = ()  # pages (rel to site_src) the person agreed may still name them

    @property
    def url(self) -> str:
        """Where the page would have been published: people/<slug>/ (directory URLs)."""
        stem = self.rel[:-3] if self.rel.endswith(".md") else self.rel
        return (stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/")


REASONS = {"withdrawn": "已撤回同意", "no-consent": "没有同意发布的记录",
           "minor": "是未成年人且没有监护人同意", "expired": "已过展示截止日期",
           "unclear": "的同意记录有误或尚未生效", "misplaced": "的档案不在 people/ 文件夹里",
           "invalid": "的页面有错误"}
# Withheld for want of consent in force: their names must not appear anywhere in the site.
# "invalid" is not here: a profile with a typo in its category has a consent record.
AVOID = ("withdrawn", "no-consent", "minor", "expired", "unclear", "misplaced")


@dataclass
class Month:
    """One month's list: key "2026-11", label "2026年11月", people in category order."""

    key: str
    label: str
    people: list[Person]


@dataclass
class CategoryPage:
    """A category's page: everyone published in it, by month, latest first."""

    category: Category
    months: list[Month]

    @property
    def count(self) -> int:
        return sum(len(m.people) for m in self.months)


@dataclass
class Roll:
    """The outcome of reviewing every profile: who is published and who is withheld."""

    people: list[Person]
    withheld: list[Withheld]

    def avoided(self) -> list[Withheld]:
        """The profiles withheld for want of consent in force (every reason but "invalid")."""
        return [w for w in self.withheld if w.reason in AVOID]

    def names_to_avoid(self) -> list[str]:
        """Names of the people in `avoided()`: no other page may name them."""
        return sorted({w.name for w in self.avoided() if w.name})


def parse_honored(value: Any) -> str | None:
    """The month of the list a person is on, "2026-11"; None if unreadable."""
    return parse_month(value)



@lru_cache(maxsize=4)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def name_forms(name: str, name_hant: str | None = None) -> set[str]:
    """Every form a name can take in a built site: as written, in each OpenCC script (with
    and without the surname kept, as name protection keeps it), and the editor's name_hant."""
    forms = {name, to_simplified().convert(name)}
    if name_hant:
        forms.add(name_hant)
    for config in ("s2t.json", "s2hk.json", "s2tw.json"):
        converted = _opencc(config).convert(name)
        forms |= {converted, name[:1] + converted[1:]}
    return {f for f in forms if f}
