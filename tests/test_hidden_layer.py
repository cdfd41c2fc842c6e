"""The one-hidden-layer network: its gradients match finite differences and jax.grad, it separates
data no perceptron can, and every error path raises."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import calcml
from calcml import (
    DivergenceError,
    compute_cost,
    hidden_layer_backward,
    hidden_layer_forward,
    hidden_layer_model,
    hidden_layer_predict,
    initialize_hidden_layer,
    nn_model,
    predict,
    update_hidden_layer,
)

NAMES = ("W1", "b1", "W2", "b2")


def rings(m: int = 300, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric rings, radius 1 (label 1) and 2 (label 0): no line separates them."""
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % 2
    radius = np.where(labels == 1, 1.0, 2.0) + noise * rng.standard_normal(m)
    angle = rng.uniform(0, 2 * np.pi, m)
    X = np.vstack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, labels[np.newaxis, :].astype(np.float64)


def _problem(n_x: int = 3, n_h: int = 4, m: int = 7):
    rng = np.random.default_rng(42)
    X = rng.standard_normal((n_x, m))
    Y = (rng.uniform(size=(1, m)) > 0.5).astype(np.float64)
    parameters = initialize_hidden_layer(n_x, n_h, seed=3)
    # Non-zero biases, so their gradients are checked away from the starting point too.
    parameters["b1"] = rng.standard_normal((n_h, 1))
    parameters["b2"] = rng.standard_normal((1, 1))
    return X, Y, parameters


def _flatten(parameters) -> np.ndarray:
    return np.concatenate([np.ravel(parameters[k]) for k in NAMES])


def _cost_of_flat(theta, X, Y, n_h, xp):
    """The log-loss as a function of all parameters in one vector, written out independently."""
    n_x = X.shape[0]
    sizes = np.cumsum([n_h * n_x, n_h, n_h])
    W1 = theta[: sizes[0]].reshape(n_h, n_x)
    b1 = theta[sizes[0] : sizes[1]].reshape(n_h, 1)
    W2 = theta[sizes[1] : sizes[2]].reshape(1, n_h)
    b2 = theta[sizes[2] :].reshape(1, 1)
    Y_hat = 1 / (1 + xp.exp(-(W2 @ xp.tanh(W1 @ X + b1) + b2)))
    return -xp.sum(Y * xp.log(Y_hat) + (1 - Y) * xp.log(1 - Y_hat)) / X.shape[1]


# --- the maths ------------------------------------------------------------------------------------


def test_initial_parameters_have_the_documented_shapes_scale_and_seed():
    parameters = initialize_hidden_layer(50, 400, n_y=2, seed=5)
    assert {k: v.shape for k, v in parameters.items()} == {
        "W1": (400, 50),
        "b1": (400, 1),
        "W2": (2, 400),
        "b2": (2, 1),
    }
    assert parameters["W1"].std() == pytest.approx(1 / np.sqrt(50), rel=0.05)
    assert parameters["W2"].std() == pytest.approx(1 / np.sqrt(400), rel=0.1)
    assert not parameters["b1"].any() and not parameters["b2"].any()
    again = initialize_hidden_layer(50, 400, n_y=2, seed=5)
    assert all(np.array_equal(parameters[k], again[k]) for k in NAMES)
    other = initialize_hidden_layer(50, 400, n_y=2, seed=6)
    assert not np.array_equal(parameters["W1"], other["W1"])


def test_forward_computes_the_two_layers_and_its_cost_is_the_log_loss():
    X, Y, parameters = _problem()
    Y_hat, cache = hidden_layer_forward(X, parameters)
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    np.testing.assert_allclose(cache["A1"], A1, rtol=1e-14)
    np.testing.assert_allclose(Y_hat, calcml.sigmoid(parameters["W2"] @ A1 + parameters["b2"]))
    assert cache["A2"] is Y_hat and Y_hat.shape == (1, 7)
    expected = _cost_of_flat(_flatten(parameters), X, Y, 4, np)
    assert compute_cost(Y_hat, Y, task="classification") == pytest.approx(expected, rel=1e-12)


