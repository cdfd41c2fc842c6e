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
# # Backpropagation and gradient checks
#
# **What you will learn**: how the chain rule gives the gradients of a perceptron's cost,
# $\partial \mathcal{L} / \partial W$ and $\partial \mathcal{L} / \partial b$, for regression
# (squared error) and for classification (sigmoid and log-loss), where the sigmoid's derivative
# cancels; and how to *check* a gradient: compare the backpropagation of
# [`backward_propagation`](../../reference/perceptron/#calcml.perceptron.backward_propagation)
# with central finite differences and with `jax.grad`, two methods that need no derivation, and
# see the check catch a wrong gradient.
#
# **What you need**: the lesson [The chain rule](../../lessons/chain-rule/), the tutorial
# [Differentiation in Python](../differentiation-three-ways/) (finite differences and JAX), and
# the perceptron of [Linear regression with a perceptron](../perceptron-regression/).

# %%
import jax

# Compute JAX's gradients in float64, like NumPy's, so the three methods can agree to about
# 15 digits. This must come before JAX creates any array.
jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

from calcml import backward_propagation, compute_cost, forward_propagation, gradient, sigmoid
from calcml.datasets import load_house_prices, load_tv_marketing

# %% [markdown]
# ## The perceptron is a chain of functions
#
# One pass of forward propagation feeds each result into the next function:
#
# $$(W, b) \;\longrightarrow\; Z = W X + b \;\longrightarrow\; \hat Y = g(Z)
# \;\longrightarrow\; \mathcal{L}(\hat Y, Y),$$
#
# with $g$ the identity for regression and the sigmoid $\sigma$ for classification. The cost is
# a composition, so the [chain rule](../../lessons/chain-rule/) differentiates it: multiply the
# derivatives of the links, starting from the cost and going **backwards**, which is where
# *backpropagation* gets its name. For one example $i$, with $z^{(i)} = \sum_j W_j x_j^{(i)} + b$,
#
# $$\frac{\partial \mathcal{L}}{\partial W_j}
# = \sum_{i=1}^m \frac{\partial \mathcal{L}}{\partial \hat y^{(i)}}
# \cdot \frac{\partial \hat y^{(i)}}{\partial z^{(i)}}
# \cdot \frac{\partial z^{(i)}}{\partial W_j},
# \qquad
# \frac{\partial z^{(i)}}{\partial W_j} = x_j^{(i)}, \quad
# \frac{\partial z^{(i)}}{\partial b} = 1 .$$
#
# The sum is there because $W_j$ reaches the cost through every example. Only the first two
# factors depend on the task.
#
# ## Regression: the squared error
#
# The cost is $\mathcal{L} = \frac{1}{2m} \sum_i (\hat y^{(i)} - y^{(i)})^2$ and $g$ is the
# identity, so
#
# $$\frac{\partial \mathcal{L}}{\partial \hat y^{(i)}} = \frac{1}{m}(\hat y^{(i)} - y^{(i)}),
# \qquad \frac{\partial \hat y^{(i)}}{\partial z^{(i)}} = 1 .$$
#
# (The $\tfrac12$ cancels the 2 of the square.) Their product, the error of example $i$ over $m$,
# is $\partial \mathcal{L} / \partial z^{(i)}$. Multiplying by $x_j^{(i)}$ and summing over the
# examples is a matrix product with $X^T$; for $b$ the last factor is 1:
#
# $$\frac{\partial \mathcal{L}}{\partial W} = \frac{1}{m} (\hat Y - Y)\, X^T, \qquad
# \frac{\partial \mathcal{L}}{\partial b} = \frac{1}{m} \sum_{i=1}^m (\hat y^{(i)} - y^{(i)}).$$
#
# The shapes confirm it: $(1, m)$ times $(m, n_x)$ gives $(1, n_x)$, the shape of $W$.
#
# ## Classification: sigmoid and log-loss
#
# Now $\hat y = \sigma(z) = 1/(1 + e^{-z})$, the probability of label 1, and the cost is the
# log-loss
#
# $$\mathcal{L} = -\frac{1}{m} \sum_{i=1}^m \Big( y^{(i)} \log \hat y^{(i)}
# + (1 - y^{(i)}) \log\big(1 - \hat y^{(i)}\big) \Big).$$
#
# Its derivative with respect to one prediction is
#
# $$\frac{\partial \mathcal{L}}{\partial \hat y} = \frac{1}{m}\left( -\frac{y}{\hat y}
# + \frac{1 - y}{1 - \hat y} \right) = \frac{1}{m}\, \frac{\hat y - y}{\hat y (1 - \hat y)} .$$
#
# The sigmoid's derivative follows from the chain rule too: $\sigma(z) = (1 + e^{-z})^{-1}$, so
#
# $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\big(1 - \sigma(z)\big)
# = \hat y\,(1 - \hat y).$$
#
# Multiply the two: $\hat y (1 - \hat y)$ cancels, and
#
# $$\frac{\partial \mathcal{L}}{\partial z^{(i)}} = \frac{1}{m}\big(\hat y^{(i)} - y^{(i)}\big),$$
#
# exactly as for regression. The last link is the same too, so **both tasks have the same
# gradient formulas**, each with its own $\hat Y$, and one `backward_propagation` serves both.
# The log-loss is the cost made for the sigmoid: with it, the error passes back undamped even
# where the sigmoid is flat.
#
# Before building on it, check the two facts with `jax.grad`: $\sigma' = \sigma(1 - \sigma)$,
# and $\partial \mathcal{L} / \partial Z = (\hat Y - Y)/m$ for a few made-up values.


