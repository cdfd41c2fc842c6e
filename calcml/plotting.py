"""Plotting helpers shared by the lessons and tutorials: curves, tangent and secant lines,
contour plots and gradient fields of functions of two variables, the paths of optimisers on
them (and animated), and cost against iteration.

Each helper draws on a Matplotlib ``Axes`` (a new figure's when ``ax`` is None) and returns it,
so a page can compose several on one figure.
"""

import base64
import html
import io
from collections.abc import Callable, Sequence
from numbers import Integral, Real
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import AbstractMovieWriter, Animation, FuncAnimation
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from calcml._checks import check_callable, check_finite_array, check_interval
from calcml.derivatives import difference_quotient, numerical_derivative


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    return ax


def plot_function(
    f: Callable,
    x_range: Sequence[float],
    *,
    ax: Axes | None = None,
    label: str | None = None,
    num_points: int = 400,
    **line_kwargs,
) -> Axes:
    """Plot ``y = f(x)`` over ``x_range``.

    Parameters
    ----------
    f : callable
        The function, applied to a NumPy array of ``num_points`` points.
    x_range : (float, float)
        The interval ``(low, high)`` to plot over, finite with ``low < high``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    label : str, optional
        Legend label.
    num_points : int, default 400
        How many points to evaluate ``f`` at.
    **line_kwargs
        Passed on to ``Axes.plot`` (colour, line style, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x_range`` is not a pair.
    ValueError
        If ``x_range`` is not finite and increasing.

    Examples
    --------
    >>> from calcml import plot_function
    >>> ax = plot_function(lambda x: x**2, (-2, 2), label="$x^2$")
    >>> len(ax.lines)
    1
    """
    check_callable("f", f)
    low, high = check_interval("x_range", x_range)
    x = np.linspace(low, high, num_points)
    ax = _axes(ax)
    ax.plot(x, np.broadcast_to(f(x), x.shape), label=label, **line_kwargs)
    return ax


def plot_tangent(
    f: Callable,
    x0: float,
    slope: float,
    *,
    ax: Axes | None = None,
    half_width: float = 1.0,
    label: str | None = None,
    **line_kwargs,
) -> Axes:
    """Draw the line through ``(x0, f(x0))`` with the given slope, and mark the point.

    With ``slope = f'(x0)`` this is the tangent line, the best straight-line approximation of
    ``f`` near ``x0``.

    Parameters
    ----------
    f : callable
        The function the line touches.
    x0 : float
        Where the line touches the curve.
    slope : float
        The line's slope.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    half_width : float, default 1.0
        The line spans ``x0 - half_width`` to ``x0 + half_width``.
    label : str, optional
        Legend label.
    **line_kwargs
        Passed on to ``Axes.plot`` (colour, line style, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> from calcml import plot_tangent
    >>> ax = plot_tangent(lambda x: x**2, 1.0, slope=2.0)
    >>> [round(float(y), 6) for y in ax.lines[0].get_ydata()]
    [-1.0, 3.0]
    """
    check_callable("f", f)
    x0 = float(check_finite_array("x0", x0))
    slope = float(check_finite_array("slope", slope))
    half_width = float(check_finite_array("half_width", half_width))
    if half_width <= 0:
        raise ValueError(f"half_width must be positive, got {half_width!r}")
    y0 = float(f(x0))
    x = np.array([x0 - half_width, x0 + half_width])
    ax = _axes(ax)
    ax.plot(x, y0 + slope * (x - x0), label=label, **line_kwargs)
    ax.plot([x0], [y0], "o", color="black", markersize=4)
    return ax


