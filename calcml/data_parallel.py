r"""Data-parallel training of the perceptron: the examples split across devices, one model.

The gradients of the perceptron's cost are sums over the $m$ examples (the columns of ``X``):

$$\frac{\partial \mathcal{L}}{\partial W} = \frac{1}{m} \sum_{i=1}^{m} (\hat y_i - y_i)\,
x_i^T = \frac{1}{m} \sum_{d=1}^{D} \underbrace{\sum_{i \in \text{shard } d}
(\hat y_i - y_i)\, x_i^T}_{\text{computed on device } d},$$

and so is $\partial \mathcal{L} / \partial b$. Split the columns into $D$ shards, one per
device: each device computes the partial sum of its own shard, an **all-reduce** adds the $D$
partial sums and gives every device the total, and every device takes the same step, so the
copies of $W$ and $b$ never drift apart.
[`data_parallel_nn_model`][calcml.data_parallel.data_parallel_nn_model] lets JAX do this: it
places ``X`` and ``Y`` on the devices with a ``NamedSharding`` that splits their columns over
a one-axis ``Mesh``, keeps ``W`` and ``b`` replicated, and compiles the whole training loop
once; XLA's partitioner sees the sum over a split axis and inserts the all-reduce.

Without accelerators, JAX can simulate several CPU devices in one process:
[`use_cpu_devices`][calcml.data_parallel.use_cpu_devices] asks for them, before JAX is first
used.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import multihost_utils
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P

from calcml._checks import check_int
from calcml.bench import _cpu_count
from calcml.optimize import DivergenceError
from calcml.perceptron import _check_training, initialize_parameters

AXIS = "examples"
"""The name of the mesh axis that the examples (the columns of ``X``) are split along."""


def use_cpu_devices(k: int) -> int:
    """Ask JAX for ``k`` simulated CPU devices, at most one per core; call it before JAX runs.

    JAX creates its devices once, when it first runs something; this sets
    ``jax.config.update("jax_num_cpu_devices", k)`` before that. The count is capped at the
    cores this process may use: with more simulated devices than cores, the all-reduce of a
    sharded gradient can deadlock in XLA's CPU runtime (measured with JAX 0.10.2: 8 devices
    on 2 cores abort after 40 s; 2 devices on 2 cores run).

    Parameters
    ----------
    k : int
        How many CPU devices to ask for, at least 1.

    Returns
    -------
    int
        The number of CPU devices JAX will have: ``min(k, cores)``.

    Raises
    ------
    ValueError
        If ``k`` is not an integer >= 1.
    RuntimeError
        If JAX has already created its devices, with another number of CPU devices: it cannot
        change them any more. Call this first thing, right after ``import jax``, in a fresh
        process (a new kernel or a subprocess).

    Examples
    --------
    Once JAX has run, asking for the CPU devices it already has is allowed, and changes nothing:

    >>> import jax
    >>> from calcml import use_cpu_devices
    >>> have = len(jax.devices("cpu"))
    >>> use_cpu_devices(have) == have
    True
    """
    k = min(check_int("k", k, 1), _cpu_count() or 1)
    try:
        jax.config.update("jax_num_cpu_devices", k)
    except RuntimeError:  # JAX's devices exist already
        have = len(jax.devices("cpu"))
        if have != k:
            raise RuntimeError(
                f"JAX has already created its {have} CPU device(s), so use_cpu_devices cannot "
                f"make {k}: call it right after `import jax`, before JAX runs anything, in a "
                f"fresh process"
            ) from None
    return k


def _mesh(num_devices: int | None) -> jax.sharding.Mesh:
    """A one-axis mesh over the first ``num_devices`` of ``jax.devices()`` (all by default)."""
    devices = jax.devices()
    if num_devices is None:
        return jax.make_mesh((len(devices),), (AXIS,), axis_types=(AxisType.Auto,))
    num_devices = check_int("num_devices", num_devices, 1)
    if num_devices > len(devices):
        found = ", ".join(str(d) for d in devices)
        raise ValueError(
            f"num_devices={num_devices} but JAX found {len(devices)} device(s): {found}. "
            f"For simulated CPU devices, call use_cpu_devices({num_devices}) before JAX runs"
        )
    if jax.process_count() > 1 and num_devices != len(devices):
        raise ValueError(
            f"num_devices={num_devices}: on {jax.process_count()} processes the mesh must span "
            f"all {len(devices)} devices; leave num_devices=None"
        )
    # Auto axis types: under explicit ones (make_mesh's default) the sum over a sharded
    # axis in dZ @ X.T raises ShardingTypeError instead of becoming an all-reduce.
    return jax.make_mesh(
        (num_devices,), (AXIS,), axis_types=(AxisType.Auto,), devices=devices[:num_devices]
    )


def _pad(array: np.ndarray, width: int) -> np.ndarray:
    return np.pad(array, ((0, 0), (0, width - array.shape[1])))


@functools.partial(jax.jit, static_argnames=("task", "num_iterations"))
def _train(X, Y, mask, W, b, m, learning_rate, task, num_iterations):
    """The whole run as one compiled loop: the costs after 0, 1, ..., num_iterations steps.

    ``mask`` is 1 on real examples and 0 on padding, which therefore adds nothing to a sum;
    ``m`` counts the real examples. With ``X`` split by columns, the sums over examples below
    are where XLA puts an all-reduce.
    """

    def cost_and_dZ(W, b):
        Z = W @ X + b
        if task == "classification":
            Y_hat = jax.nn.sigmoid(Z)
            # log σ(Z) and log(1 − σ(Z)) = log σ(−Z), without the log of a rounded 0 or 1
            losses = -(Y * jax.nn.log_sigmoid(Z) + (1 - Y) * jax.nn.log_sigmoid(-Z))
        else:
            Y_hat = Z
            losses = 0.5 * (Z - Y) ** 2
        return jnp.sum(losses * mask) / m, (Y_hat - Y) * mask

    def step(parameters, _):
        W, b = parameters
        cost, dZ = cost_and_dZ(W, b)
        dW = dZ @ X.T / m  # backward_propagation's formulas
        db = jnp.sum(dZ, axis=1, keepdims=True) / m
        return (W - learning_rate * dW, b - learning_rate * db), cost

    (W, b), costs = jax.lax.scan(step, (W, b), length=num_iterations)
    last, _ = cost_and_dZ(W, b)
    return W, b, jnp.append(costs, last)


def data_parallel_nn_model(
    X: np.ndarray,
    Y: np.ndarray,
    num_iterations: int,
    learning_rate: float,
    *,
    task: str = "regression",
    seed: int = 0,
    num_devices: int | None = None,
) -> dict[str, Any]:
    r"""Train a perceptron as ``nn_model`` does, its examples split across devices.

    The columns of ``X`` and ``Y`` are sharded over a one-axis mesh of ``num_devices``
    devices (``jax.sharding.NamedSharding``), ``W`` and ``b`` are replicated, and the
    ``num_iterations`` steps run as one ``jax.lax.scan`` inside ``jax.jit``. Each device
    computes the sums of the gradients over its own examples, and XLA adds them across the
    devices (an all-reduce). The run starts from
    :func:`~calcml.perceptron.initialize_parameters` with the same ``seed`` as ``nn_model``
    and takes the same steps, so the two agree to float32 rounding. The compiled loop is kept:
    a second call with the same shapes, task, ``num_iterations`` and devices reuses it, even
    with a new ``learning_rate``.

    When the number of examples $m$ is not a multiple of the number of devices, the columns
    are padded with zeros up to one, and a mask keeps the padding out of every sum; the means
    still divide by the true $m$.

    **Precision:** JAX's default float32 (about 7 significant digits), or float64 when JAX's
    x64 mode is on; ``W``, ``b`` and ``costs`` have that dtype. ``nn_model`` computes in
    float64. The log-loss is computed from $\log \sigma(Z)$ without rounding $\sigma(Z)$ to 0
    or 1 first, so where a learning rate far too large makes ``nn_model``'s log-loss infinite
    (and raise ``DivergenceError``), this one stays finite, if huge.

    **Several hosts.** After ``jax.distributed.initialize()`` in each process,
    ``jax.devices()`` lists the devices of every host and the mesh spans them all. Each
    process then passes *its own part* of the examples as ``X`` and ``Y`` (the same rows,
    its own columns), and the global arrays are assembled with
    ``jax.make_array_from_process_local_data``: one model trained on all the data, with the
    same result in every process. Each part is padded to the longest part; the mean divides
    by the total $m$. The tests run this path as two processes on one machine (one CPU
    device each, talking over TCP through JAX's CPU collectives); it has not been run across
    machines here. In a single process, the process's part is all the data.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``: features × examples (on several hosts: this process's examples).
    Y : array_like
        Shape ``(n_y, m)``: targets; 0 or 1 for classification.
    num_iterations : int
        The number of gradient steps, at least 1.
    learning_rate : float
        The step size, positive.
    task : {"regression", "classification"}, optional
        Identity output and squared error, or sigmoid output and log-loss. Default regression.
    seed : int, optional
        Seed of the initial parameters, as for ``nn_model``. Default 0.
    num_devices : int, optional
        How many of ``jax.devices()`` to use, the first ones. Default: all of them.

    Returns
    -------
    dict
        As ``nn_model`` returns: ``"W"`` of shape ``(n_y, n_x)``, ``"b"`` of shape
        ``(n_y, 1)``, ``"task"``, and ``"costs"``, the ``num_iterations + 1`` costs
        (``costs[k]`` after ``k`` steps), all NumPy arrays in JAX's precision. Pass it to
        :func:`~calcml.perceptron.predict` as it is.

    Raises
    ------
    DivergenceError
        If a cost is not finite (the learning rate is too large); the message names the
        learning rate, and ``err.path`` holds the costs up to the failure.
    ValueError
        As for ``nn_model``, and if ``num_devices`` is not a positive integer, or more than
        the devices JAX found (the message names both).

    Examples
    --------
    Fit $y = 2x + 1$ from five points, on every device JAX has (one, unless asked for more),
    and compare with ``nn_model``:

    >>> import numpy as np
    >>> from calcml import data_parallel_nn_model, nn_model
    >>> X = np.array([[0.0, 1.0, 2.0, 3.0, 4.0]])
    >>> Y = 2 * X + 1
    >>> parameters = data_parallel_nn_model(X, Y, num_iterations=2000, learning_rate=0.1)
    >>> round(float(parameters["W"][0, 0]), 4), round(float(parameters["b"][0, 0]), 4)
    (2.0, 1.0)
    >>> parameters["W"].dtype.name, len(parameters["costs"])
    ('float32', 2001)
    >>> reference = nn_model(X, Y, num_iterations=2000, learning_rate=0.1)
    >>> bool(np.allclose(parameters["costs"], reference["costs"], rtol=1e-4, atol=1e-6))
    True
    """
    X, Y = _check_training(X, Y, num_iterations, learning_rate, task)
    mesh = _mesh(num_devices)
    dtype = jax.dtypes.canonicalize_dtype(np.float64)  # float32 unless x64 mode is on
    # The global array is built from parts of one width that split evenly over each process's
    # devices: every process pads its part to the longest, rounded up to a multiple of them.
    parts = np.ravel(multihost_utils.process_allgather(np.int64(X.shape[1])))
    local = len(mesh.local_devices)
    width = math.ceil(int(parts.max()) / local) * local
    columns = NamedSharding(mesh, P(None, AXIS))
    replicated = NamedSharding(mesh, P())

    def put(sharding, array):
        return jax.make_array_from_process_local_data(sharding, np.asarray(array, dtype))

    initial = initialize_parameters(X.shape[0], Y.shape[0], seed=seed)
    W, b, costs = _train(
        put(columns, _pad(X, width)),
        put(columns, _pad(Y, width)),
        put(columns, _pad(np.ones((1, X.shape[1])), width)),
        put(replicated, initial["W"]),
        put(replicated, initial["b"]),
        dtype.type(parts.sum()),
        dtype.type(learning_rate),
        task=task,
        num_iterations=num_iterations,
    )
    # The results are replicated: every process reads its own copy.
    W, b, costs = (np.asarray(a.addressable_data(0)) for a in (W, b, costs))
    bad = np.flatnonzero(~np.isfinite(costs))
    if bad.size:
        k = int(bad[0])
        raise DivergenceError(
            learning_rate,
            k,
            costs[:k],
            f"the cost became non-finite ({costs[k]}); normalise X",
        )
    return {"W": W, "b": b, "task": task, "costs": costs}
