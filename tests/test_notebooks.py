"""Every notebook executes without error, through the build's own execute stage."""

import build_docs
import nbformat
import pytest
from conftest import ROOT

PROJECT = build_docs.Project.at(ROOT)


@pytest.mark.parametrize(
    "source", PROJECT.notebooks(), ids=lambda p: str(p.relative_to(PROJECT.docs_dir))
)
def test_notebook_executes(source, tmp_path):
    # A private cache, so the notebook really runs here rather than coming from an earlier build.
    project = build_docs.Project.at(ROOT, cache_dir=tmp_path)
    build_docs.execute_notebook(source, project)
    executed = nbformat.read(project.executed_path(source), as_version=4)
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert code_cells and all(cell.execution_count for cell in code_cells)
    figures = [
        cell
        for cell in code_cells
        if any("image/png" in out.get("data", {}) for out in cell.outputs)
    ]
    assert all(cell.metadata.get("alt") for cell in figures), "a figure lacks alt metadata"


def test_there_are_notebooks():
    assert PROJECT.notebooks()
