r"""A network with one hidden layer of tanh units and a sigmoid output, for binary classification.

The lessons' layout, as in :mod:`calcml.perceptron`: ``X`` of shape ``(n_x, m)`` holds one
example per column and ``Y`` of shape ``(1, m)`` their labels, 0 or 1. With ``n_h`` hidden
units the network computes

$$Z_1 = W_1 X + b_1, \quad A_1 = \tanh(Z_1), \quad Z_2 = W_2 A_1 + b_2, \quad
\hat Y = \sigma(Z_2),$$

with ``W1`` of shape ``(n_h, n_x)``, ``b1`` of shape ``(n_h, 1)``, ``W2`` of shape
``(n_y, n_h)`` and ``b2`` of shape ``(n_y, 1)``, and is trained on the log-loss of
:func:`calcml.compute_cost` by gradient descent. Where a perceptron's decision boundary is a
straight line (a hyperplane), the hidden layer lets it bend. Everything computes in float64
NumPy.
"""

from collections.abc import Mapping
from typing import Any

import numpy as np

from calcml._checks import check_finite_array, check_int
from calcml.optimize import DivergenceError, _check_positive
from calcml.perceptron import (
    _check_matrix,
    _check_same_shape,
    _check_training,
    compute_cost,
    sigmoid,
)

_NAMES = ("W1", "b1", "W2", "b2")


def _describe(value: Any) -> str:
    """A short account of a wrong argument: a dict's keys, not its arrays."""
    if isinstance(value, Mapping):
        return f"a dict with keys {list(value)}"
    return f"{type(value).__name__} {value!r}"


def _check_hidden_parameters(parameters: Any, X: np.ndarray | None = None) -> tuple:
    """``(W1, b1, W2, b2)`` from a parameters dict, checked against each other and ``X``."""
    if not isinstance(parameters, Mapping) or not all(k in parameters for k in _NAMES):
        raise TypeError(
            f"parameters must be a dict with keys {_NAMES}, got {_describe(parameters)}"
        )
    W1, W2 = (_check_matrix(f"parameters[{k!r}]", parameters[k]) for k in ("W1", "W2"))
    b1, b2 = (check_finite_array(f"parameters[{k!r}]", parameters[k]) for k in ("b1", "b2"))
    n_h, n_y = W1.shape[0], W2.shape[0]
    shapes = {"b1": b1.shape, "W2": W2.shape, "b2": b2.shape}
    wanted = {"b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    for name, shape in shapes.items():
        if shape != wanted[name]:
            raise ValueError(
                f"parameters[{name!r}] of shape {shape} does not match parameters['W1'] of "
                f"shape {W1.shape}: expected {wanted[name]}, for W1 (n_h, n_x), b1 (n_h, 1), "
                f"W2 (n_y, n_h), b2 (n_y, 1)"
            )
    if X is not None and X.shape[0] != W1.shape[1]:
        raise ValueError(
            f"X of shape {X.shape} does not match parameters['W1'] of shape {W1.shape}: "
            f"X needs W1.shape[1] = {W1.shape[1]} rows (features × examples)"
        )
    return W1, b1, W2, b2


def initialize_hidden_layer(
    n_x: int, n_h: int, n_y: int = 1, seed: int = 0
) -> dict[str, np.ndarray]:
    r"""Random weights and zero biases for a network with ``n_x`` inputs and ``n_h`` hidden units.

    Each weight is normal with standard deviation $1/\sqrt{\text{fan-in}}$: $1/\sqrt{n_x}$ in
    ``W1``, $1/\sqrt{n_h}$ in ``W2``. Weights of 0.01, as for a perceptron, would start every
    tanh unit near its linear middle and the whole network near the saddle point at zero, where
    gradient descent first has to crawl away; random weights also make the hidden units differ,
    which equal ones never would, as they would all receive the same gradient.

    Parameters
    ----------
    n_x : int
        The number of features, rows of ``X``.
    n_h : int
        The number of hidden units.
    n_y : int, optional
        The number of outputs. Default 1.
    seed : int, optional
        Seed of the random generator. Default 0.

    Returns
    -------
    dict
        ``"W1"`` ``(n_h, n_x)``, ``"b1"`` ``(n_h, 1)``, ``"W2"`` ``(n_y, n_h)``, ``"b2"``
        ``(n_y, 1)``, float64.

    Raises
    ------
    ValueError
        If a size is not a positive integer or ``seed`` not an integer.

    Examples
    --------
    >>> from calcml import initialize_hidden_layer
    >>> parameters = initialize_hidden_layer(2, 4, seed=1)
    >>> {name: value.shape for name, value in parameters.items()}
    {'W1': (4, 2), 'b1': (4, 1), 'W2': (1, 4), 'b2': (1, 1)}
    """
    n_x, n_h, n_y = (check_int(k, v, 1) for k, v in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)))
    rng = np.random.default_rng(check_int("seed", seed, 0))
    return {
        "W1": rng.standard_normal((n_h, n_x)) / np.sqrt(n_x),
        "b1": np.zeros((n_h, 1)),
        "W2": rng.standard_normal((n_y, n_h)) / np.sqrt(n_h),
        "b2": np.zeros((n_y, 1)),
    }


