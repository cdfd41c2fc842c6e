"""Plotting helpers: the lines they draw have the slopes the lessons claim."""

import base64
import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.animation import FuncAnimation
from PIL import Image

from calcml import (
    animate_path,
    animation_to_html,
    difference_quotient,
    figure_to_html,
    gradient,
    gradient_descent,
    plot_contour,
    plot_cost_history,
    plot_decision_boundary,
    plot_function,
    plot_gradient_field,
    plot_path_on_contour,
    plot_path_on_curve,
    plot_path_on_surface,
    plot_secant,
    plot_tangent,
    sigmoid,
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


def test_contours_take_one_colour_instead_of_a_colour_map():
    contours = plot_contour(bowl, (-1, 1), (-1, 1), levels=[0.5], colors="black").collections[-1]
    assert contours.get_cmap().name != "viridis"
    np.testing.assert_allclose(contours.get_edgecolor(), [[0, 0, 0, 1]])


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


# --- Paths of an optimiser -----------------------------------------------------------------------


def bowl_gradient(p):
    x, y = p
    return np.array([2 * x + y, x + 6 * y])


def descent_on_bowl(num_iterations=12):
    return gradient_descent(bowl_gradient, [1.8, 0.9], 0.1, num_iterations).path


def test_path_on_curve_puts_each_iterate_on_the_curve_and_arrows_between_them():
    path = gradient_descent(lambda x: 3 * x**2 - 1, 1.5, 0.05, 6).path
    ax = plot_path_on_curve(f, path)
    curve, points, start = ax.lines
    np.testing.assert_allclose(points.get_xdata(), path)
    np.testing.assert_allclose(points.get_ydata(), f(path))
    assert (start.get_xdata()[0], start.get_ydata()[0]) == (path[0], f(path[0]))
    arrows = ax.collections[-1]
    np.testing.assert_allclose(arrows.XY, np.column_stack([path[:-1], f(path[:-1])]))
    np.testing.assert_allclose(arrows.U, np.diff(path))
    np.testing.assert_allclose(arrows.V, np.diff(f(path)))
    xs = curve.get_xdata()
    assert xs.min() < path.min() and xs.max() > path.max()  # the curve spans the path


def test_paths_compose_on_one_curve():
    ax = plot_path_on_curve(f, [1.0, 0.8], x_range=(-2, 2), label="a")
    plot_path_on_curve(f, [-1.0, -0.7], ax=ax, curve=False, label="b")
    assert len(ax.lines) == 5  # one curve, and each path's points and start
    assert [t.get_text() for t in ax.legend().get_texts()] == ["a", "b"]
    assert ax.lines[0].get_xdata()[0] == -2


def test_a_single_point_path_draws_no_arrows():
    ax = plot_path_on_curve(f, [0.5])
    assert not ax.collections and len(ax.lines) == 3


def test_descent_arrows_cross_the_contours_at_right_angles():
    """Each step is along -grad f at its tail, so perpendicular to the contour through it."""
    path = descent_on_bowl()
    ax = plot_path_on_contour(bowl, path, (-2, 2), (-1, 1))
    arrows = ax.collections[-1]
    np.testing.assert_allclose(arrows.XY, path[:-1])
    steps = np.column_stack([arrows.U, arrows.V])
    np.testing.assert_allclose(steps, np.diff(path, axis=0))
    gradients = np.array([bowl_gradient(p) for p in path[:-1]])
    cross = steps[:, 0] * gradients[:, 1] - steps[:, 1] * gradients[:, 0]
    np.testing.assert_allclose(cross, 0, atol=1e-12)
    assert np.all(np.sum(steps * gradients, axis=1) < 0)
    assert ax.get_aspect() == 1.0 and len(ax.collections) == 2  # contours, then arrows


def test_contour_path_defaults_to_a_rectangle_around_the_path():
    path = descent_on_bowl()
    ax = plot_path_on_contour(bowl, path)
    x_low, x_high = ax.get_xlim()
    y_low, y_high = ax.get_ylim()
    assert x_low < path[:, 0].min() and path[:, 0].max() < x_high
    assert y_low < path[:, 1].min() and path[:, 1].max() < y_high
    second = plot_path_on_contour(bowl, path[:3] * -1, ax=ax, contour=False)
    assert second is ax and len(ax.collections) == 3


def test_path_on_surface_lifts_each_iterate_to_its_height():
    path = descent_on_bowl(5)
    ax = plot_path_on_surface(bowl, path, (-2, 2), (-1, 1))
    x, y, z = ax.lines[-1].get_data_3d()
    np.testing.assert_allclose(np.column_stack([x, y]), path)
    np.testing.assert_allclose(z, bowl(path[:, 0], path[:, 1]))
    assert plot_path_on_surface(bowl, path[:2], (-2, 2), (-1, 1), ax=ax, surface=False) is ax
    assert len(ax.collections) == 1 and len(ax.lines) == 2  # one surface, two paths


def test_path_on_surface_needs_3d_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"^ax must be 3D axes"):
        plot_path_on_surface(bowl, descent_on_bowl(2), (-2, 2), (-1, 1), ax=ax)


