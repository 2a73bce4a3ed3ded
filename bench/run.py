"""`make bench`: build times and sizes against a peer measured in the same run.

Every row compares our work with the same work done by a peer (a plain Material build of
the same Markdown, sigal for photos, …) in this run, because this machine is shared and
noisy: ratios mean something, absolute seconds less so. Each build runs in its own process
so that its peak memory (max RSS) is its own.

The peer of the editor's rows (warm, one plan changed, the preview's save-to-reload) is
Material as a site would set it up for the same content: the same nav (plans, albums and
profiles not in it, listed on index pages of 100), Material's tags, and its search in
Chinese (`search: {lang: zh}`, segmented by jieba, as Material documents).

Usage: python bench/run.py [--plans 1000] [--only NAME] [--quick] [--instructions]
  --quick   the sample site's editor rows only (under two minutes)
  --only preview   the preview's save-to-reload rows only (25 and --plans plans)
"""

from __future__ import annotations

import argparse
import http.client
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


def run_build(config: Path, site: Path) -> tuple[float, float, float]:
    """(seconds, peak RSS in MiB, CPU seconds: user + system, its own children's included) of
    one `mkdocs build` in a child process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {config} failed:\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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


def fair_material_config(docs: Path, where: Path, name: str = "fair") -> Path:
    """The fair peer: Material with our nav (plans not in it), tags, and Chinese search (jieba).

    Its docs_dir must come from `fair_markdown`, which adds the index pages our plugin
    generates (the plans listed 100 to a page, the albums and profiles listed once).
    """
    config = where / f"{name}.yml"
    config.write_text(textwrap.dedent(f"""
        site_name: fair
        site_url: https://bulletin.example.org/
        docs_dir: {docs}
        use_directory_urls: true
        theme: {{name: material, language: zh, font: false, features: [navigation.tabs, navigation.top, navigation.indexes, toc.follow]}}
        nav:
          - 首页: index.md
          - 工作计划: plans/index.md
          - 活动相册: albums/index.md
          - 好人榜: people/index.md
          - 通知公告: notices.md
          - 标签: tags.md
        not_in_nav: |
          /plans/*.md
          /plans/page/*.md
          /albums/*/index.md
          /people/*.md
        validation: {{nav: {{omitted_files: info, not_found: warn}}, links: {{unrecognized_links: info}}}}
        markdown_extensions: [toc, attr_list, md_in_html, admonition, tables, pymdownx.details, pymdownx.superfences]
        plugins:
          - search: {{lang: zh}}
          - tags
    """), encoding="utf-8")
    return config


def fair_markdown(src: Path, dest: Path, per_page: int = 100) -> None:
    """The Markdown of site_src/ and the listing pages a Material site would write by hand."""
    markdown_only(src, dest)
    plans = sorted(p.stem for p in (dest / "plans").glob("*.md") if p.stem != "index")
    pages = [plans[i:i + per_page] for i in range(0, len(plans), per_page)] or [[]]
    for n, chunk in enumerate(pages, 1):
        up = "" if n == 1 else "../../"
        lines = [f"# 工作计划{'' if n == 1 else f'（第 {n} 页）'}", ""]
        lines += [f"- [{_title(dest / 'plans' / f'{slug}.md')}]({up}{slug}.md)" for slug in chunk]
        if n < len(pages):
            lines += ["", f"[下一页]({up}page/{n + 1}.md)"]
        target = dest / "plans" / ("index.md" if n == 1 else f"page/{n}.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for folder, kind in (("albums", "活动相册"), ("people", "好人榜")):
        entries = sorted(p for p in (dest / folder).glob("*/index.md")) + sorted(
            p for p in (dest / folder).glob("*.md") if p.name != "index.md")
        lines = [f"# {kind}", ""] + [f"- [{_title(p)}]({p.relative_to(dest / folder).as_posix()})" for p in entries]
        if not (dest / folder / "index.md").exists():
            (dest / folder / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _title(page: Path) -> str:
    match = re.search(r"^(?:title|name):\s*(.+)$", page.read_text(encoding="utf-8"), re.M)
    return match[1].strip().strip("'\"") if match else page.stem


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


def edit_plan(docs: Path, slug: str, n: int) -> str:
    """Change one plan's body as an editor would (a sentence added at its end); the new text."""
    page = docs / "plans" / f"{slug}.md"
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"\n\n本段已修改（BENCH\d+）。\n$", "\n", text)
    marker = f"BENCH{n}"
    page.write_text(text.rstrip("\n") + f"\n\n本段已修改（{marker}）。\n", encoding="utf-8")
    return marker


