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
# # Differentiation in Python: symbolic, numerical, automatic
#
# **What you will learn**: three ways a computer finds a derivative, and what each one is good
# for. *Symbolic* differentiation (SymPy) applies the rules of calculus to a formula and returns
# a formula. *Numerical* differentiation (NumPy) evaluates the function at nearby points and
# takes a difference quotient. *Automatic* differentiation (JAX) applies the chain rule to every
# operation the program performs, and returns numbers exact to rounding. We run all three on the
# same functions, then break each one: at a corner, on code with branches and loops, on deep
# compositions, and with the wrong step size.
#
# **What you need**: the lessons [Derivatives](../../lessons/derivatives/) and
# [The chain rule](../../lessons/chain-rule/), the tutorial
# [Derivatives from first principles](../derivatives-first-principles/), and `calcml` installed.

# %%
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from calcml import autodiff_derivative, numerical_derivative, symbolic_derivative

x = sp.Symbol("x")

# %% [markdown]
# ## One derivative, three ways
#
# Our sanity anchor is the first derivative anyone learns: $\frac{d}{dx} x^2 = 2x$, which is
# $6$ at $x = 3$.
#
# ### Symbolic: SymPy
#
# [`symbolic_derivative`](../../reference/symbolic/#calcml.symbolic.symbolic_derivative) hands
# the expression to SymPy, which applies the power rule and returns an expression. Substituting
# $x = 3$ gives an exact integer, not a floating-point number:

# %%
d_square = symbolic_derivative(x**2)
d_square, d_square.subs(x, 3)

# %% [markdown]
# ### Numerical: finite differences
#
# [`numerical_derivative`](../../reference/derivatives/#calcml.derivatives.numerical_derivative)
# only evaluates the function. Its schemes are the forward difference
# $\frac{f(x+h) - f(x)}{h}$, the backward one $\frac{f(x) - f(x-h)}{h}$, the central one
# $\frac{f(x+h) - f(x-h)}{2h}$, and the complex step $\operatorname{Im} f(x + ih) / h$. All
# four land close to 6, but only close:


# %%
def square(t):
    return t**2


for scheme in ["forward", "backward", "central", "complex"]:
    d = float(numerical_derivative(square, 3.0, scheme=scheme))
    print(f"{scheme:>8}: {d!r:<20} error {d - 6:+.1e}")

# %% [markdown]
# The central difference of a parabola is exact in exact arithmetic, so its tiny error is pure
# floating-point round-off; the one-sided differences also carry a truncation error of order
# $h$. The complex step avoids the subtraction altogether, so it is as accurate as float64 allows.
# More on the step $h$ [below](#the-step-size-truncation-against-round-off).
#
# ### Automatic: JAX
#
# JAX runs the Python function on special *tracer* values that record each operation, and
# builds a new function that applies the chain rule to every recorded operation, backwards from
# the output: reverse-mode automatic differentiation. Three transformations do the work:
#
# - `jax.grad(f)` is the derivative of a function with one scalar output;
# - `jax.vmap(g)` maps `g` over the elements of an array, so the derivative works on a batch;
# - `jax.jit(g)` compiles `g` with XLA: the first call traces and compiles, later calls with
#   arguments of the same shape reuse the compiled code.
#
# [`autodiff_derivative`](../../reference/autodiff/#calcml.autodiff.autodiff_derivative) wraps
# exactly that composition, for scalars and arrays alike. JAX computes in float32 unless told
# otherwise; for $x^2$ at 3 that still gives exactly 6.

# %%
print("grad:          ", jax.grad(square)(3.0))
xs = jnp.array([-1.0, 0.5, 3.0])
print("vmap(grad):    ", jax.vmap(jax.grad(square))(xs))
d_square_compiled = jax.jit(jax.vmap(jax.grad(square)))
print("jit(vmap(grad)):", d_square_compiled(xs))
print("calcml:         ", float(autodiff_derivative(square)(3.0)))

# %% [markdown]
# ## The same functions, compared
#
# Four functions, each written once as a SymPy expression. `sp.lambdify` turns the expression
# into a NumPy function (for finite differences) and into a `jax.numpy` function (for JAX), so
# all three methods differentiate exactly the same thing. The second function is the chain
# rule lesson's three layers; the last is the *softplus*, a smooth relative of ReLU.
#
# The reference is SymPy's exact derivative, evaluated in float64. Each error is the largest
# over 201 points in $[-2, 2]$, relative to $\max(1, |f'(x)|)$. The last column is a yardstick
# for JAX in float32: the error of evaluating the *exact* formula for $f'$ in float32.

