# ---
# jupyter:
#   calcml:
#     run_alone: true
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Benchmarks
#
# How fast is each way to differentiate: symbolic (SymPy), numerical (NumPy) and automatic
# (JAX)? This page times them in the build of this site, on the machine that built it. Every
# number below, and every word that compares two of them ("faster", "slower", "within the
# bound"), is computed by the code on the page: rebuild it elsewhere and the words follow the
# numbers.
#
# **What you will learn**: why the first call of a compiled function is timed apart; when
# automatic differentiation wins and when it does not; and why a gradient by reverse mode costs
# a few evaluations of $f$ while finite differences cost $2n$.
#
# **What you need**: the [gradients lesson](../../lessons/gradients/) and the
# [`gradient`](../gradients/#calcml.gradients.gradient) function. The harness is
# [`calcml.bench`](../bench/), the suites [`calcml.bench_suites`](../bench_suites/) and the
# tables and figure [`calcml.bench_report`](../bench_report/).
#
# **How each number is taken.** [`time_call`](../bench/#calcml.bench.time_call) times the
# first call alone (for JAX it traces and compiles), makes one untimed warm-up call, then takes
# the **median** of up to 7 repeats (15 for the cost of one gradient), each of enough calls to
# last about 5 ms. The spread, in small print, is half the range between the fastest and the
# slowest repeat, relative to the median. Every result is blocked on with
# `jax.block_until_ready`, so JAX's asynchronous dispatch cannot hide work. Functions compared
# with each other are timed in turns, so that a slow spell of the machine falls on all of them
# alike. This notebook runs alone in the build, with no other notebook competing for the cores;
# the machine may still be shared, and a wide spread says so.

# %%
import math
import time

import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown

from calcml import (
    benchmark_derivatives,
    benchmark_descent,
    benchmark_gradients,
    cost_ratio_table,
    descent_table,
    fastest_by_size,
    format_ratio,
    format_seconds,
    format_size,
    gpu_records_report,
    gradient_cost_ratios,
    load_gpu_records,
    plot_gradient_costs,
    provenance,
    provenance_table,
    rows_by_size,
    timing_table,
)

# The sizes are yours to change. These keep the whole page within a
# minute on 2 cores.
DERIVATIVE_SIZES = [10**2, 10**3, 10**4, 10**5, 10**6]
GRADIENT_SIZES = [10, 10**2, 10**3, 10**4, 10**5, 10**6]
SUBS_MAX = 10**3  # SymPy point by point: about 0.25 ms a point
NUMERICAL_MAX = 10**4  # finite differences: 2n evaluations of f
FORWARD_MAX = 10**4  # forward mode: an n x n array of tangents
RATIO_N = 10**6
REPEATS = 7

page_start = time.perf_counter()

# Short names for the prose: t(0.2391) is "239 ms",
# size(10**4) is "10⁴", compare(3.2) is "3.2× slower".
t, size, compare = format_seconds, format_size, format_ratio


# %% [markdown]
# ## Where these numbers come from

# %%
info = provenance()
Markdown(provenance_table(info))

# %% [markdown]
# ## (a) The derivative of a scalar function on $n$ points
#
# $f(x) = \sin(x)\,e^{-x^2}$, differentiated on a grid of $n$ points in $[-3, 3]$ five ways:
#
# - **SymPy lambdify**: SymPy's exact derivative, turned into a NumPy function by `lambdify`
#   (differentiating and `lambdify` happen in the first call);
# - **SymPy subs/evalf**: SymPy substituting each point and evaluating, up to $n = 10^3$;
# - **NumPy central differences**:
#   [`numerical_derivative`](../derivatives/#calcml.derivatives.numerical_derivative);
# - **np.gradient**: differences of $f$ sampled on the grid;
# - **JAX jit**: [`autodiff_derivative`](../autodiff/#calcml.autodiff.autodiff_derivative)
#   (`grad`, `vmap` and `jit`), the grid already on the device in float32.
#
# NumPy and SymPy compute in float64.
#
# **Table (a).** Median time per call, fastest in bold:

# %%
derivatives = benchmark_derivatives(
    DERIVATIVE_SIZES,
    subs_max=SUBS_MAX,
    repeats=REPEATS,
)
HTML(timing_table(derivatives, html=True))

# %% [markdown]
# The first call of each method: for JAX, tracing and compiling for that size; for SymPy
# `lambdify`, differentiating and generating the NumPy code:

# %%
HTML(timing_table(derivatives, "first_call", html=True))

# %% [markdown]
# And how far each result is from the exact derivative: the largest absolute error over the
# grid, against SymPy's derivative evaluated in float64:

# %%
HTML(timing_table(derivatives, "max_error", html=True))

