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
# # Gradient descent in one variable
#
# **What you will learn**: how gradient descent finds a minimum by walking downhill, one step
# $x \leftarrow x - \alpha f'(x)$ at a time; what the learning rate $\alpha$ does when it is too
# small, right, or too large; how many iterations a run needs and when to stop it; and why the
# minimum you reach depends on where you start.
#
# **What you need**: the lessons [Derivatives](../../lessons/derivatives/) and
# [Maxima and minima](../../lessons/extrema/), and `calcml` installed. The tutorial
# [Gradient descent in two variables](../gradient-descent-two-variables/) continues from here.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML

from calcml import (
    DivergenceError,
    animate_path,
    animation_to_html,
    gradient_descent,
    gradient_descent_jax,
    plot_cost_history,
    plot_path_on_curve,
)

# %% [markdown]
# ## A function with one minimum
#
# Our first function is $f(x) = e^x - \log x$ for $x > 0$. Its derivative is
# $f'(x) = e^x - 1/x$, and its second derivative $f''(x) = e^x + 1/x^2$ is positive everywhere,
# so $f$ is convex: one minimum, where $f'(x) = 0$, that is where $e^x = 1/x$, or $x e^x = 1$.
# No formula with elementary functions solves that equation, which is typical: most minima in
# machine learning can only be approached numerically.
#
# Here we can still find the answer another way, to check gradient descent against.
# $x e^x - 1$ is negative at 0 and positive at 1, so *bisection*, halving an interval that
# contains a sign change, closes in on the root without using any derivative:


# %%
def f(x):
    return np.exp(x) - np.log(x)


def dfdx(x):
    return np.exp(x) - 1 / x


def d2fdx2(x):
    return np.exp(x) + 1 / x**2


low, high = 0.0, 1.0
for _ in range(60):
    middle = (low + high) / 2
    low, high = (middle, high) if middle * np.exp(middle) < 1 else (low, middle)
x_star = (low + high) / 2
print(f"x* = {x_star:.12f},  f(x*) = {f(x_star):.12f},  f'(x*) = {dfdx(x_star):.1e}")

# %% [markdown]
# ## The update rule
#
# Gradient descent starts from a guess $x_0$ and repeats one step:
#
# $$x_{k+1} = x_k - \alpha\, f'(x_k).$$
#
# The sign of $f'(x_k)$ says which way is uphill, so the step goes the other way. Its size is
# proportional to the slope: steps are long where $f$ is steep, and shrink by themselves as
# the slope flattens near the minimum. The constant $\alpha > 0$ is the **learning rate**.
# The whole method is three lines:

# %%
x = 1.6
for k in range(1, 6):
    x = x - 0.1 * dfdx(x)
    print(f"x_{k} = {x:.6f}   f'(x_{k}) = {dfdx(x):+.6f}")

# %% [markdown]
# [`gradient_descent`](../../reference/optimize/#calcml.optimize.gradient_descent) runs the same
# loop and keeps the whole path $x_0, x_1, \dots$, the values of $f$ along it, and whether it
# met a stopping rule (more on that [below](#how-many-iterations-stopping-rules)). Its iterates
# are exactly the ones above:

# %%
result = gradient_descent(dfdx, 1.6, learning_rate=0.1, num_iterations=50, f=f)
print(result.path[1:6])
print(f"after {result.num_iterations} iterations: x = {result.x:.12f}")
print(f"error |x - x*| = {abs(result.x - x_star):.1e}")

# %% [markdown]
# ### Watching the steps
#
# Each frame below adds one iterate, drawn on the curve at $(x_k, f(x_k))$. The first steps are
# long, because the curve is steep at $x_0 = 1.6$; then they shorten as the slope flattens. The
# ring marks the start.

# %%
animation = animate_path(f, result.path[:31], (0.15, 1.8), title="α = 0.1, ")
HTML(
    animation_to_html(
        animation,
        alt="Gradient descent on e^x - log x from x = 1.6 with learning rate 0.1: the iterates slide down the curve, with long steps at first and ever shorter ones as they close in on the minimum near x = 0.567.",
    )
)