@pytest.mark.parametrize(
    ("helper", "path"),
    [
        (plot_path_on_curve, [[1.0, 2.0]]),
        (plot_path_on_curve, []),
        (plot_path_on_contour, [1.0, 2.0]),
        (plot_path_on_contour, [[1.0, 2.0, 3.0]]),
    ],
)
def test_path_shapes_are_checked(helper, path):
    with pytest.raises(ValueError, match=r"^path must be"):
        helper(f if helper is plot_path_on_curve else bowl, path)


def test_path_must_be_finite():
    with pytest.raises(ValueError, match=r"^path must be finite"):
        plot_path_on_curve(f, [1.0, np.nan])


def test_cost_history_is_logarithmic_only_when_positive():
    costs = gradient_descent(bowl_gradient, [1.8, 0.9], 0.1, 20, f=lambda p: bowl(*p)).values
    ax = plot_cost_history(costs)
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_xdata(), np.arange(21))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), costs)
    assert plot_cost_history(costs - costs[-1]).get_yscale() == "linear"  # ends at 0
    assert plot_cost_history(costs, log=False).get_yscale() == "linear"
    with pytest.raises(ValueError, match=r"^log=True needs positive values"):
        plot_cost_history([1.0, 0.0], log=True)


def test_cost_history_keeps_labels_already_set():
    _, ax = plt.subplots()
    ax.set_ylabel("f(x_k) - f(x*)")
    plot_cost_history([3.0, 2.0], ax=ax)
    assert ax.get_ylabel() == "f(x_k) - f(x*)" and ax.get_xlabel() == "iteration k"


# --- Animation -----------------------------------------------------------------------------------


def gif_frames(html):
    """The frames of the GIF in an animation's HTML, with their durations in milliseconds."""
    data = re.search(r'<img [^>]*src="data:image/gif;base64,([^"]+)"', html).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append((np.asarray(image.convert("RGB")), image.info["duration"]))
    return frames


def test_animation_shows_the_first_and_last_iterates_in_at_most_max_frames():
    path = gradient_descent(lambda x: 3 * x**2 - 1, 1.5, 0.01, 100).path
    animation = animate_path(f, path, max_frames=12, hold_frames=3)
    assert isinstance(animation, FuncAnimation)
    frames = list(animation.new_frame_seq())
    distinct = sorted(set(frames))
    assert len(distinct) == 12 and distinct[0] == 0 and distinct[-1] == 100
    assert frames == [*distinct, 100, 100, 100]
    gif = gif_frames(animation_to_html(animation, alt="steps", fps=5, dpi=20))
    # Pillow merges the held frames into the last one, which stays on screen 4 frames' time.
    assert len(gif) == 12
    assert [duration for _, duration in gif] == [200] * 11 + [800]
    assert all(np.any(a != b) for (a, _), (b, _) in zip(gif[:-1], gif[1:], strict=True))


