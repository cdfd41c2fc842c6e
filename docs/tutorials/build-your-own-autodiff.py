# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Build your own autodiff
#
# **What you will learn**: how automatic differentiation works inside, by building it twice.
# *Forward mode* carries a derivative along with every number, using dual numbers. *Reverse
# mode* records the computation as a graph, then sends the gradient back through it in one
# pass. You will check both against JAX, count the operations each needs to see why reverse
# mode is the one that trains neural networks, and finally backpropagate through the
# perceptron with your own reverse mode and watch the result equal calcml's
# [`backward_propagation`](../../reference/perceptron/#calcml.perceptron.backward_propagation).
#
# **What you need**: the lessons [The chain rule](../../lessons/chain-rule/) and
# [Partial derivatives and gradients](../../lessons/gradients/), the tutorial
# [Differentiation in Python](../differentiation-three-ways/), a little Python operator
# overloading (`__add__`, `__mul__`), and `calcml` installed. The full versions built here are
# the module [`calcml.ad`](../../reference/ad/), short enough to read in one sitting.

# %%
import math

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

from calcml import ad, backward_propagation, compute_cost, forward_propagation
from calcml.datasets import load_house_prices, load_tv_marketing

# %% [markdown]
# ## Forward mode: dual numbers
#
# A *dual number* $a + b\varepsilon$ is a pair of numbers with a new symbol $\varepsilon$
# whose square is zero: $\varepsilon^2 = 0$. Multiply two of them and the $\varepsilon^2$ term
# drops out:
#
# $$(a + b\varepsilon)(c + d\varepsilon) = ac + (ad + bc)\,\varepsilon.$$
#
# The $\varepsilon$ part is the product rule. That is no accident: for any polynomial $f$,
# Taylor's formula stops after the linear term, $f(a + b\varepsilon) = f(a) + f'(a)\,b\,
# \varepsilon$. So if we put $x + 1\varepsilon$ into a function, the value comes out in the
# first part and the derivative in the second, **in the same pass**. Here is the whole idea
# in Python, with `+` and `×` only:


# %%
class Dual:
    def __init__(self, value, derivative):
        self.value, self.derivative = value, derivative

    def __add__(self, other):
        return Dual(self.value + other.value, self.derivative + other.derivative)

    def __mul__(self, other):
        return Dual(
            self.value * other.value,
            self.derivative * other.value + self.value * other.derivative,
        )


x = Dual(2.0, 1.0)  # the input x = 2, with dx/dx = 1
y = x * x * x + x  # f(x) = x³ + x
print(f"f(2) = {y.value},  f'(2) = {y.derivative}  (by hand: 3·2² + 1 = {3 * 2**2 + 1})")
assert y.derivative == 3 * 2**2 + 1

# %% [markdown]
# ### The tricks that make it usable
#
# Three things are missing before this differentiates real code.
#
# 1. **Plain numbers.** `3 * x` fails: Python asks `int.__mul__(3, x)`, which gives up, then
#    `Dual.__rmul__(x, 3)`, which does not exist. A number $c$ is a constant, the dual
#    number $c + 0\varepsilon$: we *lift* it, and add the reflected methods `__radd__` and
#    `__rmul__`.
# 2. **Functions.** $\sin$ is not a polynomial, but the rule still holds to first order:
#    $\sin(a + b\varepsilon) = \sin a + (\cos a)\, b\,\varepsilon$. Each elementary function
#    needs its value and its derivative, and the chain rule does the rest.
# 3. **Several inputs.** The $\varepsilon$ part is a derivative along *one* direction. For
#    $\partial f / \partial x_1$, give $x_1$ the derivative 1 and every other input 0; for
#    $\partial f / \partial x_2$, run again with the 1 moved. A gradient of $n$ inputs takes
#    $n$ passes.
#
# The class below also counts its operations in `Dual.ops`; we use the count
# [further down](#counting-operations-n-passes-against-one).

# %%
try:
    3 * x
except TypeError as err:
    print(f"TypeError: {err}")


def lift(c, kind):
    """A plain number as a constant of the kind of node we compute with."""
    return c if isinstance(c, kind) else kind(c)


