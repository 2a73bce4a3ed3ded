"""Worker processes with a time limit per task and a memory limit per process.

concurrent.futures cannot stop one task that hangs inside a C decoder (the GIL is never
handed to a Python signal handler), and a worker that dies breaks the whole executor.
This small pool keeps one pair of pipes per worker: a task past its deadline gets its
worker killed and replaced, a worker that dies (segfault, out of memory) is replaced, and
in both cases only that task fails.

Workers are fresh interpreters (`python -m bulletin.media.worker`), not forks or
multiprocessing spawns: forking a process that runs a live-reload server and its threads
is unsafe, and multiprocessing's spawn re-imports the parent's main script, which fails
when there is none (python -c, stdin, embedded use).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait

Task = dict
Result = dict


class _Worker:
    def __init__(self, process: Callable[[Task], Result], memory_limit: int | None) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bulletin.media.worker", str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL, close_fds=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.send_conn = Connection(to_child_w, readable=False)
        self.recv_conn = Connection(from_child_r, writable=False)
        try:
            self.send_conn.send({"process": process, "memory_limit": memory_limit})
        except OSError:
            pass  # died at start: the first task finds its pipe closed and reports it
        self.task: Task | None = None
        self.deadline = 0.0

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.send_conn.send(None)
            except OSError:
                kill = True
        if kill:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.send_conn.close()
        self.recv_conn.close()

    def death(self) -> str:
        code = self.proc.wait(timeout=5)
        if code < 0:
            try:
                return f"进程被信号 {signal.Signals(-code).name} 终止"
            except ValueError:
                return f"进程被信号 {-code} 终止"
        return f"进程异常退出，退出码 {code}"


def run(tasks: Iterable[Task], process: Callable[[Task], Result], workers: int,
        timeout: float, memory_limit: int | None) -> Iterator[tuple[Task, Result]]:
    """Run `process` on each task in `workers` processes; yield (task, result) as they finish.

    `process` must be a module-level function importable from sys.path (it is sent to the
    workers by name). A task that runs longer than `timeout` seconds yields a MEDIA006
    failure, a worker that dies a MEDIA007 failure; the others go on.
    """
    queue = deque(tasks)
    if not queue:
        return
    pool: list[_Worker | None] = [_Worker(process, memory_limit) for _ in range(max(1, min(workers, len(queue))))]
    try:
        while queue or any(w is not None and w.task is not None for w in pool):
            now = time.monotonic()
            for worker in pool:
                if worker is not None and worker.task is None and queue:
                    worker.task = queue.popleft()
                    worker.deadline = now + timeout
                    try:
                        worker.send_conn.send(worker.task)
                    except OSError:
                        pass  # the worker died; its result pipe reports end-of-file below
            busy = [w for w in pool if w is not None and w.task is not None]
            left = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.recv_conn for w in busy], timeout=left))
            for index, worker in enumerate(pool):
                if worker is None or worker.task is None:
                    continue
                task = worker.task
                if worker.recv_conn in ready:
                    try:
                        result = worker.recv_conn.recv()
                    except (EOFError, OSError):
                        result = {"status": "failed", "code": "MEDIA007", "cacheable": False,
                                  "fields": {"detail": worker.death()}}
                        pool[index] = _replace(worker, queue, process, memory_limit)
                    else:
                        worker.task = None
                    yield task, result
                elif time.monotonic() >= worker.deadline:
                    pool[index] = _replace(worker, queue, process, memory_limit)
                    yield task, {"status": "failed", "code": "MEDIA006", "cacheable": False,
                                 "fields": {"seconds": f"{timeout:g}"}}
    finally:
        for worker in pool:
            if worker is not None:
                worker.stop(kill=worker.task is not None)


def _replace(worker: _Worker, queue: deque, process, memory_limit) -> _Worker | None:
    """Kill a worker that hung or died; start another only if there is work left."""
    worker.task = None
    worker.stop(kill=True)
    return _Worker(process, memory_limit) if queue else None


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