# %%
small, large = DERIVATIVE_SIZES[0], DERIVATIVE_SIZES[-1]
jax_a = rows_by_size(derivatives, "JAX jit")
not_jax = [r for r in derivatives if r["method"] != "JAX jit"]
rival = fastest_by_size(not_jax)  # the fastest of the others, by n
ratio = {n: jax_a[n]["median"] / rival[n]["median"] for n in rival}
wins = [n for n in ratio if ratio[n] < 1]
if not wins:
    where = "never the fastest at these sizes"
elif wins == DERIVATIVE_SIZES[-len(wins) :]:
    where = f"the fastest from n = {size(wins[0])}"
else:
    where = f"the fastest at n = {', '.join(map(size, wins))}"

why_small = why_large = ""
if ratio[small] > 1:
    why_small = """ A call into JAX pays a fixed cost (checking its
  input, finding the compiled code, launching it) that a few hundred
  multiplications cannot hide."""
if ratio[large] < 1:
    why_large = """ XLA fuses the derivative into one pass over the
  array, where NumPy makes a temporary array for each operation."""

saving = rival[large]["median"] - jax_a[large]["median"]
first = jax_a[large]["first_call"]
payback = "is never repaid: JAX saves nothing per call."
if saving > 0:
    payback = f"""is repaid after {math.ceil(first / saving)} calls, at
  {t(saving)} saved per call."""

subs = rows_by_size(derivatives, "SymPy subs/evalf")
lam = rows_by_size(derivatives, "SymPy lambdify")
sympy = "- SymPy point by point did not run."
if subs:
    n = max(subs)
    sympy = f"""- SymPy point by point takes {t(subs[n]["median"])} for
  {size(n)} points, {subs[n]["median"] / lam[n]["median"]:,.0f}× the
  time of the same derivative through `lambdify`: each point walks
  the expression tree in Python. That is why it stops at
  n = {size(SUBS_MAX)}."""

grid = rows_by_size(derivatives, "np.gradient")
central = rows_by_size(derivatives, "NumPy central differences")
Markdown(f"""**What table (a) says.**

- JAX on the CPU is {where}. At n = {size(small)},
  {rival[small]["method"]} takes {t(rival[small]["median"])} and JAX
  {t(jax_a[small]["median"])}: JAX is {compare(ratio[small])}.{why_small}
- At n = {size(large)}, JAX takes {t(jax_a[large]["median"])} and
  {rival[large]["method"]} {t(rival[large]["median"])}: JAX is
  {compare(ratio[large])}, in float32 where NumPy works in
  float64.{why_large}
- JAX's first call at n = {size(large)}, {t(first)} of tracing and
  compiling, {payback}
{sympy}
- Speed is not accuracy. `np.gradient` differentiates samples, so
  its error depends on the grid spacing:
  {grid[small]["max_error"]:.0e} at n = {size(small)},
  {grid[large]["max_error"]:.0e} at n = {size(large)}. JAX is exact
  up to float32 rounding ({jax_a[large]["max_error"]:.0e}); central
  differences reach {central[large]["max_error"]:.0e} in float64.
""")

# %% [markdown]
# ## (b) The gradient of $f: \mathbb{R}^n \to \mathbb{R}$
#
# The Rosenbrock function
# $f(x) = \sum_{i=1}^{n-1} 100\,(x_{i+1} - x_i^2)^2 + (1 - x_i)^2$ costs $O(n)$ to evaluate.
# [`gradient`](../gradients/#calcml.gradients.gradient) computes $\nabla f$ three ways:
#
# - `method="numerical"`, **finite differences**: two evaluations of $f$ per coordinate, so
#   $2n$ evaluations and $O(n^2)$ time. It runs up to $n = 10^4$.
# - `method="forward"`, **forward mode** (`jacfwd`): pushes $n$ tangent vectors through $f$ at
#   once, about $n$ evaluations' worth of work in an $n \times n$ array. Up to $n = 10^4$.
# - `method="automatic"`, **reverse mode** (`grad`): one forward and one backward pass, a small
#   constant number of evaluations whatever $n$. All the way to $n = 10^6$.
#
# Each is timed in turns with one evaluation of $f$ by the same library (NumPy float64 for
# finite differences, jitted JAX float32 for the others): the rows *f, NumPy* and *f, JAX jit*.
#
# **Table (b).** Median time per gradient, fastest gradient in bold:

# %%
gradients = benchmark_gradients(
    GRADIENT_SIZES,
    numerical_max=NUMERICAL_MAX,
    forward_max=FORWARD_MAX,
    repeats=REPEATS,
)
METHODS = [
    "finite differences",
    "forward mode (jacfwd)",
    "reverse mode (grad)",
]
HTML(timing_table(gradients, best_of=METHODS, html=True))