def plot_secant(
    f: Callable,
    x0: float,
    h: float,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    **line_kwargs,
) -> Axes:
    """Draw the secant line through ``(x0, f(x0))`` and ``(x0 + h, f(x0 + h))``.

    Its slope is :func:`calcml.difference_quotient`; as ``h`` shrinks the secant turns into the
    tangent.

    Parameters
    ----------
    f : callable
        The function the secant cuts.
    x0 : float
        The first point.
    h : float
        Step to the second point, finite and non-zero.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    label : str, optional
        Legend label.
    **line_kwargs
        Passed on to ``Axes.plot``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    The secant of $x^2$ through $x = 1$ and $x = 2$ has slope $(4 - 1) / 1 = 3$:

    >>> from calcml import plot_secant
    >>> ax = plot_secant(lambda x: x**2, 1.0, h=1.0)
    >>> xs, ys = ax.lines[0].get_data()
    >>> float((ys[1] - ys[0]) / (xs[1] - xs[0]))
    3.0
    """
    slope = float(difference_quotient(f, x0, h))
    ax = plot_tangent(f, x0, slope, ax=ax, half_width=1.5 * abs(h), label=label, **line_kwargs)
    ax.plot([x0 + h], [float(f(x0 + h))], "o", color="black", markersize=4)
    return ax


def _grid(f: Callable, x_range: Sequence[float], y_range: Sequence[float], num_points: int):
    """Check the arguments of a two-variable plot; return the grid and ``f`` on it."""
    check_callable("f", f)
    x_low, x_high = check_interval("x_range", x_range)
    y_low, y_high = check_interval("y_range", y_range)
    if isinstance(num_points, bool) or not isinstance(num_points, Integral) or num_points < 2:
        raise ValueError(f"num_points must be an integer of at least 2, got {num_points!r}")
    X, Y = np.meshgrid(
        np.linspace(x_low, x_high, num_points), np.linspace(y_low, y_high, num_points)
    )
    return X, Y, _on_grid(f, X, Y)


