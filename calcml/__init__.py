"""calcml: calculus for machine learning, executable.

The public API is this module's top level; every lesson and tutorial on the site uses it.
The public submodules ``calcml.datasets`` and ``calcml.ad`` keep their names to themselves.
"""

from calcml import ad  # noqa: F401 (calcml.ad after `import calcml`; names stay in ad)
from calcml.autodiff import autodiff_derivative
from calcml.bench import Timing, benchmark_code_hash, provenance, time_call
from calcml.bench_descent import benchmark_descent, descent_table
from calcml.bench_format import format_ratio, format_seconds, format_size
from calcml.bench_parallel import benchmark_data_parallel, data_parallel_table
from calcml.bench_records import gpu_records_report, load_gpu_records, mark_stale
from calcml.bench_report import (
    cost_ratio_table,
    fastest_by_size,
    plot_gradient_costs,
    provenance_table,
    rows_by_size,
    timing_table,
)
from calcml.bench_suites import benchmark_derivatives, benchmark_gradients, gradient_cost_ratios
from calcml.data_parallel import data_parallel_nn_model, use_cpu_devices
from calcml.derivatives import difference_quotient, numerical_derivative
from calcml.estimators import PerceptronClassifier, PerceptronRegressor
from calcml.gradients import gradient
from calcml.hidden_layer import (
    hidden_layer_backward,
    hidden_layer_forward,
    hidden_layer_model,
    hidden_layer_predict,
    initialize_hidden_layer,
    update_hidden_layer,
)
from calcml.integrals import MonteCarloEstimate, monte_carlo_integral, riemann_sum, trapezoid
from calcml.optimize import (
    DescentResult,
    DivergenceError,
    gradient_descent,
    gradient_descent_jax,
    newton_method,
)
from calcml.path_plots import (
    animate_path,
    animation_to_html,
    plot_cost_history,
    plot_path_on_contour,
    plot_path_on_curve,
    plot_path_on_surface,
)
from calcml.perceptron import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    nn_model,
    predict,
    sigmoid,
    update_parameters,
)
from calcml.plane_plots import plot_contour, plot_decision_boundary, plot_gradient_field
from calcml.plotting import figure_to_html, plot_function, plot_secant, plot_tangent
from calcml.symbolic import symbolic_derivative

__version__ = "0.1.0"

__all__ = [
    "DescentResult",
    "DivergenceError",
    "MonteCarloEstimate",
    "PerceptronClassifier",
    "PerceptronRegressor",
    "Timing",
    "animate_path",
    "animation_to_html",
    "autodiff_derivative",
    "backward_propagation",
    "benchmark_code_hash",
    "benchmark_data_parallel",
    "benchmark_derivatives",
    "benchmark_descent",
    "benchmark_gradients",
    "compute_cost",
    "cost_ratio_table",
    "data_parallel_nn_model",
    "data_parallel_table",
    "descent_table",
    "difference_quotient",
    "fastest_by_size",
    "figure_to_html",
    "format_ratio",
    "format_seconds",
    "format_size",
    "forward_propagation",
    "gpu_records_report",
    "gradient",
    "gradient_cost_ratios",
    "gradient_descent",
    "gradient_descent_jax",
    "hidden_layer_backward",
    "hidden_layer_forward",
    "hidden_layer_model",
    "hidden_layer_predict",
    "initialize_hidden_layer",
    "initialize_parameters",
    "load_gpu_records",
    "mark_stale",
    "monte_carlo_integral",
    "newton_method",
    "nn_model",
    "numerical_derivative",
    "plot_contour",
    "plot_cost_history",
    "plot_decision_boundary",
    "plot_function",
    "plot_gradient_costs",
    "plot_gradient_field",
    "plot_path_on_contour",
    "plot_path_on_curve",
    "plot_path_on_surface",
    "plot_secant",
    "plot_tangent",
    "predict",
    "provenance",
    "provenance_table",
    "riemann_sum",
    "rows_by_size",
    "sigmoid",
    "symbolic_derivative",
    "time_call",
    "timing_table",
    "trapezoid",
    "update_hidden_layer",
    "update_parameters",
    "use_cpu_devices",
]
