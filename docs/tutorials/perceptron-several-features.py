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
# # Regression with several features: house prices
#
# **What you will learn**: how the perceptron of the one-feature tutorial takes several inputs
# with no change to its code; how to normalise each feature and map the weights back; how to
# measure a fit with $R^2$; how to predict the price of a house described in words; what the
# weights say, and what they do not; and how to check gradient descent against
# `numpy.linalg.lstsq`.
#
# **What you need**: [Linear regression with a perceptron](../perceptron-regression/), whose
# functions and normalisation this page reuses. The gradients are derived in
# [Backpropagation and gradient checks](../backpropagation/).

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown

from calcml import PerceptronRegressor, nn_model, plot_cost_history, predict
from calcml.datasets import HOUSE_FEATURES, load_house_prices

# %% [markdown]
# ## The data: 2,928 house sales in Ames, Iowa
#
# The [Ames housing data](../../data/) describes residential sales from 2006 to 2010.
# [`load_house_prices`](../../reference/datasets/#calcml.datasets.load_house_prices) returns the
# features you name, in that order, as the rows of `X`, one column per sale, and the prices in
# US dollars as `Y`. We take five of the nine in `HOUSE_FEATURES`:

# %%
features = ("Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Cars")
units = ("sq ft", "point", "year", "sq ft", "car")
X, Y = load_house_prices(features=features)
n_x, m = X.shape
print(f"X: {X.shape}, Y: {Y.shape}; all features: {HOUSE_FEATURES}")
print(f"{'feature':14} {'unit':8} {'mean':>9} {'std':>8} {'min':>7} {'max':>7}")
for name, unit, row in zip(features, units, X, strict=True):
    print(
        f"{name:14} {unit:8} {row.mean():9.2f} {row.std():8.2f} {row.min():7.0f} {row.max():7.0f}"
    )
print(f"price: mean {Y.mean():,.0f} dollars, from {Y.min():,.0f} to {Y.max():,.0f}")

# %% [markdown]
# ## The same model, with more rows in X
#
# With $n_x = 5$ features the model is still $\hat Y = W X + b$: now $W$ has shape $(1, 5)$, one
# weight per feature, and each prediction is a weighted sum,
#
# $$\hat y^{(i)} = w_1 x_1^{(i)} + w_2 x_2^{(i)} + \dots + w_5 x_5^{(i)} + b .$$
#
# The cost and the gradients
# $\frac{\partial \mathcal{L}}{\partial W} = \frac1m (\hat Y - Y) X^T$ (now of shape $(1, 5)$)
# and $\frac{\partial \mathcal{L}}{\partial b} = \frac1m \sum (\hat Y - Y)$ are written with
# matrices, so the code of
# [`nn_model`](../../reference/perceptron/#calcml.perceptron.nn_model) does not change.
#
# ## Normalising each feature
#
# The features have wildly different scales: years near 2,000, quality between 1 and 10,
# areas in the thousands. On the raw scale the cost is a valley far longer in some directions
# than in others, and gradient descent crawls or diverges, as it did for one feature. So
# normalise every row of `X` by its own mean and standard deviation, kept as $(5, 1)$ columns
# that broadcast over the examples:

# %%
mu, sigma = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
X_norm = (X - mu) / sigma
print(f"largest |mean| of a row: {np.max(abs(X_norm.mean(axis=1))):.1e}, stds:", X_norm.std(axis=1))

# %% [markdown]
# After normalising, the curvature of the cost is the correlation matrix of the features. The
# features are correlated (big houses tend to be of higher quality), so it is not the identity,
# and its largest eigenvalue bounds the learning rate, $\alpha < 2/\lambda_{\max}$:

# %%
eigenvalues = np.linalg.eigvalsh(np.corrcoef(X))
print("eigenvalues:", eigenvalues.round(3))
print(f"learning rates below 2 / lambda_max = {2 / eigenvalues[-1]:.3f} converge")

# %%
fit = nn_model(X_norm, Y, num_iterations=300, learning_rate=0.3)
print("W_norm =", fit["W"].round(2), " b_norm =", fit["b"].round(2))

# %% [markdown]
# ## Back to dollars per unit
#
# Feature by feature, the substitution of the one-feature tutorial gives
# $w_j = w_{\text{norm}, j} / \sigma_j$ and $b = b_{\text{norm}} - \sum_j w_j \mu_j$, or with
# arrays:

# %%
W = fit["W"] / sigma.T
b = fit["b"] - W @ mu
print("W =", W.round(4), " b =", b.round(2))

# %% [markdown]
# ## Checking against least squares
#
# Least squares has a direct solution here too. Append a column of ones to the examples (for
# $b$) and let [`numpy.linalg.lstsq`](https://numpy.org/doc/stable/reference/generated/numpy.linalg.lstsq.html)
# solve $\min \lVert A \theta - y \rVert^2$ for $\theta = (w_1, \dots, w_5, b)$. Note the
# layout: `lstsq` wants the examples in rows, so $A$ is built from $X^T$.