def bench_editor(label: str, src: Path, work: Path, pairs: int, reloads: int) -> None:
    """An editor's loop against the fair peer: a build with nothing changed, a build after
    one plan changed, and the preview's save-to-reload. Whole-process wall time, medians
    of interleaved pairs (this machine is shared: ratios are what to read). With no
    `pairs`, the preview's row only."""
    docs, peer_docs = work / f"{label}-ed-docs", work / f"{label}-ed-peer-docs"
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(src, docs)
    fair_markdown(docs, peer_docs)
    ours = our_config(docs, work, f"ed-{label}".replace(" ", "_"), work / f"cache-ed-{label}")
    peer = fair_material_config(peer_docs, work, f"fair-{label}".replace(" ", "_"))
    site, peer_site = work / f"{label}-ed-site", work / f"{label}-ed-peer-site"
    slug = sorted(p.stem for p in (docs / "plans").glob("plan-*.md"))[len(list((docs / "plans").glob("plan-*.md"))) // 2]
    if pairs:
        bench_builds(label, docs, peer_docs, ours, peer, site, peer_site, slug, pairs)
    if reloads:
        ours_reload = save_to_reload([PY, "-m", "bulletin.cli", "-f", str(ours), "serve", "-a"], docs, slug,
                                     ["", "zh-hk/"], reloads)
        peer_reload = save_to_reload([PY, "-m", "mkdocs", "serve", "-q", "-f", str(peer), "--livereload", "-a"],
                                     peer_docs, slug, [""], reloads)
        row(f"preview {label}, save to reload: bulletin serve (简 and 繁) vs mkdocs serve, median of {reloads}",
            f"{statistics.median(ours_reload):.2f} s", f"{statistics.median(peer_reload):.2f} s",
            f"{statistics.median(ours_reload) / statistics.median(peer_reload):.2f}×")


def bench_builds(label: str, docs: Path, peer_docs: Path, ours: Path, peer: Path, site: Path, peer_site: Path,
                 slug: str, pairs: int) -> None:
    """The editor's build rows: nothing changed, and one plan changed."""
    run_build(ours, site)
    run_build(peer, peer_site)
    same, edited = {"ours": [], "peer": []}, {"ours": [], "peer": []}
    same_cpu, edited_cpu = {"ours": [], "peer": []}, {"ours": [], "peer": []}
    mem = {"ours": 0.0, "peer": 0.0}
    for i in range(pairs):
        order = [("ours", ours, site), ("peer", peer, peer_site)]
        if i % 2:
            order.reverse()
        for who, config, out in order:
            seconds, rss, cpu = run_build(config, out)
            same[who].append(seconds)
            same_cpu[who].append(cpu)
            mem[who] = max(mem[who], rss)
        edit_plan(docs, slug, i)
        edit_plan(peer_docs, slug, i)
        for who, config, out in order:
            seconds, rss, cpu = run_build(config, out)
            edited[who].append(seconds)
            edited_cpu[who].append(cpu)
            mem[who] = max(mem[who], rss)
    for name, times in (("nothing changed", same), ("one plan changed", edited),
                        ("nothing changed, CPU", same_cpu), ("one plan changed, CPU", edited_cpu)):
        a, b = statistics.median(times["ours"]), statistics.median(times["peer"])
        row(f"build {label}, {name}: bulletin vs fair Material, median of {pairs}", f"{a:.2f} s", f"{b:.2f} s",
            f"{a / b:.2f}×")
    row(f"peak memory {label}, editor builds", f"{mem['ours']:.0f} MiB", f"{mem['peer']:.0f} MiB",
        f"{mem['ours'] / mem['peer']:.2f}×")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.read().decode("utf-8", "replace") if response.status == 200 else ""
    except OSError:
        return ""
    finally:
        conn.close()


def save_to_reload(command: list[str], docs: Path, slug: str, prefixes: list[str], times: int) -> list[float]:
    """Seconds from saving a plan to the preview serving its new text (every prefix), `times` times."""
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(command + [f"127.0.0.1:{port}"], env=env, cwd=docs.parent,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    paths = [f"/{prefix}plans/{slug}/" for prefix in prefixes]
    try:
        deadline = time.monotonic() + 600
        while not all(_get(port, p) for p in paths):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"preview {' '.join(command)} did not start")
            time.sleep(0.2)
        time.sleep(2)
        results = []
        for n in range(times):
            marker = edit_plan(docs, slug, 1000 + n)
            start = time.perf_counter()
            waiting = list(paths)
            while waiting:
                if time.perf_counter() - start > 600:
                    raise SystemExit(f"preview did not show {marker} within 600 s")
                waiting = [p for p in waiting if marker not in _get(port, p)]
                if waiting:
                    time.sleep(0.05)
            results.append(time.perf_counter() - start)
            time.sleep(1.5)  # let the rebuild settle before the next save
        return results
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def bench_scale(work: Path, small: int, large: int) -> None:
    """Per-page build time at `large` plans against `small` (warm cache), and peak memory."""
    results = {}
    for count in (small, large):
        docs = work / f"scale-{count}-src"
        if not docs.exists():
            replicate_plans(ROOT / "site_src", docs, count)
        config = our_config(docs, work, f"scale-{count}", work / f"cache-scale-{count}")
        run_build(config, work / f"scale-{count}-site")
        seconds, rss, _ = run_build(config, work / f"scale-{count}-site")
        results[count] = (seconds / count, rss)
    (a, mem), (b, _) = results[large], results[small]
    row(f"build per plan, warm: {large:,} plans vs {small:,} (peak memory at {large:,}: {mem:.0f} MiB)",
        f"{a * 1000:.1f} ms", f"{b * 1000:.1f} ms", f"{a / b:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", default="")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs of the editor rows")
    parser.add_argument("--quick", action="store_true", help="the sample site's editor rows only")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the variant rows' instructions under valgrind (slow)")
    args = parser.parse_args()
    global INSTRUCTIONS
    INSTRUCTIONS = args.instructions
    print("| benchmark | bulletin | peer | ratio |\n|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if args.quick:
            bench_editor("sample (25 plans)", ROOT / "site_src", work, min(args.pairs, 2), reloads=3)
            return
        if args.only == "preview":  # the save-to-reload rows alone
            bench_editor("sample (25 plans)", ROOT / "site_src", work, 0, reloads=5)
            big = work / "editor-src"
            replicate_plans(ROOT / "site_src", big, args.plans)
            bench_editor(f"{args.plans} plans", big, work, 0, reloads=5)
            return
        if args.only in ("", "editor"):
            bench_editor("sample (25 plans)", ROOT / "site_src", work, args.pairs, reloads=5)
            big = work / "editor-src"
            replicate_plans(ROOT / "site_src", big, args.plans)
            bench_editor(f"{args.plans} plans", big, work, args.pairs, reloads=5)
        if args.only in ("", "scale"):
            bench_scale(work, args.plans, 5 * args.plans)
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
