"""The perceptron: fits match least squares and the log-loss optimum found by Newton's method,
backward_propagation matches finite differences and jax.grad, and every error path raises."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import calcml
from calcml import (
    DivergenceError,
    PerceptronClassifier,
    PerceptronRegressor,
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    nn_model,
    predict,
    update_parameters,
)
from calcml.datasets import load_house_prices, load_tv_marketing


def least_squares(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, float]:
    """W (n_x,) and b of the least-squares fit of Y (1, m) on X (n_x, m)."""
    A = np.column_stack([X.T, np.ones(X.shape[1])])
    solution, *_ = np.linalg.lstsq(A, Y[0], rcond=None)
    return solution[:-1], float(solution[-1])


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, std = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
    return (X - mean) / std, mean, std


def log_loss_optimum(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """(w, b) minimising the log-loss, by Newton's method (IRLS) on the gradient and Hessian."""
    A = np.vstack([X, np.ones(X.shape[1])])  # (n_x + 1, m)
    theta = np.zeros(A.shape[0])
    for _ in range(50):
        p = calcml.sigmoid(theta @ A)
        g = A @ (p - Y[0]) / A.shape[1]
        H = (A * (p * (1 - p))) @ A.T / A.shape[1]
        step = np.linalg.solve(H, g)
        theta -= step
        if np.linalg.norm(step) < 1e-12:
            break
    return theta


def house_classes():
    X, Y = load_house_prices(("Gr Liv Area", "Overall Qual"))
    return X, (Y > np.median(Y)).astype(np.float64)


# --- fits against reference solutions -------------------------------------------------------------


def test_tv_regression_normalised_then_mapped_back_matches_least_squares():
    X, Y = load_tv_marketing()
    X_norm, mean, std = standardise(X)
    parameters = nn_model(X_norm, Y, num_iterations=200, learning_rate=0.5)
    W = parameters["W"] / std
    b = parameters["b"] - W @ mean
    W_ls, b_ls = least_squares(X, Y)
    np.testing.assert_allclose(W[0], W_ls, rtol=1e-10)
    np.testing.assert_allclose(b[0, 0], b_ls, rtol=1e-10)
    assert parameters["W"].shape == (1, 1) and parameters["b"].shape == (1, 1)
    assert parameters["task"] == "regression"
    costs = parameters["costs"]
    assert costs.shape == (201,) and np.all(np.diff(costs) <= 1e-12)
    # Predictions of the normalised model equal those of the line in the original units.
    np.testing.assert_allclose(predict(X_norm, parameters), W @ X + b, rtol=1e-12)


def test_house_prices_from_every_feature_match_least_squares():
    X, Y = load_house_prices()
    model = PerceptronRegressor(learning_rate=0.1, num_iterations=3000).fit(X.T, Y.ravel())
    W_ls, b_ls = least_squares(X, Y)
    np.testing.assert_allclose(model.coef_, W_ls, rtol=1e-6)
    np.testing.assert_allclose(model.intercept_, b_ls, rtol=1e-6)
    residual = Y[0] - W_ls @ X - b_ls
    r2 = 1 - np.sum(residual**2) / np.sum((Y[0] - Y.mean()) ** 2)
    assert model.score(X.T, Y.ravel()) == pytest.approx(r2, rel=1e-9)
    assert model.costs_.shape == (3001,)


