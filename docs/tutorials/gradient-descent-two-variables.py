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
# # Gradient descent in two variables
#
# **What you will learn**: gradient descent on surfaces $z = f(x, y)$, where the derivative
# becomes the gradient and a step can zigzag; how the shape of a valley limits the learning
# rate; which minimum you reach from which start when there are several; how Newton's method
# compares, in iterations and in cost; and the advantages and limits of gradient descent.
#
# **What you need**: the tutorial [Gradient descent in one variable](../gradient-descent-one-variable/),
# the lesson [Partial derivatives and gradients](../../lessons/gradients/), and `calcml` installed.

# %%
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML

from calcml import (
    DivergenceError,
    animate_path,
    animation_to_html,
    gradient,
    gradient_descent,
    gradient_descent_jax,
    newton_method,
    plot_contour,
    plot_path_on_contour,
    plot_path_on_surface,
)

# %% [markdown]
# ## One minimum: an elongated bowl
#
# In two variables the update is the same, with the gradient
# $\nabla f = (\partial f / \partial x, \partial f / \partial y)$ in place of $f'$:
#
# $$\mathbf{x}_{k+1} = \mathbf{x}_k - \alpha\, \nabla f(\mathbf{x}_k).$$
#
# The gradient points straight uphill, across the contour lines, so each step crosses the
# contour it starts on at a right angle. Our first surface is the quadratic
#
# $$f(\mathbf{x}) = \tfrac12 \mathbf{x}^\top A \mathbf{x} - \mathbf{b}^\top \mathbf{x},
# \qquad A = \begin{pmatrix} 3 & 2 \\ 2 & 6 \end{pmatrix},\quad
# \mathbf{b} = \begin{pmatrix} 1 \\ -2 \end{pmatrix},$$
#
# an elongated bowl with gradient $A\mathbf{x} - \mathbf{b}$. Its minimum solves
# $A\mathbf{x} = \mathbf{b}$, which NumPy does exactly, to check gradient descent against.

# %%
A = np.array([[3.0, 2.0], [2.0, 6.0]])
b = np.array([1.0, -2.0])


def bowl(x, y):
    return 0.5 * (A[0, 0] * x**2 + 2 * A[0, 1] * x * y + A[1, 1] * y**2) - b[0] * x - b[1] * y


def bowl_gradient(p):
    return A @ p - b


x_star = np.linalg.solve(A, b)
run = gradient_descent(bowl_gradient, [-2.0, 2.0], learning_rate=0.1, num_iterations=1000, tol=1e-8)
print(f"solve:            {x_star}")
print(f"gradient descent: {run.x}  after {run.num_iterations} iterations")
print(f"largest error:    {np.max(abs(run.x - x_star)):.1e}")

# %% alt="Left: contour lines of the elongated bowl, tilted ellipses around the minimum at (0.71, -0.57), with the gradient descent path from (-2, 2) drawn as points joined by arrows; it first runs steeply down across the contours, then curves along the long axis of the ellipses to the centre. Right: the same path on the 3D surface of the bowl."
fig = plt.figure(figsize=(11, 4.5), layout="constrained")
ax = fig.add_subplot(1, 2, 1)
plot_path_on_contour(bowl, run.path[:40], (-2.5, 2.5), (-2, 2.5), ax=ax, levels=15, color="tab:red")
ax.set(xlabel="x", ylabel="y", title="Contours and the path (α = 0.1)")
ax3d = fig.add_subplot(1, 2, 2, projection="3d", computed_zorder=False)
plot_path_on_surface(bowl, run.path[:40], (-2.5, 2.5), (-2, 2.5), ax=ax3d, num_points=40)
ax3d.set_title("The same path on the surface")
ax3d.view_init(elev=35, azim=-60)
plt.show()

# %% [markdown]
# The path first heads across the contours, down the steep walls of the bowl, and then turns
# along the valley floor: the gradient is steep across the valley and shallow along it.
#
# ## The steps, one by one
#
# A larger learning rate, 0.25, makes the zigzag plain. Across the valley, where the bowl is
# steepest, each step overshoots the valley floor and lands on the opposite wall; the
# overshoot shrinks only slowly, while the path closes in on the minimum.

