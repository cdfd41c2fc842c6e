"""difference_quotient: the secant slope, checked against SymPy's exact algebra."""

import numpy as np
import pytest
import sympy as sp

from calcml import difference_quotient

x, h = sp.symbols("x h")
POLYNOMIALS = [x**2, x**3 - 2 * x, 5 * x**4 + x]


@pytest.mark.parametrize("expr", POLYNOMIALS, ids=str)
def test_quotient_matches_the_simplified_algebra(expr):
    exact = sp.lambdify((x, h), sp.cancel((expr.subs(x, x + h) - expr) / h))
    f = sp.lambdify(x, expr)
    points = np.array([-1.5, 0.0, 2.0, 3.0])
    steps = np.array([0.5, 0.25, -0.125])[:, None]
    np.testing.assert_allclose(
        difference_quotient(f, points, steps), exact(points, steps), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("expr", [*POLYNOMIALS, sp.sin(x) * sp.exp(x)], ids=str)
def test_quotient_tends_to_the_symbolic_derivative(expr):
    f = sp.lambdify(x, expr, "numpy")
    derivative = float(sp.diff(expr, x).subs(x, 0.7))
    errors = np.abs(difference_quotient(f, 0.7, [1e-2, 1e-3, 1e-4]) - derivative)
    assert np.all(np.diff(errors) < 0), errors
    assert errors[-1] < 1e-3 * max(1.0, abs(derivative))


def test_shapes_broadcast():
    result = difference_quotient(np.sin, np.zeros(3), np.array([[0.1], [0.01]]))
    assert result.shape == (2, 3)


@pytest.mark.parametrize("bad_h", [0.0, [0.1, 0.0]])
def test_zero_step_is_rejected_naming_h(bad_h):
    with pytest.raises(ValueError, match=r"^h must be non-zero"):
        difference_quotient(np.sin, 1.0, bad_h)


@pytest.mark.parametrize(
    ("argument", "value"), [("x", np.nan), ("h", np.inf), ("x", [1.0, np.inf])]
)
def test_non_finite_input_is_rejected_naming_it(argument, value):
    kwargs = {"x": 1.0, "h": 0.1, argument: value}
    with pytest.raises(ValueError, match=rf"^{argument} must be finite"):
        difference_quotient(np.sin, **kwargs)


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match=r"^x must be a real number"):
        difference_quotient(np.sin, "three", 0.1)


def test_f_must_be_callable():
    with pytest.raises(TypeError, match=r"^f must be a callable, got float"):
        difference_quotient(2.0, 1.0, 0.1)