def hidden_layer_forward(
    X: np.ndarray, parameters: Mapping[str, Any]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""The network's output $\hat Y = \sigma(W_2 \tanh(W_1 X + b_1) + b_2)$, and what led to it.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``: one column per example.
    parameters : dict
        ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"`` as made by :func:`initialize_hidden_layer`.

    Returns
    -------
    Y_hat : numpy.ndarray
        Shape ``(n_y, m)``: the probability of label 1 for each example, float64.
    cache : dict
        ``"Z1"``, ``"A1"`` (shape ``(n_h, m)``), ``"Z2"`` and ``"A2"`` (``A2`` is ``Y_hat``):
        the values :func:`hidden_layer_backward` needs.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or the shapes do not match (the message names them).
    TypeError
        If ``parameters`` lacks a key.

    Examples
    --------
    One hidden unit that copies its input ($\tanh$ of a large weight is about its sign):

    >>> import numpy as np
    >>> from calcml import hidden_layer_forward
    >>> parameters = {"W1": [[50.0]], "b1": [[0.0]], "W2": [[2.0]], "b2": [[0.0]]}
    >>> Y_hat, cache = hidden_layer_forward(np.array([[-1.0, 1.0]]), parameters)
    >>> cache["A1"].round(4).tolist(), Y_hat.round(4).tolist()
    ([[-1.0, 1.0]], [[0.1192, 0.8808]])
    """
    X = _check_matrix("X", X)
    cache = _forward(X, *_check_hidden_parameters(parameters, X))
    return cache["A2"], cache


def _forward(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> dict:
    """:func:`hidden_layer_forward`'s cache, from arguments already checked."""
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2)}


