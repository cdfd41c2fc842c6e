"""Automatic differentiation with JAX: derivatives exact to rounding, compiled once per function.

JAX computes in float32 unless ``jax_enable_x64`` is set. It runs on a GPU when it finds one,
and on the CPU otherwise.
"""

import weakref
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from calcml._checks import check_callable

_compiled: dict[str, weakref.WeakKeyDictionary] = {
    "reverse": weakref.WeakKeyDictionary(),
    "forward": weakref.WeakKeyDictionary(),
}


def autodiff_derivative(f: Callable) -> Callable[[float | np.ndarray], jax.Array]:
    r"""The derivative $f'$ of a scalar function, as a function applied element-wise.

    Built from JAX's ``grad`` (reverse mode) and ``vmap`` (one derivative per element), and
    compiled with ``jit``: the first call for an input shape compiles, later calls reuse it.

    Parameters
    ----------
    f : callable
        A function of one scalar written with ``jax.numpy`` (``jnp.sin``, ``**``, ...), returning
        a scalar. Python control flow on the *value* of the input cannot be traced; use
        ``jnp.where`` or ``jax.lax.cond`` instead.

    Returns
    -------
    callable
        ``derivative(x)`` for a scalar or an array ``x``, returning a JAX array of ``x``'s shape
        (float32 unless JAX's x64 mode is on).

    Raises
    ------
    TypeError
        If ``f`` is not callable, or (when the derivative is called) ``f`` does not return one
        scalar for a scalar input.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from calcml import autodiff_derivative
    >>> df = autodiff_derivative(lambda x: x**2)
    >>> float(df(3.0))
    6.0
    >>> [round(float(d), 4) for d in autodiff_derivative(jnp.sin)(jnp.array([0.0, jnp.pi]))]
    [1.0, -1.0]
    """
    check_callable("f", f)

    def f_float(x):  # a constant written as an integer still has a (zero) derivative
        return jnp.asarray(f(x), dtype=float)

    scalar = jax.jit(jax.grad(f_float))
    batched = jax.jit(jax.vmap(jax.grad(f_float)))

    def derivative(x: float | np.ndarray) -> jax.Array:
        x = jnp.asarray(x, dtype=float)
        try:
            return scalar(x) if x.ndim == 0 else batched(x.ravel()).reshape(x.shape)
        except TypeError as error:
            if "scalar" not in str(error):
                raise
            raise TypeError(f"f must return one scalar for a scalar input: {error}") from None

    return derivative


def compiled_gradient(f: Callable, mode: str = "reverse") -> Callable[[jax.Array], jax.Array]:
    """``jit(grad(f))`` (or ``jit(jacfwd(f))`` for ``mode="forward"``), built once per ``f``.

    A wrapper that traced ``f`` again on every call would cost far more than ``f`` itself; the
    cache keeps one compiled gradient per function, for as long as the function lives.
    """
    cache = _compiled[mode]
    try:
        return cache[f]
    except (KeyError, TypeError):
        pass
    transform = jax.grad if mode == "reverse" else jax.jacfwd
    compiled = jax.jit(transform(f))
    try:
        cache[f] = compiled
    except TypeError:  # not weak-referenceable (a builtin): compile again next time
        pass
    return compiled
