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
# # Data-parallel gradient descent with JAX sharding
#
# **What you will learn**: why the gradient of a cost that averages over examples can be
# computed in pieces, one piece per device, and added up by an *all-reduce*; how JAX spreads
# an array over several devices with a `Mesh` and a `NamedSharding`, and lets XLA insert the
# all-reduce for you; how to check that training on several devices gives the same model as
# training on one; what it gains in speed, here and on GPUs; and how the same function runs on
# several hosts.
#
# **What you need**: the perceptron's gradient descent,
# [`nn_model`](../../reference/perceptron/#calcml.perceptron.nn_model), and its gradients
# [`backward_propagation`](../../reference/perceptron/#calcml.perceptron.backward_propagation);
# the compiled loop of [Gradient descent in one variable](../gradient-descent-one-variable/);
# and the timing rules of the [Benchmarks](../../reference/benchmarks/) page. The functions used
# here are in [`calcml.data_parallel`](../../reference/data_parallel/).
#
# Without an accelerator, as in the site's usual build, the page uses JAX's *simulated CPU
# devices*: one process that pretends to have several CPU devices (the cells below print
# which devices this build found). JAX creates its devices once, the first time it runs
# anything, so the number must be set before that, in the very first cell.
# [`use_cpu_devices`](../../reference/data_parallel/#calcml.data_parallel.use_cpu_devices)
# does it, and never gives more devices than cores: with more, the all-reduce can deadlock in
# XLA's CPU runtime (8 devices on 2 cores abort after 40 s with JAX 0.10.2).

# %%
import jax

from calcml import use_cpu_devices

use_cpu_devices(2)  # at most one device per core

# %%
import os
import time

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P

from calcml import (
    benchmark_data_parallel,
    data_parallel_nn_model,
    data_parallel_table,
    load_gpu_records,
    nn_model,
    provenance,
)
from calcml.datasets import load_house_prices, load_tv_marketing

page_start = time.perf_counter()
k = len(jax.devices())  # the simulated CPU devices, or the GPUs when JAX finds any
print(f"{os.cpu_count()} cores; JAX backend {jax.default_backend()!r}; devices {jax.devices()}")

# %% [markdown]
# ## The idea: a sum over examples is a sum over shards
#
# The perceptron's gradients average over the $m$ examples, the columns of $X$:
#
# $$\frac{\partial \mathcal{L}}{\partial W} = \frac{1}{m} \sum_{i=1}^{m}
# (\hat y_i - y_i)\, x_i^T, \qquad
# \frac{\partial \mathcal{L}}{\partial b} = \frac{1}{m} \sum_{i=1}^{m} (\hat y_i - y_i).$$
#
# Cut the columns into $D$ *shards*, one per device. A sum over all the columns is the sum of
# the $D$ sums over the shards, so each device can compute the partial sum $g_d$ over its own
# examples, with its own copy of $W$ and $b$. Then one collective operation, an
# **all-reduce**, adds the $D$ partial sums and hands the total to every device. Every device
# divides by $m$ and takes the same step, so the copies of $W$ and $b$ stay identical. That
# is *data parallelism*: one model, its data split.

# %% alt="Diagram of one data-parallel step on two devices. The matrix X, features by m examples, is cut into two shards of columns. Device 0 holds shard 0 and device 1 holds shard 1, each with its own copy of W and b; each computes the partial sums g_0 and g_1 of the gradient over its own examples. An all-reduce adds g_0 and g_1, every device divides the total by m and takes the same step, so both copies of W and b stay equal."
fig, ax = plt.subplots(figsize=(9, 3.4))
ax.set(xlim=(0, 10), ylim=(0, 4.2))
ax.axis("off")
ax.text(1.5, 1.1, r"$X$: $n_x \times m$, its columns split", ha="center", va="top")
for d, colour in enumerate(["tab:blue", "tab:orange"]):
    y = 2.4 - 2.0 * d  # bottom of device d's box
    ax.add_patch(plt.Rectangle((0.2 + 1.3 * d, 1.5), 1.3, 1.4, color=colour, alpha=0.35))
    ax.text(0.85 + 1.3 * d, 2.2, f"shard {d}", ha="center", va="center")
    ax.add_patch(plt.Rectangle((3.3, y), 3.3, 1.4, fill=False, edgecolor=colour, lw=2))
    label = rf"$g_{d} = \sum_{{i \in \mathrm{{shard}}\ {d}}} (\hat y_i - y_i)\, x_i^T$"
    ax.text(4.95, y + 0.7, f"device {d}, its own copy of W, b\n{label}", ha="center", va="center")
    start = (0.85 + 1.3 * d, 2.9 if d == 0 else 1.5)  # top of shard 0, bottom of shard 1
    arrow = {"arrowstyle": "->", "color": colour, "connectionstyle": "arc3,rad=-0.3"}
    ax.annotate("", xy=(3.3, y + 0.7), xytext=start, arrowprops=arrow)
    ax.annotate("", xy=(7.3, 2.1), xytext=(6.6, y + 0.7), arrowprops={"arrowstyle": "->"})
