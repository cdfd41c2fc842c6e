"""calcml: calculus for machine learning, executable.

The public API is this module's top level; every lesson and tutorial on the site uses it.
"""

from calcml.autodiff import autodiff_derivative
from calcml.derivatives import difference_quotient, numerical_derivative
from calcml.gradients import gradient
from calcml.plotting import figure_to_html, plot_function, plot_secant, plot_tangent
from calcml.symbolic import symbolic_derivative

__version__ = "0.1.0"

__all__ = [
    "autodiff_derivative",
    "difference_quotient",
    "figure_to_html",
    "gradient",
    "numerical_derivative",
    "plot_function",
    "plot_secant",
    "plot_tangent",
    "symbolic_derivative",
]
