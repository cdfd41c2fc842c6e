"""Benchmark rows for a page: the rows a sentence quotes, the tables of the Benchmarks page and
its figure, each checked against rows whose numbers are known."""

import matplotlib.pyplot as plt
import pytest

from calcml import (
    cost_ratio_table,
    fastest_by_size,
    plot_gradient_costs,
    provenance,
    provenance_table,
    rows_by_size,
    timing_table,
)


def timing_row(method, n, median, backend="cpu", **extra):
    return {"method": method, "backend": backend, "n": n, "median": median, **extra}


def test_timing_table_marks_the_fastest_of_the_chosen_methods_and_what_did_not_run():
    rows = [
        timing_row("f, NumPy", 10, 1e-6),
        timing_row("slow", 10, 5e-6),
        timing_row("fast", 10, 2e-6),
        timing_row("f, NumPy", 100, 1e-5),
        timing_row("fast", 100, 3e-5),
        timing_row("reverse mode (grad)", 100, 2e-5, backend="gpu"),
    ]
    lines = timing_table(rows, best_of=["slow", "fast", "reverse mode (grad)"]).splitlines()
    assert lines[0] == "| n | f, NumPy | slow | fast | reverse mode (grad) on GPU |"
    assert lines[2] == "| 10 | 1 µs | 5 µs | **2 µs** | not run |"
    assert lines[3] == "| 10² | 10 µs | not run | 30 µs | **20 µs** |"


def test_timing_table_in_html_escapes_and_keeps_the_theme_off():
    rows = [timing_row("a<b", 10, 1e-6, f_evaluations=12345.6)]
    table = timing_table(rows, "f_evaluations", html=True)
    assert table.startswith('<table class="calcml-timings"')
    assert "a&lt;b" in table and "12,346" in table and "<b>" not in table


@pytest.mark.parametrize(
    ("rows", "column", "message"),
    [
        ([], "median", r"^rows must hold at least one benchmark row"),
        ([{"method": "a", "n": 10, "median": 1.0}], "median", r"^rows\[0\] lacks \['backend'\]"),
        ([timing_row("a", 10, 1.0)], "max_error", r"^rows\[0\] lacks \['max_error'\]"),
    ],
)
def test_timing_table_names_a_bad_row(rows, column, message):
    with pytest.raises(ValueError, match=message):
        timing_table(rows, column)


def test_timing_table_names_a_row_that_is_not_a_dict():
    with pytest.raises(TypeError, match=r"^rows\[1\] must be a dict, got tuple"):
        timing_table([timing_row("a", 10, 1.0), ("a", 10)])


# --- The rows a sentence quotes --------------------------------------------------------------


def test_rows_by_size_keeps_one_method_on_one_backend():
    rows = [
        timing_row("a", 10, 1.0),
        timing_row("a", 100, 2.0),
        timing_row("a", 10, 0.5, backend="gpu"),
        timing_row("b", 10, 3.0),
    ]
    assert rows_by_size(rows, "a") == {10: rows[0], 100: rows[1]}
    assert rows_by_size(rows, "a", backend="gpu") == {10: rows[2]}
    assert rows_by_size(rows, "c") == {}
    with pytest.raises(ValueError, match=r"^rows\[0\] lacks \['n'\]"):
        rows_by_size([{"method": "a", "backend": "cpu"}], "a")


def test_fastest_by_size_agrees_with_the_bold_cell_of_the_table():
    rows = [
        timing_row("a", 10, 3e-6),
        timing_row("b", 10, 1e-6),
        timing_row("a", 100, 2e-5),
        timing_row("b", 100, 5e-5),
        timing_row("c", 100, 1e-5),
    ]
    best = fastest_by_size(rows, methods=["a", "b"])
    assert {n: r["method"] for n, r in best.items()} == {10: "b", 100: "a"}
    lines = timing_table(rows, best_of=["a", "b"]).splitlines()
    assert lines[2] == "| 10 | 3 µs | **1 µs** | not run |"
    assert lines[3] == "| 10² | **20 µs** | 50 µs | 10 µs |"
    assert fastest_by_size(rows)[100]["method"] == "c"
    assert fastest_by_size(rows, methods=["d"]) == {}


