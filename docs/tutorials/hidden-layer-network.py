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
# # Beyond the perceptron: one hidden layer
#
# **What you will learn**: why a perceptron cannot classify data that no straight line
# separates; how a layer of hidden units between the inputs and the output bends the decision
# boundary; how to derive that network's gradients with the chain rule, one layer at a time;
# how to check them against finite differences and `jax.grad`; and what the number of hidden
# units changes.
#
# **What you need**: [Classification with a perceptron](../perceptron-classification/) (the
# sigmoid, the log-loss, decision boundaries), the [chain rule](../../lessons/chain-rule/) and
# the tutorial [Backpropagation and gradient checks](../backpropagation/), and `calcml`
# installed. The network's code is in [`calcml.hidden_layer`](../../reference/hidden_layer/).

# %%
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

from calcml import (
    compute_cost,
    forward_propagation,
    gradient,
    hidden_layer_backward,
    hidden_layer_forward,
    hidden_layer_model,
    hidden_layer_predict,
    initialize_hidden_layer,
    nn_model,
    plot_cost_history,
    plot_decision_boundary,
    predict,
)

# %% [markdown]
# ## Data no line separates
#
# Two noisy concentric rings: label 1 for the points near the circle of radius 1, label 0 for
# those near radius 2. Each point's radius is off by a normal error of standard deviation 0.25;
# its angle is uniform. As in the lessons, examples are columns: `X` has shape $(2, m)$.


# %%
def rings(m, noise=0.25, seed=0):
    """m points on two noisy rings, radius 1 (label 1) and 2 (label 0), alternating."""
    rng = np.random.default_rng(seed)
    Y = (np.arange(m) % 2)[np.newaxis, :].astype(np.float64)
    radius = np.where(Y[0] == 1, 1.0, 2.0) + noise * rng.standard_normal(m)
    angle = rng.uniform(0, 2 * np.pi, m)
    return np.vstack([radius * np.cos(angle), radius * np.sin(angle)]), Y


X, Y = rings(400)
X_test, Y_test = rings(400, seed=1)  # fresh points from the same rings, to test on
print(f"X: {X.shape}, Y: {Y.shape}, fraction of label 1: {Y.mean():.2f}")

# %% [markdown]
# The best any classifier can do here is to say 1 inside the radius 1.5, halfway between the
# rings. A point is then misclassified only when its radius is off by more than 0.5 towards
# the other ring, two standard deviations, which happens with probability
# $1 - \Phi(2) \approx 2.3\%$ ($\Phi$ is the cumulative distribution function of the standard
# normal distribution): the best accuracy is about 97.7%.
#
# ## The perceptron fails
#
# A perceptron's boundary $W x + b = 0$ is a straight line; every line cuts the rings into two
# parts that each hold both classes. Trained all the same:

# %%
perceptron = nn_model(X, Y, num_iterations=2000, learning_rate=0.5, task="classification")
perceptron_accuracy = np.mean(predict(X, perceptron) == Y)
perceptron_test = np.mean(predict(X_test, perceptron) == Y_test)
print(f"perceptron: log-loss {perceptron['costs'][-1]:.4f} (log 2 = {np.log(2):.4f})")
print(
    f"accuracy {perceptron_accuracy:.3f} on the training points, {perceptron_test:.3f} on fresh ones"
)
assert perceptron_accuracy < 0.65 and perceptron_test < 0.65

# %% [markdown]
# The log-loss barely moved from $\log 2$, the cost of answering 0.5 everywhere, and the
# accuracy is near chance. The boundary is a line through the rings, and the probabilities
# either side of it stay close to 0.5:

# %% alt="Two rings of points, blue circles (label 0) on the outer ring of radius 2 and red triangles (label 1) on the inner ring of radius 1. The perceptron's decision boundary is a straight black diagonal line crossing both rings, with pale shading: its probabilities stay between 0.3 and 0.7 over the whole plot."
ax = plot_decision_boundary(
    lambda P: forward_propagation(P, perceptron), X, Y, class_names=("outer ring", "inner ring")
)
ax.set(
    aspect="equal",
    xlabel="$x_1$",
    ylabel="$x_2$",
    title=f"perceptron: accuracy {perceptron_accuracy:.2f}",
)
ax.legend(loc="upper right", fontsize=8)
ax.figure.set_size_inches(4.5, 4.2)
plt.show()