ax.add_patch(plt.Rectangle((7.3, 1.4), 2.6, 1.4, fill=False, lw=2))
ax.text(
    8.6,
    2.1,
    "all-reduce:\n" + r"$(g_0 + g_1)\,/\,m$" + "\nto every device",
    ha="center",
    va="center",
)
ax.set_title("One data-parallel step: partial sums on each device, one all-reduce")
plt.show()

# %% [markdown]
# ## A mesh, a sharding, and where the columns go
#
# JAX describes the devices as a `Mesh`, an array of devices with named axes; here one axis,
# `"examples"`, of $k$ devices. A `NamedSharding` says how an array is laid out on a mesh:
# `P(None, "examples")` keeps the rows whole and splits the columns along `"examples"`, and
# `P()` replicates the whole array on every device.

# %%
mesh = jax.make_mesh((k,), ("examples",), axis_types=(AxisType.Auto,))
columns = NamedSharding(mesh, P(None, "examples"))
replicated = NamedSharding(mesh, P())

X_demo = jax.device_put(np.arange(24, dtype=np.float32).reshape(2, 12), columns)
print(X_demo.sharding)
for shard in X_demo.addressable_shards:
    print(f"{shard.device}: columns {shard.index[1]}, shape {shard.data.shape}")

# %% [markdown]
# Each device holds its own block of columns, and no device holds all of them. A function
# compiled with `jax.jit` runs on all the devices at once (one program, many data), and XLA's
# partitioner decides what each device computes and where data must move. Here is one
# gradient step of the perceptron, written as if for one device; the partitioner sees the
# products `dZ @ X.T` and `jnp.sum(dZ)` run over the split axis and adds an all-reduce:


# %%
@jax.jit
def gradient(W, b, X, Y):
    dZ = W @ X + b - Y  # regression: Y_hat - Y
    m = X.shape[1]
    return dZ @ X.T / m, jnp.sum(dZ, axis=1, keepdims=True) / m


Y_demo = jax.device_put(np.ones((1, 12), np.float32), columns)
W0 = jax.device_put(np.zeros((1, 2), np.float32), replicated)
b0 = jax.device_put(np.zeros((1, 1), np.float32), replicated)
compiled = gradient.lower(W0, b0, X_demo, Y_demo).compile().as_text()
reductions = [line.strip() for line in compiled.splitlines() if " all-reduce(" in line]
print(f"{len(reductions)} all-reduce in the compiled step:")
for line in reductions:
    print(line[:110], "...")
dW, db = gradient(W0, b0, X_demo, Y_demo)
print("dW is", dW.sharding.spec, "- replicated, the same on every device")

# %% [markdown]
# **A pitfall: explicit axis types.** `jax.make_mesh` gives its axes *explicit* types by
# default (in the JAX that built this page, whose version the cell prints). Under them, JAX
# refuses to guess how the result of a product over a split axis should be laid out, and
# raises `ShardingTypeError` instead of inserting the all-reduce:

# %%
explicit = jax.make_mesh((k,), ("examples",))  # the default axis types
print(f"JAX {jax.__version__}, default axis types: {explicit.axis_types}")
X_explicit = jax.device_put(X_demo, NamedSharding(explicit, P(None, "examples")))
try:
    jax.jit(lambda dZ, X: dZ @ X.T)(jax.device_put(Y_demo, X_explicit.sharding), X_explicit)
    print("no error: this version of JAX chose an output sharding itself")
except Exception as error:  # jax._src.core.ShardingTypeError, not exported by JAX
    assert type(error).__name__ == "ShardingTypeError", error
    print(f"{type(error).__name__}: {str(error)[:160]}")

# %% [markdown]
# Pass `axis_types=(AxisType.Auto,)` to `jax.make_mesh`, as above, to let the partitioner
# decide; or keep explicit axes and give each such product an `out_sharding`.