def hidden_layer_backward(
    parameters: Mapping[str, Any], cache: Mapping[str, Any], X: np.ndarray, Y: np.ndarray
) -> dict[str, np.ndarray]:
    r"""The gradients of the log-loss with respect to ``W1``, ``b1``, ``W2``, ``b2``.

    The chain rule, applied backwards from the cost one layer at a time. The output layer is a
    perceptron on the inputs $A_1$, so as in :func:`calcml.backward_propagation`:

    $$dZ_2 = \hat Y - Y, \quad dW_2 = \tfrac1m\, dZ_2 A_1^T, \quad
    db_2 = \tfrac1m \textstyle\sum_{\text{examples}} dZ_2,$$

    where $dZ_2$ stands for $m\, \partial \mathcal{L} / \partial Z_2$. The cost reaches $A_1$
    through $Z_2 = W_2 A_1 + b_2$, and $Z_1$ through $A_1 = \tanh(Z_1)$, whose derivative is
    $1 - \tanh^2 = 1 - A_1^2$, elementwise:

    $$dZ_1 = (W_2^T dZ_2) \odot (1 - A_1^2), \quad dW_1 = \tfrac1m\, dZ_1 X^T, \quad
    db_1 = \tfrac1m \textstyle\sum_{\text{examples}} dZ_1.$$

    Float64.

    Parameters
    ----------
    parameters : dict
        ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``.
    cache : dict
        From :func:`hidden_layer_forward` on the same ``X``: ``"A1"`` and ``"A2"`` are used.
    X : array_like
        Shape ``(n_x, m)``.
    Y : array_like
        Shape ``(n_y, m)``: the labels.

    Returns
    -------
    dict
        ``"dW1"``, ``"db1"``, ``"dW2"``, ``"db2"``, each of its parameter's shape.

    Raises
    ------
    ValueError
        If an array is not finite and 2-D, or the shapes do not match (the message names them).
    TypeError
        If ``parameters`` or ``cache`` lacks a key.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import hidden_layer_backward, hidden_layer_forward, initialize_hidden_layer
    >>> X, Y = np.array([[0.0, 1.0, 2.0]]), np.array([[0.0, 1.0, 0.0]])
    >>> parameters = initialize_hidden_layer(1, 3)
    >>> _, cache = hidden_layer_forward(X, parameters)
    >>> grads = hidden_layer_backward(parameters, cache, X, Y)
    >>> {name: value.shape for name, value in grads.items()}
    {'dW1': (3, 1), 'db1': (3, 1), 'dW2': (1, 3), 'db2': (1, 1)}
    """
    X, Y = _check_matrix("X", X), _check_matrix("Y", Y)
    W1, _, W2, _ = _check_hidden_parameters(parameters, X)
    if not isinstance(cache, Mapping) or "A1" not in cache or "A2" not in cache:
        raise TypeError(f"cache must be a dict with keys 'A1' and 'A2', got {_describe(cache)}")
    A1, A2 = _check_matrix("cache['A1']", cache["A1"]), _check_matrix("cache['A2']", cache["A2"])
    _check_same_shape("cache['A2']", A2, "Y", Y)
    if A1.shape != (W1.shape[0], X.shape[1]) or Y.shape != (W2.shape[0], X.shape[1]):
        raise ValueError(
            f"cache['A1'] of shape {A1.shape} and Y of shape {Y.shape} must be "
            f"(n_h, m) = {(W1.shape[0], X.shape[1])} and (n_y, m) = {(W2.shape[0], X.shape[1])}"
            f" for X of shape {X.shape} and parameters['W1'] of shape {W1.shape}"
        )
    return _backward(X, Y, W2, A1, A2)


def _backward(X: np.ndarray, Y: np.ndarray, W2: np.ndarray, A1: np.ndarray, A2: np.ndarray) -> dict:
    """:func:`hidden_layer_backward`'s gradients, from arguments already checked."""
    m = X.shape[1]
    dZ2 = A2 - Y
    dZ1 = (W2.T @ dZ2) * (1 - A1**2)
    return {
        "dW1": dZ1 @ X.T / m,
        "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
        "dW2": dZ2 @ A1.T / m,
        "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
    }


def update_hidden_layer(
    parameters: Mapping[str, Any], grads: Mapping[str, Any], learning_rate: float
) -> dict[str, Any]:
    r"""One gradient step on every parameter: $W_1 \leftarrow W_1 - \alpha\, dW_1$, and so on.

    Parameters
    ----------
    parameters : dict
        ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``; other keys are carried over.
    grads : dict
        ``"dW1"``, ``"db1"``, ``"dW2"``, ``"db2"`` of the same shapes.
    learning_rate : float
        The step size $\alpha$, positive.

    Returns
    -------
    dict
        New parameters; the dicts passed in are not changed.

    Raises
    ------
    ValueError
        If a gradient's shape differs from its parameter's, or ``learning_rate`` is not a
        positive finite number.
    TypeError
        If a dict lacks its keys.

    Examples
    --------
    >>> from calcml import update_hidden_layer
    >>> parameters = {"W1": [[1.0]], "b1": [[0.0]], "W2": [[1.0]], "b2": [[0.0]]}
    >>> grads = {"dW1": [[2.0]], "db1": [[0.0]], "dW2": [[0.0]], "db2": [[-2.0]]}
    >>> new = update_hidden_layer(parameters, grads, learning_rate=0.5)
    >>> new["W1"].tolist(), new["b2"].tolist()
    ([[0.0]], [[1.0]])
    """
    values = dict(zip(_NAMES, _check_hidden_parameters(parameters), strict=True))
    if not isinstance(grads, Mapping) or not all(f"d{k}" in grads for k in _NAMES):
        raise TypeError(
            f"grads must be a dict with keys {tuple('d' + k for k in _NAMES)}, got "
            f"{_describe(grads)}"
        )
    learning_rate = _check_positive("learning_rate", learning_rate)
    new = dict(parameters)
    for name, value in values.items():
        step = check_finite_array(f"grads['d{name}']", grads[f"d{name}"])
        _check_same_shape(f"grads['d{name}']", step, f"parameters[{name!r}]", value)
        new[name] = value - learning_rate * step
    return new