# %% [markdown]
# ## A hidden layer
#
# Put a layer of $n_h$ units between the inputs and the output. Each hidden unit is a
# perceptron of its own, with activation $\tanh$; the output is a perceptron whose inputs are
# the hidden units' outputs. With examples in columns:
#
# $$Z_1 = W_1 X + b_1, \qquad A_1 = \tanh(Z_1), \qquad Z_2 = W_2 A_1 + b_2, \qquad
# \hat Y = \sigma(Z_2),$$
#
# where $W_1$ has shape $(n_h, n_x)$, $b_1$ $(n_h, 1)$, $W_2$ $(1, n_h)$ and $b_2$ $(1, 1)$.
# Each hidden unit says, smoothly, on which side of its own line $W_1[j]\, x + b_1[j] = 0$ a
# point lies; the output weighs these answers. Three lines can enclose a triangle, and a
# triangle can hold the inner ring. `calcml.hidden_layer` implements the network:

# %%
parameters = initialize_hidden_layer(n_x=2, n_h=4, seed=0)
Y_hat, cache = hidden_layer_forward(X, parameters)
print({name: value.shape for name, value in parameters.items()})
print({name: value.shape for name, value in cache.items()})
print(f"log-loss at the start: {compute_cost(Y_hat, Y, task='classification'):.4f}")

# %% [markdown]
# ## Its gradients, by the chain rule
#
# The cost is the log-loss of the perceptron tutorial. Backpropagation applies the
# [chain rule](../../lessons/chain-rule/) from the cost back towards the inputs, reusing at
# each layer what the layer after it computed, as derived for one layer in
# [Backpropagation and gradient checks](../backpropagation/). Write $dV$ for
# $m\, \partial \mathcal{L} / \partial V$ (the $1/m$ of the average goes into the last step).
#
# 1. **Output layer.** Exactly as for the perceptron classifier, the sigmoid's derivative
#    cancels the log-loss's denominator: $dZ_2 = \hat Y - Y$.
# 2. **Its parameters.** $Z_2 = W_2 A_1 + b_2$, so, as for a perceptron with inputs $A_1$:
#    $\frac{\partial \mathcal{L}}{\partial W_2} = \frac1m dZ_2 A_1^T$ and
#    $\frac{\partial \mathcal{L}}{\partial b_2} = \frac1m \sum_{\text{examples}} dZ_2$.
# 3. **Into the hidden layer.** $Z_2$ depends on $A_1$ through $W_2$:
#    $\partial Z_2 / \partial A_1 = W_2$, so $dA_1 = W_2^T dZ_2$, shape $(n_h, m)$: each
#    hidden unit receives the output's error, weighted by its weight to the output.
# 4. **Through the tanh.** $\frac{d}{dz}\tanh z = 1 - \tanh^2 z$, and $\tanh Z_1 = A_1$ is in
#    the cache, so elementwise $dZ_1 = dA_1 \odot (1 - A_1^2)$.
# 5. **The first layer's parameters.** $Z_1 = W_1 X + b_1$, as in step 2:
#    $\frac{\partial \mathcal{L}}{\partial W_1} = \frac1m dZ_1 X^T$ and
#    $\frac{\partial \mathcal{L}}{\partial b_1} = \frac1m \sum_{\text{examples}} dZ_1$.
#
# Each step multiplies by the derivative of one link in the chain
# $(W_1, b_1) \to Z_1 \to A_1 \to Z_2 \to \hat Y \to \mathcal{L}$, which is the chain rule. In
# code, this is the whole of `hidden_layer_backward`:
#
# ```python
# dZ2 = A2 - Y
# dZ1 = (W2.T @ dZ2) * (1 - A1**2)
# grads = {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m,
#          "dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m}
# ```
#
# ## A gradient check, two ways
#
# A derivation can be wrong, so we check it. We need the cost as a function of one vector
# $\theta$ holding all 17 parameters, written again from the formulas, once for NumPy (for
# central differences, in float64) and once for `jax.numpy` (for `jax.grad`, in JAX's default
# float32). Non-zero biases make the check cover them away from their starting value too.

# %%
rng = np.random.default_rng(1)
check_parameters = {
    **parameters,
    "b1": rng.standard_normal((4, 1)),
    "b2": rng.standard_normal((1, 1)),
}
names = ("W1", "b1", "W2", "b2")
shapes = [check_parameters[name].shape for name in names]
theta = np.concatenate([check_parameters[name].ravel() for name in names])