class Dual:
    ops = 0

    def __init__(self, value, derivative=0.0):  # a constant by default
        self.value, self.derivative = value, derivative

    def __add__(self, other):
        other = lift(other, Dual)
        Dual.ops += 1
        return Dual(self.value + other.value, self.derivative + other.derivative)

    def __mul__(self, other):
        other = lift(other, Dual)
        Dual.ops += 1
        return Dual(
            self.value * other.value,
            self.derivative * other.value + self.value * other.derivative,
        )

    __radd__ = __add__  # x + y = y + x, so 3 + x can reuse __add__
    __rmul__ = __mul__


def sin(x):
    return Dual(math.sin(x.value), math.cos(x.value) * x.derivative)


def f(x1, x2):
    return x1 * x2 + sin(x1) + 3 * x2


x1, x2 = 0.5, 2.0
df_dx1 = f(Dual(x1, 1.0), Dual(x2, 0.0)).derivative  # pass 1: direction (1, 0)
df_dx2 = f(Dual(x1, 0.0), Dual(x2, 1.0)).derivative  # pass 2: direction (0, 1)
by_hand = (x2 + math.cos(x1), x1 + 3)
print(f"∂f/∂x1 = {df_dx1:.12f}  by hand x2 + cos x1 = {by_hand[0]:.12f}")
print(f"∂f/∂x2 = {df_dx2:.12f}  by hand x1 + 3      = {by_hand[1]:.12f}")
assert (df_dx1, df_dx2) == by_hand

# %% [markdown]
# ## Reverse mode: a graph and a backward pass
#
# Reverse mode turns the order around. The forward pass computes values only, but every
# operation remembers its inputs and its *local derivatives*, $\partial y / \partial u$ for each
# input $u$, right beside the value it makes. That is a graph (often called a *tape*) from the
# inputs to the output.
#
# The backward pass then starts at the output, with $\partial f / \partial f = 1$, and walks
# the graph backwards. Each node holds `grad` $= \partial f / \partial \text{node}$, and passes
# `local × grad` on to each of its inputs. By the chain rule, an input's `grad` is the *sum*
# over every path from it to the output; so the contributions are added (`+=`), and a node may
# only pass its `grad` on once all of them have arrived. Visiting the nodes in **reverse
# topological order** (every node after all the nodes that use it) guarantees exactly that.


