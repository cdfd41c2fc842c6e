"""calcml.ad: forward and reverse mode agree with each other and with jax.grad in float64.

Random compositions of every operation and function come from hypothesis, as expression trees
evaluated once with calcml.ad and once with jax.numpy. `hypothesis.target` steers the search
towards the largest disagreement; `--hypothesis-show-statistics` prints it.
"""

import math
import operator
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import assume, given, settings, target
from hypothesis import strategies as st

from calcml import ad

NUM_INPUTS = 3
BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
FUNCTIONS = ("sin", "cos", "exp", "log", "tanh")
EXPONENTS = (2, 3, -1, -2, 0.5)

leaves = st.one_of(
    st.tuples(st.just("x"), st.integers(0, NUM_INPUTS - 1)),
    st.tuples(st.just("c"), st.floats(-2, 2)),
)
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.tuples(st.sampled_from(("neg", *FUNCTIONS)), children),
        st.tuples(st.sampled_from(tuple(BINARY)), children, children),
        st.tuples(st.just("pow"), children, st.sampled_from(EXPONENTS)),
    ),
    max_leaves=30,
)
points = st.lists(st.floats(-2, 2), min_size=NUM_INPUTS, max_size=NUM_INPUTS)


def evaluate(tree, xs, lib):
    """The expression ``tree`` at ``xs``, with the elementary functions of ``lib``."""
    kind, *args = tree
    if kind == "x":
        return xs[args[0]]
    if kind == "c":
        return args[0]
    if kind == "pow":
        return evaluate(args[0], xs, lib) ** args[1]
    if kind in BINARY:
        return BINARY[kind](evaluate(args[0], xs, lib), evaluate(args[1], xs, lib))
    inner = evaluate(args[0], xs, lib)
    return -inner if kind == "neg" else getattr(lib, kind)(inner)


def well_conditioned(tree, xs) -> bool:
    """Whether every step of ``tree`` at ``xs`` stays away from poles, branch cuts and overflow.

    Near them both libraries are right and still differ by far more than rounding."""
    kind, *args = tree
    if kind in ("x", "c"):
        return True
    if not all(well_conditioned(a, xs) for a in args if isinstance(a, tuple)):
        return False
    inner = evaluate(args[0], xs, ad)
    if kind == "log" or (kind == "pow" and args[1] == 0.5):
        return inner > 0.1
    if kind == "pow" and args[1] < 0:
        return abs(inner) > 0.1
    if kind == "div":
        return abs(evaluate(args[1], xs, ad)) > 0.1
    return abs(evaluate(tree, xs, ad)) < 1e4


def uses_an_input(tree) -> bool:
    return tree[0] == "x" or any(uses_an_input(a) for a in tree[1:] if isinstance(a, tuple))


def relative_error(estimate: float, truth: float) -> float:
    return abs(estimate - truth) / max(1.0, abs(truth))


@settings(max_examples=300, deadline=None)
@given(trees, points)
def test_forward_and_reverse_mode_match_jax_grad_in_float64(tree, xs):
    assume(uses_an_input(tree) and well_conditioned(tree, xs))
    with jax.enable_x64(True):
        f = lambda *v: evaluate(tree, v, jnp)  # noqa: E731
        value = float(f(*xs))
        truth = [float(g) for g in jax.grad(f, argnums=tuple(range(NUM_INPUTS)))(*xs)]
    reverse = ad.gradient(lambda *v: evaluate(tree, v, ad), xs)
    # `+ 0 * t`: f returns a Dual even where the tree does not use input i.
    forward = [
        ad.derivative(lambda t, i=i: evaluate(tree, [*xs[:i], t, *xs[i + 1 :]], ad) + 0 * t, xs[i])
        for i in range(NUM_INPUTS)
    ]
    errors = [relative_error(evaluate(tree, xs, ad), value)]
    errors += [relative_error(g, t) for g, t in zip(reverse + forward, truth + truth, strict=True)]
    target(max(errors), label="largest relative disagreement with jax.grad")
    assert max(errors) < 1e-12, (reverse, forward, truth)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_a_number_on_either_side_matches_jax(name):
    op = BINARY[name]
    with jax.enable_x64(True):
        expected = [float(jax.grad(lambda x: op(x, 1.5) + op(1.5, x))(0.75))]
    assert ad.gradient(lambda x: op(x, 1.5) + op(1.5, x), [0.75]) == pytest.approx(expected)
    assert ad.derivative(lambda x: op(x, 1.5) + op(1.5, x), 0.75) == pytest.approx(expected[0])


@pytest.mark.parametrize("n", [0, 1, 2.0, True])
@pytest.mark.parametrize("x", [0.0, -1.5])
def test_exponents_zero_and_one_at_zero_and_below_match_jax(n, x):
    with jax.enable_x64(True):
        expected = float(jax.grad(lambda t: t**n * 3.0)(x))
    assert ad.gradient(lambda t: t**n * 3.0, [x]) == [expected]
    assert ad.derivative(lambda t: t**n * 3.0, x) == expected


@pytest.mark.parametrize("kind", [ad.Dual, ad.Value])
def test_numpy_numbers_mix_like_python_numbers(kind):
    """A NumPy scalar on either side, as when a weight comes out of an array, keeps the node."""
    x = kind(3.0)
    for result in (np.float64(2.0) * x, x * np.float32(2.0), np.int64(2) + x, x - np.float64(1)):
        assert type(result) is kind
    assert (np.float64(2.0) * x).value == 6.0
    assert ad.derivative(lambda t: np.float64(2.0) * t**2, np.float64(3.0)) == 12.0