def cost_of(theta, X, Y, xp):
    """The log-loss of the network whose parameters are the vector theta; xp is np or jnp."""
    sizes = np.cumsum([np.prod(shape) for shape in shapes])[:-1]
    W1, b1, W2, b2 = (
        part.reshape(shape) for part, shape in zip(xp.split(theta, sizes), shapes, strict=True)
    )
    Y_hat = 1 / (1 + xp.exp(-(W2 @ xp.tanh(W1 @ X + b1) + b2)))
    return -xp.mean(Y * xp.log(Y_hat) + (1 - Y) * xp.log(1 - Y_hat))


_, check_cache = hidden_layer_forward(X, check_parameters)
grads = hidden_layer_backward(check_parameters, check_cache, X, Y)
ours = np.concatenate([grads[f"d{name}"].ravel() for name in names])
numerical = gradient(lambda t: cost_of(t, X, Y, np), theta, method="numerical")
automatic = np.asarray(
    jax.grad(cost_of)(jnp.asarray(theta, jnp.float32), jnp.asarray(X), jnp.asarray(Y), jnp)
)
print(
    f"cost: {cost_of(theta, X, Y, np):.12f} from theta, {compute_cost(check_cache['A2'], Y, task='classification'):.12f} from the cache"
)
print(f"largest |gradient|: {np.max(np.abs(ours)):.3f}")
print(f"max |backprop − central differences| = {np.max(np.abs(ours - numerical)):.1e}  (float64)")
print(f"max |backprop − jax.grad|            = {np.max(np.abs(ours - automatic)):.1e}  (float32)")
np.testing.assert_allclose(ours, numerical, rtol=1e-7, atol=1e-10)
np.testing.assert_allclose(ours, automatic, rtol=1e-4, atol=1e-6)

# %% [markdown]
# Backpropagation agrees with central differences to the accuracy of the differences
# themselves (about $\epsilon^{2/3} \approx 10^{-10}$ relative to the gradient), and with
# `jax.grad` to the precision of float32 (about $10^{-7}$ relative).
#
# ## Training
#
# `hidden_layer_model` repeats forward, cost, backward and update, like `nn_model`:

# %%
network = hidden_layer_model(X, Y, n_h=4, num_iterations=5000, learning_rate=0.5, seed=0)
network_accuracy = np.mean(hidden_layer_predict(X, network) == Y)
network_test = np.mean(hidden_layer_predict(X_test, network) == Y_test)
print(
    f"log-loss: {network['costs'][0]:.4f} at the start, {network['costs'][-1]:.4f} after 5000 iterations"
)
print(f"accuracy: {network_accuracy:.3f} on the training points, {network_test:.3f} on fresh ones")
print(f"perceptron: {perceptron_accuracy:.3f} and {perceptron_test:.3f}")
assert network_accuracy > 0.95 and network_test > 0.95

# %% alt="Left: the network's log-loss against the iteration on a log scale, from 0.69 at the start, falling fastest over the first 500 iterations, to 0.086 after 5,000. Right: the rings with the network's decision boundary, a closed black curve like a rounded triangle around the inner ring, running between the two rings, with red shading inside and blue outside; four dashed grey lines, one per hidden unit, cross the plot, two of them through the inner ring."
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 4), layout="constrained")
plot_cost_history(network["costs"], ax=left, color="tab:blue")
left.set(xlabel="iteration", ylabel="log-loss", title="training, 4 hidden units")
plot_decision_boundary(
    lambda P: hidden_layer_forward(P, network)[0],
    X,
    Y,
    ax=right,
    class_names=("outer ring", "inner ring"),
)
# Each hidden unit's own line W1[j] x + b1[j] = 0, where its tanh changes sign.
limits = right.get_xlim(), right.get_ylim()
x1 = np.array(limits[0])
for (w_a, w_b), bias in zip(network["W1"], network["b1"][:, 0], strict=True):
    right.plot(x1, -(w_a * x1 + bias) / w_b, ls="--", lw=1, color="grey")