def _on_grid(f: Callable, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    Z = np.asarray(f(X, Y), dtype=float)
    try:
        return np.broadcast_to(Z, X.shape)
    except ValueError:
        raise ValueError(
            f"f(x, y) must return one value per point: for x and y of shape {X.shape} it "
            f"returned shape {Z.shape}"
        ) from None


def plot_contour(
    f: Callable,
    x_range: Sequence[float],
    y_range: Sequence[float],
    *,
    ax: Axes | None = None,
    levels: int | Sequence[float] = 12,
    num_points: int = 200,
    **contour_kwargs,
) -> Axes:
    """Draw the contour lines (level curves) of ``z = f(x, y)``, like the lines of a map.

    Each line joins the points where ``f`` takes one value. The axes get an equal aspect ratio,
    so that right angles look right: the gradient of ``f`` crosses every contour at a right
    angle (see [`plot_gradient_field`][calcml.plotting.plot_gradient_field]).

    Parameters
    ----------
    f : callable
        ``f(x, y)``, applied to two NumPy arrays of the same shape, returning an array of that
        shape (``x**2 + 3 * y**2`` works as written).
    x_range, y_range : (float, float)
        The rectangle to draw, each side finite with ``low < high``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    levels : int or sequence of float, default 12
        How many contour lines (chosen by Matplotlib), or the values to draw them at.
    num_points : int, default 200
        Grid points per side at which ``f`` is evaluated.
    **contour_kwargs
        Passed on to ``Axes.contour`` (``cmap``, ``colors``, ``linewidths``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the contour set is its last collection.

    Raises
    ------
    TypeError
        If ``f`` is not callable, or a range is not a pair.
    ValueError
        If a range is not finite and increasing, ``num_points`` is not an integer of at least
        2, or ``f`` does not return one value per point.

    Examples
    --------
    The contours of $x^2 + y^2$ are circles; draw two of them:

    >>> from calcml import plot_contour
    >>> ax = plot_contour(lambda x, y: x**2 + y**2, (-1, 1), (-1, 1), levels=[0.25, 1.0])
    >>> [float(level) for level in ax.collections[-1].levels]
    [0.25, 1.0]
    """
    X, Y, Z = _grid(f, x_range, y_range, num_points)
    ax = _axes(ax)
    if "colors" not in contour_kwargs:
        contour_kwargs.setdefault("cmap", "viridis")
    contours = ax.contour(X, Y, Z, levels=levels, **contour_kwargs)
    ax.clabel(contours, fontsize=8, fmt="%.3g")
    ax.set_aspect("equal")
    return ax


def plot_gradient_field(
    f: Callable,
    x_range: Sequence[float],
    y_range: Sequence[float],
    *,
    ax: Axes | None = None,
    num_arrows: int = 11,
    normalize: bool = False,
    **quiver_kwargs,
) -> Axes:
    r"""Draw the gradient of ``f(x, y)`` as arrows on a grid.

    The gradient $\nabla f = (\partial f / \partial x, \partial f / \partial y)$ collects the
    partial derivatives. Each arrow points in the direction of steepest increase of ``f`` at
    its tail; its length is proportional to the steepness $\lVert \nabla f \rVert$. The
    partials are central differences, computed in float64 by
    [`numerical_derivative`][calcml.derivatives.numerical_derivative], each holding the other
    variable fixed.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, applied to two NumPy arrays of the same shape, returning an array of that
        shape.
    x_range, y_range : (float, float)
        The rectangle to fill with arrows, each side finite with ``low < high``; arrows sit on
        its edges too.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    num_arrows : int, default 11
        Arrows per side, at least 2.
    normalize : bool, default False
        Draw every arrow with the same length, to show directions where the steepness varies
        a lot.
    **quiver_kwargs
        Passed on to ``Axes.quiver`` (``color``, ``width``, ...). Unless ``scale`` is given,
        the longest arrow is drawn 0.9 grid spacings long, so that arrows never overlap.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the arrows (a ``Quiver`` with the partials in ``U`` and ``V``) are its
        last collection.

    Raises
    ------
    TypeError
        If ``f`` is not callable, or a range is not a pair.
    ValueError
        If a range is not finite and increasing, ``num_arrows`` is not an integer of at least
        2, or ``f`` does not return one value per point.

    Examples
    --------
    For $f(x, y) = x^2 + 3y^2$ the gradient is $(2x, 6y)$; at the four corners of the square
    $[-1, 1]^2$:

    >>> from calcml import plot_gradient_field
    >>> f = lambda x, y: x**2 + 3 * y**2
    >>> arrows = plot_gradient_field(f, (-1, 1), (-1, 1), num_arrows=2).collections[-1]
    >>> [round(float(u), 6) for u in arrows.U], [round(float(v), 6) for v in arrows.V]
    ([-2.0, 2.0, -2.0, 2.0], [-6.0, -6.0, 6.0, 6.0])
    """
    if isinstance(num_arrows, bool) or not isinstance(num_arrows, Integral) or num_arrows < 2:
        raise ValueError(f"num_arrows must be an integer of at least 2, got {num_arrows!r}")
    X, Y, _ = _grid(f, x_range, y_range, num_arrows)
    U = _on_grid(lambda x, y: numerical_derivative(lambda x_: f(x_, y), x), X, Y)
    V = _on_grid(lambda x, y: numerical_derivative(lambda y_: f(x, y_), y), X, Y)
    if normalize:
        length = np.hypot(U, V)
        length[length == 0] = 1.0
        U, V = U / length, V / length
    ax = _axes(ax)
    if "scale" not in quiver_kwargs:
        spacing = min(X[0, 1] - X[0, 0], Y[1, 0] - Y[0, 0])
        longest = float(np.max(np.hypot(U, V)))
        if longest > 0:
            quiver_kwargs.update(scale_units="xy", scale=longest / (0.9 * spacing))
    quiver_kwargs.setdefault("angles", "xy")
    quiver_kwargs.setdefault("color", "tab:red")
    ax.quiver(X, Y, U, V, **quiver_kwargs)
    return ax


def figure_to_html(fig: Figure, alt: str) -> str:
    """Render a figure as an HTML ``<img>`` holding an inline SVG, with alternative text.

    The site's Markdown lessons print this to embed a figure made at build time.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is closed afterwards.
    alt : str
        What the figure shows, for readers who cannot see it. Must not be empty.

    Returns
    -------
    str
        An ``<img>`` element with a ``data:`` URL, so the page needs no other file.

    Raises
    ------
    ValueError
        If ``alt`` is empty.

    Examples
    --------
    >>> from calcml import figure_to_html, plot_function
    >>> ax = plot_function(lambda x: x**2, (-1, 1))
    >>> figure_to_html(ax.figure, alt="A parabola").startswith('<img alt="A parabola"')
    True
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a non-empty description of the figure, got {alt!r}")
    buffer = io.BytesIO()
    # A fixed hash salt and no date keep the SVG byte-identical between builds.
    with matplotlib.rc_context({"svg.hashsalt": "calcml", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    src = f"data:image/svg+xml;base64,{data}"
    return f'<img alt="{html.escape(alt)}" class="calcml-figure" src="{src}">'


# --- Paths of an optimiser -----------------------------------------------------------------------


def _path(path: Any, ndim: int) -> np.ndarray:
    """Check an optimiser's path: finite, ``(k + 1,)`` for one variable, ``(k + 1, 2)`` for two."""
    path = check_finite_array("path", path)
    if ndim == 1 and (path.ndim != 1 or path.size == 0):
        raise ValueError(f"path must be a non-empty 1-D array of iterates, got shape {path.shape}")
    if ndim == 2 and (path.ndim != 2 or path.shape[1] != 2 or len(path) == 0):
        raise ValueError(f"path must be an array of shape (k + 1, 2), got shape {path.shape}")
    return path


def _padded(low: float, high: float, pad: float = 0.15) -> tuple[float, float]:
    """An interval around ``[low, high]``, a little wider, never empty."""
    margin = pad * (high - low) or 1.0
    return low - margin, high + margin


def _draw_path(ax: Axes, x: np.ndarray, y: np.ndarray, label, color, **line_kwargs) -> None:
    """Points joined by arrows from each iterate to the next, the start ringed."""
    line_kwargs.setdefault("markersize", 4)
    (points,) = ax.plot(x, y, "o", label=label, color=color, zorder=3, **line_kwargs)
    color = points.get_color()
    ax.plot(x[:1], y[:1], "o", markersize=10, fillstyle="none", color=color, zorder=3)
    if len(x) > 1:
        ax.quiver(
            x[:-1],
            y[:-1],
            np.diff(x),
            np.diff(y),
            angles="xy",
            scale_units="xy",
            scale=1,
            color=color,
            width=0.004,
            zorder=3,
        )


def plot_path_on_curve(
    f: Callable,
    path: np.ndarray,
    *,
    ax: Axes | None = None,
    x_range: Sequence[float] | None = None,
    curve: bool = True,
    label: str | None = None,
    color: str | None = None,
    **line_kwargs,
) -> Axes:
    """Draw the iterates of a one-variable optimiser as points on ``y = f(x)``, joined by arrows.

    Each arrow goes from $(x_k, f(x_k))$ to $(x_{k+1}, f(x_{k+1}))$, and the start $x_0$ is
    ringed, so the order of the steps can be read off the figure.

    Parameters
    ----------
    f : callable
        The function, applied to NumPy arrays.
    path : array_like
        The iterates $x_0, x_1, \\dots$, for example ``gradient_descent(...).path``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    x_range : (float, float), optional
        The interval of the curve; default: the path's span, a little wider.
    curve : bool, default True
        Draw the curve too. Pass False to add a second path to a figure that has it.
    label : str, optional
        Legend label of the path.
    color : str, optional
        Colour of the path; default: the axes' next colour.
    **line_kwargs
        Passed on to ``Axes.plot`` for the points (``markersize``, ``alpha``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the arrows are its last collection (a ``Quiver``), when there are any.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``path`` is not numbers.
    ValueError
        If ``path`` is not a finite, non-empty 1-D array, or ``x_range`` is invalid.

    Examples
    --------
    >>> from calcml import plot_path_on_curve
    >>> ax = plot_path_on_curve(lambda x: x**2, [2.0, 1.0, 0.5], label="steps")
    >>> [float(y) for y in ax.lines[1].get_ydata()]  # the points sit on the curve
    [4.0, 1.0, 0.25]
    """
    check_callable("f", f)
    path = _path(path, 1)
    x_range = _padded(path.min(), path.max()) if x_range is None else x_range
    ax = _axes(ax)
    if curve:
        plot_function(f, x_range, ax=ax, color="0.35", linewidth=1.5)
    y = np.broadcast_to(np.asarray(f(path), dtype=float), path.shape)
    _draw_path(ax, path, y, label, color, **line_kwargs)
    return ax


def plot_path_on_contour(
    f: Callable,
    path: np.ndarray,
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    *,
    ax: Axes | None = None,
    contour: bool = True,
    levels: int | Sequence[float] = 12,
    label: str | None = None,
    color: str | None = None,
    **line_kwargs,
) -> Axes:
    """Draw the iterates of a two-variable optimiser on the contour plot of ``f(x, y)``.

    The contours come from [`plot_contour`][calcml.plotting.plot_contour]; the iterates are
    points joined by arrows, the start ringed. A gradient descent step crosses the contour it
    starts from at a right angle, since it follows $-\\nabla f$.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, applied to two NumPy arrays of the same shape.
    path : array_like
        The iterates, shape ``(k + 1, 2)``: ``gradient_descent(...).path`` for a start
        ``[x, y]``.
    x_range, y_range : (float, float), optional
        The rectangle of the contour plot; default: the path's span, a little wider.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    contour : bool, default True
        Draw the contours too. Pass False to add a second path to a figure that has them.
    levels : int or sequence of float, default 12
        Contour levels, as for ``plot_contour``.
    label : str, optional
        Legend label of the path.
    color : str, optional
        Colour of the path; default: the axes' next colour.
    **line_kwargs
        Passed on to ``Axes.plot`` for the points.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the arrows are its last collection, when there are any.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``path`` is not numbers.
    ValueError
        If ``path`` is not a finite array of shape ``(k + 1, 2)``, or a range is invalid.

    Examples
    --------
    >>> from calcml import plot_path_on_contour
    >>> path = [[2.0, 1.0], [1.0, 0.2], [0.5, 0.04]]
    >>> ax = plot_path_on_contour(lambda x, y: x**2 + 5 * y**2, path, (-2.5, 2.5), (-1.5, 1.5))
    >>> [float(u) for u in ax.collections[-1].U]  # the steps in x
    [-1.0, -0.5]
    """
    check_callable("f", f)
    path = _path(path, 2)
    x_range = _padded(path[:, 0].min(), path[:, 0].max()) if x_range is None else x_range
    y_range = _padded(path[:, 1].min(), path[:, 1].max()) if y_range is None else y_range
    ax = _axes(ax)
    if contour:
        plot_contour(f, x_range, y_range, ax=ax, levels=levels)
    _draw_path(ax, path[:, 0], path[:, 1], label, color, **line_kwargs)
    return ax


def plot_path_on_surface(
    f: Callable,
    path: np.ndarray,
    x_range: Sequence[float],
    y_range: Sequence[float],
    *,
    ax: Axes | None = None,
    surface: bool = True,
    num_points: int = 60,
    color: str = "tab:red",
    label: str | None = None,
) -> Axes:
    """Draw the surface ``z = f(x, y)`` in 3D, and the iterates of an optimiser walking on it.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, applied to two NumPy arrays of the same shape.
    path : array_like
        The iterates, shape ``(k + 1, 2)``; each is drawn at height ``f(x, y)``.
    x_range, y_range : (float, float)
        The rectangle under the surface.
    ax : mpl_toolkits.mplot3d.axes3d.Axes3D, optional
        3D axes to draw on; a new figure's when omitted.
    surface : bool, default True
        Draw the surface too. Pass False to add a second path to a figure that has it.
    num_points : int, default 60
        Grid points per side of the surface.
    color : str, default "tab:red"
        Colour of the path.
    label : str, optional
        Legend label of the path.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
        The axes drawn on; the path is its last line.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``path`` is not numbers.
    ValueError
        If ``path`` is not a finite array of shape ``(k + 1, 2)``, a range is invalid, or
        ``ax`` is not 3D.

    Examples
    --------
    >>> from calcml import plot_path_on_surface
    >>> ax = plot_path_on_surface(lambda x, y: x**2 + y**2, [[1.0, 1.0], [0.5, 0.5]],
    ...                           (-1, 1), (-1, 1))
    >>> [float(z) for z in ax.lines[-1].get_data_3d()[2]]
    [2.0, 0.5]
    """
    path = _path(path, 2)
    X, Y, Z = _grid(f, x_range, y_range, num_points)
    if ax is None:
        fig = plt.figure(figsize=(6, 4.5), layout="constrained")
        ax = fig.add_subplot(projection="3d", computed_zorder=False)
    elif ax.name != "3d":
        raise ValueError(f"ax must be 3D axes (projection='3d'), got {ax.name!r} axes")
    if surface:
        ax.plot_surface(X, Y, Z, cmap="viridis", alpha=0.7, linewidth=0, zorder=1)
    z = np.broadcast_to(np.asarray(f(path[:, 0], path[:, 1]), dtype=float), len(path))
    ax.plot(path[:, 0], path[:, 1], z, "o-", color=color, markersize=3, label=label, zorder=5)
    ax.set(xlabel="x", ylabel="y", zlabel="f(x, y)")
    return ax


def plot_cost_history(
    values: Sequence[float],
    *,
    ax: Axes | None = None,
    log: bool | None = None,
    label: str | None = None,
    **line_kwargs,
) -> Axes:
    """Plot the cost $f(x_k)$ against the iteration $k$, on a log scale when it is positive.

    On a log scale, steady (linear) convergence is a straight line going down, and the gap to
    the minimum, $f(x_k) - f(x^*)$, shows how many digits each iteration gains.

    Parameters
    ----------
    values : sequence of float
        The cost at each iterate, from $k = 0$: ``gradient_descent(..., f=f).values``, or
        those minus the minimum.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    log : bool, optional
        Log scale on the y axis. Default: when every value is positive.
    label : str, optional
        Legend label.
    **line_kwargs
        Passed on to ``Axes.plot``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        If ``values`` is not numbers.
    ValueError
        If ``values`` is not a finite, non-empty 1-D sequence, or ``log`` is True while a
        value is not positive.

    Examples
    --------
    >>> from calcml import plot_cost_history
    >>> ax = plot_cost_history([1.0, 0.1, 0.01])
    >>> ax.get_yscale(), [float(k) for k in ax.lines[0].get_xdata()]
    ('log', [0.0, 1.0, 2.0])
    """
    values = check_finite_array("values", values)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence, got shape {values.shape}")
    positive = bool(np.all(values > 0))
    if log and not positive:
        raise ValueError("log=True needs positive values; plot f(x_k) - f(x*) + a margin instead")
    ax = _axes(ax)
    ax.plot(np.arange(len(values), dtype=float), values, label=label, **line_kwargs)
    if positive if log is None else log:
        ax.set_yscale("log")
    if not ax.get_xlabel():
        ax.set_xlabel("iteration k")
    if not ax.get_ylabel():
        ax.set_ylabel("cost f(x_k)")
    return ax


# --- Animation -----------------------------------------------------------------------------------


def animate_path(
    f: Callable,
    path: np.ndarray,
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    *,
    max_frames: int = 30,
    hold_frames: int = 6,
    levels: int | Sequence[float] = 12,
    figsize: tuple[float, float] | None = None,
    title: str = "",
) -> FuncAnimation:
    """An animation of an optimiser's iterates, one step after another, on a curve or a contour.

    A 1-D ``path`` (one variable) walks on the curve ``y = f(x)``; a ``(k + 1, 2)`` path (two
    variables) on the contours of ``f(x, y)``. Each frame adds the next iterate and shows its
    iteration number, $x_k$ and $f(x_k)$. A long path is shown at ``max_frames`` evenly
    spaced iterations (the first and the last always among them), so the animation stays small.

    The figure is not managed by pyplot, so a notebook does not also show it as a still image.
    Render it with [`animation_to_html`][calcml.plotting.animation_to_html] for a page, or
    with ``to_jshtml()`` in Jupyter.

    Parameters
    ----------
    f : callable
        ``f(x)`` for a 1-D path, ``f(x, y)`` for a 2-D one, applied to NumPy arrays.
    path : array_like
        The iterates: ``gradient_descent(...).path``.
    x_range, y_range : (float, float), optional
        The plotted interval (and rectangle, for two variables); default: the path's span,
        a little wider. ``y_range`` is for two variables only.
    max_frames : int, default 30
        The most distinct frames, at least 2.
    hold_frames : int, default 6
        How many frames' time the last frame stays before the animation loops.
    levels : int or sequence of float, default 12
        Contour levels, for two variables.
    figsize : (float, float), optional
        Figure size in inches; default (5.5, 3.5) for a curve, (4.5, 4) for contours.
    title : str, default ""
        Text before the iteration counter in the title.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation; its frames are the indices into ``path`` that it shows.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``path`` is not numbers.
    ValueError
        If ``path`` has a shape other than ``(k + 1,)`` or ``(k + 1, 2)``, ``y_range`` is
        given for one variable, or ``max_frames`` (``hold_frames``) is not an integer >= 2
        (>= 0).

    Examples
    --------
    >>> from calcml import animate_path, animation_to_html
    >>> animation = animate_path(lambda x: x**2, [2.0, 1.2, 0.72, 0.43], max_frames=3)
    >>> animation_to_html(animation, alt="Steps down a parabola").startswith("<picture>")
    True
    """
    check_callable("f", f)
    path = check_finite_array("path", path)
    two = path.ndim == 2
    path = _path(path, 2 if two else 1)
    if not two and y_range is not None:
        raise ValueError("y_range is for a path in two variables; this path has one")
    for name, value, minimum in [("max_frames", max_frames, 2), ("hold_frames", hold_frames, 0)]:
        if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    last = len(path) - 1
    shown = np.unique(np.round(np.linspace(0, last, min(max_frames, last + 1))).astype(int))
    frames = [*shown.tolist(), *[last] * hold_frames]

    if figsize is None:
        figsize = (4.5, 4.0) if two else (5.5, 3.5)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    if two:
        x, y = path[:, 0], path[:, 1]
        x_range = _padded(x.min(), x.max()) if x_range is None else x_range
        y_range = _padded(y.min(), y.max()) if y_range is None else y_range
        plot_contour(f, x_range, y_range, ax=ax, levels=levels)
        costs = np.broadcast_to(np.asarray(f(x, y), dtype=float), x.shape)
        ax.set(xlabel="x", ylabel="y")
    else:
        x = path
        x_range = _padded(x.min(), x.max()) if x_range is None else x_range
        plot_function(f, x_range, ax=ax, color="0.35", linewidth=1.5)
        y = costs = np.broadcast_to(np.asarray(f(x), dtype=float), x.shape)
        ax.set(xlabel="x", ylabel="f(x)")
    (trail,) = ax.plot([], [], "o-", color="tab:red", markersize=4, linewidth=1, zorder=3)
    (current,) = ax.plot([], [], "o", color="black", markersize=7, zorder=4)
    ax.plot(x[:1], y[:1], "o", markersize=10, fillstyle="none", color="tab:red", zorder=3)
    where = "(x, y)" if two else "x"

    def draw(k: int):
        trail.set_data(x[: k + 1], y[: k + 1])
        current.set_data(x[k : k + 1], y[k : k + 1])
        point = f"({x[k]:.4g}, {y[k]:.4g})" if two else f"{x[k]:.4g}"
        ax.set_title(f"{title}k = {k}: {where} = {point}, f = {costs[k]:.4g}", fontsize=10)
        return trail, current

    return FuncAnimation(fig, draw, frames=frames, interval=250, repeat=True)


def animation_to_html(animation: FuncAnimation, alt: str, *, fps: float = 4, dpi: int = 80) -> str:
    """Render an animation as a looping GIF in an HTML ``<img>``, with alternative text.

    The page needs no script, no stylesheet and no other file, so the animation plays on a
    site that strips inline scripts and styles from its pages (this one does), offline, and in
    Jupyter alike. Matplotlib's ``to_jshtml()``, with its play buttons and slider, needs
    inline JavaScript and loads its icons from a CDN. A reader who asks for reduced motion
    (``prefers-reduced-motion``) gets the last frame as a still image instead, through a
    ``<picture>`` element.

    Parameters
    ----------
    animation : matplotlib.animation.FuncAnimation
        The animation, for example from [`animate_path`][calcml.plotting.animate_path].
    alt : str
        What the animation shows, for readers who cannot see it. Must not be empty.
    fps : float, default 4
        Frames per second.
    dpi : int, default 80
        Resolution: a 5.5 × 3.5 inch figure at 80 dpi is 440 × 280 pixels.

    Returns
    -------
    str
        A ``<picture>`` element whose images are ``data:`` URLs.

    Raises
    ------
    TypeError
        If ``animation`` is not a Matplotlib animation.
    ValueError
        If ``alt`` is empty, or ``fps`` or ``dpi`` is not positive.

    Examples
    --------
    >>> from calcml import animate_path, animation_to_html
    >>> html = animation_to_html(animate_path(lambda x: x**2, [1.0, 0.5]), alt="Two steps")
    >>> html.count("data:image/gif;base64,"), 'alt="Two steps"' in html
    (1, True)
    """
    if not isinstance(animation, Animation):
        raise TypeError(f"animation must be a Matplotlib animation, got {animation!r}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a non-empty description of the animation, got {alt!r}")
    for name, value in [("fps", fps), ("dpi", dpi)]:
        if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value < np.inf:
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    writer = _GifWriter(fps=fps)
    animation.save("animation.gif", writer=writer, dpi=dpi)  # into writer.gif; no file is written
    still = io.BytesIO()
    writer.frames[-1].save(still, format="PNG")
    still = base64.b64encode(still.getvalue()).decode("ascii")
    frames = base64.b64encode(writer.gif).decode("ascii")
    return (
        "<picture>"
        f'<source media="(prefers-reduced-motion: reduce)" srcset="data:image/png;base64,{still}">'
        f'<img alt="{html.escape(alt)}" class="calcml-figure" src="data:image/gif;base64,{frames}">'
        "</picture>"
    )


class _GifWriter(AbstractMovieWriter):
    """Collects an animation's frames and encodes them as one GIF in memory.

    Every frame is drawn with the palette of the last one (which shows the whole path), without
    dithering, so consecutive frames differ only where the plot changed and the GIF stores
    only those pixels: a few kilobytes a frame instead of a whole image.
    """

    def setup(self, fig, outfile, dpi=None):
        super().setup(fig, outfile, dpi)
        self.frames: list[Image.Image] = []
        self.gif = b""

    def grab_frame(self, **savefig_kwargs):
        buffer = io.BytesIO()
        self.fig.savefig(buffer, **{**savefig_kwargs, "format": "rgba", "dpi": self.dpi})
        frame = Image.frombuffer("RGBA", self.frame_size, buffer.getbuffer(), "raw", "RGBA", 0, 1)
        self.frames.append(frame.convert("RGB"))

    def finish(self):
        none = Image.Dither.NONE
        palette = self.frames[-1].quantize(colors=255, dither=none)
        frames = [frame.quantize(palette=palette, dither=none) for frame in self.frames]
        buffer = io.BytesIO()
        duration = round(1000 / self.fps)
        frames[0].save(
            buffer, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0
        )
        self.gif = buffer.getvalue()