def test_house_classification_matches_the_newton_log_loss_optimum():
    X, Y = house_classes()
    X_norm, mean, std = standardise(X)
    theta = log_loss_optimum(X_norm, Y)
    parameters = nn_model(X_norm, Y, num_iterations=5000, learning_rate=2.0, task="classification")
    np.testing.assert_allclose(parameters["W"][0], theta[:-1], rtol=1e-6)
    np.testing.assert_allclose(parameters["b"][0, 0], theta[-1], rtol=1e-6, atol=1e-9)
    optimum = compute_cost(
        forward_propagation(
            X_norm, {"W": theta[None, :-1], "b": theta[-1:, None], "task": "classification"}
        ),
        Y,
        task="classification",
    )
    assert parameters["costs"][-1] == pytest.approx(optimum, rel=1e-10)
    # Not separable: the optimum is finite and misclassifies some sales.
    accuracy = np.mean(predict(X_norm, parameters) == Y)
    assert 0.8 < accuracy < 1.0
    # The estimator gives the same model in the original units.
    model = PerceptronClassifier(learning_rate=2.0, num_iterations=5000).fit(X.T, Y.ravel())
    np.testing.assert_allclose(model.coef_[0], theta[:-1] / std[:, 0], rtol=1e-6)
    np.testing.assert_allclose(
        model.intercept_[0], theta[-1] - theta[:-1] @ (mean[:, 0] / std[:, 0]), rtol=1e-6
    )
    assert model.score(X.T, Y.ravel()) == pytest.approx(accuracy)
    proba = model.predict_proba(X.T)
    assert proba.shape == (X.shape[1], 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_classifier_keeps_the_labels_it_was_given():
    X, Y = house_classes()
    labels = np.where(Y.ravel() == 1, "above", "below")
    model = PerceptronClassifier(num_iterations=200).fit(X.T, labels)
    assert model.classes_.tolist() == ["above", "below"]
    assert set(model.predict(X.T)) <= {"above", "below"}
    assert model.score(X.T, labels) > 0.8


def test_initialize_parameters_is_seeded_small_and_shaped():
    a, b = initialize_parameters(3, 2, seed=7), initialize_parameters(3, 2, seed=7)
    np.testing.assert_array_equal(a["W"], b["W"])
    assert not np.array_equal(a["W"], initialize_parameters(3, 2, seed=8)["W"])
    assert a["W"].shape == (2, 3) and np.all(np.abs(a["W"]) < 0.1)
    np.testing.assert_array_equal(a["b"], np.zeros((2, 1)))


def test_a_hand_written_dict_is_a_regression_model():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    parameters = {"W": [[1.0, -1.0]], "b": [[0.5]]}
    np.testing.assert_array_equal(forward_propagation(X, parameters), [[-1.5, -1.5]])
    np.testing.assert_array_equal(predict(X, parameters), [[-1.5, -1.5]])


def test_update_parameters_keeps_the_task_and_leaves_its_inputs_alone():
    parameters = {"W": np.array([[1.0]]), "b": np.array([[0.0]]), "task": "classification"}
    new = update_parameters(parameters, {"dW": [[1.0]], "db": [[1.0]]}, learning_rate=0.1)
    assert new["task"] == "classification"
    np.testing.assert_allclose(new["W"], [[0.9]])
    np.testing.assert_allclose(new["b"], [[-0.1]])
    np.testing.assert_array_equal(parameters["W"], [[1.0]])


def test_compute_cost_of_certain_predictions():
    assert compute_cost([[0.0, 1.0]], [[0.0, 1.0]], task="classification") == 0.0
    assert compute_cost([[1.0]], [[0.0]], task="classification") == np.inf


# --- gradients three ways -------------------------------------------------------------------------


def _problem(task: str):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 20))
    if task == "classification":
        Y = (rng.random((2, 20)) < 0.5).astype(float)
    else:
        Y = rng.standard_normal((2, 20))
    parameters = {
        "W": rng.standard_normal((2, 3)),
        "b": rng.standard_normal((2, 1)),
        "task": task,
    }
    return X, Y, parameters


