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
# # Derivatives from first principles
#
# **What you will learn**: how the slope between two points, the *difference quotient*, becomes
# the slope at one point as the two points merge, and why a computer cannot take that limit
# literally.
#
# **What you need**: the [Derivatives](../../lessons/derivatives/) lesson, and `calcml` installed.
#
# For $f(x) = x^2$ the difference quotient simplifies exactly:
#
# $$\frac{f(x+h) - f(x)}{h} = \frac{(x+h)^2 - x^2}{h} = \frac{2xh + h^2}{h} = 2x + h,$$
#
# so it tends to $f'(x) = 2x$ as $h \to 0$. We check that with code, at $x = 3$ where $f'(3) = 6$.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from calcml import difference_quotient, plot_function, plot_secant, plot_tangent


def f(x):
    return x**2


x0 = 3.0

# %% [markdown]
# ## The algebra, checked symbolically
#
# SymPy does the simplification above for us, and takes the limit:

# %%
x, h = sp.symbols("x h")
quotient = sp.simplify((f(x + h) - f(x)) / h)
quotient

# %%
sp.limit(quotient, h, 0)

# %% [markdown]
# ## The quotient converging, numerically
#
# Shrinking $h$ by a factor of ten at a time, the quotient approaches 6 and its error is $h$
# itself, exactly as $2x + h$ predicts:

# %%
hs = 10.0 ** -np.arange(0, 9)
quotients = difference_quotient(f, x0, hs)
print(f"{'h':>8} {'quotient':>20} {'error':>10}")
for step, q in zip(hs, quotients, strict=True):
    print(f"{step:8.0e} {q:20.12f} {q - 2 * x0:10.1e}")

# %% [markdown]
# Look at the last rows: the error stops shrinking like $h$. Below about $h = 10^{-8}$,
# subtracting two nearly equal floating-point numbers, $f(x+h) - f(x)$, loses most of their
# digits. This *round-off* error grows as $h$ shrinks, while the *truncation* error, $h$ here,
# falls. The tutorial on numerical differentiation finds the best $h$ between them.

# %% [markdown]
# ## Secant lines turning into the tangent
#
# Each secant passes through $(3, 9)$ and $(3 + h, (3+h)^2)$. As $h$ shrinks they pivot onto the
# tangent line of slope 6.

# %% alt="The parabola y = x squared near x = 3, with secant lines for h = 2, 1 and 0.5 pivoting towards the tangent line of slope 6 at the point (3, 9)."
ax = plot_function(f, (0.5, 5.5), label="$f(x) = x^2$", color="black")
for step, colour in zip([2.0, 1.0, 0.5], ["tab:red", "tab:orange", "tab:green"], strict=True):
    slope = float(difference_quotient(f, x0, step))
    plot_secant(f, x0, step, ax=ax, color=colour, label=f"secant, h = {step}, slope {slope:g}")
plot_tangent(
    f, x0, 2 * x0, ax=ax, half_width=2.5, color="tab:blue", linestyle="--", label="tangent, slope 6"
)
ax.set(xlabel="x", ylabel="y", title="Secants through (3, 9) approach the tangent")
ax.legend()
plt.show()

# %% [markdown]
# ## The error against $h$
#
# On log-log axes the error of the quotient falls along a line of slope 1 (error $= h$) until
# round-off takes over.

# %% alt="Log-log plot of the error of the difference quotient of x squared at x = 3 against the step h: the error equals h for h from 1 down to about 1e-8, then grows erratically as h shrinks further."
hs = np.logspace(-15, 0, 61)
errors = np.abs(difference_quotient(f, x0, hs) - 2 * x0)
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.loglog(hs, np.where(errors > 0, errors, np.nan), ".", label="|quotient - 6|")
ax.loglog(hs, hs, "--", label="h (truncation error)")
ax.set(xlabel="h", ylabel="error", title="Truncation falls with h, round-off grows")
ax.legend()
plt.show()

# %% [markdown]
# ## Summary
#
# - The difference quotient $\frac{f(x+h) - f(x)}{h}$ is the slope of a secant line; its limit as
#   $h \to 0$ is the derivative.
# - For $x^2$ the quotient is exactly $2x + h$, and the code agrees to rounding.
# - In floating point, $h$ cannot go to zero: round-off error takes over below $h \approx 10^{-8}$.
#
# ## Exercises
#
# 1. Repeat the table for $f(x) = x^3$ at $x = 2$. What does the error look like as a function of
#    $h$?
# 2. Use negative steps `-hs`. Is the quotient now above or below 6, and why?
#
# <details><summary>Solutions</summary>
#
# 1. $\frac{(x+h)^3 - x^3}{h} = 3x^2 + 3xh + h^2$, so at $x = 2$ the error is $6h + h^2$:
#    <code>difference_quotient(lambda x: x**3, 2.0, hs) - 12</code> shows it.
# 2. Below: the quotient is $2x + h$ with $h < 0$. The secant to the left is less steep.
#
# </details>
