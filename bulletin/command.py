"""MkDocs' command line, run in a child process: `bulletin build`, `posters` and `serve` use it.

MkDocs is a command-line tool with no Python API for building or serving (`mkdocs.commands`
is internal), so the CLI runs `python -m mkdocs build|serve …` — or `python -m properdocs`,
ProperDocs' same command, where ProperDocs is installed and MkDocs is not.

The child's output is the user's log: each line is passed on as it comes (the level
coloured on a terminal, as the CLI's own lines are), except MkDocs' English closing line
("Aborted with a BuildError!" and the blank line before it), which the CLI replaces with
its own Chinese one. A traceback is held until the child ends: one of an OSError with an
errno (a full disk) is raised here as that OSError, so the publish reports it in Chinese as
it reports its own; any other is passed on.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
from typing import Mapping, Sequence, TextIO

COLORS = {"CRITICAL": "31", "ERROR": "31", "WARNING": "33", "DEBUG": "34"}  # ANSI, by log level

ABORT_RE = re.compile(r"Aborted with .+!")
LEVEL_RE = re.compile(r"(CRITICAL|ERROR|WARNING|INFO|DEBUG) *-  ")  # a log line: `WARNING -  message`
TRACEBACK = "Traceback (most recent call last):"
OS_ERROR_RE = re.compile(r"(?:[\w.]+\.)?(?:OSError|IOError|\w+Error): \[Errno (\d+)\] (.+?)(?:: '(.*)')?")
INTERRUPT_GRACE = 2.0  # seconds the child has to stop on the terminal's own Ctrl-C
INTERRUPT_LIMIT = 10.0  # and then after ours, before it is killed


class Failed(Exception):
    """The child ended with a non-zero status; its log has said why."""

    def __init__(self, status: int) -> None:
        super().__init__(f"exit status {status}")
        self.status = status


def program() -> str:
    """"mkdocs", or "properdocs" where MkDocs is not installed but ProperDocs is.

    Asked of the import system without importing either; an `mkdocs` that ProperDocs
    stands in for (after `properdocs.replacement`) does not count as MkDocs."""
    spec = importlib.util.find_spec("mkdocs")
    if spec is not None and spec.name == "mkdocs":
        return "mkdocs"
    return "properdocs" if importlib.util.find_spec("properdocs") is not None else "mkdocs"


def command(name: str, options: Sequence[str]) -> list[str]:
    """The child's command line: `python -m mkdocs <name> <options>`."""
    return [sys.executable, "-m", program(), name, *options]


class Log:
    """The child's output, passed on to `out` line by line."""

    def __init__(self, out: TextIO, color: bool) -> None:
        self.out = out
        self.color = color
        self.blank = False  # a blank line held back: MkDocs prints one before its abort line
        self.traceback: list[str] | None = None

    def line(self, text: str) -> None:
        if self.traceback is not None:
            if not LEVEL_RE.match(text):
                self.traceback.append(text)
                return
            self._flush()  # the build went on after it (a worker's): not how the child ended
        bare = text.rstrip("\r\n")
        if not bare:
            if self.blank:
                self._write("\n")
            self.blank = True
            return
        if ABORT_RE.fullmatch(bare):
            self.blank = False
            return
        if self.blank:
            self._write("\n")
            self.blank = False
        if bare == TRACEBACK:
            self.traceback = [text]
            return
        self._write(self._paint(text))

    def end(self, failed: bool) -> OSError | None:
        """The child has ended: the OSError it `failed` of, if a held traceback says so,
        else the traceback is passed on."""
        last = next((line.strip() for line in reversed(self.traceback or []) if line.strip()), "")
        found = OS_ERROR_RE.fullmatch(last) if failed else None
        if found:
            self.traceback = None
            return OSError(int(found[1]), found[2], *([found[3]] if found[3] else []))
        self._flush()
        return None

    def _flush(self) -> None:
        held, self.traceback = self.traceback or [], None
        for text in held:
            self._write(text)

    def _paint(self, text: str) -> str:
        level = LEVEL_RE.match(text)
        if not (self.color and level and level[1] in COLORS):
            return text
        return f"\033[{COLORS[level[1]]}m{level[0]}\033[0m{text[level.end():]}"

    def _write(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()


def run(name: str, options: Sequence[str], *, env: Mapping[str, str] | None = None,
        serve: bool = False) -> None:
    """Run MkDocs' `name` command (build, serve) to its end, its log passed on to stderr.

    Raises Failed when it fails, OSError when it died of one. After Ctrl-C (see Interrupts)
    a build's child is let finish stopping, unheard, and KeyboardInterrupt is raised; a
    preview's goes on being heard and the call returns, as `mkdocs serve` does.
    """
    child_env = dict(os.environ if env is None else env, PYTHONUNBUFFERED="1")
    log = Log(sys.stderr, color=sys.stderr.isatty())
    with Interrupts() as interrupts:
        interrupts.proc = proc = subprocess.Popen(
            command(name, options), env=child_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
        with proc.stdout:
            for text in proc.stdout:
                if serve or not interrupts.pressed:
                    log.line(text)
        status = proc.wait()
    if interrupts.pressed:
        if serve:
            log.end(failed=False)
            return
        raise KeyboardInterrupt
    error = log.end(failed=status != 0)
    if status:
        raise error if error is not None else Failed(status)


class Interrupts:
    """Ctrl-C and SIGTERM while the child runs, for as long as a `with` block.

    Ctrl-C at a terminal reaches the child too, which stops by itself; the CLI keeps reading
    its output to the end instead of breaking off. A SIGINT sent to this process alone is
    passed on after INTERRUPT_GRACE; a child still running INTERRUPT_LIMIT later, or at a
    second Ctrl-C, is killed. SIGTERM kills the child and exits (status 143), so the caller
    removes what the build had written so far.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None  # set once started
        self.pressed = 0
        self.saved: dict[int, object] = {}
        self.timers: list[threading.Timer] = []

    def __enter__(self) -> "Interrupts":
        if threading.current_thread() is threading.main_thread():
            for signum, handler in ((signal.SIGINT, self._interrupt), (signal.SIGTERM, self._terminate)):
                if signal.getsignal(signum) is not signal.SIG_IGN:  # ignored (a background job): stays so
                    self.saved[signum] = signal.signal(signum, handler)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.saved.items():
            signal.signal(signum, handler)
        for timer in self.timers:
            timer.cancel()

    def _interrupt(self, signum, frame) -> None:
        self.pressed += 1
        if self.pressed > 1:
            self._send(signal.SIGKILL)
        else:
            self._later(INTERRUPT_GRACE, lambda: (self._send(signal.SIGINT),
                                                  self._later(INTERRUPT_LIMIT, lambda: self._send(signal.SIGKILL))))

    def _terminate(self, signum, frame) -> None:
        self._send(signal.SIGKILL)
        raise SystemExit(128 + signum)

    def _later(self, seconds: float, action) -> None:
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        self.timers.append(timer)
        timer.start()

    def _send(self, signum: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.send_signal(signum)
            except ProcessLookupError:
                pass
