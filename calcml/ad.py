r"""Automatic differentiation in one sitting: forward mode (dual numbers), reverse mode (a graph).

Every operation $y = g(u, v)$ computes its value and, right beside it, its local derivatives
$\partial y / \partial u$ and $\partial y / \partial v$. A :class:`Dual` (forward mode) multiplies
them by its inputs' derivatives at once, $\dot y = \frac{\partial y}{\partial u} \dot u +
\frac{\partial y}{\partial v} \dot v$: one pass gives the derivative along one direction. A
:class:`Value` (reverse mode, as in micrograd) stores them, and :meth:`Value.backward` sends the
output's gradient back through the graph in reverse topological order,
$\bar u \mathrel{+}= \frac{\partial y}{\partial u} \bar y$: one pass gives the whole gradient.

Plain numbers mix with either kind on both sides of ``+ - * /``; ``**`` takes a number exponent.
Everything computes with Python floats (float64).
"""

import functools
import math
from collections.abc import Callable, Iterable
from numbers import Real
from typing import Self

from calcml._checks import check_callable

__all__ = ["Dual", "Value", "cos", "derivative", "exp", "gradient", "log", "sin", "tanh"]


def _binary(method: Callable) -> Callable:
    """Lift a plain number to the node's kind; any other type is NotImplemented, so Python
    raises its TypeError ("unsupported operand type(s) for +: ...")."""

    @functools.wraps(method)
    def wrapper(self, other):
        if isinstance(other, Real):
            other = type(self)(other)
        elif type(other) is not type(self):
            return NotImplemented
        return method(self, other)

    return wrapper


class _Node:
    """The arithmetic both modes share: each operation's value and its local derivatives."""

    __slots__ = ()
    value: float

    def _make(self, value: float, local: tuple) -> Self:
        """A new node of this kind from its ``value`` and ``((input, d value / d input), ...)``."""
        raise NotImplementedError

    def __neg__(self) -> Self:
        return self._make(-self.value, ((self, -1.0),))

    @_binary
    def __add__(self, other: Self) -> Self:
        return self._make(self.value + other.value, ((self, 1.0), (other, 1.0)))

    @_binary
    def __sub__(self, other: Self) -> Self:
        return self._make(self.value - other.value, ((self, 1.0), (other, -1.0)))

    @_binary
    def __mul__(self, other: Self) -> Self:
        return self._make(self.value * other.value, ((self, other.value), (other, self.value)))

    @_binary
    def __truediv__(self, other: Self) -> Self:
        a, b = self.value, other.value
        if b == 0:
            raise ZeroDivisionError(f"division by zero: {a!r} / {b!r}")
        return self._make(a / b, ((self, 1 / b), (other, -a / b**2)))

    # A number on the left: lift it, then do the operation the right way round.
    __radd__ = _binary(lambda self, other: other + self)
    __rsub__ = _binary(lambda self, other: other - self)
    __rmul__ = _binary(lambda self, other: other * self)
    __rtruediv__ = _binary(lambda self, other: other / self)

    def __pow__(self, n: float) -> Self:
        if not isinstance(n, Real):
            return NotImplemented
        value = _power(self.value, n, f"{self.value!r} ** {n!r}")
        slope = n * _power(self.value, n - 1, f"derivative of {self.value!r} ** {n!r}") if n else 0
        return self._make(value, ((self, slope),))


def _power(a: float, n: float, operation: str) -> float:
    """``a ** n`` as a real number, or the error Python's ``math`` module would raise."""
    if a == 0 and n < 0:
        raise ZeroDivisionError(f"division by zero: {operation}")
    if a < 0 and not float(n).is_integer():
        raise ValueError(f"a negative number to a non-integer power is not real: {operation}")
    return a**n


def _check_real(name: str, x: object) -> float:
    if getattr(x, "shape", None) == ():  # a 0-d NumPy or JAX array holds one number
        x = x.item()
    if not isinstance(x, Real):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__} {x!r}")
    return float(x)


class Dual(_Node):
    r"""A dual number ``value + derivative·ε`` with $\varepsilon^2 = 0$: forward mode.

    $f(a + b\varepsilon) = f(a) + f'(a)\, b\,\varepsilon$, so evaluating ``f`` on
    ``Dual(x, 1.0)`` carries $f'(x)$ along with $f(x)$ in the same pass.

    Parameters
    ----------
    value : float
        The number $a$.
    derivative : float, optional
        Its derivative $b$ along the chosen direction: 1 for the input, 0 (default) for a
        constant.

    Examples
    --------
    >>> from calcml.ad import Dual
    >>> x = Dual(3.0, 1.0)
    >>> x * x + 2 * x
    Dual(value=15.0, derivative=8.0)
    """

    __slots__ = ("value", "derivative")

    def __init__(self, value: float, derivative: float = 0.0) -> None:
        self.value = _check_real("value", value)
        self.derivative = _check_real("derivative", derivative)

    def _make(self, value: float, local: tuple) -> "Dual":
        return Dual(value, sum(slope * x.derivative for x, slope in local))

    def __repr__(self) -> str:
        return f"Dual(value={self.value!r}, derivative={self.derivative!r})"


