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
# # Linear regression with a perceptron
#
# **What you will learn**: how a perceptron with one input predicts a number, $\hat Y = W X + b$;
# how forward propagation, the cost, backward propagation and the parameter update fit together
# into gradient descent; why the raw inputs make gradient descent crawl or diverge and how
# normalising them fixes it; how to turn the fitted parameters back into the original units; and
# how to run the same fit through a scikit-learn style estimator. We predict sales from a TV
# advertising budget and check the result against the closed-form least-squares line.
#
# **What you need**: the lesson [Partial derivatives and gradients](../../lessons/gradients/)
# and the tutorials [Gradient descent in one variable](../gradient-descent-one-variable/) and
# [in two variables](../gradient-descent-two-variables/). The gradients used here are derived
# in [Backpropagation and gradient checks](../backpropagation/). The tutorial
# [Regression with several features](../perceptron-several-features/) continues from here.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown

from calcml import (
    DivergenceError,
    PerceptronRegressor,
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    nn_model,
    plot_cost_history,
    predict,
    update_parameters,
)
from calcml.datasets import load_tv_marketing

# %% [markdown]
# ## The data: sales against TV budget
#
# The [Advertising data](../../data/) holds, for 200 markets, the TV advertising budget in
# thousands of dollars and the sales in thousands of units.
# [`load_tv_marketing`](../../reference/datasets/#calcml.datasets.load_tv_marketing) returns them
# in the lessons' layout: **one column per example**, so `X` has shape $(n_x, m) = (1, 200)$,
# one row per feature, and `Y` has shape $(1, 200)$.

# %%
X, Y = load_tv_marketing()
m = X.shape[1]
print(f"X: {X.shape}, Y: {Y.shape}")
print("first five budgets:", X[0, :5], " sales:", Y[0, :5])
print(f"budget from {X.min():.1f} to {X.max():.1f}, mean {X.mean():.2f}, std {X.std():.2f}")

# %% [markdown]
# ## The model and its cost
#
# A perceptron multiplies each input by a weight and adds a bias. With one input it is a
# straight line; written for all examples at once,
#
# $$\hat Y = W X + b,$$
#
# with $W$ of shape $(1, 1)$, $b$ of shape $(1, 1)$ (added to every column), and $\hat Y$ of
# shape $(1, m)$: one prediction per market. How wrong a line is we measure by the **cost**,
# half the mean squared error:
#
# $$\mathcal{L}(W, b) = \frac{1}{2m} \sum_{i=1}^{m} \left(\hat y^{(i)} - y^{(i)}\right)^2 .$$
#
# The $\tfrac12$ only tidies the derivative. Training means finding the $W$ and $b$ that make
# $\mathcal{L}$ smallest, by gradient descent.
#
# ## Forward propagation
#
# [`initialize_parameters`](../../reference/perceptron/#calcml.perceptron.initialize_parameters)
# starts with a small random weight and a zero bias;
# [`forward_propagation`](../../reference/perceptron/#calcml.perceptron.forward_propagation)
# computes $\hat Y$; [`compute_cost`](../../reference/perceptron/#calcml.perceptron.compute_cost)
# computes $\mathcal{L}$. Each equals the formula written out with NumPy:

# %%
parameters = initialize_parameters(n_x=1, seed=0)
Y_hat = forward_propagation(X, parameters)
cost = compute_cost(Y_hat, Y)
print(f"W = {parameters['W']},  b = {parameters['b']},  Y_hat: {Y_hat.shape}")
print(f"cost = {cost:.4f}")
assert np.allclose(Y_hat, parameters["W"] @ X + parameters["b"])
assert np.isclose(cost, np.sum((Y_hat - Y) ** 2) / (2 * m))

# %% [markdown]
# ## Backward propagation
#
# Gradient descent needs the partial derivatives of the cost with respect to each parameter.
# The chain rule gives (the derivation, and three independent checks of it, are in
# [Backpropagation and gradient checks](../backpropagation/)):
#
# $$\frac{\partial \mathcal{L}}{\partial W} = \frac{1}{m} (\hat Y - Y)\, X^T, \qquad
# \frac{\partial \mathcal{L}}{\partial b} = \frac{1}{m} \sum_{i=1}^{m}
# \left(\hat y^{(i)} - y^{(i)}\right).$$
#
# Each is an average of the errors $\hat y^{(i)} - y^{(i)}$, weighted by the input for $W$.
# [`backward_propagation`](../../reference/perceptron/#calcml.perceptron.backward_propagation)
# computes them:

# %%
grads = backward_propagation(Y_hat, X, Y)
print(f"dW = {grads['dW']},  db = {grads['db']}")
assert np.allclose(grads["dW"], (Y_hat - Y) @ X.T / m)
assert np.allclose(grads["db"], np.mean(Y_hat - Y))
assert grads["dW"][0, 0] < 0 and grads["db"][0, 0] < 0  # the line starts below the data

