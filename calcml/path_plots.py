"""The paths of optimisers: iterates on a curve, a contour plot or a surface, the cost against
iteration, and animations of the steps as a GIF that works offline.

Each helper draws on a Matplotlib ``Axes`` (a new figure's when ``ax`` is None) and returns it.
"""

import base64
import html
import io
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import AbstractMovieWriter, Animation, FuncAnimation
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from calcml._checks import check_callable, check_finite_array, check_int
from calcml.plane_plots import _grid, plot_contour
from calcml.plotting import _axes, plot_function

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

    The contours come from [`plot_contour`][calcml.plane_plots.plot_contour]; the iterates are
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
    Render it with [`animation_to_html`][calcml.path_plots.animation_to_html] for a page, or
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
    max_frames = check_int("max_frames", max_frames, 2)
    hold_frames = check_int("hold_frames", hold_frames, 0)
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
        The animation, for example from [`animate_path`][calcml.path_plots.animate_path].
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