def test_backward_matches_finite_differences_and_jax_grad():
    X, Y, parameters = _problem()
    _, cache = hidden_layer_forward(X, parameters)
    grads = hidden_layer_backward(parameters, cache, X, Y)
    assert all(grads[f"d{k}"].shape == np.shape(parameters[k]) for k in NAMES)
    ours = np.concatenate([grads[f"d{k}"].ravel() for k in NAMES])
    theta = _flatten(parameters)

    numerical = calcml.gradient(lambda t: _cost_of_flat(t, X, Y, 4, np), theta, "numerical")
    np.testing.assert_allclose(ours, numerical, rtol=1e-7, atol=1e-10)

    # jax.grad in float64, like ours: they agree to rounding. Compiled whole, it takes 0.1 s
    # where op-by-op dispatch takes 1 s.
    with jax.enable_x64(True):
        automatic = jax.jit(jax.grad(lambda t: _cost_of_flat(t, X, Y, 4, jnp)))(jnp.asarray(theta))
        assert automatic.dtype == jnp.float64
    np.testing.assert_allclose(ours, np.asarray(automatic), rtol=1e-12, atol=1e-15)


def test_update_steps_against_every_gradient_and_keeps_other_keys():
    X, Y, parameters = _problem()
    parameters["note"] = "kept"
    _, cache = hidden_layer_forward(X, parameters)
    grads = hidden_layer_backward(parameters, cache, X, Y)
    new = update_hidden_layer(parameters, grads, learning_rate=0.1)
    for k in NAMES:
        np.testing.assert_allclose(new[k], parameters[k] - 0.1 * grads[f"d{k}"], rtol=1e-15)
    assert new["note"] == "kept" and new is not parameters


# --- training -------------------------------------------------------------------------------------


def test_a_hidden_layer_separates_rings_that_a_perceptron_cannot():
    X, Y = rings()
    perceptron = nn_model(X, Y, 2000, 0.5, task="classification")
    linear_accuracy = np.mean(predict(X, perceptron) == Y)
    assert linear_accuracy < 0.7  # chance is 0.5
    parameters = hidden_layer_model(X, Y, n_h=4, num_iterations=3000, learning_rate=0.5)
    assert np.mean(hidden_layer_predict(X, parameters) == Y) > 0.95
    costs = parameters["costs"]
    assert costs.shape == (3001,) and costs[-1] < 0.2 < 0.6 < costs[0]
    # Fresh rings from the same distribution: it learnt the rings, not the sample.
    X_test, Y_test = rings(seed=1)
    assert np.mean(hidden_layer_predict(X_test, parameters) == Y_test) > 0.95


def test_training_takes_the_steps_of_the_public_functions():
    X, Y = rings(m=60)
    trained = hidden_layer_model(X, Y, n_h=3, num_iterations=20, learning_rate=0.5, seed=4)
    parameters, costs = initialize_hidden_layer(2, 3, seed=4), []
    for _ in range(21):
        Y_hat, cache = hidden_layer_forward(X, parameters)
        costs.append(compute_cost(Y_hat, Y, task="classification"))
        grads = hidden_layer_backward(parameters, cache, X, Y)
        parameters, last = update_hidden_layer(parameters, grads, 0.5), parameters
    assert all(np.array_equal(trained[k], last[k]) for k in NAMES)
    np.testing.assert_array_equal(trained["costs"], costs)


def test_training_is_seeded_and_hidden_layer_predict_thresholds_the_probability():
    X, Y = rings(m=60)
    first = hidden_layer_model(X, Y, n_h=3, num_iterations=50, learning_rate=0.5, seed=2)
    second = hidden_layer_model(X, Y, n_h=3, num_iterations=50, learning_rate=0.5, seed=2)
    assert all(np.array_equal(first[k], second[k]) for k in (*NAMES, "costs"))
    Y_hat, _ = hidden_layer_forward(X, first)
    np.testing.assert_array_equal(hidden_layer_predict(X, first), (Y_hat > 0.5) * 1.0)


# --- error paths ----------------------------------------------------------------------------------


