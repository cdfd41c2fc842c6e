"""Benchmark rows for a page: the rows a sentence quotes, tables and a figure.

The suites of [`calcml.bench_suites`][calcml.bench_suites] return rows of plain numbers. This
module picks and presents them:

- [`rows_by_size`][calcml.bench_report.rows_by_size] picks the rows of one method and
  [`fastest_by_size`][calcml.bench_report.fastest_by_size] the fastest at each size, so that
  prose can quote them (in the words of [`calcml.bench_format`][calcml.bench_format]);
- [`timing_table`][calcml.bench_report.timing_table] and
  [`cost_ratio_table`][calcml.bench_report.cost_ratio_table] tabulate the suites' rows, and
  [`provenance_table`][calcml.bench_report.provenance_table] the machine they ran on, as
  Markdown or (where a table must be compact) HTML;
- [`plot_gradient_costs`][calcml.bench_report.plot_gradient_costs] draws the gradient suite's
  rows against $n$.
"""

from __future__ import annotations

import html as htmllib
from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from calcml.bench import PROVENANCE_KEYS
from calcml.bench_format import format_seconds, format_size

_TABLE_STYLE = "border-collapse: collapse; width: 100%; font-size: 0.6rem; text-align: right"
# Colour and marker of each method of benchmark_gradients; one evaluation of f is grey or black.
_STYLES = {
    "finite differences": ("tab:red", "o"),
    "forward mode (jacfwd)": ("tab:orange", "s"),
    "reverse mode (grad)": ("tab:blue", "D"),
    "f, NumPy": ("grey", "."),
    "f, JAX jit": ("black", "."),
}


def _check_rows(name: str, rows: Iterable[dict], keys: set[str], why: str = "") -> list[dict]:
    rows = list(rows)
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise TypeError(f"{name}[{index}] must be a dict, got {type(row).__name__}")
        missing = keys - set(row)
        if missing:
            raise ValueError(f"{name}[{index}] lacks {sorted(missing)}{why}")
    return rows


def rows_by_size(rows: Iterable[dict], method: str, backend: str = "cpu") -> dict[int, dict]:
    """The rows of one method on one backend, keyed by their size ``n``.

    Parameters
    ----------
    rows : iterable of dict
        Rows of a suite, each with ``method``, ``backend`` and ``n``.
    method : str
        The method whose rows to keep.
    backend : str, default "cpu"
        The backend whose rows to keep.

    Returns
    -------
    dict
        ``{n: row}`` in the order of the rows; empty when the method did not run there.

    Raises
    ------
    TypeError
        If a row is not a dict.
    ValueError
        If a row lacks ``method``, ``backend`` or ``n``.

    Examples
    --------
    >>> from calcml import rows_by_size
    >>> rows = [
    ...     {"method": "a", "backend": "cpu", "n": 10, "median": 2.0},
    ...     {"method": "a", "backend": "gpu", "n": 10, "median": 0.5},
    ... ]
    >>> rows_by_size(rows, "a", backend="gpu")[10]["median"]
    0.5
    >>> rows_by_size(rows, "b")
    {}
    """
    rows = _check_rows("rows", rows, {"method", "backend", "n"})
    return {r["n"]: r for r in rows if r["method"] == method and r["backend"] == backend}


