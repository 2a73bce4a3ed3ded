"""Inputs stay inside site_src/: what MkDocs walks, and what pages point at.

MkDocs lists `docs_dir` with `os.walk(followlinks=True)` before any plugin sees a file,
so one symlink to "/" in site_src/ would make it walk the whole machine, and a link to
a file would be read and published. `docs_dir_for_mkdocs` therefore hands MkDocs a
shadow tree when site_src/ holds anything but regular files and folders: the same
files, hard-linked (copied where a hard link is impossible), without the links, FIFOs
or devices. When site_src/ is clean — the normal case — MkDocs gets site_src/ itself.
`SafeWatcher` gives `mkdocs serve` live reload without following links either.

`check_references` reports the other way out: a page or a front-matter value that
points at `../../etc/passwd`, `/etc/passwd` or `file:///…`.
"""

from __future__ import annotations

import errno
import html
import os
import posixpath
import re
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import content, privacy, sanitize
from .report import E, Message, Report, register
from .sanitize import blank_code, link_targets

MESSAGES = {
    "SAFE004": Message(E, "引用「{target}」指向 site_src/ 之外，不会读取或发布。"
                          "请把文件复制到 site_src/ 里（例如页面旁边），再用相对路径引用。"),
    "SAFE005": Message(E, "引用「{target}」是电脑上的绝对路径，不会读取或发布。"
                          "请把文件复制到 site_src/ 里，用相对路径引用（例如 photos/a.jpg）。"),
    "SAFE006": Message(E, "引用「{target}」使用了 file: 协议，不会读取或发布（读者的浏览器也打不开它）。"
                          "请把文件复制到 site_src/ 里，用相对路径引用。"),
}
register(MESSAGES)

SHADOW_PREFIX = "shadow-src-"

# First path segments that mean "a file on this computer", not a page of the site.
SYSTEM_DIRS = {
    "etc", "usr", "var", "home", "root", "tmp", "proc", "sys", "dev", "bin", "sbin", "lib",
    "lib64", "opt", "mnt", "media", "srv", "boot", "run", "Users", "Volumes", "private",
    "Library", "System", "Applications",
}


def unsafe_entries(root: Path) -> list[str]:
    """Every symlink or special file under `root`, hidden folders included, as rel paths.

    Nothing is followed or opened: entries are only lstat-ed. Hidden entries count
    here (MkDocs walks `.hidden/` too) although `content.walk` passes over them.
    """
    return sorted(rel for rel, info in _entries(root, hidden=True)
                  if not stat.S_ISDIR(info.st_mode) and not stat.S_ISREG(info.st_mode))


def _entries(root: Path, *, hidden: bool) -> Iterator[tuple[str, os.stat_result]]:
    """(rel path, lstat) of every entry under `root`; links are not followed. A folder
    that cannot be listed (content.walk reports it: SAFE003), or an entry gone before it
    is looked at, is passed over."""
    stack = [(Path(root), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if not hidden and entry.name.startswith("."):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield prefix + entry.name, info
            if stat.S_ISDIR(info.st_mode):
                stack.append((Path(entry.path), prefix + entry.name + "/"))


def docs_dir_for_mkdocs(docs_dir: Path, work_dir: Path) -> Path:
    """The directory MkDocs should walk as `docs_dir`.

    Returns `docs_dir` itself when it holds only regular files and folders. Otherwise
    builds `work_dir/shadow-src-<pid>/<docs_dir name>` afresh with hard links (or
    copies) of the files `content.walk` accepts, and returns that. The folder keeps
    site_src/'s name so that paths MkDocs shows still read "site_src/…". Problems are
    not reported here: `content.load` on the real docs_dir reports each refused entry.
    """
    docs_dir = Path(docs_dir)
    if not unsafe_entries(docs_dir):
        remove_shadow(work_dir)
        return docs_dir
    files, _ = content.walk(docs_dir, Report())
    base = shadow_base(work_dir)
    if base.exists():
        shutil.rmtree(base)
    shadow = base / docs_dir.name
    shadow.mkdir(parents=True)
    for rel in files:
        target = shadow / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(docs_dir / rel, target)
    return shadow


def shadow_base(work_dir: Path) -> Path:
    return Path(work_dir) / f"{SHADOW_PREFIX}{os.getpid()}"


def remove_shadow(work_dir: Path) -> None:
    """Remove this process's shadow tree, if any (call after the build, and on error)."""
    base = shadow_base(work_dir)
    if base.exists():
        shutil.rmtree(base, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    # A hard link costs nothing and keeps photos' mtimes for the media cache; across
    # file systems, or where links are not allowed, copy the bytes instead.
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EACCES, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target, follow_symlinks=False)
        shutil.copystat(source, target, follow_symlinks=False)


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """rel path -> (mode, size, mtime) of every entry under `root`, links not followed.

    Hidden entries are left out, as MkDocs leaves them out of the site.
    """
    return {rel: (info.st_mode, info.st_size, info.st_mtime_ns) for rel, info in _entries(root, hidden=False)}


class SafeWatcher:
    """Live reload for `mkdocs serve` that never follows a link in site_src/.

    MkDocs watches docs_dir with watchdog's polling observer, whose snapshots `stat`
    through symlinks and descend into linked folders: a link to "/" in site_src/ makes
    it walk the whole machine on every poll. So MkDocs' own watch of docs_dir is
    removed, and this watcher polls site_src/ with lstat instead. On a change it
    rewrites a stamp file in a folder outside site_src/ that MkDocs does watch, which
    triggers MkDocs' ordinary rebuild. Nothing in site_src/ is ever written.
    """

    def __init__(self, docs_dir: Path, work_dir: Path, interval: float = 0.2) -> None:
        self.docs_dir = Path(docs_dir)
        self.stamp_dir = Path(work_dir) / f"serve-{os.getpid()}"
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._changes = 0
        self._changed: set[str] = set()  # rel paths changed, added or removed since `take_changes`
        self._lock = threading.Lock()

    def attach(self, server, watched_docs_dir: str | Path) -> None:
        """Replace MkDocs' watch of `watched_docs_dir` (call in on_serve, before serving)."""
        server.unwatch(str(watched_docs_dir))
        self.stamp_dir.mkdir(parents=True, exist_ok=True)
        (self.stamp_dir / "changed").write_text("0", encoding="ascii")
        server.watch(str(self.stamp_dir))
        self._thread = threading.Thread(target=self._run, name="bulletin-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last = snapshot(self.docs_dir)
        while not self._stop.wait(self.interval):
            now = snapshot(self.docs_dir)
            if now != last:
                with self._lock:
                    self._changed.update(rel for rel in now.keys() | last.keys() if now.get(rel) != last.get(rel))
                last = now
                self._changes += 1
                (self.stamp_dir / "changed").write_text(str(self._changes), encoding="ascii")

    def take_changes(self) -> set[str]:
        """The rel paths (under site_src/) changed, added or removed since the last call."""
        with self._lock:
            changed, self._changed = self._changed, set()
        return changed

    def stop(self) -> None:
        """Stop polling and remove the stamp folder (call in on_shutdown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        shutil.rmtree(self.stamp_dir, ignore_errors=True)


# --- references that leave the tree ---------------------------------------------------

_HTML_ATTR_RE = re.compile(r"""\b(?:src|href|poster|data|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>}]+))""", re.I)

# Front-matter keys whose values name files (a string, a list of names, or a map keyed by name).
PATH_KEYS = {"cover": "str", "portrait": "str", "order": "list", "captions": "keys"}


def classify(target: str, rel: str, root: Path) -> str | None:
    """The problem code for one reference written in page `rel`, or None if it is fine."""
    text = target.strip()
    if not text or text.startswith("#"):
        return None
    if re.match(r"^[A-Za-z]:[\\/]", text) or text.startswith("\\\\"):
        return "SAFE005"
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return "SAFE006"
    if scheme or text.startswith("//"):
        return None  # a web address: sitecheck and the sanitiser deal with those
    path = unquote(parts.path).replace("\\", "/")
    if not path:
        return None
    if path.startswith("/"):
        first = path.strip("/").split("/")[0]
        if first and not _in_tree(root, first) and (first in SYSTEM_DIRS or os.path.lexists(path)):
            return "SAFE005"
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
    if resolved == ".." or resolved.startswith("../"):
        return "SAFE004"
    return None


def _in_tree(root: Path, first: str) -> bool:
    """Is there a real folder or page (not a link, which is refused) named `first` in root?"""
    for candidate in (root / first, root / f"{first}.md"):
        try:
            mode = candidate.lstat().st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
            return True
    return False


def references(text: str) -> list[tuple[int, str]]:
    """(offset, target) of every link, image, HTML src/href/srcset in Markdown, code excluded."""
    plain = blank_code(text)
    found = list(link_targets(plain))
    for m in _HTML_ATTR_RE.finditer(plain):
        value = next(g for g in m.groups() if g is not None)
        if m.group(0).lower().startswith("srcset"):
            found += [(m.start(), c.strip().split()[0]) for c in value.split(",") if c.strip()]
        else:
            found.append((m.start(), value))
    return sorted(found)


def check_references(source, root: Path, report: Report) -> int:
    """Report every reference in a `content.Source` that leaves `root` (site_src/).

    Looks at the Markdown (links, images, raw HTML, attr_list) and at front-matter keys
    that name files (cover, portrait, order, captions). Nothing referenced is opened.
    Returns the number of errors added; the caller skips the page if it is not zero.
    """
    errors = 0
    for offset, target in references(source.text):
        code = classify(html.unescape(target), source.rel, root)
        if code:
            line = 1 + source.text.count("\n", 0, offset)
            report.add(code, source.display, line, target=_short(target))
            errors += 1
    for key, shape in PATH_KEYS.items():
        value = source.meta.get(key)
        if value is None:
            continue
        names = [value] if shape == "str" else list(value) if shape in ("list", "keys") and \
            isinstance(value, (list, dict)) else []
        for name in names:
            if not isinstance(name, str):
                continue
            code = classify(name, source.rel, root)
            if code:
                report.add(code, source.display, source.line_of(key), target=_short(name))
                errors += 1
    return errors


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def check_safety(index) -> set[str]:
    """Run every source-level safety check over a loaded `content.ContentIndex`.

    Personal numbers (privacy), references that leave site_src/ (this module) and
    dangerous markup (sanitize, warnings only). Front-matter values become plain text
    here, once, so every output (pages, listings, search, screen) shows the same text. A page with an error, or a file whose
    name holds a personal number, is taken out of `index.sources`/`index.files`, added
    to `index.refused` and marked skipped, so nothing downstream (plans, albums, the
    screen, search) ever sees it. Returns the rel paths taken out.

    Call it right after `content.load` and before the per-kind modules collect pages.
    """
    report = index.report
    dropped = privacy.scan_index(index, report)
    for rel, source in index.sources.items():
        if check_references(source, index.root, report):
            dropped.add(rel)
        sanitize.check_markdown(source, report)
        source.meta = sanitize.text_meta(source.meta)
    for rel in dropped:
        index.sources.pop(rel, None)
        if rel in index.files:
            index.files.remove(rel)
        index.refused.add(rel)
        report.skip(content.display_path(index.root, rel))
    return dropped
