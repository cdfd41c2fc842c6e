"""Plots over a plane: contour plots and gradient fields of functions of two variables, and the
decision boundary of a classifier with two features. The paths of optimisers over these plots
are drawn by :mod:`calcml.path_plots`.

Each helper draws on a Matplotlib ``Axes`` (a new figure's when ``ax`` is None) and returns it,
so a page can compose several on one figure.
"""

from collections.abc import Callable, Sequence
from numbers import Integral

import numpy as np
from matplotlib.axes import Axes

from calcml._checks import check_callable, check_finite_array, check_interval
from calcml.derivatives import numerical_derivative
from calcml.plotting import _axes


def _check_size(name: str, value) -> None:
    """Points or arrows per side of a grid: an integer of at least 2, or raise."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 2:
        raise ValueError(f"{name} must be an integer of at least 2, got {value!r}")


def _grid(f: Callable, x_range: Sequence[float], y_range: Sequence[float], num_points: int):
    """Check the arguments of a two-variable plot; return the grid and ``f`` on it."""
    check_callable("f", f)
    x_low, x_high = check_interval("x_range", x_range)
    y_low, y_high = check_interval("y_range", y_range)
    _check_size("num_points", num_points)
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
    angle (see [`plot_gradient_field`][calcml.plane_plots.plot_gradient_field]).

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
    _check_size("num_arrows", num_arrows)
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


def plot_decision_boundary(
    predict_fn: Callable,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    ax: Axes | None = None,
    num_points: int = 200,
    margin: float = 0.05,
    class_names: Sequence[str] = ("0", "1"),
    show_probabilities: bool = True,
) -> Axes:
    r"""Draw the examples of two classes and the boundary where a classifier changes its mind.

    ``predict_fn`` is evaluated on a grid covering the examples. The boundary is the contour
    where its value crosses 0.5, drawn as a black line; for a perceptron it is the straight line
    $W x + b = 0$, since $\sigma(z) = 0.5$ exactly where $z = 0$. With
    ``show_probabilities``, the regions between the contours 0.1, 0.2, ..., 0.9 of a
    probability are shaded from blue (near 0) to red (near 1).

    Parameters
    ----------
    predict_fn : callable
        Takes points in the lessons' layout, an array of shape ``(2, n)`` (one point per
        column), and returns ``n`` values in [0, 1] of any shape with ``n`` elements: the
        probability of class 1 (``lambda X: forward_propagation(X, parameters)``) or labels
        0 and 1 (``lambda X: predict(X, parameters)``).
    X : array_like
        Shape ``(2, m)``: the two features of ``m`` examples, in the lessons' layout.
    Y : array_like
        Shape ``(1, m)`` (or ``(m,)``): their labels, 0 or 1.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes when omitted.
    num_points : int, default 200
        Grid points per side at which ``predict_fn`` is evaluated.
    margin : float, default 0.05
        How far the grid reaches beyond the examples, as a fraction of their range.
    class_names : (str, str), default ("0", "1")
        Legend labels of class 0 and class 1.
    show_probabilities : bool, default True
        Shade the probability levels; set False for a boundary line only.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on: the boundary (a contour set at level 0.5) is its last collection,
        and the examples of class 0 and of class 1 (scatter plots) the two before it.

    Raises
    ------
    TypeError
        If ``predict_fn`` is not callable.
    ValueError
        If ``X`` does not have two rows and at least one column, ``Y`` does not hold one 0 or 1
        label per column of ``X``, ``predict_fn`` does not return one value in [0, 1] per
        point, or a setting is out of range (``class_names`` not two labels).

    Examples
    --------
    The classifier "1 where $x_1 + x_2 > 1$" has the line $x_2 = 1 - x_1$ as its boundary:

    >>> import numpy as np
    >>> from calcml import plot_decision_boundary, sigmoid
    >>> X = np.array([[0.0, 0.2, 0.9, 1.0], [0.0, 0.5, 0.6, 1.0]])
    >>> Y = np.array([[0.0, 0.0, 1.0, 1.0]])
    >>> ax = plot_decision_boundary(lambda P: sigmoid(10 * (P[0] + P[1] - 1)), X, Y)
    >>> x1, x2 = ax.collections[-1].allsegs[0][0].T
    >>> bool(np.allclose(x1 + x2, 1.0))
    True
    """
    check_callable("predict_fn", predict_fn)
    X = check_finite_array("X", X)
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] == 0:
        raise ValueError(
            f"X must have shape (2, m), m >= 1: two features × m examples (the lessons' "
            f"layout), got shape {X.shape}"
        )
    labels = check_finite_array("Y", Y)
    if labels.size != X.shape[1] or labels.ndim > 2 or (labels.ndim == 2 and len(labels) != 1):
        raise ValueError(
            f"Y must have shape (1, m) = {(1, X.shape[1])} to match X of shape {X.shape}, "
            f"got shape {labels.shape}"
        )
    labels = labels.ravel()
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError(f"Y must hold only 0 and 1, got {np.unique(labels)}")
    _check_size("num_points", num_points)
    if np.ndim(margin) != 0:
        raise ValueError(f"margin must be one number, got {margin!r}")
    margin = float(check_finite_array("margin", margin))
    if margin < 0:
        raise ValueError(f"margin must be at least 0, got {margin!r}")
    if (
        isinstance(class_names, str)
        or not isinstance(class_names, Sequence)
        or len(class_names) != 2
    ):
        raise ValueError(f"class_names must be two labels, of class 0 and 1, got {class_names!r}")
    low, high = X.min(axis=1), X.max(axis=1)
    span = np.where(high > low, high - low, 1.0)
    x1, x2 = np.meshgrid(
        np.linspace(low[0] - margin * span[0], high[0] + margin * span[0], num_points),
        np.linspace(low[1] - margin * span[1], high[1] + margin * span[1], num_points),
    )
    points = np.vstack([x1.ravel(), x2.ravel()])
    result = predict_fn(points)
    try:
        values = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"predict_fn must return numbers (probabilities or 0/1 labels), got {result!r:.80}"
        ) from None
    if values.size != points.shape[1] or not np.all((values >= 0) & (values <= 1)):
        raise ValueError(
            f"predict_fn must return one value in [0, 1] per point: for points of shape "
            f"{points.shape} it returned shape {values.shape}"
            + ("" if values.size != points.shape[1] else " with values outside [0, 1] or NaN")
        )
    values = values.reshape(x1.shape)
    ax = _axes(ax)
    if show_probabilities:
        ax.contourf(x1, x2, values, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    for label, marker, colour in ((0, "o", "tab:blue"), (1, "^", "tab:red")):
        chosen = labels == label
        ax.scatter(
            X[0, chosen], X[1, chosen], s=12, marker=marker, color=colour,
            edgecolors="white", linewidths=0.3, label=class_names[label],
        )  # fmt: skip
    ax.contour(x1, x2, values, levels=[0.5], colors="black", linewidths=1.5)
    return ax