# %% [markdown]
# Both are negative: the line starts far below the data, and raising $W$ or $b$ lowers the
# cost. Then [`update_parameters`](../../reference/perceptron/#calcml.perceptron.update_parameters)
# takes one step downhill, $W \leftarrow W - \alpha \frac{\partial \mathcal{L}}{\partial W}$ and
# $b \leftarrow b - \alpha \frac{\partial \mathcal{L}}{\partial b}$.
# [`nn_model`](../../reference/perceptron/#calcml.perceptron.nn_model) repeats the four steps,
# forward, cost, backward, update, `num_iterations` times. One step by hand, with a small
# learning rate (the next section shows why it must be small here):

# %%
new_parameters = update_parameters(parameters, grads, learning_rate=1e-5)
new_cost = compute_cost(forward_propagation(X, new_parameters), Y)
print(f"W: {parameters['W'][0, 0]:.5f} -> {new_parameters['W'][0, 0]:.5f}")
print(f"cost: {cost:.4f} -> {new_cost:.4f}")
assert new_cost < cost

# %% [markdown]
# ## Raw budgets: gradient descent crawls or diverges
#
# Try it on the raw budgets. A learning rate of 0.01, small by the standards of the gradient
# descent tutorials, blows up:

# %%
try:
    nn_model(X, Y, num_iterations=100, learning_rate=0.01)
except DivergenceError as err:
    print(err)
    print("costs:", err.path[:4])
else:
    raise AssertionError("expected the raw budgets to diverge at learning_rate=0.01")

# %% [markdown]
# The reason is the shape of the cost. It is a quadratic bowl in $(W, b)$ whose curvature, the
# matrix of second derivatives, is
#
# $$H = \frac{1}{m} \begin{pmatrix} \sum x_i^2 & \sum x_i \\ \sum x_i & m \end{pmatrix}.$$
#
# As in [Gradient descent in two variables](../gradient-descent-two-variables/), a learning rate
# above $2/\lambda_{\max}$ diverges, and the error along the flattest direction shrinks by
# $1 - \alpha \lambda_{\min}$ per step. Budgets are in the hundreds, so $\sum x_i^2 / m$ is in
# the tens of thousands:

# %%
H = np.array([[np.mean(X**2), np.mean(X)], [np.mean(X), 1.0]])
lam_min, lam_max = np.linalg.eigvalsh(H)
print(f"eigenvalues of H: {lam_min:.4f} and {lam_max:.1f}")
print(f"largest learning rate that converges: 2 / lambda_max = {2 / lam_max:.2e}")
safe_rate = 5e-5
steps = np.log(1e-6) / np.log(1 - safe_rate * lam_min)
print(f"at alpha = {safe_rate}, steps to shrink the slow error a million times: {steps:.2e}")

# %% [markdown]
# So the learning rate must stay below $2/\lambda_{\max}$, and even then the flat direction,
# which mostly moves $b$, needs the number of steps printed above. Measured, 1,000 steps at
# $\alpha = 5 \times 10^{-5}$ leave the bias far from the least-squares value found below:

# %%
raw = nn_model(X, Y, num_iterations=1000, learning_rate=safe_rate)
W_raw, b_raw = raw["W"][0, 0], raw["b"][0, 0]
print(f"after 1000 steps: W = {W_raw:.5f}, b = {b_raw:.4f}, cost = {raw['costs'][-1]:.4f}")

# %% [markdown]
# ## Normalising the input
#
# The fix is to put the input on a scale of about 1 before training: subtract its mean $\mu$
# and divide by its standard deviation $\sigma$,
#
# $$x_{\text{norm}} = \frac{x - \mu}{\sigma}.$$
#
# Then $\sum x_{\text{norm}}^2 / m = 1$ and $\sum x_{\text{norm}} / m = 0$, so $H$ is the
# identity: a round bowl, in which every learning rate below 2 converges and no direction is
# slow. Keep $\mu$ and $\sigma$: every new input must be normalised with the same two numbers.

# %%
mu, sigma = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
X_norm = (X - mu) / sigma
print(f"mu = {mu[0, 0]:.4f}, sigma = {sigma[0, 0]:.4f}")
print(f"normalised: mean {X_norm.mean():.1e}, std {X_norm.std():.4f}")

fit = nn_model(X_norm, Y, num_iterations=300, learning_rate=0.1)
W_norm, b_norm = fit["W"][0, 0], fit["b"][0, 0]
print(f"W_norm = {W_norm:.6f}, b_norm = {b_norm:.6f}, final cost {fit['costs'][-1]:.6f}")