def test_each_frame_marks_the_current_iterate():
    path = descent_on_bowl(8)
    animation = animate_path(bowl, path, (-2, 2), (-1, 1), max_frames=5)
    figure = animation._fig
    ax = figure.axes[0]
    for k in animation.new_frame_seq():
        trail, current = animation._func(k)
        np.testing.assert_allclose(np.column_stack(trail.get_data()), path[: k + 1])
        np.testing.assert_allclose(np.column_stack(current.get_data()), path[k : k + 1])
        assert ax.get_title().startswith(f"k = {k}: (x, y) = ")
    assert ax.get_aspect() == 1.0  # drawn on contours
    animation_to_html(animation, alt="steps", dpi=20)


def test_animation_is_a_picture_with_alt_text_and_a_still_for_reduced_motion():
    animation = animate_path(f, [1.0, 0.6, 0.58], figsize=(4, 3))
    html = animation_to_html(animation, alt='Steps on "x^3 - x"', dpi=50)
    assert re.fullmatch(
        r'<picture><source media="\(prefers-reduced-motion: reduce\)" '
        r'srcset="data:image/png;base64,[A-Za-z0-9+/=]+">'
        r'<img alt="Steps on &quot;x\^3 - x&quot;" class="calcml-figure" '
        r'src="data:image/gif;base64,[A-Za-z0-9+/=]+"></picture>',
        html,
    )
    (first, _), *_ = gif_frames(html)
    assert first.shape == (150, 200, 3)  # 4 x 3 inches at 50 dpi
    assert "<script" not in html and "<style" not in html and "http" not in html


def test_animation_html_is_reproducible():
    def render():
        return animation_to_html(animate_path(f, [1.0, 0.6, 0.58]), alt="steps", dpi=20)

    assert render() == render()


def test_animation_checks_its_arguments():
    animation = animate_path(f, [1.0, 0.5])
    with pytest.raises(ValueError, match=r"^alt must be a non-empty description"):
        animation_to_html(animation, alt="")
    with pytest.raises(ValueError, match=r"^fps must be a positive number"):
        animation_to_html(animation, alt="steps", fps=0)
    animation_to_html(animation, alt="steps", dpi=20)  # rendered, so Matplotlib does not warn
    with pytest.raises(TypeError, match=r"^animation must be a Matplotlib animation"):
        animation_to_html(plt.figure(), alt="a figure")
    with pytest.raises(ValueError, match=r"^max_frames must be an integer >= 2"):
        animate_path(f, [1.0, 0.5], max_frames=1)
    with pytest.raises(ValueError, match=r"^y_range is for a path in two variables"):
        animate_path(f, [1.0, 0.5], y_range=(0, 1))
    with pytest.raises(ValueError, match=r"^path must be an array of shape \(k \+ 1, 2\)"):
        animate_path(bowl, np.zeros((3, 3)))


@pytest.mark.site
def test_tutorial_pages_embed_their_animation(site_dir):
    for name in ["gradient-descent-one-variable", "gradient-descent-two-variables"]:
        page = (site_dir / "tutorials" / name / "index.html").read_text()
        pictures = re.findall(r"<picture>.*?</picture>", page, flags=re.S)
        assert pictures, f"{name}: no animation"
        for picture in pictures:
            assert re.search(r'<img alt="[^"]+" class="calcml-figure" src="data:image/gif', picture)


# --- decision boundaries --------------------------------------------------------------------------


def _two_classes():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(2, 40))
    return X, (X[0] + 2 * X[1] > 1).astype(np.float64)[np.newaxis, :]


def test_decision_boundary_of_a_linear_rule_is_its_line():
    X, Y = _two_classes()
    ax = plot_decision_boundary(lambda P: sigmoid(3 * (P[0] + 2 * P[1] - 1)), X, Y)
    (segment,) = ax.collections[-1].allsegs[0]
    # Contouring interpolates linearly between grid points: exact up to the sigmoid's curvature.
    np.testing.assert_allclose(segment[:, 0] + 2 * segment[:, 1], 1.0, atol=1e-4)
    # The grid covers the examples plus the margin, so the line runs across the whole plot.
    assert segment[:, 0].min() < X[0].min() and segment[:, 0].max() > X[0].max() - 0.1


