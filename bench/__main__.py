"""`python -m bench [NAME ...] [--quick] [--users N]`: run benchmarks and write bench/RESULTS.md.

NAME is one of the modules listed in BENCHMARKS (all by default). --quick uses small sizes, to check that
the benchmarks still run; its figures are written to RESULTS.md marked as quick. --users sets the number of
users for the benchmarks that take it (ui), e.g. `python -m bench ui --users 10000` for a quick look.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys

BENCHMARKS = ["users", "sessions", "sdk", "dashboard", "ui"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a fast check")
    parser.add_argument("--users", type=int, metavar="N", help="number of users, for the benchmarks that take it")
    args = parser.parse_args(argv)
    names = args.names or BENCHMARKS
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    if args.users is not None and args.users < 1:
        parser.error("--users must be at least 1")
    modules = {name: importlib.import_module(f"bench.{name}") for name in names}
    if args.users is not None:
        without = [name for name, module in modules.items() if "users" not in inspect.signature(module.run).parameters]
        if without:
            parser.error(f"--users is not taken by: {', '.join(without)}")
    for name, module in modules.items():
        print(f"== {name}", flush=True)
        extra = {"users": args.users} if args.users is not None else {}
        module.run(quick=args.quick, **extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