# %% [markdown]
# ## Back to the original units
#
# The fitted line speaks normalised budgets. Substituting $x_{\text{norm}} = (x - \mu)/\sigma$,
#
# $$W_{\text{norm}} \frac{x - \mu}{\sigma} + b_{\text{norm}}
# = \underbrace{\frac{W_{\text{norm}}}{\sigma}}_{W}\, x
# + \underbrace{b_{\text{norm}} - \frac{W_{\text{norm}}\, \mu}{\sigma}}_{b},$$
#
# so the same line in thousands of dollars has:

# %%
W = W_norm / sigma[0, 0]
b = b_norm - W_norm * mu[0, 0] / sigma[0, 0]
print(f"W = {W:.6f} thousand units per thousand dollars,  b = {b:.4f} thousand units")

# %% [markdown]
# ## Checking against least squares
#
# For a straight line the least-squares solution has a closed form: the slope is the
# covariance of $x$ and $y$ over the variance of $x$, and the line passes through the point of
# means, $b = \bar y - W \bar x$. Gradient descent should land on it:

# %%
x, y = X[0], Y[0]
slope = np.mean((x - x.mean()) * (y - y.mean())) / np.var(x)
intercept = y.mean() - slope * x.mean()
print(f"{'':16} {'W':>10} {'b':>10}")
print(f"{'gradient descent':16} {W:10.6f} {b:10.6f}")
print(f"{'least squares':16} {slope:10.6f} {intercept:10.6f}")
print(f"relative differences: {abs(W / slope - 1):.1e}, {abs(b / intercept - 1):.1e}")
assert np.isclose(W, slope, rtol=1e-9) and np.isclose(b, intercept, rtol=1e-9)

# %%
Markdown(f"""Each extra thousand dollars of TV budget goes with about {W:.4f} thousand units,
{W * 1000:.1f} units, more sales, and a market with no TV budget is predicted to sell about
{round(b * 1000, -2):,.0f} units.""")

# %% [markdown]
# The figure shows the fitted line through the data, and the cost against the iteration for the
# two runs: the normalised one reaches the least-squares cost within a few dozen steps, while
# the raw one drops fast along the steep direction and then stalls far above it.

# %% alt="Left: scatter plot of sales (thousands of units, 1.6 to 27) against TV budget (thousands of dollars, 0.7 to 296) for 200 markets, rising and fanning out, with the fitted line sales = 7.03 + 0.0475 TV running through the middle. Right: cost against iteration on a log scale: the run on normalised budgets with learning rate 0.1 falls from about 110 to the least-squares cost 5.26 within about 50 iterations and stays there; the run on raw budgets with learning rate 0.00005 drops to about 11.5 within 10 iterations and then barely moves, still at 11.4 after 1000."
fig, (ax_fit, ax_cost) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ax_fit.scatter(x, y, s=12, alpha=0.6, label="markets")
budgets = np.linspace(0, 300, 2)
ax_fit.plot(budgets, W * budgets + b, color="tab:red", label=f"sales = {b:.2f} + {W:.4f} TV")
ax_fit.set(xlabel="TV budget (thousands of dollars)", ylabel="sales (thousands of units)")
ax_fit.legend()
plot_cost_history(fit["costs"], ax=ax_cost, label="normalised, α = 0.1")
plot_cost_history(raw["costs"], ax=ax_cost, label="raw budgets, α = 5e-5")
ax_cost.axhline(fit["costs"][-1], color="gray", linestyle=":", label="least-squares cost")
ax_cost.set(xlabel="iteration", ylabel="cost", title="Cost against iteration")
ax_cost.legend()
plt.show()

# %% [markdown]
# ## Predicting sales for a budget
#
# To predict, a new budget goes through the same normalisation, with the training $\mu$ and
# $\sigma$, then [`predict`](../../reference/perceptron/#calcml.perceptron.predict). Or, the same
# thing, the raw budget goes through the line in original units, which we can pass to `predict`
# as a plain dict. New budgets are columns of a $(1, 3)$ array:

# %%
new_budgets = np.array([[50.0, 120.0, 280.0]])
sales_norm = predict((new_budgets - mu) / sigma, fit)
sales = predict(new_budgets, {"W": np.array([[W]]), "b": np.array([[b]])})
for budget, predicted in zip(new_budgets[0], sales[0], strict=True):
    print(
        f"TV budget {budget:5.0f} thousand dollars: predicted sales {predicted:.2f} thousand units"
    )
assert np.allclose(sales_norm, sales) and np.allclose(sales, intercept + slope * new_budgets)
assert new_budgets.max() <= X.max()  # inside the range of the data

