"""What an import did, and the Chinese report that says so."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..report import Report
from .normalise import KINDS
from .similar import CONTAINMENT_THRESHOLD, RELATED_THRESHOLD, VARIANT_THRESHOLD, Pair

if TYPE_CHECKING:
    from .pages import PlanPage


def shown(similarity: float) -> float:
    """Similarity as stored and printed: two places, rounded down so 0.996 never reads 1.0."""
    return math.floor(similarity * 100) / 100


@dataclass
class ImportResult:
    """The pages of one import, what changed, and every problem found."""

    source: Path
    out_dir: Path
    plans: list["PlanPage"] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # every page this import produced
    changed: list[Path] = field(default_factory=list)  # those whose content was new or different
    pairs: list[Pair] = field(default_factory=list)  # every similar pair worth reporting
    report: Report = field(default_factory=Report)

    @property
    def normalised(self) -> list[tuple[str, int]]:
        """(kind, total over all plans) for every kind, in report order, zeros included."""
        total: Counter = Counter()
        for page in self.plans:
            total.update(page.counts)
        return [(kind, total[kind]) for kind in KINDS]

    @property
    def duplicates(self) -> list[Pair]:
        """Pairs above the variant threshold: the later plan carries `variant_of`."""
        return [pair for pair in self.pairs if pair.is_variant]

    @property
    def placeholder_years(self) -> list["PlanPage"]:
        return [page for page in self.plans if page.meta.get("year_placeholder")]

    def render(self) -> str:
        """The import report, in Simplified Chinese, one section per concern."""
        out: list[str] = []
        numbers = [page.number for page in self.plans]
        out.append(f"从「{self.source.name}」导入工作计划 {len(self.plans)} 篇，写到 {self.out_dir.as_posix()}/"
                   f"（内容有变化的 {len(self.changed)} 个，其余与上次导入相同）。")
        if numbers:
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            if missing:
                out.append("原文没有：" + "、".join(f"篇{n}" for n in missing) + "。")

        total = sum(count for _, count in self.normalised)
        out.append("")
        out.append(f"规范化（共 {total} 处；每篇的明细在该页元数据 normalised 中）：")
        for kind, count in self.normalised:
            out.append(f"  {KINDS[kind]}：{count}")

        out.append("")
        variants = self.duplicates
        out.append(f"内容几乎相同的计划（相似度 ≥ {VARIANT_THRESHOLD:.2f}，较晚的一篇已标 variant_of）："
                   + ("" if variants else "无。"))
        for pair in variants:
            out.append(f"  {_name(pair.later)} ≈ {_name(pair.earlier)}  相似度 {shown(pair.similarity):.2f}")
        related = [pair for pair in self.pairs if not pair.is_variant]
        if related:
            out.append(f"内容部分重合的计划（相似度 ≥ {RELATED_THRESHOLD:.2f} 或重合 ≥ {CONTAINMENT_THRESHOLD:.0%}，"
                       "未标注，请人工判断）：")
            for pair in related:
                out.append(f"  {_name(pair.later)} ~ {_name(pair.earlier)}  相似度 {shown(pair.similarity):.2f}，"
                           f"较短一篇的文字有 {pair.containment:.0%} 见于另一篇")

        out.append("")
        flagged = self.placeholder_years
        out.append(f"年份是占位符的计划（已标 year_placeholder: true，请核实后填写真实年份）：{len(flagged)} 篇"
                   + ("。" if not flagged else "："))
        for page in flagged:
            where = f"落款日期「{page.meta['date']}」" if page.year_from == "date" else "开头一段"
            out.append(f"  {_name(page.slug)}  year: {page.meta['year']}（取自{where}）")
        with_placeholders = [page for page in self.plans if page.placeholders]
        if with_placeholders:
            out.append("正文中还有待填写的占位符（xx、X、* 等，原样保留）：")
            for page in with_placeholders:
                detail = "、".join(f"{token} ×{n}" for token, n in sorted(page.placeholders.items()))
                out.append(f"  {_name(page.slug)}  {detail}")

        fallback = [page for page in self.plans if not page.title_found]
        borrowed = [page for page in self.plans if page.title_from]
        out.append("")
        line = f"标题：{len(self.plans) - len(fallback) - len(borrowed)} 篇取自正文开头的自述"
        if borrowed:
            line += f"，{len(borrowed)} 篇沿用相似计划的标题（" + "、".join(
                f"{_name(p.slug)} 用 {_name(p.title_from)} 的" for p in borrowed) + "）"
        if fallback:
            line += f"，{len(fallback)} 篇用了默认标题（" + "、".join(_name(p.slug) for p in fallback) + "）"
        out.append(line + "。标题、摘要和标签都是自动生成的，发布前请过目。")
        out.append("")
        out.append(self.report.render())
        return "\n".join(out)


def _name(slug: str) -> str:
    """plan-07 → 篇7（plan-07）."""
    return f"篇{int(slug.removeprefix('plan-'))}（{slug}）"