# %%
functions = {
    "x²": x**2,
    "sin((4x)²)": sp.sin((4 * x) ** 2),
    "x·exp(−x²)": x * sp.exp(-(x**2)),
    "log(1 + eˣ)": sp.log(1 + sp.exp(x)),
}
points = np.linspace(-2.0, 2.0, 201)
print("f(x)          central   complex   JAX f32   JAX f64  f′ in f32")
for name, expr in functions.items():
    f_numpy, f_jax = sp.lambdify(x, expr, "numpy"), sp.lambdify(x, expr, "jax")
    exact_formula = sp.lambdify(x, symbolic_derivative(expr), "numpy")
    exact = exact_formula(points) * np.ones_like(points)
    estimates = [
        numerical_derivative(f_numpy, points),
        numerical_derivative(f_numpy, points, scheme="complex"),
        autodiff_derivative(f_jax)(points),
    ]
    with jax.enable_x64(True):  # JAX in float64, here only
        estimates.append(autodiff_derivative(f_jax)(points))
    estimates.append(exact_formula(points.astype(np.float32)))
    scale = np.maximum(1, np.abs(exact))
    errors = [np.max(np.abs(np.asarray(d, float) - exact) / scale) for d in estimates]
    print(f"{name:<12}", *[f"{e:8.1e}" for e in errors], sep="  ")

# %% [markdown]
# Read the table column by column:
#
# - **Symbolic** is the reference: an exact formula for each function.
# - **Central differences** are good to about $10^{-11}$: far from float64's $10^{-16}$,
#   because the step $h$ trades truncation error against round-off error (more on that
#   [below](#the-step-size-truncation-against-round-off)). For $\sin((4x)^2)$, which wiggles
#   faster and faster as $|x|$ grows, the default step is too coarse and the error is larger.
# - **The complex step** reaches float64 rounding, but only for functions that accept complex
#   input and are smooth in the complex sense. It fails silently otherwise, as we see next.
# - **JAX** is exact *to rounding*: in float64 its error is at rounding level, and in float32
#   (its default) it matches the last column, the error of the exact formula evaluated in
#   float32. For $\sin((4x)^2)$ that is about $10^{-4}$: at $x = 2$ the argument $16x^2 = 64$
#   carries float32's relative error of about $10^{-7}$, and the derivative amplifies it.
#   JAX's error comes from the precision it computes in, not from approximating the derivative.
#
# ## Where each method breaks
#
# ### A corner: $|x|$ at 0
#
# $|x|$ has slope $-1$ to the left of 0 and $+1$ to the right. At 0 it has no derivative at
# all. Any slope between $-1$ and $1$ gives a line through the corner that stays below the
# graph, a *subgradient*. Ask each method anyway:
#
# - SymPy treats a plain symbol as a complex number, and $|x|$ is nowhere differentiable as a
#   function of a complex variable, so its answer is written with real and imaginary parts and
#   unevaluated derivatives, and is `nan` at 0. Told that $x$ is real, SymPy answers
#   $\operatorname{sign}(x)$, and defines $\operatorname{sign}(0) = 0$: a choice, not a
#   derivative.
# - Finite differences answer whatever their formula gives: the slope on the right, on the left,
#   or their average. The complex step gives 0 everywhere, not only at 0: `np.abs` of a complex
#   number is its modulus, which has no imaginary part, and the method silently assumes a
#   complex-smooth function.
# - JAX returns 1 at 0 for $|x|$, the slope of the right-hand branch, and 0 for ReLU,
#   $\max(x, 0)$, the corner that matters most in machine learning. Both are valid
#   subgradients, and both are conventions.

# %%
d_abs = symbolic_derivative(sp.Abs(x))
print(d_abs, "   at 0:", d_abs.subs(x, 0))
x_real = sp.Symbol("x", real=True)
d_abs_real = symbolic_derivative(sp.Abs(x_real), x_real)
print(d_abs_real, "   at 0:", d_abs_real.subs(x_real, 0), "\n")

