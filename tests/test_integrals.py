"""riemann_sum, trapezoid and monte_carlo_integral, checked against SymPy's exact integrals.

Beyond the values: each grid rule's error matches its leading term and shrinks at its order,
the Monte Carlo standard error is honest (its 2-sigma interval covers the integral about 95%
of the time, and it shrinks like n^(-1/2)), and every rule calls f exactly once.
"""

import functools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from calcml import MonteCarloEstimate, monte_carlo_integral, riemann_sum, trapezoid

x = sp.Symbol("x")
# (integrand, a, b): smooth, with f(b) != f(a) and f'(b) != f'(a), so no leading error term
# vanishes and each rule converges at exactly its order.
CASES = [
    (x**2, 0, 1),
    (sp.sin(x) * sp.exp(x), -1, 2),
    (1 / (1 + x**2), 0, 3),
    (sp.exp(-(x**2)), -0.5, 1.5),
]
IDS = [f"{expr} on [{a}, {b}]" for expr, a, b in CASES]


@functools.cache
def exact(expr, a, b) -> float:
    """SymPy's exact integral, in float64; cached, as the tests ask for each case many times."""
    return float(sp.integrate(expr, (x, a, b)))


def grid_rule(name):
    """The grid rules under one signature: name is a Riemann rule or "trapezoid"."""
    if name == "trapezoid":
        return trapezoid
    return lambda f, a, b, n: riemann_sum(f, a, b, n, rule=name)


def leading_error(expr, a, b, n, name) -> float:
    """The first term of (rule - integral) as n grows, from the Euler-Maclaurin formula."""
    h = (b - a) / n
    f_change = float(expr.subs(x, b) - expr.subs(x, a))
    slope_change = float(sp.diff(expr, x).subs(x, b) - sp.diff(expr, x).subs(x, a))
    return {
        "left": -h / 2 * f_change,
        "right": h / 2 * f_change,
        "midpoint": -(h**2) / 24 * slope_change,
        "trapezoid": h**2 / 12 * slope_change,
    }[name]


GRID_RULES = ["left", "right", "midpoint", "trapezoid"]
ORDERS = {"left": 1, "right": 1, "midpoint": 2, "trapezoid": 2}


@pytest.mark.parametrize(("expr", "a", "b"), CASES, ids=IDS)
@pytest.mark.parametrize("name", GRID_RULES)
def test_grid_rules_reach_the_exact_integral(expr, a, b, name):
    f = sp.lambdify(x, expr, "numpy")
    n = 10**6 if ORDERS[name] == 1 else 10**4
    error = grid_rule(name)(f, a, b, n) - exact(expr, a, b)
    # the leading term bounds the error to within a few percent at these n
    assert abs(error) <= 1.05 * abs(leading_error(expr, a, b, n, name)) + 1e-13


@pytest.mark.parametrize(("expr", "a", "b"), CASES, ids=IDS)
@pytest.mark.parametrize("name", GRID_RULES)
def test_error_matches_its_leading_term(expr, a, b, name):
    f = sp.lambdify(x, expr, "numpy")
    n = 1000
    error = grid_rule(name)(f, a, b, n) - exact(expr, a, b)
    np.testing.assert_allclose(error, leading_error(expr, a, b, n, name), rtol=0.02)


@pytest.mark.parametrize(("expr", "a", "b"), CASES, ids=IDS)
@pytest.mark.parametrize("name", GRID_RULES)
def test_log_error_against_log_n_has_slope_minus_the_order(expr, a, b, name):
    f = sp.lambdify(x, expr, "numpy")
    ns = 2 ** np.arange(3, 14)
    errors = [abs(grid_rule(name)(f, a, b, int(n)) - exact(expr, a, b)) for n in ns]
    slope = np.polyfit(np.log(ns), np.log(errors), 1)[0]
    assert slope == pytest.approx(-ORDERS[name], abs=0.02)


def test_midpoint_is_the_default_rule():
    assert riemann_sum(np.exp, 0, 1, 7) == riemann_sum(np.exp, 0, 1, 7, rule="midpoint")


