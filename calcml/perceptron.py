r"""A perceptron trained by gradient descent, for regression and for classification.

Two layouts, one model:

- **The lessons' functions** take examples in columns: ``X`` of shape ``(n_x, m)`` (features ×
  examples), ``Y`` of shape ``(n_y, m)``, and compute $Z = W X + b$ with ``W`` of shape
  ``(n_y, n_x)`` and ``b`` of shape ``(n_y, 1)``. The prediction $\hat Y$ is $Z$ itself for
  regression and $\sigma(Z)$, the sigmoid, for classification.
- **The estimators** ``PerceptronRegressor`` and ``PerceptronClassifier`` (in
  :mod:`calcml.estimators`) take the scikit-learn layout, examples in rows: ``X`` of shape
  ``(n_samples, n_features)`` and ``y`` of shape ``(n_samples,)``. They transpose and call the
  same functions.

A model is a dict ``parameters`` with ``"W"`` and ``"b"``. :func:`nn_model` adds ``"task"``
(``"regression"`` or ``"classification"``) and ``"costs"``; a plain ``{"W": ..., "b": ...}``
written by hand is a regression model. Everything computes in float64 NumPy.
"""

from collections.abc import Mapping
from numbers import Integral
from typing import Any

import numpy as np

from calcml._checks import check_finite_array, check_int
from calcml.optimize import DivergenceError, _check_positive

TASKS = ("regression", "classification")


# --- checks ---------------------------------------------------------------------------------------


def _check_matrix(name: str, value: Any) -> np.ndarray:
    """``value`` as a finite float64 2-D array, or raise."""
    array = check_finite_array(name, value)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (rows × examples in columns), got shape {array.shape}"
        )
    return array


def _check_task(task: Any) -> str:
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    return task


def _check_parameters(parameters: Any, X: np.ndarray | None = None) -> tuple:
    """``(W, b, task)`` from a parameters dict, checked against each other and against ``X``."""
    if not isinstance(parameters, Mapping) or "W" not in parameters or "b" not in parameters:
        raise TypeError(f"parameters must be a dict with keys 'W' and 'b', got {parameters!r}")
    W = _check_matrix("parameters['W']", parameters["W"])
    b = check_finite_array("parameters['b']", parameters["b"])
    if b.shape != (W.shape[0], 1):
        raise ValueError(
            f"parameters['b'] must have shape (n_y, 1) = {(W.shape[0], 1)} to match "
            f"parameters['W'] of shape {W.shape}, got shape {b.shape}"
        )
    if X is not None and X.shape[0] != W.shape[1]:
        raise ValueError(
            f"X of shape {X.shape} does not match parameters['W'] of shape {W.shape}: "
            f"X needs W.shape[1] = {W.shape[1]} rows (features × examples)"
        )
    return W, b, _check_task(parameters.get("task", "regression"))


def _check_same_shape(name: str, value: np.ndarray, other_name: str, other: np.ndarray) -> None:
    if value.shape != other.shape:
        raise ValueError(
            f"{name} of shape {value.shape} does not match {other_name} of shape {other.shape}"
        )


def _check_labels(name: str, Y: np.ndarray) -> None:
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError(f"{name} must hold only 0 and 1 for classification, got {np.unique(Y)}")


