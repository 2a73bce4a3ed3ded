"""What may leave site_src/: an allow-list, not a list of things to keep out.

Pages are built from Markdown. Every other file an editor drops into site_src/ is either
read by the build (the glossary), turned into derivatives by the photo pipeline (album
photos, portraits, and any other image a page shows) or refused with a message. Nothing
is copied into the site byte for byte, so no original photo, no metadata (EXIF, GPS, a
PNG text chunk, a JPEG comment) and no active file (SVG or HTML with script, a PDF with
JavaScript) can reach a reader, whatever new file type turns up.

An image a page links to (`![](chart.png)` in plans/) is published as one cleaned
rendition in media/, and MkDocs is told that the source file lives there, so its own
link resolution points the page at the derivative.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .content import ContentIndex, display_path
from .media import IMAGE_SUFFIXES, Derivatives, Job, Settings
from .report import W, Message, Report, register

MESSAGES = {
    "SAFE007": Message(W, "「{suffix}」类型的文件不会发布到网站上（只发布页面和经过处理的照片），已跳过。"
                          "{hint}"),
}
register(MESSAGES)

# One rendition, bounded on its long side: a page image is shown in the text column, and
# a link to it opens it alone in the browser.
PAGE_IMAGE = Settings(widths=(1600,), long_side=True, formats=("jpeg",), placeholder=0)

HINTS = {
    ".svg": "SVG 图片可能含有脚本，请导出为 PNG 或 JPG 后再引用。",
    ".html": "请把内容写成 Markdown 页面（.md）。",
    ".htm": "请把内容写成 Markdown 页面（.md）。",
    ".pdf": "PDF 可能含有脚本和作者信息：请把正文写进 Markdown 页面，或把各页导出为图片。",
    ".doc": "请把正文复制到 Markdown 页面（.md）里。",
    ".docx": "请把正文复制到 Markdown 页面（.md）里。",
    ".xls": "请把表格写成 Markdown 表格。",
    ".xlsx": "请把表格写成 Markdown 表格。",
}
DEFAULT_HINT = "如需在页面上展示，请改成照片（.jpg、.png）或写进 Markdown 页面。"


def is_image(rel: str) -> bool:
    return rel.lower().endswith(IMAGE_SUFFIXES)


def page_image_jobs(index: ContentIndex, handled: set[str]) -> dict[str, Job]:
    """{rel: Job} for every image outside albums/ and people/ that no other part handles.

    `handled`: rel paths already turned into derivatives or dropped (album photos,
    portraits, unpublished people files). The job's public name is neutral: a file name
    such as「王秀英家门口.jpg」must not reach a URL.
    """
    root = index.root
    return {rel: Job(src=root / rel, display=display_path(root, rel), settings=PAGE_IMAGE, name="image")
            for rel in index.files
            if is_image(rel) and rel not in handled and not rel.startswith(("albums/", "people/"))}


def refuse_others(index: ContentIndex, handled: set[str], report: Report) -> set[str]:
    """Every non-Markdown file that is neither handled nor an image: SAFE007, not published."""
    refused: set[str] = set()
    for rel in index.files:
        if rel.endswith(".md") or rel in handled or is_image(rel):
            continue
        suffix = PurePosixPath(rel).suffix.lower() or PurePosixPath(rel).name
        report.add("SAFE007", display_path(index.root, rel), suffix=suffix, hint=HINTS.get(suffix, DEFAULT_HINT))
        refused.add(rel)
    return refused


def page_image_files(jobs: dict[str, Job], results: dict[Job, Derivatives]) -> dict[str, tuple[str, Path]]:
    """{source rel: (site URL of its rendition, cached file)} for each page image that worked."""
    found: dict[str, tuple[str, Path]] = {}
    for rel, job in jobs.items():
        made = results.get(job)
        if made is not None:
            rendition = made.of(made.fallback())[-1]
            found[rel] = (rendition.url, Path(rendition.path))
    return found
