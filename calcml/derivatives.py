"""Derivatives from first principles: the slope between two points becoming the slope at one."""

from collections.abc import Callable

import numpy as np

from calcml._checks import check_callable, check_finite_array


def difference_quotient(f: Callable, x: float | np.ndarray, h: float | np.ndarray) -> np.ndarray:
    r"""Slope of the secant line through ``(x, f(x))`` and ``(x + h, f(x + h))``.

    $$\frac{f(x + h) - f(x)}{h}$$

    As $h \to 0$ it tends to the derivative $f'(x)$, when that exists. ``x`` and ``h``
    broadcast against each other, so one call gives the quotient for many step sizes.
    Computed in float64.

    Parameters
    ----------
    f : callable
        The function, applied to NumPy arrays element-wise.
    x : float or array_like
        Where to take the slope.
    h : float or array_like
        Step sizes, finite and non-zero; negative steps give the secant to the left.

    Returns
    -------
    numpy.ndarray
        The quotients, with the broadcast shape of ``x`` and ``h``.

    Raises
    ------
    TypeError
        If ``f`` is not callable, or ``x`` or ``h`` are not real numbers.
    ValueError
        If ``x`` or ``h`` are not finite, or any ``h`` is zero.

    Examples
    --------
    For $f(x) = x^2$ the quotient is exactly $2x + h$, so at $x = 3$ it approaches 6:

    >>> from calcml import difference_quotient
    >>> [round(float(q), 6) for q in difference_quotient(lambda x: x**2, 3.0, [1.0, 0.1, 0.001])]
    [7.0, 6.1, 6.001]
    """
    check_callable("f", f)
    x = check_finite_array("x", x)
    h = check_finite_array("h", h)
    if np.any(h == 0):
        raise ValueError(f"h must be non-zero (the secant needs two distinct points), got {h!r}")
    return (np.asarray(f(x + h)) - np.asarray(f(x))) / h
