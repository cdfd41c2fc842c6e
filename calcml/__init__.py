"""calcml: calculus for machine learning, executable.

The public API is this module's top level; every lesson and tutorial on the site uses it.
"""

from calcml.autodiff import autodiff_derivative
from calcml.bench import (
    Timing,
    benchmark_code_hash,
    benchmark_derivatives,
    benchmark_gradients,
    format_seconds,
    gradient_cost_ratios,
    load_gpu_records,
    mark_stale,
    provenance,
    time_call,
    timing_table,
)
from calcml.derivatives import difference_quotient, numerical_derivative
from calcml.gradients import gradient
from calcml.plotting import (
    figure_to_html,
    plot_contour,
    plot_function,
    plot_gradient_field,
    plot_secant,
    plot_tangent,
)
from calcml.symbolic import symbolic_derivative

__version__ = "0.1.0"

__all__ = [
    "Timing",
    "autodiff_derivative",
    "benchmark_code_hash",
    "benchmark_derivatives",
    "benchmark_gradients",
    "difference_quotient",
    "figure_to_html",
    "format_seconds",
    "gradient",
    "gradient_cost_ratios",
    "load_gpu_records",
    "mark_stale",
    "numerical_derivative",
    "plot_contour",
    "plot_function",
    "plot_gradient_field",
    "plot_secant",
    "plot_tangent",
    "provenance",
    "symbolic_derivative",
    "time_call",
    "timing_table",
]