def test_zero_dimensional_and_one_dimensional_arrays_are_numbers_and_points():
    assert ad.derivative(lambda t: t**3, np.array(2.0)) == 12.0
    assert ad.gradient(lambda a, b: a * b, np.array([2.0, 5.0])) == [5.0, 2.0]
    assert ad.gradient(lambda a, b: a / b, (x for x in (1.0, 2.0))) == [0.5, -0.25]
    with jax.enable_x64(True):
        assert ad.gradient(lambda a, b: a * b, jnp.array([2.0, 5.0])) == [5.0, 2.0]
    assert ad.Value(np.array(4.0)).value == 4.0


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("x", [0.5, 3, np.float32(2.0)])
def test_elementary_functions_on_numbers_return_floats_as_numpy_computes_them(name, x):
    result = getattr(ad, name)(x)
    assert type(result) is float
    assert result == pytest.approx(float(getattr(np, name)(np.float64(x))), rel=1e-15)


def test_a_node_used_twice_gets_both_contributions():
    assert ad.gradient(lambda x: x * x + x, [3.0]) == [7.0]
    assert ad.derivative(lambda x: x * x + x, 3.0) == 7.0
    # y = sin(x) reaches the output by two paths: d(y² + y)/dx = (2y + 1) cos x.
    expected = (2 * math.sin(0.3) + 1) * math.cos(0.3)
    [grad] = ad.gradient(lambda x: (lambda y: y * y + y)(ad.sin(x)), [0.3])
    assert grad == pytest.approx(expected, rel=1e-15)


def test_gradient_follows_the_order_of_xs():
    f = lambda a, b, c: a + 2 * b + 3 * c * c  # noqa: E731
    assert ad.gradient(f, [1.0, 1.0, 1.0]) == [1.0, 2.0, 6.0]
    assert ad.gradient(lambda a, b: a / b, [1.0, 2.0]) == [0.5, -0.25]


def test_backward_twice_gives_the_same_grads():
    x = ad.Value(2.0)
    y = x * x * x
    y.backward()
    y.backward()
    assert x.grad == 12.0


def test_deep_graph_needs_no_recursion():
    def chain(x):
        y = x
        for _ in range(10_000):
            y = y + x
        return y

    assert ad.gradient(chain, [1.0]) == [10_001.0]
    assert ad.derivative(chain, 1.0) == 10_001.0


LOG_MESSAGE = "log of a non-positive number: log({})"
KINDS = [float, ad.Dual, ad.Value]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_a_non_positive_number_raises_value_error(kind, x):
    with pytest.raises(ValueError, match=re.escape(LOG_MESSAGE.format(x))):
        ad.log(kind(x))


@pytest.mark.parametrize("kind", KINDS)
def test_division_by_zero_raises_zero_division_error(kind):
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        kind(1.0) / kind(0.0)
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        1 / kind(0.0)


@pytest.mark.parametrize("kind", [ad.Dual, ad.Value])
def test_division_by_zero_names_the_operation(kind):
    with pytest.raises(ZeroDivisionError, match=re.escape("division by zero: 1.0 / 0.0")):
        kind(1.0) / 0
    with pytest.raises(ZeroDivisionError, match=re.escape("division by zero: 0.0 ** -1")):
        kind(0.0) ** -1
    with pytest.raises(ValueError, match=re.escape("non-integer power is not real: -1.0 ** 0.5")):
        kind(-1.0) ** 0.5


def test_errors_inside_derivative_and_gradient_reach_the_caller():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        ad.derivative(lambda x: 1 / (x - x), 1.0)
    with pytest.raises(ValueError, match=re.escape(LOG_MESSAGE.format(-2.0))):
        ad.gradient(lambda x: ad.log(-x), [2.0])


@pytest.mark.parametrize(
    "expression",
    [
        lambda: ad.Dual(1.0) + "a",
        lambda: "a" - ad.Value(1.0),
        lambda: ad.Dual(1.0) * ad.Value(1.0),
        lambda: ad.Value(1.0) / [1.0],
        lambda: ad.Value(2.0) ** ad.Value(2.0),
        lambda: 2.0 ** ad.Dual(1.0),
    ],
)
def test_unsupported_operand_types_raise_type_error(expression):
    with pytest.raises(TypeError, match="unsupported operand type"):
        expression()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ad.sin("a"), "sin expects a float, Dual or Value, got str 'a'"),
        (lambda: ad.log(None), "log expects a float, Dual or Value, got NoneType"),
        (lambda: ad.Dual("a"), "value must be a real number, got str"),
        (lambda: ad.Dual(1.0, None), "derivative must be a real number, got NoneType"),
        (lambda: ad.Value([1.0]), "value must be a real number, got list"),
        (lambda: ad.derivative("f", 1.0), "f must be a callable"),
        (lambda: ad.derivative(ad.sin, "1"), "x must be a real number, got str"),
        (lambda: ad.gradient(ad.sin, 1.0), "xs must be a sequence of real numbers, got float"),
        (lambda: ad.gradient(ad.sin, np.array(1.0)), "xs must be a sequence of real numbers"),
        (lambda: ad.gradient(ad.sin, np.ones((1, 1))), "xs[0] must be a real number, got ndarray"),
        (lambda: ad.gradient(ad.sin, ["a"]), "xs[0] must be a real number, got str"),
    ],
)
def test_bad_arguments_raise_type_error_naming_them(call, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        call()


@pytest.mark.parametrize("result", [3.0, ad.Dual(1.0), None])
def test_gradient_needs_f_to_return_a_value(result):
    with pytest.raises(TypeError, match="f must return the Value it computes from xs"):
        ad.gradient(lambda x: result, [1.0])


@pytest.mark.parametrize("result", [3.0, ad.Value(1.0), None])
def test_derivative_needs_f_to_return_a_dual(result):
    with pytest.raises(TypeError, match="f must return the Dual it computes from x"):
        ad.derivative(lambda x: result, 1.0)