def fastest_by_size(
    rows: Iterable[dict], methods: Iterable[str] | None = None, column: str = "median"
) -> dict[int, dict]:
    """The fastest row at each size ``n``: the one with the smallest time in ``column``.

    Parameters
    ----------
    rows : iterable of dict
        Rows of a suite, each with ``method``, ``n`` and ``column``.
    methods : iterable of str, optional
        The methods that compete; default: every one.
    column : str, default "median"
        The time compared: ``"median"`` or ``"first_call"``.

    Returns
    -------
    dict
        ``{n: row}`` by increasing ``n``, for each size at which a method competes.

    Raises
    ------
    TypeError
        If a row is not a dict.
    ValueError
        If a row lacks ``method``, ``n`` or ``column``.

    Examples
    --------
    >>> from calcml import fastest_by_size
    >>> rows = [
    ...     {"method": "a", "backend": "cpu", "n": 10, "median": 2.0},
    ...     {"method": "b", "backend": "cpu", "n": 10, "median": 1.0},
    ...     {"method": "a", "backend": "cpu", "n": 100, "median": 3.0},
    ... ]
    >>> {n: row["method"] for n, row in fastest_by_size(rows).items()}
    {10: 'b', 100: 'a'}
    >>> {n: row["method"] for n, row in fastest_by_size(rows, methods=["a"]).items()}
    {10: 'a', 100: 'a'}
    """
    chosen = None if methods is None else set(methods)
    best: dict[int, dict] = {}
    for row in _check_rows("rows", rows, {"method", "n", column}):
        n = row["n"]
        if (chosen is None or row["method"] in chosen) and (
            n not in best or row[column] < best[n][column]
        ):
            best[n] = row
    return dict(sorted(best.items()))


