"""Plotting helpers: the lines they draw have the slopes the lessons claim."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml import (
    difference_quotient,
    figure_to_html,
    gradient,
    plot_contour,
    plot_function,
    plot_gradient_field,
    plot_secant,
    plot_tangent,
)


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


def bowl(x, y):
    """An elongated bowl whose gradient, (2x + y, x + 6y), is not radial."""
    return x**2 + x * y + 3 * y**2


def test_contour_lines_are_level_curves_of_f():
    ax = plot_contour(bowl, (-2.0, 2.0), (-1.0, 1.0), levels=[0.5, 2.0])
    contours = ax.collections[-1]
    np.testing.assert_allclose(contours.levels, [0.5, 2.0])
    for level, path in zip(contours.levels, contours.get_paths(), strict=True):
        x, y = path.vertices.T
        np.testing.assert_allclose(bowl(x, y), level, atol=1e-3)
    assert ax.get_aspect() == 1.0


def test_gradient_arrows_match_the_automatic_gradient():
    ax = plot_gradient_field(bowl, (-1.0, 2.0), (-1.5, 0.5), num_arrows=4)
    arrows = ax.collections[-1]
    tails = arrows.XY
    assert len(tails) == 16
    for (x, y), u, v in zip(tails, arrows.U, arrows.V, strict=True):
        expected = gradient(lambda p: bowl(p[0], p[1]), [x, y])
        np.testing.assert_allclose([u, v], expected, rtol=1e-5, atol=1e-5)


def test_longest_arrow_fits_in_one_grid_spacing():
    ax = plot_gradient_field(bowl, (-3.0, 3.0), (-1.0, 1.0), num_arrows=5)
    arrows = ax.collections[-1]
    spacing = min(6.0 / 4, 2.0 / 4)
    longest = np.max(np.hypot(arrows.U, arrows.V)) / arrows.scale  # in data units
    assert arrows.scale_units == "xy"
    assert longest == pytest.approx(0.9 * spacing)


def test_normalized_arrows_have_unit_length_and_zero_stays_zero():
    ax = plot_gradient_field(bowl, (-1.0, 1.0), (-1.0, 1.0), num_arrows=3, normalize=True)
    arrows = ax.collections[-1]
    lengths = np.hypot(arrows.U, arrows.V)
    centre = 4  # the middle of a 3 x 3 grid is the minimum, where the gradient is zero
    np.testing.assert_allclose(np.delete(lengths, centre), 1.0)
    assert lengths[centre] == pytest.approx(0.0, abs=1e-9)


def test_two_variable_helpers_compose_on_one_axes():
    ax = plot_contour(bowl, (-1, 1), (-1, 1))
    assert plot_gradient_field(bowl, (-1, 1), (-1, 1), ax=ax) is ax
    assert len(ax.collections) == 2


@pytest.mark.parametrize("helper", [plot_contour, plot_gradient_field])
@pytest.mark.parametrize("name", ["x_range", "y_range"])
def test_bad_rectangle_names_the_range(helper, name):
    ranges = {"x_range": (-1, 1), "y_range": (-1, 1), name: (1, -1)}
    with pytest.raises(ValueError, match=rf"^{name} must be finite numbers with low < high"):
        helper(bowl, **ranges)


@pytest.mark.parametrize("helper", [plot_contour, plot_gradient_field])
def test_f_must_be_callable(helper):
    with pytest.raises(TypeError, match=r"^f must be a callable"):
        helper("x**2 + y**2", (-1, 1), (-1, 1))


@pytest.mark.parametrize("helper", [plot_contour, plot_gradient_field])
def test_f_must_return_one_value_per_point(helper):
    with pytest.raises(ValueError, match=r"^f\(x, y\) must return one value per point"):
        helper(lambda x, y: np.ones(7), (-1, 1), (-1, 1))


@pytest.mark.parametrize("bad", [1, 2.5, True, "10"])
def test_grid_sizes_are_integers_of_at_least_two(bad):
    with pytest.raises(ValueError, match=r"^num_arrows must be an integer of at least 2"):
        plot_gradient_field(bowl, (-1, 1), (-1, 1), num_arrows=bad)
    with pytest.raises(ValueError, match=r"^num_points must be an integer of at least 2"):
        plot_contour(bowl, (-1, 1), (-1, 1), num_points=bad)
