"""Split a compilation of work plans into site_src/plans/plan-NN.md and print the import report.

Usage: python scripts/import_plans.py [FILE] [--out DIR]
FILE defaults to the seed compilation in ../shared/seed/; DIR to site_src/plans.
A shortcut for `bulletin import-plans FILE --out DIR` with those defaults.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bulletin import cli  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_98485ed91a327be3.txt"


def main(argv: list[str]) -> int:
    file = argv[0] if argv and not argv[0].startswith("-") else str(SEED)
    rest = argv[1:] if argv and not argv[0].startswith("-") else argv
    if "--out" not in rest:
        rest = [*rest, "--out", str(ROOT / "site_src" / "plans")]
    return cli.main(["import-plans", file, *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