# %%
def sigmoid_jax(Z):
    return 1 / (1 + jnp.exp(-Z))


def log_loss_of_Z(Z, Y):
    Y_hat = sigmoid_jax(Z)
    return -jnp.mean(Y * jnp.log(Y_hat) + (1 - Y) * jnp.log(1 - Y_hat))


z = np.array([-3.0, -0.5, 0.0, 2.0])
sigma_prime = jax.vmap(jax.grad(sigmoid_jax))(z)
print("sigma'(z) by jax.grad: ", np.asarray(sigma_prime).round(6))
print("sigma(z)(1 - sigma(z)):", (sigmoid(z) * (1 - sigmoid(z))).round(6))

Z, Y_labels = np.array([[-3.0, -0.5, 0.0, 2.0]]), np.array([[0.0, 1.0, 1.0, 0.0]])
print("dL/dZ by jax.grad:", np.asarray(jax.grad(log_loss_of_Z)(Z, Y_labels)).round(6))
print("(Y_hat - Y) / m:  ", ((sigmoid(Z) - Y_labels) / Z.shape[1]).round(6))
assert np.allclose(sigma_prime, sigmoid(z) * (1 - sigmoid(z)), rtol=1e-14)
assert np.allclose(
    jax.grad(log_loss_of_Z)(Z, Y_labels), (sigmoid(Z) - Y_labels) / Z.shape[1], rtol=1e-14
)

# %% [markdown]
# ## Gradient checking
#
# A derivation can be wrong, and so can the code that implements it: a missing $\tfrac1m$, a
# transpose, a derivative multiplied in twice. Such code still runs, and gradient descent still
# lowers the cost a little, so the bug can hide. A **gradient check** compares the gradient
# with one computed a way that shares nothing with the derivation:
#
# - **central finite differences**: nudge one parameter at a time by $\pm h$ and take
#   $(\mathcal{L}(\theta + h e_k) - \mathcal{L}(\theta - h e_k)) / 2h$; approximate, with an
#   error of order $h^2$ plus rounding, and $2n$ evaluations of the cost for $n$ parameters.
#   [`gradient(..., method="numerical")`](../../reference/gradients/#calcml.gradients.gradient)
#   does this in float64 with the step $h = \epsilon^{1/3}\max(1, |\theta_k|)$;
# - **automatic differentiation**: `jax.grad` of the cost written in `jax.numpy`, exact up to
#   rounding.
#
# The measure is the largest **relative difference** over the entries,
# $\max_k |a_k - b_k| / \max(|a_k|, |b_k|)$: about $10^{-16}$ means equal in float64, while a
# real bug gives something like $10^{-1}$.
#
# **Precision.** The NumPy code computes in float64. The first cell turned on JAX's x64 mode, so
# `jax.grad` computes in float64 too, and we can ask it to agree to $10^{-12}$. With JAX's default
# float32 the same check needs a tolerance near $10^{-4}$; see [below](#float32-needs-a-looser-tolerance).


