"""`make bench`: build times and sizes against a peer measured in the same run.

Every row compares our work with the same work done by a peer (a plain Material build of
the same Markdown, sigal for photos, …) in this run, because this machine is shared and
noisy: ratios mean something, absolute seconds less so. Each build runs in its own process
so that its peak memory (max RSS) is its own.

Usage: python bench/run.py [--plans 1000] [--only NAME] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ROWS: list[tuple[str, str, str, str]] = []
INSTRUCTIONS = False


def run_build(config: Path, site: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one `mkdocs build` in a child process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {config} failed:\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def best_of(n: int, config: Path, site: Path) -> tuple[float, float]:
    results = [run_build(config, site) for _ in range(n)]
    return min(r[0] for r in results), max(r[1] for r in results)


def plain_material_config(docs: Path, where: Path) -> Path:
    """The peer: Material with the same Markdown and extensions, no bulletin plugin."""
    config = where / "plain.yml"
    config.write_text(textwrap.dedent(f"""
        site_name: plain
        docs_dir: {docs}
        theme: {{name: material, language: zh, font: false}}
        markdown_extensions: [toc, attr_list, md_in_html, admonition, tables, pymdownx.details, pymdownx.superfences]
        plugins: [search, tags]
    """))
    return config


def our_config(docs: Path, where: Path, name: str, cache: Path, **options: str) -> Path:
    """The sample site's mkdocs.yml pointed at another docs_dir and cache, with plugin options.

    options: YAML values for the bulletin plugin, e.g. variants="[{code: zh-Hans}]".
    """
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_src", f"docs_dir: {docs}")
    text = text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    settings = {"cache_dir": str(cache), **options}
    plugin = "  - bulletin:\n" + "".join(f"      {k}: {v}\n" for k, v in settings.items())
    assert "  - bulletin\n" in text
    text = text.replace("  - bulletin\n", plugin)
    config = where / f"ours-{name}.yml"
    config.write_text(text, encoding="utf-8")
    return config


def markdown_only(src: Path, dest: Path) -> None:
    """Copy the Markdown of site_src/ (the peer gets the same pages, without our files)."""
    for path in src.rglob("*.md"):
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        target.write_text(re.sub(r"^template: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")


def replicate_plans(src: Path, dest: Path, count: int) -> None:
    """A corpus of `count` plans made by replicating the seed plans under new slugs."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("plans"))
    plans = sorted((src / "plans").glob("plan-*.md"))
    (dest / "plans").mkdir()
    for i in range(count):
        original = plans[i % len(plans)]
        text = original.read_text(encoding="utf-8")
        copy = i // len(plans)
        text = _retarget(text, copy)
        (dest / "plans" / f"{original.stem}-c{copy:03d}.md").write_text(text, encoding="utf-8")


def _retarget(text: str, copy: int) -> str:
    """Point a copy's variant_of at the same copy of its original."""
    return re.sub(r"(variant_of:\s*\{plan:\s*)(plan-\d+)", lambda m: f"{m[1]}{m[2]}-c{copy:03d}", text)


def row(name: str, value: str, peer: str, ratio: str) -> None:
    ROWS.append((name, value, peer, ratio))
    print(f"| {name} | {value} | {peer} | {ratio} |", flush=True)


def bench_site(label: str, docs: Path, work: Path, repeat: int) -> None:
    """Cold (empty cache: every photo and the search index made anew) and warm (an editor's
    rebuild) builds against plain Material; the cost of the Traditional variant."""
    plain_docs = work / f"{label}-plain-docs"
    markdown_only(docs, plain_docs)
    site = work / f"{label}-site"
    peer_s, peer_mem = best_of(repeat, plain_material_config(plain_docs, work), work / f"{label}-plain-site")
    cold = [run_build(our_config(docs, work, "cold", work / f"cache-{label}-{i}"), site) for i in range(repeat)]
    cold_s, cold_mem = min(c[0] for c in cold), max(c[1] for c in cold)
    warm_s, warm_mem = best_of(repeat, our_config(docs, work, "warm", work / f"cache-{label}-0"), site)
    row(f"build {label}, cold cache: bulletin vs plain Material", f"{cold_s:.2f} s", f"{peer_s:.2f} s",
        f"{cold_s / peer_s:.2f}×")
    row(f"build {label}, warm cache: bulletin vs plain Material", f"{warm_s:.2f} s", f"{peer_s:.2f} s",
        f"{warm_s / peer_s:.2f}×")
    row(f"peak memory {label}, cold", f"{cold_mem:.0f} MiB", f"{peer_mem:.0f} MiB", f"{cold_mem / peer_mem:.2f}×")
    bench_variant(label, docs, work, pairs=9 if docs == ROOT / "site_src" else 5)
    sample = sorted(p for p in (site / "plans").glob("plan-*/index.html"))[0]
    peer_page = work / f"{label}-plain-site" / "plans" / sample.parent.name / "index.html"
    size, peer_size = sample.stat().st_size, peer_page.stat().st_size
    row(f"plan page {label} ({sample.parent.name})", f"{size / 1024:.1f} KiB", f"{peer_size / 1024:.1f} KiB",
        f"{size / peer_size:.2f}×")


