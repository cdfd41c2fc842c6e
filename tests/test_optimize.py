"""Gradient descent and Newton's method: they reach minima found another way, the NumPy and JAX
loops take the same steps, and nothing fails silently."""

import math
import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from calcml import (
    DescentResult,
    DivergenceError,
    gradient_descent,
    gradient_descent_jax,
    newton_method,
)
from calcml.optimize import DIVERGENCE_BOUND

FLOAT32_RTOL = 1e-5  # float32 keeps about 7 digits; a few steps of rounding stay within this


# --- Problems with minima known another way ------------------------------------------------------


def f_exp_log(x):
    return np.exp(x) - np.log(x)


def dfdx_exp_log(x):
    return np.exp(x) - 1 / x


def dfdx_exp_log_jax(x):  # in float32, unless JAX's x64 mode is on
    return jnp.exp(x) - 1 / x


def d2fdx2_exp_log(x):
    return np.exp(x) + 1 / x**2


def bisection(g, low, high, steps=200):
    """A root of g in [low, high], where g changes sign: no derivative, no optimiser."""
    assert g(low) * g(high) < 0
    for _ in range(steps):
        middle = (low + high) / 2
        low, high = (middle, high) if g(low) * g(middle) > 0 else (low, middle)
    return (low + high) / 2


# The minimum of e^x - log x, where x e^x = 1 (the omega constant, W(1)).
OMEGA = bisection(lambda x: x * math.exp(x) - 1, 0.0, 1.0)


def quadratic(seed, n=2):
    """f(x) = x^T A x / 2 - b^T x with A symmetric positive definite: minimum at A^-1 b."""
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    A = M @ M.T + n * np.eye(n)
    b = rng.normal(size=n)
    return A, b


def rosenbrock_gradient(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def rosenbrock_hessian(p):
    x, y = p
    return np.array([[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200.0]])


# --- Known minima --------------------------------------------------------------------------------


def test_bisection_finds_the_omega_constant():
    """Two oracles for x e^x = 1 that share nothing: bisection in floats, SymPy's nsolve."""
    x = sp.Symbol("x")
    assert OMEGA == pytest.approx(float(sp.nsolve(x * sp.exp(x) - 1, x, 0.5)), abs=1e-15)


def test_minimum_of_exp_minus_log_is_where_x_exp_x_is_one():
    result = gradient_descent(dfdx_exp_log, 1.0, learning_rate=0.1, num_iterations=1000, tol=1e-10)
    assert result.converged
    # |x - x*| <= |f'(x)| / min f'' near x*, and f'' > 4 there.
    assert result.x == pytest.approx(OMEGA, abs=1e-10)
    assert isinstance(result.x, float)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [2, 5])
def test_quadratic_minimum_matches_the_linear_solve(seed, n):
    A, b = quadratic(seed, n)
    eigenvalues = np.linalg.eigvalsh(A)
    learning_rate = 2 / (eigenvalues[0] + eigenvalues[-1])  # the best fixed step
    result = gradient_descent(lambda x: A @ x - b, np.zeros(n), learning_rate, 10_000, tol=1e-12)
    assert result.converged
    np.testing.assert_allclose(result.x, np.linalg.solve(A, b), rtol=0, atol=1e-10)


def test_the_minimum_reached_depends_on_the_start():
    """x^4/4 - x^2/2 has minima at -1 and 1 and a maximum at 0: each start rolls downhill."""
    dfdx = lambda x: x**3 - x  # noqa: E731
    for x0 in [-2.0, -0.5, -1e-3]:
        assert gradient_descent(dfdx, x0, 0.1, 1000, tol=1e-12).x == pytest.approx(-1.0)
    for x0 in [1e-3, 0.5, 2.0]:
        assert gradient_descent(dfdx, x0, 0.1, 1000, tol=1e-12).x == pytest.approx(1.0)


# --- The update rule, the path and the stopping rule ---------------------------------------------


def test_each_step_is_the_update_rule():
    A, b = quadratic(0)
    result = gradient_descent(lambda x: A @ x - b, [1.0, -1.0], 0.05, 20)
    for x, x_next in zip(result.path[:-1], result.path[1:], strict=True):
        np.testing.assert_array_equal(x_next, x - 0.05 * (A @ x - b))


