"""The `bulletin` command: build, posters, check, serve, import-plans, rollback.

Editors' mistakes end in Chinese messages and an exit status, never a traceback.
build, posters and serve run MkDocs' own command line in a child process (command.py);
check and rollback read mkdocs.yml with MkDocs' load_config, the config API plugins use.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from pathlib import Path

from . import command

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class _Formatter(logging.Formatter):
    """MkDocs' layout of a log line (`WARNING -  message`), coloured on a terminal.

    Ours, not mkdocs.__main__.ColorFormatter: that is no public API, and ProperDocs has it
    elsewhere."""

    COLORS = command.COLORS

    def __init__(self, color: bool) -> None:
        super().__init__()
        self.color = color

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"{record.levelname:<8}-  "
        if self.color and record.levelname in self.COLORS:
            prefix = f"\033[{self.COLORS[record.levelname]}m{prefix}\033[0m"
        return prefix + super().format(record).replace("\n", "\n" + " " * 11)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(color=sys.stderr.isatty()))
    root = logging.getLogger("mkdocs")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False


def _load_config(args: argparse.Namespace):
    if command.program() == "properdocs":  # ProperDocs alone: `mkdocs.*` imports find it, as in its command
        import properdocs.replacement  # noqa: F401
    from mkdocs.config import load_config

    return load_config(config_file=args.config, strict=getattr(args, "strict", False))


def _child_env(args: argparse.Namespace) -> dict[str, str]:
    """The environment of the MkDocs process: `bulletin posters` makes them, whatever mkdocs.yml says."""
    from .posters.paper import ENV_PAPER, ENV_POSTERS

    env = dict(os.environ)
    if getattr(args, "posters", False):
        env[ENV_POSTERS] = "1"
        env.pop(ENV_PAPER, None)  # no --paper: mkdocs.yml's
        if args.paper:
            env[ENV_PAPER] = args.paper.label
    return env


def _paper(value: str):
    from .posters.paper import parse_paper

    try:
        return parse_paper(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site into a fresh directory (`mkdocs build -d`) and publish it atomically."""
    from . import publish

    config = _load_config(args)
    site_dir = Path(config.site_dir)
    if args.for_usb and Path(args.for_usb).resolve().is_relative_to(site_dir.resolve()):
        logging.getLogger("mkdocs").error(f"U 盘版的目录 {args.for_usb} 不能放在 {site_dir} 里面，请换一个目录，例如 site-usb。")
        return 2

    options = ["-f", args.config] + (["--strict"] if args.strict else []) + (["-v"] if args.verbose else [])
    env = _child_env(args)

    def run(into: Path) -> None:
        command.run("build", [*options, "-d", str(into)], env=env)

    try:
        publish.build_atomically(site_dir, run)
    except (command.Failed, publish.PublishError) as exc:
        if not isinstance(exc, command.Failed):  # MkDocs has said why already
            logging.getLogger("mkdocs").error(str(exc))
        logging.getLogger("mkdocs").error(f"网站未发布，{site_dir} 保持原样。")
        return 1
    logging.getLogger("mkdocs").info(f"已发布到 {site_dir}")
    if getattr(args, "posters", False):
        logging.getLogger("mkdocs").info(f"海报在 {site_dir / 'posters'}（繁体版在其中的子文件夹里），可直接打印。")
    if args.for_usb:
        from . import usb

        usb.write_copy(site_dir, Path(args.for_usb))
        logging.getLogger("mkdocs").info(f"U 盘版已写到 {args.for_usb}：把整个文件夹复制到 U 盘，双击其中的 index.html 即可打开。")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate site_src/ without building: the same problems a build would report."""
    from . import checks

    config = _load_config(args)
    report = checks.check_sources(Path(config.docs_dir), config)
    print(report.render())
    if report.errors or (args.strict and report.warnings):
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`mkdocs serve` with live reload; Ctrl-C ends it."""
    options = ["-f", args.config, "-a", args.dev_addr, "--livereload"] + (["-v"] if args.verbose else [])
    try:
        command.run("serve", options, serve=True)
    except command.Failed:
        return 1
    except OSError as exc:
        hint = f"地址 {args.dev_addr} 已被占用，请用 -a 换一个端口，例如 -a 127.0.0.1:8001。" \
            if exc.errno == errno.EADDRINUSE else ""
        logging.getLogger("mkdocs").error(f"预览已停止：{exc.strerror or exc}。{hint}")
        return 1
    return 0


def cmd_import_plans(args: argparse.Namespace) -> int:
    """Split a compilation text into one Markdown page per plan."""
    from . import importer

    source = Path(args.file)
    if not source.is_file():
        print(f"找不到文件：{source}", file=sys.stderr)
        return 1
    result = importer.import_plans(source, Path(args.out))
    print(result.render())
    return 1 if result.report.errors else 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Put the previously published site back, unless it shows someone site_src/ now withholds.

    Who is withheld is read from the current site_src/ with the build's own checks: a
    withdrawal made since the previous site was built must hold for the rollback too.
    """
    from . import publish

    config = _load_config(args)
    try:
        publish.rollback(Path(config.site_dir), withheld=publish.withheld_now(Path(config.docs_dir)))
    except publish.PublishError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已恢复上一次发布的网站：{config.site_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bulletin", description="文明宣传栏：构建简繁双语网站和大屏轮播。")
    parser.add_argument("-f", "--config", default="mkdocs.yml", help="配置文件（默认 mkdocs.yml）")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示详细过程")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("build", help="构建网站并原子发布到 site/")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误")
    p.add_argument("--for-usb", metavar="目录", help="另外写一份可从 U 盘直接打开的网站到这个目录（如 site-usb）")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("posters", help="构建网站，同时生成可打印的海报（PDF）到 site/posters/")
    p.add_argument("--paper", type=_paper, help="纸张：A3、A4、A3-landscape 或 A4-landscape（默认按 mkdocs.yml，未写则 A3）")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误")
    p.set_defaults(func=cmd_build, posters=True, for_usb=None)

    p = sub.add_parser("check", help="只检查 site_src/ 的内容，不构建")
    p.add_argument("--strict", action="store_true", help="有警告也返回失败")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("serve", help="本地预览，修改后自动刷新")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="地址和端口")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("import-plans", help="把工作计划汇编拆成单篇页面")
    p.add_argument("file", help="汇编原文（UTF-8 文本）")
    p.add_argument("--out", default="site_src/plans", help="输出目录（默认 site_src/plans）")
    p.set_defaults(func=cmd_import_plans)

    p = sub.add_parser("rollback", help="恢复上一次发布的网站")
    p.set_defaults(func=cmd_rollback)

    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    if not Path(args.config).is_file() and args.command != "import-plans":
        print(f"找不到配置文件 {args.config}。请在网站目录（有 mkdocs.yml 的地方）运行，或用 -f 指定。", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
