"""Work plans (工作计划): the plan model, its listing and the near-duplicate groups.

Takes the content index, returns plain data the templates render: a plan page's header
(title, issuing body, date, tags), the plans index by year and the latest plans for the
front page. What only editors need (near-duplicates, placeholder years, a compilation's
numbering in a title) is reported to them and shown in the local preview, never published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .content import ContentIndex, Source
from .dates import DATE_EXAMPLE, parse_date, readable_date
from .report import Message, Severity, register

register({
    "PLAN001": Message(Severity.WARNING, "variant_of 指向的计划「{target}」不存在，已忽略。"
                                         "请写 plans/ 下另一个计划的文件名（不带 .md），例如 plan-16。"),
    "PLAN002": Message(Severity.WARNING, f"日期「{{value}}」看不懂，已按未知日期处理。请写成 {DATE_EXAMPLE}。"),
    "PLAN003": Message(Severity.NOTICE, "与 {other} 内容相近（相似度 {percent}%），两篇都照常发布。"
                                        "若是重复，请删掉一篇；若确要两篇都保留，删掉 variant_of 这一行即可不再提示。"),
    "PLAN004": Message(Severity.NOTICE, "{count} 篇计划的年份是占位符（如 20xx），网站上不显示年份，"
                                        "列表里放在「未注明年份」下：{files}。知道真实日期的，请写在 date 中（如 2026-03-05）。"),
    "PLAN005": Message(Severity.NOTICE, "{count} 篇计划的标题末尾带有汇编里的编号（如「{example}」），网站上不显示这个编号：{files}。"
                                        "同名的计划请把标题改得能区分开（例如写上社区名）。"),
})

UNKNOWN_YEAR = "未注明年份"
# "（篇19）" at the end of a title: the compilation's numbering, which the importer adds to
# tell same-titled plans apart; published only when the plan's `source:` is not that piece.
NUMBERING_RE = re.compile(r"\s*[（(]篇\s*(\d{1,3})[)）]\s*$")
PLACEHOLDER_YEAR_RE = re.compile(r"^\s*[12]\d[xX]{2}\s*年\s*|^\s*[xX]{4}\s*年\s*")


@dataclass
class Plan:
    """One work plan as the site shows it."""

    slug: str
    source: Source
    title: str
    community: str = ""
    year: int | str | None = None  # as published: None when unknown or a placeholder (20xx)
    year_placeholder: bool = False  # the source's year is a placeholder (an editor's note, never shown)
    date_text: str = ""  # as written, a placeholder year left out (published_date)
    date: dt.date | None = None  # a real calendar date, when the text gives one
    recipient: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    variant_of: str | None = None
    similarity: float | None = None
    variants: list["Plan"] = field(default_factory=list)
    numbering: str = ""  # "（篇19）" taken off the title as the editor wrote it
    script: str | None = None  # the script its editor wrote it in (set by the build; None: not yet known)

    @property
    def url(self) -> str:
        """Site-relative URL with directory URLs: plans/plan-01/."""
        return f"plans/{self.slug}/"

    @property
    def shown_date(self) -> str:
        """The plan's date as every output prints it (its page, the listings, the home page,
        search, the screen, posters): its date (2026年3月5日, 2026年3月, or as written without a
        placeholder year: 2月3日), else its year, else ""."""
        return readable_date(self.date_text or self.year)

    @property
    def sort_key(self) -> tuple:
        year = self.year if isinstance(self.year, int) else 0
        return (self.date or dt.date(year or 1, 1, 1), self.slug)


def published_title(title: str, source_note: str) -> tuple[str, str]:
    """(title as published, the numbering taken off): a compilation's 「（篇N）」 goes when
    the plan's `source:` names that same piece, so a title that says 篇 on purpose stays."""
    match = NUMBERING_RE.search(title)
    if match and re.search(rf"篇\s*{int(match[1])}\s*$", source_note or "") and match.start() > 0:
        return title[:match.start()], match[0].strip()
    return title, ""


def published_date(text: str) -> str:
    """A date as residents read it: a placeholder year (20xx年2月3日) is left out."""
    return PLACEHOLDER_YEAR_RE.sub("", text).strip() if "x" in text.lower() else text