def _check_training(
    X: Any, Y: Any, num_iterations: Any, learning_rate: Any, task: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The arguments of a training run checked, as :func:`nn_model` takes them: ``(X, Y)``."""
    X, Y = _check_matrix("X", X), _check_matrix("Y", Y)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X of shape {X.shape} and Y of shape {Y.shape} must have the same number of "
            f"examples (columns); the lessons' layout is features × examples"
        )
    if X.shape[1] == 0:
        raise ValueError(f"X of shape {X.shape} has no examples (columns); training needs one")
    _check_task(task)
    if task == "classification":
        _check_labels("Y", Y)
    _check_positive("learning_rate", learning_rate)
    check_int("num_iterations", num_iterations, 1)
    return X, Y


# --- the lessons' functions -----------------------------------------------------------------------


def sigmoid(Z: np.ndarray) -> np.ndarray:
    r"""The logistic function $\sigma(z) = 1 / (1 + e^{-z})$, elementwise, without overflow.

    Computed as $\tfrac12 (1 + \tanh(z/2))$, which equals it and never overflows.

    Examples
    --------
    >>> from calcml import sigmoid
    >>> sigmoid([-1000.0, 0.0, 1000.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(Z, dtype=np.float64)))


def initialize_parameters(n_x: int, n_y: int = 1, seed: int = 0) -> dict[str, np.ndarray]:
    """Small random weights and a zero bias for a perceptron with ``n_x`` inputs.

    Parameters
    ----------
    n_x : int
        The number of features, rows of ``X``.
    n_y : int, optional
        The number of outputs, rows of ``Y``. Default 1.
    seed : int, optional
        Seed of the random generator, so a run repeats exactly. Default 0.

    Returns
    -------
    dict
        ``"W"`` of shape ``(n_y, n_x)``, normal with standard deviation 0.01, and ``"b"`` of
        shape ``(n_y, 1)``, zeros. Float64.

    Raises
    ------
    ValueError
        If ``n_x`` or ``n_y`` is not a positive integer, or ``seed`` is not an integer >= 0.

    Examples
    --------
    >>> from calcml import initialize_parameters
    >>> parameters = initialize_parameters(3, seed=1)
    >>> parameters["W"].shape, parameters["b"].tolist()
    ((1, 3), [[0.0]])
    """
    for name, value in (("n_x", n_x), ("n_y", n_y)):
        if not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    rng = np.random.default_rng(check_int("seed", seed, 0))
    return {"W": 0.01 * rng.standard_normal((n_y, n_x)), "b": np.zeros((n_y, 1))}


def forward_propagation(X: np.ndarray, parameters: Mapping[str, Any]) -> np.ndarray:
    r"""The perceptron's output $\hat Y$: $Z = W X + b$, then the activation of the task.

    The identity for regression, so $\hat Y = Z$; the sigmoid for classification, so
    $\hat Y = \sigma(Z)$ is the probability of label 1. The task is ``parameters["task"]``,
    ``"regression"`` when absent.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``: one column per example.
    parameters : dict
        ``"W"`` of shape ``(n_y, n_x)``, ``"b"`` of shape ``(n_y, 1)``, optionally ``"task"``.

    Returns
    -------
    numpy.ndarray
        ``Y_hat``, shape ``(n_y, m)``, float64.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array, the shapes of ``X``, ``W`` and ``b`` do not match
        (the message names them), or the task is unknown.
    TypeError
        If ``parameters`` lacks ``"W"`` or ``"b"``.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import forward_propagation
    >>> X = np.array([[0.0, 1.0, 2.0]])
    >>> forward_propagation(X, {"W": [[2.0]], "b": [[1.0]]}).tolist()
    [[1.0, 3.0, 5.0]]
    >>> Y_hat = forward_propagation(X, {"W": [[2.0]], "b": [[-2.0]], "task": "classification"})
    >>> Y_hat.round(4).tolist()
    [[0.1192, 0.5, 0.8808]]
    """
    X = _check_matrix("X", X)
    W, b, task = _check_parameters(parameters, X)
    Z = W @ X + b
    return sigmoid(Z) if task == "classification" else Z


def compute_cost(Y_hat: np.ndarray, Y: np.ndarray, task: str = "regression") -> float:
    r"""The cost of predictions ``Y_hat`` against targets ``Y``, over m examples.

    For regression, the sum of squares halved:
    $\mathcal{L} = \frac{1}{2m} \sum (\hat Y - Y)^2$.
    For classification, the log-loss (binary cross-entropy):
    $\mathcal{L} = -\frac{1}{m} \sum \big( Y \log \hat Y + (1 - Y) \log(1 - \hat Y) \big)$,
    which is infinite where a prediction of 0 or 1 is certain and wrong.
    With several outputs (``n_y > 1``) the sums run over all of them. Float64.

    Parameters
    ----------
    Y_hat : array_like
        Predictions, shape ``(n_y, m)``; probabilities in [0, 1] for classification.
    Y : array_like
        Targets of the same shape; 0 or 1 for classification.
    task : {"regression", "classification"}, optional
        Which cost. Default ``"regression"``.

    Returns
    -------
    float
        The cost.

    Raises
    ------
    ValueError
        If the shapes differ (the message names both), an array is not finite and 2-D, the
        task is unknown, or for classification ``Y_hat`` lies outside [0, 1].

    Examples
    --------
    >>> from calcml import compute_cost
    >>> compute_cost([[1.0, 2.0]], [[1.0, 4.0]])
    1.0
    >>> round(compute_cost([[0.5, 0.5]], [[0.0, 1.0]], task="classification"), 6)
    0.693147
    """
    Y_hat, Y = _check_matrix("Y_hat", Y_hat), _check_matrix("Y", Y)
    _check_same_shape("Y_hat", Y_hat, "Y", Y)
    m = Y.shape[1]
    if _check_task(task) == "regression":
        return float(np.sum((Y_hat - Y) ** 2) / (2 * m))
    if np.any((Y_hat < 0) | (Y_hat > 1)):
        raise ValueError("Y_hat must hold probabilities in [0, 1] for classification")
    with np.errstate(divide="ignore", invalid="ignore"):
        # Where Y is exactly 0 or 1, one of the terms has weight 0: leave it out, not 0 * log 0.
        losses = np.where(Y > 0, Y * np.log(Y_hat), 0.0) + np.where(
            Y < 1, (1 - Y) * np.log1p(-Y_hat), 0.0
        )
    return float(-np.sum(losses) / m)


def backward_propagation(Y_hat: np.ndarray, X: np.ndarray, Y: np.ndarray) -> dict[str, np.ndarray]:
    r"""The gradients of the cost with respect to ``W`` and ``b``, by the chain rule.

    Both tasks give the same formulas, each with its own cost of :func:`compute_cost`:

    $$\frac{\partial \mathcal{L}}{\partial W} = \frac{1}{m} (\hat Y - Y) X^T, \qquad
    \frac{\partial \mathcal{L}}{\partial b} = \frac{1}{m} \sum_{\text{examples}} (\hat Y - Y).$$

    **Derivation.** The cost depends on $W$ through $Z = W X + b$ and $\hat Y = g(Z)$, so by the
    chain rule, example by example,
    $\frac{\partial \mathcal{L}}{\partial Z} = \frac{\partial \mathcal{L}}{\partial \hat Y}
    \, g'(Z)$, and then $\frac{\partial \mathcal{L}}{\partial W} =
    \frac{\partial \mathcal{L}}{\partial Z} X^T$ (since $\partial Z / \partial W_{jk} = X_k$)
    and $\frac{\partial \mathcal{L}}{\partial b}$ is the sum of
    $\frac{\partial \mathcal{L}}{\partial Z}$ over the examples (since
    $\partial Z / \partial b = 1$).

    - Regression: $\mathcal{L} = \frac{1}{2m}\sum(\hat Y - Y)^2$ gives
      $\frac{\partial \mathcal{L}}{\partial \hat Y} = \frac{1}{m}(\hat Y - Y)$, and the
      identity has $g'(Z) = 1$.
    - Classification: the log-loss gives
      $\frac{\partial \mathcal{L}}{\partial \hat Y} =
      \frac{1}{m} \frac{\hat Y - Y}{\hat Y (1 - \hat Y)}$, and the sigmoid has
      $g'(Z) = \sigma(Z)(1 - \sigma(Z)) = \hat Y (1 - \hat Y)$, which cancels the denominator.

    Either way $\frac{\partial \mathcal{L}}{\partial Z} = \frac{1}{m}(\hat Y - Y)$. Float64.

    Parameters
    ----------
    Y_hat : array_like
        The output of :func:`forward_propagation`, shape ``(n_y, m)``.
    X : array_like
        The inputs, shape ``(n_x, m)``.
    Y : array_like
        The targets, shape ``(n_y, m)``.

    Returns
    -------
    dict
        ``"dW"`` of shape ``(n_y, n_x)`` and ``"db"`` of shape ``(n_y, 1)``.

    Raises
    ------
    ValueError
        If an array is not finite and 2-D, or the shapes do not match (the message names them).

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import backward_propagation
    >>> X = np.array([[1.0, 2.0]])
    >>> grads = backward_propagation(Y_hat=[[3.0, 3.0]], X=X, Y=[[2.0, 4.0]])
    >>> grads["dW"].tolist(), grads["db"].tolist()
    ([[-0.5]], [[0.0]])
    """
    Y_hat, X, Y = _check_matrix("Y_hat", Y_hat), _check_matrix("X", X), _check_matrix("Y", Y)
    _check_same_shape("Y_hat", Y_hat, "Y", Y)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X of shape {X.shape} and Y of shape {Y.shape} must have the same number of "
            f"examples (columns)"
        )
    m = X.shape[1]
    dZ = Y_hat - Y
    return {"dW": dZ @ X.T / m, "db": np.sum(dZ, axis=1, keepdims=True) / m}


