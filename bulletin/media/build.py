"""Make the derivatives of many photos: reuse the cache, process the rest in parallel."""

from __future__ import annotations

import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from ..report import Report
from . import pool
from .cache import SourceHashes, entry_dir, read_entry
from .model import FORMATS, Derivatives, Job, Rendition, cache_key
from .process import process as process_photo

DEFAULT_TIMEOUT = 60.0  # seconds per photo; a 48-megapixel HEIC takes a few on a slow box
DEFAULT_MEMORY = 3 * 2**30  # address space per worker; decoders and their threads reserve a lot
PROGRESS_FROM = 20  # photos to process before a progress line is worth showing


@dataclass
class MediaBuild:
    """What `build` made.

    results: the derivatives of each job that worked. failed: job → problem code for the
    rest (each also reported). published: site-relative URL → file in the cache, every
    file the site must contain. decoded: photos actually decoded in this build (0 when
    nothing changed); reused: jobs served from the cache.
    """

    results: dict[Job, Derivatives] = field(default_factory=dict)
    failed: dict[Job, str] = field(default_factory=dict)
    published: dict[str, Path] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    decoded: int = 0
    reused: int = 0
    hashed: int = 0


def build(jobs: Iterable[Job], cache_dir: Path, report: Report, *, out_dir: Path | None = None,
          workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
          memory_limit: int | None = DEFAULT_MEMORY, progress: TextIO | None = sys.stderr,
          process: Callable[[dict], dict] | None = None) -> MediaBuild:
    """Make (or reuse) the derivatives of `jobs`; report every photo that cannot be used.

    cache_dir: where derivatives are kept between builds (e.g. <project>/.cache/media).
    out_dir: if given, the published files are copied there (site_dir); otherwise hand
        `MediaBuild.published` to MkDocs as generated files.
    workers: processes to use; None = all cores; 0 = decode in this process, without the
        time and memory limits (for tests and debugging only).
    process: the per-photo function run in workers (a module-level function); tests swap
        it to simulate a decoder that hangs or crashes.
    """
    cache_dir = Path(cache_dir)
    process = process or process_photo
    if workers is None:
        workers = pool.default_workers()
    outcome = MediaBuild()
    hashes = SourceHashes(cache_dir)
    groups: dict[str, list[Job]] = {}
    digests: dict[str, str] = {}
    unique = list(dict.fromkeys(jobs))
    # hashlib releases the GIL on large buffers: a cold build hashes originals on all cores.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as threads:
        hashed = list(threads.map(_hash_or_error, [hashes] * len(unique), unique))
    for job, result in zip(unique, hashed):
        if isinstance(result, OSError):
            report.add("MEDIA009", job.display, detail=result.strerror or str(result))
            outcome.failed[job] = "MEDIA009"
            continue
        digest, size = result
        if size == 0:
            report.add("MEDIA001", job.display)
            outcome.failed[job] = "MEDIA001"
            continue
        key = cache_key(digest, job.settings)
        groups.setdefault(key, []).append(job)
        digests[key] = digest
        outcome.keys.add(key)
    outcome.hashed = hashes.hashed

    manifests: dict[str, dict] = {}
    tasks = []
    for key, group in groups.items():
        manifest = read_entry(entry_dir(cache_dir, key))
        if manifest is not None:
            manifests[key] = manifest
            outcome.reused += len(group)
        else:
            job = group[0]
            tasks.append({"key": key, "src": str(job.src), "sha256": digests[key],
                          "entry": str(entry_dir(cache_dir, key)), "settings": asdict(job.settings)})

    meter = _Progress(progress, len(tasks)) if progress is not None and len(tasks) > PROGRESS_FROM else None
    if workers == 0:
        finished = ((task, process(task)) for task in tasks)
    else:
        finished = pool.run(tasks, process, workers, timeout, memory_limit)
    for task, result in finished:
        outcome.decoded += 1
        if meter:
            meter.step()
        if result.get("status") == "ok":
            manifest = read_entry(Path(task["entry"]))
            result = manifest or {"status": "failed", "code": "MEDIA007",
                                  "fields": {"detail": "生成的文件没有写入缓存"}}
        manifests[task["key"]] = result
    if meter:
        meter.done()

    for key, group in groups.items():
        manifest = manifests[key]
        for job in group:
            if manifest.get("status") != "ok":
                report.add(manifest["code"], job.display, **manifest["fields"])
                outcome.failed[job] = manifest["code"]
                continue
            derivatives = _derivatives(key, job, manifest, entry_dir(cache_dir, key))
            outcome.results[job] = derivatives
            for rendition in derivatives.renditions:
                outcome.published[rendition.url] = rendition.path
    hashes.save()
    if out_dir is not None:
        publish(outcome.published, Path(out_dir))
    return outcome


def _hash_or_error(hashes: SourceHashes, job: Job) -> tuple[str, int] | OSError:
    try:
        return hashes.sha256(job.src)
    except OSError as exc:
        return exc


def _derivatives(key: str, job: Job, manifest: dict, entry: Path) -> Derivatives:
    folder = f"media/{key[:12]}"
    renditions = tuple(
        Rendition(url=f"{folder}/{job.public_name}-{item['width']}.{FORMATS[item['format']][1]}",
                  width=item["width"], height=item["height"], format=item["format"],
                  size=item["size"], path=entry / item["name"])
        for item in manifest["files"]
    )
    return Derivatives(key=key, width=manifest["width"], height=manifest["height"], renditions=renditions,
                       placeholder=manifest.get("placeholder", ""), colour=manifest.get("colour", "#cccccc"))


def publish(published: dict[str, Path], out_dir: Path) -> None:
    """Copy each cached file to out_dir/url, skipping files already there with the same size."""
    for url, source in published.items():
        target = out_dir / url
        if target.exists() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


class _Progress:
    """One line on stderr: rewritten in place on a terminal, every tenth otherwise."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream, self.total, self.count = stream, total, 0
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = -1

    def step(self) -> None:
        self.count += 1
        percent = self.count * 100 // self.total
        if self.tty:
            self.stream.write(f"\r处理相册照片：{self.count}/{self.total}（{percent}%）")
            self.stream.flush()
        elif percent // 10 != self.last:
            self.last = percent // 10
            self.stream.write(f"处理相册照片：{self.count}/{self.total}（{percent}%）\n")
            self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