def timing_table(
    rows: Sequence[dict],
    column: str = "median",
    best_of: Iterable[str] | None = None,
    html: bool = False,
) -> str:
    """A table of benchmark rows, a line per size ``n`` and a column per method.

    Parameters
    ----------
    rows : sequence of dict
        Rows of a suite, such as
        [`benchmark_gradients`][calcml.bench_suites.benchmark_gradients] returns: each has
        ``method``, ``backend`` and ``n``, and the ``column`` shown.
    column : str, default "median"
        What to show: ``"median"`` (with the spread below it in small print: half the range of
        the repeats, relative to the median), ``"first_call"``, or another number of the rows
        (``"max_error"``, ``"f_evaluations"``, ...).
    best_of : iterable of str, optional
        For a time column, the methods among which the fastest at each size is set in bold;
        default: every method shown.
    html : bool, default False
        Return a compact HTML table, styled inline, instead of Markdown: it fits six columns
        where a table in the site theme's style would need scrolling (the class
        ``calcml-timings`` keeps the theme's table style off it).

    Returns
    -------
    str
        The table; "not run" where a method stopped before a size. JAX methods are labelled
        with their backend: "JAX jit on CPU", "JAX jit on GPU".

    Raises
    ------
    TypeError
        If a row is not a dict.
    ValueError
        If ``rows`` is empty, or a row lacks ``method``, ``backend``, ``n`` or ``column``.

    Examples
    --------
    >>> from calcml import timing_table
    >>> rows = [
    ...     {"method": "a", "backend": "cpu", "n": 10, "median": 2e-6, "min": 2e-6, "max": 2e-6},
    ...     {"method": "a", "backend": "cpu", "n": 100, "median": 3e-5, "min": 2e-5, "max": 4e-5},
    ...     {"method": "b", "backend": "cpu", "n": 10, "median": 1e-6, "min": 1e-6, "max": 1e-6},
    ... ]
    >>> print(timing_table(rows))
    | n | a | b |
    | ---: | ---: | ---: |
    | 10 | 2 µs<br><small>±0%</small> | **1 µs**<br><small>±0%</small> |
    | 10² | **30 µs**<br><small>±33%</small> | not run |
    """
    rows = list(rows)
    if not rows:
        raise ValueError("rows must hold at least one benchmark row, got none")
    keys = {"method", "backend", "n", column}
    rows = _check_rows("rows", rows, keys, f" for column {column!r}")
    timed = column in ("median", "first_call")
    best = fastest_by_size(rows, best_of, column) if timed else {}
    sizes = sorted({row["n"] for row in rows})
    methods = list(dict.fromkeys((row["method"], row["backend"]) for row in rows))
    cells = {(row["method"], row["backend"], row["n"]): row for row in rows}
    bold = ("<b>", "</b>") if html else ("**", "**")

    def header(method: str, backend: str) -> str:
        jax_method = method.startswith(("JAX", "f, JAX", "reverse", "forward"))
        name = f"{method} on {backend.upper()}" if jax_method or backend != "cpu" else method
        return htmllib.escape(name) if html else name

    table = [["n", *(header(*method) for method in methods)]]
    for n in sizes:
        line = [format_size(n)]
        for method, backend in methods:
            row = cells.get((method, backend, n))
            if row is None:
                line.append("not run")
                continue
            value = row[column]
            if timed:
                cell = format_seconds(value)
            else:
                cell = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
            if row is best.get(n):
                cell = bold[0] + cell + bold[1]
            if column == "median" and {"min", "max"} <= set(row):
                cell += f"<br><small>±{50 * (row['max'] - row['min']) / value:.0f}%</small>"
            line.append(cell)
        table.append(line)
    if not html:
        lines = ["| " + " | ".join(line) + " |" for line in table]
        return "\n".join([lines[0], "| ---: |" + " ---: |" * len(methods), *lines[1:]])
    # Legacy attributes (cellpadding, rules, align) style every cell at once, in few bytes.
    head = "".join(f'<th align="right">{text}</th>' for text in table[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{text}</td>" for text in line) + "</tr>" for line in table[1:]
    )
    return (
        f'<table class="calcml-timings" cellpadding="4" rules="rows" frame="hsides"'
        f' style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def cost_ratio_table(rows: Iterable[dict]) -> str:
    """A Markdown table of what a gradient costs: each way's median, first call and ratio to f.

    Parameters
    ----------
    rows : iterable of dict
        Rows such as [`gradient_cost_ratios`][calcml.bench_suites.gradient_cost_ratios]
        returns, with ``method``, ``backend``, ``median``, ``first_call`` and ``ratio``.

    Returns
    -------
    str
        A line per row; rows measured on a GPU say so after the method.

    Raises
    ------
    TypeError
        If a row is not a dict.
    ValueError
        If a row lacks one of those keys.

    Examples
    --------
    >>> from calcml import cost_ratio_table
    >>> rows = [
    ...     {"method": "f", "backend": "cpu", "median": 1e-3, "first_call": 0.05, "ratio": 1.0},
    ...     {"method": "grad", "backend": "gpu", "median": 3e-3, "first_call": 0.2, "ratio": 3.0},
    ... ]
    >>> print(cost_ratio_table(rows))
    | way to get ∇f | median, first call | × f |
    | --- | ---: | ---: |
    | f | 1 ms<br><small>50 ms</small> | 1.00 |
    | grad, GPU | 3 ms<br><small>200 ms</small> | 3.00 |
    """
    keys = {"method", "backend", "median", "first_call", "ratio"}
    table = ["| way to get ∇f | median, first call | × f |", "| --- | ---: | ---: |"]
    for r in _check_rows("rows", rows, keys):
        name = r["method"] + (", GPU" if r["backend"] == "gpu" else "")
        times = f"{format_seconds(r['median'])}<br><small>{format_seconds(r['first_call'])}</small>"
        table.append(f"| {name} | {times} | {r['ratio']:.2f} |")
    return "\n".join(table)


def provenance_table(info: dict[str, Any]) -> str:
    """A Markdown table of where benchmarks ran, from [`provenance`][calcml.bench.provenance].

    Parameters
    ----------
    info : dict
        Provenance, with every key of ``calcml.bench.PROVENANCE_KEYS``.

    Returns
    -------
    str
        Two columns, a line per fact: date, CPU and cores, platform, versions, JAX devices,
        whether there is a GPU, the git commit (10 digits) and the code hash (12 digits).

    Raises
    ------
    TypeError
        If ``info`` is not a dict.
    ValueError
        If ``info`` lacks one of those keys.

    Examples
    --------
    >>> from calcml import provenance, provenance_table
    >>> outside_git = {**provenance(), "git_commit": None, "git_dirty": None}
    >>> table = provenance_table(outside_git).splitlines()
    >>> print(table[0])
    | | this build |
    >>> print(table[-2])
    | git commit | none (not a git checkout) |
    """
    if not isinstance(info, dict):
        raise TypeError(f"info must be a dict from provenance(), got {type(info).__name__}")
    missing = set(PROVENANCE_KEYS) - set(info)
    if missing:
        raise ValueError(f"info lacks {sorted(missing)}: pass the dict provenance() returns")
    commit = info["git_commit"][:10] if info["git_commit"] else "none (not a git checkout)"
    if info["git_dirty"]:
        commit += ", with uncommitted changes"
    if info["gpu"]:
        gpu = "yes: JAX rows are timed on the CPU and on the GPU"
    else:
        gpu = "**none on this machine**: every JAX row ran on the CPU"
    facts = {
        "date (UTC)": info["date"],
        "CPU": f"{info['cpu']}, {info['cpu_count']} cores available",
        "platform": info["platform"],
        "Python, NumPy, SymPy": ", ".join(info[k] for k in ("python", "numpy", "sympy")),
        "JAX, jaxlib": f"{info['jax']}, {info['jaxlib']}",
        "JAX devices": ", ".join(info["jax_devices"]),
        "GPU": gpu,
        "git commit": commit,
        "benchmark code hash": f"`{info['code_hash'][:12]}`",
    }
    lines = ["| | this build |", "| --- | --- |"]
    return "\n".join(lines + [f"| {fact} | {value} |" for fact, value in facts.items()])


def plot_gradient_costs(rows: Sequence[dict]) -> Figure:
    """Two log-log plots of gradient benchmark rows against $n$: time, and cost in evaluations.

    The top plot shows seconds per gradient for each method, beside one evaluation of $f$
    (dotted) for scale; the bottom one each gradient's time over that of one evaluation of $f$,
    beside the line $2n$ that finite differences follow. Rows measured on a GPU are dashed.

    Parameters
    ----------
    rows : sequence of dict
        Rows such as [`benchmark_gradients`][calcml.bench_suites.benchmark_gradients] returns,
        each with ``method``, ``backend``, ``n``, ``median`` and ``f_evaluations``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, its two axes titled "Time against n" and "Cost in evaluations of f".

    Raises
    ------
    TypeError
        If a row is not a dict.
    ValueError
        If ``rows`` is empty or a row lacks one of those keys.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcml import plot_gradient_costs
    >>> rows = [
    ...     {"method": m, "backend": "cpu", "n": n, "median": t, "f_evaluations": t / 1e-6}
    ...     for m, n, t in [("f, NumPy", 10, 1e-6), ("reverse mode (grad)", 10, 4e-6)]
    ... ]
    >>> fig = plot_gradient_costs(rows)
    >>> [len(ax.get_lines()) for ax in fig.axes]  # f and reverse mode; reverse mode and 2n
    [2, 2]
    >>> plt.close(fig)
    """
    keys = {"method", "backend", "n", "median", "f_evaluations"}
    rows = _check_rows("rows", rows, keys)
    if not rows:
        raise ValueError("rows must hold at least one benchmark row, got none")
    fig, (top, bottom) = plt.subplots(2, figsize=(6.5, 8), layout="constrained")
    for method, backend in dict.fromkeys((r["method"], r["backend"]) for r in rows):
        line = rows_by_size(rows, method, backend)
        n, times = list(line), [r["median"] for r in line.values()]
        colour, marker = _STYLES.get(method, (None, "."))
        label = method if backend == "cpu" else f"{method}, GPU"
        style = {"color": colour, "marker": marker, "label": label}
        if method.startswith("f, "):  # one evaluation of f, for scale
            top.loglog(n, times, ":", **style)
            continue
        dashes = "--" if backend == "gpu" else "-"
        top.loglog(n, times, dashes, **style)
        bottom.loglog(n, [r["f_evaluations"] for r in line.values()], dashes, **style)
    sizes = sorted({r["n"] for r in rows})
    bottom.loglog(sizes, [2 * n for n in sizes], "k:", label="2n")
    top.set(xlabel="n", ylabel="seconds per gradient", title="Time against n")
    bottom.set(xlabel="n", ylabel="evaluations of f", title="Cost in evaluations of f")
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig
