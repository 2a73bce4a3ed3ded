"""Atomic publish: site/ is a complete, checked build or the one before it, never half.

A build goes into a fresh folder beside site/ (site.tmp-<pid>), is checked, and is then
swapped in: on Linux with one renameat2(RENAME_EXCHANGE) call, so there is no moment
without a site/; elsewhere with two renames. The site it replaces is kept as site.prev
for `bulletin rollback`. A failed, interrupted (Ctrl-C) or out-of-space build removes
its folder and leaves site/ exactly as it was. A lock file (.site-build.lock, held with
fcntl.flock, released by the kernel if the process dies) keeps two builds apart.

A withdrawal reaches site.prev too: the site being replaced is not kept when it shows a
person the new build no longer publishes (or one the caller names as withheld), and
`rollback` refuses a site.prev that shows anyone withheld now.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import errno
import fcntl
import logging
import os
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from ..people import Withheld

from ..report import E, CATALOGUE, Message, Report, register
from .withdrawn import BINARY, people_in, stale_people, withheld_now

__all__ = ["BINARY", "MESSAGES", "BuildLock", "PublishError", "build_atomically", "paths", "people_in",
           "published_name", "rollback", "stale_people", "withheld_now"]

MESSAGES = {
    "PUB001": Message(E, "另一个构建正在进行（进程 {pid}，开始于 {since}），本次没有构建，{site} 保持不变。"
                         "请等那个构建结束后再运行。锁会在那个进程结束时自动释放。"),
    "PUB002": Message(E, "构建没有生成完整的网站（缺少 {missing}），未发布，{site} 保持原样。"
                         "请查看上面的错误信息。"),
    "PUB003": Message(E, "磁盘空间不足，构建中断（{detail}）。网站未发布，{site} 保持原样，临时文件已清理。"
                         "请清理磁盘空间后重新构建。"),
    "PUB004": Message(E, "写入构建目录失败（{detail}）。网站未发布，{site} 保持原样，临时文件已清理。"),
    "PUB005": Message(E, "构建后的检查发现 {count} 个错误，网站未发布，{site} 保持原样。请按上面的提示修改后重新构建。"),
    "PUB006": Message(E, "没有可以恢复的上一版本（找不到 {prev}）。每次成功发布后才会保留上一版本。"),
    "PUB007": Message(E, "替换网站目录失败（{detail}），{site} 已恢复为原来的版本。"),
    "PUB008": Message(E, "恢复上一版本失败（{detail}）。请检查 {site} 和它旁边的 .prev 目录的权限。"),
    "PUB009": Message(E, "不能恢复上一版本：{prev} 里还有现在不发布的人物——{who}。恢复它会把他们重新放到网上，"
                         "{site} 保持不变。请运行 bulletin build 发布当前内容；不再需要上一版本时可删除 {prev}。"),
}
register(MESSAGES)

LOCK_NAME = ".{name}-build.lock"
TMP_NAME = "{name}.tmp-{pid}"
PREV_NAME = "{name}.prev"
OLD_NAME = "{name}.old-{pid}"
REQUIRED = ("index.html",)
log = logging.getLogger("mkdocs.bulletin.publish")  # under the logger `bulletin` and MkDocs print


class PublishError(Exception):
    """A build that was not published, with a Chinese message that says why."""

    def __init__(self, code: str, site: Path, **fields: object) -> None:
        self.code = code
        self.site = site
        text = CATALOGUE[code].text.format(site=site, **fields)
        super().__init__(f"{code} {text}")
        self.report: Report | None = None


def paths(site_dir: Path) -> dict[str, Path]:
    """Where the lock, the temporary build and the previous site live, beside site_dir."""
    site_dir = Path(site_dir)
    name, parent = site_dir.name, site_dir.parent
    return {
        "lock": parent / LOCK_NAME.format(name=name),
        "tmp": parent / TMP_NAME.format(name=name, pid=os.getpid()),
        "prev": parent / PREV_NAME.format(name=name),
        "old": parent / OLD_NAME.format(name=name, pid=os.getpid()),
    }


def published_name(build_dir: Path | str) -> str:
    """The name a build folder is published under: "site" for "site.tmp-4242".

    For messages from checks that run inside the temporary folder (sitecheck's
    display_root), so that they name the place the maintainer knows.
    """
    name = Path(build_dir).name
    return name.split(".tmp-")[0] if ".tmp-" in name else name


class BuildLock:
    """An exclusive lock on publishing into one site_dir, held for a `with` block.

    `flock` belongs to the open file, so the kernel drops it when the holder exits in
    any way — a crashed build never leaves a lock that must be deleted by hand. The
    file records who holds it, for the message the next build shows.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = Path(site_dir)
        self.path = paths(site_dir)["lock"]
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _write_error(exc, self.site_dir) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
            os.close(fd)
            pid, since = (holder + ["?", "?"])[:2]
            raise PublishError("PUB001", self.site_dir, pid=pid, since=since.replace("T", " ")) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {dt.datetime.now().isoformat(timespec='seconds')}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def build_atomically(
    site_dir: Path,
    build: Callable[[Path], None],
    check: Callable[[Path], Report] | None = None,
    *,
    required: tuple[str, ...] = REQUIRED,
    withheld: Iterable["Withheld"] = (),
) -> Path:
    """Build into a fresh folder, check it, and swap it in as `site_dir`.

    `build(into)` writes the whole site into `into` (an empty folder beside site_dir,
    so the final rename never crosses file systems). `check(into)`, if given, returns
    a Report whose errors stop the publish. Returns `site_dir`.

    Raises PublishError (site_dir untouched) when the lock is held, the build is
    incomplete, the check finds errors, or writing fails (disk full: PUB003). Any other
    exception from `build` (MkDocs' Abort, KeyboardInterrupt) is re-raised unchanged
    after the temporary folder is removed.

    The site being replaced becomes site.prev only if it shows nobody the new build leaves
    out: a profile page (people/<slug>/) it has and the new build has not, or any trace of
    the `withheld` people (people.Roll.avoided(), when the caller knows them). Otherwise it
    is deleted, with a log line that says so, so `rollback` cannot republish a withdrawal.
    """
    site_dir = Path(site_dir)
    where = paths(site_dir)
    tmp = where["tmp"]
    with BuildLock(site_dir):
        _remove_leftovers(site_dir)
        try:
            try:
                tmp.mkdir(parents=True)
                build(tmp)
            except OSError as exc:
                raise _write_error(exc, site_dir) from exc
            missing = [name for name in required if not (tmp / name).is_file()]
            if missing:
                raise PublishError("PUB002", site_dir, missing="、".join(missing))
            if check is not None:
                report = check(tmp)
                if report.errors:
                    error = PublishError("PUB005", site_dir, count=len(report.errors))
                    error.report = report
                    raise error
            gone = stale_people(site_dir, tmp, withheld)
            _swap_in(tmp, site_dir)
            if gone:
                _drop_prev(site_dir, gone)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return site_dir