def collect(index: ContentIndex) -> list[Plan]:
    """Every accepted plan, newest first, with near-duplicates attached to their original.

    A plan's published title and date replace the written ones in its source's meta, so
    its page, listings, search and the screen all print the same; editor notes go to the
    report (and `editor_notes` for the preview).
    """
    report = index.report
    plans: dict[str, Plan] = {}
    for source in index.of_kind("plan"):
        meta = source.meta
        date_value = meta.get("date")
        date = parse_date(date_value)
        date_text = date_value.isoformat() if isinstance(date_value, dt.date) else str(date_value or "")
        placeholder = bool(meta.get("year_placeholder")) or "xx" in date_text.lower() or \
            "xx" in str(meta.get("year", "")).lower()
        if date_value is not None and date is None and not placeholder:
            report.add("PLAN002", source.display, source.line_of("date"), value=date_text)
        if placeholder and date_text:
            date_text = meta["date"] = published_date(date_text)
        title, numbering = published_title(str(meta["title"]), str(meta.get("source", "")))
        meta["title"] = title
        year = meta.get("year") or (date.year if date else None)
        if "x" in str(meta.get("year", "")).lower():
            del meta["year"]  # a placeholder (20xx) is no year to publish
            year = None
        variant = meta.get("variant_of") or {}
        plans[source.slug] = Plan(
            slug=source.slug, source=source, title=title, numbering=numbering,
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
    _report_editor_notes(list(plans.values()), plans, report)
    return sorted(plans.values(), key=lambda p: p.sort_key, reverse=True)


def _report_editor_notes(found: list[Plan], by_slug: dict[str, Plan], report) -> None:
    """Near-duplicates one by one; placeholder years and numbered titles as one line each."""
    for plan in sorted(found, key=lambda p: p.slug):
        if plan.variant_of:
            report.add("PLAN003", plan.source.display, plan.source.line_of("variant_of"),
                       other=by_slug[plan.variant_of].source.display, percent=_percent(plan.similarity))
    placeholders = sorted(p.source.rel for p in found if p.year_placeholder)
    if placeholders:
        report.add("PLAN004", "site_src/plans", None, count=len(placeholders), files=_names(placeholders))
    numbered = sorted((p.source.rel, p.numbering) for p in found if p.numbering)
    if numbered:
        report.add("PLAN005", "site_src/plans", None, count=len(numbered), example=numbered[0][1],
                   files=_names([rel for rel, _ in numbered]))


def _percent(similarity: float | None) -> str:
    return f"{(similarity or 0) * 100:.0f}"


def _names(rels: list[str], shown: int = 12) -> str:
    names = [rel.rsplit("/", 1)[-1] for rel in rels]
    return "、".join(names[:shown]) + (f" 等 {len(names)} 篇" if len(names) > shown else "")


def editor_notes(plan: Plan) -> list[str]:
    """What the local preview shows an editor above a plan; never part of a published page."""
    notes = []
    if plan.variant_of:
        notes.append(f"与 plans/{plan.variant_of}.md 内容相近（相似度 {_percent(plan.similarity)}%）。")
    if plan.year_placeholder:
        notes.append("原文的年份是占位符，网站上不显示年份；知道真实日期的，请写在 date 中。")
    if plan.numbering:
        notes.append(f"标题末尾的「{plan.numbering}」是汇编编号，网站上不显示。")
    return notes


def groups(plans: list[Plan]) -> list[Plan]:
    """One plan of each near-duplicate group: what the lobby screen shows."""
    return [p for p in plans if not p.variant_of]


def by_year(plans: list[Plan]) -> list[tuple[str, list[Plan]]]:
    """Listing sections: (year label, plans) in the given order, unknown years last.

    A listing page where no plan has a known year is one section without a heading
    (label ""): a heading over everything would say nothing.
    """
    sections: dict[str, list[Plan]] = {}
    for plan in plans:
        label = f"{plan.year} 年" if isinstance(plan.year, int) else UNKNOWN_YEAR
        sections.setdefault(label, []).append(plan)
    if list(sections) == [UNKNOWN_YEAR]:
        return [("", sections[UNKNOWN_YEAR])]
    known = sorted((s for s in sections.items() if s[0] != UNKNOWN_YEAR), key=lambda s: s[0], reverse=True)
    return known + [s for s in sections.items() if s[0] == UNKNOWN_YEAR]


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
    """Split the index so that no listing page grows with the number of plans.

    Every published plan is listed: near-duplicates are the editor's to resolve.
    """
    items = list(plans)
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    return [ListingPage(n, len(chunks), by_year(chunk)) for n, chunk in enumerate(chunks, 1)]


def listing_markdown(page: ListingPage) -> str:
    """Markdown of a generated listing page; the list itself comes from its template."""
    title = "工作计划" if page.number == 1 else f"工作计划（第 {page.number} 页）"
    return (f"---\ntitle: {title}\ndescription: 街道和社区的精神文明建设工作计划\n"
            f"template: plans-index.html\nhide: [toc]\n---\n")  # a list: no headings, the full width