# %% [markdown]
# The largest budget in the data, printed at the top, is above 280, so all three budgets lie
# inside the data; far beyond the data a straight line is a guess, not a prediction.
#
# ## The same fit as an estimator
#
# [`PerceptronRegressor`](../../reference/estimators/#calcml.estimators.PerceptronRegressor)
# wraps the same functions in the interface of scikit-learn: `fit`, `predict`, `score`, and
# fitted attributes ending in `_`. It normalises each feature itself (`standardize=True`) and
# reports `coef_` and `intercept_` in the original units. The two APIs take **different
# layouts**:
#
# | API | `X` | targets |
# | --- | --- | --- |
# | the functions: `nn_model`, `predict`, `forward_propagation`, ... | $(n_x, m)$: features × examples | `Y` of shape $(1, m)$ |
# | the estimators: `PerceptronRegressor`, `PerceptronClassifier` | $(n_{\text{samples}}, n_{\text{features}})$: examples × features | `y` of shape $(n_{\text{samples}},)$ |
#
# So from the loader's arrays, pass `X.T` and `Y.ravel()`:

# %%
model = PerceptronRegressor(learning_rate=0.1, num_iterations=300).fit(X.T, Y.ravel())
print(f"coef_ = {model.coef_},  intercept_ = {model.intercept_:.6f}")
print(f"R^2 = {model.score(X.T, Y.ravel()):.4f}")
print("predictions:", model.predict(new_budgets.T).round(4))
assert np.allclose([model.coef_[0], model.intercept_], [slope, intercept], rtol=1e-9)

# %% [markdown]
# The score $R^2$ is the fraction of the variance of sales that the line explains: the TV
# budget explains a good part of the sales, but far from all. Passing the lessons' layout to the estimator
# is not silently misread as one sample with 200 features: it raises a `ValueError` that says
# what to pass instead.

# %%
for X_in, y_in in [(X, Y.ravel()), (X.T, Y)]:
    try:
        PerceptronRegressor().fit(X_in, y_in)
    except ValueError as err:
        print(f"X {X_in.shape}, y {y_in.shape}: {err}")

# %% [markdown]
# ## Summary
#
# - A perceptron for regression predicts $\hat Y = W X + b$, with examples in columns, and is
#   trained by repeating forward propagation, the cost
#   $\frac{1}{2m}\sum(\hat Y - Y)^2$, backward propagation
#   $\frac{\partial \mathcal{L}}{\partial W} = \frac1m(\hat Y - Y)X^T$,
#   $\frac{\partial \mathcal{L}}{\partial b} = \frac1m\sum(\hat Y - Y)$, and an update.
# - On raw inputs of size about 100 the cost is a long thin valley: a learning rate above
#   $2/\lambda_{\max}$ diverges, and one below it crawls along the floor of the valley.
# - Normalising the input, $(x - \mu)/\sigma$, makes the valley round: 300 steps at
#   $\alpha = 0.1$ reach the least-squares line to nine digits. Map the parameters back with $W = W_{\text{norm}}/\sigma$ and
#   $b = b_{\text{norm}} - W_{\text{norm}}\mu/\sigma$, and normalise new inputs with the same
#   $\mu$ and $\sigma$.
# - `PerceptronRegressor` does the same with examples in rows: `fit(X.T, Y.ravel())`.
#
# ## Exercises
#
# 1. On the normalised budgets, train with learning rate 1 for a single iteration. How close
#    is the result to least squares, and why?
# 2. What TV budget does the fitted line need to predict sales of 15 thousand units?
# 3. Instead of normalising, express the budget in millions of dollars (`X / 1000`). Which
#    learning rates now converge, and is gradient descent fast? What is $W$ in these units?
#
# <details><summary>Solutions</summary>
#
# 1. It lands on the least-squares line in one step:
#    `nn_model(X_norm, Y, num_iterations=1, learning_rate=1.0)` gives the same
#    $W_{\text{norm}}$ and $b_{\text{norm}}$ as the 300 steps above ($b_{\text{norm}}$ is the
#    mean of sales). With
#    normalised inputs $H$ is the identity, so the cost is
#    $\tfrac12 \lVert \theta - \theta^* \rVert^2$ plus a constant, its gradient is
#    $\theta - \theta^*$, and a step of $\alpha = 1$ subtracts exactly that.
# 2. Solve $15 = b + W x$: $x = (15 - b)/W$, which with the fitted $W$ and $b$ is about 167.6
#    thousand dollars (`(15 - b) / W`).
# 3. $H$ becomes $\begin{pmatrix} 0.0290 & 0.147 \\ 0.147 & 1 \end{pmatrix}$, with eigenvalues
#    about 1.02 and 0.0072 (compute them with `np.linalg.eigvalsh`). Learning rates below
#    $2/1.02 \approx 1.96$ converge, but the slow direction shrinks by only
#    $1 - 1.9 \times 0.0072 \approx 0.986$ per step, so about a thousand steps are needed
#    for six digits: scaling helps, but without centring the valley stays thin, because the
#    budgets are all positive. $W$ becomes $47.537$ thousand units per million dollars; $b$
#    does not change.
#
# </details>