# %% [markdown]
# **Table (b′).** The same gradients in evaluations of $f$: each time over the time of one
# evaluation of $f$ by the same library.

# %%
only_gradients = [r for r in gradients if r["method"] in METHODS]
HTML(timing_table(only_gradients, "f_evaluations", html=True))

# %% alt="Two log-log plots against the dimension n, from 10 to one million. Top: seconds per gradient for finite differences, forward mode and reverse mode, with one evaluation of f in NumPy and in JAX for comparison. Bottom: the same gradient times divided by the time of one evaluation of f, with the line 2n that finite differences follow."
plot_gradient_costs(gradients)
plt.show()

# %%
names = [*METHODS, "f, NumPy"]
fd, fwd, rev, f_numpy = (rows_by_size(gradients, m) for m in names)

n_fd, n_fwd, n_rev, n_min = max(fd), max(fwd), max(rev), min(rev)
# 10× the evaluations of f at the next size, each 10× longer:
fd_next = fd[n_fd]["median"] * 100
# bytes of float32 tangents at the next size, n²:
fwd_next = (10 * n_fwd) ** 2 * 4
costs = [r["f_evaluations"] for r in rev.values()]
versus = fd[n_min]["median"] / rev[n_min]["median"]
even = rev[n_min]["median"] / (2 * f_numpy[n_min]["median"])
ahead = ": reverse mode is ahead at any n > 1" if even < 2 else ""
firsts = [r["first_call"] for r in rev.values()]
slower = [n for n in fd if fd[n]["median"] > rev[n]["first_call"]]
if slower:
    k = min(slower)
    once = f"""win below n = {size(k)} only (at n = {size(k)}:
  {t(fd[k]["median"])} against {t(rev[k]["first_call"])})"""
else:
    once = "win at every size they ran"

Markdown(f"""**What tables (b) and (b′) say.**

- Finite differences cost {fd[n_fd]["f_evaluations"]:,.0f}
  evaluations of f at n = {size(n_fd)} (2n = {2 * n_fd:,}):
  {t(fd[n_fd]["median"])} a gradient. They stop there:
  n = {size(10 * n_fd)} means ten times the evaluations, each ten
  times longer, about {t(fd_next)} a gradient, and
  n = {size(100 * n_fd)} about {t(100 * fd_next)}.
- Forward mode costs {fwd[n_fwd]["f_evaluations"]:,.0f} evaluations
  of f at n = {size(n_fwd)}, {t(fwd[n_fwd]["median"])}. It stops
  there because its n tangents make an n × n array: at
  n = {size(10 * n_fwd)} that is {fwd_next / 1e9:,.0f} GB of float32,
  at n = {size(100 * n_fwd)} {fwd_next * 100 / 1e12:,.0f} TB. Forward
  mode suits functions with few inputs and many outputs; a loss has
  the opposite shape.
- Reverse mode runs to n = {size(n_rev)}, where it takes
  {t(rev[n_rev]["median"])}, {rev[n_rev]["f_evaluations"]:.1f}
  evaluations of f. Across all sizes it costs {min(costs):.1f} to
  {max(costs):.1f} evaluations, a number that does not grow with n:
  that is the O(1) against O(n) of this page, and why neural
  networks are trained by reverse mode (backpropagation).
- Reverse mode is not free at small n. At n = {size(n_min)} it takes
  {t(rev[n_min]["median"])}, {rev[n_min]["f_evaluations"]:.1f}
  evaluations of a jitted f, mostly the fixed cost of a call into
  JAX, and finite differences are {compare(versus)} than it. With f
  costing {t(f_numpy[n_min]["median"])} in NumPy, finite differences
  would break even near n = {even:.0f}{ahead}.
- For a single gradient the compile time counts too: reverse mode's
  first call took {t(min(firsts))} to {t(max(firsts))}, so for one
  gradient finite differences {once}.
""")

# %% [markdown]
# ## The cost of one gradient at $n = 10^6$
#
# Reverse mode's *cheap gradient principle*: a gradient costs at most a small constant number
# of evaluations of $f$, about 4, however large $n$ is. Here it is checked at $n = 10^6$ in
# float32 against one jitted evaluation of $f$, beside the ways to lose it: not compiling, and
# compiling again on every call.

# %%
ratios = gradient_cost_ratios(RATIO_N, repeats=15, budget=2.0)
Markdown(cost_ratio_table(ratios))

# %%
way = {r["method"]: r for r in ratios if r["backend"] == "cpu"}
api = way["gradient(f, x), JAX array"]
core = way["jit(grad(f)), compiled once"]
numpy_x = way["gradient(f, x), NumPy float64"]
eager = way["grad(f), not jitted"]
retrace = way["jit(grad(f)) built in each call"]