def _write_error(exc: OSError, site_dir: Path) -> PublishError:
    detail = f"{exc.strerror or exc}" + (f"：{exc.filename}" if exc.filename else "")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return PublishError("PUB003", site_dir, detail=detail)
    return PublishError("PUB004", site_dir, detail=detail)


def _remove_leftovers(site_dir: Path) -> None:
    """Folders left by builds that were killed outright (we hold the lock: none is live)."""
    prefix_tmp, prefix_old = f"{site_dir.name}.tmp-", f"{site_dir.name}.old-"
    if not site_dir.parent.is_dir():
        return
    for entry in site_dir.parent.iterdir():
        if entry.name.startswith((prefix_tmp, prefix_old)) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM during the swap: it is a few renames, all or nothing."""
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _swap_in(new: Path, site_dir: Path) -> None:
    where = paths(site_dir)
    prev, old = where["prev"], where["old"]
    with _signals_held():
        if not site_dir.exists():
            os.rename(new, site_dir)
            return
        if prev.exists():
            os.rename(prev, old)  # dropped after the swap, outside the critical part
        try:
            if _exchange(new, site_dir):
                try:
                    os.rename(new, prev)  # `new` now holds the site that was live
                except OSError:
                    pass  # the new site is live; the old one goes with the temporary folder
            else:
                _two_renames(new, site_dir, prev)
        except OSError as exc:
            if old.exists() and not prev.exists():
                os.rename(old, prev)
            raise PublishError("PUB007", site_dir, detail=exc.strerror or str(exc)) from exc
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = None


def _two_renames(new: Path, site_dir: Path, hold: Path) -> None:
    """`new` into place where the two cannot be exchanged at once: the live site moves to
    `hold` first, and back if `new` cannot follow (raising the OSError)."""
    os.rename(site_dir, hold)
    try:
        os.rename(new, site_dir)
    except OSError:
        os.rename(hold, site_dir)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2). False if not available."""
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        _libc = ctypes.CDLL(name, use_errno=True) if name else False
    if not _libc or not hasattr(_libc, "renameat2"):
        return False
    result = _libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # a file system (or kernel) that cannot exchange: use two renames
    raise OSError(err, os.strerror(err), str(b))


def rollback(site_dir: Path, withheld: Iterable["Withheld"] = ()) -> Path:
    """Put site.prev back as site_dir; the site it replaces becomes site.prev.

    Rolling back twice therefore returns to where you started. Takes the build lock,
    so it never swaps under a running build. Raises PublishError (PUB006) if there is
    no previous site, and PUB009 if site.prev shows any of the `withheld` people
    (`withheld_now(docs_dir)`: who site_src/ withholds today) — a rollback must never
    put back online someone who has withdrawn.
    """
    site_dir = Path(site_dir)
    prev = paths(site_dir)["prev"]
    with BuildLock(site_dir):
        if not prev.is_dir():
            raise PublishError("PUB006", site_dir, prev=prev)
        found = people_in(prev, withheld)
        if found:
            raise PublishError("PUB009", site_dir, prev=prev, who="；".join(found))
        try:
            with _signals_held():
                if not site_dir.exists():
                    os.rename(prev, site_dir)
                elif not _exchange(prev, site_dir):
                    hold = paths(site_dir)["old"]
                    _two_renames(prev, site_dir, hold)
                    os.rename(hold, prev)
        except OSError as exc:
            raise PublishError("PUB008", site_dir, detail=exc.strerror or str(exc)) from exc
    return site_dir


# ---------------------------------------------------------------- withheld people and site.prev



def _drop_prev(site_dir: Path, gone: list[str]) -> None:
    """Delete site.prev: it shows people the site no longer publishes. Renamed first, so a
    half-deleted copy can never be rolled back to."""
    where = paths(site_dir)
    prev, old = where["prev"], where["old"]
    if not prev.exists():
        return
    try:
        os.rename(prev, old)
    except OSError as exc:
        log.warning(f"上一版本 {prev} 中有本次不再发布的人物（{'、'.join(gone)}），但无法删除它"
                    f"（{exc.strerror or exc}）。请手动删除 {prev}，不要用 bulletin rollback 恢复它。")
        return
    shutil.rmtree(old, ignore_errors=True)
    log.info(f"上一版本网站中有本次不再发布的人物（{'、'.join(gone)}），为免 bulletin rollback 把他们重新放到网上，"
             f"已删除上一版本 {prev}。")
