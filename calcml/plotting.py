"""Plotting helpers shared by the lessons and tutorials: curves, tangent and secant lines, and
figures embedded in a page. Functions of two variables (contours, gradient fields, decision
boundaries) are drawn by :mod:`calcml.plane_plots`, and the paths of optimisers, animated or
not, by :mod:`calcml.path_plots`.

Each helper draws on a Matplotlib ``Axes`` (a new figure's when ``ax`` is None) and returns it,
so a page can compose several on one figure.
"""

import base64
import html
import io
from collections.abc import Callable, Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from calcml._checks import check_callable, check_finite_array, check_interval
from calcml.derivatives import difference_quotient


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
