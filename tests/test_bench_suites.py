"""The benchmark suites: the rows each returns, where each method stops, and argument errors.
Speed claims are not asserted here (machines are noisy); the Benchmarks page prints them."""

import json
import math

import jax.numpy as jnp
import numpy as np
import pytest

from calcml import (
    bench,
    bench_suites,
    benchmark_derivatives,
    benchmark_gradients,
    gradient,
    gradient_cost_ratios,
)

HAS_GPU = bench._gpu_devices() != []


# --- Suites ---------------------------------------------------------------------------------


def test_derivative_suite_rows():
    rows = benchmark_derivatives(sizes=[50, 200], subs_max=100, repeats=1, backends=["cpu"])
    assert [(r["method"], r["n"]) for r in rows if r["method"].startswith("SymPy subs")] == [
        ("SymPy subs/evalf", 50)
    ]
    for row in rows:
        assert {"method", "backend", "n", "precision", "median", "first_call", "max_error"} <= set(
            row
        )
        assert row["max_error"] < 0.1  # every method computes the same derivative
    json.dumps(rows)


def test_gradient_suite_stops_each_method_at_its_cutoff():
    rows = benchmark_gradients(
        sizes=[10, 100], numerical_max=10, forward_max=50, repeats=1, backends="cpu"
    )
    present = {(r["method"], r["n"]) for r in rows}
    assert ("finite differences", 10) in present and ("finite differences", 100) not in present
    assert ("forward mode (jacfwd)", 100) not in present
    assert ("reverse mode (grad)", 100) in present
    for row in rows:
        if row["method"].startswith("f, "):
            assert row["f_evaluations"] == 1.0
        assert math.isfinite(row["f_evaluations"])


def test_cost_ratio_rows_are_relative_to_one_evaluation():
    rows = gradient_cost_ratios(n=100, repeats=1, backends=["cpu"])
    assert rows[0]["method"] == "f, jit" and rows[0]["ratio"] == 1.0
    assert {r["method"] for r in rows} >= {
        "gradient(f, x), JAX array",
        "jit(grad(f)) built in each call",
    }


# --- Argument errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suite", "kwargs", "message"),
    [
        (benchmark_derivatives, {"sizes": []}, r"^sizes must name at least one size"),
        (benchmark_derivatives, {"sizes": [1]}, r"^sizes \(each size\) must be an integer >= 2"),
        (benchmark_derivatives, {"sizes": 100}, r"^sizes must be a sequence of integers"),
        (benchmark_derivatives, {"subs_max": -1}, r"^subs_max must be an integer >= 0"),
        (benchmark_derivatives, {"backends": ["tpu"]}, r"^backends must name JAX backends"),
        (benchmark_gradients, {"numerical_max": -1}, r"^numerical_max must be an integer"),
        (benchmark_gradients, {"forward_max": 1.5}, r"^forward_max must be an integer"),
        (benchmark_gradients, {"backends": []}, r"^backends must name JAX backends"),
        (benchmark_gradients, {"repeats": 0}, r"^repeats must be an integer >= 1"),
        (gradient_cost_ratios, {"n": 1}, r"^n must be an integer >= 2, got 1"),
        (gradient_cost_ratios, {"budget": -1.0}, r"^budget must be a positive number"),
    ],
)
def test_suites_name_a_bad_argument(suite, kwargs, message):
    with pytest.raises(ValueError, match=message):
        suite(**kwargs)


@pytest.mark.skipif(HAS_GPU, reason="checks the error on a machine without a GPU")
def test_asking_for_a_gpu_that_is_not_there_says_what_is():
    with pytest.raises(ValueError, match=r"present here \(cpu\), got \['gpu'\]"):
        benchmark_gradients(sizes=[10], backends=["gpu"])


# --- gradient() on a JAX array, the path the benchmarks time --------------------------------


def test_gradient_of_a_jax_array_matches_that_of_a_numpy_array():
    point = np.random.default_rng(1).uniform(-1, 1, 20)
    on_device = jnp.asarray(point, dtype=jnp.float32)
    expected = gradient(bench_suites._rosenbrock_jax, point)
    result = gradient(bench_suites._rosenbrock_jax, on_device)
    assert isinstance(result, np.ndarray) and result.dtype == expected.dtype
    np.testing.assert_allclose(result, expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (jnp.array([1.0, jnp.nan]), r"^x must be finite"),
        (jnp.array([1.0, jnp.inf]), r"^x must be finite"),
        (jnp.ones((2, 2)), r"^x must be a 1-D array \(a point in R\^n\), got shape \(2, 2\)"),
    ],
)
def test_gradient_checks_a_jax_array_on_its_device(x, message):
    with pytest.raises(ValueError, match=message):
        gradient(bench_suites._rosenbrock_jax, x)