def cpu_seconds(config: Path, site: Path) -> float:
    """User + system CPU time of one `mkdocs build` in a child process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {config} failed:\n{proc.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime


def instructions(config: Path, site: Path) -> int:
    """Instructions executed by one build under valgrind (cachegrind): a count that does not
    depend on what else the machine is doing. About 10× slower than the build itself."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    out = site.parent / f"{site.name}.cachegrind"
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
                           PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                          env=env, capture_output=True, text=True, check=False)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or match is None:
        raise SystemExit(f"valgrind run of {config} failed:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def bench_variant(label: str, docs: Path, work: Path, pairs: int) -> None:
    """What the Traditional variant adds to a build: 简+繁 against 简 only, same site, same
    warm cache, search off in both (search has rows of its own in bench_search).

    CPU time, not wall time, in interleaved pairs: this machine's speed drifts by ±15%
    from one build to the next, so the row gives the median of the pairs' ratios and
    their range. CPU time includes the kernel's work of creating the variant's thousand
    files, which on this virtual machine swings with the memory state of the whole
    machine (the same 1,035 files took 0.15 s, or 1.4 s after a process touched 500 MB).
    With --instructions, also the instruction counts under valgrind: user space only,
    the same from run to run.
    """
    cache = work / f"cache-{label}-0"
    two_config = our_config(docs, work, "two", cache, search="{enabled: false}")
    one_config = our_config(docs, work, "one", cache, search="{enabled: false}", variants="[{code: zh-Hans}]")
    cpu_seconds(two_config, work / f"{label}-two")  # fills the cache (QR codes of both variants)
    ratios, twos, ones = [], [], []
    for i in range(pairs):
        first, second = (two_config, one_config) if i % 2 == 0 else (one_config, two_config)
        times = {first: cpu_seconds(first, work / f"{label}-{first.stem}"),
                 second: cpu_seconds(second, work / f"{label}-{second.stem}")}
        twos.append(times[two_config])
        ones.append(times[one_config])
        ratios.append(times[two_config] / times[one_config])
    spread = f"pairs {min(ratios) * 100 - 100:+.0f}% … {max(ratios) * 100 - 100:+.0f}%"
    row(f"extra variant cost {label}: 简+繁 vs 简 only, CPU, median of {pairs} pairs ({spread})",
        f"{statistics.median(twos):.2f} s", f"{statistics.median(ones):.2f} s",
        f"{(statistics.median(ratios) - 1) * 100:+.1f}%")
    if INSTRUCTIONS:
        two = instructions(two_config, work / f"{label}-two")
        one = instructions(one_config, work / f"{label}-one")
        row(f"extra variant cost {label}: instructions (valgrind)", f"{two / 1e9:.2f} G", f"{one / 1e9:.2f} G",
            f"{(two / one - 1) * 100:+.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", default="")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the variant rows' instructions under valgrind (slow)")
    args = parser.parse_args()
    global INSTRUCTIONS
    INSTRUCTIONS = args.instructions
    print("| benchmark | bulletin | peer | ratio |\n|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if args.only in ("", "site"):
            bench_site("sample (25 plans)", ROOT / "site_src", work, args.repeat)
            big = work / "big-src"
            replicate_plans(ROOT / "site_src", big, args.plans)
            bench_site(f"{args.plans} plans", big, work, 2)
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if args.only in ("", name):
            subprocess.run([PY, str(script)], check=False)


if __name__ == "__main__":
    main()
