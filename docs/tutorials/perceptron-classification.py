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
# # Classification with a perceptron
#
# **What you will learn**: how a perceptron answers a yes-or-no question by passing $W X + b$
# through the sigmoid; why it is trained on the log-loss rather than the squared error; what
# its decision boundary is, and how to draw it; how to measure accuracy; and how to check that
# gradient descent really found the minimum of the log-loss, by finding it again with Newton's
# method.
#
# **What you need**: the [chain rule](../../lessons/chain-rule/),
# [gradient descent in two variables](../gradient-descent-two-variables/) (Newton's method is
# at its end), and `calcml` installed.
# [Linear regression with a perceptron](../perceptron-regression/) introduces `nn_model` with
# the squared error, and [Backpropagation and gradient checks](../backpropagation/) derives
# its gradients; this page reuses it with `task="classification"`.

# %%
import matplotlib.pyplot as plt
import numpy as np

from calcml import (
    PerceptronClassifier,
    compute_cost,
    forward_propagation,
    newton_method,
    nn_model,
    plot_cost_history,
    plot_decision_boundary,
    plot_function,
    predict,
    sigmoid,
)
from calcml.datasets import load_house_prices

# %% [markdown]
# ## The sigmoid: from a score to a probability
#
# A perceptron for regression outputs $Z = W X + b$, any real number. To classify, we want the
# probability that an example belongs to class 1, a number in $(0, 1)$. The *sigmoid* (logistic)
# function squeezes the score into that range:
#
# $$\hat Y = \sigma(Z) = \frac{1}{1 + e^{-Z}}, \qquad
# \sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big).$$
#
# It is 0.5 at $z = 0$, tends to 1 for large positive scores and to 0 for large negative ones.
# Its derivative, which the chain rule will need, is largest at $z = 0$, where it is $1/4$,
# and vanishes in both tails.

# %% alt="Left: the sigmoid curve rising from 0 to 1 over z from -8 to 8, through 0.5 at z = 0. Right: its derivative sigma(z)(1 - sigma(z)), a bell-shaped curve with its peak of 0.25 at z = 0, nearly 0 beyond |z| = 6."
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
plot_function(sigmoid, (-8, 8), ax=left, color="tab:blue")
left.axhline(0.5, color="grey", lw=0.8, ls=":")
left.set(xlabel="$z$", ylabel=r"$\sigma(z)$", title="sigmoid")
plot_function(lambda z: sigmoid(z) * (1 - sigmoid(z)), (-8, 8), ax=right, color="tab:orange")
right.set(xlabel="$z$", ylabel=r"$\sigma'(z)$", title="its derivative")
plt.show()

# %% [markdown]
# A check of the derivative formula against a central difference:

# %%
z, h = np.linspace(-6, 6, 13), 1e-5
central = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
print(
    f"max |σ'(z) - central difference| = {np.max(np.abs(sigmoid(z) * (1 - sigmoid(z)) - central)):.1e}"
)
assert np.allclose(sigmoid(z) * (1 - sigmoid(z)), central, atol=1e-10)

# %% [markdown]
# ## The data: is a house worth more than the median?
#
# We use the Ames house prices (see [Data](../../data/)) with two features, the living area
# above ground in square feet and the overall quality, a mark from 1 to 10. The label is 1
# when the sale price is above the median, 0 otherwise, so the two classes are about equally
# large. As everywhere in the lessons, examples are **columns**: `X` has shape $(2, m)$ and `Y`
# shape $(1, m)$.

# %%
X, prices = load_house_prices(("Gr Liv Area", "Overall Qual"))
median = np.median(prices)
Y = (prices > median).astype(np.float64)
print(f"X: {X.shape}, Y: {Y.shape}, median price ${median:,.0f}, fraction above: {Y.mean():.4f}")