def update_parameters(
    parameters: Mapping[str, Any], grads: Mapping[str, Any], learning_rate: float
) -> dict[str, Any]:
    r"""One gradient step: $W \leftarrow W - \alpha\, dW$ and $b \leftarrow b - \alpha\, db$.

    Parameters
    ----------
    parameters : dict
        ``"W"`` and ``"b"``; any other keys (``"task"``) are carried over.
    grads : dict
        ``"dW"`` and ``"db"`` of the same shapes, from :func:`backward_propagation`.
    learning_rate : float
        The step size $\alpha$, positive.

    Returns
    -------
    dict
        New parameters; the dicts passed in are not changed.

    Raises
    ------
    ValueError
        If a gradient's shape differs from its parameter's (the message names both), or
        ``learning_rate`` is not a positive finite number.
    TypeError
        If a dict lacks its keys.

    Examples
    --------
    >>> from calcml import update_parameters
    >>> new = update_parameters({"W": [[1.0]], "b": [[0.0]]}, {"dW": [[2.0]], "db": [[-1.0]]},
    ...                         learning_rate=0.5)
    >>> new["W"].tolist(), new["b"].tolist()
    ([[0.0]], [[0.5]])
    """
    W, b, _ = _check_parameters(parameters)
    if not isinstance(grads, Mapping) or "dW" not in grads or "db" not in grads:
        raise TypeError(f"grads must be a dict with keys 'dW' and 'db', got {grads!r}")
    dW, db = (
        check_finite_array("grads['dW']", grads["dW"]),
        check_finite_array("grads['db']", grads["db"]),
    )
    _check_same_shape("grads['dW']", dW, "parameters['W']", W)
    _check_same_shape("grads['db']", db, "parameters['b']", b)
    _check_positive("learning_rate", learning_rate)
    return {**parameters, "W": W - learning_rate * dW, "b": b - learning_rate * db}