# %% [markdown]
# ## The whole training loop, sharded
#
# [`data_parallel_nn_model`](../../reference/data_parallel/#calcml.data_parallel.data_parallel_nn_model)
# is `nn_model` built this way: it shards the columns of `X` and `Y` over the $k$ devices,
# replicates `W` and `b`, and compiles all the steps as one `lax.scan` inside `jax.jit`,
# with one all-reduce per step (the gradients and the cost travel together). When $m$ is not
# a multiple of $k$, it pads the columns with zeros and multiplies every term by a mask of ones
# and zeros, so that the padding adds nothing; the means still divide by the true $m$. It
# starts from the same parameters as `nn_model` for the same `seed`, so the two must agree,
# up to the rounding of float32 (JAX's default) against float64 (NumPy's).
#
# First the regression of sales on TV budgets (200 markets, normalised), then the
# classification of Ames sales above the median price from living area and quality (2,928
# sales, not linearly separable), each also with one example fewer, so that $m$ is odd:

# %%
X_tv, Y_tv = load_tv_marketing()
X_tv, Y_tv = (X_tv - X_tv.mean()) / X_tv.std(), (Y_tv - Y_tv.mean()) / Y_tv.std()
X_house, price = load_house_prices(("Gr Liv Area", "Overall Qual"))
X_house = (X_house - X_house.mean(axis=1, keepdims=True)) / X_house.std(axis=1, keepdims=True)
Y_house = (price > np.median(price)).astype(np.float64)

runs = [
    ("regression", X_tv, Y_tv, 500, 0.1),
    ("classification", X_house, Y_house, 2000, 1.0),
]
lines = [
    "| task | m | steps | max \\|ΔW\\| | max \\|Δb\\| | max \\|Δcost\\| | final cost |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
]
largest = 0.0
for task, X, Y, steps, rate in runs:
    for m in (X.shape[1], X.shape[1] - 1):
        ours = data_parallel_nn_model(X[:, :m], Y[:, :m], steps, rate, task=task)
        reference = nn_model(X[:, :m], Y[:, :m], steps, rate, task=task)
        dW, db, dcost = (np.max(np.abs(ours[key] - reference[key])) for key in ("W", "b", "costs"))
        scale = max(1.0, np.max(np.abs(reference["W"])))
        largest = max(largest, dW / scale, db / scale)
        lines.append(
            f"| {task} | {m:,} | {steps:,} | {dW:.1e} | {db:.1e} | {dcost:.1e} "
            f"| {reference['costs'][-1]:.6f} |"
        )
assert largest < 1e-5, largest  # float32 rounding, accumulated over the steps
Markdown(f"""Data-parallel training on {k} devices against `nn_model`:

{chr(10).join(lines)}

The largest difference in `W` or `b`, relative to the size of the weights, is
{largest:.0e}: float32 keeps about 7 significant digits, and the steps carry their rounding
along. Splitting the sums over devices changes only the order of the additions.""")

# %% [markdown]
# ## How fast: 1 device against $k$
#
# [`benchmark_data_parallel`](../../reference/bench_parallel/#calcml.bench_parallel.benchmark_data_parallel)
# trains a regression on `n_x = 8` random features for 100 steps, on 1 device and on $k$,
# timed in turns by [`time_call`](../../reference/bench/#calcml.bench.time_call)'s rules: the first
# call (which traces and compiles) apart, then the median of up to 5 repeats, every result
# blocked on. A call is timed whole, as a reader makes it: checking `X`, copying it to the
# devices, the loop, and copying the result back.

# %%
SIZES = [10**3, 10**4, 10**5, 10**6]
rows = benchmark_data_parallel(SIZES, n_x=8, num_iterations=100)
Markdown(data_parallel_table(rows))

# %%
info = provenance()
many = [r for r in rows if r["num_devices"] == k]
small, large = many[0], many[-1]
speedups = [r["speedup"] for r in many]


def compare(speedup):
    # Repeated timings on this shared machine vary by several per cent, so a speed-up
    # within 10% of 1 is read as a tie.
    if abs(speedup - 1) < 0.1:
        return f"about as fast as one device ({speedup:.2f}×)"
    if speedup > 1:
        return f"{speedup:.2f}× as fast as one device"
    return f"{1 / speedup:.1f}× slower than one device"