for scheme in ["forward", "backward", "central", "complex"]:
    at_0 = float(numerical_derivative(np.abs, 0.0, scheme=scheme))
    at_1 = float(numerical_derivative(np.abs, 1.0, scheme=scheme))
    print(f"{scheme:>8}: at 0 {at_0:+.1f}, at 1 {at_1:+.1f}")
print("     JAX: at 0", float(autodiff_derivative(jnp.abs)(0.0)))
print("JAX ReLU: at 0", float(autodiff_derivative(jax.nn.relu)(0.0)))

# %% [markdown]
# At one point, the methods answer $+1$, $0$, $-1$ and `nan` between them. None of them is
# wrong, because there is no right answer; none of them says so either. In training this
# rarely matters (an iterate lands exactly on a corner with probability zero), but a gradient
# check at a corner will disagree with itself.
#
# ### Code with branches and loops
#
# Real functions are often programs, not formulas. This one computes $\sqrt{a}$ by five steps
# of Newton's method, with an `if` that picks the starting guess. **SymPy** cannot take it: the
# `if` asks whether the symbol $a$ is greater than 1, which has no answer. (SymPy can
# differentiate branches written as `sp.Piecewise`, but that is a rewrite by hand, not this
# code.)


# %%
def newton_sqrt(a):
    """√a for a > 0: five Newton steps from a guess that depends on a."""
    if a > 1:
        guess = a / 2
    else:
        guess = 1.0
    for _ in range(5):
        guess = 0.5 * (guess + a / guess)
    return guess


print(newton_sqrt(2.0), np.sqrt(2.0))
a = sp.Symbol("a", positive=True)
try:
    symbolic_derivative(newton_sqrt(a), a)
except TypeError as error:
    print(f"TypeError: {error}")

# %% [markdown]
# **Finite differences** only evaluate the function, so they take it as it is, one point at a
# time: on a whole array the `if` would raise, so we loop (`np.vectorize` loops for us too).
#
# **JAX** is subtler. `jax.grad` alone runs the Python code with concrete values inside its
# tracers, so the `if` works. Under `jit`, which `autodiff_derivative` uses, the tracer stands
# for *any* value of its shape, the `if` cannot be decided, and JAX raises a
# `TracerBoolConversionError`:

# %%
a_values = np.array([0.5, 2.0, 9.0, 100.0])
slopes = [float(numerical_derivative(newton_sqrt, a0)) for a0 in a_values]
print("finite diff:", np.array(slopes))
print("1/(2√a):    ", 1 / (2 * np.sqrt(a_values)))
print("newton_sqrt:", np.vectorize(newton_sqrt)(a_values), "\n")

print("grad, no jit:", float(jax.grad(newton_sqrt)(2.0)))
try:
    autodiff_derivative(newton_sqrt)(2.0)
except jax.errors.TracerBoolConversionError as error:
    print(f"{type(error).__name__}: {str(error).splitlines()[0]}")

# %% [markdown]
# At $a = 100$ the derivative is not quite $\frac{1}{2\sqrt{a}}$, because five Newton steps from
# the guess 50 have not quite reached $\sqrt{100} = 10$. Every method differentiates *the
# program*, not the function its author had in mind.
#
# The fix for JAX is to write the branch as data rather than control flow. `jnp.where` computes
# both branches and keeps one; `jax.lax.fori_loop` is a loop JAX can compile as one operation
# (a plain Python loop with a fixed count works too, unrolled while tracing). That brings a
# trap: the branch not taken is differentiated too, and if its derivative is infinite, the
# `nan` leaks into the result. The last line checks $\sqrt{x}$ guarded to be 0 for $x \le 0$,
# whose derivative at 0 should be 0.


# %%
def newton_sqrt_jax(a):
    guess = jnp.where(a > 1, a / 2, 1.0)
    return jax.lax.fori_loop(0, 5, lambda i, g: 0.5 * (g + a / g), guess)


print("JAX, jit and vmap:", autodiff_derivative(newton_sqrt_jax)(a_values))
guarded_sqrt = jax.grad(lambda t: jnp.where(t > 0, jnp.sqrt(t), 0.0))
print("guarded sqrt at 0:", float(guarded_sqrt(0.0)))

