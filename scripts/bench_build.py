"""Benchmark: a rebuild with nothing changed against a forced one, measured side by side.

    .venv/bin/python scripts/bench_build.py [--repeats 3]

Alternates ``build_docs.py --force`` and ``build_docs.py`` (nothing changed) in fresh processes,
as a contributor runs them, and prints the median of each and their ratio.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUILD = [sys.executable, str(Path(__file__).with_name("build_docs.py"))]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    forced, unchanged = [], []
    for _ in range(repeats):
        forced.append(seconds([*BUILD, "--force"]))
        unchanged.append(seconds(BUILD))
    f, u = statistics.median(forced), statistics.median(unchanged)
    print(f"--force: median {f:.2f} s (min {min(forced):.2f}, max {max(forced):.2f})")
    print(f"nothing changed: median {u:.3f} s (min {min(unchanged):.3f}, max {max(unchanged):.3f})")
    print(f"ratio: {f / u:.0f}x faster with nothing changed")


if __name__ == "__main__":
    main()
