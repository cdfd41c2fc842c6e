r"""The benchmark suites: SymPy, NumPy and JAX timed against each other, sizes yours to change.

- [`benchmark_derivatives`][calcml.bench_suites.benchmark_derivatives]: $f'(x)$ of
  $f(x) = \sin(x)\,e^{-x^2}$ on a grid of $n$ points, by SymPy, NumPy and JAX;
- [`benchmark_gradients`][calcml.bench_suites.benchmark_gradients]: $\nabla f$ of the
  Rosenbrock function $f: \mathbb{R}^n \to \mathbb{R}$ by finite differences, reverse and
  forward mode;
- [`gradient_cost_ratios`][calcml.bench_suites.gradient_cost_ratios]: what a gradient costs,
  in evaluations of $f$, at $n = 10^6$, and what a wrapper that re-traces on every call costs.

Each measurement comes from the harness, [`time_call`][calcml.bench.time_call]. Every row is a
plain ``dict``, so the results are data: tables, plots and JSON files are made from them (see
[`calcml.bench_report`][calcml.bench_report]).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from calcml._checks import check_int
from calcml.autodiff import autodiff_derivative
from calcml.bench import Timing, _check_seconds, _devices, _interleaved, time_call
from calcml.derivatives import numerical_derivative
from calcml.gradients import gradient
from calcml.symbolic import symbolic_derivative

DERIVATIVE_SIZES = (10**2, 10**3, 10**4, 10**5, 10**6)
GRADIENT_SIZES = (10, 10**2, 10**3, 10**4, 10**5, 10**6)


def _check_sizes(name: str, sizes: Any) -> list[int]:
    try:
        values = list(sizes)
    except TypeError:
        raise ValueError(f"{name} must be a sequence of integers >= 2, got {sizes!r}") from None
    if not values:
        raise ValueError(f"{name} must name at least one size, got {sizes!r}")
    return [check_int(f"{name} (each size)", value, 2) for value in values]


def _check_backends(backends: Iterable[str] | None) -> dict[str, Any]:
    present = _devices()
    if backends is None:
        return present
    if isinstance(backends, str):
        backends = [backends]
    chosen = list(backends)
    missing = [b for b in chosen if b not in present]
    if not chosen or missing:
        raise ValueError(
            f"backends must name JAX backends present here ({', '.join(present)}), got {chosen!r}"
        )
    return {b: present[b] for b in chosen}


def _row(method: str, backend: str, n: int, precision: str, timing: Timing, **extra) -> dict:
    return {
        "method": method,
        "backend": backend,
        "n": n,
        "precision": precision,
        **timing.as_dict(),
        **extra,
    }


def _bump(x, xp=np):
    r"""$f(x) = \sin(x)\,e^{-x^2}$, element-wise: the scalar function of the derivative suite.

    ``xp`` is the array module, ``numpy`` or ``jax.numpy``.
    """
    return xp.sin(x) * xp.exp(-(x**2))


def _rosenbrock(x, xp=np):
    r"""$f(x) = \sum_{i=1}^{n-1} 100\,(x_{i+1} - x_i^2)^2 + (1 - x_i)^2$, from R^n to R.

    The function of the gradient suite; ``xp`` is ``numpy`` or ``jax.numpy``.
    """
    return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _bump_jax(x):
    return _bump(x, jnp)


def _rosenbrock_jax(x):
    return _rosenbrock(x, jnp)


def _built_on_first_call(build: Callable[[], Callable]) -> Callable:
    """A function that builds its implementation on its first call, as ``jax.jit`` does, so that
    the build (SymPy's differentiation and ``lambdify``) lands in the first-call time."""
    built: list[Callable] = []

    def call(*args):
        if not built:
            built.append(build())
        return built[0](*args)

    return call


def benchmark_derivatives(
    sizes: Sequence[int] = DERIVATIVE_SIZES,
    subs_max: int = 10**3,
    backends: Iterable[str] | None = None,
    repeats: int = 5,
    budget: float = 1.0,
) -> list[dict]:
    r"""Time $f'(x)$ of $f(x) = \sin(x)\,e^{-x^2}$ on a grid of ``n`` points, five ways.

    | method | how | precision |
    | --- | --- | --- |
    | SymPy lambdify | ``symbolic_derivative``, then ``lambdify`` to NumPy | float64 |
    | SymPy subs/evalf | ``evalf(subs=...)`` point by point, ``n <= subs_max`` only | float64 |
    | NumPy central differences | ``numerical_derivative`` | float64 |
    | np.gradient | ``np.gradient(f(x), x)`` on the grid | float64 |
    | JAX jit | ``autodiff_derivative``, input already on the device | float32 |

    The grid is ``linspace(-3, 3, n)``. For SymPy, differentiating and ``lambdify`` happen in
    the first call, as tracing and compiling do for JAX. Each row's ``max_error`` is the largest
    absolute difference from SymPy's exact derivative evaluated in float64.

    Parameters
    ----------
    sizes : sequence of int, default (10**2, ..., 10**6)
        Grid sizes ``n``.
    subs_max : int, default 1000
        Largest ``n`` for point-by-point substitution (about 0.3 ms a point).
    backends : iterable of str, optional
        JAX backends to time (``"cpu"``, ``"gpu"``); default: every one present.
    repeats : int, default 5
        Repeats per measurement, at most.
    budget : float, default 1.0
        Seconds per measurement, at most, once one repeat has run.

    Returns
    -------
    list of dict
        One row per method, backend and size: ``method``, ``backend``, ``n``, ``precision``,
        the fields of [`Timing.as_dict`][calcml.bench.Timing.as_dict] and ``max_error``.

    Raises
    ------
    ValueError
        If ``sizes`` holds anything but integers >= 2, ``subs_max`` is negative, ``backends``
        names a backend JAX does not find here, or ``repeats`` or ``budget`` is invalid.

    Examples
    --------
    >>> from calcml import benchmark_derivatives
    >>> rows = benchmark_derivatives(sizes=[100], repeats=1, backends=["cpu"])
    >>> [row["method"] for row in rows]  # doctest: +NORMALIZE_WHITESPACE
    ['SymPy lambdify', 'SymPy subs/evalf', 'NumPy central differences', 'np.gradient',
     'JAX jit']
    >>> all(row["max_error"] < 0.01 for row in rows)  # np.gradient: grid spacing 0.06
    True
    """
    sizes = _check_sizes("sizes", sizes)
    subs_max = check_int("subs_max", subs_max, 0)
    devices = _check_backends(backends)
    repeats = check_int("repeats", repeats, 1)
    budget = _check_seconds("budget", budget)

    x = sp.Symbol("x")
    expr = _bump(x, sp)
    derivative = symbolic_derivative(expr)
    exact = sp.lambdify(x, derivative, "numpy")
    rows = []

    def measure(n, truth, method, backend, precision, f, *args):
        timing = time_call(f, *args, repeats=repeats, budget=budget)
        error = float(np.max(np.abs(np.asarray(timing.value, dtype=np.float64) - truth)))
        rows.append(_row(method, backend, n, precision, timing, max_error=error))

    def substitute(points):
        return np.array([float(derivative.evalf(subs={x: value})) for value in points])

    for n in sizes:
        grid = np.linspace(-3.0, 3.0, n)
        row = functools.partial(measure, n, exact(grid))
        symbolic = _built_on_first_call(lambda: sp.lambdify(x, symbolic_derivative(expr), "numpy"))
        row("SymPy lambdify", "cpu", "float64", symbolic, grid)
        if n <= subs_max:
            row("SymPy subs/evalf", "cpu", "float64", substitute, grid)
        row("NumPy central differences", "cpu", "float64", numerical_derivative, _bump, grid)
        row("np.gradient", "cpu", "float64", lambda g: np.gradient(_bump(g), g), grid)
        for backend, device in devices.items():
            on_device = jax.device_put(jnp.asarray(grid, dtype=jnp.float32), device)
            row("JAX jit", backend, "float32", autodiff_derivative(_bump_jax), on_device)
    return rows


def benchmark_gradients(
    sizes: Sequence[int] = GRADIENT_SIZES,
    numerical_max: int = 10**4,
    forward_max: int = 10**4,
    backends: Iterable[str] | None = None,
    repeats: int = 5,
    budget: float = 1.0,
) -> list[dict]:
    r"""Time $\nabla f$ of the Rosenbrock function on $\mathbb{R}^n$ by each method of
    [`gradient`][calcml.gradients.gradient], beside one evaluation of $f$.

    | method | cost in evaluations of f | runs up to |
    | --- | --- | --- |
    | f, NumPy | 1 (float64; the unit of finite differences) | every size |
    | finite differences | $2n$ | ``numerical_max`` |
    | f, JAX jit | 1 (float32; the unit of the JAX methods) | every size |
    | reverse mode (grad) | a small constant | every size |
    | forward mode (jacfwd) | about $n$ (an $n \times n$ Jacobian of tangents) | ``forward_max`` |

    The point is uniform in [-1, 1] (seed 0): float64 NumPy for finite differences, a float32
    JAX array on the device for the JAX methods. The methods that share an array library and
    backend are timed in turns with their evaluation of $f$, and each gradient row's
    ``f_evaluations`` is its median over the median of that evaluation.

    Parameters
    ----------
    sizes : sequence of int, default (10, 10**2, ..., 10**6)
        Dimensions ``n``.
    numerical_max, forward_max : int, default 10**4
        Largest ``n`` for finite differences and for forward mode. Both grow as $n^2$ in time
        (forward mode in memory too), so the next power of ten takes 100 times longer.
    backends : iterable of str, optional
        JAX backends to time; default: every one present.
    repeats : int, default 5
        Repeats per measurement, at most.
    budget : float, default 1.0
        Seconds per measurement, at most, once one repeat has run.

    Returns
    -------
    list of dict
        One row per method, backend and size: ``method``, ``backend``, ``n``, ``precision``,
        the fields of [`Timing.as_dict`][calcml.bench.Timing.as_dict] and ``f_evaluations``
        (1.0 for the rows of $f$ itself).

    Raises
    ------
    ValueError
        If ``sizes`` holds anything but integers >= 2, a cutoff is negative, ``backends``
        names a backend JAX does not find here, or ``repeats`` or ``budget`` is invalid.

    Examples
    --------
    >>> from calcml import benchmark_gradients
    >>> rows = benchmark_gradients(sizes=[10], repeats=1, backends=["cpu"])
    >>> [row["method"] for row in rows]  # doctest: +NORMALIZE_WHITESPACE
    ['f, NumPy', 'finite differences', 'f, JAX jit', 'reverse mode (grad)',
     'forward mode (jacfwd)']
    >>> round(rows[0]["f_evaluations"], 1)
    1.0
    """
    sizes = _check_sizes("sizes", sizes)
    numerical_max = check_int("numerical_max", numerical_max, 0)
    forward_max = check_int("forward_max", forward_max, 0)
    devices = _check_backends(backends)
    repeats = check_int("repeats", repeats, 1)
    budget = _check_seconds("budget", budget)

    rows = []

    def measure(n, calls):
        """Time a group in turns; its first entry is f, the unit of the others."""
        timings = _interleaved(calls, repeats, budget)
        unit = next(iter(timings.values())).median
        for (method, backend, precision), timing in timings.items():
            evaluations = timing.median / unit
            rows.append(_row(method, backend, n, precision, timing, f_evaluations=evaluations))

    numerical = functools.partial(gradient, method="numerical")
    forward = functools.partial(gradient, method="forward")
    f_jit = jax.jit(_rosenbrock_jax)
    for n in sizes:
        point = np.random.default_rng(0).uniform(-1.0, 1.0, n)
        calls = {("f, NumPy", "cpu", "float64"): (_rosenbrock, (point,))}
        if n <= numerical_max:
            calls["finite differences", "cpu", "float64"] = (numerical, (_rosenbrock, point))
        measure(n, calls)
        for backend, device in devices.items():
            x = jax.device_put(jnp.asarray(point, dtype=jnp.float32), device)
            calls = {
                ("f, JAX jit", backend, "float32"): (f_jit, (x,)),
                ("reverse mode (grad)", backend, "float32"): (gradient, (_rosenbrock_jax, x)),
            }
            if n <= forward_max:
                calls["forward mode (jacfwd)", backend, "float32"] = (forward, (_rosenbrock_jax, x))
            measure(n, calls)
    return rows


def gradient_cost_ratios(
    n: int = 10**6,
    backends: Iterable[str] | None = None,
    repeats: int = 15,
    budget: float = 2.0,
) -> list[dict]:
    r"""What one gradient of the Rosenbrock function costs at ``n``, in jitted evaluations of f.

    Reverse mode's *cheap gradient principle* bounds a gradient by a small constant number of
    evaluations of $f$ (about 4). Each row times one way to get $\nabla f$, in float32:

    - ``f, jit``: one evaluation of $f$, the unit;
    - ``jit(grad(f)), compiled once``: the compiled gradient called directly;
    - ``gradient(f, x), JAX array``: [`gradient`][calcml.gradients.gradient], ``x`` on the device;
    - ``gradient(f, x), NumPy float64``: the same, ``x`` converted on every call;
    - ``grad(f), not jitted``: JAX running the gradient op by op;
    - ``jit(grad(f)) built in each call``: a wrapper that traces and compiles on every call.

    The first four are timed in turns, so that the ratios compare like with like on a busy
    machine; the last two, tens of times slower, are timed after them.

    Parameters
    ----------
    n : int, default 10**6
        The dimension.
    backends : iterable of str, optional
        JAX backends to time; default: every one present.
    repeats : int, default 15
        Repeats per measurement, at most.
    budget : float, default 2.0
        Seconds per measurement, at most, once one repeat has run.

    Returns
    -------
    list of dict
        One row per way and backend: ``method``, ``backend``, ``n``, ``precision``, the fields
        of [`Timing.as_dict`][calcml.bench.Timing.as_dict] and ``ratio``, the median over the
        median of ``f, jit``.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 2, ``backends`` names a backend JAX does not find here,
        or ``repeats`` or ``budget`` is invalid.

    Examples
    --------
    >>> from calcml import gradient_cost_ratios
    >>> rows = gradient_cost_ratios(n=1000, repeats=1, backends=["cpu"])
    >>> rows[0]["method"], rows[0]["ratio"]
    ('f, jit', 1.0)
    >>> len(rows)
    6
    """
    n = check_int("n", n, 2)
    devices = _check_backends(backends)
    repeats = check_int("repeats", repeats, 1)
    budget = _check_seconds("budget", budget)

    point = np.random.default_rng(0).uniform(-1.0, 1.0, n)
    f = _rosenbrock_jax
    rows = []
    for backend, device in devices.items():
        x = jax.device_put(jnp.asarray(point, dtype=jnp.float32), device)
        with jax.default_device(device):
            # The cheap ways are timed in turns, so that f and its gradients see the same machine.
            cheap = {
                "f, jit": (jax.jit(f), (x,)),
                "jit(grad(f)), compiled once": (jax.jit(jax.grad(f)), (x,)),
                "gradient(f, x), JAX array": (gradient, (f, x)),
                "gradient(f, x), NumPy float64": (gradient, (f, point)),
            }
            timings = _interleaved(cheap, repeats, budget)
            costly = {
                "grad(f), not jitted": jax.grad(f),
                "jit(grad(f)) built in each call": lambda v: jax.jit(jax.grad(f))(v),
            }
            for method, way in costly.items():
                timings[method] = time_call(way, x, repeats=repeats, budget=budget)
        unit = timings["f, jit"].median
        for method, timing in timings.items():
            rows.append(_row(method, backend, n, "float32", timing, ratio=timing.median / unit))
    return rows