def test_decision_boundary_scatters_each_class_and_shades_probabilities():
    X, Y = _two_classes()
    ax = plot_decision_boundary(
        lambda P: sigmoid(P[0] + 2 * P[1] - 1), X, Y, class_names=("below", "above")
    )
    class_0, class_1, boundary = ax.collections[-3:]
    np.testing.assert_array_equal(class_0.get_offsets(), X[:, Y[0] == 0].T)
    np.testing.assert_array_equal(class_1.get_offsets(), X[:, Y[0] == 1].T)
    assert [class_0.get_label(), class_1.get_label()] == ["below", "above"]
    assert list(boundary.levels) == [0.5]
    assert len(ax.collections) == 4  # the shaded probability levels first
    assert len(plot_decision_boundary(lambda P: P[0] > 0, X, Y, show_probabilities=False)
               .collections) == 3  # fmt: skip


def test_decision_boundary_takes_labels_and_a_one_dimensional_y():
    X, Y = _two_classes()
    ax = plot_decision_boundary(lambda P: (P[0] > 0.5) * 1.0, X, Y[0], num_points=101)
    (segment,) = ax.collections[-1].allsegs[0]
    # Between grid points either side of x = 0.5: within one grid spacing of it.
    spacing = (X[0].max() - X[0].min()) * 1.1 / 100
    assert np.all(np.abs(segment[:, 0] - 0.5) <= spacing)


@pytest.mark.parametrize(
    ("X", "Y", "match"),
    [
        (np.zeros((3, 4)), np.zeros((1, 4)), r"X must have shape \(2, m\).*\(3, 4\)"),
        (np.zeros((2, 0)), np.zeros((1, 0)), r"X must have shape \(2, m\), m >= 1.*\(2, 0\)"),
        (np.zeros((2, 4)), np.zeros((1, 3)), r"Y must have shape \(1, m\) = \(1, 4\).*\(1, 3\)"),
        (np.zeros((2, 4)), np.zeros((2, 2)), r"Y must have shape"),
        (np.zeros((2, 4)), np.full((1, 4), 2.0), r"only 0 and 1"),
    ],
)
def test_decision_boundary_checks_the_data(X, Y, match):
    with pytest.raises(ValueError, match=match):
        plot_decision_boundary(lambda P: P[0] * 0, X, Y)


def test_decision_boundary_checks_what_predict_fn_returns_and_the_settings():
    X, Y = _two_classes()
    with pytest.raises(TypeError, match="predict_fn must be a callable"):
        plot_decision_boundary("model", X, Y)
    with pytest.raises(ValueError, match=r"one value in \[0, 1\] per point.*\(2, 400\).*\(3,\)"):
        plot_decision_boundary(lambda P: np.zeros(3), X, Y, num_points=20)
    with pytest.raises(ValueError, match="outside"):
        plot_decision_boundary(lambda P: P[0] + P[1], X, Y)
    with pytest.raises(ValueError, match="num_points"):
        plot_decision_boundary(lambda P: P[0] * 0, X, Y, num_points=1)
    with pytest.raises(ValueError, match="margin"):
        plot_decision_boundary(lambda P: P[0] * 0, X, Y, margin=-0.1)
    with pytest.raises(ValueError, match=r"^margin must be one number"):
        plot_decision_boundary(lambda P: P[0] * 0, X, Y, margin=[0.1, 0.2])
    with pytest.raises(ValueError, match=r"^predict_fn must return numbers"):
        plot_decision_boundary(lambda P: np.full(P.shape[1], "yes"), X, Y, num_points=5)
    with pytest.raises(ValueError, match=r"outside \[0, 1\] or NaN"):
        plot_decision_boundary(lambda P: P[0] * np.nan, X, Y, num_points=5)
    for names in [("only one",), "ab", None]:
        with pytest.raises(ValueError, match=r"^class_names must be two labels"):
            plot_decision_boundary(lambda P: P[0] > 0, X, Y, num_points=5, class_names=names)
