r"""Gradient descent and Newton's method, for scalars and vectors alike.

Gradient descent repeats $x \leftarrow x - \alpha\, f'(x)$ with learning rate $\alpha$;
Newton's method repeats $x \leftarrow x - f''(x)^{-1} f'(x)$. The NumPy paths compute in
float64; the JAX path in JAX's default float32.
"""

import weakref
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from calcml._checks import check_callable, check_finite_array

BOUND = 1e12
"""An iterate with any coordinate beyond this in absolute value counts as exploding."""


class DivergenceError(ArithmeticError):
    """The iterates became non-finite or exploded past :data:`BOUND`.

    Attributes
    ----------
    path : numpy.ndarray
        The iterates up to the failure, ``x0`` first, so a diverging run can still be drawn.
    learning_rate : float
        The learning rate of the run.
    iteration : int
        The iteration whose iterate failed (1 is the first step).
    """

    def __init__(self, message: str, *, path: np.ndarray, learning_rate: float, iteration: int):
        super().__init__(message)
        self.path = path
        self.learning_rate = learning_rate
        self.iteration = iteration


class DescentResult(NamedTuple):
    """What an optimiser returns.

    Attributes
    ----------
    x : float or numpy.ndarray
        The last iterate.
    path : numpy.ndarray
        ``x0`` first, then every iterate: shape ``(k + 1,)`` for scalars, ``(k + 1, n)`` for
        vectors.
    values : numpy.ndarray or None
        ``f`` at every point of ``path`` when ``f`` was given.
    converged : bool
        Whether the stopping rule held: a step shorter than ``tol``.
    num_iterations : int
        How many steps were taken, ``k``.
    """

    x: float | np.ndarray
    path: np.ndarray
    values: np.ndarray | None
    converged: bool
    num_iterations: int


def _check_settings(learning_rate: Any, num_iterations: Any, tol: Any) -> None:
    if learning_rate is not None and (
        not isinstance(learning_rate, Real) or not np.isfinite(learning_rate) or learning_rate <= 0
    ):
        raise ValueError(f"learning_rate must be a positive finite number, got {learning_rate!r}")
    if not isinstance(num_iterations, Integral) or num_iterations < 1:
        raise ValueError(f"num_iterations must be an integer of at least 1, got {num_iterations!r}")
    if tol is not None and (not isinstance(tol, Real) or not tol > 0):
        raise ValueError(f"tol must be a positive number or None, got {tol!r}")


