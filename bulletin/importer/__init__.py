"""Import a compilation of work plans (工作计划汇编) as one Markdown page per plan.

    result = import_plans(Path("汇编.txt"), Path("site_src/plans"))
    print(result.render())          # the Chinese import report
    result.report.errors            # problems, as for a build

The pages keep the source's script (no conversion at import) and every Han character
and digit of the source: the compilation title and 篇N lines are dropped, the signature
moves into front matter (community, date, recipient), and the remaining repairs —
half-width punctuation, stray spaces and hyphens, broken paragraphs — are counted per
kind in each page's `normalised:` and in the report. Running it twice writes the same
files. See `layout` for how numbering becomes headings and `similar` for variants.
"""

from __future__ import annotations

from pathlib import Path

from ..content import read_text
from ..report import Message, Report, Severity, register
from . import describe, pages, similar, source
from .result import ImportResult, shown

E, W = Severity.ERROR, Severity.WARNING

MESSAGES = {
    "IMPORT003": Message(W, "「{name}」不是这次导入生成的（原文里没有「篇{number}」），已保留未动。"
                            "如果是以前导入留下的，请确认后删除。"),
    "IMPORT004": Message(W, "「篇{number}」出现了两次（第一次在第 {first} 行），这一处已跳过。请检查汇编原文的编号。"),
    "IMPORT005": Message(W, "第一个「篇N」之前有 {count} 行不属于任何一篇的文字，已忽略。如需保留，请把它移到某一篇里。"),
    "IMPORT006": Message(W, "这一段的半角引号（\"）不成对，没有改成全角“”。请检查原文是否漏了或多了引号。"),
    "IMPORT007": Message(W, "「篇{number}」开头没有能作标题的句子，标题暂定为「{title}」。请在 {file} 的 title 中改成贴切的标题。"),
    "IMPORT008": Message(E, "无法写入：{detail}。请检查输出目录是否存在、是否有写权限。"),
}
register(MESSAGES)

__all__ = ["ImportResult", "MESSAGES", "import_plans"]


def import_plans(source_path: Path, out_dir: Path) -> ImportResult:
    """Split `source_path` (a UTF-8 compilation) into `out_dir`/plan-NN.md.

    Returns an ImportResult with the pages, the paths written, normalisation totals,
    near-duplicate pairs and a Report. Files in `out_dir` that this import did not
    produce are left alone (IMPORT003 when they look like earlier imports). Nothing is
    written when the text cannot be split (IMPORT001) or read.
    """
    source_path, out_dir = Path(source_path), Path(out_dir)
    report = Report()
    display = source_path.as_posix()
    result = ImportResult(source_path, out_dir, report=report)
    text = read_text(source_path, display, report)
    if text is None:
        return result
    compilation = source.split(text, display, report)
    if compilation is None:
        return result

    names = describe.Names(["".join(line.text for line in piece.lines) for piece in compilation.pieces])
    named = compilation.title or compilation.header
    built = [pages.build(piece, named, names, display, report) for piece in compilation.pieces]
    found = similar.pairs({page.slug: page.comparable() for page in built})
    best = similar.variants(found)
    by_slug = {page.slug: page for page in built}
    for page in built:
        pair = best.get(page.slug)
        if pair:
            page.meta["variant_of"] = {"plan": pair.earlier, "similarity": shown(pair.similarity)}
            original = by_slug[pair.earlier]
            if not page.title_found and original.title_found:
                page.meta["title"], page.title_found, page.title_from = original.meta["title"], True, original.slug
    _distinct_titles(built)
    for page, piece in zip(built, compilation.pieces):
        if not page.title_found:
            report.add("IMPORT007", display, piece.line, number=page.number, title=page.meta["title"],
                       file=page.filename)
    result.plans, result.pairs = built, found

    path = out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for page in built:
            path = out_dir / page.filename
            if pages.write(page, out_dir):
                result.changed.append(path)
            result.written.append(path)
    except OSError as exc:
        report.add("IMPORT008", path.as_posix(), detail=exc.strerror or str(exc))
        return result

    produced = {page.filename for page in built}
    for stale in sorted(out_dir.glob("plan-[0-9]*.md")):
        if stale.name not in produced and stale.stem.removeprefix("plan-").isdigit():
            report.add("IMPORT003", stale.as_posix(), None, name=stale.name,
                       number=int(stale.stem.removeprefix("plan-")))
    return result


def _distinct_titles(built: list[pages.PlanPage]) -> None:
    """A title used by an earlier plan gets「（篇N）」so every plan can be told apart in listings."""
    seen: set[str] = set()
    for page in built:
        title = page.meta["title"]
        if title in seen and not title.endswith(f"（篇{page.number}）"):
            page.meta["title"] = f"{title}（篇{page.number}）"
        seen.add(title)
