r"""The timing harness: compile time apart, medians with their spread, and provenance.

[`time_call`][calcml.bench.time_call] times a function's first call (which, for a JAX function,
traces and compiles it) apart from its steady state, warms it up, and takes the median of several
repeats, each call blocked on with ``jax.block_until_ready`` so that JAX's asynchronous dispatch
cannot make it look faster than it is. A [`Timing`][calcml.bench.Timing] holds the result.

[`provenance`][calcml.bench.provenance] says where a measurement was taken: hardware, software,
date and code version, including [`benchmark_code_hash`][calcml.bench.benchmark_code_hash], the
hash of the code the benchmarks time. A result recorded under another hash is stale.

The rest of the benchmarks build on this module:
[`calcml.bench_suites`][calcml.bench_suites] holds the suites that use the harness,
[`calcml.bench_records`][calcml.bench_records] the GPU results recorded elsewhere,
[`calcml.bench_report`][calcml.bench_report] the tables and figure that present results, and
[`calcml.bench_format`][calcml.bench_format] their numbers in words.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import math
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

import jax
import numpy as np
import sympy as sp

from calcml._checks import check_callable, check_int
from calcml._source import code_fingerprint

PACKAGE_DIR = Path(__file__).resolve().parent
# The code whose results the benchmarks report: the harness, the suites, the modules they time and
# the checks those modules run. A change to the code of any of these files marks recorded results
# stale; a change to a docstring or a comment does not.
CODE_FILES = (
    *("bench.py", "bench_suites.py", "bench_descent.py", "bench_parallel.py"),
    *("autodiff.py", "derivatives.py", "gradients.py", "symbolic.py", "optimize.py", "_checks.py"),
    *("data_parallel.py", "perceptron.py", "_source.py"),
)
PROVENANCE_KEYS = (
    *("date", "cpu", "cpu_count", "platform", "python", "numpy", "sympy", "jax", "jaxlib"),
    *("jax_backend", "jax_devices", "gpu", "git_commit", "git_dirty", "code_hash"),
)
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
    warmup = check_int("warmup", warmup, 0)
    repeats = check_int("repeats", repeats, 1)
    number = None if number is None else check_int("number", number, 1)
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
    """SHA-256 of the benchmark code: the harness, the suites and the modules they time.

    The files are those of ``CODE_FILES``: this module, the suites (``bench_suites.py``,
    ``bench_descent.py``), the modules whose speed they measure and the checks those run.
    Results recorded with one hash are stale under another: the code they timed has changed.
    Only the code counts: docstrings, comments and formatting do not change the hash.

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
        digest.update(name.encode() + b"\0" + code_fingerprint(PACKAGE_DIR / name) + b"\0")
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