# %%
class Value:
    ops = 0

    def __init__(self, value, inputs=()):
        self.value, self.grad = value, 0.0
        self.inputs = inputs  # ((input node, local derivative), ...)

    def __add__(self, other):
        other = lift(other, Value)
        Value.ops += 1
        return Value(self.value + other.value, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = lift(other, Value)
        Value.ops += 1
        return Value(self.value * other.value, ((self, other.value), (other, self.value)))

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        order, seen = [], set()

        def visit(node):  # depth first: a node goes in `order` after all of its inputs
            if node not in seen:
                seen.add(node)
                for x, _ in node.inputs:
                    visit(x)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for x, local in node.inputs:
                x.grad += local * node.grad
                Value.ops += 1


x = Value(3.0)
y = x * x + x  # x is used three times: twice in x * x, once in + x
y.backward()
print(f"d(x² + x)/dx at 3 = {x.grad}  (by hand 2·3 + 1 = 7)")
assert x.grad == 7.0

# %% [markdown]
# All partial derivatives come out of **one** backward pass: every input holds its own `grad`
# at the end.

# %%
x1, x2 = Value(0.5), Value(2.0)
y = x1 * x2 * x1 + 3 * x2  # x1² x2 + 3 x2
y.backward()
print(f"∂/∂x1 = {x1.grad}  (2 x1 x2 = {2 * 0.5 * 2.0}),  ∂/∂x2 = {x2.grad}  (x1² + 3 = 3.25)")
assert (x1.grad, x2.grad) == (2 * 0.5 * 2.0, 0.5**2 + 3)

# %% [markdown]
# The recursive `visit` is short, but every node of a chain adds a Python stack frame, and
# Python stops at about a thousand. A loop of 5,000 additions is enough to break it:

# %%
x = Value(1.0)
y = x
for _ in range(5000):
    y = y + x
try:
    y.backward()
except RecursionError as err:
    print(f"RecursionError: {err}")

# %% [markdown]
# ## The full versions in calcml.ad
#
# [`calcml.ad`](../../reference/ad/) completes both classes along the same lines:
#
# - `ad.Dual` and `ad.Value` share one set of operators: unary minus, `+ - * /` and `**` with
#   a number exponent, a plain number on either side. Each operation computes its value and its
#   local derivatives once; `Dual` multiplies them by its inputs' derivatives at once, `Value`
#   stores them for the backward pass. The same rules serve both modes.
# - `ad.sin`, `ad.cos`, `ad.exp`, `ad.log` and `ad.tanh` take a float, a `Dual` or a `Value`.
# - [`ad.derivative(f, x)`](../../reference/ad/#calcml.ad.derivative) is one forward pass,
#   [`ad.gradient(f, xs)`](../../reference/ad/#calcml.ad.gradient) one forward and one backward
#   pass.
# - The topological sort uses its own stack instead of recursion, so deep graphs work.
# - Errors are Python's: `ValueError` for the log of a non-positive number, and
#   `ZeroDivisionError` for a division by zero, with a message that names the operation.

# %%
print(ad.derivative(lambda x: x**3 / 2 - ad.exp(-x), 1.0), 1.5 + math.exp(-1.0))
print(ad.gradient(lambda x, y: ad.tanh(x * y) + 1 / y, [0.5, 2.0]))


def chain(x):
    y = x
    for _ in range(10_000):
        y = y + x
    return y


print("10,000 additions:", ad.gradient(chain, [1.0]))
for bad in (lambda: ad.log(ad.Value(-1.0)), lambda: 1 / ad.Dual(0.0)):
    try:
        bad()
    except (ValueError, ZeroDivisionError) as err:
        print(f"{type(err).__name__}: {err}")

# %% [markdown]
# ## Checking against jax.grad
#
# JAX's `grad` is an independent, industrial implementation of reverse mode. Each composition
# below is written once, with the elementary functions taken from a library argument `lib`:
# `ad` for ours and `jax.numpy` for JAX's. JAX runs in float64 here (inside
# `jax.enable_x64`), like Python's floats, so the three gradients should agree to rounding.
# The tests of `calcml.ad` do the same on hundreds of random compositions drawn by
# [hypothesis](https://hypothesis.readthedocs.io).

# %%
compositions = {
    "sin(x·y) + exp(x/y)": lambda x, y, lib: lib.sin(x * y) + lib.exp(x / y),
    "log(x² + y²) · tanh(x − y)": lambda x, y, lib: lib.log(x**2 + y**2) * lib.tanh(x - y),
    "cos(x)³ / (1 + y²) − 2/x": lambda x, y, lib: lib.cos(x) ** 3 / (1 + y**2) - 2 / x,
    "(x·y + 2)^0.5 · exp(−x²)": lambda x, y, lib: (x * y + 2) ** 0.5 * lib.exp(-(x**2)),
}
point = (0.7, 1.3)


def three_gradients(g, x, y):
    """The gradient of g at (x, y) by JAX (float64), by our reverse and forward modes."""
    with jax.enable_x64(True):
        truth = np.array(jax.grad(lambda x, y: g(x, y, jnp), argnums=(0, 1))(x, y))
    reverse = np.array(ad.gradient(lambda x, y: g(x, y, ad), [x, y]))
    forward = np.array(
        [ad.derivative(lambda t: g(t, y, ad), x), ad.derivative(lambda t: g(x, t, ad), y)]
    )
    return truth, reverse, forward


print(f"{'f(x, y)':28} {'∂f/∂x':>10} {'∂f/∂y':>10}  max |forward − JAX|  max |reverse − JAX|")
for name, g in compositions.items():
    truth, reverse, forward = three_gradients(g, *point)
    errors = np.abs(forward - truth).max(), np.abs(reverse - truth).max()
    print(f"{name:28} {truth[0]:10.6f} {truth[1]:10.6f}  {errors[0]:19.1e}  {errors[1]:19.1e}")
    assert max(errors) < 1e-12

# %% [markdown]
# ## Counting operations: n passes against one
#
# Take the Rosenbrock function of $n$ inputs, the one the [Benchmarks](../../reference/benchmarks/)
# page times, written with `+` and `×` only so our small classes can run it:
#
# $$f(x) = \sum_{i=1}^{n-1} 100\,(x_{i+1} - x_i^2)^2 + (1 - x_i)^2.$$
#
# One evaluation costs a fixed number of operations per input, so about $c\,n$. Forward mode
# needs one pass per input direction, $n$ passes of $c\,n$ each. Reverse mode needs one forward
# pass, which builds the graph, and one backward pass, which does one multiply-add per edge of
# the graph. The counters of our two classes add up each operation (and, for `Value`, each
# multiply-add of the backward pass):


# %%
def rosenbrock(x):
    total = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] + -1 * x[i] * x[i]
        b = 1 + -1 * x[i]
        total = total + 100 * a * a + b * b
    return total


