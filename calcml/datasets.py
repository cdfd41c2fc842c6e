"""Small real data sets shipped with calcml, in the lessons' layout: features × examples.

Each loader returns ``(X, Y)`` with one column per example, ``X`` of shape ``(n_features, m)``
and ``Y`` of shape ``(1, m)``, as float64 NumPy arrays, ready for
:func:`calcml.nn_model`. For the scikit-learn layout that :class:`calcml.PerceptronRegressor`
takes, pass ``X.T`` and ``Y.ravel()``.

The files live inside the package (``calcml/data/``) and are read with
:mod:`importlib.resources`; nothing is downloaded. Sources:

- ``advertising.csv``: the "Advertising" data of *An Introduction to Statistical Learning*
  (James, Witten, Hastie, Tibshirani): TV, radio and newspaper budgets (thousands of dollars)
  and sales (thousands of units) in 200 markets.
- ``ames_housing.csv``: a column subset of the Ames Housing data compiled by Dean De Cock
  (*Journal of Statistics Education* 19(3), 2011): 2,930 residential sales in Ames, Iowa,
  2006–2010.
"""

import csv
import io
from collections.abc import Sequence
from importlib import resources

import numpy as np

HOUSE_FEATURES: tuple[str, ...] = (
    "Gr Liv Area",
    "Overall Qual",
    "Year Built",
    "Total Bsmt SF",
    "Full Bath",
    "Bedroom AbvGr",
    "Garage Cars",
    "Lot Area",
    "Yr Sold",
)
"""The numeric columns of the Ames data that :func:`load_house_prices` can return, in order:
living area above ground (sq ft), overall quality (1–10), year built, basement area (sq ft),
full bathrooms, bedrooms above ground, garage capacity (cars), lot area (sq ft), year sold."""

HOUSE_TARGET = "SalePrice"
"""The column :func:`load_house_prices` returns as ``Y``: the sale price in US dollars."""


def _read_columns(filename: str) -> dict[str, list[str]]:
    """The columns of a CSV file in ``calcml/data``, by header name, as strings."""
    text = resources.files("calcml").joinpath("data", filename).read_text(encoding="utf-8")
    header, *rows = csv.reader(io.StringIO(text))
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


def _as_float(values: list[str]) -> np.ndarray:
    """Strings to float64, an empty field to NaN."""
    return np.array([float(v) if v.strip() else np.nan for v in values], dtype=np.float64)


def load_tv_marketing() -> tuple[np.ndarray, np.ndarray]:
    """Load TV advertising budgets and sales in 200 markets (the Advertising data).

    Returns
    -------
    X : numpy.ndarray
        Shape ``(1, 200)``: the TV advertising budget of each market, in thousands of dollars.
    Y : numpy.ndarray
        Shape ``(1, 200)``: the sales in each market, in thousands of units.

    Examples
    --------
    >>> from calcml.datasets import load_tv_marketing
    >>> X, Y = load_tv_marketing()
    >>> X.shape, Y.shape
    ((1, 200), (1, 200))
    >>> float(X[0, 0]), float(Y[0, 0])
    (230.1, 22.1)
    """
    columns = _read_columns("advertising.csv")
    X = _as_float(columns["TV"])[np.newaxis, :]
    Y = _as_float(columns["Sales"])[np.newaxis, :]
    return X, Y


def load_house_prices(
    features: Sequence[str] = HOUSE_FEATURES,
) -> tuple[np.ndarray, np.ndarray]:
    """Load sale prices of houses in Ames, Iowa, with numeric features describing them.

    Rows with an empty field in any column of :data:`HOUSE_FEATURES` or the price are dropped
    (2 of 2,930), whichever ``features`` you ask for, so every selection has the same
    m = 2,928 sales in the same order.

    Parameters
    ----------
    features : sequence of str, optional
        Which columns of :data:`HOUSE_FEATURES` to return, in this order; row ``i`` of ``X`` is
        ``features[i]``. Default: all of them. For the lessons' two features, pass
        ``("Gr Liv Area", "Overall Qual")``.

    Returns
    -------
    X : numpy.ndarray
        Shape ``(len(features), 2928)``: one row per feature, one column per sale.
    Y : numpy.ndarray
        Shape ``(1, 2928)``: the sale prices in US dollars.

    Raises
    ------
    ValueError
        If ``features`` is empty, repeats a name, or names a column not in
        :data:`HOUSE_FEATURES`.
    TypeError
        If ``features`` is a single string rather than a sequence of them.

    Examples
    --------
    >>> from calcml.datasets import HOUSE_FEATURES, load_house_prices
    >>> X, Y = load_house_prices()
    >>> X.shape, Y.shape, len(HOUSE_FEATURES)
    ((9, 2928), (1, 2928), 9)
    >>> X, Y = load_house_prices(("Gr Liv Area", "Overall Qual"))
    >>> X.shape
    (2, 2928)
    >>> float(X[0, 0]), float(X[1, 0]), float(Y[0, 0])
    (1656.0, 6.0, 215000.0)
    """
    if isinstance(features, str):
        raise TypeError(
            f"features must be a sequence of column names, got the string {features!r}; "
            f"write ({features!r},)"
        )
    features = tuple(features)
    unknown = [name for name in features if name not in HOUSE_FEATURES]
    if not features or unknown or len(set(features)) != len(features):
        raise ValueError(
            f"features must be distinct names from HOUSE_FEATURES {HOUSE_FEATURES}, "
            f"got {features!r}"
        )
    columns = _read_columns("ames_housing.csv")
    table = np.stack([_as_float(columns[name]) for name in (*HOUSE_FEATURES, HOUSE_TARGET)])
    table = table[:, np.all(np.isfinite(table), axis=0)]
    rows = [HOUSE_FEATURES.index(name) for name in features]
    return table[rows], table[-1:]
