"""gradient: reverse mode, forward mode and central differences agree, and bad input is named."""

import jax.numpy as jnp
import numpy as np
import pytest

from calcml import gradient
from calcml.autodiff import compiled_gradient


# Each test function takes the array module, so the numerical path can run it in float64.
def rosenbrock(x, xp=jnp):
    return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def mixed(x, xp=jnp):
    return xp.sum(xp.sin(x) * xp.exp(-(x**2))) + xp.prod(xp.tanh(x[:3]))


@pytest.mark.parametrize("f", [rosenbrock, mixed])
def test_methods_agree(f):
    point = np.random.default_rng(0).uniform(-1.5, 1.5, size=12)
    automatic = gradient(f, point)
    assert automatic.shape == (12,)
    scale = np.maximum(1.0, np.abs(automatic))
    np.testing.assert_allclose(
        gradient(f, point, method="forward") / scale, automatic / scale, atol=1e-5
    )
    numerical = gradient(lambda v: f(v, np), point, method="numerical")
    # JAX computes in float32: agreement to its rounding, relative to the gradient's scale.
    np.testing.assert_allclose(numerical / scale, automatic / scale, atol=1e-5)


def test_numerical_gradient_is_float64_and_accurate():
    point = np.linspace(-1, 1, 5)
    numerical = gradient(lambda v: np.sum(np.sin(v) * v), point, method="numerical")
    assert numerical.dtype == np.float64
    np.testing.assert_allclose(numerical, np.cos(point) * point + np.sin(point), rtol=1e-9)


def test_compiled_gradient_is_cached_per_function():
    assert compiled_gradient(rosenbrock) is compiled_gradient(rosenbrock)
    assert compiled_gradient(rosenbrock) is not compiled_gradient(mixed)
    assert compiled_gradient(rosenbrock, "forward") is not compiled_gradient(rosenbrock)


def test_gradient_traces_once_per_function_and_shape():
    traces = []

    def f(x):
        traces.append(1)  # runs only while JAX traces the function
        return jnp.sum(x**2)

    for _ in range(5):
        gradient(f, np.ones(4))
    assert len(traces) == 1


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.ones((2, 2)), r"^x must be a 1-D array \(a point in R\^n\), got shape \(2, 2\)"),
        ([1.0, np.nan], r"^x must be finite"),
    ],
)
def test_bad_point_is_named(x, message):
    with pytest.raises(ValueError, match=message):
        gradient(rosenbrock, x)


def test_unknown_method_lists_the_methods():
    with pytest.raises(ValueError, match=r"^method must be one of 'automatic', 'forward'"):
        gradient(rosenbrock, [1.0, 2.0], method="reverse")
