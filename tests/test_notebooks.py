"""Every notebook executes without error, through the build's own execute stage.

The stage's cache is shared with `make docs`: a notebook whose source, package, lock file and
Python are unchanged since it last ran cleanly is not run twice.
"""

import build_docs
import nbformat
import pytest
from conftest import ROOT

PROJECT = build_docs.Project.at(ROOT)


@pytest.fixture(scope="module")
def executed() -> dict[str, build_docs.Result]:
    return {result.path: result for result in build_docs.execute_all(PROJECT, log=print)}


@pytest.mark.parametrize(
    "source", PROJECT.notebooks(), ids=lambda p: str(p.relative_to(PROJECT.docs_dir))
)
def test_notebook_executes(source, executed):
    assert str(source.relative_to(ROOT)) in executed
    notebook = nbformat.read(PROJECT.executed_path(source), as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells and all(cell.execution_count for cell in code_cells)
    outputs = [output for cell in code_cells for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    figures = [
        cell
        for cell in code_cells
        if any("image/png" in output.get("data", {}) for output in cell.outputs)
    ]
    assert all(cell.metadata.get("alt") for cell in figures), "a figure lacks alt metadata"


def test_there_are_notebooks():
    assert PROJECT.notebooks()