def test_path_starts_at_x0_and_has_one_row_per_iterate():
    scalar = gradient_descent(dfdx_exp_log, 1.0, 0.1, 7)
    assert scalar.path.shape == (8,) and scalar.path[0] == 1.0 and scalar.x == scalar.path[-1]
    A, b = quadratic(1, 3)
    vector = gradient_descent(lambda x: A @ x - b, [1.0, 2.0, 3.0], 0.01, 7)
    assert vector.path.shape == (8, 3) and vector.path.dtype == np.float64
    np.testing.assert_array_equal(vector.path[0], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(vector.x, vector.path[-1])
    assert scalar.num_iterations == vector.num_iterations == 7


def test_values_are_f_along_the_path():
    result = gradient_descent(dfdx_exp_log, 2.0, 0.1, 30, f=f_exp_log)
    np.testing.assert_allclose(result.values, f_exp_log(result.path), rtol=1e-15)
    assert np.all(np.diff(result.values) <= 0)  # a small enough step never goes uphill
    assert gradient_descent(dfdx_exp_log, 2.0, 0.1, 3).values is None


def test_it_stops_at_the_first_iterate_whose_gradient_is_within_tol():
    tol = 1e-6
    result = gradient_descent(dfdx_exp_log, 1.0, 0.1, 1000, tol=tol)
    gradients = np.abs(dfdx_exp_log(result.path))
    assert result.converged and gradients[-1] <= tol
    assert np.all(gradients[:-1] > tol)
    assert result.num_iterations == len(result.path) - 1 < 1000


def test_without_tol_it_runs_every_iteration_and_claims_nothing():
    result = gradient_descent(dfdx_exp_log, 1.0, 0.1, 200)
    assert result.num_iterations == 200 and not result.converged


def test_too_few_iterations_do_not_converge():
    result = gradient_descent(dfdx_exp_log, 1.0, 0.001, 10, tol=1e-8)
    assert not result.converged and result.num_iterations == 10


def test_the_last_iterate_is_tested_too():
    """A run that meets tol exactly at its last step reports it."""
    full = gradient_descent(dfdx_exp_log, 1.0, 0.1, 1000, tol=1e-6)
    exact = gradient_descent(dfdx_exp_log, 1.0, 0.1, full.num_iterations, tol=1e-6)
    assert exact.converged and exact.num_iterations == full.num_iterations


def test_dfdx_cannot_change_the_path_by_writing_to_its_argument():
    def vandal(x):
        gradient = 2 * x
        x[:] = 1e6
        return gradient

    result = gradient_descent(vandal, [1.0, 2.0], 0.25, 3)
    np.testing.assert_array_equal(result.path, [[1, 2], [0.5, 1], [0.25, 0.5], [0.125, 0.25]])


def test_result_is_a_named_tuple():
    result = gradient_descent(dfdx_exp_log, 1.0, 0.1, 3)
    assert isinstance(result, DescentResult)
    x, path, values, converged, num_iterations = result
    assert (x, num_iterations) == (result.x, 3)


# --- The JAX loop --------------------------------------------------------------------------------


def test_jax_and_numpy_take_the_same_steps_in_float32():
    numpy_result = gradient_descent(dfdx_exp_log, 1.6, 0.1, 100, f=f_exp_log)
    jax_result = gradient_descent_jax(
        dfdx_exp_log_jax, 1.6, 0.1, 100, f=lambda x: jnp.exp(x) - jnp.log(x)
    )
    assert jax_result.path.dtype == np.float32
    np.testing.assert_allclose(jax_result.path, numpy_result.path, rtol=FLOAT32_RTOL)
    np.testing.assert_allclose(jax_result.values, numpy_result.values, rtol=FLOAT32_RTOL)


def test_jax_and_numpy_agree_to_rounding_in_float64():
    A, b = quadratic(2, 3)
    with jax.enable_x64(True):
        jax_result = gradient_descent_jax(lambda x: A @ x - b, np.ones(3), 0.05, 300, tol=1e-9)
        assert jax_result.path.dtype == np.float64
    numpy_result = gradient_descent(lambda x: A @ x - b, np.ones(3), 0.05, 300, tol=1e-9)
    assert jax_result.num_iterations == numpy_result.num_iterations
    assert jax_result.converged == numpy_result.converged is True
    np.testing.assert_allclose(jax_result.path, numpy_result.path, rtol=1e-12, atol=1e-14)


@given(
    a=st.floats(0.1, 10),
    c=st.floats(-5, 5),
    x0=st.floats(-5, 5),
    fraction=st.floats(0.05, 0.95),
)
def test_jax_and_numpy_agree_on_any_convergent_parabola(a, c, x0, fraction):
    """f = a (x - c)^2 converges for learning rates below 1 / a; both loops see the same steps."""
    learning_rate = fraction / a
    dfdx = lambda x: 2 * a * (x - c)  # noqa: E731
    numpy_result = gradient_descent(dfdx, x0, learning_rate, 50)
    with jax.enable_x64(True):
        jax_result = gradient_descent_jax(dfdx, x0, learning_rate, 50)
    np.testing.assert_allclose(jax_result.path, numpy_result.path, rtol=1e-12, atol=1e-12)


def test_jax_loop_compiles_once_per_function_and_number_of_iterations():
    traces = []

    def dfdx(x):
        traces.append(1)  # runs when JAX traces dfdx, not when the compiled loop runs
        return 2 * x

    counts = []
    for x0, learning_rate in [(1.0, 0.1), (-3.0, 0.2), (5.0, 0.01)]:
        result = gradient_descent_jax(dfdx, x0, learning_rate, 25, tol=1e-3)
        k = np.arange(result.num_iterations + 1)
        np.testing.assert_allclose(result.path, x0 * (1 - 2 * learning_rate) ** k, rtol=1e-5)
        counts.append(len(traces))
    assert counts[0] >= 1 and counts == [counts[0]] * 3  # new x0, learning rate, tol: no trace
    gradient_descent_jax(dfdx, [1.0, 2.0], 0.1, 25)
    assert len(traces) > counts[0]  # a new shape of x0 compiles again
    counts.append(len(traces))
    gradient_descent_jax(dfdx, 1.0, 0.1, 26)
    assert len(traces) > counts[-1]  # so does a new number of iterations


def test_jax_loop_stops_where_the_numpy_loop_does():
    with jax.enable_x64(True):
        jax_result = gradient_descent_jax(dfdx_exp_log_jax, 1.0, 0.1, 1000, tol=1e-6)
    numpy_result = gradient_descent(dfdx_exp_log, 1.0, 0.1, 1000, tol=1e-6)
    assert jax_result.converged and numpy_result.converged
    assert jax_result.num_iterations == numpy_result.num_iterations
    assert len(jax_result.path) == jax_result.num_iterations + 1


def test_jax_loop_rejects_numpy_code():
    with pytest.raises(TypeError, match=r"^dfdx and f must be written with jax.numpy"):
        gradient_descent_jax(lambda x: np.asarray(x) * 2, 1.0, 0.1, 5)


# --- Divergence ----------------------------------------------------------------------------------


def iterations_to_exceed(bound, factor):
    """The first k with |factor|^k > bound: when x_k = factor^k leaves the bound."""
    k = 0
    while abs(factor) ** k <= bound:
        k += 1
    return k


@pytest.mark.parametrize("descent", [gradient_descent, gradient_descent_jax])
def test_a_learning_rate_too_large_diverges_with_the_path_so_far(descent):
    """On x^2 a step of 1.5 maps x to -2x: |x| doubles until it passes the bound."""
    expected = iterations_to_exceed(DIVERGENCE_BOUND, -2.0)
    with pytest.raises(DivergenceError) as caught:
        descent(lambda x: 2 * x, 1.0, 1.5, 100)
    error = caught.value
    assert isinstance(error, ArithmeticError)
    assert error.iteration == expected and error.learning_rate == 1.5
    np.testing.assert_array_equal(error.path, (-2.0) ** np.arange(expected))
    assert f"iteration {expected}" in str(error) and "learning_rate=1.5" in str(error)


WITH_ARRAY_LIBRARY = pytest.mark.parametrize(
    ("descent", "xp"), [(gradient_descent, np), (gradient_descent_jax, jnp)], ids=["numpy", "jax"]
)


@WITH_ARRAY_LIBRARY
def test_a_non_finite_iterate_diverges(descent, xp):
    """f(x) = x log x - x has f'(x) = log x: one step from 2 lands at 2 - 5 log 2 < 0, where the
    logarithm is NaN, and so is the next iterate."""
    with pytest.raises(DivergenceError, match=r"^diverged at iteration 2 .*not finite") as caught:
        descent(lambda x: xp.log(x), 2.0, 5.0, 100)
    np.testing.assert_allclose(caught.value.path, [2.0, 2.0 - 5.0 * math.log(2.0)], rtol=1e-6)


@WITH_ARRAY_LIBRARY
def test_leaving_the_domain_of_f_diverges(descent, xp):
    """With a learning rate of 1, e^x - log x jumps from 1 to 2 - e < 0, where log x is NaN."""
    f = lambda x: xp.exp(x) - xp.log(x)  # noqa: E731
    dfdx = lambda x: xp.exp(x) - 1 / x  # noqa: E731
    with pytest.raises(DivergenceError, match=r"^diverged at iteration 1 with learning_rate=1:"):
        descent(dfdx, 1.0, 1.0, 10, f=f)
    # Without f nothing is wrong with the iterates: they drift off to the left.
    assert descent(dfdx, 1.0, 1.0, 10).x < 0


def test_divergence_error_survives_pickling():
    with pytest.raises(DivergenceError) as caught:
        gradient_descent(lambda x: 2 * x, [1.0, 1.0], 1.5, 100)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and copy.iteration == caught.value.iteration
    np.testing.assert_array_equal(copy.path, caught.value.path)


# --- Newton's method -----------------------------------------------------------------------------


def test_newton_steps_to_the_minimum_of_the_local_parabola():
    result = newton_method(dfdx_exp_log, d2fdx2_exp_log, 1.5, 5)
    for x, x_next in zip(result.path[:-1], result.path[1:], strict=True):
        assert x_next == x - dfdx_exp_log(x) / d2fdx2_exp_log(x)


@pytest.mark.parametrize("seed", range(3))
def test_newton_minimises_a_quadratic_in_one_step(seed):
    A, b = quadratic(seed, 4)
    result = newton_method(lambda x: A @ x - b, lambda x: A, np.zeros(4), 10, tol=1e-9)
    assert result.converged and result.num_iterations == 1
    np.testing.assert_allclose(result.x, np.linalg.solve(A, b), atol=1e-12)


@pytest.mark.parametrize(
    ("dfdx", "d2fdx2", "x0", "learning_rate"),
    [
        (dfdx_exp_log, d2fdx2_exp_log, 1.6, 0.1),
        (rosenbrock_gradient, rosenbrock_hessian, [-1.2, 1.0], 1e-3),
    ],
    ids=["exp-log", "rosenbrock"],
)
def test_newton_needs_far_fewer_iterations_than_gradient_descent(dfdx, d2fdx2, x0, learning_rate):
    newton = newton_method(dfdx, d2fdx2, x0, 100, tol=1e-8)
    descent = gradient_descent(dfdx, x0, learning_rate, 100_000, tol=1e-8)
    assert newton.converged and descent.converged
    np.testing.assert_allclose(newton.x, descent.x, atol=1e-8)
    assert 5 * newton.num_iterations < descent.num_iterations


def test_newton_doubles_the_correct_digits():
    """Quadratic convergence: each error is at most a constant times the square of the last."""
    result = newton_method(dfdx_exp_log, d2fdx2_exp_log, 1.0, 4)
    errors = np.abs(result.path - OMEGA)
    assert np.all(errors[1:] <= 2 * errors[:-1] ** 2)


def test_newton_on_a_flat_point_diverges_without_a_learning_rate():
    """x^4/4 - x has f''(0) = 0: the Newton step from 0 divides by zero."""
    with pytest.raises(DivergenceError, match=r"^diverged at iteration 1 with Newton's method"):
        newton_method(lambda x: x**3 - 1, lambda x: 3 * x**2, 0.0, 10)
    with pytest.raises(DivergenceError) as caught:
        newton_method(lambda x: x, lambda x: np.zeros((2, 2)), [1.0, 1.0], 10)
    assert caught.value.learning_rate is None and caught.value.iteration == 1


def test_newton_checks_the_hessian_shape():
    with pytest.raises(ValueError, match=r"^d2fdx2 must return an array of shape \(2, 2\)"):
        newton_method(lambda x: x, lambda x: np.eye(3), [1.0, 1.0], 10)


# --- Bad arguments -------------------------------------------------------------------------------

DESCENTS = [gradient_descent, gradient_descent_jax]


def newton(dfdx, x0, learning_rate, num_iterations, **options):
    """newton_method with gradient_descent's arguments: the learning rate is checked apart."""
    return newton_method(dfdx, lambda x: np.ones(np.shape(x) * 2), x0, num_iterations, **options)


@pytest.mark.parametrize("descent", DESCENTS)
@pytest.mark.parametrize("learning_rate", [0, -0.1, math.nan, math.inf])
def test_learning_rate_must_be_positive_and_finite(descent, learning_rate):
    with pytest.raises(ValueError, match=r"^learning_rate must be a positive finite number, got"):
        descent(dfdx_exp_log, 1.0, learning_rate, 10)


@pytest.mark.parametrize("descent", DESCENTS)
@pytest.mark.parametrize("learning_rate", ["0.1", None, True, [0.1]])
def test_learning_rate_must_be_a_number(descent, learning_rate):
    with pytest.raises(TypeError, match=r"^learning_rate must be a real number"):
        descent(dfdx_exp_log, 1.0, learning_rate, 10)


@pytest.mark.parametrize("descent", [*DESCENTS, newton])
@pytest.mark.parametrize("num_iterations", [0, -1, 2.5, True, "10", None])
def test_num_iterations_must_be_a_positive_integer(descent, num_iterations):
    with pytest.raises(ValueError, match=r"^num_iterations must be an integer >= 1, got"):
        descent(dfdx_exp_log, 1.0, 0.1, num_iterations)


@pytest.mark.parametrize("descent", [*DESCENTS, newton])
def test_dfdx_must_be_callable(descent):
    with pytest.raises(TypeError, match=r"^dfdx must be a callable, got str"):
        descent("exp(x) - 1/x", 1.0, 0.1, 10)


def test_d2fdx2_must_be_callable():
    with pytest.raises(TypeError, match=r"^d2fdx2 must be a callable"):
        newton_method(dfdx_exp_log, 4.87, 1.0, 10)


@pytest.mark.parametrize("descent", [*DESCENTS, newton])
@pytest.mark.parametrize(
    ("x0", "error", "message"),
    [
        ([[1.0, 2.0]], ValueError, r"^x0 must be a number or a non-empty 1-D array"),
        ([], ValueError, r"^x0 must be a number or a non-empty 1-D array"),
        (math.nan, ValueError, r"^x0 must be finite"),
        ("one", TypeError, r"^x0 must be a real number"),
    ],
)
def test_x0_must_be_a_finite_scalar_or_vector(descent, x0, error, message):
    with pytest.raises(error, match=message):
        descent(dfdx_exp_log, x0, 0.1, 10)


@pytest.mark.parametrize("descent", [*DESCENTS, newton])
@pytest.mark.parametrize("tol", [0, -1e-6, math.inf])
def test_tol_must_be_positive(descent, tol):
    with pytest.raises(ValueError, match=r"^tol must be a positive finite number"):
        descent(dfdx_exp_log, 1.0, 0.1, 10, tol=tol)


@pytest.mark.parametrize("descent", [*DESCENTS, newton])
def test_f_must_be_callable(descent):
    with pytest.raises(TypeError, match=r"^f must be a callable"):
        descent(dfdx_exp_log, 1.0, 0.1, 10, f=2.0)


@WITH_ARRAY_LIBRARY
def test_f_must_be_finite_at_the_start(descent, xp):
    with pytest.raises(ValueError, match=r"^f\(x0\) must be finite"):
        descent(lambda x: 2 * x, -1.0, 0.1, 10, f=lambda x: xp.log(x))


@WITH_ARRAY_LIBRARY
@pytest.mark.parametrize("shape", [(3,), ()])
def test_dfdx_must_return_the_shape_of_x0(descent, xp, shape):
    with pytest.raises(ValueError, match=r"^dfdx must return an array of shape \(2,\), got"):
        descent(lambda x: xp.zeros(shape), [1.0, 2.0], 0.1, 10)


@WITH_ARRAY_LIBRARY
def test_f_must_return_one_number(descent, xp):
    with pytest.raises(
        ValueError, match=r"^f must return an array of shape \(\), got shape \(2,\)"
    ):
        descent(lambda x: 2 * x, [1.0, 2.0], 0.1, 10, f=lambda x: x**2)


def test_dfdx_must_return_numbers():
    with pytest.raises(TypeError, match=r"^dfdx must return real numbers"):
        gradient_descent(lambda x: "steep", 1.0, 0.1, 10)