# %% [markdown]
# The rewritten program agrees with finite differences, in float32; the guarded square root
# gets `nan` instead of 0 (exercise 3 fixes it).
#
# ### Expression swell
#
# SymPy's answer is a formula, and formulas can grow much faster than the function they
# describe. Compose the logistic map $\ell(x) = 4x(1 - x)$ with itself: depth 1 is $\ell(x)$,
# depth 2 is $\ell(\ell(x))$, and so on. Each level mentions the level below twice, and the
# product rule doubles that again in the derivative. We count operations (`sp.count_ops`) in
# the function's formula, in SymPy's derivative as it comes, in the same derivative with
# common subexpressions shared (`sp.cse`, each counted once), and in JAX's derivative program
# (the operations in the jaxpr of `jax.grad`, the form in which JAX compiles it). Depth 2
# already shows the problem: the inner $4x(1 - x)$ appears again and again.


# %%
def logistic_composed(t, depth):
    for _ in range(depth):
        t = 4 * t * (1 - t)
    return t


print("depth 2:", symbolic_derivative(logistic_composed(x, 2)), "\n")
depths = range(1, 9)
sizes = {"function": [], "derivative": [], "shared (cse)": [], "JAX grad": []}
for depth in depths:
    expr = logistic_composed(x, depth)
    derivative = symbolic_derivative(expr)
    sizes["function"].append(sp.count_ops(expr))
    sizes["derivative"].append(sp.count_ops(derivative))
    sizes["shared (cse)"].append(sp.count_ops(sp.cse(derivative)))
    d_program = jax.grad(lambda t, d=depth: logistic_composed(t, d))
    sizes["JAX grad"].append(len(jax.make_jaxpr(d_program)(0.3).eqns))

print("depth", *sizes, sep="  ")
for i, depth in enumerate(depths):
    row = [f"{sizes[name][i]:{len(name)}}" for name in sizes]
    print(f"{depth:5}", *row, sep="  ")

# %% alt="Log-scale plot of expression size against composition depth 1 to 8 for the logistic map. SymPy's unsimplified derivative grows fastest, to about 14,000 operations at depth 8, and the function's own formula grows exponentially too; the derivative with shared subexpressions and JAX's grad program grow slowly, to 157 and 64 operations."
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for name, style in zip(sizes, ["s--", "o-", "D-", "x-"], strict=True):
    ax.semilogy(depths, sizes[name], style, label=name)
ax.set(xlabel="depth of the composition ℓ(ℓ(…ℓ(x)))", ylabel="operations")
ax.set_title("Expression swell: SymPy's derivative against JAX's")
ax.legend()
plt.show()

# %% [markdown]
# The unsimplified derivative grows roughly like $d \cdot 2^d$ with the depth $d$, and
# simplifying cannot cure it: expanded, depth 8 is a polynomial of degree 256. Sharing common
# subexpressions brings the growth down to roughly quadratic, and JAX's program grows linearly,
# 8 operations per level against 3 for the function: automatic differentiation is, in effect,
# symbolic differentiation that never writes out the formula and reuses every intermediate
# value. The swell matters because everything SymPy does next, printing, simplifying,
# `lambdify`, walks the whole expression.
#
# ### The step size: truncation against round-off
#
# Finite differences have a knob, the step $h$, and no setting of it is exact. For
# $f(x) = e^x$ at $x = 1$, where $f' = f'' = f''' = e$:
#
# - **Truncation error**, from Taylor's theorem: about $\frac{h}{2}|f''|$ for the forward
#   difference, $\frac{h^2}{6}|f'''|$ for the central one. It shrinks with $h$.
# - **Round-off error**: $f(x+h)$ and $f(x)$ each carry a relative error of about machine
#   epsilon, $\epsilon \approx 2.2 \times 10^{-16}$, and the difference of two nearly equal
#   numbers keeps that absolute error, then is divided by $h$: about $\epsilon |f| / h$ for the
#   forward difference, $\epsilon |f| / (2h)$ for the central one. It *grows* as $h$ shrinks.
#
# Setting the derivative of the sum to zero gives the best step: $h^* = \sqrt{2\epsilon}$ for
# the forward difference, where the error is $O(\sqrt{\epsilon}) \approx 10^{-8}$, and
# $h^* = (1.5\,\epsilon)^{1/3}$ for the central one, with error $O(\epsilon^{2/3}) \approx
# 10^{-11}$. `numerical_derivative`'s defaults, $\sqrt{\epsilon}$ and $\epsilon^{1/3}$ (times
# $\max(1, |x|)$), are these up to a constant factor. We measure the error for 161 steps from
# $10^{-16}$ to 1 and compare:

# %%
eps = np.finfo(np.float64).eps
x0, exact = 1.0, np.e
default_h = {"forward": eps ** (1 / 2), "central": eps ** (1 / 3)}
model_best_h = {"forward": (2 * eps) ** (1 / 2), "central": (1.5 * eps) ** (1 / 3)}


def error(h, scheme):
    return np.abs(numerical_derivative(np.exp, x0, h, scheme) - exact)


def error_model(h, scheme):
    """Truncation plus round-off for exp at x = 1 (every derivative is e)."""
    if scheme == "forward":
        return h / 2 * exact + eps * exact / h
    return h**2 / 6 * exact + eps * exact / (2 * h)


print(f"{'scheme':>8}{'best h (model)':>16}{'default h':>11}{'error there':>13}")
for s, h in default_h.items():
    assert error(None, s) == error(h, s)  # h=None means the default step
    print(f"{s:>8}{model_best_h[s]:16.1e}{h:11.1e}{error(h, s):13.1e}")

# %% alt="Log-log plot of the error of forward and central differences of exp at x = 1 against the step h from 1e-16 to 1. Each error falls with h along its truncation line (slope 1 for forward, slope 2 for central) until round-off takes over and the error rises, noisily, along a line of slope -1. Stars mark the best step of the truncation plus round-off model, about 2e-8 for forward and 7e-6 for central differences; dotted vertical lines mark calcml's default steps, close to each star."
hs = np.logspace(-16, 0, 161)
fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
for s, colour in [("forward", "tab:blue"), ("central", "tab:orange")]:
    measured = np.where(error(hs, s) > 0, error(hs, s), np.nan)  # no log of 0
    ax.loglog(hs, measured, ".", color=colour, ms=4, label=f"{s}: measured")
    ax.loglog(hs, error_model(hs, s), color=colour, alpha=0.6, label=f"{s}: model")
    best = model_best_h[s]
    star = {"ms": 16, "mec": "black", "label": f"{s}: model's best h"}
    ax.loglog(best, error_model(best, s), "*", color=colour, **star)
    ax.axvline(default_h[s], color=colour, ls=":", label=f"{s}: default h")
ax.set(xlabel="step h", ylabel="|error|", ylim=(1e-13, 10))
ax.set_title("Finite-difference error of exp′(1) against the step h")
fig.legend(loc="outside lower center", ncol=2, fontsize=8)
plt.show()

# %% [markdown]
# To the right of each minimum the error is truncation: a line of slope 1 (forward) or 2
# (central) on log-log axes. To the left it is round-off: slope $-1$, noisy, because rounding
# is. The central difference wins twice: its best error is about a thousand times smaller, and
# its best $h$ is larger, so it is less sensitive to the exact choice. Apart from a lucky
# rounding at a single step here and there, its error stays above about $10^{-11}$, which is why
# the comparison above found central differences a few orders of magnitude short of float64
# precision. The defaults, the dotted lines, sit within a factor of two of the model's best
# steps, the stars; the table above shows the error they leave.
#
# ## How fast is each?
#
# Timed in the build of this page, on the machine that built it, with calcml's harness
# (median seconds per call, the first call apart; this notebook runs alone so no other work
# competes for the cores). The [Benchmarks](../../reference/benchmarks/) page has the full
# tables, the gradient of $f: \mathbb{R}^n \to \mathbb{R}$ and what they say.

# %%
from IPython.display import HTML

from calcml import benchmark_derivatives, timing_table

speed = benchmark_derivatives(sizes=[10**2, 10**4, 10**6], subs_max=100, repeats=3, budget=0.5)
HTML(timing_table(speed, "median", html=True))

