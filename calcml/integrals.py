r"""Definite integrals of a function of one variable, by sums over a grid and by sampling.

Each rule approximates $\int_a^b f(x)\,dx$ from $n$ values of $f$, and calls ``f`` once, on a
float64 NumPy array of all $n$ points, so $n = 10^7$ takes no Python loop. With $h = (b - a)/n$:

| rule | points | error as $n$ grows |
| --- | --- | --- |
| ``riemann_sum``, left or right | an end of each strip | $O(h) = O(n^{-1})$ |
| ``riemann_sum``, midpoint | the middle of each strip | $O(h^2) = O(n^{-2})$ |
| ``trapezoid`` | both ends of each strip | $O(h^2) = O(n^{-2})$ |
| ``monte_carlo_integral`` | uniform random points | $O(n^{-1/2})$, in any dimension |

The grid rules' orders hold for a smooth $f$ (a continuous second derivative on $[a, b]$).
Integrals are signed: with $a > b$ each rule returns
$\int_a^b f(x)\,dx = -\int_b^a f(x)\,dx$, and with $a = b$ it returns 0.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from calcml._checks import check_callable, check_finite_array, check_int

RULES = ("left", "right", "midpoint")
"""The points of a Riemann sum: the left end, right end or middle of each strip."""

# Where each rule samples a strip [a + i h, a + (i + 1) h], as a fraction of h past its start.
_OFFSETS = {"left": 0.0, "right": 1.0, "midpoint": 0.5}


class MonteCarloEstimate(NamedTuple):
    """A Monte Carlo integral and its standard error.

    Attributes
    ----------
    estimate : float
        $(b - a)$ times the mean of $f$ at the random points.
    stderr : float
        The estimated standard deviation of ``estimate`` over repeated runs:
        $|b - a|\\, s / \\sqrt{n}$, with $s$ the sample standard deviation of the values of $f$.
        About 95% of runs land within ``2 * stderr`` of the integral.
    """

    estimate: float
    stderr: float


def _check_arguments(f: Any, a: Any, b: Any, n: Any, minimum: int = 1) -> tuple[float, float, int]:
    check_callable("f", f)
    bounds = []
    for name, bound in (("a", a), ("b", b)):
        value = check_finite_array(name, bound)
        if value.ndim != 0:
            raise ValueError(f"{name} must be a single number (a bound), got shape {value.shape}")
        bounds.append(float(value))
    a, b = bounds
    if not np.isfinite(b - a):  # else h is infinite and every rule returns inf or nan
        raise ValueError(f"b - a must be a finite float64, got a={a!r} and b={b!r}")
    return a, b, check_int("n", n, minimum)


def _values(f: Callable, x: np.ndarray) -> np.ndarray:
    """``f(x)``, called once, as a finite float64 array with one value per point of ``x``."""
    try:
        result = f(x)
    except TypeError as error:  # math.sin(x) and the like refuse an array
        raise TypeError(
            f"f must accept a NumPy array of all the points, shape {x.shape}, but raised "
            f"TypeError: {error}; write f with NumPy operations (np.sin, not math.sin)"
        ) from error
    if np.iscomplexobj(result):
        raise ValueError("f must return real numbers, got complex ones")
    try:
        values = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"f must return real numbers, got {type(result).__name__}") from None
    if values.shape != x.shape:
        raise ValueError(
            f"f must return one value per point, an array of shape {x.shape}, got shape "
            f"{values.shape}; write f with NumPy operations (np.sin, not math.sin), and return "
            "np.full_like(x, c) for a constant c"
        )
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        point, value = float(x[bad[0]]), float(values[bad[0]])
        raise ValueError(
            f"f must return finite numbers, got f({point!r}) = {value!r} at {bad.size} of the "
            f"{x.size} points; no rule can weigh an infinite or undefined value (the midpoint "
            "rule never evaluates f at a or b)"
        )
    return values


def riemann_sum(f: Callable, a: float, b: float, n: int, rule: str = "midpoint") -> float:
    r"""Approximate $\int_a^b f(x)\,dx$ by a Riemann sum of $n$ strips, in float64.

    Cut $[a, b]$ into $n$ strips of width $h = (b - a)/n$ and add up rectangles whose heights
    are $f$ at one point $x_i$ of each strip:

    $$\int_a^b f(x)\,dx \approx h \sum_{i=0}^{n-1} f(x_i), \qquad
    x_i = a + (i + c)\,h, \quad c = 0 \text{ (left)}, \tfrac12 \text{ (midpoint)}, 1
    \text{ (right)}.$$

    For a smooth $f$ the left sum falls short of the integral, and the right sum overshoots
    it, by about $\frac{h}{2}(f(b) - f(a))$: an error of order $n^{-1}$. The midpoint sum's
    errors cancel to first order, and it falls short by only about
    $\frac{h^2}{24}(f'(b) - f'(a))$, of order $n^{-2}$. It is exact for lines.

    Points are measured from $a$: with $a > b$, $h < 0$ and the sum is the signed integral,
    so ``riemann_sum(f, a, b, n, "left")`` is ``-riemann_sum(f, b, a, n, "right")``, up to
    rounding.

    Parameters
    ----------
    f : callable
        The integrand, applied element-wise to a 1-D NumPy array. It is called once, with all
        $n$ points, and must return an array of the same shape.
    a, b : float
        The bounds, finite.
    n : int
        The number of strips, at least 1.
    rule : {"midpoint", "left", "right"}
        Which point of each strip sets its height.

    Returns
    -------
    float
        The sum.

    Raises
    ------
    TypeError
        If ``f`` is not callable, a bound is not a real number, or ``f`` raises ``TypeError``
        on an array (``math.sin`` does).
    ValueError
        If ``n`` is not a positive integer, a bound or ``b - a`` is not finite, ``rule`` is
        unknown, or ``f`` does not return one finite real value per point.

    Examples
    --------
    $\int_0^1 x^2\,dx = 1/3$. With 100 strips the left sum is low and the right sum high by
    $h/2 = 0.005$, while the midpoint sum is off by only $h^2/12$:

    >>> from calcml import riemann_sum
    >>> for rule in ["left", "right", "midpoint"]:
    ...     print(rule, round(riemann_sum(lambda x: x**2, 0, 1, 100, rule=rule), 6))
    left 0.32835
    right 0.33835
    midpoint 0.333325
    """
    a, b, n = _check_arguments(f, a, b, n)
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}; got {rule!r}")
    h = (b - a) / n
    x = a + (np.arange(n, dtype=np.float64) + _OFFSETS[rule]) * h
    return float(h * np.sum(_values(f, x)))


def trapezoid(f: Callable, a: float, b: float, n: int) -> float:
    r"""Approximate $\int_a^b f(x)\,dx$ by the trapezoid rule with $n$ strips, in float64.

    Join the values of $f$ at the $n + 1$ grid points $x_i = a + i h$, $h = (b - a)/n$, by
    straight lines, and add up the areas of the trapezoids under them:

    $$\int_a^b f(x)\,dx \approx h \left( \frac{f(x_0)}{2} + f(x_1) + \dots + f(x_{n-1})
    + \frac{f(x_n)}{2} \right).$$

    This is the average of the left and right Riemann sums, so their first-order errors cancel:
    for a smooth $f$ the rule overshoots the integral by about
    $\frac{h^2}{12}(f'(b) - f'(a))$, of order $n^{-2}$: twice the midpoint sum's error, with
    the opposite sign. The rule is exact for lines. With $a > b$
    it returns the signed integral, $-\int_b^a f(x)\,dx$.

    Parameters
    ----------
    f : callable
        The integrand, applied element-wise to a 1-D NumPy array. It is called once, with all
        $n + 1$ grid points, and must return an array of the same shape.
    a, b : float
        The bounds, finite.
    n : int
        The number of strips, at least 1.

    Returns
    -------
    float
        The trapezoid rule's estimate.

    Raises
    ------
    TypeError
        If ``f`` is not callable, a bound is not a real number, or ``f`` raises ``TypeError``
        on an array (``math.sin`` does).
    ValueError
        If ``n`` is not a positive integer, a bound or ``b - a`` is not finite, or ``f`` does
        not return one finite real value per point.

    Examples
    --------
    $\int_0^1 x^2\,dx = 1/3$; with 100 strips the trapezoid rule is high by $h^2/6$:

    >>> from calcml import trapezoid
    >>> round(trapezoid(lambda x: x**2, 0, 1, 100), 6)
    0.33335
    """
    a, b, n = _check_arguments(f, a, b, n)
    values = _values(f, np.linspace(a, b, n + 1))
    h = (b - a) / n
    return float(h * (np.sum(values) - (values[0] + values[-1]) / 2))


def monte_carlo_integral(
    f: Callable, a: float, b: float, n: int, seed: int | None = None
) -> MonteCarloEstimate:
    r"""Estimate $\int_a^b f(x)\,dx$ from $n$ uniform random points, with its standard error.

    For $X$ uniform on $[a, b]$, $\int_a^b f(x)\,dx = (b - a)\,\mathbb{E}[f(X)]$, so the mean of
    $f$ at $n$ independent uniform points $x_1, \dots, x_n$, times $b - a$, estimates it:

    $$\hat I = \frac{b - a}{n} \sum_{i=1}^{n} f(x_i), \qquad
    \operatorname{SE} = \frac{|b - a|\, s}{\sqrt n},$$

    where $s$ is the sample standard deviation of the $f(x_i)$. By the central limit theorem
    $\hat I$ is nearly normal for large $n$, with standard deviation about SE: about 95% of runs
    land within $2\,\operatorname{SE}$ of the integral, and the error shrinks like
    $n^{-1/2}$, whatever the smoothness of $f$ and (for the many-dimensional version) whatever
    the dimension. With $a > b$ the estimate is the signed integral.

    Parameters
    ----------
    f : callable
        The integrand, applied element-wise to a 1-D NumPy array. It is called once, with all
        $n$ points, and must return an array of the same shape.
    a, b : float
        The bounds, finite.
    n : int
        The number of random points, at least 2 (the standard error needs two).
    seed : int, optional
        Seeds ``numpy.random.default_rng``, an integer >= 0: the same seed gives the same
        estimate. None (the default) draws fresh randomness.

    Returns
    -------
    MonteCarloEstimate
        The named tuple ``(estimate, stderr)``, two floats, computed in float64.

    Raises
    ------
    TypeError
        If ``f`` is not callable, a bound is not a real number, or ``f`` raises ``TypeError``
        on an array (``math.sin`` does).
    ValueError
        If ``n`` is not an integer of at least 2, a bound or ``b - a`` is not finite, ``seed``
        is neither None nor an integer >= 0, or ``f`` does not return one finite real value per
        point.

    Examples
    --------
    $\int_0^1 x^2\,dx = 1/3$. A million points give it to about three decimals, and the standard
    error says so:

    >>> from calcml import monte_carlo_integral
    >>> result = monte_carlo_integral(lambda x: x**2, 0, 1, 1_000_000, seed=0)
    >>> abs(result.estimate - 1 / 3) < 2 * result.stderr
    True
    >>> round(result.stderr, 5)
    0.0003
    """
    a, b, n = _check_arguments(f, a, b, n, minimum=2)
    if seed is not None:
        seed = check_int("seed", seed, 0)
    x = a + (b - a) * np.random.default_rng(seed).random(n)
    values = _values(f, x)
    estimate = (b - a) * np.mean(values)
    stderr = abs(b - a) * np.std(values, ddof=1) / np.sqrt(n)
    return MonteCarloEstimate(float(estimate), float(stderr))