# %%
zigzag = gradient_descent(bowl_gradient, [-2.0, 2.0], learning_rate=0.25, num_iterations=40)
animation = animate_path(bowl, zigzag.path, (-2.5, 2.5), (-2, 2.5), levels=15, title="α = 0.25, ")
HTML(
    animation_to_html(
        animation,
        alt="Animation of gradient descent on the elongated bowl from (-2, 2) with learning rate 0.25: each step crosses the valley and lands on the opposite wall, so the path zigzags from side to side, the zigzags shrinking as it closes in on the minimum at (0.71, -0.57).",
    )
)

# %% [markdown]
# ## Tuning the learning rate
#
# On a quadratic the picture of the one-variable tutorial holds exactly, one direction at a
# time. Along each eigenvector of $A$, a step multiplies the distance to the minimum by
# $1 - \alpha\lambda_i$, where $\lambda_i$ is the eigenvalue: the curvature in that direction.
# Every factor must be below 1 in size, so $\alpha < 2/\lambda_{\max}$: the steepest direction
# sets the limit. The shallowest direction then sets the pace. The best fixed learning rate
# balances the two, $\alpha^* = 2/(\lambda_{\min} + \lambda_{\max})$, and still leaves a factor
# $(\kappa - 1)/(\kappa + 1)$ per step, where $\kappa = \lambda_{\max}/\lambda_{\min}$ is the
# *condition number*: the more elongated the bowl, the slower the descent.

# %%
eigenvalues = np.linalg.eigvalsh(A)
kappa = eigenvalues[-1] / eigenvalues[0]
best_rate = 2 / (eigenvalues[0] + eigenvalues[-1])
print(f"eigenvalues {eigenvalues}, condition number κ = {kappa:.2f}")
print(f"diverges beyond α = 2/λmax = {2 / eigenvalues[-1]:.4f}; best α* = {best_rate:.4f}")
print(f"predicted factor per step at α*: (κ-1)/(κ+1) = {(kappa - 1) / (kappa + 1):.4f}")
best = gradient_descent(bowl_gradient, [-2.0, 2.0], best_rate, 1000, tol=1e-8)
errors = np.linalg.norm(best.path - x_star, axis=1)
print(f"measured factor per step at α*: {np.median(errors[1:20] / errors[:19]):.4f}")

# %% alt="Left: contours of the bowl with three paths from (-2, 2): learning rate 0.05 creeps along a smooth curve, the best rate 0.22 reaches the minimum in few steps, and 0.28 zigzags widely across the valley. Right: iterations to reach a gradient of at most 1e-8 against the learning rate: the count falls to a minimum at 2/(λmin + λmax) = 0.22 and shoots up towards 2/λmax = 0.286, beyond which runs diverge."
fig, (ax, ax_count) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
plot_contour(bowl, (-2.5, 2.5), (-2, 2.5), ax=ax, levels=15)
for learning_rate, color in [(0.05, "tab:blue"), (best_rate, "tab:green"), (0.28, "tab:red")]:
    path = gradient_descent(bowl_gradient, [-2.0, 2.0], learning_rate, 25).path
    plot_path_on_contour(
        bowl, path, ax=ax, contour=False, color=color, label=f"α = {learning_rate:.2f}"
    )
ax.set(xlabel="x", ylabel="y", title="25 steps at three learning rates")
ax.legend(loc="upper right")

learning_rates = np.linspace(0.01, 0.3, 146)
counts = []
for learning_rate in learning_rates:
    try:
        run = gradient_descent(bowl_gradient, [-2.0, 2.0], learning_rate, 5000, tol=1e-8)
        counts.append(run.num_iterations)
    except DivergenceError:  # beyond 2/λmax
        counts.append(np.nan)
ax_count.semilogy(learning_rates, counts, ".-")
for threshold, name in [(best_rate, "2/(λmin+λmax)"), (2 / eigenvalues[-1], "2/λmax")]:
    ax_count.axvline(threshold, color="0.5", linestyle=":")
    ax_count.annotate(name, (threshold, 300), rotation=90, ha="right", fontsize=9)