# %%
A = np.column_stack([X.T, np.ones(m)])
theta, *_ = np.linalg.lstsq(A, Y.ravel(), rcond=None)
print(f"{'':14} {'gradient descent':>17} {'lstsq':>17}")
for name, ours, reference in zip((*features, "b"), np.append(W, b), theta, strict=True):
    print(f"{name:14} {ours:17.6f} {reference:17.6f}")
relative = np.max(abs(np.append(W, b) - theta) / abs(theta))
print(f"largest relative difference: {relative:.1e}")
assert relative < 1e-9

# %% [markdown]
# ## How good is the fit? $R^2$
#
# The coefficient of determination compares the squared errors with those of the dumbest
# prediction, the mean price:
#
# $$R^2 = 1 - \frac{\sum (y^{(i)} - \hat y^{(i)})^2}{\sum (y^{(i)} - \bar y)^2}.$$
#
# It is 1 for a perfect fit and 0 for a model no better than the mean. For comparison, living
# area alone, a straight line, explains the squared correlation $r^2$ of area and price:

# %%
Y_hat = predict(X_norm, fit)
r_squared = 1 - np.sum((Y - Y_hat) ** 2) / np.sum((Y - Y.mean()) ** 2)
r_area = np.corrcoef(X[0], Y[0])[0, 1]
print(f"R^2 with five features: {r_squared:.4f};  living area alone: r^2 = {r_area**2:.4f}")
rmse = np.sqrt(np.mean((Y - Y_hat) ** 2))
print(f"typical error (root mean square): {rmse:,.0f} dollars")

# %% [markdown]
# The left panel shows the cost falling to the least-squares cost; the right one compares each
# predicted price with the real one. Points on the diagonal are exact predictions.

# %% alt="Left: cost against iteration on a log scale, falling from about 2e10 to 6.8e8 within about 20 iterations and then flat. Right: predicted price against actual price for 2,928 houses, in thousands of dollars; the points lie along the diagonal, spread by a few tens of thousands, with the most expensive houses (above 500 thousand) predicted too low, a few cheap ones predicted below zero, and three houses sold for under 200 thousand predicted at 520 to 660 thousand."
fig, (ax_cost, ax_pred) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot_cost_history(fit["costs"], ax=ax_cost)
ax_cost.set(xlabel="iteration", ylabel="cost (dollars²)", title="Cost against iteration")
ax_pred.scatter(Y[0] / 1000, Y_hat[0] / 1000, s=4, alpha=0.3)
ax_pred.plot([0, 760], [0, 760], color="tab:red", label="predicted = actual")
ax_pred.set(xlabel="actual price (thousands of dollars)", ylabel="predicted price (thousands)")
ax_pred.legend()
plt.show()

# %% [markdown]
# A linear model has trouble at the ends: it predicts the dearest houses too low, a few of the
# cheapest below zero, and a handful of very large houses, sold cheaply, far too high.
#
# ## Predicting the price of a described house
#
# Take a house with **1,800 square feet** of living area above ground, overall quality **7**
# ("good") out of 10, **built in 2005**, with a **1,000 square foot basement** and a garage
# for **two cars**. As a column in the order of `features`, it is normalised with the training
# $\mu$ and $\sigma$ and passed to `predict`:

# %%
house = np.array([[1800.0], [7.0], [2005.0], [1000.0], [2.0]])
price = predict((house - mu) / sigma, fit)[0, 0]
print(f"predicted price: {price:,.0f} dollars")
assert np.isclose(price, theta[:-1] @ house[:, 0] + theta[-1])

similar = (
    (abs(X[0] - 1800) <= 200)
    & (X[1] == 7)
    & (X[2] >= 1995)
    & (abs(X[3] - 1000) <= 300)
    & (X[4] == 2)
)
low, median, high = np.percentile(Y[0, similar], [25, 50, 75])
print(f"{similar.sum()} similar sales: median {median:,.0f}, middle half {low:,.0f} to {high:,.0f}")

# %%
gap = price - median
Markdown(f"""Similar houses in the data (1,600 to 2,000 sq ft, quality 7, built since 1995, a
basement of 700 to 1,300 sq ft, two cars) sold for {"less" if gap > 0 else "more"}: the
prediction lies {"above" if gap > 0 else "below"} their median by about {round(abs(gap), -3):,.0f}
dollars, {"within" if abs(gap) < rmse else "beyond"} the model's typical error of about
{round(rmse, -3):,.0f}. Five numbers do not capture everything that sets a price; the neighbourhood, for
one, is not among them.""")