# %% [markdown]
# ## The learning rate: crawl, converge, oscillate, diverge
#
# Near the minimum $f$ looks like a parabola with curvature $f''(x^*)$, and its derivative like
# the line $f'(x) \approx f''(x^*)(x - x^*)$. One step then multiplies the distance to the
# minimum by the same factor every time:
#
# $$x_{k+1} - x^* \approx \bigl(1 - \alpha f''(x^*)\bigr)(x_k - x^*).$$
#
# So the learning rate has three thresholds. For $\alpha < 1/f''(x^*)$ the factor is between 0
# and 1: every step goes straight towards $x^*$, slowly if $\alpha$ is small. For
# $1/f''(x^*) < \alpha < 2/f''(x^*)$ it is between $-1$ and 0: each step overshoots, and the
# iterates jump from side to side while closing in. Beyond $2/f''(x^*)$ the jumps grow. For
# our function:

# %%
curvature = d2fdx2(x_star)
print(f"f''(x*) = {curvature:.4f}:  1/f'' = {1 / curvature:.4f},  2/f'' = {2 / curvature:.4f}")
print(f"further out the curve bends more sharply: f''(0.3) = {d2fdx2(0.3):.1f}")

# %% [markdown]
# Four learning rates from the same start, on one figure. When a run fails,
# [`DivergenceError`](../../reference/optimize/#calcml.optimize.DivergenceError) says where, and
# carries the path up to there (`err.path`), so we can still draw it:

# %% alt="Left: four gradient descent paths on the curve e^x - log x from x = 1: learning rate 0.005 creeps a short way down, 0.1 slides to the minimum, 0.3 jumps from side to side while closing in, 0.4 jumps further and further out. Right: x_k against k for the four runs: 0.005 barely moves, 0.1 settles within about 10 steps, 0.3 zigzags around 0.567 before settling, and 0.4 zigzags with growing amplitude until it stops at iteration 8."
rates = {0.005: "crawls", 0.1: "converges", 0.3: "oscillates", 0.4: "diverges"}
fig, (ax_curve, ax_iterates) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for i, (learning_rate, behaviour) in enumerate(rates.items()):
    try:
        path = gradient_descent(dfdx, 1.0, learning_rate, 30, f=f).path
    except DivergenceError as err:
        print(err)
        path = err.path
    label = f"α = {learning_rate}: {behaviour}"
    plot_path_on_curve(f, path, ax=ax_curve, x_range=(0.2, 1.5), curve=i == 0, label=label)
    ax_iterates.plot(path, "o-", markersize=3, label=label)
ax_curve.set(xlabel="x", ylabel="f(x)", xlim=(0, 1.6), ylim=(2.2, 4.2), title="Paths on the curve")
ax_iterates.axhline(x_star, color="0.5", linestyle=":", label="x*")
ax_iterates.set(xlabel="iteration k", ylabel="$x_k$", title="Iterates")
ax_curve.legend()
ax_iterates.legend()
plt.show()

# %% [markdown]
# - $\alpha = 0.005$ **crawls**: after 30 iterations it has covered less than half the way.
# - $\alpha = 0.1 < 1/f''(x^*)$ **converges** steadily from one side.
# - $\alpha = 0.3$, between $1/f''(x^*)$ and $2/f''(x^*)$, **oscillates** around $x^*$ and
#   still converges.
# - $\alpha = 0.4$ **diverges**, though it is just below $2/f''(x^*)$: the thresholds hold
#   near $x^*$, and further out the curve bends more sharply (see $f''(0.3)$ above), so
#   there the overshoot grows. Here *diverging* means jumping out of the domain $x > 0$ of
#   $\log x$; without the check, the run would carry on at negative $x$, where $f$ is not
#   even defined. Elsewhere it means iterates that grow without bound, or become infinite or
#   NaN; `gradient_descent` raises the same error then.
#
# In practice the curvature is unknown, so the learning rate is found by trying: a common
# first sweep is 0.001, 0.01, 0.1, keeping the largest that converges. To see the whole
# picture, here is the number of iterations to reach $|f'(x)| \le 10^{-8}$, for 200 learning
# rates:

# %% alt="Iterations needed to reach |f'(x)| at most 1e-8, against the learning rate on a log scale from 0.001 to 0.45: the count falls from thousands at 0.001 to a minimum of a few iterations near 1/f''(x*) = 0.205, rises again towards 2/f''(x*) = 0.41, and runs diverge from about 0.4 on, marked by crosses along the top."
learning_rates = np.geomspace(0.001, 0.45, 200)
iterations, diverged = [], []
for learning_rate in learning_rates:
    try:
        run = gradient_descent(dfdx, 1.0, learning_rate, 20_000, tol=1e-8, f=f)
        iterations.append(run.num_iterations if run.converged else np.nan)
        diverged.append(False)
    except DivergenceError:
        iterations.append(np.nan)
        diverged.append(True)
iterations, diverged = np.array(iterations), np.array(diverged)

fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
ax.loglog(learning_rates, iterations, ".-", label="converged")
ax.plot(
    learning_rates[diverged], np.full(diverged.sum(), 2e4), "x", color="tab:red", label="diverged"
)
for threshold, name in [(1 / curvature, "1/f''(x*)"), (2 / curvature, "2/f''(x*)")]:
    ax.axvline(threshold, color="0.5", linestyle=":")
    ax.annotate(name, (threshold, 1e3), rotation=90, ha="right", fontsize=9)
ax.set(xlabel="learning rate α", ylabel="iterations to |f'(x)| ≤ 1e-8")
ax.legend(loc="lower left")
plt.show()

# %%
best = learning_rates[np.nanargmin(iterations)]
print(f"fewest iterations: {np.nanmin(iterations):.0f}, at α = {best:.3f}")
print(f"smallest learning rate that diverged: α = {learning_rates[diverged].min():.3f}")
print(f"at α = 0.001: {iterations[0]:.0f} iterations")

# %% [markdown]
# The count is lowest near $\alpha = 1/f''(x^*)$, where the factor $1 - \alpha f''(x^*)$ is
# zero, and climbs on either side: on the left because the steps are short, on the right
# because they overshoot. The safe side is the left one: a learning rate a little too small
# costs time, a little too large costs the run.
#
# ## How many iterations? Stopping rules
#
# A run needs a rule to stop. Three are common, and `gradient_descent` offers the first two:
#
# 1. **A budget**: stop after `num_iterations` steps, converged or not.
# 2. **A small gradient**: stop when $|f'(x_k)| \le$ `tol`. At a minimum the derivative is
#    zero, and near one $|x_k - x^*| \approx |f'(x_k)| / f''(x^*)$, so `tol` bounds the error
#    too. `result.converged` says whether this happened.
# 3. **A small step** $|x_{k+1} - x_k|$, or a small change in $f$. These are fooled by a small
#    learning rate, since the step is $\alpha |f'(x_k)|$: with $\alpha = 0.001$ the very first
#    step is short, though $x_0$ is far from the minimum.
#
# The gradient rule, checked against the true error:

# %%
print(" tol     iterations   |f'(x)|    |x - x*|   |f'(x)|/f''(x*)")
for tol in [1e-2, 1e-4, 1e-6, 1e-8, 1e-10]:
    run = gradient_descent(dfdx, 1.0, 0.1, 10_000, tol=tol)
    gap = abs(dfdx(run.x))
    print(
        f"{tol:.0e} {run.num_iterations:8d}    {gap:9.1e}  {abs(run.x - x_star):9.1e}  {gap / curvature:9.1e}"
    )

crawl = gradient_descent(dfdx, 1.0, 0.001, 1)
print(
    f"\nα = 0.001: first step {abs(crawl.path[1] - crawl.path[0]):.1e} long, "
    f"{abs(crawl.path[1] - x_star):.2f} from x*"
)

# %% [markdown]
# Every factor of 100 in `tol` costs the same number of extra iterations: the error shrinks by
# the same factor $|1 - \alpha f''(x^*)|$ at every step (*linear convergence*). The cost
# $f(x_k) - f(x^*)$ on a log scale makes that visible as a straight line; its slope is
# $(1 - \alpha f''(x^*))^2$ per step, since the cost near a minimum grows with the square of
# the distance:

# %% alt="f(x_k) - f(x*) against iteration k on a log scale, for learning rates 0.1 and 0.3: both fall along straight lines, the 0.3 one a little more steeply, and stop near 1e-16, where f(x_k) and f(x*) agree to every digit."
fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
for learning_rate in [0.1, 0.3]:
    run = gradient_descent(dfdx, 1.0, learning_rate, 60, f=f)
    gaps = run.values - f(x_star)
    last = np.argmax(gaps <= 0) if np.any(gaps <= 0) else len(gaps)  # rounding level reached
    plot_cost_history(gaps[:last], ax=ax, label=f"α = {learning_rate}", marker=".")
    ratios = gaps[6:12] / gaps[5:11]
    predicted = (1 - learning_rate * curvature) ** 2
    print(
        f"α = {learning_rate}: cost ratio per step {ratios.mean():.4f}, predicted {predicted:.4f}"
    )
ax.set_ylabel("f(x_k) − f(x*)")
ax.legend()
plt.show()

# %% [markdown]
# Near $10^{-16}$ the lines stop: there $f(x_k)$ and $f(x^*)$ agree to every digit float64
# has, and the difference is zero. No stopping rule can ask for more.
#
# ## A function with several minima
#
# Most functions have more than one minimum. To know where they are exactly, we build one
# from its derivative: $f'(x) = \tfrac14 (x+2)(x+1)(x-\tfrac12)(x-\tfrac32)(x-\tfrac52)$ is zero
# at five points, and changes sign from $-$ to $+$ (a minimum) at $-2$, $\tfrac12$ and
# $\tfrac52$, and from $+$ to $-$ (a maximum) at $-1$ and $\tfrac32$. NumPy's `Polynomial`
# integrates it into $f$, and evaluates both on arrays:

# %%
from numpy.polynomial import Polynomial

dgdx = Polynomial.fromroots([-2, -1, 0.5, 1.5, 2.5]) / 4
g = dgdx.integ()
minima = np.array([-2.0, 0.5, 2.5])
for m in minima:
    print(f"minimum at x = {m:+.1f}: g = {g(m):+.4f},  g'' = {dgdx.deriv()(m):.3f}")

# %% [markdown]
# The minimum at $x = 2.5$ is the lowest, the **global** minimum; the other two are **local**
# minima, lowest only among their neighbours. Gradient descent only knows the slope where it
# stands, so it rolls into whichever valley it starts in:

# %% alt="The curve g with three valleys at x = -2, 0.5 and 2.5 and hills at -1 and 1.5; six gradient descent paths with learning rate 0.05 start at -2.3, -0.8, 0.2, 1.2, 1.8 and 2.9 and each slides into the valley it starts in."
starts = [-2.3, -0.8, 0.2, 1.2, 1.8, 2.9]
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
for i, x0 in enumerate(starts):
    run = gradient_descent(dgdx, x0, 0.05, 500, tol=1e-8)
    reached = minima[np.argmin(abs(minima - run.x))]
    label = f"x0 = {x0} → {reached:+.1f} ({run.num_iterations} iterations)"
    plot_path_on_curve(g, run.path, ax=ax, x_range=(-2.5, 3.05), curve=i == 0, label=label)
ax.set(xlabel="x", ylabel="g(x)", title="Which minimum depends on where you start (α = 0.05)")
ax.legend(fontsize=8, loc="upper center")
plt.show()

# %% [markdown]
# With a small enough learning rate, the valleys' borders are the maxima: every start between
# $-1$ and $\tfrac32$ ends at $\tfrac12$. A map of 271 starts confirms it. Starting *exactly*
# on a maximum is a trap of its own: there $g'(x) = 0$, so the run stops at once and reports
# `converged=True`. A zero derivative means a stationary point, not a minimum.

# %%
grid = np.linspace(-2.5, 3.0, 271)
reached = np.array([gradient_descent(dgdx, x0, 0.05, 2000, tol=1e-8).x for x0 in grid])
nearest = minima[np.argmin(abs(reached[:, None] - minima), axis=1)]
for m in minima:
    print(
        f"to {m:+.1f}: starts from {grid[nearest == m].min():+.3f} to {grid[nearest == m].max():+.3f}"
    )
on_top = gradient_descent(dgdx, 1.5, 0.05, 100, tol=1e-8)
print(
    f"from the maximum at 1.5: x = {on_top.x}, converged = {on_top.converged} "
    f"after {on_top.num_iterations} iterations"
)

# %% [markdown]
# A large learning rate breaks that map: a long step can jump over a hill into another valley.
# From $x_0 = 2.9$, on the steep outer wall, a learning rate of 0.25 leaps over the hill at
# $\tfrac32$ and leaves the global minimum for a local one:

# %%
for learning_rate in [0.05, 0.25]:
    run = gradient_descent(dgdx, 2.9, learning_rate, 500, tol=1e-8)
    print(f"α = {learning_rate}: first step to {run.path[1]:+.3f}, ends at {run.x:+.4f}")

# %% [markdown]
# ## The same loop, compiled with JAX
#
# The loop above leaves Python's interpreter at every step. JAX can compile the whole loop
# into one `lax.scan`, which runs the same iterates without returning to Python in between:
# [`gradient_descent_jax`](../../reference/optimize/#calcml.optimize.gradient_descent_jax)
# takes a derivative written with `jax.numpy` and computes in float32, so its iterates agree
# with the float64 ones to about 7 digits. It compiles once per derivative and number of
# iterations, and a new start or learning rate reuses the compiled loop. How much faster it is
# depends on the number of iterations per call; the
# [Benchmarks](../../reference/benchmarks/) page times both.

# %%
import jax.numpy as jnp


def dfdx_jax(x):
    return jnp.exp(x) - 1 / x


compiled = gradient_descent_jax(dfdx_jax, 1.6, learning_rate=0.1, num_iterations=50)
print(
    f"dtype {compiled.path.dtype}, largest relative difference from NumPy: "
    f"{np.max(abs(compiled.path - result.path) / result.path):.1e}"
)

# %% [markdown]
# ## Summary
#
# - Gradient descent repeats $x \leftarrow x - \alpha f'(x)$: downhill, with steps that shrink
#   as the slope flattens.
# - Near a minimum each step multiplies the error by $1 - \alpha f''(x^*)$: a small $\alpha$
#   crawls, $\alpha < 1/f''(x^*)$ converges from one side, up to $2/f''(x^*)$ it oscillates
#   while converging, and beyond that it diverges. Far from the minimum the curvature, and so
#   the safe range, can differ.
# - Stop on a small gradient, $|f'(x)| \le$ `tol`, which also bounds the error; a small step
#   can simply mean a small learning rate. Keep a budget of iterations too.
# - The convergence is linear: each extra digit costs the same number of iterations.
# - With several minima, the start decides which one you reach, and a long step can jump to
#   another valley. A zero derivative can also be a maximum.
#
# ## Exercises
#
# 1. For $f(x) = x^2$, which learning rates converge, which oscillate, and which one finds the
#    minimum in a single step? Check with `gradient_descent`.
# 2. Write a stopping rule on the step size, $|x_{k+1} - x_k| \le 10^{-6}$, and find a
#    learning rate for which it stops $e^x - \log x$ far from its minimum.
# 3. The learning-rate map above starts at $x_0 = 1$. Does the smallest learning rate that
#    diverges change if you start at $x_0 = 0.6$, next to the minimum? Why?
#
# <details><summary>Solutions</summary>
#
# 1. $f'(x) = 2x$, so a step maps $x$ to $(1 - 2\alpha)x$. It converges for
#    $0 < \alpha < 1$, from one side for $\alpha < \tfrac12$ and oscillating for
#    $\tfrac12 < \alpha < 1$; $\alpha = \tfrac12$ lands on 0 in one step, and $\alpha \ge 1$
#    never converges ($\alpha = 1$ jumps between $x_0$ and $-x_0$ for ever). Here $f''$ is
#    the same everywhere, so the thresholds $1/f''$ and $2/f''$ hold exactly.
#    `gradient_descent(lambda x: 2 * x, 1.0, 0.5, 1).x` is `0.0`.
# 2. Since $|x_{k+1} - x_k| = \alpha |f'(x_k)|$, any $\alpha$ with
#    $\alpha |f'(x_0)| \le 10^{-6}$ stops at once: from $x_0 = 1$, where
#    $f'(1) = e - 1 \approx 1.72$, $\alpha = 10^{-7}$ stops after one step, 0.43 away from
#    $x^*$.
# 3. Yes, it rises towards $2/f''(x^*) \approx 0.41$: from $x_0 = 0.6$ the iterates stay where
#    the local picture holds, while from $x_0 = 1$ the first overshoot lands near $x = 0.3$,
#    where $f''$ is much larger and the overshoot grows.
#
# </details>