def _iterate(
    step: Callable,
    x0: Any,
    num_iterations: int,
    tol: float | None,
    f: Callable | None,
    learning_rate: float | None,
) -> DescentResult:
    """Apply ``step`` until ``num_iterations`` or a step shorter than ``tol``."""
    x = check_finite_array("x0", x0)
    path = [x]
    converged = False
    for iteration in range(1, num_iterations + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            new = np.asarray(step(x), dtype=np.float64).reshape(x.shape)
        if not np.all(np.isfinite(new)) or np.max(np.abs(new)) > BOUND:
            rate = "" if learning_rate is None else f" with learning_rate={learning_rate}"
            raise DivergenceError(
                f"diverged{rate}: iteration {iteration} gave {new!r} (non-finite or beyond "
                f"{BOUND:g}); try a smaller learning rate",
                path=np.array(path),
                learning_rate=learning_rate,
                iteration=iteration,
            )
        path.append(new)
        done = tol is not None and np.linalg.norm(new - x) < tol
        x = new
        if done:
            converged = True
            break
    path = np.array(path)
    values = None if f is None else np.array([float(f(p)) for p in path])
    last = float(x) if x.ndim == 0 else x
    return DescentResult(last, path, values, converged, len(path) - 1)


def gradient_descent(
    dfdx: Callable,
    x0: float | np.ndarray,
    learning_rate: float,
    num_iterations: int,
    *,
    tol: float | None = None,
    f: Callable | None = None,
) -> DescentResult:
    r"""Minimise a function by stepping against its derivative: $x \leftarrow x - \alpha f'(x)$.

    Works on scalars and on vectors (then ``dfdx`` returns the gradient). Computed in float64.

    Parameters
    ----------
    dfdx : callable
        The derivative (or gradient) of the function to minimise.
    x0 : float or array_like
        The starting point.
    learning_rate : float
        The step size $\alpha$, positive. Too small crawls, too large oscillates or diverges.
    num_iterations : int
        The most steps to take, at least 1.
    tol : float, optional
        Stop as soon as a step is shorter than ``tol`` (Euclidean norm); ``converged`` then
        says so. Default: always take ``num_iterations`` steps.
    f : callable, optional
        The function itself, to record its values along the path.

    Returns
    -------
    DescentResult
        The last iterate, the path, the values, whether it converged, the steps taken.

    Raises
    ------
    DivergenceError
        If an iterate is non-finite or beyond :data:`BOUND`; it carries the path so far.
    ValueError
        If ``learning_rate`` is not positive, ``num_iterations`` is not an integer of at
        least 1, ``tol`` is not positive, or ``x0`` is not finite.
    TypeError
        If ``dfdx`` is not callable.

    Examples
    --------
    $f(x) = e^x - \log x$ has its minimum where $f'(x) = e^x - 1/x = 0$, at $x = 0.567143\dots$:

    >>> import numpy as np
    >>> from calcml import gradient_descent
    >>> result = gradient_descent(lambda x: np.exp(x) - 1 / x, 1.0, 0.1, 200, tol=1e-10)
    >>> round(result.x, 6), result.converged
    (0.567143, True)
    """
    check_callable("dfdx", dfdx)
    _check_settings(learning_rate, num_iterations, tol)
    if f is not None:
        check_callable("f", f)
    return _iterate(
        lambda x: x - learning_rate * np.asarray(dfdx(x)), x0, num_iterations, tol, f, learning_rate
    )


def newton_method(
    dfdx: Callable,
    d2fdx2: Callable,
    x0: float | np.ndarray,
    num_iterations: int,
    *,
    tol: float | None = None,
    f: Callable | None = None,
) -> DescentResult:
    r"""Find a critical point with Newton's method: $x \leftarrow x - f''(x)^{-1} f'(x)$.

    It fits a parabola (a quadratic in several variables) at each point and jumps to its
    vertex, so near a minimum it converges in a handful of steps, against the hundreds of
    gradient descent. It needs the second derivative (the Hessian for vectors, whose system is
    solved rather than inverted), and it finds maxima and saddles as readily as minima.

    Parameters
    ----------
    dfdx : callable
        The derivative or gradient.
    d2fdx2 : callable
        The second derivative, or the Hessian matrix for vectors.
    x0 : float or array_like
        The starting point.
    num_iterations : int
        The most steps to take, at least 1.
    tol : float, optional
        Stop as soon as a step is shorter than ``tol``.
    f : callable, optional
        The function, to record its values along the path.

    Returns
    -------
    DescentResult
        As for :func:`gradient_descent`.

    Raises
    ------
    DivergenceError
        If an iterate is non-finite or beyond :data:`BOUND` (for example where $f'' = 0$).
    ValueError, TypeError
        For bad arguments, as for :func:`gradient_descent`.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import newton_method
    >>> result = newton_method(lambda x: np.exp(x) - 1 / x, lambda x: np.exp(x) + 1 / x**2,
    ...                        1.0, 50, tol=1e-10)
    >>> round(result.x, 6), result.num_iterations
    (0.567143, 5)
    """
    check_callable("dfdx", dfdx)
    check_callable("d2fdx2", d2fdx2)
    _check_settings(None, num_iterations, tol)

    def step(x: np.ndarray) -> np.ndarray:
        g, h = np.asarray(dfdx(x), dtype=float), np.asarray(d2fdx2(x), dtype=float)
        if x.ndim == 0:
            return x - g / h
        try:
            return x - np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            return np.full_like(x, np.nan)

    return _iterate(step, x0, num_iterations, tol, f, None)


_compiled_scans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _compiled_scan(dfdx: Callable, num_iterations: int) -> Callable:
    """``jit(lax.scan)`` of the update, built once per ``(dfdx, num_iterations)``."""
    try:
        per_function = _compiled_scans.setdefault(dfdx, {})
    except TypeError:  # not weak-referenceable (a builtin): compile again next time
        per_function = {}
    if num_iterations not in per_function:

        def run(x0, learning_rate):
            def update(x, _):
                new = x - learning_rate * dfdx(x)
                return new, new

            _, iterates = jax.lax.scan(update, x0, length=num_iterations)
            return jnp.concatenate([x0[None], iterates])

        per_function[num_iterations] = jax.jit(run)
    return per_function[num_iterations]


def gradient_descent_jax(
    dfdx: Callable, x0: float | np.ndarray, learning_rate: float, num_iterations: int
) -> DescentResult:
    r"""Gradient descent as one compiled JAX loop (``jit`` of ``lax.scan``).

    The same iterates as :func:`gradient_descent`, in float32: the whole loop is compiled
    once per ``(dfdx, num_iterations)``, so later calls, with any ``x0`` or learning rate, run
    without Python in the loop. There is no early stop (a compiled loop has a fixed length);
    divergence is checked after the loop.

    Parameters
    ----------
    dfdx : callable
        The derivative or gradient, written with ``jax.numpy``.
    x0 : float or array_like
        The starting point.
    learning_rate : float
        The step size, positive.
    num_iterations : int
        The number of steps, at least 1.

    Returns
    -------
    DescentResult
        With ``values`` None and ``converged`` False.

    Raises
    ------
    DivergenceError, ValueError, TypeError
        As for :func:`gradient_descent`.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from calcml import gradient_descent_jax
    >>> result = gradient_descent_jax(lambda x: jnp.exp(x) - 1 / x, 1.0, 0.1, 200)
    >>> round(result.x, 5)
    0.56714
    """
    check_callable("dfdx", dfdx)
    _check_settings(learning_rate, num_iterations, None)
    x0 = check_finite_array("x0", x0)
    path = np.asarray(
        _compiled_scan(dfdx, int(num_iterations))(jnp.asarray(x0, dtype=float), learning_rate),
        dtype=np.float64,
    )
    bad = ~np.isfinite(path) | (np.abs(path) > BOUND)
    if bad.any():
        iteration = int(np.argmax(bad.reshape(len(path), -1).any(axis=1)))
        raise DivergenceError(
            f"diverged with learning_rate={learning_rate}: iteration {iteration} gave "
            f"{path[iteration]!r} (non-finite or beyond {BOUND:g}); try a smaller learning rate",
            path=path[:iteration],
            learning_rate=learning_rate,
            iteration=iteration,
        )
    last = float(path[-1]) if path.ndim == 1 else path[-1]
    return DescentResult(last, path, None, False, int(num_iterations))