compile_ms = (small["first_call"] - small["median"]) * 1e3
devices = f"{k} {large['backend']} device{'s' if k > 1 else ''}"
if k == 1:
    verdict = "Only one device was found, so there is nothing to compare."
else:
    listed = ", ".join(f"{r['speedup']:.2f}× at m = {r['m']:,}" for r in many)
    rising = all(a <= b for a, b in zip(speedups, speedups[1:], strict=False))
    trend = "rises steadily with m" if rising else "does not rise steadily with m"
    verdict = f"""On {devices}, at m = {small["m"]:,} examples the run is
{compare(small["speedup"])}, and at m = {large["m"]:,} it is {compare(large["speedup"])}.
The speed-up {trend}: {listed}."""
    if small["speedup"] < 0.9:
        verdict += """ With few examples each device has little work per step, and the
all-reduce at every step, where the devices wait for each other, costs more than the work it
shares."""
if large["backend"] == "cpu" and k > 1:
    gain = "little" if max(speedups) < 1.5 else "something, but less than on separate hardware,"
    verdict += f"""

This machine has {info["cpu_count"]} cores ({info["cpu"]}). Simulated CPU devices share
those cores: {k} devices can at best do the work of {k} cores, which a single device's loop
may already use in part, and the all-reduce at every step makes the devices wait for each
other. Here the best speed-up measured is {max(speedups):.2f}×: there is {gain} to gain."""
Markdown(f"""{verdict}

The first call on {devices} took {small["first_call"] * 1e3:,.0f} ms at m = {small["m"]:,},
where a later call takes {small["median"] * 1e3:,.1f} ms: about {compile_ms:,.0f} ms of tracing
and compiling, paid once per shape and device count, and left out of the iterations per
second.

On GPUs the arithmetic is different: each GPU brings its own thousands of cores and its own
memory, and GPUs in one machine exchange gradients over fast links, so a large enough batch
can approach $D$ times the speed of one on $D$ GPUs. The all-reduce still costs a fixed time
per step, so the work per step must be large for it to be hidden.""")

# %% [markdown]
# ## GPU rows
#
# When JAX finds GPUs, `jax.devices()` lists them and the table above compares 1 GPU with all
# of them. Results measured on a GPU are also recorded for builds without one: on a machine
# with a GPU, `python scripts/record_gpu_benchmarks.py` runs this benchmark with the others of
# the [Benchmarks](../../reference/benchmarks/) page and stores the rows, with their provenance
# and the hash of the benchmark code, in `calcml/gpu_benchmarks.json`. They are shown below,
# marked **STALE** once the benchmark code has changed since.

# %%
parts = []
if info["gpu"]:
    parts.append(f"This build found a GPU: the table above was measured on {jax.devices()}.")
else:
    parts.append(
        f"**This build found no GPU** (JAX backend `{info['jax_backend']}`): the table above "
        f"was measured on {k} simulated CPU device(s)."
    )
recorded = [r for r in load_gpu_records() if r["provenance"].get("gpu") and r.get("data_parallel")]
if not recorded:
    parts.append("**No data-parallel GPU results have been recorded yet.**")
for record in recorded:
    about = record["provenance"]
    status = "**STALE**: the benchmark code has changed since" if record["stale"] else "current"
    parts.append(
        f"**{about['jax_devices'][-1]}**, recorded {about['date']} with JAX {about['jax']}, "
        f"benchmark code `{about['code_hash'][:12]}`: {status}."
    )
    parts.append(data_parallel_table(record["data_parallel"]))
Markdown("\n\n".join(parts))