# %% [markdown]
# ## Why the log-loss, not the squared error
#
# With the sigmoid, each prediction is a probability $\hat y$, and the cost we minimise is the
# **log-loss** (binary cross-entropy):
#
# $$\mathcal{L}(W, b) = -\frac{1}{m} \sum_{i=1}^m \Big( y_i \log \hat y_i
# + (1 - y_i) \log (1 - \hat y_i) \Big).$$
#
# It is the negative log-likelihood of the labels when the model says "label 1 with
# probability $\hat y$": a confident wrong answer ($\hat y \to 0$ where $y = 1$) costs without
# bound. Two properties make it the right cost, where the squared error
# $\frac{1}{2m}\sum(\hat y - y)^2$ of regression is not:
#
# - **Its gradient has no vanishing factor.** By the chain rule,
#   $\partial \mathcal{L} / \partial Z = \frac{\partial \mathcal{L}}{\partial \hat Y}
#   \sigma'(Z)$. For the log-loss, $\frac{\partial \mathcal{L}}{\partial \hat y} =
#   \frac1m \frac{\hat y - y}{\hat y (1 - \hat y)}$, and $\sigma' = \hat y(1 - \hat y)$ cancels
#   the denominator: $\partial \mathcal{L} / \partial Z = \frac1m(\hat Y - Y)$, the same simple
#   error as in regression, so $dW = \frac1m (\hat Y - Y) X^T$ and
#   $db = \frac1m \sum (\hat Y - Y)$. For the squared error the factor
#   $\hat y (1 - \hat y)$ stays, and it is nearly 0 exactly when the model is confidently
#   wrong, so gradient descent barely moves where it most needs to.
# - **It is convex in $(W, b)$**: its Hessian $\frac1m \sum \hat y_i(1 - \hat y_i)\,
#   \tilde x_i \tilde x_i^T$ (with $\tilde x_i = (x_i, 1)$) is positive semi-definite, so
#   every local minimum is global. The squared error of a sigmoid is not convex.
#
# Here are both costs along one line through parameter space, for a model using the
# standardised living area alone, $\hat y = \sigma(w x)$:

# %%
area = (X[0] - X[0].mean()) / X[0].std()
ws = np.linspace(-4, 4, 321)
log_loss = np.array([compute_cost(sigmoid(w * area)[None], Y, task="classification") for w in ws])
squared = np.array([compute_cost(sigmoid(w * area)[None], Y) for w in ws])
# Convex means second differences are never negative (up to rounding).
print(
    f"smallest second difference: log-loss {np.diff(log_loss, 2).min():.1e}, squared error {np.diff(squared, 2).min():.1e}"
)
print(
    f"slope at w = -4: log-loss {np.gradient(log_loss, ws)[0]:.3f}, squared error {np.gradient(squared, ws)[0]:.3f}"
)
print(
    f"minimum at w = {ws[log_loss.argmin()]:.3f} (log-loss), {ws[squared.argmin()]:.3f} (squared error)"
)
assert np.diff(log_loss, 2).min() > 0 > np.diff(squared, 2).min()

# %% alt="Two costs of the one-feature model sigma(w x) against the weight w from -4 to 4. The log-loss (left) is a convex curve falling almost linearly from 2.8 at w = -4 to its minimum of 0.48 at w = 2, then rising to 0.55 at w = 4. The squared error (right) has an S shape: nearly flat at 0.32 near w = -4, falling steeply around w = -1, to its minimum of 0.08 near w = 2.1; it bends from concave to convex, so it is not convex."
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
left.plot(ws, log_loss, color="tab:blue")
left.set(xlabel="$w$", ylabel="cost", title="log-loss: convex")
right.plot(ws, squared, color="tab:orange")
right.set(xlabel="$w$", title="squared error: flat where wrong, not convex")
plt.show()

# %% [markdown]
# For negative $w$ the model says "cheap" for big houses: badly wrong. The log-loss rises
# steadily there and its slope points back to the minimum; the squared error lies on a plateau
# where the slope is almost 0.
#
# ## Normalise, then train
#
# The living area runs into the thousands of square feet and the quality is in single digits. As for
# regression, one learning rate suits both features only after standardising each row of `X`:
# subtract its mean, divide by its standard deviation.

# %%
mean, std = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
X_norm = (X - mean) / std

parameters = nn_model(X_norm, Y, num_iterations=1000, learning_rate=1.0, task="classification")
costs = parameters["costs"]
print(f"W = {parameters['W'].round(6).tolist()}, b = {parameters['b'].round(6).tolist()}")
print(f"log-loss: {costs[0]:.6f} at the start, {costs[-1]:.10f} after 1000 iterations")

