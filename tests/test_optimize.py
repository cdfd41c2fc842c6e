"""Gradient descent and Newton's method reach known minima; the JAX loop matches the NumPy one."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp

from calcml import (
    DivergenceError,
    gradient_descent,
    gradient_descent_jax,
    newton_method,
)


def dfdx(x):  # f(x) = e^x - log x
    return np.exp(x) - 1 / x


def d2fdx2(x):
    return np.exp(x) + 1 / x**2


def f(x):
    return np.exp(x) - np.log(x)


# A convex quadratic 1/2 x^T A x - b^T x in 3-D: its minimiser solves A x = b.
A = np.array([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]])
B = np.array([1.0, -2.0, 0.5])


def grad_quadratic(x):
    return A @ x - B


@pytest.fixture(scope="module")
def root():
    """The minimiser of e^x - log x, where x e^x = 1, found by SymPy."""
    x = sp.Symbol("x")
    return float(sp.nsolve(x * sp.exp(x) - 1, x, 0.5, prec=30))


def test_scalar_minimum_is_reached(root):
    result = gradient_descent(dfdx, 1.0, 0.1, 1000, tol=1e-12, f=f)
    assert result.converged and result.num_iterations < 1000
    assert result.x == pytest.approx(root, abs=1e-9)
    assert result.path.shape == (result.num_iterations + 1,)
    assert result.path[0] == 1.0 and result.path[-1] == result.x
    assert np.all(np.diff(result.values) <= 1e-15)  # the cost never rises at this rate


def test_vector_minimum_is_reached():
    result = gradient_descent(grad_quadratic, np.zeros(3), 0.2, 2000, tol=1e-12)
    np.testing.assert_allclose(result.x, np.linalg.solve(A, B), atol=1e-9)
    assert result.path.shape == (result.num_iterations + 1, 3)


def test_without_tol_every_step_is_taken():
    result = gradient_descent(dfdx, 1.0, 0.1, 25)
    assert result.num_iterations == 25 and not result.converged and result.values is None


def test_jax_loop_matches_numpy_loop():
    numpy = gradient_descent(dfdx, 1.0, 0.1, 300)
    with jax.enable_x64(True):
        exact = gradient_descent_jax(lambda x: jnp.exp(x) - 1 / x, 1.0, 0.1, 300)
    np.testing.assert_allclose(exact.path, numpy.path, rtol=1e-13)
    single = gradient_descent_jax(lambda x: jnp.exp(x) - 1 / x, 1.0, 0.1, 300)
    np.testing.assert_allclose(single.path, numpy.path, rtol=1e-5)


def test_jax_loop_matches_on_vectors():
    numpy = gradient_descent(grad_quadratic, np.ones(3), 0.2, 100)
    jax_path = gradient_descent_jax(
        lambda x: jnp.asarray(A) @ x - jnp.asarray(B), np.ones(3), 0.2, 100
    ).path
    assert jax_path.shape == numpy.path.shape
    np.testing.assert_allclose(jax_path, numpy.path, rtol=1e-5, atol=1e-6)


def test_jax_loop_compiles_once_per_function_and_length():
    traces = []

    def grad(x):
        traces.append(1)
        return 2 * x

    for rate in (0.1, 0.2, 0.3):
        gradient_descent_jax(grad, 1.0, rate, 10)
    assert len(traces) == 1


def test_newton_needs_far_fewer_iterations(root):
    newton = newton_method(dfdx, d2fdx2, 1.0, 100, tol=1e-12)
    descent = gradient_descent(dfdx, 1.0, 0.1, 10_000, tol=1e-12)
    assert newton.x == pytest.approx(root, abs=1e-12)
    assert newton.num_iterations * 4 < descent.num_iterations


def test_newton_solves_a_quadratic_in_one_step():
    result = newton_method(grad_quadratic, lambda x: A, np.zeros(3), 10, tol=1e-12)
    np.testing.assert_allclose(result.path[1], np.linalg.solve(A, B), atol=1e-12)
    assert result.num_iterations == 2  # the second step is zero and stops the run


@pytest.mark.parametrize("run", ["numpy", "jax"])
def test_divergence_names_rate_and_iteration_and_keeps_the_path(run):
    rate = 1.5  # beyond 2 / 1 for f(x) = x^2 / 2: each step overshoots further
    with pytest.raises(DivergenceError) as error:
        if run == "numpy":
            gradient_descent(lambda x: 3 * x, 1.0, rate, 1000)
        else:
            gradient_descent_jax(lambda x: 3 * x, 1.0, rate, 1000)
    err = error.value
    assert isinstance(err, ArithmeticError)
    assert err.learning_rate == rate and err.iteration > 1
    assert f"learning_rate={rate}" in str(err) and f"iteration {err.iteration}" in str(err)
    assert len(err.path) == err.iteration
    np.testing.assert_allclose(err.path[:4], [1.0, -3.5, 12.25, -42.875])


def test_non_finite_iterate_diverges():
    with pytest.raises(DivergenceError, match=r"iteration 1 gave"):
        gradient_descent(lambda x: np.log(x - 2), 1.0, 0.1, 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"learning_rate": 0.0}, r"^learning_rate must be a positive finite number, got 0.0"),
        ({"learning_rate": -0.1}, r"^learning_rate must be a positive"),
        ({"learning_rate": float("nan")}, r"^learning_rate must be a positive"),
        ({"num_iterations": 0}, r"^num_iterations must be an integer of at least 1, got 0"),
        ({"num_iterations": 2.5}, r"^num_iterations must be an integer"),
        ({"tol": 0}, r"^tol must be a positive number or None"),
        ({"x0": [1.0, np.inf]}, r"^x0 must be finite"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    arguments = {"x0": 1.0, "learning_rate": 0.1, "num_iterations": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        gradient_descent(dfdx, **arguments)


def test_dfdx_must_be_callable():
    with pytest.raises(TypeError, match=r"^dfdx must be a callable"):
        gradient_descent(0.5, 1.0, 0.1, 10)
    with pytest.raises(TypeError, match=r"^d2fdx2 must be a callable"):
        newton_method(dfdx, None, 1.0, 10)