def test_shape_mismatches_name_both_shapes():
    X, Y, parameters = _problem()
    with pytest.raises(ValueError, match=r"\(2, 7\).*\(4, 3\)"):
        hidden_layer_forward(X[:2], parameters)
    with pytest.raises(ValueError, match=r"b1.*\(3, 1\).*\(4, 3\)"):
        hidden_layer_forward(X, {**parameters, "b1": np.zeros((3, 1))})
    with pytest.raises(ValueError, match=r"W2.*\(1, 5\).*\(4, 3\)"):
        hidden_layer_forward(X, {**parameters, "W2": np.zeros((1, 5))})
    with pytest.raises(ValueError, match=r"\(3, 7\).*\(1, 6\)"):
        hidden_layer_model(X, Y[:, :6], n_h=2, num_iterations=1, learning_rate=0.1)
    _, cache = hidden_layer_forward(X, parameters)
    with pytest.raises(ValueError, match=r"\(1, 7\).*\(1, 6\)"):
        hidden_layer_backward(parameters, cache, X, Y[:, :6])
    grads = hidden_layer_backward(parameters, cache, X, Y)
    with pytest.raises(ValueError, match=r"dW1.*\(4, 2\).*\(4, 3\)"):
        update_hidden_layer(parameters, {**grads, "dW1": np.zeros((4, 2))}, 0.1)


def test_missing_keys_and_bad_settings_raise():
    X, Y, parameters = _problem()
    with pytest.raises(TypeError, match="W1"):
        hidden_layer_forward(X, {"W": 1, "b": 0})
    _, cache = hidden_layer_forward(X, parameters)
    with pytest.raises(TypeError, match="cache"):
        hidden_layer_backward(parameters, {"A2": cache["A2"]}, X, Y)
    with pytest.raises(TypeError, match="grads"):
        update_hidden_layer(parameters, {"dW": 0}, 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        update_hidden_layer(parameters, hidden_layer_backward(parameters, cache, X, Y), -1.0)
    with pytest.raises(ValueError, match="only 0 and 1"):
        hidden_layer_model(X, Y + 0.5, n_h=2, num_iterations=1, learning_rate=0.1)
    with pytest.raises(ValueError, match="n_h"):
        hidden_layer_model(X, Y, n_h=0, num_iterations=1, learning_rate=0.1)
    with pytest.raises(ValueError, match="num_iterations"):
        hidden_layer_model(X, Y, n_h=2, num_iterations=0, learning_rate=0.1)
    for name, kwargs in (("n_x", {"n_x": 0}), ("n_h", {"n_h": 2.5}), ("seed", {"seed": "a"})):
        with pytest.raises(ValueError, match=name):
            initialize_hidden_layer(**{"n_x": 2, "n_h": 3, **kwargs})
    with pytest.raises(ValueError, match="finite"):
        hidden_layer_forward(np.full((3, 2), np.nan), parameters)


def test_a_learning_rate_too_large_stops_with_an_error_naming_it():
    X, Y = rings(m=40)
    with pytest.raises(DivergenceError, match="learning_rate=1e\\+06") as caught:
        hidden_layer_model(X, Y, n_h=3, num_iterations=100, learning_rate=1e6)
    assert len(caught.value.path) == caught.value.iteration
    assert np.all(np.isfinite(caught.value.path))
    # A step so large that the weights themselves overflow ends the same way, without a warning.
    X = 100 * np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    with pytest.raises(DivergenceError, match="learning_rate=1e\\+308") as caught:
        hidden_layer_model(X, [[0.0, 1.0, 1.0, 0.0]], n_h=3, num_iterations=10, learning_rate=1e308)
    assert caught.value.iteration == 1


def test_a_wrong_dict_is_described_by_its_keys_not_its_arrays():
    X, Y = rings(m=40)
    perceptron = nn_model(X, Y, 5, 0.1, task="classification")
    message = r"^parameters must be a dict with keys \('W1', 'b1', 'W2', 'b2'\), got a dict with "
    with pytest.raises(TypeError, match=message + r"keys \['W', 'b', 'task', 'costs'\]$"):
        hidden_layer_predict(X, perceptron)
    with pytest.raises(TypeError, match=r"^cache must be a dict .*, got list \[1\]$"):
        hidden_layer_backward(initialize_hidden_layer(2, 3), [1], X, Y)