# --- Monte Carlo ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("expr", "a", "b"), CASES, ids=IDS)
def test_monte_carlo_reaches_the_exact_integral(expr, a, b):
    n = 10**6
    result = monte_carlo_integral(sp.lambdify(x, expr, "numpy"), a, b, n, seed=7)
    assert isinstance(result, MonteCarloEstimate)
    # (b - a)^2 Var f(U) / n, with Var f(U) from the exact integrals of f and f^2
    variance = (b - a) * exact(expr**2, a, b) - exact(expr, a, b) ** 2
    assert result.stderr == pytest.approx(np.sqrt(variance / n), rel=0.01)
    assert abs(result.estimate - exact(expr, a, b)) < 4 * result.stderr


@pytest.mark.parametrize(("expr", "a", "b"), CASES, ids=IDS)
def test_two_standard_errors_cover_the_integral_95_percent_of_the_time(expr, a, b):
    f, integral = sp.lambdify(x, expr, "numpy"), exact(expr, a, b)
    runs = [monte_carlo_integral(f, a, b, 1000, seed=seed) for seed in range(1000)]
    estimates = np.array([r.estimate for r in runs])
    stderrs = np.array([r.stderr for r in runs])
    covered = np.mean(np.abs(estimates - integral) <= 2 * stderrs)
    # 1000 runs: the binomial standard deviation of the fraction is 0.007 about 0.954
    assert 0.93 <= covered <= 0.975, covered
    # the stderr of one run estimates the spread of the estimates over runs
    assert np.mean(stderrs) == pytest.approx(np.std(estimates), rel=0.08)


def test_standard_error_and_error_shrink_like_one_over_root_n():
    ns = np.array([100, 1000, 10_000, 100_000])
    stderrs, rms_errors = [], []
    for n in ns:
        runs = [monte_carlo_integral(np.exp, 0, 1, int(n), seed=seed) for seed in range(200)]
        stderrs.append(np.mean([r.stderr for r in runs]))
        rms_errors.append(np.sqrt(np.mean([(r.estimate - (np.e - 1)) ** 2 for r in runs])))
    assert np.polyfit(np.log(ns), np.log(stderrs), 1)[0] == pytest.approx(-0.5, abs=0.01)
    assert np.polyfit(np.log(ns), np.log(rms_errors), 1)[0] == pytest.approx(-0.5, abs=0.05)
    # the standard deviation of e^U, U uniform on [0, 1], over root n
    sigma = np.sqrt((np.e**2 - 1) / 2 - (np.e - 1) ** 2)
    np.testing.assert_allclose(stderrs, sigma / np.sqrt(ns), rtol=0.01)


def test_same_seed_same_estimate():
    first = monte_carlo_integral(np.sin, 0, 1, 1000, seed=3)
    assert monte_carlo_integral(np.sin, 0, 1, 1000, seed=3) == first
    assert monte_carlo_integral(np.sin, 0, 1, 1000, seed=4) != first
    assert monte_carlo_integral(np.sin, 0, 1, 1000) != monte_carlo_integral(np.sin, 0, 1, 1000)


def test_a_constant_has_zero_standard_error():
    assert monte_carlo_integral(np.ones_like, 2, 5, 10, seed=0) == (3.0, 0.0)


# --- One call of f, on all the points -------------------------------------------------------------

RULES = {
    "left": lambda f, n: riemann_sum(f, -1, 2, n, rule="left"),
    "right": lambda f, n: riemann_sum(f, -1, 2, n, rule="right"),
    "midpoint": lambda f, n: riemann_sum(f, -1, 2, n),
    "trapezoid": lambda f, n: trapezoid(f, -1, 2, n),
    "monte_carlo": lambda f, n: monte_carlo_integral(f, -1, 2, n, seed=0),
}
NUM_POINTS = {"trapezoid": lambda n: n + 1}


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("n", [2, 10**7])
def test_f_is_called_once_on_a_float64_array_of_all_the_points(name, n):
    calls = []

    def f(points):
        calls.append((points.dtype, points.shape, points.min(), points.max()))
        return np.cos(points)

    RULES[name](f, n)
    assert len(calls) == 1
    dtype, shape, low, high = calls[0]
    assert dtype == np.float64
    assert shape == (NUM_POINTS.get(name, lambda n: n)(n),)
    assert -1 <= low <= high <= 2


