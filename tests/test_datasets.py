"""The shipped data sets: shapes in the lessons' layout, rows dropped, and the facts of the data
README recomputed from what the loaders return."""

import csv
from importlib import resources

import numpy as np
import pytest

from calcml.datasets import HOUSE_FEATURES, HOUSE_TARGET, load_house_prices, load_tv_marketing


def test_tv_marketing_is_one_feature_by_200_markets():
    X, Y = load_tv_marketing()
    assert X.shape == (1, 200) and Y.shape == (1, 200)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Y))


def test_tv_against_sales_matches_the_facts_of_the_data_readme():
    X, Y = load_tv_marketing()
    assert round(float(np.corrcoef(X[0], Y[0])[0, 1]), 4) == 0.7822
    A = np.column_stack([np.ones(X.shape[1]), X[0]])
    (intercept, slope), *_ = np.linalg.lstsq(A, Y[0], rcond=None)
    assert round(float(intercept), 4) == 7.0326
    assert round(float(slope), 6) == 0.047537


def test_house_prices_drop_the_two_rows_with_an_empty_field():
    text = resources.files("calcml").joinpath("data", "ames_housing.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    complete = [r for r in rows if all(r[c].strip() for c in (*HOUSE_FEATURES, HOUSE_TARGET))]
    assert len(rows) == 2930 and len(complete) == 2928
    X, Y = load_house_prices()
    assert X.shape == (len(HOUSE_FEATURES), 2928) and Y.shape == (1, 2928)
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Y))
    # Row i of X is HOUSE_FEATURES[i], column j the j-th complete sale.
    for i, name in enumerate(HOUSE_FEATURES):
        np.testing.assert_array_equal(X[i], [float(r[name]) for r in complete])
    np.testing.assert_array_equal(Y[0], [float(r[HOUSE_TARGET]) for r in complete])


def test_house_features_can_be_chosen_and_ordered():
    X_all, Y_all = load_house_prices()
    X, Y = load_house_prices(("Overall Qual", "Gr Liv Area"))
    assert X.shape == (2, 2928)
    np.testing.assert_array_equal(X[0], X_all[HOUSE_FEATURES.index("Overall Qual")])
    np.testing.assert_array_equal(X[1], X_all[HOUSE_FEATURES.index("Gr Liv Area")])
    np.testing.assert_array_equal(Y, Y_all)
    assert set(np.unique(X[0])) <= set(range(1, 11))


@pytest.mark.parametrize(
    "features", [(), ("Neighborhood",), ("SalePrice",), ("Gr Liv Area", "Gr Liv Area")]
)
def test_house_features_outside_the_list_are_refused(features):
    with pytest.raises(ValueError, match="HOUSE_FEATURES"):
        load_house_prices(features)


def test_a_single_feature_name_must_be_in_a_sequence():
    with pytest.raises(TypeError, match=r"\('Gr Liv Area',\)"):
        load_house_prices("Gr Liv Area")
