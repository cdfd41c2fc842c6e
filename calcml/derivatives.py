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


EPS = np.finfo(np.float64).eps
SCHEMES = ("forward", "backward", "central", "complex")


def default_step(x: np.ndarray, scheme: str) -> np.ndarray:
    """The step that balances truncation against round-off error in float64, scaled by |x|.

    About $\\sqrt{\\epsilon}$ for one-sided schemes (truncation error $O(h)$) and
    $\\epsilon^{1/3}$ for the central one ($O(h^2)$); the scale $\\max(1, |x|)$ keeps the step
    meaningful for large $x$ and non-zero at $x = 0$. The complex step has no cancellation, so
    it can be tiny.
    """
    if scheme == "complex":
        return np.full_like(x, 1e-20)
    power = 1 / 3 if scheme == "central" else 1 / 2
    return EPS**power * np.maximum(1.0, np.abs(x))


def numerical_derivative(
    f: Callable,
    x: float | np.ndarray,
    h: float | np.ndarray | None = None,
    scheme: str = "central",
) -> np.ndarray:
    r"""Approximate $f'(x)$ element-wise by finite differences, in float64.

    | scheme | formula | error |
    | --- | --- | --- |
    | ``"forward"`` | $\frac{f(x+h) - f(x)}{h}$ | $O(h)$ |
    | ``"backward"`` | $\frac{f(x) - f(x-h)}{h}$ | $O(h)$ |
    | ``"central"`` | $\frac{f(x+h) - f(x-h)}{2h}$ | $O(h^2)$ |
    | ``"complex"`` | $\frac{\operatorname{Im} f(x + ih)}{h}$ | $O(h^2)$, no cancellation |

    Smaller $h$ cuts the truncation error but, except for the complex step, raises the
    round-off error of subtracting nearly equal numbers. The default $h$ balances the two.

    Parameters
    ----------
    f : callable
        A scalar function applied to NumPy arrays element-wise. The complex step needs ``f``
        to accept complex input (NumPy ufuncs do; ``abs`` and comparisons do not).
    x : float or array_like
        Where to differentiate.
    h : float or array_like, optional
        Step sizes, positive. Default: about $\sqrt{\epsilon} \max(1, |x|)$ for the one-sided
        schemes, $\epsilon^{1/3} \max(1, |x|)$ for the central one ($\epsilon$ is float64's
        machine epsilon), and $10^{-20}$ for the complex step.
    scheme : {"central", "forward", "backward", "complex"}
        Which difference to take.

    Returns
    -------
    numpy.ndarray
        The derivative estimates, with the broadcast shape of ``x`` and ``h``.

    Raises
    ------
    ValueError
        If ``h`` is not positive and finite, ``x`` is not finite, or ``scheme`` is unknown.
    TypeError
        If ``f`` is not callable.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import numerical_derivative
    >>> round(float(numerical_derivative(lambda x: x**2, 3.0)), 8)
    6.0
    >>> [round(float(d), 6) for d in numerical_derivative(np.sin, [0.0, np.pi], scheme="forward")]
    [1.0, -1.0]
    """
    check_callable("f", f)
    x = check_finite_array("x", x)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(map(repr, SCHEMES))}; got {scheme!r}")
    if h is None:
        h = default_step(x, scheme)
    else:
        h = check_finite_array("h", h)
        if np.any(h <= 0):
            raise ValueError(f"h must be positive (the step size), got {h!r}")
    if scheme == "forward":
        return (np.asarray(f(x + h)) - np.asarray(f(x))) / h
    if scheme == "backward":
        return (np.asarray(f(x)) - np.asarray(f(x - h))) / h
    if scheme == "central":
        return (np.asarray(f(x + h)) - np.asarray(f(x - h))) / (2 * h)
    return np.imag(np.asarray(f(x + 1j * h))) / h


def numerical_gradient(f: Callable, x: np.ndarray) -> np.ndarray:
    """Central-difference gradient of f: R^n -> R, one coordinate at a time: 2n evaluations."""
    steps = default_step(x, "central")
    grad = np.empty_like(x)
    point = x.copy()
    for i, step in enumerate(steps):
        point[i] = x[i] + step
        upper = f(point)
        point[i] = x[i] - step
        lower = f(point)
        point[i] = x[i]
        grad[i] = float(upper - lower) / (2 * step)
    return grad