# %% [markdown]
# ## When to use which
#
# | | Symbolic (SymPy) | Numerical (finite differences) | Automatic (JAX) |
# | --- | --- | --- | --- |
# | Result | an exact formula | a number, about $10^{-10}$ relative error at best (central, float64) | a number, exact to the precision it computes in (float32 by default) |
# | Needs | a closed-form expression | only evaluations of $f$ | $f$ written with `jax.numpy`; no Python branches on values under `jit` |
# | Breaks on | branches, loops over unknown counts, black-box code; expression swell | the choice of $h$; noisy $f$; corners | code outside JAX; corners (silently, by convention) |
# | Gradient of $f: \mathbb{R}^n \to \mathbb{R}$ | $n$ formulas | $2n$ evaluations of $f$ (central) | about one more evaluation of $f$ (reverse mode) |
# | Use it for | deriving and checking formulas, small models, exact answers | checking other derivatives (a *gradient check*), black-box functions | training: gradients of large programs with many inputs |
#
# In practice they work together: derive a formula with SymPy, implement the model in JAX,
# and check JAX's gradient against finite differences at a few random points, as calcml's own
# tests do. How fast each method is, measured on arrays and gradients of growing size on the
# machine that built this site, is on the [Benchmarks](../../reference/benchmarks/) page,
# including where automatic differentiation does *not* win.
#
# ## Summary
#
# - SymPy returns exact formulas, but needs a formula to start from, and the formulas for
#   deep compositions swell exponentially.
# - Finite differences need only evaluations of $f$, but are approximate: the step $h$ trades
#   truncation error (shrinking with $h$) against round-off (growing as $h$ shrinks). The best
#   $h$ is about $\sqrt{\epsilon}$ for one-sided differences and $\epsilon^{1/3}$ for central
#   ones, which are `numerical_derivative`'s defaults.
# - JAX differentiates the program itself with `grad`, batches with `vmap` and compiles with
#   `jit`; its results are exact to rounding. Under `jit`, Python `if` statements on values
#   fail with a `TracerBoolConversionError`; `jnp.where` and `jax.lax` express them as data.
# - At a corner such as $|x|$ at 0 there is no derivative, and every method silently returns
#   some slope between $-1$ and $1$.
#
# ## Exercises
#
# 1. Differentiate $x^3$ at $x = 10^6$ with `numerical_derivative`, once with the unscaled
#    step `h=eps ** (1 / 3)` and once with the default step. Compare the relative errors. Why
#    does the default scale $h$ by $\max(1, |x|)$?
# 2. Rewrite `newton_sqrt_jax` with `jax.lax.cond` instead of `jnp.where`, and check its
#    derivative at $a = 2$ against $\frac{1}{2\sqrt 2}$.
# 3. Fix the `jnp.where` trap above: make the guarded $\sqrt{x}$ have derivative 0 at 0.
#
# <details><summary>Solutions</summary>
#
# 1. The unscaled step leaves a relative error of about $10^{-6}$, the default one about
#    $10^{-11}$. At $x = 10^6$, $f(x) = 10^{18}$ carries a rounding error of about
#    $\epsilon \cdot 10^{18} \approx 200$, and dividing by a step of $6 \times 10^{-6}$ turns
#    it into a round-off error far larger than the truncation error. Both errors scale with the
#    size of $x$, and so does the $h$ that balances them. (The scaling assumes that $f$ varies
#    on the scale of $x$. For $\sin x$, which wiggles on a scale of 1 wherever $x$ is, it does
#    not: there, choose $h$ yourself.)
#
#    ```python
#    eps = np.finfo(float).eps
#    exact = 3e12  # 3x² at x = 1e6
#    for h in [eps ** (1 / 3), None]:
#        estimate = float(numerical_derivative(lambda t: t**3, 1e6, h=h))
#        print(f"h = {h}: relative error {abs(estimate / exact - 1):.1e}")
#    ```
#
# 2. `jax.lax.cond` takes the predicate, two functions and their operand:
#
#    ```python
#    def newton_sqrt_cond(a):
#        guess = jax.lax.cond(a > 1, lambda a: a / 2, jnp.ones_like, a)
#        return jax.lax.fori_loop(0, 5, lambda i, g: 0.5 * (g + a / g), guess)
#
#    d_newton = autodiff_derivative(newton_sqrt_cond)
#    print(float(d_newton(2.0)), 1 / (2 * np.sqrt(2)))
#    ```
#
# 3. Keep the unsafe input away from `jnp.sqrt` with a second `where`, so that the branch not
#    taken is differentiated at a harmless point:
#
#    ```python
#    def safe_sqrt(t):
#        safe_t = jnp.where(t > 0, t, 1.0)
#        return jnp.where(t > 0, jnp.sqrt(safe_t), 0.0)
#
#    d_safe_sqrt = jax.grad(safe_sqrt)
#    print(float(d_safe_sqrt(0.0)), float(d_safe_sqrt(4.0)))  # 0.0 0.25
#    ```
#
# </details>