class Value(_Node):
    r"""A node of a computation graph: reverse mode.

    Each operation on values makes a new ``Value`` that remembers its inputs and the local
    derivative with respect to each. :meth:`backward` then fills in ``grad``, the derivative of
    the output with respect to this node.

    Parameters
    ----------
    value : float
        The number held by the node.

    Examples
    --------
    >>> from calcml.ad import Value
    >>> x = Value(3.0)
    >>> y = x * x + 2 * x
    >>> y.backward()
    >>> y.value, x.grad
    (15.0, 8.0)
    """

    __slots__ = ("value", "grad", "_inputs")

    def __init__(self, value: float, _inputs: tuple = ()) -> None:
        self.value = _check_real("value", value)
        self.grad = 0.0
        self._inputs = _inputs  # ((input node, d self / d input), ...)

    def _make(self, value: float, local: tuple) -> "Value":
        return Value(value, local)

    def __repr__(self) -> str:
        return f"Value(value={self.value!r}, grad={self.grad!r})"

    def backward(self) -> None:
        """Set ``grad`` of every node this one depends on to this one's derivative by it.

        One pass over the graph in reverse topological order, so each node has received all its
        contributions before it passes its own on; a node used twice adds both. Earlier grads
        are replaced, not added to. The sort is iterative, so deep graphs do not hit Python's
        recursion limit.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth-first; a node goes in `order` after all of its inputs
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                node.grad = 0.0
                stack.append((node, True))
                stack.extend((x, False) for x, _ in node._inputs if x not in seen)
        self.grad = 1.0
        for node in reversed(order):
            for x, slope in node._inputs:
                x.grad += slope * node.grad


def _elementary(
    x: float | Dual | Value, f: Callable, df: Callable, name: str
) -> float | Dual | Value:
    """``f`` on a float, or on a node with the chain rule through ``df``."""
    if isinstance(x, _Node):
        return x._make(f(x.value), ((x, df(x.value)),))
    if isinstance(x, Real):
        return f(float(x))
    raise TypeError(f"{name} expects a float, Dual or Value, got {type(x).__name__} {x!r}")


def _log(a: float) -> float:
    if a <= 0:
        raise ValueError(f"log of a non-positive number: log({a!r})")
    return math.log(a)


def sin(x: float | Dual | Value) -> float | Dual | Value:
    """The sine, with derivative cos. A float gives a float; a Dual or Value gives its kind.

    Examples
    --------
    >>> from calcml import ad
    >>> ad.sin(0.0), ad.sin(ad.Dual(0.0, 1.0))
    (0.0, Dual(value=0.0, derivative=1.0))
    """
    return _elementary(x, math.sin, math.cos, "sin")


def cos(x: float | Dual | Value) -> float | Dual | Value:
    """The cosine, with derivative −sin."""
    return _elementary(x, math.cos, lambda a: -math.sin(a), "cos")


def exp(x: float | Dual | Value) -> float | Dual | Value:
    """The exponential, its own derivative."""
    return _elementary(x, math.exp, math.exp, "exp")


def log(x: float | Dual | Value) -> float | Dual | Value:
    """The natural logarithm, with derivative 1/x; ``ValueError`` where x ≤ 0, as ``math.log``.

    Examples
    --------
    >>> from calcml import ad
    >>> ad.log(ad.Dual(2.0, 1.0))
    Dual(value=0.6931471805599453, derivative=0.5)
    >>> ad.log(-1)
    Traceback (most recent call last):
    ...
    ValueError: log of a non-positive number: log(-1.0)
    """
    return _elementary(x, _log, lambda a: 1 / a, "log")


def tanh(x: float | Dual | Value) -> float | Dual | Value:
    """The hyperbolic tangent, with derivative 1 − tanh²."""
    return _elementary(x, math.tanh, lambda a: 1 - math.tanh(a) ** 2, "tanh")


def derivative(f: Callable[[Dual], Dual], x: float) -> float:
    """$f'(x)$ by forward mode: one evaluation of ``f`` on ``Dual(x, 1.0)``.

    Parameters
    ----------
    f : callable
        A function of one number written with ``+ - * / **`` and ``calcml.ad``'s functions.
    x : float
        The point.

    Returns
    -------
    float
        The derivative, exact up to float64 rounding.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``x`` is not a real number, or ``f`` returns something other
        than a ``Dual`` (a constant, or a value it did not compute from its argument).

    Examples
    --------
    >>> from calcml import ad
    >>> ad.derivative(lambda x: x**3 + ad.sin(x), 0.0)
    1.0
    """
    check_callable("f", f)
    y = f(Dual(_check_real("x", x), 1.0))
    if not isinstance(y, Dual):
        raise TypeError(f"f must return the Dual it computes from x, got {type(y).__name__}")
    return y.derivative


def gradient(f: Callable[..., Value], xs: Iterable[float]) -> list[float]:
    r"""The partial derivatives of ``f(*xs)`` by reverse mode: one forward and one backward pass.

    Parameters
    ----------
    f : callable
        A function of ``len(xs)`` numbers, written with ``+ - * / **`` and ``calcml.ad``'s
        functions, returning one number.
    xs : sequence of float
        The point: a list, a tuple or a 1-D array.

    Returns
    -------
    list of float
        $\partial f / \partial x_i$ for each ``xs[i]``, in order; float64.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``xs`` is not a sequence of real numbers, or ``f`` returns
        something other than a ``Value``.

    Examples
    --------
    >>> from calcml import ad
    >>> ad.gradient(lambda x, y: x * y + ad.exp(x), [0.0, 2.0])
    [3.0, 0.0]
    """
    check_callable("f", f)
    try:
        xs = list(xs)
    except TypeError:
        raise TypeError(
            f"xs must be a sequence of real numbers, got {type(xs).__name__} {xs!r}"
        ) from None
    inputs = [Value(_check_real(f"xs[{i}]", x)) for i, x in enumerate(xs)]
    y = f(*inputs)
    if not isinstance(y, Value):
        raise TypeError(f"f must return the Value it computes from xs, got {type(y).__name__}")
    y.backward()
    return [x.grad for x in inputs]
