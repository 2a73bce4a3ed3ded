"""Reading editors' files safely: the walk of site_src/, names, encodings, size limits, bidi controls."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path


from ..report import Report

# Invisible controls that change the display order of the text around them ("Trojan
# Source"): embeddings and overrides, isolates, and the directional marks. A Chinese
# bulletin needs none of them; left in, they can make a sentence read reversed.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BIDI_LINES_REPORTED = 10  # per file; the rest are counted in the last message


def kind_of(rel: str) -> str:
    """Which content model a Markdown file follows, from where it sits."""
    parts = rel.split("/")
    if parts[0] == "plans" and len(parts) == 2 and parts[1] != "index.md":
        return "plan"
    if parts[0] == "albums" and len(parts) == 3 and parts[2] == "index.md":
        return "album"
    if parts[0] == "people" and len(parts) == 2 and parts[1] != "index.md":
        return "person"
    return "page"


def display_path(root: Path, rel: str) -> str:
    return f"{root.name}/{rel}"


def walk(root: Path, report: Report) -> tuple[list[str], set[str]]:
    """List regular files under `root` without following links or opening special files.

    Returns (safe files, refused paths). Hidden entries (".git", ".DS_Store") are passed
    over silently, as MkDocs does. A symlink or a FIFO is refused, never read: reading a
    FIFO blocks forever and a link may point anywhere on the machine.
    """
    files: list[str] = []
    refused: set[str] = set()

    def visit(directory: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            report.add("SAFE003", display_path(root, prefix.rstrip("/") or "."), detail=exc.strerror or str(exc))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if not _is_utf8(entry.name):
                shown, encoding = undecodable_name(entry.name)
                folder = display_path(root, prefix.rstrip("/")) if prefix else root.name
                display = f"{folder}/{shown}"
                is_dir = entry.is_dir(follow_symlinks=False)
                report.add("CONTENT015", display, kind="文件夹" if is_dir else "文件",
                           example=_ascii_example(entry.name, is_dir), folder=folder, shown=shown, encoding=encoding,
                           raw=os.fsencode(entry.name).decode("ascii", "backslashreplace"))
                refused.add(rel)
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                target = os.readlink(entry.path)
                report.add("SAFE001", display_path(root, rel), target=target)
                refused.add(rel)
            elif stat.S_ISDIR(mode):
                visit(Path(entry.path), rel + "/")
            elif stat.S_ISREG(mode):
                files.append(rel)
            else:
                report.add("SAFE002", display_path(root, rel), kind=_special_kind(mode))
                refused.add(rel)

    visit(root, "")
    return files, refused


def _ascii_example(name: str, is_dir: bool) -> str:
    """A name to suggest instead of an undecodable one, keeping an ASCII extension."""
    if is_dir:
        return "spring-2026"
    ext = os.path.splitext(name)[1].lower()
    if ext == ".md":
        return "plan-01.md"
    return "photo-01" + (ext if _is_utf8(ext) and ext.isascii() and ext[1:].isalnum() else ".jpg")


def readable(rel: str) -> str:
    """`rel` with each undecodable part as its editor saw it: safe to print or log."""
    return "/".join(p if _is_utf8(p) else undecodable_name(p)[0] for p in rel.split("/"))


def _is_utf8(name: str) -> bool:
    """False for a name whose bytes were not UTF-8 (os.scandir gives them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def undecodable_name(name: str) -> tuple[str, str]:
    """A file name that is not UTF-8 as its editor saw it, and the encoding that reads it.

    Archives made on Chinese Windows store names in GBK (or Big5 in Hong Kong and
    Taiwan); unpacked on Linux those bytes reach us as surrogate escapes.
    """
    raw = os.fsencode(name)
    for codec, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace"), "未知编码"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def decode(data: bytes, display: str, report: Report) -> str | None:
    """UTF-8 text (a BOM is dropped), or None with a problem naming the likely encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5"), ("utf-16", "UTF-16")):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        report.add("CONTENT007", display, 1, encoding=label)
        return None
    report.add("CONTENT007", display, 1, encoding="未知编码")
    return None


class TooBig(ValueError):
    """A file over its size limit, refused before it was read."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes > {limit}")
        self.size, self.limit = size, limit


def read_bytes_limited(path: Path, limit: int | None) -> bytes:
    """The file's bytes; TooBig (nothing read) if it holds more than `limit` bytes.

    The size is checked before reading and again while reading, so a file that grows
    meanwhile cannot slip past. OSError as from open().
    """
    with open(path, "rb") as handle:
        if limit is None:
            return handle.read()
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooBig(size, limit)
        data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooBig(max(size, len(data)), limit)
        return data


def size_text(size: int) -> str:
    """A byte count as an editor reads it: 640 字节, 64 KB, 2.3 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB" if size % 1024 == 0 else f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.0f} MB" if size % (1024 * 1024) == 0 else f"{size / 1024 / 1024:.1f} MB"


def report_too_big(exc: TooBig, display: str, report: Report, what: str, hint: str) -> None:
    report.add("CONTENT012", display, None, size=size_text(exc.size), limit=size_text(exc.limit),
               what=what, hint=hint)


PAGE_HINT = "一篇页面通常只有几十 KB，请把内容拆成几篇，或删掉误粘贴进来的大段内容。"


def read_text(path: Path, display: str, report: Report, limit: int | None = None,
              what: str = "页面", hint: str = PAGE_HINT) -> str | None:
    """An editor's text file as str, or None with a problem (unreadable, too big, not UTF-8)."""
    try:
        data = read_bytes_limited(Path(path), limit)
    except TooBig as exc:
        report_too_big(exc, display, report, what, hint)
        return None
    except OSError as exc:
        report.add("SAFE003", display, detail=exc.strerror or str(exc))
        return None
    return decode(data, display, report)


def strip_bidi(text: str, display: str, report: Report) -> str:
    """`text` without bidirectional controls, a warning for each line that had some.

    Only the text the build uses is changed; the file on disk stays as written.
    """
    if not BIDI_RE.search(text):
        return text
    lines = text.split("\n")
    found = [(number, BIDI_RE.findall(line)) for number, line in enumerate(lines, 1) if BIDI_RE.search(line)]
    for at, (number, chars) in enumerate(found[:BIDI_LINES_REPORTED]):
        names = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in chars))
        rest = len(found) - BIDI_LINES_REPORTED
        more = f"此后还有 {rest} 行也有，一并删除了。" if at == BIDI_LINES_REPORTED - 1 and rest > 0 else ""
        report.add("CONTENT016", display, number, count=len(chars), chars=names, more=more)
    return BIDI_RE.sub("", text)
