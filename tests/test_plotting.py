"""Plotting helpers: the lines they draw have the slopes the lessons claim."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml import difference_quotient, figure_to_html, plot_function, plot_secant, plot_tangent


def f(x):
    return x**3 - x


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _slope(line):
    xs, ys = line.get_xdata(), line.get_ydata()
    return (ys[-1] - ys[0]) / (xs[-1] - xs[0])


def test_plot_function_evaluates_f_over_the_range():
    line = plot_function(f, (-2.0, 3.0), num_points=11).lines[0]
    np.testing.assert_allclose(line.get_xdata(), np.linspace(-2, 3, 11))
    np.testing.assert_allclose(line.get_ydata(), f(np.linspace(-2, 3, 11)))


def test_tangent_touches_the_curve_with_the_given_slope():
    ax = plot_tangent(f, 1.5, 5.75, half_width=0.5)
    line, point = ax.lines
    assert _slope(line) == pytest.approx(5.75)
    assert point.get_ydata()[0] == pytest.approx(f(1.5))
    assert np.mean(line.get_xdata()) == pytest.approx(1.5)


@pytest.mark.parametrize("h", [1.0, 0.1, -0.5])
def test_secant_passes_through_both_points(h):
    ax = plot_secant(f, 0.5, h)
    line = ax.lines[0]
    assert _slope(line) == pytest.approx(float(difference_quotient(f, 0.5, h)))
    xs, ys = line.get_xdata(), line.get_ydata()
    for x0 in (0.5, 0.5 + h):
        assert np.interp(x0, np.sort(xs), ys[np.argsort(xs)]) == pytest.approx(f(x0))


def test_helpers_compose_on_one_axes():
    ax = plot_function(f, (-1, 1))
    assert plot_tangent(f, 0.0, -1.0, ax=ax) is ax
    assert len(ax.lines) == 3


@pytest.mark.parametrize("x_range", [(1, 1), (2, 1), (0, np.inf)])
def test_bad_range_names_x_range(x_range):
    with pytest.raises(ValueError, match=r"^x_range must be finite numbers with low < high"):
        plot_function(f, x_range)


def test_range_must_be_a_pair():
    with pytest.raises(TypeError, match=r"^x_range must be a pair"):
        plot_function(f, 3.0)


def test_non_positive_half_width_is_rejected():
    with pytest.raises(ValueError, match=r"^half_width must be positive"):
        plot_tangent(f, 0.0, 1.0, half_width=0.0)


def test_figure_html_is_reproducible_and_accessible():
    def render():
        return figure_to_html(plot_function(f, (-1, 1)).figure, alt='A cubic, "x^3 - x"')

    first, second = render(), render()
    assert first == second
    assert re.match(
        r'<img alt="A cubic, &quot;x\^3 - x&quot;" class="calcml-figure" '
        r'src="data:image/svg\+xml;base64,',
        first,
    )


def test_figure_html_requires_alt_text():
    with pytest.raises(ValueError, match=r"^alt must be a non-empty description"):
        figure_to_html(plot_function(f, (-1, 1)).figure, alt=" ")