# %% [markdown]
#
# ## What the weights say
#
# A weight in original units is the change in predicted price per unit of its feature,
# **the other features held fixed**: dollars per square foot, per quality point, per year. Those
# units differ, so the sizes cannot be compared. The normalised weights can: each is the change
# per **standard deviation** of its feature.

# %%
order = np.argsort(-fit["W"][0])
print(f"{'feature':14} {'per unit':>18} {'per std':>12}  (one std is)")
for j in order:
    per_unit = f"{W[0, j]:,.0f} $/{units[j]}"
    print(f"{features[j]:14} {per_unit:>18} {fit['W'][0, j]:12,.0f}  {sigma[j, 0]:.1f} {units[j]}")

# %%
first, second = order[:2]
per_std = sorted(np.round(fit["W"][0, [first, second]], -3))  # to the nearest thousand dollars
Markdown(f"""The features "{features[first]}" and "{features[second]}" matter most: one standard deviation
more of either, about {sigma[first, 0]:,.1f} {units[first]}s or {sigma[second, 0]:,.0f}
{units[second]}, adds about {per_std[0]:,.0f} to {per_std[1]:,.0f} dollars, the other
features held fixed. Three cautions. The weights describe associations in these sales, not
what a renovation would earn. Correlated features share credit between them, so a weight
changes when you add or drop a feature. And the bias, about {round(b[0, 0], -4):,.0f} dollars,
is the prediction for a house of zero area built in year 0: a meaningless extrapolation, which is
why the normalised model's bias, the mean price, is the one to read.""")

# %% [markdown]
#
# ## The same fit as an estimator
#
# [`PerceptronRegressor`](../../reference/estimators/#calcml.estimators.PerceptronRegressor)
# standardises the features itself and reports `coef_` in dollars per unit. It takes the
# scikit-learn layout, **examples in rows**: `X.T` of shape $(2928, 5)$ and `Y.ravel()` of shape
# $(2928,)$, and a house is a row:

# %%
model = PerceptronRegressor(learning_rate=0.3, num_iterations=300).fit(X.T, Y.ravel())
print("coef_ =", model.coef_.round(4), f" intercept_ = {model.intercept_:,.2f}")
print(f"R^2 = {model.score(X.T, Y.ravel()):.4f}")
print(f"the house: {model.predict(house.T)[0]:,.0f} dollars")
assert np.allclose(np.append(model.coef_, model.intercept_), theta, rtol=1e-9)

# %% [markdown]
# ## Summary
#
# - With several features, $\hat Y = W X + b$ has one weight per row of `X`; the cost, the
#   gradients and `nn_model` are the same matrix code as for one feature.
# - Normalise each feature with its own mean and standard deviation; after that the curvature
#   is the correlation matrix, and $\alpha < 2/\lambda_{\max}$ converges.
# - Map back with $w_j = w_{\text{norm},j}/\sigma_j$, $b = b_{\text{norm}} - \sum_j w_j\mu_j$.
#   Gradient descent then matches `numpy.linalg.lstsq` to nine digits. The five features
#   explain far more of the variance of prices ($R^2$) than living area alone.
# - Read normalised weights to compare features (per standard deviation), original-unit
#   weights to price one unit, and neither as cause and effect.
#
# ## Exercises
#
# 1. Fit all nine features of `HOUSE_FEATURES` with `PerceptronRegressor`. How much does $R^2$
#    rise?
# 2. Which learning rates converge with the five features? Try 0.6 and 0.7.
# 3. Fit living area alone and compare its weight with the one above, in dollars per square
#    foot. Why do they differ?
#
# <details><summary>Solutions</summary>
#
# 1. `X9, Y9 = load_house_prices()` then
#    `PerceptronRegressor(learning_rate=0.2, num_iterations=1000).fit(X9.T, Y9.ravel())`:
#    $R^2$ rises from 0.787 to 0.798. The largest eigenvalue of the nine features'
#    correlation matrix is 3.59, so learning rates below $2/3.59 = 0.56$ converge; the smallest
#    is 0.20, so the slow direction shrinks by $1 - 0.2 \times 0.2 = 0.96$ a step and needs
#    several hundred steps.
# 2. The bound is $2/\lambda_{\max} = 2/2.97 = 0.674$: 0.6 converges (the fast direction
#    oscillates while shrinking) and 0.7 diverges: the cost grows at every step, past
#    $10^{28}$ after 300 steps. (`nn_model` raises `DivergenceError` only once the cost
#    overflows, after a few thousand steps.)
# 3. Alone, living area gets about 112 dollars per square foot (`np.polyfit(X[0], Y[0], 1)`);
#    with the other features, 52. Larger houses also tend to be newer, of higher quality and
#    with bigger basements and garages; alone, living area takes the credit for all of that.
#
# </details>