def test_the_points_of_each_rule():
    seen = {}

    def record(name):
        def f(points):
            seen[name] = points.copy()
            return points

        return f

    for name in ["left", "right", "midpoint"]:
        riemann_sum(record(name), 0, 1, 4, rule=name)
    trapezoid(record("trapezoid"), 0, 1, 4)
    np.testing.assert_array_equal(seen["left"], [0, 0.25, 0.5, 0.75])
    np.testing.assert_array_equal(seen["right"], [0.25, 0.5, 0.75, 1])
    np.testing.assert_array_equal(seen["midpoint"], [0.125, 0.375, 0.625, 0.875])
    np.testing.assert_array_equal(seen["trapezoid"], [0, 0.25, 0.5, 0.75, 1])


# --- Polynomials, where the rules' errors are known exactly ---------------------------------------

coefficient = st.floats(-10, 10, allow_nan=False)
bound = st.floats(-10, 10, allow_nan=False)


def polynomial_integral(c, a, b):
    return sum(ck * (b ** (k + 1) - a ** (k + 1)) / (k + 1) for k, ck in enumerate(c))


def polynomial(c):
    return lambda t: sum(ck * t**k for k, ck in enumerate(c))


@given(c=st.tuples(coefficient, coefficient), a=bound, b=bound, n=st.integers(1, 50))
def test_midpoint_and_trapezoid_are_exact_for_lines(c, a, b, n):
    integral = polynomial_integral(c, a, b)
    scale = 1e-12 * (1 + sum(abs(ck) for ck in c)) * (1 + abs(a) + abs(b)) ** 2
    assert riemann_sum(polynomial(c), a, b, n) == pytest.approx(integral, abs=scale)
    assert trapezoid(polynomial(c), a, b, n) == pytest.approx(integral, abs=scale)


@given(c=st.tuples(coefficient, coefficient, coefficient), a=bound, b=bound, n=st.integers(1, 50))
def test_errors_on_a_quadratic_are_exactly_the_leading_terms(c, a, b, n):
    f, integral, h = polynomial(c), polynomial_integral(c, a, b), (b - a) / n
    scale = 1e-11 * (1 + sum(abs(ck) for ck in c)) * (1 + abs(a) + abs(b)) ** 3
    f_change = f(b) - f(a)
    slope_change = 2 * c[2] * (b - a)  # f'(b) - f'(a) for f = c0 + c1 x + c2 x^2
    expected = {
        "left": integral - h / 2 * f_change + h**2 / 12 * slope_change,
        "right": integral + h / 2 * f_change + h**2 / 12 * slope_change,
        "midpoint": integral - h**2 / 24 * slope_change,
    }
    for rule, value in expected.items():
        assert riemann_sum(f, a, b, n, rule=rule) == pytest.approx(value, abs=scale), rule
    assert trapezoid(f, a, b, n) == pytest.approx(integral + h**2 / 12 * slope_change, abs=scale)


@given(a=bound, b=bound, n=st.integers(1, 50))
def test_integrals_are_signed(a, b, n):
    f = np.exp
    scale = 1e-12 * np.exp(10) * 20
    assert riemann_sum(f, a, b, n) == pytest.approx(-riemann_sum(f, b, a, n), abs=scale)
    left, right = riemann_sum(f, a, b, n, "left"), riemann_sum(f, b, a, n, "right")
    assert left == pytest.approx(-right, abs=scale)
    assert trapezoid(f, a, b, n) == pytest.approx(-trapezoid(f, b, a, n), abs=scale)


def test_monte_carlo_with_a_above_b_is_the_signed_integral():
    result = monte_carlo_integral(np.exp, 1, 0, 10**5, seed=0)
    assert result.stderr > 0
    assert abs(result.estimate - (1 - np.e)) < 4 * result.stderr


def test_empty_interval_integrates_to_zero():
    for name in GRID_RULES:
        assert grid_rule(name)(np.exp, 1.5, 1.5, 10) == 0
    assert monte_carlo_integral(np.exp, 1.5, 1.5, 10, seed=0) == (0.0, 0.0)


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("n", [0, -3, 2.0, 2.5, "10", True, None])
def test_n_must_be_a_positive_integer(name, n):
    with pytest.raises(ValueError, match=r"^n must be an integer >= "):
        RULES[name](np.sin, n)


def test_monte_carlo_needs_two_points_for_its_standard_error():
    with pytest.raises(ValueError, match=r"^n must be an integer >= 2, got 1"):
        monte_carlo_integral(np.sin, 0, 1, 1)
    assert riemann_sum(np.sin, 0, 1, 1) == np.sin(0.5)


