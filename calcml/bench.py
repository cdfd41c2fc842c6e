r"""Timing differentiation honestly: compile time apart, medians with their spread, provenance.

[`time_call`][calcml.bench.time_call] is the harness: it times a function's first call (which,
for a JAX function, traces and compiles it) apart from its steady state, warms it up, and takes
the median of several repeats, each call blocked on with ``jax.block_until_ready`` so that JAX's
asynchronous dispatch cannot make it look faster than it is.

Three suites use it, with sizes you can change:

- [`benchmark_derivatives`][calcml.bench.benchmark_derivatives]: $f'(x)$ of
  $f(x) = \sin(x)\,e^{-x^2}$ on a grid of $n$ points, by SymPy, NumPy and JAX;
- [`benchmark_gradients`][calcml.bench.benchmark_gradients]: $\nabla f$ of the Rosenbrock
  function $f: \mathbb{R}^n \to \mathbb{R}$ by finite differences, reverse and forward mode;
- [`gradient_cost_ratios`][calcml.bench.gradient_cost_ratios]: what a gradient costs, in
  evaluations of $f$, at $n = 10^6$, and what a wrapper that re-traces on every call costs.

Every row is a plain ``dict``, so the results are data: tables, plots and JSON files are made
from them. [`provenance`][calcml.bench.provenance] says where they were measured. GPU results
recorded elsewhere ship with the package and come back from
[`load_gpu_records`][calcml.bench.load_gpu_records], marked stale when the benchmark code has
changed since (its hash is [`benchmark_code_hash`][calcml.bench.benchmark_code_hash]).
[`timing_table`][calcml.bench.timing_table] and [`format_seconds`][calcml.bench.format_seconds]
present the rows.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import hashlib
import html as htmllib
import json
import math
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from calcml._checks import check_callable
from calcml.autodiff import autodiff_derivative
from calcml.derivatives import numerical_derivative
from calcml.gradients import gradient
from calcml.symbolic import symbolic_derivative

PACKAGE_DIR = Path(__file__).resolve().parent
# The code whose results the benchmarks report: a change to any of these files marks recorded
# results stale. Raw bytes (line endings normalised), so even a comment counts as a change.
CODE_FILES = ("bench.py", "autodiff.py", "derivatives.py", "gradients.py", "symbolic.py")
GPU_RECORDS = "gpu_benchmarks.json"
PROVENANCE_KEYS = (
    *("date", "cpu", "cpu_count", "platform", "python", "numpy", "sympy", "jax", "jaxlib"),
    *("jax_backend", "jax_devices", "gpu", "git_commit", "git_dirty", "code_hash"),
)
DERIVATIVE_SIZES = (10**2, 10**3, 10**4, 10**5, 10**6)
GRADIENT_SIZES = (10, 10**2, 10**3, 10**4, 10**5, 10**6)
_MIN_REPEAT_SECONDS = 5e-3  # calls per repeat are chosen so that one repeat lasts this long
_MAX_NUMBER = 10_000


@dataclass(frozen=True)
class Timing:
    """The timings of one function: its first call apart, then repeats of the steady state.

    Attributes
    ----------
    first_call : float
        Seconds taken by the first call, which includes tracing and compiling for a JAX function.
    times : tuple of float
        Seconds per call in each repeat (a repeat's time divided by ``number``).
    number : int
        Calls per repeat.
    value : object
        What the last call returned (left out of [`as_dict`][calcml.bench.Timing.as_dict]).

    Examples
    --------
    >>> from calcml import Timing
    >>> timing = Timing(first_call=0.5, times=(0.1, 0.3, 0.2), number=1)
    >>> timing.median, timing.minimum, timing.maximum
    (0.2, 0.1, 0.3)
    >>> timing.as_dict()["repeats"]
    3
    """

    first_call: float
    times: tuple[float, ...]
    number: int
    value: Any = field(default=None, repr=False, compare=False)

    @property
    def median(self) -> float:
        """Median seconds per call over the repeats: the steady-state time."""
        return statistics.median(self.times)

    @property
    def minimum(self) -> float:
        """Fastest repeat, seconds per call."""
        return min(self.times)

    @property
    def maximum(self) -> float:
        """Slowest repeat, seconds per call."""
        return max(self.times)

    @property
    def iqr(self) -> float:
        """Interquartile range of the repeats, seconds per call (0 for fewer than two)."""
        if len(self.times) < 2:
            return 0.0
        q1, _, q3 = statistics.quantiles(self.times, n=4, method="inclusive")
        return q3 - q1

    def as_dict(self) -> dict[str, float | int]:
        """The timing as plain numbers: first call, median, min, max, IQR, repeats, number."""
        return {
            "first_call": self.first_call,
            "median": self.median,
            "min": self.minimum,
            "max": self.maximum,
            "iqr": self.iqr,
            "repeats": len(self.times),
            "number": self.number,
        }


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_seconds(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value < math.inf:
        raise ValueError(f"{name} must be a positive number of seconds or None, got {value!r}")
    return float(value)


def _timed_call(f: Callable, args: tuple) -> tuple[float, Any]:
    start = time.perf_counter()
    value = jax.block_until_ready(f(*args))
    return time.perf_counter() - start, value


def _repeat(f: Callable, args: tuple, number: int) -> tuple[float, Any]:
    """Seconds per call of ``number`` calls in a row, and the last call's result."""
    begin = time.perf_counter()
    for _ in range(number):
        value = jax.block_until_ready(f(*args))
    return (time.perf_counter() - begin) / number, value


@contextlib.contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def time_call(
    f: Callable,
    *args: Any,
    warmup: int = 1,
    repeats: int = 7,
    number: int | None = None,
    budget: float | None = None,
) -> Timing:
    """Time ``f(*args)``: the first call apart, then the median of repeats after a warm-up.

    1. The first call is timed alone: for a JAX function it includes tracing and compilation.
    2. ``warmup`` more calls are made and not counted (caches, memory, CPU frequency settle).
    3. ``repeats`` times, ``f`` is called ``number`` times in a row; each repeat gives seconds
       per call. Every call's result is blocked on with ``jax.block_until_ready`` (a no-op for
       NumPy arrays and Python numbers), so asynchronous JAX work is counted in full.

    The garbage collector is paused while timing, as :mod:`timeit` does.

    Parameters
    ----------
    f : callable
        The function to time.
    *args
        Its arguments, the same in every call.
    warmup : int, default 1
        Untimed calls after the first one.
    repeats : int, default 7
        How many repeats to take the median of, at most (see ``budget``).
    number : int, optional
        Calls per repeat. Default: enough for a repeat to last about 5 ms (at most 10,000), so
        that calls of a few microseconds are not lost in the timer's resolution.
    budget : float, optional
        Seconds to spend in all (first call and warm-up included): no further repeat starts once
        they are spent, but at least one repeat always runs. Default: no limit.

    Returns
    -------
    Timing
        The first call and the per-call time of each repeat, in seconds.

    Raises
    ------
    TypeError
        If ``f`` is not callable.
    ValueError
        If ``warmup`` is not an integer >= 0, ``repeats`` or ``number`` not an integer >= 1, or
        ``budget`` not a positive number of seconds.

    Examples
    --------
    A known sleep takes as long as it says, and every repeat is counted:

    >>> import time
    >>> from calcml import time_call
    >>> timing = time_call(time.sleep, 0.1, warmup=0, repeats=3)
    >>> round(timing.median, 1), timing.number, len(timing.times)
    (0.1, 1, 3)

    A jitted JAX function compiles in its first call, so that call is far slower than the rest:

    >>> import jax, jax.numpy as jnp
    >>> timing = time_call(jax.jit(lambda x: jnp.sin(x) ** 2), jnp.ones(1000))
    >>> timing.first_call > 10 * timing.median
    True
    """
    check_callable("f", f)
    warmup = _check_int("warmup", warmup, 0)
    repeats = _check_int("repeats", repeats, 1)
    number = None if number is None else _check_int("number", number, 1)
    budget = _check_seconds("budget", budget)

    with _gc_paused():
        start = time.perf_counter()
        first_call, value = _timed_call(f, args)
        last = first_call
        for _ in range(warmup):
            last, value = _timed_call(f, args)
        if number is None:
            number = min(_MAX_NUMBER, max(1, math.ceil(_MIN_REPEAT_SECONDS / max(last, 1e-9))))
        times = []
        while len(times) < repeats:
            if times and budget is not None and time.perf_counter() - start >= budget:
                break
            per_call, value = _repeat(f, args, number)
            times.append(per_call)
    return Timing(first_call=first_call, times=tuple(times), number=number, value=value)


def _interleaved(calls: dict, repeats: int, budget: float | None) -> dict[Any, Timing]:
    """Time several functions in turns, one repeat of each per round, so that a slow spell of
    the machine falls on all of them alike and their ratios stay fair.

    ``calls`` maps a key to ``(f, args)``. Each function's first call, warm-up and calls per
    repeat come from [`time_call`][calcml.bench.time_call]; then rounds run until ``repeats``
    or until the rounds have taken ``budget`` seconds per function.
    """
    first = {key: time_call(f, *args, repeats=1) for key, (f, args) in calls.items()}
    times = {key: list(timing.times) for key, timing in first.items()}
    values = {key: timing.value for key, timing in first.items()}
    limit = None if budget is None else budget * len(calls)
    start = time.perf_counter()
    with _gc_paused():
        for _ in range(repeats - 1):
            if limit is not None and time.perf_counter() - start >= limit:
                break
            for key, (f, args) in calls.items():
                per_call, values[key] = _repeat(f, args, first[key].number)
                times[key].append(per_call)
    return {
        key: Timing(timing.first_call, tuple(times[key]), timing.number, values[key])
        for key, timing in first.items()
    }


# --- Provenance -----------------------------------------------------------------------------


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or None


def _cpu_count() -> int | None:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the host's
    except (AttributeError, OSError):
        return os.cpu_count()


def _git(directory: Path, *command: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", "-C", str(directory), *command], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def _git_state(directory: Path) -> tuple[str | None, bool | None]:
    """The commit and whether tracked files differ from it, for the checkout ``directory``
    is the package of; ``(None, None)`` when it is not one (an installed package, no git)."""
    top = _git(directory, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != directory.resolve().parent:
        return None, None
    commit = _git(directory, "rev-parse", "HEAD")
    status = _git(directory, "status", "--porcelain", "--untracked-files=no")
    return commit, (None if status is None else bool(status))


def _gpu_devices() -> list:
    try:
        return jax.devices("gpu")
    except RuntimeError:  # CPU-only JAX: "Unknown backend: 'gpu' requested"
        return []


def _devices() -> dict[str, Any]:
    """The first JAX device of each backend present, CPU always, GPU when there is one."""
    found = {"cpu": jax.devices("cpu")[0]}
    gpus = _gpu_devices()
    if gpus:
        found["gpu"] = gpus[0]
    return found


def benchmark_code_hash() -> str:
    """SHA-256 of the benchmark code: this module and the modules whose speed it measures.

    Results recorded with one hash are stale under another: the code they timed has changed.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> from calcml import benchmark_code_hash
    >>> len(benchmark_code_hash())
    64
    """
    digest = hashlib.sha256()
    for name in CODE_FILES:
        text = (PACKAGE_DIR / name).read_bytes().replace(b"\r\n", b"\n")
        digest.update(name.encode() + b"\0" + text + b"\0")
    return digest.hexdigest()


def provenance() -> dict[str, Any]:
    """Where and with what the benchmarks run: hardware, software, date and code version.

    Returns
    -------
    dict
        With the keys of ``PROVENANCE_KEYS``: ``date`` (UTC, ISO 8601), ``cpu`` (model name),
        ``cpu_count`` (cores this process may use), ``platform``, the versions ``python``,
        ``numpy``, ``sympy``, ``jax`` and ``jaxlib``, ``jax_backend`` (JAX's default, ``"cpu"``
        or ``"gpu"``), ``jax_devices`` (every CPU and GPU device JAX sees), ``gpu`` (whether it
        sees a GPU), ``git_commit`` and ``git_dirty`` (``None`` outside a git checkout of
        calcml) and ``code_hash`` ([`benchmark_code_hash`][calcml.bench.benchmark_code_hash]).

    Examples
    --------
    >>> from calcml import provenance
    >>> from calcml.bench import PROVENANCE_KEYS
    >>> info = provenance()
    >>> tuple(info) == PROVENANCE_KEYS, info["cpu_count"] >= 1
    (True, True)
    """
    import jaxlib

    gpus = _gpu_devices()
    commit, dirty = _git_state(PACKAGE_DIR)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cpu_count": _cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "sympy": sp.__version__,
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "jax_backend": jax.default_backend(),
        "jax_devices": [f"{d.platform}:{d.id} {d.device_kind}" for d in jax.devices("cpu") + gpus],
        "gpu": bool(gpus),
        "git_commit": commit,
        "git_dirty": dirty,
        "code_hash": benchmark_code_hash(),
    }


# --- Suites ---------------------------------------------------------------------------------


def _check_sizes(name: str, sizes: Any) -> list[int]:
    try:
        values = list(sizes)
    except TypeError:
        raise ValueError(f"{name} must be a sequence of integers >= 2, got {sizes!r}") from None
    if not values:
        raise ValueError(f"{name} must name at least one size, got {sizes!r}")
    return [_check_int(f"{name} (each size)", value, 2) for value in values]


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
    subs_max = _check_int("subs_max", subs_max, 0)
    devices = _check_backends(backends)
    repeats = _check_int("repeats", repeats, 1)
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
    numerical_max = _check_int("numerical_max", numerical_max, 0)
    forward_max = _check_int("forward_max", forward_max, 0)
    devices = _check_backends(backends)
    repeats = _check_int("repeats", repeats, 1)
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
    n = _check_int("n", n, 2)
    devices = _check_backends(backends)
    repeats = _check_int("repeats", repeats, 1)
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


# --- Recorded GPU results -------------------------------------------------------------------


def mark_stale(records: Iterable[dict], code_hash: str | None = None) -> list[dict]:
    """Copies of ``records``, each with ``stale``: whether its code hash differs from this one.

    A record is a dict with at least ``provenance``, itself holding ``code_hash``, the
    [`benchmark_code_hash`][calcml.bench.benchmark_code_hash] of the code it ran. A record
    without one is stale: nothing says which code it measured.

    Parameters
    ----------
    records : iterable of dict
        Benchmark records.
    code_hash : str, optional
        The hash to compare with; default: that of the code installed now.

    Returns
    -------
    list of dict
        The records, shallow copies, with ``stale`` set to ``True`` or ``False``.

    Raises
    ------
    TypeError
        If a record is not a dict.

    Examples
    --------
    >>> from calcml import mark_stale
    >>> records = [{"provenance": {"code_hash": "abc"}}, {"provenance": {"code_hash": "old"}}]
    >>> [record["stale"] for record in mark_stale(records, code_hash="abc")]
    [False, True]
    """
    current = benchmark_code_hash() if code_hash is None else code_hash
    marked = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise TypeError(f"records[{index}] must be a dict, got {type(record).__name__}")
        recorded = (record.get("provenance") or {}).get("code_hash")
        marked.append({**record, "stale": recorded is None or recorded != current})
    return marked


def load_gpu_records(path: str | os.PathLike | None = None) -> list[dict]:
    """GPU benchmark results recorded earlier, each marked stale or current.

    ``scripts/record_gpu_benchmarks.py`` writes them, on a machine with a GPU, into the file
    ``gpu_benchmarks.json`` of the package, as ``{"records": [record, ...]}``: each record holds
    the ``provenance`` of its run and the rows of the three suites.

    Parameters
    ----------
    path : str or path-like, optional
        A records file to read instead of the package's.

    Returns
    -------
    list of dict
        The records, with ``stale`` set by [`mark_stale`][calcml.bench.mark_stale]; empty when
        the file is missing or holds none.

    Raises
    ------
    ValueError
        If the file is not JSON of that shape.

    Examples
    --------
    >>> from calcml import load_gpu_records
    >>> isinstance(load_gpu_records(), list)
    True
    """
    if path is None:
        source = resources.files("calcml") / GPU_RECORDS
        text = source.read_text() if source.is_file() else None
    else:
        source = Path(path)
        text = source.read_text() if source.is_file() else None
    if text is None:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"path {str(source)!r} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("records", []), list):
        raise ValueError(f"path {str(source)!r} must hold {{'records': [...]}}")
    return mark_stale(data.get("records", []))


# --- Tables ---------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_seconds(seconds: float) -> str:
    """A duration in the unit that suits it, to 3 significant digits.

    Parameters
    ----------
    seconds : float
        A non-negative duration.

    Returns
    -------
    str
        For example ``"5.72 µs"``, ``"239 ms"``, ``"1.5 s"``, ``"10 min"`` or ``"2.78 h"``.

    Raises
    ------
    ValueError
        If ``seconds`` is negative or not a finite number.

    Examples
    --------
    >>> from calcml import format_seconds
    >>> format_seconds(5.72e-6), format_seconds(0.2391), format_seconds(600), format_seconds(1e4)
    ('5.72 µs', '239 ms', '10 min', '2.78 h')
    """
    if isinstance(seconds, bool) or not isinstance(seconds, Real) or not 0 <= seconds < math.inf:
        raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
    units = (("h", 3600.0), ("min", 60.0), ("s", 1.0), ("ms", 1e-3), ("µs", 1e-6))
    for unit, scale in units:
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _size(n: int) -> str:
    k = round(math.log10(n))
    if 10**k == n and k > 1:
        return f"10{str(k).translate(_SUPERSCRIPTS)}"
    return f"{n:,}"


_TABLE_STYLE = "border-collapse: collapse; width: 100%; font-size: 0.6rem; text-align: right"


def timing_table(
    rows: Sequence[dict],
    column: str = "median",
    best_of: Iterable[str] | None = None,
    html: bool = False,
) -> str:
    """A table of benchmark rows, a line per size ``n`` and a column per method.

    Parameters
    ----------
    rows : sequence of dict
        Rows of a suite, such as [`benchmark_gradients`][calcml.bench.benchmark_gradients]
        returns: each has ``method``, ``backend`` and ``n``, and the ``column`` shown.
    column : str, default "median"
        What to show: ``"median"`` (with the spread below it in small print: half the range of
        the repeats, relative to the median), ``"first_call"``, or another number of the rows
        (``"max_error"``, ``"f_evaluations"``, ...).
    best_of : iterable of str, optional
        For a time column, the methods among which the fastest at each size is set in bold;
        default: every method shown.
    html : bool, default False
        Return a compact HTML table, styled inline, instead of Markdown: it fits six columns
        where a table in the site theme's style would need scrolling (the class
        ``calcml-timings`` keeps the theme's table style off it).

    Returns
    -------
    str
        The table; "not run" where a method stopped before a size. JAX methods are labelled
        with their backend: "JAX jit on CPU", "JAX jit on GPU".

    Raises
    ------
    ValueError
        If ``rows`` is empty, or a row lacks ``method``, ``backend``, ``n`` or ``column``.

    Examples
    --------
    >>> from calcml import timing_table
    >>> rows = [
    ...     {"method": "a", "backend": "cpu", "n": 10, "median": 2e-6, "min": 2e-6, "max": 2e-6},
    ...     {"method": "a", "backend": "cpu", "n": 100, "median": 3e-5, "min": 2e-5, "max": 4e-5},
    ...     {"method": "b", "backend": "cpu", "n": 10, "median": 1e-6, "min": 1e-6, "max": 1e-6},
    ... ]
    >>> print(timing_table(rows))
    | n | a | b |
    | ---: | ---: | ---: |
    | 10 | 2 µs<br><small>±0%</small> | **1 µs**<br><small>±0%</small> |
    | 10² | **30 µs**<br><small>±33%</small> | not run |
    """
    rows = list(rows)
    if not rows:
        raise ValueError("rows must hold at least one benchmark row, got none")
    for index, row in enumerate(rows):
        missing = {"method", "backend", "n", column} - set(row)
        if missing:
            raise ValueError(f"rows[{index}] lacks {sorted(missing)} for column {column!r}")
    timed = column in ("median", "first_call")
    eligible = None if best_of is None else set(best_of)
    sizes = sorted({row["n"] for row in rows})
    methods = list(dict.fromkeys((row["method"], row["backend"]) for row in rows))
    cells = {(row["method"], row["backend"], row["n"]): row for row in rows}
    bold = ("<b>", "</b>") if html else ("**", "**")

    def header(method: str, backend: str) -> str:
        jax_method = method.startswith(("JAX", "f, JAX", "reverse", "forward"))
        name = f"{method} on {backend.upper()}" if jax_method or backend != "cpu" else method
        return htmllib.escape(name) if html else name

    table = [["n", *(header(*method) for method in methods)]]
    for n in sizes:
        shown = [cells[key] for key in ((*m, n) for m in methods) if key in cells]
        candidates = [r for r in shown if eligible is None or r["method"] in eligible]
        best = min(candidates, key=lambda r: r[column]) if timed and candidates else None
        line = [_size(n)]
        for method, backend in methods:
            row = cells.get((method, backend, n))
            if row is None:
                line.append("not run")
                continue
            value = row[column]
            if timed:
                cell = format_seconds(value)
            else:
                cell = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
            if row is best:
                cell = bold[0] + cell + bold[1]
            if column == "median" and {"min", "max"} <= set(row):
                cell += f"<br><small>±{50 * (row['max'] - row['min']) / value:.0f}%</small>"
            line.append(cell)
        table.append(line)
    if not html:
        lines = ["| " + " | ".join(line) + " |" for line in table]
        return "\n".join([lines[0], "| ---: |" + " ---: |" * len(methods), *lines[1:]])
    # Legacy attributes (cellpadding, rules, align) style every cell at once, in few bytes.
    head = "".join(f'<th align="right">{text}</th>' for text in table[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{text}</td>" for text in line) + "</tr>" for line in table[1:]
    )
    return (
        f'<table class="calcml-timings" cellpadding="4" rules="rows" frame="hsides"'
        f' style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
