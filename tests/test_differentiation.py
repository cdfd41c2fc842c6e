"""The three ways to differentiate agree: SymPy (exact), NumPy differences (float64), JAX (float32).

Random polynomials and compositions come from hypothesis; each method is checked against the
others, never against numbers typed in by hand.
"""

import re

import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calcml import autodiff_derivative, numerical_derivative, symbolic_derivative

x = sp.Symbol("x")
POINTS = np.linspace(-1.0, 1.0, 7)

coefficients = st.lists(st.integers(-5, 5), min_size=1, max_size=6)
outer = st.sampled_from([sp.sin, sp.cos, sp.exp, sp.tanh, lambda e: e**2, lambda e: e**3])


@st.composite
def compositions(draw):
    """A polynomial, passed through one to three elementary functions."""
    expr = sum(c * x**k for k, c in enumerate(draw(coefficients))) / 8 + x
    for function in draw(st.lists(outer, min_size=1, max_size=3)):
        expr = function(expr)
    return expr


def exact(expr):
    """SymPy's derivative, evaluated in float64 at the test points.

    Nested exponentials can overflow float64 (and float32 far sooner); such draws are skipped.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        values = sp.lambdify(x, expr, "numpy")(POINTS) * np.ones_like(POINTS)
        truth = sp.lambdify(x, symbolic_derivative(expr), "numpy")(POINTS) * np.ones_like(POINTS)
    assume(np.all(np.abs(values) < 1e3) and np.all(np.abs(truth) < 1e3))
    return truth


def scale(values):
    return np.maximum(1.0, np.abs(values))


@settings(max_examples=25, deadline=None)
@given(compositions())
def test_central_differences_match_sympy(expr):
    truth = exact(expr)
    estimate = numerical_derivative(sp.lambdify(x, expr, "numpy"), POINTS)
    np.testing.assert_array_less(np.abs(estimate - truth) / scale(truth), 1e-6)


@settings(max_examples=25, deadline=None)
@given(compositions())
def test_complex_step_matches_sympy_to_rounding(expr):
    truth = exact(expr)
    estimate = numerical_derivative(sp.lambdify(x, expr, "numpy"), POINTS, scheme="complex")
    np.testing.assert_allclose(estimate, truth, rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(compositions())
def test_jax_matches_sympy_in_float32(expr):
    truth = exact(expr)
    derivative = autodiff_derivative(sp.lambdify(x, expr, "jax"))
    estimate = np.asarray(derivative(jnp.asarray(POINTS)))
    assert estimate.dtype == np.float32
    np.testing.assert_array_less(np.abs(estimate - truth) / scale(truth), 1e-3)


@pytest.mark.parametrize("scheme", ["forward", "backward"])
def test_one_sided_schemes_are_first_order(scheme):
    """Halving h halves the error: truncation error O(h)."""
    errors = [abs(float(numerical_derivative(np.exp, 1.0, h, scheme)) - np.e) for h in (1e-2, 5e-3)]
    assert errors[1] / errors[0] == pytest.approx(0.5, rel=0.02)


def test_central_scheme_is_second_order():
    errors = [abs(float(numerical_derivative(np.exp, 1.0, h)) - np.e) for h in (1e-2, 5e-3)]
    assert errors[1] / errors[0] == pytest.approx(0.25, rel=0.02)


def test_default_step_beats_much_larger_and_smaller_steps():
    truth = np.cos(1.0)
    default = abs(float(numerical_derivative(np.sin, 1.0)) - truth)
    for h in (1e-2, 1e-10):
        assert default < abs(float(numerical_derivative(np.sin, 1.0, h)) - truth)


def test_default_step_works_at_zero_and_scales_with_x():
    assert float(numerical_derivative(np.sin, 0.0)) == pytest.approx(1.0, rel=1e-9)
    big = 1e8
    assert float(numerical_derivative(lambda t: t**2, big)) == pytest.approx(2 * big, rel=1e-8)


def test_derivative_keeps_the_shape_of_x():
    grid = np.linspace(0, 1, 6).reshape(2, 3)
    assert numerical_derivative(np.sin, grid).shape == (2, 3)
    assert autodiff_derivative(jnp.sin)(grid).shape == (2, 3)
    assert autodiff_derivative(jnp.sin)(0.5).shape == ()


def test_symbolic_accepts_strings_and_symbols():
    t = sp.Symbol("t")
    assert symbolic_derivative("t**3", "t") == symbolic_derivative(t**3, t) == 3 * t**2
    assert symbolic_derivative("y * x", "y") == x


@pytest.mark.parametrize("bad", ["x**", "2x", "sin(x"])
def test_malformed_expression_names_it(bad):
    with pytest.raises(ValueError, match=rf"^expr {re.escape(repr(bad))} is not an expression"):
        symbolic_derivative(bad)


def test_bad_symbolic_arguments():
    with pytest.raises(TypeError, match=r"^expr must be a SymPy expression or a string"):
        symbolic_derivative(3.5)
    with pytest.raises(ValueError, match=r"^var must be a variable name"):
        symbolic_derivative("x", "2 y")
    with pytest.raises(TypeError, match=r"^var must be a string or a sympy.Symbol"):
        symbolic_derivative("x", 1)


@pytest.mark.parametrize("h", [0.0, -1e-3, [1e-3, 0.0]])
def test_non_positive_step_names_h(h):
    with pytest.raises(ValueError, match=r"^h must be positive"):
        numerical_derivative(np.sin, [1.0, 2.0], h=h)


def test_unknown_scheme_lists_the_schemes():
    with pytest.raises(ValueError, match=r"^scheme must be one of 'forward', 'backward'"):
        numerical_derivative(np.sin, 1.0, scheme="centered")


def test_autodiff_needs_a_scalar_function():
    with pytest.raises(TypeError, match=r"^f must be a callable"):
        autodiff_derivative("sin")
    with pytest.raises(TypeError, match=r"^f must return one scalar for a scalar input"):
        autodiff_derivative(lambda t: jnp.stack([t, t]))(1.0)