def _cost_of_flat(theta, X, Y, task, xp):
    """The cost as a function of [W.ravel(), b.ravel()], in NumPy or jax.numpy."""
    W, b = theta[:6].reshape(2, 3), theta[6:].reshape(2, 1)
    Z = W @ X + b
    if task == "regression":
        return xp.sum((Z - Y) ** 2) / (2 * X.shape[1])
    Y_hat = 1 / (1 + xp.exp(-Z))
    return -xp.sum(Y * xp.log(Y_hat) + (1 - Y) * xp.log(1 - Y_hat)) / X.shape[1]


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_the_cost_function_is_compute_cost(task):
    X, Y, parameters = _problem(task)
    theta = np.concatenate([parameters["W"].ravel(), parameters["b"].ravel()])
    expected = compute_cost(forward_propagation(X, parameters), Y, task=task)
    assert _cost_of_flat(theta, X, Y, task, np) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_backward_propagation_matches_finite_differences_and_jax_grad(task):
    X, Y, parameters = _problem(task)
    grads = backward_propagation(forward_propagation(X, parameters), X, Y)
    assert grads["dW"].shape == (2, 3) and grads["db"].shape == (2, 1)
    ours = np.concatenate([grads["dW"].ravel(), grads["db"].ravel()])
    theta = np.concatenate([parameters["W"].ravel(), parameters["b"].ravel()])

    numerical = calcml.gradient(
        lambda t: _cost_of_flat(t, X, Y, task, np), theta, method="numerical"
    )
    np.testing.assert_allclose(ours, numerical, rtol=1e-7, atol=1e-9)

    # jax.grad in JAX's default float32: tolerance to match.
    automatic = jax.grad(lambda t: _cost_of_flat(t, jnp.asarray(X), jnp.asarray(Y), task, jnp))(
        jnp.asarray(theta, dtype=jnp.float32)
    )
    np.testing.assert_allclose(ours, np.asarray(automatic), rtol=1e-4, atol=1e-5)


# --- error paths ----------------------------------------------------------------------------------


def test_shape_mismatches_name_both_shapes():
    X = np.ones((3, 5))
    with pytest.raises(ValueError, match=r"\(3, 5\).*\(1, 2\)"):
        forward_propagation(X, {"W": np.ones((1, 2)), "b": np.zeros((1, 1))})
    with pytest.raises(ValueError, match=r"\(1, 3\).*\(2, 1\)"):
        forward_propagation(X, {"W": np.ones((1, 3)), "b": np.zeros((2, 1))})
    with pytest.raises(ValueError, match=r"\(1, 5\).*\(1, 4\)"):
        compute_cost(np.ones((1, 5)), np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"\(1, 5\).*\(2, 5\)"):
        backward_propagation(np.ones((1, 5)), X, np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"\(3, 5\).*\(1, 4\)"):
        backward_propagation(np.ones((1, 4)), X, np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"\(3, 5\).*\(1, 4\)"):
        nn_model(X, np.ones((1, 4)), num_iterations=1, learning_rate=0.1)
    with pytest.raises(ValueError, match=r"\(1, 2\).*\(1, 3\)"):
        update_parameters(
            {"W": np.ones((1, 3)), "b": np.zeros((1, 1))},
            {"dW": np.ones((1, 2)), "db": np.zeros((1, 1))},
            learning_rate=0.1,
        )
    with pytest.raises(ValueError, match=r"\(2, 1\).*\(1, 1\)"):
        update_parameters(
            {"W": np.ones((1, 3)), "b": np.zeros((1, 1))},
            {"dW": np.ones((1, 3)), "db": np.zeros((2, 1))},
            learning_rate=0.1,
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda: forward_propagation(np.ones(3), {"W": [[1.0]], "b": [[0.0]]}),
        lambda: forward_propagation([[np.nan]], {"W": [[1.0]], "b": [[0.0]]}),
        lambda: forward_propagation([[1.0]], {"W": [[1.0]], "b": [[0.0]], "task": "ranking"}),
        lambda: compute_cost([[1.0]], [[1.0]], task="ranking"),
        lambda: compute_cost([[1.5]], [[1.0]], task="classification"),
        lambda: nn_model([[1.0, 2.0]], [[0.0, 2.0]], 10, 0.1, task="classification"),
        lambda: nn_model([[1.0]], [[1.0]], 0, 0.1),
        lambda: nn_model([[1.0]], [[1.0]], 10, -0.1),
        lambda: update_parameters({"W": [[1.0]], "b": [[0.0]]}, {"dW": [[1]], "db": [[1]]}, 0),
        lambda: initialize_parameters(0),
        lambda: initialize_parameters(2, n_y=1.5),
        lambda: initialize_parameters(2, seed="a"),
    ],
)
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: initialize_parameters(2, seed=-1), "seed must be an integer >= 0, got -1"),
        (lambda: nn_model(np.ones((2, 0)), np.ones((1, 0)), 10, 0.1), r"\(2, 0\) has no examples"),
    ],
)
def test_bad_arguments_are_named_in_the_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: forward_propagation([[1.0]], {"W": [[1.0]]}),
        lambda: forward_propagation([[1.0]], [[1.0], [0.0]]),
        lambda: update_parameters({"W": [[1.0]], "b": [[0.0]]}, {"dW": [[1.0]]}, 0.1),
    ],
)
def test_missing_keys_raise_type_error(call):
    with pytest.raises(TypeError, match="keys"):
        call()


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_divergence_names_the_learning_rate_and_keeps_the_costs(task):
    X, Y = load_tv_marketing()
    if task == "classification":
        Y = (Y > np.median(Y)).astype(float)
    with pytest.raises(DivergenceError, match="learning_rate=0.5") as caught:
        nn_model(X, Y, num_iterations=1000, learning_rate=0.5, task=task)
    error = caught.value
    assert error.learning_rate == 0.5 and 0 < error.iteration <= 1000
    assert len(error.path) == error.iteration and np.all(np.isfinite(error.path))


