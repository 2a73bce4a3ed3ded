"""Work plans (工作计划): the plan model, its listing and the near-duplicate groups.

Takes the content index, returns plain data the templates render: a plan page's header
(title, issuing body, date, tags), the plans index grouped so that near-duplicate plans
show as variants of one plan, and the latest plans for the front page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .content import ContentIndex, Source
from .report import Message, Severity, register

register({
    "PLAN001": Message(Severity.WARNING, "variant_of 指向的计划「{target}」不存在，已忽略。"
                                         "请写 plans/ 下另一个计划的文件名（不带 .md），例如 plan-16。"),
    "PLAN002": Message(Severity.WARNING, "日期「{value}」看不懂，已按未知日期处理。请写成 2026-03-05 或 2026年3月5日。"),
})


@dataclass
class Plan:
    """One work plan as the site shows it."""

    slug: str
    source: Source
    title: str
    community: str = ""
    year: int | str | None = None
    year_placeholder: bool = False
    date_text: str = ""
    date: dt.date | None = None  # a real calendar date, when the text gives one
    recipient: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    variant_of: str | None = None
    similarity: float | None = None
    variants: list["Plan"] = field(default_factory=list)
    script: str | None = None  # the script its editor wrote it in (set by the build; None: not yet known)

    @property
    def url(self) -> str:
        """Site-relative URL with directory URLs: plans/plan-01/."""
        return f"plans/{self.slug}/"

    @property
    def sort_key(self) -> tuple:
        year = self.year if isinstance(self.year, int) else 0
        return (self.date or dt.date(year or 1, 1, 1), self.slug)


CN_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def parse_date(value: Any) -> dt.date | None:
    """A calendar date from a front-matter value, or None for placeholders (20xx年2月3日)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = CN_DATE_RE.search(value) or ISO_DATE_RE.match(value.strip())
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def collect(index: ContentIndex) -> list[Plan]:
    """Every accepted plan, newest first, with near-duplicates attached to their original."""
    report = index.report
    plans: dict[str, Plan] = {}
    for source in index.of_kind("plan"):
        meta = source.meta
        date_value = meta.get("date")
        date = parse_date(date_value)
        date_text = date_value.isoformat() if isinstance(date_value, dt.date) else str(date_value or "")
        placeholder = bool(meta.get("year_placeholder")) or "xx" in date_text.lower()
        if date_value is not None and date is None and not placeholder:
            report.add("PLAN002", source.display, source.line_of("date"), value=date_text)
        year = meta.get("year") or (date.year if date else None)
        variant = meta.get("variant_of") or {}
        plans[source.slug] = Plan(
            slug=source.slug, source=source, title=meta["title"],
            community=meta.get("community", ""), year=year, year_placeholder=placeholder,
            date_text=date_text, date=date, recipient=meta.get("recipient", ""),
            tags=list(meta.get("tags", [])), summary=meta.get("summary", ""),
            variant_of=str(variant.get("plan")) if variant.get("plan") else None,
            similarity=variant.get("similarity"),
        )
    for plan in plans.values():
        if plan.variant_of and plan.variant_of not in plans:
            report.add("PLAN001", plan.source.display, plan.source.line_of("variant_of"), target=plan.variant_of)
            plan.variant_of = None
    for plan in plans.values():
        if plan.variant_of:
            root = plans[plan.variant_of]
            while root.variant_of:  # a variant of a variant joins the first plan's group
                root = plans[root.variant_of]
            root.variants.append(plan)
    for plan in plans.values():
        plan.variants.sort(key=lambda p: p.slug)
    return sorted(plans.values(), key=lambda p: p.sort_key, reverse=True)


def groups(plans: list[Plan]) -> list[Plan]:
    """The plans the index lists as items: those that are not a variant of another."""
    return [p for p in plans if not p.variant_of]


def by_year(plans: list[Plan]) -> list[tuple[str, list[Plan]]]:
    """Listing sections: (year label, plans) in the given order; unknown years last."""
    sections: dict[str, list[Plan]] = {}
    for plan in plans:
        label = f"{plan.year} 年" if isinstance(plan.year, int) else "年份待定"
        sections.setdefault(label, []).append(plan)
    known = sorted((s for s in sections.items() if s[0] != "年份待定"), key=lambda s: s[0], reverse=True)
    return known + [s for s in sections.items() if s[0] == "年份待定"]


@dataclass
class ListingPage:
    """One page of the plans index: a slice of the plan groups, in year sections."""

    number: int
    count: int  # how many listing pages there are
    sections: list[tuple[str, list[Plan]]]

    @property
    def src_uri(self) -> str:
        return "plans/index.md" if self.number == 1 else f"plans/page/{self.number}.md"

    @property
    def url(self) -> str:
        return "plans/" if self.number == 1 else f"plans/page/{self.number}/"

    def url_of(self, number: int) -> str:
        return "plans/" if number == 1 else f"plans/page/{number}/"


def listing_pages(plans: list[Plan], per_page: int) -> list[ListingPage]:
    """Split the index so that no listing page grows with the number of plans."""
    items = groups(plans)
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    return [ListingPage(n, len(chunks), by_year(chunk)) for n, chunk in enumerate(chunks, 1)]


def listing_markdown(page: ListingPage) -> str:
    """Markdown of a generated listing page; the list itself comes from its template."""
    title = "工作计划" if page.number == 1 else f"工作计划（第 {page.number} 页）"
    return (f"---\ntitle: {title}\ndescription: 街道和社区的精神文明建设工作计划\n"
            f"template: plans-index.html\n---\n")