def nn_model(
    X: np.ndarray,
    Y: np.ndarray,
    num_iterations: int,
    learning_rate: float,
    task: str = "regression",
    seed: int = 0,
) -> dict[str, Any]:
    """Train a perceptron by gradient descent: forward, cost, backward, update, repeated.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``: features × examples.
    Y : array_like
        Shape ``(n_y, m)``: targets; 0 or 1 for classification.
    num_iterations : int
        The number of gradient steps, at least 1.
    learning_rate : float
        The step size, positive. Features on very different scales need a tiny one;
        normalise them first (subtract the mean, divide by the standard deviation).
    task : {"regression", "classification"}, optional
        Identity output and squared error, or sigmoid output and log-loss. Default regression.
    seed : int, optional
        Seed of :func:`initialize_parameters`. Default 0.

    Returns
    -------
    dict
        ``"W"`` of shape ``(n_y, n_x)``, ``"b"`` of shape ``(n_y, 1)``, ``"task"``, and
        ``"costs"``: an array of ``num_iterations + 1`` costs, ``costs[k]`` after ``k`` steps
        (``costs[0]`` at the initial parameters). Pass it to :func:`predict` as it is.

    Raises
    ------
    DivergenceError
        If a cost is not finite (the learning rate is too large); the message names the
        learning rate, and ``err.path`` holds the costs up to the failure.
    ValueError
        If ``X`` and ``Y`` are not finite 2-D arrays with the same number of columns (the
        message names both shapes), ``Y`` holds labels other than 0 and 1 for classification,
        or a setting is out of range.

    Examples
    --------
    Fit $y = 2x + 1$ from four points:

    >>> import numpy as np
    >>> from calcml import nn_model, predict
    >>> X = np.array([[0.0, 1.0, 2.0, 3.0]])
    >>> Y = 2 * X + 1
    >>> parameters = nn_model(X, Y, num_iterations=2000, learning_rate=0.1)
    >>> round(float(parameters["W"][0, 0]), 4), round(float(parameters["b"][0, 0]), 4)
    (2.0, 1.0)
    >>> len(parameters["costs"]), predict(np.array([[10.0]]), parameters).round(4).tolist()
    (2001, [[21.0]])
    """
    X, Y = _check_training(X, Y, num_iterations, learning_rate, task)
    parameters = {**initialize_parameters(X.shape[0], Y.shape[0], seed=seed), "task": task}
    costs = []
    for iteration in range(num_iterations + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            Z = parameters["W"] @ X + parameters["b"]
            Y_hat = sigmoid(Z) if task == "classification" else Z
            cost = compute_cost(Y_hat, Y, task) if np.all(np.isfinite(Y_hat)) else float("inf")
        if not np.isfinite(cost):
            raise DivergenceError(
                learning_rate,
                iteration,
                np.array(costs),
                f"the cost became non-finite ({cost}); normalise X (subtract each feature's "
                "mean, divide by its standard deviation)",
            )
        costs.append(cost)
        if iteration == num_iterations:
            break
        grads = backward_propagation(Y_hat, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return {**parameters, "costs": np.array(costs)}


def predict(X: np.ndarray, parameters: Mapping[str, Any]) -> np.ndarray:
    r"""Predictions of a trained perceptron: values for regression, labels for classification.

    Parameters
    ----------
    X : array_like
        Shape ``(n_x, m)``: features × examples.
    parameters : dict
        As returned by :func:`nn_model`, or ``{"W": ..., "b": ...}`` for regression.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_y, m)``: $\hat Y$ for regression; for classification 1 where
        $\hat Y = \sigma(W X + b) > 0.5$ and 0 elsewhere, as float64.

    Raises
    ------
    ValueError, TypeError
        As for :func:`forward_propagation`.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import predict
    >>> X = np.array([[-1.0, 0.5, 3.0]])
    >>> predict(X, {"W": [[1.0]], "b": [[0.0]], "task": "classification"}).tolist()
    [[0.0, 1.0, 1.0]]
    """
    Y_hat = forward_propagation(X, parameters)
    if parameters.get("task", "regression") == "classification":
        return (Y_hat > 0.5).astype(np.float64)
    return Y_hat