ax_count.set(xlabel="learning rate α", ylabel="iterations to |∇f| ≤ 1e-8", title="Tuning")
plt.show()

# %% [markdown]
# Tuning in practice follows the same shape without knowing the eigenvalues: try a few
# learning rates a factor of 3 to 10 apart, keep the largest that converges smoothly, and
# watch the cost fall. Rescaling the inputs so that the valley is round (normalising, as the
# perceptron tutorials do) lowers $\kappa$ and speeds every learning rate up.
#
# ## Several minima: Himmelblau's function
#
# $$f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2$$
#
# is a classic test surface with four minima, all at height 0, a maximum and four saddle
# points. Its gradient by the chain rule,
#
# $$\nabla f = \bigl(4x(x^2 + y - 11) + 2(x + y^2 - 7),\; 2(x^2 + y - 11) + 4y(x + y^2 - 7)\bigr),$$
#
# agrees with JAX's automatic one:


# %%
def himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def himmelblau_gradient(p):
    x, y = p[0], p[1]
    u, v = x**2 + y - 11, x + y**2 - 7
    return 4 * x * u + 2 * v, 2 * u + 4 * y * v


def himmelblau_hessian(p):
    x, y = p
    return np.array([[12 * x**2 + 4 * y - 42, 4 * (x + y)], [4 * (x + y), 12 * y**2 + 4 * x - 26]])


def himmelblau_grad(p):  # NumPy array out, for gradient_descent
    return np.array(himmelblau_gradient(p))


point = np.array([1.0, -0.5])
automatic = gradient(lambda p: himmelblau(p[0], p[1]), point)
print(f"by hand {himmelblau_grad(point)}, by JAX {automatic}")

# %% [markdown]
# Gradient descent from six starts, drawn on the contours and on the surface. Each path
# rolls into the nearest valley, and which one that is depends only on the start:

# %% alt="Left: contours of Himmelblau's function, with its four minima near (3, 2), (-2.8, 3.1), (-3.8, -3.3) and (3.6, -1.8); six gradient descent paths from starts around the plot each end in one of the four minima. Right: the same six paths on the 3D surface, which has four dips at height 0 and a bump in the middle."
starts = [[0.0, 0.0], [-1.0, 1.0], [-4.5, 0.5], [-1.0, -4.5], [4.5, -4.0], [2.0, 4.5]]
levels = [1, 5, 20, 50, 100, 150, 200, 300, 450, 600]
fig = plt.figure(figsize=(11, 4.8), layout="constrained")
ax = fig.add_subplot(1, 2, 1)
ax3d = fig.add_subplot(1, 2, 2, projection="3d", computed_zorder=False)
plot_contour(himmelblau, (-5, 5), (-5, 5), ax=ax, levels=levels)
for i, x0 in enumerate(starts):
    run = gradient_descent(himmelblau_grad, x0, 0.01, 2000, tol=1e-8)
    color = f"C{i}"
    plot_path_on_contour(himmelblau, run.path, ax=ax, contour=False, color=color, markersize=2)
    plot_path_on_surface(
        himmelblau, run.path, (-5, 5), (-5, 5), ax=ax3d, surface=i == 0, color=color, num_points=40
    )
    print(f"from {x0} to ({run.x[0]:+.4f}, {run.x[1]:+.4f}) in {run.num_iterations} iterations")
ax.set(xlabel="x", ylabel="y", title="Six starts (α = 0.01)")
ax3d.set_zlim(0, 700)
ax3d.view_init(elev=40, azim=-110)
plt.show()

# %% [markdown]
# ### Which minimum from which start
#
# To map the valleys' borders, run gradient descent from a grid of 61 × 61 starts and colour
# each start by the minimum it reaches. That is 3,721 runs of the same loop:
# [`gradient_descent_jax`](../../reference/optimize/#calcml.optimize.gradient_descent_jax)
# compiles it once, for this gradient and this number of iterations, and every start reuses the
# compiled loop. It computes in float32, ample to tell four minima apart.


