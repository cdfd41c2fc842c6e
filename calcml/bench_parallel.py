"""Benchmark: data-parallel training's iterations per second on 1 device and on several."""

import functools
from collections.abc import Iterable, Sequence

import jax
import numpy as np

from calcml._checks import check_int
from calcml.bench import _check_seconds, _interleaved
from calcml.bench_suites import _check_sizes
from calcml.data_parallel import data_parallel_nn_model


def _device_counts(num_devices: Iterable[int] | None) -> list[int]:
    if num_devices is None:
        return sorted({1, len(jax.devices())})
    try:
        counts = [check_int("num_devices (each count)", d, 1) for d in num_devices]
    except TypeError:
        raise ValueError(
            f"num_devices must be a sequence of integers >= 1, got {num_devices!r}"
        ) from None
    if not counts:
        raise ValueError(f"num_devices must name at least one device count, got {num_devices!r}")
    return counts  # data_parallel_nn_model says which are more than JAX found


def benchmark_data_parallel(
    sizes: Sequence[int] = (10**3, 10**4, 10**5, 10**6),
    num_devices: Iterable[int] | None = None,
    *,
    n_x: int = 8,
    num_iterations: int = 100,
    repeats: int = 5,
    budget: float = 1.0,
) -> list[dict]:
    """Iterations per second of :func:`~calcml.data_parallel.data_parallel_nn_model`.

    For each number of examples ``m``, a regression on ``n_x`` random features (seeded) is
    trained for ``num_iterations`` steps on each device count in turn, interleaved so that a
    slow spell of the machine falls on all counts alike. A call is timed whole, as a reader
    makes it: checking and copying ``X`` to the devices, the compiled loop, and copying the
    results back. Its first call, which also traces and compiles, is reported apart.
    The devices are ``jax.devices()``: GPUs when JAX finds them, else (simulated) CPU devices.

    Parameters
    ----------
    sizes : sequence of int, default (1000, 10000, 100000, 1000000)
        Numbers of examples ``m`` to time, each at least 2.
    num_devices : iterable of int, optional
        Device counts to compare. Default: 1 and all of ``jax.devices()``.
    n_x : int, default 8
        Features per example.
    num_iterations : int, default 100
        Gradient steps per call.
    repeats : int, default 5
        Repeats per measurement, at most.
    budget : float, default 1.0
        Seconds per measurement, at most, once one repeat has run.

    Returns
    -------
    list of dict
        One row per size and device count: ``m``, ``n_x``, ``num_devices``, ``backend``,
        ``device_kind``, ``num_iterations``, ``per_second`` (iterations per second, from the
        median), ``speedup`` (over the first device count at that size), and the timing's
        ``first_call``, ``median``, ``min``, ``max``, ``iqr``, ``repeats``, ``number``
        (seconds per call, see :class:`~calcml.bench.Timing`).

    Raises
    ------
    ValueError
        If ``sizes`` or ``num_devices`` is not a sequence of integers (sizes at least 2, device
        counts at least 1), a setting is not a positive integer, or a device count is more
        than JAX found.

    Examples
    --------
    >>> from calcml import benchmark_data_parallel
    >>> [row] = benchmark_data_parallel([100], [1], num_iterations=10, repeats=1, budget=0.1)
    >>> row["m"], row["num_devices"], row["per_second"] > 0, row["speedup"]
    (100, 1, True, 1.0)
    """
    sizes = _check_sizes("sizes", sizes)
    counts = _device_counts(num_devices)
    n_x = check_int("n_x", n_x, 1)
    num_iterations = check_int("num_iterations", num_iterations, 1)
    repeats = check_int("repeats", repeats, 1)
    budget = _check_seconds("budget", budget)
    devices = jax.devices()
    rng = np.random.default_rng(0)
    rows = []
    for m in sizes:
        X = rng.standard_normal((n_x, m))
        Y = rng.standard_normal((1, n_x)) @ X + 0.1 * rng.standard_normal((1, m))
        calls = {
            d: (
                functools.partial(data_parallel_nn_model, num_devices=d),
                (X, Y, num_iterations, 0.1),
            )
            for d in counts
        }
        timings = _interleaved(calls, repeats, budget)
        base = timings[counts[0]].median
        for d, timing in timings.items():
            rows.append(
                {
                    "m": m,
                    "n_x": n_x,
                    "num_devices": d,
                    "backend": devices[0].platform,
                    "device_kind": devices[0].device_kind,
                    "num_iterations": num_iterations,
                    "per_second": num_iterations / timing.median,
                    "speedup": base / timing.median,
                    **timing.as_dict(),
                }
            )
    return rows


def data_parallel_table(rows: list[dict]) -> str:
    """A Markdown table of :func:`benchmark_data_parallel`'s rows.

    Examples
    --------
    >>> from calcml import data_parallel_table
    >>> row = {"m": 10**6, "num_devices": 2, "backend": "cpu", "per_second": 350.0,
    ...        "speedup": 1.5, "first_call": 0.45, "median": 0.29}
    >>> print(data_parallel_table([row]).splitlines()[-1])
    | 1,000,000 | 2 cpu | 350 | 1.50× | 450 ms | 290.0 ms |
    """
    lines = [
        "| examples m | devices | iterations/s | speed-up | first call (compiles) "
        "| later calls (median) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['m']:,} | {row['num_devices']} {row['backend']} "
            f"| {row['per_second']:,.0f} | {row['speedup']:.2f}× "
            f"| {row['first_call'] * 1e3:,.0f} ms | {row['median'] * 1e3:,.1f} ms |"
        )
    return "\n".join(lines)
