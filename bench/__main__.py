"""`python -m bench [NAME ...] [--quick]`: run benchmarks and write bench/RESULTS.md.

NAME is one of the modules listed in BENCHMARKS (all by default). --quick uses small sizes, to check that
the benchmarks still run; its figures are written to RESULTS.md marked as quick.
"""

from __future__ import annotations

import argparse
import importlib
import sys

BENCHMARKS = ["users", "sessions", "sdk", "dashboard"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a fast check")
    args = parser.parse_args(argv)
    names = args.names or BENCHMARKS
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        module.run(quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
