"""Benchmark: gradient descent as a NumPy loop against one compiled JAX loop."""

from collections.abc import Sequence

import jax.numpy as jnp
import numpy as np

from calcml._checks import check_int
from calcml.bench import _check_seconds, time_call
from calcml.optimize import gradient_descent, gradient_descent_jax


def _dfdx_numpy(x):
    return np.exp(x) - 1 / x


def _dfdx_jax(x):
    return jnp.exp(x) - 1 / x


def benchmark_descent(
    iterations: Sequence[int] = (100, 1_000, 10_000), *, repeats: int = 5, budget: float = 1.0
) -> list[dict]:
    r"""Iterations per second of :func:`gradient_descent` and :func:`gradient_descent_jax`.

    Both minimise $e^x - \log x$ from $x_0 = 1$ with learning rate 0.1, timed in the same
    run, so their ratio is fair on a noisy machine. The JAX loop's first call (tracing and
    compiling) is reported apart.

    Parameters
    ----------
    iterations : sequence of int, default (100, 1000, 10000)
        Numbers of iterations to time.
    repeats : int, default 5
        Repeats per measurement, at most.
    budget : float, default 1.0
        Seconds per measurement, at most, once one repeat has run.

    Returns
    -------
    list of dict
        One row per number of iterations: ``num_iterations``, ``numpy_per_second``,
        ``jax_per_second``, ``jax_first_call`` (seconds) and ``ratio`` (JAX over NumPy).

    Raises
    ------
    ValueError
        If an entry of ``iterations`` is not an integer of at least 1.

    Examples
    --------
    >>> from calcml import benchmark_descent
    >>> [row] = benchmark_descent([50], repeats=1, budget=0.1)
    >>> row["num_iterations"], row["ratio"] > 0
    (50, True)
    """
    counts = [check_int("iterations", k, 1) for k in iterations]
    repeats = check_int("repeats", repeats, 1)
    budget = _check_seconds("budget", budget)
    rows = []
    for k in counts:
        numpy = time_call(
            gradient_descent, _dfdx_numpy, 1.0, 0.1, k, repeats=repeats, budget=budget
        )
        jax = time_call(
            gradient_descent_jax, _dfdx_jax, 1.0, 0.1, k, repeats=repeats, budget=budget
        )
        rows.append(
            {
                "num_iterations": k,
                "numpy_per_second": k / numpy.median,
                "jax_per_second": k / jax.median,
                "jax_first_call": jax.first_call,
                "ratio": numpy.median / jax.median,
            }
        )
    return rows


def descent_table(rows: list[dict]) -> str:
    """A Markdown table of :func:`benchmark_descent`'s rows.

    Examples
    --------
    >>> from calcml import descent_table
    >>> row = {"num_iterations": 10, "numpy_per_second": 1e5, "jax_per_second": 2e6,
    ...        "jax_first_call": 0.05, "ratio": 20.0}
    >>> print(descent_table([row]).splitlines()[-1])
    | 10 | 100,000 | 2,000,000 | 20× | 50 ms |
    """
    lines = [
        "| iterations | NumPy loop (iterations/s) | JAX scan (iterations/s) | JAX / NumPy "
        "| JAX first call |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['num_iterations']:,} | {row['numpy_per_second']:,.0f} "
            f"| {row['jax_per_second']:,.0f} | {row['ratio']:,.0f}× "
            f"| {row['jax_first_call'] * 1e3:,.0f} ms |"
        )
    return "\n".join(lines)