# --- Tables of the cost of a gradient and of provenance -------------------------------------


def test_cost_ratio_table_has_a_line_per_row_in_order():
    rows = [
        {"method": "f, jit", "backend": "cpu", "median": 1e-3, "first_call": 0.1, "ratio": 1.0},
        {"method": "grad", "backend": "gpu", "median": 2.5e-3, "first_call": 0.3, "ratio": 2.5},
    ]
    lines = cost_ratio_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[2] == "| f, jit | 1 ms<br><small>100 ms</small> | 1.00 |"
    assert lines[3] == "| grad, GPU | 2.5 ms<br><small>300 ms</small> | 2.50 |"
    with pytest.raises(ValueError, match=r"^rows\[0\] lacks \['ratio'\]"):
        cost_ratio_table([{k: v for k, v in rows[0].items() if k != "ratio"}])


def test_provenance_table_shows_every_fact_of_this_build():
    info = provenance()
    table = provenance_table(info)
    lines = table.splitlines()
    assert lines[:2] == ["| | this build |", "| --- | --- |"]
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
    for key in ("date", "cpu", "platform", "python", "numpy", "jax"):
        assert str(info[key]) in table
    assert info["code_hash"][:12] in table
    if info["git_commit"]:
        assert info["git_commit"][:10] in table


@pytest.mark.parametrize(
    ("dirty", "gpu", "commit_text", "gpu_text"),
    [
        (True, False, "0123456789, with uncommitted changes", "**none on this machine**"),
        (False, True, "0123456789 |", "yes: JAX rows are timed on the CPU and on the GPU"),
    ],
)
def test_provenance_table_says_what_the_commit_and_gpu_mean(dirty, gpu, commit_text, gpu_text):
    info = {**provenance(), "git_commit": "0123456789abcdef", "git_dirty": dirty, "gpu": gpu}
    table = provenance_table(info)
    assert commit_text in table and gpu_text in table


def test_provenance_table_names_what_it_lacks():
    info = provenance()
    del info["jax_devices"]
    with pytest.raises(ValueError, match=r"^info lacks \['jax_devices'\]"):
        provenance_table(info)
    with pytest.raises(TypeError, match=r"^info must be a dict from provenance\(\), got list"):
        provenance_table([])


# --- The figure -----------------------------------------------------------------------------


def gradient_row(method, n, median, backend="cpu"):
    return timing_row(method, n, median, backend, f_evaluations=median / (n * 1e-7))


def test_gradient_figure_draws_time_and_cost_with_f_for_scale_only():
    rows = [
        gradient_row(method, n, median, backend)
        for n in (10, 100)
        for method, median, backend in [
            ("f, NumPy", 1e-7 * n, "cpu"),
            ("finite differences", 2e-7 * n * n, "cpu"),
            ("reverse mode (grad)", 4e-7 * n, "cpu"),
            ("reverse mode (grad)", 1e-6, "gpu"),
        ]
    ]
    fig = plot_gradient_costs(rows)
    top, bottom = fig.axes
    try:
        labels = [line.get_label() for line in top.get_lines()]
        assert labels == [
            "f, NumPy",
            "finite differences",
            "reverse mode (grad)",
            "reverse mode (grad), GPU",
        ]
        assert [line.get_label() for line in bottom.get_lines()] == [*labels[1:], "2n"]
        fd = bottom.get_lines()[0]
        assert list(fd.get_xdata()) == [10, 100]
        assert list(fd.get_ydata()) == [
            r["f_evaluations"] for r in rows if r["method"] == "finite differences"
        ]
        assert bottom.get_lines()[2].get_linestyle() == "--"  # the GPU's
        assert list(bottom.get_lines()[-1].get_ydata()) == [20, 200]
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        ([], ValueError, r"^rows must hold at least one benchmark row"),
        ([timing_row("a", 10, 1.0)], ValueError, r"^rows\[0\] lacks \['f_evaluations'\]"),
        ([None], TypeError, r"^rows\[0\] must be a dict, got NoneType"),
    ],
)
def test_gradient_figure_names_bad_rows(rows, error, message):
    with pytest.raises(error, match=message):
        plot_gradient_costs(rows)