def rosenbrock_jax(x):  # the same function, vectorised, for jax.grad to check against
    return jnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def forward_gradient(f, x):
    """One pass per input, each with the derivative 1 on that input and 0 elsewhere."""
    Dual.ops = 0
    grad = [f([Dual(v, float(i == j)) for j, v in enumerate(x)]).derivative for i in range(len(x))]
    return grad, len(x), Dual.ops


def reverse_gradient(f, x):
    """One forward pass that builds the graph, one backward pass through it."""
    Value.ops = 0
    inputs = [Value(v) for v in x]
    f(inputs).backward()
    return [v.grad for v in inputs], 2, Value.ops


rng = np.random.default_rng(0)
sizes = [2, 4, 8, 16, 32, 64, 128, 256]
counts = {"forward": [], "reverse": []}
print(
    f"{'n':>4} {'forward passes':>15} {'forward ops':>12} {'reverse passes':>15} {'reverse ops':>12}"
)
for n in sizes:
    x = rng.uniform(-1, 1, n).tolist()
    grad_fwd, passes_fwd, ops_fwd = forward_gradient(rosenbrock, x)
    grad_rev, passes_rev, ops_rev = reverse_gradient(rosenbrock, x)
    with jax.enable_x64(True):
        truth = jax.grad(rosenbrock_jax)(jnp.array(x))
    assert np.allclose(grad_fwd, truth, rtol=1e-12) and np.allclose(grad_rev, truth, rtol=1e-12)
    counts["forward"].append(ops_fwd)
    counts["reverse"].append(ops_rev)
    print(f"{n:4} {passes_fwd:15} {ops_fwd:12,} {passes_rev:15} {ops_rev:12,}")

# %% alt="Log-log plot of the operations counted for one gradient of the Rosenbrock function against the number of inputs n, from 2 to 256. Forward mode rises with slope 2, from 20 operations at n = 2 to 652,800 at n = 256; reverse mode rises with slope 1, from 30 at n = 2 to 7,650 at n = 256. Forward mode is cheaper only at n = 2; the lines cross between n = 2 and n = 4."
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.loglog(sizes, counts["forward"], "o-", label="forward mode: n passes")
ax.loglog(sizes, counts["reverse"], "s-", label="reverse mode: 1 forward + 1 backward pass")
ax.set_xlabel("number of inputs n")
ax.set_ylabel("operations for one gradient")
ax.set_title("Rosenbrock: forward mode grows as n², reverse as n")
ax.legend()
plt.show()

slopes = {mode: np.polyfit(np.log(sizes[3:]), np.log(c[3:]), 1)[0] for mode, c in counts.items()}
per_input = counts["reverse"][-1] / sizes[-1]
print(f"fitted slopes, n ≥ 16: forward {slopes['forward']:.2f}, reverse {slopes['reverse']:.2f}")
print(
    f"reverse mode: {per_input:.0f} operations per input; forward mode at n = 256: "
    f"{counts['forward'][-1] / counts['reverse'][-1]:.0f}× as many as reverse"
)