CALLS = {
    "riemann_sum": riemann_sum,
    "trapezoid": trapezoid,
    "monte_carlo_integral": monte_carlo_integral,
}


@pytest.mark.parametrize("function", CALLS.values(), ids=CALLS)
@pytest.mark.parametrize("name", ["a", "b"])
@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_a_non_finite_bound_is_named(function, name, value):
    bounds = {"a": 0.0, "b": 1.0, name: value}
    with pytest.raises(ValueError, match=rf"^{name} must be finite"):
        function(np.sin, bounds["a"], bounds["b"], 10)


@pytest.mark.parametrize("function", CALLS.values(), ids=CALLS)
def test_a_bound_is_one_real_number(function):
    with pytest.raises(TypeError, match=r"^a must be a real number"):
        function(np.sin, "zero", 1, 10)
    with pytest.raises(ValueError, match=r"^b must be a single number"):
        function(np.sin, 0, [1, 2], 10)


@pytest.mark.parametrize("rule", ["simpson", "Left", "", None])
def test_an_unknown_rule_lists_the_rules(rule):
    with pytest.raises(ValueError, match=r"^rule must be one of 'left', 'right', 'midpoint'"):
        riemann_sum(np.sin, 0, 1, 10, rule=rule)


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize(
    "f",
    [lambda t: 1.0, lambda t: t[:-1], lambda t: np.stack([t, t]), lambda t: [1.0, 2.0]],
    ids=["scalar", "one short", "two rows", "short list"],
)
def test_f_returning_the_wrong_shape_is_named(name, f):
    with pytest.raises(ValueError, match=r"^f must return one value per point"):
        RULES[name](f, 10)


@pytest.mark.parametrize("name", RULES)
def test_f_returning_no_numbers_is_named(name):
    with pytest.raises(ValueError, match=r"^f must return real numbers"):
        RULES[name](lambda t: ["a"] * len(t), 10)


@pytest.mark.parametrize("function", CALLS.values(), ids=CALLS)
def test_bounds_too_far_apart_for_float64_are_named(function):
    with pytest.raises(ValueError, match=r"^b - a must be a finite float64, got a=-1e\+308"):
        function(np.sin, -1e308, 1e308, 10)


@pytest.mark.parametrize("name", RULES)
def test_f_that_refuses_an_array_is_named(name):
    with pytest.raises(TypeError, match=r"^f must accept a NumPy array.*np\.sin, not math\.sin"):
        RULES[name](math.sin, 10)


@pytest.mark.parametrize("name", RULES)
def test_f_returning_complex_numbers_is_named(name):
    with pytest.raises(ValueError, match=r"^f must return real numbers, got complex"):
        RULES[name](lambda t: t + 1j, 10)


@pytest.mark.parametrize("name", RULES)
def test_f_returning_non_finite_values_is_named_with_the_point(name):
    def f(t):  # infinite at the second point alone
        return np.where(t == t[1], np.inf, t)

    with pytest.raises(ValueError, match=r"^f must return finite numbers, got f\(.*\) = inf at 1"):
        RULES[name](f, 10)


def test_the_midpoint_rule_integrates_a_function_infinite_at_an_end():
    # 1 / sqrt(x) is infinite at 0, where the left rule and the trapezoid rule evaluate it. Not
    # smooth, so the midpoint rule loses its order 2: the error shrinks like n^(-1/2) instead.
    errors = [riemann_sum(lambda t: 1 / np.sqrt(t), 0, 1, n) - 2 for n in (10**4, 10**6)]
    assert -0.01 < errors[0] < 0 and errors[0] / errors[1] == pytest.approx(10, rel=1e-3)
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match=r"f\(0\.0\) = inf"):
        trapezoid(lambda t: 1 / np.sqrt(t), 0, 1, 10)


@pytest.mark.parametrize("seed", [-1, 1.5, "a", True])
def test_a_bad_seed_is_named(seed):
    with pytest.raises(ValueError, match=r"^seed must be an integer >= 0"):
        monte_carlo_integral(np.sin, 0, 1, 10, seed=seed)


@pytest.mark.parametrize("function", CALLS.values(), ids=CALLS)
def test_f_must_be_callable(function):
    with pytest.raises(TypeError, match=r"^f must be a callable, got float"):
        function(1.0, 0, 1, 10)