# --- the estimators' layout -----------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", [PerceptronRegressor, PerceptronClassifier])
def test_estimators_refuse_the_lessons_layout_with_a_hint(Estimator):
    X, Y = load_tv_marketing()
    Y = (Y > np.median(Y)).astype(float)
    with pytest.raises(ValueError, match=r"\(1, 200\).*ravel"):
        Estimator().fit(X.T, Y)
    with pytest.raises(ValueError, match=r"\(1, 200\).*X\.T"):
        Estimator().fit(X, Y.ravel())
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        Estimator().fit(X.ravel(), Y.ravel())
    with pytest.raises(ValueError, match=r"\(5, 1\).*200 rows"):
        Estimator().fit(np.ones((5, 1)), Y.ravel())
    with pytest.raises(ValueError, match=r"\(200, 1\).*ravel"):
        Estimator().fit(X.T, Y.T)


@pytest.mark.parametrize("Estimator", [PerceptronRegressor, PerceptronClassifier])
def test_estimators_must_be_fitted_on_as_many_features(Estimator):
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    with pytest.raises(RuntimeError, match="fit"):
        Estimator().predict(X)
    model = Estimator(num_iterations=10).fit(X, y)
    with pytest.raises(ValueError, match="2"):
        model.predict(X[:, :1])


def test_classifier_needs_two_labels():
    with pytest.raises(ValueError, match="two distinct labels"):
        PerceptronClassifier().fit(np.ones((3, 1)), np.array([0, 1, 2]))


def test_get_params_and_set_params():
    model = PerceptronRegressor(learning_rate=0.05)
    assert model.get_params() == {
        "learning_rate": 0.05,
        "num_iterations": 1000,
        "standardize": True,
        "seed": 0,
    }
    assert model.set_params(num_iterations=10) is model and model.num_iterations == 10
    assert "num_iterations=10" in repr(model)
    with pytest.raises(ValueError, match="alpha"):
        model.set_params(alpha=1.0)


def test_without_standardising_a_small_learning_rate_fits_too():
    X, Y = load_tv_marketing()
    model = PerceptronRegressor(standardize=False, learning_rate=1e-5, num_iterations=50)
    model.fit(X.T, Y.ravel())
    np.testing.assert_array_equal(model.mean_, [0.0])
    assert model.costs_[-1] < model.costs_[0]
    with pytest.raises(DivergenceError, match="learning_rate=0.01"):
        model.set_params(learning_rate=0.01, num_iterations=1000).fit(X.T, Y.ravel())