right.set(xlim=limits[0], ylim=limits[1], aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
right.set_title(f"decision boundary: accuracy {network_accuracy:.3f}")
plt.show()

# %% [markdown]
# The boundary closes around the inner ring. The dashed lines show where each hidden unit
# changes sign. The boundary is not made of pieces of them: each unit answers smoothly, with a
# number between −1 and 1 that changes fastest near its line, and the output adds the four
# answers up with the weights $W_2$. Where the sum exceeds $-b_2$ is the region it calls
# "inner ring", a closed curve with rounded corners. The accuracy is close to the best possible, 97.7%, on fresh
# points as well as on the training ones.
#
# ## How many hidden units?
#
# Each hidden unit contributes one line. One unit gives a straight boundary again (the output
# is a monotonic function of one $W_1 x + b_1$); two give a wedge or strip between two lines;
# three can enclose a triangle. More units
# round the boundary, and more parameters can also start fitting the noise.

# %%
sizes = (1, 2, 3, 4, 8, 32)
networks = {
    n_h: hidden_layer_model(X, Y, n_h=n_h, num_iterations=5000, learning_rate=0.5) for n_h in sizes
}
print("n_h  parameters  log-loss  accuracy  on fresh points")
for n_h, trained in networks.items():
    count = sum(trained[name].size for name in names)
    train_accuracy = np.mean(hidden_layer_predict(X, trained) == Y)
    test_accuracy = np.mean(hidden_layer_predict(X_test, trained) == Y_test)
    print(
        f"{n_h:3d}  {count:10d}  {trained['costs'][-1]:8.4f}  {train_accuracy:8.3f}  {test_accuracy:8.3f}"
    )
assert (
    np.mean(hidden_layer_predict(X, networks[2]) == Y)
    < 0.9
    < np.mean(hidden_layer_predict(X, networks[3]) == Y)
)

# %% alt="Six small plots of the rings with the decision boundary of a network with 1, 2, 3, 4, 8 and 32 hidden units. With 1 unit the boundary is a straight line that cuts off part of the outer ring at the bottom right (accuracy 0.66); with 2 it is a wedge between two lines, open to the top left, that holds the inner ring and parts of the outer one (0.80); with 3, 4 and 8 a closed curve around the inner ring, a rounded triangle turning into a rounded square (0.97); with 32 a slightly wavier closed curve (0.97)."
fig, axes = plt.subplots(2, 3, figsize=(9, 6), layout="constrained", sharex=True, sharey=True)
for ax, (n_h, trained) in zip(axes.flat, networks.items(), strict=True):
    plot_decision_boundary(
        lambda P, trained=trained: hidden_layer_forward(P, trained)[0], X, Y, ax=ax, num_points=120
    )
    accuracy = np.mean(hidden_layer_predict(X, trained) == Y)
    ax.set(aspect="equal", title=f"$n_h$ = {n_h}: accuracy {accuracy:.2f}")
plt.show()

# %% [markdown]
# ## Summary
#
# - A perceptron's decision boundary is a straight line; on data like the two rings its
#   accuracy stays near chance, whatever the training.
# - A hidden layer of $n_h$ tanh units, $\hat Y = \sigma(W_2 \tanh(W_1 X + b_1) + b_2)$, combines
#   $n_h$ lines into a curved boundary: three enclose the inner ring, four or more round it.
# - Its gradients follow from the chain rule, layer by layer backwards:
#   $dZ_2 = \hat Y - Y$, $dZ_1 = (W_2^T dZ_2) \odot (1 - A_1^2)$, and each layer's
#   $dW = \frac1m dZ\, (\text{its input})^T$. Central differences and `jax.grad` agree with them.
# - Trained by the same gradient descent as the perceptron, it classifies nearly all the
#   points right, on fresh points too: close to the best possible for this noise, 97.7%.
#
# ## Exercises
#
# 1. Replace the rings by two interleaved half-moons (the upper half of a unit circle, and the
#    lower half of one shifted by $(1, 0.5)$, each point moved by normal noise of standard
#    deviation 0.1). How well does the perceptron do now, and how many hidden units does the
#    network need?
# 2. Start the network from `W1` and `W2` all zero. What do the gradients of the hidden units
#    look like, and why does training fail?
# 3. Train with 32 hidden units and `noise=0.4`. Compare the accuracy on the training points
#    and on fresh ones as `num_iterations` grows.
#
# <details><summary>Solutions</summary>
#
# 1. A line separates most of two half-moons, so the perceptron gets well above chance
#    (0.88 for 400 points, seed 0), unlike on rings; two hidden units do no better, and three
#    bend the boundary around the tips of the moons and classify every point right.
# 2. With $W_2 = 0$, $dA_1 = W_2^T dZ_2 = 0$, so the first layer gets no gradient on the first
#    step, and all hidden units, being equal, keep receiving equal gradients after it: they stay
#    copies of each other, and the network is no better than one unit. Random initial weights
#    break this symmetry.
# 3. After 1000, 5000 and 20000 iterations the training accuracy ends highest (0.905, 0.903,
#    0.913) while on fresh points it peaks and falls (0.918, 0.923, 0.908). The differences
#    are a few points out of 400, near the noise of a 400-point test, but the direction is
#    that of overfitting: the boundary starts bending around individual noisy points.
#
# </details>