def hidden_layer_model(
    X: np.ndarray,
    Y: np.ndarray,
    n_h: int,
    num_iterations: int,
    learning_rate: float,
    seed: int = 0,
) -> dict[str, Any]:
    """Train the one-hidden-layer network by gradient descent on the log-loss.

    Forward, cost, backward, update, repeated, as :func:`calcml.nn_model` does for a
    perceptron. Float64.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``: features × examples; normalised features train best.
    Y : array_like
        Shape ``(n_y, m)``: labels 0 or 1.
    n_h : int
        The number of hidden units.
    num_iterations : int
        The number of gradient steps, at least 1.
    learning_rate : float
        The step size, positive.
    seed : int, optional
        Seed of :func:`initialize_hidden_layer`. Default 0.

    Returns
    -------
    dict
        ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``, and ``"costs"``: ``num_iterations + 1``
        log-losses, ``costs[k]`` after ``k`` steps.

    Raises
    ------
    DivergenceError
        If a cost is not finite (the learning rate is too large); the message names the
        learning rate, and ``err.path`` holds the costs up to the failure.
    ValueError
        If ``X`` and ``Y`` are not finite 2-D arrays with the same number of columns (the
        message names both shapes), ``Y`` holds labels other than 0 and 1, or a setting is out
        of range.

    Examples
    --------
    XOR, which no straight line separates, with three hidden units:

    >>> import numpy as np
    >>> from calcml import hidden_layer_model, hidden_layer_predict
    >>> X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    >>> Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    >>> parameters = hidden_layer_model(X, Y, n_h=3, num_iterations=2000, learning_rate=1.0)
    >>> hidden_layer_predict(X, parameters).tolist()
    [[0.0, 1.0, 1.0, 0.0]]
    >>> bool(parameters["costs"][-1] < 0.01 * parameters["costs"][0])
    True
    """
    X, Y = _check_training(X, Y, num_iterations, learning_rate, "classification")
    check_int("n_h", n_h, 1)
    learning_rate = float(learning_rate)
    parameters = initialize_hidden_layer(X.shape[0], n_h, Y.shape[0], seed=seed)
    costs = []
    # The loop calls the unchecked steps: the arguments were checked once, above, and a step
    # too large must end as a DivergenceError, not as a check's complaint about an overflow.
    for iteration in range(num_iterations + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            cache = _forward(X, *(parameters[k] for k in _NAMES))
            finite = np.all(np.isfinite(cache["A2"]))
            cost = compute_cost(cache["A2"], Y, "classification") if finite else float("inf")
        if not np.isfinite(cost):
            raise DivergenceError(
                learning_rate,
                iteration,
                np.array(costs),
                f"the log-loss became non-finite ({cost})",
            )
        costs.append(cost)
        if iteration == num_iterations:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            grads = _backward(X, Y, parameters["W2"], cache["A1"], cache["A2"])
            parameters = {k: parameters[k] - learning_rate * grads[f"d{k}"] for k in _NAMES}
    return {**parameters, "costs": np.array(costs)}


def hidden_layer_predict(X: np.ndarray, parameters: Mapping[str, Any]) -> np.ndarray:
    r"""Labels from a trained network: 1 where $\hat Y > 0.5$, else 0.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``.
    parameters : dict
        As returned by :func:`hidden_layer_model`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_y, m)``, 0.0 or 1.0, float64.

    Raises
    ------
    ValueError, TypeError
        As for :func:`hidden_layer_forward`.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import hidden_layer_predict
    >>> parameters = {"W1": [[50.0]], "b1": [[0.0]], "W2": [[2.0]], "b2": [[0.0]]}
    >>> hidden_layer_predict(np.array([[-1.0, 1.0]]), parameters).tolist()
    [[0.0, 1.0]]
    """
    Y_hat, _ = hidden_layer_forward(X, parameters)
    return (Y_hat > 0.5).astype(np.float64)