# %%
def himmelblau_gradient_jax(p):
    return jnp.stack(himmelblau_gradient(p))


# The four minima, each found by gradient descent and polished by Newton's method.
minima = []
for x0 in [[3.0, 2.0], [-3.0, 3.0], [-4.0, -3.0], [3.5, -2.0]]:
    rough = gradient_descent(himmelblau_grad, x0, 0.01, 500).x
    minima.append(newton_method(himmelblau_grad, himmelblau_hessian, rough, 20, tol=1e-12).x)
minima = np.array(minima)

grid = np.linspace(-5, 5, 61)
ends = np.array(
    [
        gradient_descent_jax(himmelblau_gradient_jax, [x0, y0], 0.01, 300).x
        for y0 in grid
        for x0 in grid
    ]
)
basin = np.argmin(np.linalg.norm(ends[:, None, :] - minima[None], axis=2), axis=1)
print("minima:\n", minima.round(6))
print("starts per minimum:", np.bincount(basin, minlength=4))
distances = np.linalg.norm(ends - minima[basin], axis=1)
print(f"largest distance from an end to its minimum: {distances.max():.1e}")

# same loop, same steps: NumPy (float64) against JAX (float32) from one start
numpy_run = gradient_descent(himmelblau_grad, [0.0, 0.0], 0.01, 300)
jax_run = gradient_descent_jax(himmelblau_gradient_jax, [0.0, 0.0], 0.01, 300)
print(f"NumPy and JAX paths differ by at most {np.max(abs(numpy_run.path - jax_run.path)):.1e}")

# %% alt="A map of the square from -5 to 5 in x and y, coloured in four regions by the minimum that gradient descent reaches from each start, with the contours of Himmelblau's function on top and the four minima marked by stars. Each region is roughly the quarter of the square around its minimum; the borders run close to the lines x = 0 and y = 0, bending and stepping a little away from them."
fig, ax = plt.subplots(figsize=(6, 5.2), layout="constrained")
colors = plt.matplotlib.colors.ListedColormap(["#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6"])
ax.pcolormesh(grid, grid, basin.reshape(61, 61), cmap=colors, shading="nearest")
plot_contour(himmelblau, (-5, 5), (-5, 5), ax=ax, levels=levels, colors="0.3", linewidths=0.6)
ax.plot(minima[:, 0], minima[:, 1], "*", color="black", markersize=12)
ax.set(xlabel="$x_0$", ylabel="$y_0$", title="The minimum reached from each start")
plt.show()

# %% [markdown]
# ## Newton's method
#
# Gradient descent uses the slope only, and needs a learning rate. Newton's method also uses
# the curvature: it fits a parabola (a quadratic bowl, in several variables) to $f$ at
# $\mathbf{x}_k$ and jumps to its minimum. With the Hessian $H$, the matrix of second partial
# derivatives, the step solves a linear system:
#
# $$H(\mathbf{x}_k)\, \mathbf{s}_k = \nabla f(\mathbf{x}_k), \qquad
# \mathbf{x}_{k+1} = \mathbf{x}_k - \mathbf{s}_k.$$
#
# On a quadratic the fitted bowl is the function itself, so one step is exact. Near any
# minimum the number of correct digits roughly doubles at every step. The table counts the
# iterations to $\lVert \nabla f \rVert \le 10^{-8}$ on our surfaces, the one-variable
# $e^x - \log x$, and the Rosenbrock function
# $(1 - x)^2 + 100(y - x^2)^2$, whose minimum at $(1, 1)$ lies in a long, narrow, curved valley.


