r"""Gradient descent and Newton's method, in NumPy and as one compiled JAX loop.

Gradient descent repeats one update, a step against the derivative (the gradient, for a
function of several variables), scaled by the learning rate $\alpha$:

$$x_{k+1} = x_k - \alpha\, \nabla f(x_k).$$

[`gradient_descent`][calcml.optimize.gradient_descent] runs it in NumPy (float64) for a scalar
or a vector $x$, and [`gradient_descent_jax`][calcml.optimize.gradient_descent_jax] runs the
same iterates as one ``jit``-compiled ``lax.scan`` (float32 by default).
[`newton_method`][calcml.optimize.newton_method] divides by the curvature instead of scaling
by $\alpha$. All three return a [`DescentResult`][calcml.optimize.DescentResult], and none
fails silently: an iterate that stops being a finite number, or grows beyond
[`DIVERGENCE_BOUND`][calcml.optimize.DIVERGENCE_BOUND], raises
[`DivergenceError`][calcml.optimize.DivergenceError].
[`benchmark_descent`][calcml.bench_descent.benchmark_descent] times the NumPy loop against the
JAX one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from calcml._checks import check_callable, check_finite_array, check_int

DIVERGENCE_BOUND = 1e12
"""An iterate with a component larger than this in absolute value has diverged."""


class DescentResult(NamedTuple):
    """What a run of gradient descent or Newton's method found, and how it got there.

    Attributes
    ----------
    x : float or numpy.ndarray
        The last iterate: a float for a scalar ``x0``, an array of ``x0``'s shape otherwise.
    path : numpy.ndarray
        ``x0`` first, then every iterate: shape ``(k + 1,)`` for a scalar ``x0``,
        ``(k + 1, n)`` for a vector of ``n`` components, where ``k`` is ``num_iterations``.
    values : numpy.ndarray or None
        ``f`` at each point of ``path``, shape ``(k + 1,)``, when ``f`` was given; else None.
    converged : bool
        Whether the gradient's norm at ``x`` is at most ``tol``; always False without ``tol``.
    num_iterations : int
        How many steps were taken: ``len(path) - 1``.
    """

    x: float | np.ndarray
    path: np.ndarray
    values: np.ndarray | None
    converged: bool
    num_iterations: int


class DivergenceError(ArithmeticError):
    """An iterate stopped being a finite number, grew beyond ``DIVERGENCE_BOUND``, or (when
    ``f`` was given) left the domain of ``f``, where ``f`` is not finite.

    The run up to the failure is kept, so it can still be drawn. The message names the
    learning rate and the iteration.

    Attributes
    ----------
    learning_rate : float or None
        The learning rate of the run (None for Newton's method, which has none).
    iteration : int
        The iteration whose iterate (or its value of ``f``) failed; ``path`` stops before it.
    path : numpy.ndarray
        ``x0`` and every iterate that passed: ``iteration`` points.
    why : str
        What was wrong with the failed iterate.
    """

    def __init__(self, learning_rate: float | None, iteration: int, path: np.ndarray, why: str):
        self.learning_rate = learning_rate
        self.iteration = iteration
        self.path = path
        self.why = why
        rate = "Newton's method" if learning_rate is None else f"learning_rate={learning_rate:g}"
        advice = "" if learning_rate is None else "; try a smaller learning_rate"
        super().__init__(f"diverged at iteration {iteration} with {rate}: {why}{advice}")

    def __reduce__(self):
        return type(self), (self.learning_rate, self.iteration, self.path, self.why)


# --- Argument checks -----------------------------------------------------------------------------


def _check_x0(x0: Any) -> np.ndarray:
    x0 = check_finite_array("x0", x0)
    if x0.ndim > 1 or x0.size == 0:
        raise ValueError(f"x0 must be a number or a non-empty 1-D array, got shape {x0.shape}")
    return x0


def _check_positive(name: str, value: Any) -> float:
    if isinstance(value, (bool, str, bytes)) or np.ndim(value) != 0:
        raise TypeError(f"{name} must be a real number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}") from None
    if not 0 < number < np.inf:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def _check_options(tol: Any, f: Any) -> float | None:
    if f is not None:
        check_callable("f", f)
    return None if tol is None else _check_positive("tol", tol)


# --- The NumPy loop ------------------------------------------------------------------------------


def _evaluate(name: str, function: Callable, x: np.ndarray, shape: tuple) -> np.ndarray:
    """``function(x)`` as a float64 array of ``shape``; ``x`` a fresh copy, a scalar if 0-d."""
    result = function(x.copy() if x.ndim else x[()])
    try:
        value = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must return real numbers, got {result!r}") from None
    if value.shape != shape:
        raise ValueError(f"{name} must return an array of shape {shape}, got shape {value.shape}")
    return value


def _value_at_x0(f: Callable, x0: np.ndarray) -> float:
    value = float(_evaluate("f", f, x0, ()))
    if not np.isfinite(value):
        raise ValueError(f"f(x0) must be finite, got {value} at x0 = {x0.tolist()!r}")
    return value


def _trouble(x: np.ndarray) -> str | None:
    """Why ``x`` has diverged, or None if it has not."""
    if not np.all(np.isfinite(x)):
        return f"the iterate is {x.tolist()!r}, not finite"
    if np.max(np.abs(x)) > DIVERGENCE_BOUND:
        return f"|x| = {np.max(np.abs(x)):.3g} exceeds {DIVERGENCE_BOUND:g}"
    return None


def _descend(
    step: Callable[[np.ndarray, np.ndarray], np.ndarray],
    dfdx: Callable,
    x0: np.ndarray,
    num_iterations: int,
    tol: float | None,
    f: Callable | None,
    learning_rate: float | None,
) -> DescentResult:
    """Iterate ``x <- step(x, dfdx(x))`` with the stopping and divergence rules documented in
    ``gradient_descent``; ``step`` is the method's update, ``learning_rate`` only reported."""
    x = x0
    path = [x0]
    converged = False
    # NumPy's floating-point warnings are silenced: what they warn of, a non-finite number,
    # raises a DivergenceError instead (or, inside f or dfdx, does no harm).
    with np.errstate(all="ignore"):
        values = None if f is None else [_value_at_x0(f, x0)]
        for iteration in range(num_iterations + 1):
            gradient = _evaluate("dfdx", dfdx, x, x0.shape)
            if tol is not None and np.linalg.norm(gradient) <= tol:
                converged = True
                break
            if iteration == num_iterations:
                break
            x = step(x, gradient)
            why = _trouble(x)
            if why is None and values is not None:
                value = float(_evaluate("f", f, x, ()))
                if not np.isfinite(value):
                    why = f"f(x) = {value} at x = {x.tolist()!r} (x left the domain of f?)"
            if why is not None:
                raise DivergenceError(learning_rate, iteration + 1, np.array(path), why)
            path.append(x)
            if values is not None:
                values.append(value)
    return DescentResult(
        x=float(x) if x.ndim == 0 else x.copy(),
        path=np.array(path),
        values=None if values is None else np.array(values),
        converged=converged,
        num_iterations=len(path) - 1,
    )


def gradient_descent(
    dfdx: Callable,
    x0: float | np.ndarray,
    learning_rate: float,
    num_iterations: int,
    *,
    tol: float | None = None,
    f: Callable | None = None,
) -> DescentResult:
    r"""Minimise $f$ by gradient descent, $x_{k+1} = x_k - \alpha\, \nabla f(x_k)$, in float64.

    One loop serves a scalar $x$ (then $\nabla f = f'$) and a vector $x$ alike.

    - **Stopping.** It stops after ``num_iterations`` steps or, when ``tol`` is given, as soon
      as the gradient at the current iterate is small, $\lVert \nabla f(x_k) \rVert \le$
      ``tol`` (the Euclidean norm; $|f'(x_k)|$ for a scalar). It then returns that $x_k$ with
      ``converged=True`` without stepping. A small *gradient* is tested rather than a small
      *step*, because a tiny learning rate makes tiny steps far from any minimum too.
    - **Divergence.** An iterate with a component that is not finite or exceeds
      ``DIVERGENCE_BOUND`` ($10^{12}$) in absolute value, or (when ``f`` is given) where ``f``
      is not finite, raises [`DivergenceError`][calcml.optimize.DivergenceError] carrying the
      path up to it. NumPy's floating-point warnings (overflow, invalid value) are silenced
      inside the loop, since this error reports what they would warn of.

    Parameters
    ----------
    dfdx : callable
        The derivative $f'$ (scalar ``x0``) or gradient $\nabla f$ (vector ``x0``). It gets a
        float64 NumPy scalar or a copy of a 1-D float64 array, and must return a number or an
        array of the same shape. One written with ``jax.numpy`` works too, but computes in
        float32 unless JAX's x64 mode is on.
    x0 : float or array_like
        The starting point: a number, or a 1-D array of ``n`` numbers, all finite.
    learning_rate : float
        The step size $\alpha > 0$.
    num_iterations : int
        The most steps to take, at least 1.
    tol : float, optional
        Stop once $\lVert \nabla f(x_k) \rVert \le$ ``tol`` (see above). Default: never early.
    f : callable, optional
        The function itself, to record its values along the path (and catch an iterate where
        it is not finite).

    Returns
    -------
    DescentResult
        ``x``, ``path``, ``values``, ``converged`` and ``num_iterations``.

    Raises
    ------
    DivergenceError
        If an iterate diverges (see above).
    TypeError
        If ``dfdx`` or ``f`` is not callable, or ``x0``, ``learning_rate`` or ``tol`` is not
        a real number (or array of them, for ``x0``).
    ValueError
        If ``learning_rate`` or ``tol`` is not positive and finite, ``num_iterations`` is not
        an integer >= 1, ``x0`` is not finite or not 0-D or 1-D, ``dfdx`` returns the wrong
        shape, or ``f(x0)`` is not finite.

    Examples
    --------
    $f(x) = e^x - \log x$ has $f'(x) = e^x - 1/x$, zero where $x e^x = 1$:

    >>> import numpy as np
    >>> from calcml import gradient_descent
    >>> result = gradient_descent(lambda x: np.exp(x) - 1 / x, 1.0, learning_rate=0.1,
    ...                           num_iterations=100, tol=1e-8)
    >>> round(result.x, 6), result.converged, result.num_iterations
    (0.567143, True, 30)

    A vector works the same way: $f(x) = x_1^2 + 3 x_2^2$ has its minimum at the origin.

    >>> result = gradient_descent(lambda x: np.array([2, 6]) * x, [1.0, 1.0],
    ...                           learning_rate=0.1, num_iterations=50)
    >>> result.path.shape, [round(float(c), 6) for c in result.x]
    ((51, 2), [1.4e-05, 0.0])
    """
    check_callable("dfdx", dfdx)
    x0 = _check_x0(x0)
    learning_rate = _check_positive("learning_rate", learning_rate)
    num_iterations = check_int("num_iterations", num_iterations, 1)
    tol = _check_options(tol, f)
    return _descend(
        lambda x, g: x - learning_rate * g, dfdx, x0, num_iterations, tol, f, learning_rate
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
    r"""Minimise $f$ by Newton's method, in float64: step to the minimum of the local parabola.

    For a scalar, $x_{k+1} = x_k - f'(x_k) / f''(x_k)$. For a vector, the Hessian $H$ (the
    matrix of second partial derivatives) takes the place of $f''$, and the step $s$ solves
    $H(x_k)\, s = \nabla f(x_k)$ (a linear solve; $H$ is never inverted):
    $x_{k+1} = x_k - s$. Near a minimum where $H$ is positive definite the number of correct
    digits roughly doubles at every step, and a quadratic is minimised in one step. Far from
    one, Newton's method may head for a maximum or a saddle: it seeks $\nabla f = 0$.

    Stopping, ``tol``, ``f`` and divergence follow
    [`gradient_descent`][calcml.optimize.gradient_descent]; a zero second derivative or a
    singular Hessian also raises [`DivergenceError`][calcml.optimize.DivergenceError], with
    ``learning_rate=None``.

    Parameters
    ----------
    dfdx : callable
        $f'$ or $\nabla f$, as for ``gradient_descent``.
    d2fdx2 : callable
        $f''$ (scalar ``x0``) or the Hessian (vector ``x0`` of ``n`` numbers: an ``(n, n)``
        array).
    x0 : float or array_like
        The starting point: a number or a 1-D array, all finite.
    num_iterations : int
        The most steps to take, at least 1.
    tol : float, optional
        Stop once $\lVert \nabla f(x_k) \rVert \le$ ``tol``.
    f : callable, optional
        The function, to record its values along the path.

    Returns
    -------
    DescentResult
        As for ``gradient_descent``.

    Raises
    ------
    DivergenceError
        If an iterate diverges, or the second derivative is zero or the Hessian singular.
    TypeError
        If ``dfdx``, ``d2fdx2`` or ``f`` is not callable, or ``x0`` or ``tol`` not real.
    ValueError
        If ``tol`` is not positive and finite, ``num_iterations`` not an integer >= 1,
        ``x0`` not finite, 0-D or 1-D, a derivative returns the wrong shape, or ``f(x0)`` is
        not finite.

    Examples
    --------
    The minimum of $e^x - \log x$ again, this time with $f''(x) = e^x + 1/x^2$:

    >>> import numpy as np
    >>> from calcml import newton_method
    >>> result = newton_method(lambda x: np.exp(x) - 1 / x, lambda x: np.exp(x) + 1 / x**2,
    ...                        1.0, num_iterations=100, tol=1e-8)
    >>> round(result.x, 6), result.num_iterations
    (0.567143, 4)
    """
    check_callable("dfdx", dfdx)
    check_callable("d2fdx2", d2fdx2)
    x0 = _check_x0(x0)
    num_iterations = check_int("num_iterations", num_iterations, 1)
    tol = _check_options(tol, f)
    curvature_shape = x0.shape * 2  # () or (n, n)

    def step(x: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        curvature = _evaluate("d2fdx2", d2fdx2, x, curvature_shape)
        if x.ndim == 0:
            return x - gradient / curvature  # 0 gives inf: reported as divergence
        try:
            return x - np.linalg.solve(curvature, gradient)
        except np.linalg.LinAlgError:
            return np.full_like(x, np.nan)

    return _descend(step, dfdx, x0, num_iterations, tol, f, None)


# --- The JAX loop --------------------------------------------------------------------------------


@functools.partial(jax.jit, static_argnames=("dfdx", "f", "num_iterations"))
def _scan(dfdx, f, x0, learning_rate, num_iterations):
    """The whole run as one compiled loop. Besides the path, for each point of it: the norm of
    the gradient there, the value of f (NaN without f), and whether it is finite and in bounds
    (reduced on the device, so the host never scans the whole path)."""

    def gradient_at(x):  # shapes are checked once, while JAX traces
        gradient = jnp.asarray(dfdx(x))
        if gradient.shape != x.shape:
            raise ValueError(
                f"dfdx must return an array of shape {x.shape}, got shape {gradient.shape}"
            )
        return gradient

    def value(x):
        if f is None:
            return jnp.nan
        value = jnp.asarray(f(x))
        if value.shape != ():
            raise ValueError(f"f must return an array of shape (), got shape {value.shape}")
        return value

    def update(x, _):
        gradient = gradient_at(x)
        x_next = x - learning_rate * gradient
        return x_next, (x_next, jnp.linalg.norm(gradient), value(x_next))

    x_last, (xs, norms, values) = jax.lax.scan(update, x0, length=num_iterations)
    path = jnp.concatenate([x0[None], xs])
    norms = jnp.append(norms, jnp.linalg.norm(gradient_at(x_last)))
    values = jnp.concatenate([jnp.full(1, value(x0)), values])
    axes = tuple(range(1, path.ndim))
    ok = jnp.all(jnp.isfinite(path), axis=axes) & (
        jnp.max(jnp.abs(path), axis=axes) <= DIVERGENCE_BOUND
    )
    if f is not None:
        ok &= jnp.isfinite(values)
    return path, norms, values, ok


def gradient_descent_jax(
    dfdx: Callable,
    x0: float | np.ndarray,
    learning_rate: float,
    num_iterations: int,
    *,
    tol: float | None = None,
    f: Callable | None = None,
) -> DescentResult:
    r"""Gradient descent as one compiled JAX loop: the iterates of ``gradient_descent``, fast.

    The ``num_iterations`` updates $x_{k+1} = x_k - \alpha \nabla f(x_k)$ run as one
    ``jax.lax.scan`` inside ``jax.jit``, so Python is left once per run, not once per step.
    It compiles once per ``dfdx``, ``f``, ``num_iterations`` and shape of ``x0``: a new
    ``x0`` or ``learning_rate`` reuses the compiled loop, so a learning-rate sweep compiles
    once. On a GPU it runs there.

    **Precision:** JAX's default float32 (about 7 significant digits), or float64 when JAX's
    x64 mode is on (``jax.enable_x64``); ``path`` has that dtype.

    The result means what [`gradient_descent`][calcml.optimize.gradient_descent]'s does, with
    the same stopping and divergence rules. A compiled loop cannot stop early, though: it
    always runs ``num_iterations`` steps and then keeps the path up to the first iterate that
    meets ``tol`` (or raises [`DivergenceError`][calcml.optimize.DivergenceError] at the first
    one that diverged). Use a separate function rather than a ``backend=`` argument of
    ``gradient_descent`` because the contract differs: ``dfdx`` must be traceable by JAX, and
    the precision and the cost of a first call (compilation) are not the same.

    Parameters
    ----------
    dfdx : callable
        $f'$ or $\nabla f$, written with ``jax.numpy`` (Python branches on the value of ``x``
        cannot be traced; use ``jnp.where``). It gets and returns arrays of ``x0``'s shape.
    x0 : float or array_like
        The starting point: a number or a 1-D array, all finite.
    learning_rate : float
        The step size $\alpha > 0$.
    num_iterations : int
        The number of steps, at least 1.
    tol : float, optional
        Keep the path up to the first $x_k$ with $\lVert \nabla f(x_k) \rVert \le$ ``tol``.
    f : callable, optional
        The function, written with ``jax.numpy``, to record its values along the path.

    Returns
    -------
    DescentResult
        As for ``gradient_descent``; ``path`` and ``values`` in JAX's precision.

    Raises
    ------
    DivergenceError
        If an iterate diverges, as for ``gradient_descent``.
    TypeError
        If ``dfdx`` or ``f`` is not callable or cannot be traced by JAX (it calls NumPy on
        its argument, say), or an argument is not a real number.
    ValueError
        As for ``gradient_descent``.

    Examples
    --------
    The minimum of $e^x - \log x$, in float32, and the NumPy loop's float64 answer beside it:

    >>> import jax.numpy as jnp
    >>> from calcml import gradient_descent, gradient_descent_jax
    >>> dfdx = lambda x: jnp.exp(x) - 1 / x
    >>> result = gradient_descent_jax(dfdx, 1.0, learning_rate=0.1, num_iterations=100)
    >>> round(result.x, 5), result.path.dtype.name
    (0.56714, 'float32')
    >>> round(gradient_descent(dfdx, 1.0, learning_rate=0.1, num_iterations=100).x, 5)
    0.56714
    """
    check_callable("dfdx", dfdx)
    x0 = _check_x0(x0)
    learning_rate = _check_positive("learning_rate", learning_rate)
    num_iterations = check_int("num_iterations", num_iterations, 1)
    tol = _check_options(tol, f)
    x0 = jnp.asarray(x0, dtype=float)  # float32 unless x64 mode is on
    try:
        path, norms, values, ok = _scan(
            dfdx, f, x0, jnp.asarray(learning_rate, x0.dtype), num_iterations
        )
    except (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError) as error:
        raise TypeError(
            "dfdx and f must be written with jax.numpy to be compiled by gradient_descent_jax "
            f"(use gradient_descent for NumPy code): {error}"
        ) from None
    # One copy to the host (none on the CPU); slicing JAX arrays would compile each slice.
    path, norms, values, ok = (np.asarray(a) for a in (path, norms, values, ok))
    if f is not None and not np.isfinite(values[0]):
        raise ValueError(f"f(x0) must be finite, got {values[0]} at x0 = {path[0].tolist()!r}")
    bad = np.flatnonzero(~ok)
    done = np.flatnonzero(norms <= tol) if tol is not None else np.array([], int)
    end = len(path) - 1
    if done.size and (not bad.size or done[0] < bad[0]):
        end = int(done[0])
    elif bad.size:
        k = int(bad[0])
        why = _trouble(path[k]) or f"f(x) = {values[k]} at x = {path[k].tolist()!r}"
        raise DivergenceError(learning_rate, k, path[:k], why)
    path = path[: end + 1]
    return DescentResult(
        x=float(path[-1]) if path.ndim == 1 else path[-1].copy(),
        path=path,
        values=None if f is None else values[: end + 1],
        converged=bool(done.size) and end == int(done[0]),
        num_iterations=end,
    )