# %% alt="The log-loss against the iteration, from 0.693 (log 2, the cost of predicting 0.5 for every house) at iteration 0, falling steeply over the first 50 iterations and flat at 0.3215 from there to iteration 1000."
ax = plot_cost_history(costs, log=False, color="tab:blue")
ax.set(xlabel="iteration", ylabel="log-loss", title="training the perceptron")
ax.figure.set_size_inches(6, 3)
plt.show()

# %% [markdown]
# The start is at $\log 2 \approx 0.693$: the initial weights are tiny, so every prediction is
# about 0.5.
#
# ## The decision boundary
#
# The perceptron predicts label 1 where $\hat y > 0.5$, that is where $\sigma(z) > 0.5$, that
# is where $z = W x + b > 0$. The **decision boundary** is the set $W x + b = 0$: with two
# features, the straight line $w_1 x_1 + w_2 x_2 + b = 0$. The model was trained on
# standardised features; in the original units, $W (x - \mu) / s + b = (W / s)\, x +
# (b - (W/s)\, \mu)$:

# %%
W_units = parameters["W"] / std.T
b_units = parameters["b"] - W_units @ mean
model_in_units = {"W": W_units, "b": b_units, "task": "classification"}
np.testing.assert_allclose(
    forward_propagation(X, model_in_units), forward_propagation(X_norm, parameters)
)
w1, w2 = W_units[0]
print(f"boundary: {w1:.6f} × area + {w2:.6f} × quality {b_units[0, 0]:+.4f} = 0")
print(f"at quality 6 the boundary lies at {-(w2 * 6 + b_units[0, 0]) / w1:,.0f} sq ft")

# %% [markdown]
# `plot_decision_boundary` evaluates a probability on a grid covering the data, draws the
# level 0.5 as a black line and shades the levels 0.1, 0.2, ..., 0.9. It takes the lessons'
# layout and any function of points in columns:

# %% alt="Scatter of 2,928 Ames houses, living area from 334 to 5,642 square feet on the horizontal axis and overall quality 1 to 10 on the vertical one; the points lie in ten rows, blue circles (at or below the median price of $160,000) mostly at low area and quality, red triangles (above it) at high. A straight black line, the decision boundary, falls from quality 7.8 at 500 sq ft to quality 1.4 at 4,000 sq ft, passing 1,473 sq ft at quality 6, with shaded bands of probability parallel to it, blue below and red above; some points of each colour lie on the wrong side."
ax = plot_decision_boundary(
    lambda P: forward_propagation(P, model_in_units), X, Y,
    class_names=(f"at most ${median:,.0f}", f"above ${median:,.0f}"),
)  # fmt: skip
ax.set(
    xlabel="living area (sq ft)", ylabel="overall quality", title="perceptron: a straight boundary"
)
ax.legend(loc="upper left")
ax.figure.set_size_inches(7, 4.2)
plt.show()

# %% [markdown]
# The drawn boundary is the line we computed, checked on the points of the black contour:

# %%
(boundary,) = ax.collections[-1].allsegs[0]
gap = np.abs(boundary @ W_units[0] + b_units[0, 0]) / np.linalg.norm(W_units)
print(f"largest distance from the drawn boundary to the line W x + b = 0: {gap.max():.1e} sq ft")
assert gap.max() < 1e-3 * np.ptp(X[0])

# %% [markdown]
# The data is **not separable**: no straight line puts every red triangle on one side, some
# houses of quality 5 outsell some of quality 7. That matters for the log-loss. On separable
# data, multiplying $W$ and $b$ by 2 sharpens every prediction towards the right label and
# lowers the log-loss, for ever: the minimum is at infinity. Here each misclassified house pulls
# back, and the minimum is a finite point we can check.
#
# ## Accuracy
#
# The accuracy is the fraction of examples whose predicted label is right. Always guessing one
# class scores about 0.5 on this data.

# %%
accuracy = np.mean(predict(X_norm, parameters) == Y)
print(f"training accuracy: {accuracy:.4f} ({int(accuracy * Y.size)} of {Y.size} houses)")
print(f"always guessing the larger class: {max(Y.mean(), 1 - Y.mean()):.4f}")

