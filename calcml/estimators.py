"""Perceptron estimators with the scikit-learn interface, built on :mod:`calcml.perceptron`.

``X`` has examples in rows, shape ``(n_samples, n_features)``, and ``y`` has shape
``(n_samples,)``; the estimators transpose to the lessons' layout and call the same functions.
"""

from typing import Any

import numpy as np

from calcml._checks import check_finite_array
from calcml.perceptron import forward_propagation, nn_model, predict

# --- the estimators, scikit-learn layout ----------------------------------------------------------


class _Perceptron:
    """What both estimators share: settings, layout checks, standardisation, fitting."""

    _task = "regression"

    def __init__(
        self,
        learning_rate: float = 0.1,
        num_iterations: int = 1000,
        standardize: bool = True,
        seed: int = 0,
    ):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations
        self.standardize = standardize
        self.seed = seed

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The settings passed to the constructor, by name."""
        return {
            name: getattr(self, name)
            for name in ("learning_rate", "num_iterations", "standardize", "seed")
        }

    def set_params(self, **params: Any) -> "_Perceptron":
        """Change settings by name; returns the estimator."""
        for name, value in params.items():
            if name not in self.get_params():
                raise ValueError(
                    f"{name!r} is not a setting of {type(self).__name__}; "
                    f"settings are {sorted(self.get_params())}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({settings})"

    @staticmethod
    def _check_X(X: Any, n_samples: int | None = None) -> np.ndarray:
        X = check_finite_array("X", X)
        if X.ndim != 2:
            hint = "; for one feature write X.reshape(-1, 1)" if X.ndim == 1 else ""
            raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}{hint}")
        if n_samples is not None and X.shape[0] != n_samples:
            if X.shape[1] == n_samples:
                raise ValueError(
                    f"X has shape {X.shape}, the lessons' layout (features × examples), but "
                    f"the estimators take (n_samples, n_features) = (m, n_x): pass X.T"
                )
            raise ValueError(
                f"X of shape {X.shape} must have one row per sample of y, {n_samples} rows"
            )
        return X

    @staticmethod
    def _check_y(y: Any) -> np.ndarray:
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(
                f"y must be 1-D of shape (n_samples,), got shape {y.shape}; the lessons' "
                f"layout (1, m) is for nn_model: pass y.ravel()"
            )
        return y

    def _check_fitted(self, X: Any) -> np.ndarray:
        if not hasattr(self, "coef_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet: call fit first")
        X = self._check_X(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X of shape {X.shape} has {X.shape[1]} features, but the model was fitted "
                f"with {self.n_features_in_}"
            )
        return X

    def _fit(self, X: np.ndarray, Y: np.ndarray) -> None:
        """Fit on ``X`` (n_samples, n_features) and ``Y`` (1, n_samples); set the attributes."""
        if self.standardize:
            mean, scale = X.mean(axis=0), X.std(axis=0)
            scale = np.where(scale > 0, scale, 1.0)
        else:
            mean, scale = np.zeros(X.shape[1]), np.ones(X.shape[1])
        parameters = nn_model(
            ((X - mean) / scale).T,
            Y,
            num_iterations=self.num_iterations,
            learning_rate=self.learning_rate,
            task=self._task,
            seed=self.seed,
        )
        # W (x - mean) / scale + b = (W / scale) x + (b - W mean / scale)
        W = parameters["W"] / scale
        self._W, self._b = W, parameters["b"] - W @ mean[:, np.newaxis]
        self.mean_, self.scale_ = mean, scale
        self.costs_ = parameters["costs"]
        self.n_features_in_ = X.shape[1]

    def _parameters(self) -> dict[str, Any]:
        return {"W": self._W, "b": self._b, "task": self._task}


class PerceptronRegressor(_Perceptron):
    r"""Linear regression by the perceptron of :func:`nn_model`, in the scikit-learn layout.

    ``fit(X, y)`` takes ``X`` of shape ``(n_samples, n_features)`` and ``y`` of shape
    ``(n_samples,)``, transposes them into the lessons' layout and calls :func:`nn_model`.
    With ``standardize=True`` (the default) each feature is first shifted by its mean and
    divided by its standard deviation, so one learning rate suits features of any scale; the
    fitted ``coef_`` and ``intercept_`` are mapped back to the original units. Float64.

    Parameters
    ----------
    learning_rate : float, optional
        The step size of gradient descent. Default 0.1.
    num_iterations : int, optional
        The number of steps. Default 1000.
    standardize : bool, optional
        Standardise the features before fitting. Default True.
    seed : int, optional
        Seed of the initial weights. Default 0.

    Attributes
    ----------
    coef_ : numpy.ndarray
        Shape ``(n_features,)``: the weights, in the units of ``X``.
    intercept_ : float
        The bias.
    costs_ : numpy.ndarray
        The cost after each step, ``num_iterations + 1`` values (on the standardised features).
    mean_, scale_ : numpy.ndarray
        The mean and standard deviation used to standardise each feature (0 and 1 without).
    n_features_in_ : int
        The number of features seen by ``fit``.

    Raises
    ------
    ValueError
        From ``fit``: ``y`` not 1-D (a ``(1, m)`` array gets a hint to pass ``y.ravel()``),
        ``X`` of shape ``(n_features, n_samples)`` (a hint to pass ``X.T``), or other shape
        mismatches. :class:`DivergenceError` if the learning rate is too large.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import PerceptronRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([1.0, 3.0, 5.0, 7.0])
    >>> model = PerceptronRegressor(num_iterations=500).fit(X, y)
    >>> model.coef_.round(4).tolist(), round(model.intercept_, 4), model.score(X, y)
    ([2.0], 1.0, 1.0)
    >>> model.predict(np.array([[10.0]])).round(4).tolist()
    [21.0]
    """

    _task = "regression"

    def fit(self, X: Any, y: Any) -> "PerceptronRegressor":
        """Fit to ``X`` of shape ``(n_samples, n_features)`` and ``y`` of shape ``(n_samples,)``."""
        y = check_finite_array("y", self._check_y(y))
        X = self._check_X(X, len(y))
        self._fit(X, y[np.newaxis, :])
        self.coef_, self.intercept_ = self._W[0], float(self._b[0, 0])
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predicted values, shape ``(n_samples,)``."""
        X = self._check_fitted(X)
        return predict(X.T, self._parameters())[0]

    def score(self, X: Any, y: Any) -> float:
        r"""The coefficient of determination, $R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2$.

        Parameters
        ----------
        X : array_like
            Shape ``(n_samples, n_features)``.
        y : array_like
            Shape ``(n_samples,)``: the true values.
        """
        y = check_finite_array("y", self._check_y(y))
        y_hat = self.predict(self._check_X(X, len(y)))
        return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))


