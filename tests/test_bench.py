"""The benchmark harness: timings of known durations, compile time apart, provenance, stale GPU
records and argument errors. Speed claims are not asserted here (machines are noisy); the
Benchmarks page prints the ratios instead."""

import json
import math
import re
import shutil
import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import calcml
from calcml import (
    Timing,
    bench,
    benchmark_code_hash,
    benchmark_derivatives,
    benchmark_gradients,
    format_seconds,
    gradient,
    gradient_cost_ratios,
    load_gpu_records,
    mark_stale,
    provenance,
    time_call,
    timing_table,
)

HAS_GPU = bench._gpu_devices() != []


# --- time_call ------------------------------------------------------------------------------


def test_timing_of_a_known_sleep_is_within_tolerance():
    timing = time_call(time.sleep, 0.02, warmup=0, repeats=5)
    assert timing.number == 1 and len(timing.times) == 5
    # A sleep never ends early; a busy machine may wake it a little late.
    assert 0.0195 <= timing.median <= 0.035
    assert 0.0195 <= timing.first_call <= 0.1
    assert timing.minimum <= timing.median <= timing.maximum


def test_first_call_of_a_jitted_function_holds_the_compile_time():
    traces = []

    def f(x):
        traces.append(1)  # runs only while JAX traces f
        return jnp.sum(jnp.sin(x) ** 2)

    timing = time_call(jax.jit(f), jnp.ones(100), repeats=5)
    assert len(traces) == 1  # traced (and compiled) once, in the first call
    assert timing.first_call > 5 * timing.median


def test_every_call_is_blocked_on(monkeypatch):
    calls, blocked = [], []

    def f():
        calls.append(1)
        return jnp.ones(3)

    def block(value):
        blocked.append(1)
        return value

    monkeypatch.setattr(jax, "block_until_ready", block)
    timing = time_call(f, warmup=2, repeats=3, number=4)
    assert len(calls) == len(blocked) == 1 + 2 + 3 * 4
    assert timing.number == 4 and len(timing.times) == 3


def test_block_until_ready_passes_numpy_results_through():
    timing = time_call(np.arange, 5, repeats=1, warmup=0)
    assert timing.value.tolist() == [0, 1, 2, 3, 4]


def test_fast_calls_are_grouped_so_a_repeat_outlasts_the_timer():
    timing = time_call(lambda: None, repeats=3)
    assert timing.number > 100
    assert all(t * timing.number >= 1e-3 for t in timing.times)


def test_budget_stops_the_repeats_but_one_always_runs():
    start = time.perf_counter()
    timing = time_call(time.sleep, 0.03, warmup=0, repeats=100, budget=0.1)
    assert 1 <= len(timing.times) < 10
    assert time.perf_counter() - start < 1.0
    assert len(time_call(time.sleep, 0.03, warmup=0, repeats=5, budget=0.001).times) == 1


def test_timing_statistics_and_plain_data():
    timing = Timing(first_call=1.0, times=(4.0, 1.0, 3.0, 2.0), number=2, value=object())
    assert (timing.median, timing.minimum, timing.maximum) == (2.5, 1.0, 4.0)
    assert timing.iqr == pytest.approx(1.5)
    data = timing.as_dict()
    assert data == {
        "first_call": 1.0,
        "median": 2.5,
        "min": 1.0,
        "max": 4.0,
        "iqr": pytest.approx(1.5),
        "repeats": 4,
        "number": 2,
    }
    json.dumps(data)  # the value of the call is left out: rows stay JSON
    assert Timing(0.1, (0.5,), 1).iqr == 0.0


def test_interleaved_timings_take_turns():
    order = []
    calls = {name: (lambda name=name: order.append(name), ()) for name in "ab"}
    timings = bench._interleaved(calls, repeats=3, budget=None)
    assert [len(t.times) for t in timings.values()] == [3, 3]
    # Each function is first timed alone (first call, warm-up, one repeat), then the two take
    # turns for the remaining two rounds: "a" hands over to "b" three times in all.
    handovers = sum(1 for x, y in zip(order, order[1:], strict=False) if (x, y) == ("a", "b"))
    assert handovers == 3 and order[-1] == "b"


# --- Provenance -----------------------------------------------------------------------------