# %% [markdown]
# ## A check: the log-loss optimum by Newton's method
#
# Did 1000 steps of gradient descent reach the minimum? Find it another way.
# [Newton's method](../gradient-descent-two-variables/) uses the curvature: with all parameters
# in one vector $\theta = (w_1, w_2, b)$ and $A$ the matrix $X$ with a row of ones added,
# $z = \theta^T A$ and
#
# $$\nabla \mathcal{L} = \frac1m A (\hat y - y)^T, \qquad
# H = \frac1m A \,\mathrm{diag}\big(\hat y (1 - \hat y)\big) A^T.$$
#
# Each Newton step solves $H s = \nabla \mathcal{L}$ and moves to $\theta - s$ (for the
# log-loss this is also called *iteratively reweighted least squares*). It needs no learning
# rate, and near the minimum it doubles the number of correct digits at every step.

# %%
A = np.vstack([X_norm, np.ones(X_norm.shape[1])])
m = A.shape[1]


def log_loss_of(theta):
    return compute_cost(sigmoid(theta @ A)[None], Y, task="classification")


def log_loss_gradient(theta):
    return A @ (sigmoid(theta @ A) - Y[0]) / m


def log_loss_hessian(theta):
    p = sigmoid(theta @ A)
    return (A * (p * (1 - p))) @ A.T / m


newton = newton_method(
    log_loss_gradient, log_loss_hessian, np.zeros(3), 50, tol=1e-12, f=log_loss_of
)
for k, (theta, cost) in enumerate(zip(newton.path, newton.values, strict=True)):
    print(
        f"Newton step {k}: log-loss {cost:.15f}, |gradient| {np.linalg.norm(log_loss_gradient(theta)):.1e}"
    )

# %%
theta_gd = np.concatenate([parameters["W"][0], parameters["b"][0]])
print(f"gradient descent: θ = {theta_gd.round(10).tolist()}, log-loss {costs[-1]:.15f}")
print(f"Newton's method:  θ = {newton.x.round(10).tolist()}, log-loss {newton.values[-1]:.15f}")
print(f"largest difference in θ: {np.max(np.abs(theta_gd - newton.x)):.1e}")
print(
    f"smallest eigenvalue of the Hessian at the optimum: {np.linalg.eigvalsh(log_loss_hessian(newton.x)).min():.4f}"
)
assert newton.converged
np.testing.assert_allclose(theta_gd, newton.x, rtol=1e-9)
assert abs(costs[-1] - newton.values[-1]) < 1e-12
assert np.linalg.eigvalsh(log_loss_hessian(newton.x)).min() > 0

# %% [markdown]
# The gap to the optimum shows the two speeds: gradient descent gains a steady number of digits
# per step (a straight line on a log scale), Newton's method doubles them.

# %% alt="Log-loss minus its minimum against the iteration, on a log scale. Gradient descent (blue) falls steeply for a few iterations from 0.37, then along a straight line, reaching 1e-10 after about 300 iterations. Newton's method (orange) drops from 0.37 to below 1e-15 in 7 steps, the exponent roughly doubling at each step."
optimum = newton.values[-1]
ax = plot_cost_history(
    np.maximum(costs - optimum, 1e-16)[: np.argmax(costs - optimum < 1e-10) + 1],
    label="gradient descent",
)
plot_cost_history(
    np.maximum(newton.values - optimum, 1e-16), ax=ax, label="Newton's method", marker="o"
)
ax.set(xlabel="iteration", ylabel="log-loss − minimum", title="distance to the optimum")
ax.legend()
ax.figure.set_size_inches(6, 3)
plt.show()

# %% [markdown]
# Both methods land on the same point (the largest difference in $\theta$ is printed above),
# and the Hessian there is positive definite: a strict minimum, the only one of a convex function. Newton's method took a handful
# of steps against gradient descent's thousand, but each of its steps builds and solves with an
# $n \times n$ Hessian, which is why gradient descent is what scales to large models.
#
# ## The same model as a scikit-learn style estimator
#
# `PerceptronClassifier` wraps the same functions in the interface of scikit-learn. **Mind the
# layout**: the two APIs take the data transposed.
#
# | API | `X` | labels |
# | --- | --- | --- |
# | `nn_model`, `predict`, `forward_propagation` (the lessons') | `(n_x, m)`: features × examples, one **column** per house | `Y` of shape `(1, m)`, 0 or 1 |
# | `PerceptronClassifier().fit(X, y)` (scikit-learn's) | `(n_samples, n_features)`: one **row** per house | `y` of shape `(n_samples,)`, any two labels |
#
# So we pass `X.T` and a 1-D array of labels. The estimator standardises the features itself
# and reports `coef_` and `intercept_` in the original units:

