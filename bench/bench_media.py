"""The photo pipeline against sigal on the same folder of phone-size JPEGs, in one run.

    python bench/bench_media.py [--photos 200] [--workers N] [--repeat 2]

Generates (once, kept in .cache/bench-media/) a folder of distinct 4000×3000 JPEGs that
look and weigh like phone photos — a drawn scene, sensor-like grain, EXIF with an
orientation tag — then builds it cold with our pipeline and with sigal at the same sizes
(a 1600×1200 web image and a 400-px thumbnail, JPEG), each in its own process tree, and
measures photos per second, CPU time (robust on a shared machine) and peak memory (the sum
of the resident memory of the build process and all its workers, sampled every 20 ms).
The two cold builds are interleaved and repeated, best of each kept. Also measured: our full
album set (three sizes, WebP and JPEG, placeholder) and a rebuild with nothing changed.

Rows are printed as `| name | value | peer | ratio |` for bench/run.py's table.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PY = sys.executable
SIZE = (4000, 3000)


# The photos -------------------------------------------------------------------------------


def make_photo(args: tuple[Path, int]) -> int:
    """One phone-like JPEG: a drawn scene upscaled, with sensor-like grain, ~3 MB."""
    from PIL import Image

    import make_sample_media as sample

    path, seed = args
    rng = random.Random(seed)
    scene = rng.choice([sample.volunteer_square, sample.cleanup_park, sample.evening_gala])
    small = scene(rng, (1000, 750)).resize(SIZE, Image.Resampling.BICUBIC)
    grain = Image.merge("RGB", [Image.effect_noise(SIZE, 40 + 10 * band) for band in range(3)])
    photo = Image.blend(small, grain, 0.18)
    orientation = rng.choice([1, 1, 1, 6, 8, 3])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Xiaomi", "Redmi Note 12", orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 27.6), 3: "E", 4: (116.0, 23.0, 50.4)})
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def photo_folder(count: int, workers: int) -> Path:
    folder = ROOT / ".cache" / "bench-media" / f"photos-{count}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    album = folder / "album"
    album.mkdir(parents=True)
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        sizes = list(pool.map(make_photo, [(album / f"IMG_{i:04d}.jpg", i) for i in range(count)]))
    done.write_text("", encoding="utf-8")
    print(f"(generated {count} photos, {sum(sizes) / 2**20:.0f} MiB, in {time.perf_counter() - started:.0f} s)",
          file=sys.stderr)
    return folder


# Measuring a process tree -------------------------------------------------------------------


def measure(command: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one command and all the processes it starts.

    CPU time comes from getrusage(RUSAGE_CHILDREN), which counts every waited-for
    descendant (pool workers included); it is what the build cost on a machine that other
    jobs share, where wall time is noisy.
    """
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            try:
                members = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for member in members:
                try:
                    total += member.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            peak = max(peak, total)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-2000:]}")
    return seconds, cpu, peak / 2**20


OURS = """
import sys
from pathlib import Path
from bulletin import media
from bulletin.report import Report

src, cache, out, mode, workers = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], int(sys.argv[5])
if mode == "same":
    settings = media.Settings(widths=(400, 1600), long_side=True, formats=("jpeg",), jpeg_quality=85)
else:
    from bulletin.albums import ALBUM_SETTINGS as settings
jobs = [media.Job(p, p.name, settings) for p in sorted(src.glob("*.jpg"))]
report = Report()
made = media.build(jobs, cache, report, out_dir=out, workers=workers, progress=None)
if report.problems or len(made.results) != len(jobs):
    sys.exit(report.render())
"""

SIGAL_CONFIG = """
img_size = (1600, 1200)
thumb_size = (400, 300)
jpg_options = {"quality": 85, "optimize": True, "progressive": True}
write_html = False
keep_orig = False
"""


def ours(src: Path, cache: Path, out: Path, mode: str, workers: int) -> tuple[float, float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return measure([PY, "-c", OURS, str(src), str(cache), str(out), mode, str(workers)], env)


def sigal(src: Path, out: Path, config: Path, workers: int) -> tuple[float, float, float]:
    return measure([PY, "-m", "sigal", "build", "-q", "-c", str(config), "-n", str(workers), str(src), str(out)])


def best(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Fastest wall time, least CPU and largest peak of repeated runs (other jobs only slow us down)."""
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def row(name: str, value: str, peer: str, ratio: str) -> None:
    print(f"| {name} | {value} | {peer} | {ratio} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    try:
        import sigal as _  # noqa: F401
    except ImportError:
        raise SystemExit("sigal is not installed: pip install -e '.[bench]'") from None
    photos = photo_folder(args.photos, args.workers)
    n = args.photos
    with tempfile.TemporaryDirectory(prefix="bench-media-") as tmp:
        work = Path(tmp)
        config = work / "sigal.conf.py"
        config.write_text(textwrap.dedent(SIGAL_CONFIG), encoding="utf-8")
        peer_runs, same_runs = [], []
        for attempt in range(args.repeat):  # interleaved, so a busy spell hits both
            peer_runs.append(sigal(photos, work / f"sigal-{attempt}", config, args.workers))
            same_runs.append(ours(photos / "album", work / f"cache-same-{attempt}", work / f"out-same-{attempt}",
                                  "same", args.workers))
        peer_again = sigal(photos, work / "sigal-0", config, args.workers)
        full = ours(photos / "album", work / "cache-full", work / "out-full", "full", args.workers)
        again = ours(photos / "album", work / "cache-full", work / "out-full", "full", args.workers)
    (peer_s, peer_cpu, peer_mem), (same_s, same_cpu, same_mem) = best(peer_runs), best(same_runs)
    full_s, full_cpu, full_mem = full

    label = f"{n} × 4000×3000 JPEG, {args.workers} workers"
    row(f"photos/s, same sizes as sigal ({label})", f"{n / same_s:.2f}/s", f"{n / peer_s:.2f}/s",
        f"{peer_s / same_s:.2f}×")
    row("CPU time per photo, same sizes", f"{same_cpu / n * 1000:.0f} ms", f"{peer_cpu / n * 1000:.0f} ms",
        f"{same_cpu / peer_cpu:.2f}×")
    row("peak memory, same sizes (all processes)", f"{same_mem:.0f} MiB", f"{peer_mem:.0f} MiB",
        f"{same_mem / peer_mem:.2f}×")
    row("photos/s, full set (400/800/1600 × WebP+JPEG + placeholder)", f"{n / full_s:.2f}/s",
        f"{n / peer_s:.2f}/s", f"{peer_s / full_s:.2f}×")
    row("CPU time per photo, full set", f"{full_cpu / n * 1000:.0f} ms", f"{peer_cpu / n * 1000:.0f} ms",
        f"{full_cpu / peer_cpu:.2f}×")
    row("peak memory, full set", f"{full_mem:.0f} MiB", f"{peer_mem:.0f} MiB", f"{full_mem / peer_mem:.2f}×")
    row("no-change rebuild (vs our cold build)", f"{again[0]:.2f} s", f"{full_s:.2f} s",
        f"{again[0] / full_s * 100:.1f}%")
    row("no-change rebuild (vs sigal's)", f"{again[0]:.2f} s", f"{peer_again[0]:.2f} s",
        f"{again[0] / peer_again[0]:.2f}×")


if __name__ == "__main__":
    main()