# %%
def max_relative_difference(a, b):
    a, b = np.ravel(a), np.ravel(b)
    return float(np.max(abs(a - b) / np.maximum(abs(a), abs(b))))


def pack(W, b):
    """W and b as one vector theta = (W_1, ..., W_n, b), the point where we differentiate."""
    return np.append(W, b)


def unpack(theta, task):
    return {"W": theta[np.newaxis, :-1], "b": theta[-1:, np.newaxis], "task": task}


def cost_numpy(theta, X, Y, task):
    """The cost with calcml's forward propagation, as a function of theta alone."""
    return compute_cost(forward_propagation(X, unpack(theta, task)), Y, task)


def cost_jax(theta, X, Y, task):
    """The same cost written from scratch in jax.numpy, for jax.grad."""
    Z = theta[:-1] @ X + theta[-1]
    if task == "regression":
        return jnp.sum((Z - Y[0]) ** 2) / (2 * Y.shape[1])
    Y_hat = sigmoid_jax(Z)
    return -jnp.mean(Y[0] * jnp.log(Y_hat) + (1 - Y[0]) * jnp.log(1 - Y_hat))


# %% [markdown]
# Two real problems to check on, each with normalised inputs: regression of sales on the TV
# budget (one feature, 200 markets), and classification of Ames houses into those sold above
# the median price and the rest, from living area and overall quality (two features, 2,928
# sales). We check at random points $\theta$, not at the optimum, where the gradient would be
# nearly zero and relative differences meaningless.


# %%
def normalise(X):
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)


X_tv, Y_tv = load_tv_marketing()
X_house, prices = load_house_prices(features=("Gr Liv Area", "Overall Qual"))
problems = {
    "regression": (normalise(X_tv), Y_tv),
    "classification": (normalise(X_house), (prices > np.median(prices)).astype(float)),
}
rng = np.random.default_rng(0)
points = {task: rng.normal(size=(5, X.shape[0] + 1)) for task, (X, Y) in problems.items()}

# %% [markdown]
# Now the check itself: at five random points per task, backpropagation against central
# differences and against `jax.grad`. One example first, then the largest difference over all
# points:

# %%
grad_jax = jax.grad(cost_jax)


def backprop_gradient(theta, X, Y, task, backward=backward_propagation):
    parameters = unpack(theta, task)
    grads = backward(forward_propagation(X, parameters), X, Y)
    return pack(grads["dW"], grads["db"])


def check(task, backward=backward_propagation):
    """Largest relative differences of backward's gradient from finite differences and JAX."""
    X, Y = problems[task]
    worst_fd = worst_jax = 0.0
    for theta in points[task]:
        ours = backprop_gradient(theta, X, Y, task, backward)
        fd = gradient(lambda t: cost_numpy(t, X, Y, task), theta, method="numerical")
        ad = np.asarray(grad_jax(jnp.asarray(theta), X, Y, task))
        worst_fd = max(worst_fd, max_relative_difference(ours, fd))
        worst_jax = max(worst_jax, max_relative_difference(ours, ad))
    return worst_fd, worst_jax


X, Y = problems["classification"]
theta = points["classification"][0]
print("theta:                 ", theta.round(4))
print("backward_propagation:  ", backprop_gradient(theta, X, Y, "classification").round(8))
print(
    "finite differences:    ",
    gradient(lambda t: cost_numpy(t, X, Y, "classification"), theta, "numerical").round(8),
)
print(
    "jax.grad:              ",
    np.asarray(grad_jax(jnp.asarray(theta), X, Y, "classification")).round(8),
)
print()
print(f"{'task':15} {'vs finite differences':>22} {'vs jax.grad':>12}")
for task in problems:
    worst_fd, worst_jax = check(task)
    print(f"{task:15} {worst_fd:22.1e} {worst_jax:12.1e}")
    assert worst_fd < 1e-7 and worst_jax < 1e-12

