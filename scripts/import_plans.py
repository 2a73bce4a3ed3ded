"""Split a compilation of work plans into site_src/plans/plan-NN.md and print the import report.

Usage: python scripts/import_plans.py [FILE] [--out DIR]
FILE defaults to the seed compilation in ../shared/seed/; DIR to site_src/plans.
Same as `bulletin import-plans FILE --out DIR`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bulletin import importer  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_98485ed91a327be3.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把工作计划汇编拆成单篇页面。")
    parser.add_argument("file", nargs="?", default=str(SEED), help="汇编原文（UTF-8 文本）")
    parser.add_argument("--out", default=str(ROOT / "site_src" / "plans"), help="输出目录")
    args = parser.parse_args(argv)
    source = Path(args.file)
    if not source.is_file():
        print(f"找不到文件：{source}", file=sys.stderr)
        return 1
    result = importer.import_plans(source, Path(args.out))
    print(result.render())
    return 1 if result.report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