# %%
def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_gradient(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def rosenbrock_hessian(p):
    x, y = p
    return np.array([[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200.0]])


problems = {
    "e^x - log x": (lambda x: np.exp(x) - 1 / x, lambda x: np.exp(x) + 1 / x**2, 1.6, 0.1),
    "bowl": (bowl_gradient, lambda p: A, [-2.0, 2.0], best_rate),
    "Himmelblau": (himmelblau_grad, himmelblau_hessian, [4.0, 4.0], 0.01),
    "Rosenbrock": (rosenbrock_gradient, rosenbrock_hessian, [-1.2, 1.0], 0.001),
}
runs = {}
table = [f"{'function':<12} {'start':>12} {'α':>7} {'gradient descent':>17} {'Newton':>7}"]
for name, (dfdx, hessian, x0, learning_rate) in problems.items():
    descent = gradient_descent(dfdx, x0, learning_rate, 100_000, tol=1e-8)
    newton = newton_method(dfdx, hessian, x0, 100, tol=1e-8)
    assert descent.converged and newton.converged
    assert np.allclose(descent.x, newton.x, atol=1e-7)  # the same minimum
    runs[name] = descent, newton
    counts = f"{descent.num_iterations:17,d} {newton.num_iterations:7d}"
    table.append(f"{name:<12} {str(x0):>12} {learning_rate:7.3f} {counts}")
print("\n".join(table))

# %% alt="Contours of the Rosenbrock function, a curved banana-shaped valley, with two paths from (-1.2, 1) to the minimum at (1, 1): gradient descent, drawn every 500th iterate, falls into the valley floor and then crawls along the curve of the valley; Newton's method reaches the minimum in six jumps, one of which leaves the plotted area below and comes back."
descent, newton = runs["Rosenbrock"]
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
rosenbrock_levels = np.geomspace(0.05, 600, 12)
plot_contour(rosenbrock, (-2, 2), (-1.2, 3), ax=ax, levels=rosenbrock_levels)
plot_path_on_contour(
    rosenbrock,
    descent.path[::500],
    ax=ax,
    contour=False,
    color="tab:red",
    label=f"gradient descent, every 500th of {descent.num_iterations:,} iterates",
    markersize=3,
)
plot_path_on_contour(
    rosenbrock,
    newton.path,
    ax=ax,
    contour=False,
    color="black",
    label=f"Newton, all {newton.num_iterations} iterates",
)
ax.set(
    xlabel="x",
    ylabel="y",
    xlim=(-2, 2),
    ylim=(-1.2, 3),
    title="Rosenbrock: a narrow, curved valley",
)
ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# Newton's method wins every row by far in iterations. But it has costs and a catch of its own:
#
# - **Cost per step.** For $n$ parameters the Hessian has $n^2$ entries and the solve takes
#   about $n^3/3$ operations, against $n$ numbers and one backward pass for the gradient. A
#   model with a million weights would need:

# %%
n = 10**6
print(
    f"gradient: {n * 8 / 1e6:.0f} MB;  Hessian: {n**2 * 8 / 1e12:.0f} TB;  "
    f"solve: about {n**3 / 3:.0e} operations per step"
)

# %% [markdown]
# - **It seeks $\nabla f = 0$, not a minimum.** Where $H$ is not positive definite, the fitted
#   surface is not a bowl, and the "jump to its minimum" goes to a maximum or a saddle instead.
#   On Himmelblau's function, from four starts:

# %%
for x0 in [[0.0, 0.0], [-1.0, -1.0], [0.0, 2.5], [3.5, 0.0]]:
    end = newton_method(himmelblau_grad, himmelblau_hessian, x0, 100, tol=1e-10).x
    curvatures = np.linalg.eigvalsh(himmelblau_hessian(end))
    kind = "minimum" if curvatures.min() > 0 else "maximum" if curvatures.max() < 0 else "saddle"
    print(
        f"from {x0}: ({end[0]:+.4f}, {end[1]:+.4f}), Hessian eigenvalues {curvatures.round(1)}: a {kind}"
    )

# %% [markdown]
# Practical second-order methods keep Newton's speed without those costs and traps: they
# approximate the Hessian from gradients (quasi-Newton methods such as L-BFGS), or limit each
# step (line searches, trust regions).
#
# ## Advantages and limits of gradient descent
#
# What this tutorial and the previous one showed:
#
# | | gradient descent |
# | --- | --- |
# | **needs** | only the gradient: one backward pass, about the cost of evaluating $f$ ([Differentiation in Python](../differentiation-three-ways/)) |
# | **memory per step** | $n$ numbers; Newton needs $n^2$ |
# | **simplicity** | one line, $\mathbf{x} \leftarrow \mathbf{x} - \alpha \nabla f$, that scales to millions of parameters and to noisy gradients from small batches of data |
# | **learning rate** | must be tuned: too small crawls, too large zigzags or diverges ([tuning](#tuning-the-learning-rate)) |
# | **elongated valleys** | the condition number sets the pace: tens of thousands of steps on Rosenbrock, against Newton's handful |
# | **several minima** | reaches the minimum of the valley it starts in, local or global ([basins](#which-minimum-from-which-start)) |
# | **stationary points** | $\nabla f = 0$ stops it anywhere, a maximum or a saddle included, though it almost never lands on one by chance |
#
# The last row, shown: started exactly on Himmelblau's maximum, gradient descent does not move
# and reports convergence; a nudge of $10^{-6}$ is enough to roll it off into a valley.

# %%
peak = newton_method(himmelblau_grad, himmelblau_hessian, [0.0, 0.0], 100, tol=1e-12).x
stuck = gradient_descent(himmelblau_grad, peak, 0.01, 2000, tol=1e-6)
nudged = gradient_descent(himmelblau_grad, peak + [1e-6, 0.0], 0.01, 2000, tol=1e-6)
print(
    f"from the maximum: stays at {stuck.x.round(4)}, converged={stuck.converged} after {stuck.num_iterations} iterations"
)
print(f"nudged:           ends at {nudged.x.round(4)} after {nudged.num_iterations} iterations")

# %% [markdown]
# ## Summary
#
# - In two (or $n$) variables gradient descent steps against the gradient, across the
#   contours at a right angle.
# - On a valley with curvatures $\lambda_{\min} \le \lambda_{\max}$, the learning rate must stay
#   below $2/\lambda_{\max}$, and the best one still shrinks the error by only
#   $(\kappa - 1)/(\kappa + 1)$ per step: elongated valleys are slow, and zigzag.
# - With several minima, the start decides the valley; the borders between basins can be
#   mapped, and a compiled loop makes thousands of runs cheap.
# - Newton's method uses curvature and converges in a few steps, but each costs $O(n^2)$ memory
#   and $O(n^3)$ time, and it heads for maxima and saddles as readily as for minima.
#
# ## Exercises
#
# 1. Replace $A$ by $\begin{pmatrix} 3 & 0 \\ 0 & 30 \end{pmatrix}$. Predict the largest
#    learning rate that converges and the best one, then check with `gradient_descent`.
# 2. On Rosenbrock, $\alpha = 0.001$ converges. Does $\alpha = 0.002$, twice as fast? Run it
#    for 100,000 steps, plot the last hundred iterates, and explain with the Hessian at the
#    minimum $(1, 1)$.
# 3. Newton's method on the bowl converged in one iteration. Show that this holds from any
#    start.
#
# <details><summary>Solutions</summary>
#
# 1. The eigenvalues are 3 and 30 (a diagonal matrix), so it diverges beyond
#    $2/30 \approx 0.067$ and the best rate is $2/33 \approx 0.061$, with a factor
#    $27/33 \approx 0.82$ per step: the condition number 10 makes it slower than our bowl.
# 2. It does not converge: the last iterates jump back and forth across the valley.
#    `np.linalg.eigvalsh(rosenbrock_hessian([1, 1]))` gives curvatures of about 0.4 along the
#    valley and 1002 across it, so near the minimum the largest safe rate is
#    $2/\lambda_{\max}$, just below 0.002. At 0.002 the distance across the valley no longer
#    shrinks, while the one along it shrinks by a factor of only about $1 - 0.002 \cdot 0.4$
#    per step.
# 3. For $f = \frac12 \mathbf{x}^\top A \mathbf{x} - \mathbf{b}^\top \mathbf{x}$, $H = A$
#    and $\nabla f = A\mathbf{x}_0 - \mathbf{b}$, so
#    $\mathbf{x}_1 = \mathbf{x}_0 - A^{-1}(A\mathbf{x}_0 - \mathbf{b}) = A^{-1}\mathbf{b}$,
#    the minimum, whatever $\mathbf{x}_0$.
#
# </details>