def test_provenance_has_the_documented_keys():
    info = provenance()
    assert tuple(info) == bench.PROVENANCE_KEYS
    assert info["python"] and info["numpy"] == np.__version__ and info["jax"] == jax.__version__
    assert isinstance(info["cpu_count"], int) and info["cpu_count"] >= 1
    assert info["jax_backend"] == jax.default_backend()
    assert info["gpu"] is HAS_GPU
    assert any(device.startswith("cpu:") for device in info["jax_devices"])
    assert info["code_hash"] == benchmark_code_hash()
    assert info["git_commit"] is None or re.fullmatch(r"[0-9a-f]{40}", info["git_commit"])
    assert info["git_dirty"] in (None, True, False)
    json.dumps(info)


def test_git_commit_is_none_outside_a_checkout(tmp_path):
    package = tmp_path / "calcml"
    package.mkdir()
    assert bench._git_state(package) == (None, None)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_commit_is_none_when_the_package_is_not_at_the_top_of_the_checkout(tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    package = tmp_path / "site-packages" / "calcml"
    package.mkdir(parents=True)
    assert bench._git_state(package) == (None, None)


def test_git_commit_is_none_without_git(monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert bench._git_state(bench.PACKAGE_DIR) == (None, None)
    assert provenance()["git_commit"] is None


def test_code_hash_follows_the_benchmark_code(tmp_path, monkeypatch):
    for name in bench.CODE_FILES:
        shutil.copy(bench.PACKAGE_DIR / name, tmp_path / name)
    monkeypatch.setattr(bench, "PACKAGE_DIR", tmp_path)
    original = benchmark_code_hash()
    assert re.fullmatch(r"[0-9a-f]{64}", original)
    text = (tmp_path / "gradients.py").read_bytes()
    (tmp_path / "gradients.py").write_bytes(text.replace(b"\n", b"\r\n"))
    assert benchmark_code_hash() == original  # line endings of a checkout do not count
    (tmp_path / "gradients.py").write_bytes(text + b"# changed\n")
    assert benchmark_code_hash() != original


# --- Recorded GPU results -------------------------------------------------------------------


def record(code_hash, gpu=True):
    """A synthetic record, as scripts/record_gpu_benchmarks.py writes one."""
    devices = ["cpu:0 cpu"] + (["gpu:0 NVIDIA Test GPU"] if gpu else [])
    provenance = {"code_hash": code_hash, "gpu": gpu, "jax_devices": devices}
    if code_hash is None:
        del provenance["code_hash"]
    return {"provenance": provenance, "derivatives": [], "gradients": [], "ratios": []}


def test_records_are_stale_when_the_code_hash_differs():
    records = [record("current"), record("older"), record(None), {"derivatives": []}]
    marked = mark_stale(records, code_hash="current")
    assert [r["stale"] for r in marked] == [False, True, True, True]
    assert all("stale" not in r for r in records)  # the records themselves are left alone


def test_records_are_compared_with_the_installed_code_by_default():
    marked = mark_stale([record(benchmark_code_hash()), record("0" * 64)])
    assert [r["stale"] for r in marked] == [False, True]


def test_a_record_that_is_not_a_dict_is_named():
    with pytest.raises(TypeError, match=r"^records\[1\] must be a dict, got list"):
        mark_stale([record("a"), []], code_hash="a")


def test_recorded_file_round_trip(tmp_path):
    path = tmp_path / "gpu.json"
    path.write_text(json.dumps({"records": [record(benchmark_code_hash()), record("old")]}))
    assert [r["stale"] for r in load_gpu_records(path)] == [False, True]
    assert load_gpu_records(tmp_path / "missing.json") == []


def test_the_shipped_records_load():
    records = load_gpu_records()
    assert isinstance(records, list)
    assert all(isinstance(r["stale"], bool) for r in records)


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "is not valid JSON"), ('{"records": 3}', "must hold")],
)
def test_a_malformed_records_file_is_named(tmp_path, text, message):
    path = tmp_path / "gpu.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=f"^path .*gpu.json.* {message}"):
        load_gpu_records(path)


def test_record_script_keeps_one_record_per_gpu_model():
    import record_gpu_benchmarks as script

    h100, a100 = record("a"), record("b")
    a100["provenance"]["jax_devices"] = ["cpu:0 cpu", "gpu:0 NVIDIA A100"]
    newer = record("c")
    merged = script.merge([h100, a100], newer)
    assert merged == [a100, newer]