# %% [markdown]
# ## The same function on several hosts
#
# On several machines, JAX runs one process per host (*multi-controller*). After
# `jax.distributed.initialize()`, `jax.devices()` lists the devices of every host, and the
# mesh of `data_parallel_nn_model` spans them all. Each process passes **its own part** of the
# examples, and the function assembles the global arrays with
# `jax.make_array_from_process_local_data`: one model trained on all the data, and every
# process gets the same parameters back. The parts may differ in size: each is padded to the
# longest, and the mean divides by the total $m$. A script, `train.py`, run on every host:
#
# ```python
# import os
#
# import jax
#
# jax.distributed.initialize(  # on SLURM or Cloud TPU, no arguments are needed
#     coordinator_address="10.0.0.1:1234",  # host-a's address, any free port
#     num_processes=2,
#     process_id=int(os.environ["PROCESS_ID"]),
# )
# import numpy as np
# from calcml import data_parallel_nn_model
#
# part = np.load(f"part-{jax.process_index()}.npz")  # this host's examples only
# parameters = data_parallel_nn_model(part["X"], part["Y"], num_iterations=1000, learning_rate=0.1)
# if jax.process_index() == 0:
#     print(parameters["W"], parameters["b"], parameters["costs"][-1])
# ```
#
# and the commands, one on each host, started within a few minutes of each other (each waits
# for the others at `initialize`):
#
# ```bash
# host-a$ PROCESS_ID=0 python train.py
# host-b$ PROCESS_ID=1 python train.py
# ```
#
# To try it on one machine, as the tests do, use `coordinator_address="127.0.0.1:1234"` and
# start both commands there, with `JAX_PLATFORMS=cpu` for one CPU device per process.
#
# **What is tested here, and what is not.** This page runs the single-host path only. The
# tests also run the several-hosts path as two processes on one machine (one CPU device each,
# talking through JAX's CPU collectives over TCP, with parts of 120 and 79 examples), and check
# that both get `nn_model`'s result. Two separate machines have not been tried.

# %% [markdown]
# ## Pitfalls
#
# 1. **Explicit axis types.** `jax.make_mesh` defaults to them, and a sum over a split axis
#    then raises `ShardingTypeError` (shown above). Pass `axis_types=(AxisType.Auto,)`, or
#    give the product an `out_sharding`.
# 2. **More simulated devices than cores.** The simulated devices run their parts of a step
#    side by side, and the all-reduce waits until all of them arrive. With more devices than
#    cores (8 devices on 2 cores, measured with JAX 0.10.2), the all-reduce deadlocked and XLA
#    aborted the process after 40 s; 2 devices on 2 cores run fine. `use_cpu_devices` caps
#    the count at the cores this process may use.
# 3. **Asking too late.** JAX makes its devices when it first runs something, and cannot
#    change them afterwards. `use_cpu_devices` says so, rather than leaving you with one
#    device:

# %%
try:
    use_cpu_devices(1)
    print("JAX has exactly 1 CPU device already: nothing to change")
except RuntimeError as error:
    print(error)

# %% [markdown]
# ## Summary
#
# - A gradient that averages over examples is a sum of partial sums, one per shard of the
#   examples; an all-reduce adds them, and every device takes the same step.
# - With JAX you describe the layout, not the communication: a `Mesh`, a `NamedSharding`
#   that splits the columns, and `jax.jit`; XLA inserts the all-reduce. Use
#   `axis_types=(AxisType.Auto,)`, or explicit axes raise `ShardingTypeError` on a sum over
#   a split axis.
# - The sharded loop gives `nn_model`'s model to float32 rounding, for both tasks and for an
#   $m$ that does not divide evenly (padding and a mask).
# - Simulated CPU devices teach the mechanics but share the cores: ask for no more than the
#   cores (`use_cpu_devices` caps it), and expect little speed. Real gains need devices with
#   their own compute, such as GPUs, and enough work per step to hide the all-reduce.
#
# ## Exercises
#
# 1. Train the regression on the TV data with `num_devices=1` and with all devices, and
#    check that `costs` agree to float32 rounding at every step, not only at the end.
# 2. Why does $m = 199$ on 2 devices not compile a new loop after $m = 200$?
# 3. Replace the mean by a plain sum in the gradient (no division by $m$): what happens to the
#    learning rate that works, and does data parallelism change that?
#
# <details><summary>Solutions</summary>
#
# 1. `a = data_parallel_nn_model(X_tv, Y_tv, 500, 0.1, num_devices=1)` and
#    `b = data_parallel_nn_model(X_tv, Y_tv, 500, 0.1)`; then
#    `np.max(np.abs(a["costs"] - b["costs"]))` is about $10^{-7}$ or less, the rounding of
#    float32 on costs below 1: only the order of the additions differs.
# 2. 199 columns are padded to 200, so the arrays have the same shapes and shardings as for
#    $m = 200$, and `jax.jit` finds its compiled loop in its cache; the true $m$ and the mask
#    are data, not part of the compiled program.
# 3. The gradient grows with $m$, so the learning rate must shrink like $1/m$ to stay stable.
#    Data parallelism does not change it: the all-reduce adds the same partial sums whether
#    or not they are divided by $m$ afterwards.
#
# </details>

# %%
elapsed = time.perf_counter() - page_start
Markdown(f"This page's computations took **{elapsed:.0f} s** on {k} device(s).")