class PerceptronClassifier(_Perceptron):
    r"""Logistic regression by the perceptron of :func:`nn_model`, in the scikit-learn layout.

    ``fit(X, y)`` takes ``X`` of shape ``(n_samples, n_features)`` and ``y`` of shape
    ``(n_samples,)`` holding two distinct labels (any two values: ``classes_[1]`` plays the
    part of 1), and calls :func:`nn_model` with ``task="classification"``: a sigmoid output
    and the log-loss. ``standardize`` works as for :class:`PerceptronRegressor`. Float64.

    Parameters
    ----------
    learning_rate : float, optional
        The step size of gradient descent. Default 0.1.
    num_iterations : int, optional
        The number of steps. Default 1000.
    standardize : bool, optional
        Standardise the features before fitting. Default True.
    seed : int, optional
        Seed of the initial weights. Default 0.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The two labels, sorted.
    coef_ : numpy.ndarray
        Shape ``(1, n_features)``: the weights, in the units of ``X``.
    intercept_ : numpy.ndarray
        Shape ``(1,)``: the bias.
    costs_, mean_, scale_, n_features_in_
        As for :class:`PerceptronRegressor`; ``costs_`` holds the log-loss.

    Raises
    ------
    ValueError
        From ``fit``: as for :class:`PerceptronRegressor`, and when ``y`` does not hold exactly
        two distinct labels.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import PerceptronClassifier
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    >>> y = np.array(["no", "no", "yes", "no", "yes", "yes"])
    >>> model = PerceptronClassifier().fit(X, y)
    >>> model.classes_.tolist(), model.predict(X).tolist()
    (['no', 'yes'], ['no', 'no', 'no', 'yes', 'yes', 'yes'])
    >>> round(model.score(X, y), 4)
    0.6667
    """

    _task = "classification"

    def fit(self, X: Any, y: Any) -> "PerceptronClassifier":
        """Fit to ``X`` of shape ``(n_samples, n_features)`` and labels ``y`` of shape
        ``(n_samples,)``."""
        y = self._check_y(y)
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(
                f"y must hold exactly two distinct labels, got {len(classes)}: {classes[:10]}"
            )
        X = self._check_X(X, len(y))
        self._fit(X, (y == classes[1]).astype(np.float64)[np.newaxis, :])
        self.classes_ = classes
        self.coef_, self.intercept_ = self._W, self._b[:, 0]
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]``, shape ``(n_samples, 2)``."""
        X = self._check_fitted(X)
        p = forward_propagation(X.T, self._parameters())[0]
        return np.column_stack([1 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """Predicted labels, shape ``(n_samples,)``, taken from ``classes_``."""
        X = self._check_fitted(X)
        return self.classes_[predict(X.T, self._parameters())[0].astype(int)]

    def score(self, X: Any, y: Any) -> float:
        """The accuracy: the fraction of samples whose label is predicted right."""
        y = self._check_y(y)
        return float(np.mean(self.predict(self._check_X(X, len(y))) == y))
