"""Data-parallel training: on 2 simulated CPU devices it equals nn_model to float32 rounding, for
both tasks and for an m that does not split evenly; XLA really reduces across the devices; and
every error path raises.

JAX creates its devices once per process, and this pytest process has already used JAX with one
CPU device, so the 2-device runs happen in a subprocess that asks for them first thing.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import jax
import numpy as np
import pytest

import calcml
from calcml import (
    DivergenceError,
    benchmark_data_parallel,
    data_parallel_nn_model,
    data_parallel_table,
    nn_model,
    predict,
    use_cpu_devices,
)
from calcml import data_parallel as dp
from calcml.bench import _cpu_count
from calcml.datasets import load_house_prices, load_tv_marketing

ROOT = Path(__file__).resolve().parent.parent
CORES = _cpu_count() or 1


def tv_normalised():
    X, Y = load_tv_marketing()
    return (X - X.mean()) / X.std(), (Y - Y.mean()) / Y.std()


def house_classes_normalised():
    """Ames sales above the median price from living area and quality: not separable, so the
    log-loss has a finite optimum and the weights stay moderate."""
    X, price = load_house_prices(("Gr Liv Area", "Overall Qual"))
    X = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    return X, (price > np.median(price)).astype(np.float64)


# Regression on 200 and 199 markets, classification on 2,928 and 2,927 sales: the odd counts
# are padded to a multiple of 2 devices.
CASES = [
    ("regression", 200, 500, 0.1),
    ("regression", 199, 500, 0.1),
    ("classification", 2928, 2000, 1.0),
    ("classification", 2927, 2000, 1.0),
]


def assert_same_model(parameters, reference):
    """Equal to nn_model's float64 run up to float32 rounding, accumulated over the steps."""
    assert parameters["task"] == reference["task"]
    assert parameters["W"].shape == reference["W"].shape
    assert parameters["b"].shape == reference["b"].shape
    assert parameters["W"].dtype == np.float32
    np.testing.assert_allclose(parameters["W"], reference["W"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(parameters["b"], reference["b"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(parameters["costs"], reference["costs"], rtol=1e-5, atol=1e-7)


# --- 2 simulated CPU devices, in a fresh process -------------------------------------------------

TWO_DEVICES = r"""
import json, sys
import jax
from calcml import use_cpu_devices

asked = use_cpu_devices(10**4)  # capped at the cores
import numpy as np
from tests.test_data_parallel import CASES, house_classes_normalised, tv_normalised
from calcml import data_parallel_nn_model
from calcml import data_parallel as dp

out = {"asked": asked, "cpu_devices": len(jax.devices("cpu")), "runs": []}
data = {"regression": tv_normalised(), "classification": house_classes_normalised()}
for task, m, num_iterations, learning_rate in CASES:
    X, Y = data[task]
    p = data_parallel_nn_model(
        X[:, :m], Y[:, :m], num_iterations, learning_rate, task=task, num_devices=2
    )
    out["runs"].append({k: np.asarray(v).tolist() for k, v in p.items() if k != "task"})
out["compiled_loops"] = dp._train._cache_size()

# Fewer examples than devices: one real column, one of padding.
X, Y = data["regression"]
p = data_parallel_nn_model(X[:, :1], Y[:, :1], 50, 0.1, num_devices=2)
out["one_example"] = {k: np.asarray(v).tolist() for k, v in p.items() if k != "task"}

# The compiled loop of a 2-device run, and how X is laid out on the devices.
mesh = dp._mesh(2)
columns = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec(None, dp.AXIS))
replicated = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
X = jax.device_put(np.ones((3, 10), np.float32), columns)
Y = jax.device_put(np.ones((1, 10), np.float32), columns)
W = jax.device_put(np.zeros((1, 3), np.float32), replicated)
b = jax.device_put(np.zeros((1, 1), np.float32), replicated)
lowered = dp._train.lower(X, Y, Y, W, b, 10.0, 0.1, task="regression", num_iterations=5)
out["hlo"] = lowered.compile().as_text()
out["shards"] = [[str(s.device), s.data.shape[1]] for s in X.addressable_shards]
json.dump(out, sys.stdout)
"""


@pytest.fixture(scope="module")
def two_devices() -> dict:
    if CORES < 2:
        pytest.skip(f"2 simulated devices need 2 cores, this process may use {CORES}")
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "PYTHONPATH": str(ROOT)}
    # A deadlocked all-reduce would hang; XLA aborts it after 40 s, the timeout stops the rest.
    done = subprocess.run(
        [sys.executable, "-c", TWO_DEVICES],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_use_cpu_devices_caps_the_count_at_the_cores(two_devices):
    assert two_devices["asked"] == CORES
    assert two_devices["cpu_devices"] == CORES


@pytest.mark.parametrize("case", range(len(CASES)))
def test_two_devices_equal_nn_model(two_devices, case):
    task, m, num_iterations, learning_rate = CASES[case]
    X, Y = tv_normalised() if task == "regression" else house_classes_normalised()
    reference = nn_model(X[:, :m], Y[:, :m], num_iterations, learning_rate, task=task)
    run = two_devices["runs"][case]
    parameters = {"task": task, **{k: np.asarray(v, np.float32) for k, v in run.items()}}
    assert_same_model(parameters, reference)


def test_fewer_examples_than_devices_equal_nn_model(two_devices):
    X, Y = tv_normalised()
    reference = nn_model(X[:, :1], Y[:, :1], 50, 0.1)
    run = two_devices["one_example"]
    parameters = {"task": "regression", **{k: np.asarray(v, np.float32) for k, v in run.items()}}
    assert_same_model(parameters, reference)


def test_two_devices_split_the_columns_and_all_reduce(two_devices):
    devices = [device for device, _ in two_devices["shards"]]
    assert len(set(devices)) == 2
    assert [width for _, width in two_devices["shards"]] == [5, 5]
    # One all-reduce per step, inside the compiled loop, carrying dW, db and the cost together.
    in_loop = [
        line
        for line in two_devices["hlo"].splitlines()
        if " all-reduce(" in line and "while/body" in line
    ]
    assert len(in_loop) == 1, in_loop
    assert "(f32[1,3]{1,0}, f32[1]{0}, f32[])" in in_loop[0]


def test_an_odd_m_and_a_new_learning_rate_reuse_the_compiled_loop(two_devices):
    # 200 and 199 columns both pad to 200, 2,928 and 2,927 to 2,928: one loop per task.
    assert two_devices["compiled_loops"] == 2


# --- 2 processes, as on 2 hosts ------------------------------------------------------------------

TWO_PROCESSES = r"""
import json, sys
import jax

port, process_id = sys.argv[1], int(sys.argv[2])
jax.distributed.initialize(f"127.0.0.1:{port}", num_processes=2, process_id=process_id)
import numpy as np
from tests.test_data_parallel import tv_normalised
from calcml import data_parallel_nn_model

X, Y = tv_normalised()
part = [slice(0, 120), slice(120, 199)][process_id]  # uneven parts: 79 columns padded to 120
p = data_parallel_nn_model(X[:, part], Y[:, part], 500, 0.1)
out = {"devices": len(jax.devices()), "processes": jax.process_count()}
out.update({k: np.asarray(v).tolist() for k, v in p.items() if k != "task"})
print(json.dumps(out))  # the last line: gloo writes to stdout too
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_processes_each_with_its_own_part_train_one_model():
    """The several-hosts path (jax.distributed, make_array_from_process_local_data), run as two
    processes on this machine that talk through the CPU collectives over TCP."""
    if CORES < 2:
        pytest.skip(f"2 processes need 2 cores, this process may use {CORES}")
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "PYTHONPATH": str(ROOT)}
    port = free_port()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", TWO_PROCESSES, str(port), str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for i in range(2)
    ]
    outputs = []
    try:
        for process in processes:
            stdout, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr[-3000:]
            outputs.append(json.loads(stdout.splitlines()[-1]))
    finally:
        for process in processes:
            process.kill()  # a no-op for those that have finished
    X, Y = tv_normalised()
    reference = nn_model(X[:, :199], Y[:, :199], 500, 0.1)
    for out in outputs:
        assert (out["devices"], out["processes"]) == (2, 2)
        parameters = {"task": "regression"}
        parameters |= {k: np.asarray(out[k], np.float32) for k in ("W", "b", "costs")}
        assert_same_model(parameters, reference)


# --- one device, in this process ----------------------------------------------------------------


@pytest.mark.parametrize("case", [0, 2])
def test_one_device_equals_nn_model(case):
    task, m, num_iterations, learning_rate = CASES[case]
    X, Y = tv_normalised() if task == "regression" else house_classes_normalised()
    parameters = data_parallel_nn_model(
        X, Y, num_iterations, learning_rate, task=task, num_devices=1
    )
    reference = nn_model(X, Y, num_iterations, learning_rate, task=task)
    assert_same_model(parameters, reference)
    np.testing.assert_array_equal(predict(X, parameters) > 0.5, predict(X, reference) > 0.5)


def test_a_new_learning_rate_does_not_recompile():
    X, Y = tv_normalised()
    data_parallel_nn_model(X, Y, 7, 0.1)
    before = dp._train._cache_size()
    data_parallel_nn_model(X, Y, 7, 0.2)
    assert dp._train._cache_size() == before


def test_a_large_learning_rate_raises_divergence_naming_it():
    X, Y = load_tv_marketing()  # not normalised: budgets in the hundreds
    with pytest.raises(DivergenceError, match=r"learning_rate=0\.5") as caught:
        data_parallel_nn_model(X, Y, 1000, 0.5)
    error = caught.value
    assert 0 < error.iteration <= 1000
    assert len(error.path) == error.iteration and np.all(np.isfinite(error.path))


# --- errors -------------------------------------------------------------------------------------


def test_more_devices_than_found_names_both():
    found = len(jax.devices())
    with pytest.raises(ValueError, match=rf"num_devices={found + 1} but JAX found {found} dev"):
        data_parallel_nn_model([[1.0, 2.0]], [[1.0, 2.0]], 5, 0.1, num_devices=found + 1)


@pytest.mark.parametrize("num_devices", [0, -1, 1.5, True, "2"])
def test_num_devices_must_be_a_positive_integer(num_devices):
    with pytest.raises(ValueError, match=r"^num_devices must be an integer >= 1"):
        data_parallel_nn_model([[1.0, 2.0]], [[1.0, 2.0]], 5, 0.1, num_devices=num_devices)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([[1.0, 2.0]], [[1.0]], 5, 0.1), {}, ValueError, r"same number of examples"),
        (([[1.0, np.nan]], [[1.0, 2.0]], 5, 0.1), {}, ValueError, r"^X must be finite"),
        (([1.0, 2.0], [[1.0, 2.0]], 5, 0.1), {}, ValueError, r"^X must be a 2-D array"),
        (([[1.0, 2.0]], [[0.0, 2.0]], 5, 0.1), {"task": "classification"}, ValueError, "0 and 1"),
        (([[1.0, 2.0]], [[1.0, 2.0]], 0, 0.1), {}, ValueError, r"^num_iterations must be"),
        (([[1.0, 2.0]], [[1.0, 2.0]], 5, -0.1), {}, ValueError, r"^learning_rate must be"),
        (([[1.0, 2.0]], [[1.0, 2.0]], 5, "fast"), {}, TypeError, r"^learning_rate must be"),
        (([[1.0, 2.0]], [[1.0, 2.0]], 5, 0.1), {"task": "ranking"}, ValueError, r"^task must"),
        (([[1.0, 2.0]], [[1.0, 2.0]], 5, 0.1), {"seed": 1.5}, ValueError, r"^seed must"),
    ],
)
def test_bad_inputs_raise_as_nn_model_does(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        data_parallel_nn_model(*args, **kwargs)


def test_use_cpu_devices_cannot_change_devices_jax_has_made():
    have = len(jax.devices("cpu"))  # JAX has run in this process: its devices exist
    assert use_cpu_devices(have) == have
    if CORES <= have:
        pytest.skip("the cap leaves no other count to ask for")
    with pytest.raises(RuntimeError, match=rf"already created its {have} CPU device.*fresh"):
        use_cpu_devices(have + 1)


def test_use_cpu_devices_caps_before_asking(monkeypatch):
    have = len(jax.devices("cpu"))
    monkeypatch.setattr(dp, "_cpu_count", lambda: have)
    assert use_cpu_devices(8 * have) == have  # capped to what JAX has: nothing to change


@pytest.mark.parametrize("k", [0, 2.0, True, None])
def test_use_cpu_devices_needs_a_positive_integer(k):
    with pytest.raises(ValueError, match=r"^k must be an integer >= 1"):
        use_cpu_devices(k)


def test_public_names_are_exported():
    names = {"data_parallel_nn_model", "use_cpu_devices"}
    names |= {"benchmark_data_parallel", "data_parallel_table"}
    assert names <= set(calcml.__all__)


# --- the benchmark --------------------------------------------------------------------------------


def test_benchmark_rows_and_table_agree_with_their_timings():
    rows = benchmark_data_parallel([64, 128], [1], num_iterations=5, repeats=2, budget=0.01)
    assert [(row["m"], row["num_devices"]) for row in rows] == [(64, 1), (128, 1)]
    for row in rows:
        assert row["per_second"] == pytest.approx(5 / row["median"])
        assert row["speedup"] == 1.0 and row["min"] <= row["median"] <= row["max"]
        assert row["backend"] == jax.devices()[0].platform and row["n_x"] == 8
    lines = data_parallel_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    last = rows[-1]
    cells = [cell.strip() for cell in lines[-1].strip("|").split("|")]
    assert cells[:4] == ["128", f"1 {last['backend']}", f"{last['per_second']:,.0f}", "1.00×"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": 100}, r"^sizes must be a sequence of integers"),
        ({"sizes": [1]}, r"^sizes \(each size\) must be an integer >= 2, got 1"),
        ({"num_devices": 2}, r"^num_devices must be a sequence of integers >= 1, got 2"),
        ({"num_devices": []}, r"^num_devices must name at least one device count"),
        ({"num_devices": [0]}, r"^num_devices \(each count\) must be an integer >= 1"),
        ({"num_devices": [99]}, r"^num_devices=99 but JAX found"),
        ({"repeats": 0}, r"^repeats must be an integer >= 1"),
        ({"budget": -1.0}, r"^budget must be a positive number"),
    ],
)
def test_benchmark_bad_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        benchmark_data_parallel(**{"sizes": [16], "num_iterations": 2, **kwargs})
