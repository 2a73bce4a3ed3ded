"""Entry point of a pipeline worker: `python -m bulletin.media.worker <read fd> <write fd>`.

The parent (pool.py) first sends {"process": function, "memory_limit": bytes}, then one
task at a time, then None. Each task's result goes back on the write pipe. The address
space is limited so that a decoder asked for gigabytes fails with MemoryError here
instead of taking the machine's memory.
"""

from __future__ import annotations

import signal
import sys
from multiprocessing.connection import Connection


def limit_memory(limit: int | None) -> None:
    if not limit:
        return
    try:
        import resource
    except ImportError:  # not POSIX: no address-space limit to set
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def serve(incoming: Connection, outgoing: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        setup = incoming.recv()
    except EOFError:
        return
    process = setup["process"]
    memory_limit = setup.get("memory_limit")
    limit_memory(memory_limit)
    while True:
        try:
            task = incoming.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            result = process(task)
        except MemoryError:
            result = {"status": "failed", "code": "MEDIA008", "cacheable": False,
                      "fields": {"limit": f"{memory_limit / 2**30:.1f} GiB" if memory_limit else "本机可用内存"}}
        except Exception as exc:  # noqa: BLE001 - a process boundary: a decoder fault costs one photo
            result = {"status": "failed", "code": "MEDIA007", "cacheable": False,
                      "fields": {"detail": f"{type(exc).__name__}: {exc}"[:200]}}
        outgoing.send(result)


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