@pytest.mark.skipif(HAS_GPU, reason="checks the refusal on a machine without a GPU")
def test_record_script_refuses_without_a_gpu(tmp_path, capsys):
    import record_gpu_benchmarks as script

    assert script.main(["--output", str(tmp_path / "gpu.json")]) == 2
    assert "no GPU" in capsys.readouterr().err
    assert not (tmp_path / "gpu.json").exists()
    assert script.main(["--allow-cpu"]) == 2  # never into the package


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


# --- Tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0, "0 ns"), (3e-9, "3 ns"), (5.72e-6, "5.72 µs"), (0.2391, "239 ms"), (1.5, "1.5 s")]
    + [(90.0, "1.5 min"), (7200.0, "2 h")],
)
def test_format_seconds_picks_the_unit(seconds, text):
    assert format_seconds(seconds) == text


@pytest.mark.parametrize("seconds", [-1.0, float("inf"), float("nan"), "1", True])
def test_format_seconds_names_a_bad_duration(seconds):
    with pytest.raises(ValueError, match=r"^seconds must be a finite number >= 0"):
        format_seconds(seconds)


def timing_row(method, n, median, backend="cpu", **extra):
    return {"method": method, "backend": backend, "n": n, "median": median, **extra}


def test_timing_table_marks_the_fastest_of_the_chosen_methods_and_what_did_not_run():
    rows = [
        timing_row("f, NumPy", 10, 1e-6),
        timing_row("slow", 10, 5e-6),
        timing_row("fast", 10, 2e-6),
        timing_row("f, NumPy", 100, 1e-5),
        timing_row("fast", 100, 3e-5),
        timing_row("reverse mode (grad)", 100, 2e-5, backend="gpu"),
    ]
    lines = timing_table(rows, best_of=["slow", "fast", "reverse mode (grad)"]).splitlines()
    assert lines[0] == "| n | f, NumPy | slow | fast | reverse mode (grad) on GPU |"
    assert lines[2] == "| 10 | 1 µs | 5 µs | **2 µs** | not run |"
    assert lines[3] == "| 10² | 10 µs | not run | 30 µs | **20 µs** |"


def test_timing_table_in_html_escapes_and_keeps_the_theme_off():
    rows = [timing_row("a<b", 10, 1e-6, f_evaluations=12345.6)]
    table = timing_table(rows, "f_evaluations", html=True)
    assert table.startswith('<table class="calcml-timings"')
    assert "a&lt;b" in table and "12,346" in table and "<b>" not in table


@pytest.mark.parametrize(
    ("rows", "column", "message"),
    [
        ([], "median", r"^rows must hold at least one benchmark row"),
        ([{"method": "a", "n": 10, "median": 1.0}], "median", r"^rows\[0\] lacks \['backend'\]"),
        ([timing_row("a", 10, 1.0)], "max_error", r"^rows\[0\] lacks \['max_error'\]"),
    ],
)
def test_timing_table_names_a_bad_row(rows, column, message):
    with pytest.raises(ValueError, match=message):
        timing_table(rows, column)


# --- Argument errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"warmup": -1}, r"^warmup must be an integer >= 0, got -1"),
        ({"repeats": 0}, r"^repeats must be an integer >= 1, got 0"),
        ({"repeats": True}, r"^repeats must be an integer >= 1, got True"),
        ({"repeats": 2.5}, r"^repeats must be an integer"),
        ({"number": 0}, r"^number must be an integer >= 1, got 0"),
        ({"budget": 0}, r"^budget must be a positive number of seconds or None, got 0"),
        ({"budget": float("nan")}, r"^budget must be a positive number"),
        ({"budget": "1s"}, r"^budget must be a positive number"),
    ],
)
def test_time_call_names_a_bad_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        time_call(time.sleep, 0, **kwargs)


def test_time_call_needs_a_callable():
    with pytest.raises(TypeError, match=r"^f must be a callable, got int 3"):
        time_call(3)


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
    expected = gradient(bench._rosenbrock_jax, point)
    result = gradient(bench._rosenbrock_jax, on_device)
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
        gradient(bench._rosenbrock_jax, x)


def test_public_names_are_exported():
    names = ("time_call", "Timing", "provenance", "load_gpu_records", "mark_stale", "timing_table")
    for name in names:
        assert name in calcml.__all__
