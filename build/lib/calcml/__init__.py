"""calcml: calculus for machine learning, executable.

The public API is this module's top level; every lesson and tutorial on the site uses it.
"""

from calcml.derivatives import difference_quotient
from calcml.plotting import figure_to_html, plot_function, plot_secant, plot_tangent

__version__ = "0.1.0"

__all__ = [
    "difference_quotient",
    "figure_to_html",
    "plot_function",
    "plot_secant",
    "plot_tangent",
]
