"""The gradient of f: R^n -> R, by reverse-mode autodiff, forward mode or central differences."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from calcml._checks import check_callable, check_finite_array
from calcml.autodiff import compiled_gradient
from calcml.derivatives import numerical_gradient

METHODS = ("automatic", "forward", "numerical")

# Checks a JAX array on its GPU (or other accelerator): no copy to the host and back.
_all_finite = jax.jit(lambda x: jnp.all(jnp.isfinite(x)))


def _finite_where_it_lives(x: jax.Array) -> bool:
    """Whether every element of ``x`` is finite, checked without moving it off its device."""
    if all(device.platform == "cpu" for device in x.devices()):
        return bool(np.isfinite(np.asarray(x)).all())  # a view of the buffer on the CPU
    return bool(_all_finite(x))


def gradient(f: Callable, x: np.ndarray, method: str = "automatic") -> np.ndarray:
    r"""The vector of partial derivatives $\nabla f(x) = (\partial f / \partial x_1, \dots)$.

    | method | how | cost |
    | --- | --- | --- |
    | ``"automatic"`` | JAX reverse mode, ``jit(grad(f))`` | about one evaluation of ``f`` |
    | ``"forward"`` | JAX forward mode, ``jit(jacfwd(f))`` | about ``n`` evaluations |
    | ``"numerical"`` | central differences, NumPy, float64 | ``2n`` evaluations |

    The JAX paths are compiled once per function and cached, so a steady-state call costs about
    one evaluation of ``f`` for reverse mode: the *cheap gradient principle*. They compute in
    float32 unless JAX's x64 mode is on. The numerical path computes in float64.

    A JAX array of floats is checked and differentiated on its own device (CPU or GPU); any
    other ``x`` is converted to float64 on the host and back on every call, which for large
    ``n`` can cost more than the gradient itself. Pass a JAX array in a hot loop.

    Parameters
    ----------
    f : callable
        A function of a 1-D array returning a scalar; written with ``jax.numpy`` for the
        automatic methods, with NumPy (or ``jax.numpy``) for the numerical one.
    x : array_like
        The point, a 1-D array of ``n`` finite numbers.
    method : {"automatic", "forward", "numerical"}
        How to differentiate.

    Returns
    -------
    numpy.ndarray
        The gradient, shape ``(n,)``.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 1-D array, or ``method`` is unknown.
    TypeError
        If ``f`` is not callable.

    Examples
    --------
    For $f(x) = \sum_i x_i^2$ the gradient is $2x$:

    >>> import jax.numpy as jnp
    >>> from calcml import gradient
    >>> gradient(lambda x: jnp.sum(x**2), [1.0, -2.0, 3.0]).tolist()
    [2.0, -4.0, 6.0]
    >>> gradient(lambda x: (x**2).sum(), [1.0, -2.0], method="numerical").round(6).tolist()
    [2.0, -4.0]
    """
    check_callable("f", f)
    on_device = (
        method != "numerical" and isinstance(x, jax.Array) and jnp.issubdtype(x.dtype, jnp.floating)
    )
    if on_device:
        if not _finite_where_it_lives(x):
            raise ValueError(f"x must be finite, got {x!r}")
    else:
        x = check_finite_array("x", x)
    if x.ndim != 1:
        raise ValueError(f"x must be a 1-D array (a point in R^n), got shape {x.shape}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    if method == "numerical":
        return numerical_gradient(f, x)
    mode = "reverse" if method == "automatic" else "forward"
    return np.asarray(compiled_gradient(f, mode)(jnp.asarray(x, dtype=float)))