# %% [markdown]
# All three agree. With finite differences the agreement is limited by their own error: the
# truncation, of order $h^2$, and the rounding in
# $\mathcal{L}(\theta + h) - \mathcal{L}(\theta - h)$ divided by $2h$, of order
# $\epsilon / h$; at $h = \epsilon^{1/3}$ both are about $\epsilon^{2/3} \approx 10^{-10}$.
# `jax.grad` differs from backpropagation only in the order of the float64 operations, so it
# agrees to within a few multiples of $\epsilon \approx 2 \times 10^{-16}$ (times the
# condition of the sums).
#
# ### float32 needs a looser tolerance
#
# With x64 on, JAX still computes in float32 when it is given float32 arrays. Machine epsilon
# is then $1.2 \times 10^{-7}$ instead of $2.2 \times 10^{-16}$, and summing thousands of terms
# loses a few more digits (most where $\hat y$ is close to 1 and $\log(1 - \hat y)$ cancels), so
# the same comparison can only ask for about $10^{-4}$:

# %%
X, Y = problems["classification"]
worst32 = 0.0
for theta in points["classification"]:
    ours = backprop_gradient(theta, X, Y, "classification")
    ad32 = grad_jax(
        jnp.asarray(theta, jnp.float32),
        X.astype(np.float32),
        Y.astype(np.float32),
        "classification",
    )
    worst32 = max(worst32, max_relative_difference(ours, np.asarray(ad32, dtype=float)))
print(f"dtype {ad32.dtype}: largest relative difference {worst32:.1e}")
assert worst32 < 1e-4

# %% [markdown]
# ## Catching a wrong gradient
#
# Here are two plausible bugs. The first multiplies by the sigmoid's derivative $\hat Y(1 - \hat Y)$,
# forgetting that it cancels against the log-loss. The second forgets to average the bias's
# gradient over the examples. Both return arrays of the right shapes, and training with them
# would not crash.


# %%
def backward_sigmoid_twice(Y_hat, X, Y):
    dZ = (Y_hat - Y) * Y_hat * (1 - Y_hat) / X.shape[1]  # wrong: sigma' already cancelled
    return {"dW": dZ @ X.T, "db": np.sum(dZ, axis=1, keepdims=True)}


def backward_bias_not_averaged(Y_hat, X, Y):
    dZ = Y_hat - Y
    return {"dW": dZ @ X.T / X.shape[1], "db": np.sum(dZ, axis=1, keepdims=True)}  # wrong: no 1/m


print(f"{'bug':32} {'vs finite differences':>22} {'vs jax.grad':>12}")
for name, backward, task in [
    ("sigma' multiplied in again", backward_sigmoid_twice, "classification"),
    ("bias gradient not averaged", backward_bias_not_averaged, "regression"),
]:
    worst_fd, worst_jax = check(task, backward)
    print(f"{name:32} {worst_fd:22.1e} {worst_jax:12.1e}")
    assert worst_fd > 1e-2 and worst_jax > 1e-2

# %% [markdown]
# The check flags both: their differences are of order 1, against the tiny differences of the
# right gradient above. The gap does not depend on a lucky step size. The figure varies $h$ in
# the central differences: for the right gradient the difference falls as $h^2$ (truncation)
# until rounding, which grows as $1/h$, takes over near $h = \epsilon^{1/3} \approx 10^{-5}$;
# for the wrong gradient it stays near 1 for every $h$.


# %%
def central_differences(cost, theta, h):
    """Central differences with one step h for every parameter."""
    steps = h * np.eye(theta.size)
    return np.array([(cost(theta + s) - cost(theta - s)) / (2 * h) for s in steps])


X, Y = problems["classification"]
theta = points["classification"][0]
steps = np.logspace(-12, 0, 25)
right = backprop_gradient(theta, X, Y, "classification")
wrong = backprop_gradient(theta, X, Y, "classification", backward_sigmoid_twice)
fd_by_step = [
    central_differences(lambda t: cost_numpy(t, X, Y, "classification"), theta, h) for h in steps
]
differences_right = [max_relative_difference(right, fd) for fd in fd_by_step]
differences_wrong = [max_relative_difference(wrong, fd) for fd in fd_by_step]
best = int(np.argmin(differences_right))
print(f"right gradient: smallest difference {differences_right[best]:.1e} at h = {steps[best]:.0e}")
print(f"wrong gradient: differences of at least {min(differences_wrong):.2f} for every h")

