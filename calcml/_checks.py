"""Argument checks shared by calcml's public functions.

Each check raises an error whose message names the argument, the value received and what was
expected, so a mistake is reported at the public boundary, not deep inside NumPy.
"""

from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np


def check_callable(name: str, value: Any) -> Callable:
    if not callable(value):
        raise TypeError(f"{name} must be a callable, got {type(value).__name__} {value!r}")
    return value


def check_finite_array(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float64 array, or raise if it is not a finite number or array."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or array of them, got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def check_interval(name: str, value: Any) -> tuple[float, float]:
    """Return ``value`` as ``(low, high)`` with finite ``low < high``, or raise."""
    try:
        low, high = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (low, high), got {value!r}") from None
    if not all(isinstance(v, Real) and np.isfinite(v) for v in (low, high)) or not low < high:
        raise ValueError(f"{name} must be finite numbers with low < high, got {value!r}")
    return float(low), float(high)


def check_int(name: str, value: Any, minimum: int) -> int:
    """Return ``value`` as an int, or raise if it is not an integer (bools excluded) >= minimum."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)