# %%
y = np.where(Y[0] == 1, "over median", "not over median")  # classes_[1], sorted last, plays 1
classifier = PerceptronClassifier(learning_rate=1.0, num_iterations=1000).fit(X.T, y)
print(f"classes_: {classifier.classes_.tolist()}")
print(
    f"coef_ = {classifier.coef_.round(6).tolist()}, intercept_ = {classifier.intercept_.round(4).tolist()}"
)
print(f"accuracy (score): {classifier.score(X.T, y):.4f}")
np.testing.assert_allclose(classifier.coef_, W_units, rtol=1e-9)
np.testing.assert_allclose(classifier.intercept_, b_units[0], rtol=1e-9)
assert classifier.score(X.T, y) == accuracy

# %% [markdown]
# A described house, 2,000 sq ft of quality 6:

# %%
house = np.array([[2000.0, 6.0]])  # one row: the scikit-learn layout
probability = classifier.predict_proba(house)[0, 1]
print(f"P(above median) = {probability:.3f}, predicted: {classifier.predict(house)[0]}")
np.testing.assert_allclose(probability, forward_propagation(house.T, model_in_units)[0, 0])

# %% [markdown]
# Passing the lessons' layout to the estimator by mistake is caught, with the fix in the
# message:

# %%
try:
    PerceptronClassifier().fit(X, y)
except ValueError as error:
    print(f"ValueError: {error}")

# %% [markdown]
# ## Summary
#
# - A perceptron classifies by $\hat Y = \sigma(W X + b)$, the probability of label 1, and
#   predicts 1 where $\hat Y > 0.5$, that is where $W X + b > 0$: its decision boundary is a
#   straight line (a hyperplane with more features).
# - The log-loss is convex and its gradient is $\frac1m(\hat Y - Y) X^T$: the sigmoid's
#   derivative cancels. The squared error keeps that factor, stalls where the model is
#   confidently wrong and is not convex.
# - On data that no line separates the log-loss has a finite minimum; gradient descent and
#   Newton's method find the same one. Here its accuracy is far above the 0.5 of guessing one
#   class, though short of 1: some houses of each class lie on the wrong side of the line.
# - `nn_model` takes examples in columns, `PerceptronClassifier` examples in rows.
#   The line cannot bend: [Beyond the perceptron](../hidden-layer-network/) adds a hidden
#   layer for data that needs a curved boundary.
#
# ## Exercises
#
# 1. Train with `learning_rate=0.1` for 1000 iterations. How far is the log-loss from the
#    Newton optimum? How many iterations does it need to agree to ten digits?
# 2. Add a third feature, `"Year Built"`, to `load_house_prices`. Does the accuracy improve?
#    Check the new optimum with Newton's method (the matrix `A` gets one more row).
# 3. Make the data separable by keeping only the houses of quality at most 4 and at least 8,
#    labelled by quality above 6, and watch `np.linalg.norm(parameters["W"])` as
#    `num_iterations` grows. What does Newton's method report, and can you trust it?
#
# <details><summary>Solutions</summary>
#
# 1. With a learning rate ten times smaller every step is ten times shorter. After 1000
#    iterations `costs[-1] - newton.values[-1]` is still about $4 \times 10^{-5}$, and the gap
#    shrinks by a constant factor per step, as for gradient descent on any smooth convex
#    function near its minimum: it falls below $10^{-10}$ only after about 3,100 iterations,
#    ten times as many as at `learning_rate=1.0`.
# 2. Build `X` from three features, standardise it the same way and train; the accuracy rises
#    from 0.865 to about 0.889. `A = np.vstack([X_norm, np.ones(m)])` has four rows and the same
#    `log_loss_gradient` and `log_loss_hessian` work unchanged.
# 3. The weights grow without bound, by about 2.6 for every tenfold increase of
#    `num_iterations` (4.4, 6.9, 9.5 after 100, 1000, 10000 steps at learning rate 1), and the
#    log-loss falls towards 0 without reaching it: a larger $\lVert W \rVert$ always lowers it
#    on separable data. Newton's method with `tol=1e-12` reports convergence after 27 steps at
#    $\lVert W \rVert \approx 32$, but only because the slope there has become too flat to
#    measure; a smaller `tol` sends it further out. There is no finite optimum to check
#    against.
#
# </details>