# %% alt="Log-log plot of the largest relative difference between backpropagation and central finite differences against the step h from 1e-12 to 1, on the classification problem. For the correct gradient the difference forms a V: about 2e-4 at h = 1e-12, falling roughly as 1/h to a minimum of 3e-11 at h = 3e-5, then rising as h squared to about 0.03 at h = 1. For the gradient with the sigmoid derivative multiplied in twice the difference stays near 1, at least 0.96, for every h. A dotted line marks the tolerance 1e-7."
fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
ax.loglog(steps, differences_right, "o-", markersize=3, label="backward_propagation")
ax.loglog(steps, differences_wrong, "s-", markersize=3, label="σ′ multiplied in again (a bug)")
ax.axhline(1e-7, color="gray", linestyle=":", label="tolerance 1e-7")
ax.set(
    xlabel="step h",
    ylabel="largest relative difference",
    title="Central differences against backpropagation",
)
ax.set_ylim(1e-12, 10)
ax.legend(loc="lower left")
plt.show()

# %% [markdown]
# ## Summary
#
# - Backpropagation is the chain rule along $(W, b) \to Z \to \hat Y \to \mathcal{L}$, from the
#   cost backwards. For both the squared error with the identity and the log-loss with the
#   sigmoid, $\partial \mathcal{L}/\partial Z = (\hat Y - Y)/m$, so
#   $\partial \mathcal{L}/\partial W = \frac1m (\hat Y - Y) X^T$ and
#   $\partial \mathcal{L}/\partial b = \frac1m \sum (\hat Y - Y)$. For the log-loss,
#   $\sigma' = \hat Y(1 - \hat Y)$ cancels.
# - Check a gradient against methods that share nothing with its derivation: central finite
#   differences (float64, error about $\epsilon^{2/3} \approx 10^{-10}$) and `jax.grad` of
#   the cost written in `jax.numpy` (equal to rounding in float64; use a tolerance near
#   $10^{-4}$ in float32).
#   Check at random points, not at an optimum, and use relative differences.
# - A real bug differs by order 1, whatever the step: the check cannot miss it.
#
# ## Exercises
#
# 1. For regression, the central difference of the cost is exact for any $h$, apart from
#    rounding. Why? What would the figure look like for the regression cost?
# 2. A finite-difference check costs $2n$ evaluations of the cost for $n$ parameters. Roughly
#    how much does it cost for a network with a million parameters, compared with one
#    backpropagation? What do people do instead?
# 3. The buggy `backward_sigmoid_twice` is the correct gradient of another cost. Which one?
#    Confirm it with `jax.grad`.
#
# <details><summary>Solutions</summary>
#
# 1. The regression cost is a quadratic in $\theta$, and for a quadratic
#    $\frac{f(\theta + h) - f(\theta - h)}{2h} = f'(\theta)$ exactly: the truncation error,
#    $\frac{h^2}{6} f'''$, vanishes because $f''' = 0$. Only rounding remains, so the curve
#    would fall as $1/h$ all the way to $h = 1$ with no upturn.
# 2. Two million evaluations of the cost, against a small multiple (two or three) of one
#    evaluation's work for backpropagation, which gets every partial derivative in one
#    backward pass: about a million times more. In practice one checks a small network or a few randomly chosen parameters, or
#    compares against automatic differentiation, as with `jax.grad` here.
# 3. The squared error of the sigmoid's output, $\frac{1}{2m} \sum (\sigma(z) - y)^2$: its
#    $\partial \mathcal{L}/\partial \hat y = (\hat y - y)/m$ is multiplied by
#    $\sigma'(z) = \hat y (1 - \hat y)$, and nothing cancels. With the names of this page:
#
#    ```python
#    def squared_error_of_sigmoid(theta, X, Y):
#        return jnp.sum((sigmoid_jax(theta[:-1] @ X + theta[-1]) - Y[0]) ** 2) / (2 * Y.shape[1])
#
#    X, Y = problems["classification"]
#    theta = points["classification"][0]
#    wrong = backprop_gradient(theta, X, Y, "classification", backward_sigmoid_twice)
#    print(max_relative_difference(wrong, jax.grad(squared_error_of_sigmoid)(theta, X, Y)))
#    ```
#
#    prints a difference near $10^{-15}$.
#
# </details>