# %% [markdown]
# Forward mode's cost is $n$ times one evaluation, so $O(n^2)$ here; reverse mode's is one
# evaluation plus a backward pass of about twice its size, $O(n)$, whatever $n$ is. That is
# the *cheap gradient principle*, and why neural networks, with millions of inputs (their
# parameters) and one output (the loss), are trained by reverse mode, which the field calls
# *backpropagation*. Forward mode wins the other way round: one input and many outputs,
# where one pass gives the derivative of every output at once.
#
# JAX shows the same in seconds rather than counts: in
# [table (b) of the Benchmarks page](../../reference/benchmarks/#b-the-gradient-of-f-mathbbrn-to-mathbbr),
# forward mode (`jacfwd`) costs about $n$ evaluations of $f$, while reverse mode (`grad`)
# costs a few evaluations whatever $n$ is.
#
# ## Backpropagation through the perceptron
#
# The perceptron computes $\hat y = g(w \cdot x + b)$ for each example and averages a cost
# over them: half the squared error for regression ($g$ the identity), the log-loss for
# classification ($g$ the sigmoid $\sigma(z) = \tfrac12(1 + \tanh(z/2))$). calcml's
# [`backward_propagation`](../../reference/perceptron/#calcml.perceptron.backward_propagation)
# has the gradient worked out by hand, $\frac1m (\hat Y - Y) X^T$. Written with `ad.Value`, the
# same cost needs no derivation at all: one example at a time, in plain Python.


# %%
def perceptron_cost(W, b, X, Y, task):
    """The perceptron's cost, one example (column of X) at a time: W a list, b a number."""
    m = X.shape[1]
    total = 0.0
    for j in range(m):
        z = b
        for k, w in enumerate(W):
            z = z + w * float(X[k, j])
        y = float(Y[0, j])
        if task == "regression":
            total = total + (z - y) ** 2 / 2
        else:
            y_hat = 0.5 * (1 + ad.tanh(z / 2))
            total = total - (y * ad.log(y_hat) + (1 - y) * ad.log(1 - y_hat))
    return total / m


def cost_function(X, Y, task):
    """The cost as a function of the parameters alone: f(w_1, ..., w_n, b)."""
    return lambda *p: perceptron_cost(p[:-1], p[-1], X, Y, task)


def standardise(X):
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)


X_tv, Y_tv = load_tv_marketing()
X_house, price = load_house_prices(("Gr Liv Area", "Overall Qual"))
datasets = {
    # 10 markets: TV budget -> sales, both standardised
    "regression": (standardise(X_tv[:, :10]), standardise(Y_tv[:, :10])),
    # 20 houses: living area and quality -> price above the median of all 2,928 sales
    "classification": (standardise(X_house[:, :20]), (price[:, :20] > np.median(price)) * 1.0),
}
for task, (X, Y) in datasets.items():
    n_x = X.shape[0]
    parameters = {"W": np.linspace(0.3, -0.2, n_x)[np.newaxis, :], "b": np.array([[0.1]])}
    theta = [*parameters["W"][0], parameters["b"][0, 0]]

    grad = ad.gradient(cost_function(X, Y, task), theta)
    Y_hat = forward_propagation(X, {**parameters, "task": task})
    grads = backward_propagation(Y_hat, X, Y)
    by_hand = [*grads["dW"][0], grads["db"][0, 0]]
    cost = cost_function(X, Y, task)(*theta)

    print(f"{task}, m = {X.shape[1]} examples, {n_x} feature(s):")
    print(f"  cost: ad {cost:.12f}   compute_cost {compute_cost(Y_hat, Y, task):.12f}")
    print(f"  ad.gradient (dW..., db):          {np.round(grad, 12)}")
    print(f"  backward_propagation (dW..., db): {np.round(by_hand, 12)}")
    print(f"  max |difference| = {np.abs(np.subtract(grad, by_hand)).max():.1e}")
    assert np.allclose(grad, by_hand, rtol=1e-12, atol=1e-15)

# %% [markdown]
# The graph did what the derivation in `backward_propagation`'s docstring does by hand, one
# local derivative at a time. For classification it even found the cancellation of
# $\sigma'(z) = \hat y (1 - \hat y)$ against the log-loss's $1 / (\hat y (1 - \hat y))$, not
# as algebra but as numbers that happen to multiply out the same.
#
# Forward mode gives one partial derivative per pass. Here is $\partial \mathcal{L} /
# \partial w_1$ of the classification cost, the same number, with the other parameters held
# as constants:

# %%
X, Y = datasets["classification"]
w1, w2, b = 0.3, -0.2, 0.1
dL_dw1 = ad.derivative(lambda w: perceptron_cost([w, w2], b, X, Y, "classification"), w1)
Y_hat = forward_propagation(X, {"W": [[w1, w2]], "b": [[b]], "task": "classification"})
expected = backward_propagation(Y_hat, X, Y)["dW"][0, 0]
print(f"forward mode ∂L/∂w1 = {dL_dw1:.15f}\nbackward_propagation = {expected:.15f}")
assert math.isclose(dL_dw1, expected, rel_tol=1e-12)

# %% [markdown]
# ## Summary
#
# - **Forward mode** computes with dual numbers $a + b\varepsilon$, $\varepsilon^2 = 0$: each
#   operation updates the value and the derivative together. One pass gives the derivative
#   along one direction, so a gradient of $n$ inputs takes $n$ passes.
# - **Reverse mode** records each operation's inputs and local derivatives in a graph, then
#   sends $\partial f / \partial \text{node}$ back in reverse topological order, adding the
#   contributions of every path. One forward and one backward pass give the whole gradient.
# - Both apply the chain rule to the same local derivatives; they differ only in the order in
#   which they multiply them. Both agree with `jax.grad` to float64 rounding.
# - Counting operations: forward mode grows as $n^2$ on Rosenbrock, reverse mode as $n$. The
#   timings on the [Benchmarks](../../reference/benchmarks/) page show the same with JAX.
# - Backpropagation is reverse mode applied to a cost: `ad.Value` on the perceptron gives
#   exactly `backward_propagation`'s gradients, with no derivation.
#
# ## Exercises
#
# 1. Add `relu`, $\max(0, x)$, for both `ad.Dual` and `ad.Value`, without touching
#    `calcml.ad`. Check its derivative at $x = -1$ and $x = 2$ in both modes.
# 2. In the small `Value` above, change `x.grad += local * node.grad` to
#    `x.grad = local * node.grad`. What does $f(x) = x^2 + x$ give at $x = 3$, and why?
# 3. Take a function of one input and three outputs, $x \mapsto (\sin x, x^2, e^x)$. How many
#    passes does each mode need for the three derivatives? Compute them in one forward pass.
# 4. Train the regression perceptron on the 10 TV markets with gradient descent, using
#    `ad.gradient` for the gradient, for 100 steps with learning rate 0.1, starting from
#    `initialize_parameters(1, seed=0)`. Compare with `nn_model(X, Y, 100, 0.1)`.
#
# <details><summary>Solutions</summary>
#
# 1. Multiplying by a constant keeps the graph (or the derivative) and zeroes what it should:
#
#    ```python
#    def relu(x):
#        return x * (1.0 if x.value > 0 else 0.0)
#
#    for x0 in (-1.0, 2.0):
#        print(ad.derivative(relu, x0), ad.gradient(relu, [x0]))  # 0.0 [0.0], 1.0 [1.0]
#    ```
#
#    At $x = 0$ this picks the derivative 0, one of the slopes between 0 and 1 that a kink
#    allows; JAX makes the same choice for `jax.nn.relu`.
# 2. It gives 3, not 7. `x` receives three contributions: 1 from the sum, then $x = 3$ twice
#    from the product, once for each of its two inputs. Setting `grad` keeps only the last one
#    to arrive. The chain rule sums over all paths, so the contributions must add.
# 3. Forward mode needs **one** pass, since there is one input direction; reverse mode needs
#    three backward passes, one per output. That is the case where forward mode wins:
#
#    ```python
#    x = ad.Dual(0.5, 1.0)
#    print([y.derivative for y in (ad.sin(x), x**2, ad.exp(x))])  # cos 0.5, 1.0, e^0.5
#    ```
#
# 4. Both start from the same parameters and take the same steps, so they agree to rounding:
#
#    ```python
#    from calcml import initialize_parameters, nn_model
#
#    X, Y = datasets["regression"]
#    start = initialize_parameters(1, seed=0)
#    theta = [start["W"][0, 0], start["b"][0, 0]]
#    for _ in range(100):
#        grad = ad.gradient(lambda w, b: perceptron_cost([w], b, X, Y, "regression"), theta)
#        theta = [float(p - 0.1 * g) for p, g in zip(theta, grad)]
#    model = nn_model(X, Y, num_iterations=100, learning_rate=0.1)
#    print(theta, model["W"][0, 0], model["b"][0, 0])
#    ```
#
# </details>
