"""Record the benchmarks on a machine with a GPU, for builds of the site that have none.

The Benchmarks page measures JAX on every backend the building machine has. CI has no GPU, so
GPU results measured here are kept in ``calcml/gpu_benchmarks.json`` with their provenance and
the hash of the benchmark code; the page shows them, marked STALE once that code changes.

On a Linux machine with an NVIDIA GPU, from the repository root::

    pip install -e . && pip install -U "jax[cuda13]"    # or "jax[cuda12]" for a CUDA 12 driver
    python -c "import jax; print(jax.devices())"          # should list a CudaDevice
    python scripts/record_gpu_benchmarks.py               # about a minute
    git add calcml/gpu_benchmarks.json                    # and open a pull request

A new record replaces the file's record of the same GPU model and keeps the others.
``--quick`` runs small sizes only, to try the script; ``--output`` writes another file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import calcml
from calcml.bench_records import GPU_RECORDS
from calcml.bench_suites import DERIVATIVE_SIZES, GRADIENT_SIZES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "calcml" / GPU_RECORDS
ABOUT = (
    "JAX benchmark results measured on GPUs by scripts/record_gpu_benchmarks.py, read by "
    "calcml.load_gpu_records and shown on the Benchmarks page (STALE when code_hash differs)."
)


def _gpu_name(record: dict) -> str:
    """The GPU a record was measured on, e.g. ``gpu:0 NVIDIA H100 80GB HBM3``."""
    devices = record.get("provenance", {}).get("jax_devices", [])
    return next((d for d in devices if d.startswith("gpu")), "no GPU")


def measure(quick: bool = False) -> dict:
    """Run the suites on every backend present, and data-parallel training on 1 GPU and on all
    of them; return one record."""
    start = time.perf_counter()
    record = {
        "provenance": calcml.provenance(),
        "derivatives": calcml.benchmark_derivatives(
            sizes=[10**2, 10**3] if quick else DERIVATIVE_SIZES
        ),
        "gradients": calcml.benchmark_gradients(sizes=[10, 10**2] if quick else GRADIENT_SIZES),
        "ratios": calcml.gradient_cost_ratios(n=10**3 if quick else 10**6),
        "data_parallel": calcml.benchmark_data_parallel(
            sizes=[10**3, 10**4] if quick else (10**3, 10**4, 10**5, 10**6, 10**7)
        ),
    }
    record["seconds"] = round(time.perf_counter() - start, 1)
    return record


def merge(existing: list[dict], record: dict) -> list[dict]:
    """The records with ``record`` in place of any earlier record of the same GPU model."""
    name = _gpu_name(record).split(" ", 1)[-1]
    kept = [r for r in existing if _gpu_name(r).split(" ", 1)[-1] != name]
    return [*kept, record]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="records file")
    parser.add_argument("--quick", action="store_true", help="small sizes only, to try it out")
    parser.add_argument(
        "--allow-cpu",
        action="store_true",
        help="record even without a GPU (only with --output: never into the package)",
    )
    args = parser.parse_args(argv)
    info = calcml.provenance()
    if not info["gpu"]:
        if not args.allow_cpu:
            print(
                f"JAX finds no GPU here (backend {info['jax_backend']!r}, devices "
                f"{info['jax_devices']}). Install JAX's CUDA build first: "
                'pip install -U "jax[cuda13]" (or "jax[cuda12]").',
                file=sys.stderr,
            )
            return 2
        if args.output.resolve() == DEFAULT_OUTPUT.resolve():
            print("--allow-cpu needs --output: CPU runs never go into the package", file=sys.stderr)
            return 2
    if info["git_dirty"]:
        print("note: the checkout has uncommitted changes; the record names its commit anyway")
    record = measure(quick=args.quick)
    data = json.loads(args.output.read_text()) if args.output.exists() else {}
    data = {"about": ABOUT, **data}
    data["records"] = merge(data.get("records", []), record)
    args.output.write_text(json.dumps(data, indent=1) + "\n")
    print(f"recorded {_gpu_name(record)} in {record['seconds']} s into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
