"""The timing harness and provenance: timings of known durations, compile time apart, turns,
the machine and code a measurement names, and argument errors. Speed claims are not asserted
here (machines are noisy); the Benchmarks page prints the ratios instead."""

import ast
import inspect
import json
import re
import shutil
import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import calcml
from calcml import Timing, bench, benchmark_code_hash, provenance, time_call

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
    (tmp_path / "gradients.py").write_bytes(text.replace(b'"""', b'"""Reworded. ', 1) + b"# note\n")
    assert benchmark_code_hash() == original  # nor do docstrings and comments
    (tmp_path / "gradients.py").write_bytes(text + b"CHANGED = 1\n")
    assert benchmark_code_hash() != original


def test_code_hash_covers_every_calcml_module_the_suites_run():
    """A module the suites import, directly or through another, can change what they time;
    loading and presenting results cannot."""
    seen, todo = set(), ["bench_suites.py", "bench_descent.py", "bench_parallel.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((bench.PACKAGE_DIR / name).read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("calcml."):
                todo.append(node.module.removeprefix("calcml.").replace(".", "/") + ".py")
    assert seen <= set(bench.CODE_FILES), seen - set(bench.CODE_FILES)
    assert {"bench_records.py", "bench_report.py", "bench_format.py"}.isdisjoint(bench.CODE_FILES)


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


# --- The public API -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    ["bench", "bench_suites", "bench_descent", "bench_parallel", "bench_records", "bench_report"]
    + ["bench_format"],
)
def test_every_public_function_of_the_benchmark_modules_is_exported(module):
    module = getattr(calcml, module)
    names = [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == module.__name__
    ]
    assert names
    assert set(names) <= set(calcml.__all__)