bound = "within" if api["ratio"] <= 4 else "**outside**"
why_core = ""
if core["ratio"] < 1:
    why_core = """, less than f itself: the backward pass of a sum needs
  no sum of its own, so each partial derivative is computed apart"""
overhead = api["median"] - core["median"]
if overhead > 0:
    own = f"""The other {t(overhead)} are `gradient`'s own work:
  checking that x is finite, and returning a NumPy array."""
else:
    own = "`gradient`'s own work is lost in the noise."
extra = numpy_x["median"] - api["median"]
extra = f", {t(extra)} more" if extra > 0 else ""

Markdown(f"""
- `gradient(f, x)` on a JAX array costs **{api["ratio"]:.2f}
  evaluations of f**, {bound} the cheap-gradient bound of 4. The
  compiled gradient inside it costs {core["ratio"]:.2f}{why_core}.
  {own}
- Given a NumPy float64 array instead, `gradient` converts it to
  float32 on every call: {numpy_x["ratio"]:.2f} evaluations of
  f{extra}. In a loop, keep x a JAX array.
- `jax.grad(f)` without `jit` runs the gradient one operation at a
  time: {eager["ratio"]:.0f}× one evaluation of f,
  {compare(eager["median"] / api["median"])} than `gradient`.
- A wrapper that builds `jax.jit(jax.grad(f))` inside each call
  traces and compiles again every time:
  **{retrace["ratio"]:.0f}× one evaluation of f**,
  {compare(retrace["median"] / api["median"])} than `gradient`, which
  compiles once per function and keeps it. Its time is almost all
  compilation, which hardly depends on n: the smaller f, the worse
  the ratio.
""")

# %% [markdown]
# ## (c) Gradient descent: a Python loop against one compiled loop
#
# [`gradient_descent`](../optimize/#calcml.optimize.gradient_descent) steps in a NumPy loop,
# one Python iteration per step;
# [`gradient_descent_jax`](../optimize/#calcml.optimize.gradient_descent_jax) compiles the
# whole loop with `lax.scan`. Both minimise $e^x - \log x$ from $x_0 = 1$ with learning rate
# 0.1 and give the same iterates (the tests check it).

# %%
descent = benchmark_descent()
Markdown(descent_table(descent))

# %%
short, long = descent[0], descent[-1]
Markdown(
    f"At {long['num_iterations']:,} iterations the compiled loop runs {long['ratio']:,.1f} "
    f"times as many iterations per second as the NumPy loop; at {short['num_iterations']:,} "
    f"iterations, {short['ratio']:,.1f} times, as its fixed cost per call weighs more. Its "
    f"first call, which compiles, takes {format_seconds(long['jax_first_call'])}, "
    f"as long as {long['jax_first_call'] * long['numpy_per_second']:,.0f} NumPy iterations."
)

# %% [markdown]
# ## GPU
#
# JAX runs the JAX rows on a GPU when it finds one (`jax.devices("gpu")`), so a build on a
# machine with a GPU shows CPU and GPU rows side by side. To get one, on Linux with an NVIDIA
# driver (see [JAX's installation guide](https://docs.jax.dev/en/latest/installation.html)):
#
# ```bash
# pip install -U "jax[cuda13]"     # "jax[cuda12]" for a CUDA 12 driver
# python -c "import jax; print(jax.devices())"   # a CudaDevice
# ```
#
# Results measured on a GPU can also be recorded for builds without one, such as this site's
# CI: `python scripts/record_gpu_benchmarks.py` runs these benchmarks and stores them, with
# their provenance and the hash of the benchmark code, in `calcml/gpu_benchmarks.json`. They
# are shown below, marked **STALE** once the benchmark code has changed.

# %%
Markdown(gpu_records_report(load_gpu_records(), build=info))

# %% [markdown]
# ## Summary
#
# - Time the first call apart: for JAX it is tracing and compilation, worth many steady-state
#   calls.
# - On small arrays NumPy (or SymPy's `lambdify`) can beat JAX, because a call into JAX has a
#   fixed cost; on large ones XLA's fused code can win.
# - Finite differences and forward mode cost $O(n)$ evaluations of $f$ for a gradient; reverse
#   mode costs $O(1)$. That is why gradients with millions of parameters are computed by
#   reverse mode.
# - Compile once, call many times: rebuilding `jit(grad(f))` on every call throws away what
#   compiling bought.

# %%
elapsed = time.perf_counter() - page_start
Markdown(f"""The measurements on this page took **{elapsed:.0f} s**.
The [build report](../build-report/) gives the notebook's whole run
time, kernel start included.""")
