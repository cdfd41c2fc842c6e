"""scripts/build_docs.py: the content-keyed cache, loud failures, an intact site, the report."""

import json
import re
import shutil
import textwrap

import build_docs
import pytest

NOTEBOOK = textwrap.dedent("""\
    # %% [markdown]
    # # A notebook

    # %%
    import helper
    value = helper.VALUE

    # %%
    print(value)
""")


@pytest.fixture
def project(tmp_path):
    """A minimal MkDocs project with one notebook and a stand-in calcml package."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "calcml").mkdir()
    (tmp_path / "calcml" / "__init__.py").write_text("")
    (tmp_path / "requirements.lock").write_text("numpy==2.0\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    notebooks = tmp_path / "docs" / "notebooks"
    notebooks.mkdir()
    (notebooks / "one.py").write_text(NOTEBOOK)
    return build_docs.Project.at(tmp_path)


@pytest.fixture
def runnable(project):
    (project.docs_dir / "notebooks" / "helper.py").write_text("VALUE = 41\n")
    return project


def statuses(project, **kwargs):
    lines = []
    results = build_docs.execute_all(project, log=lines.append, **kwargs)
    assert len(lines) == len(results)
    return {r.path.split("/")[-1]: r.status for r in results}


def test_cache_keys_on_notebook_package_and_lock(runnable):
    # helper.py is itself a .py under docs/, so it counts as a (trivial) notebook too.
    assert statuses(runnable) == {"helper.py": "executed", "one.py": "executed"}
    assert statuses(runnable) == {"helper.py": "cached", "one.py": "cached"}
    (runnable.root / "calcml" / "new_module.py").write_text("X = 1\n")
    assert set(statuses(runnable).values()) == {"executed"}
    (runnable.root / "requirements.lock").write_text("numpy==2.1\n")
    assert set(statuses(runnable).values()) == {"executed"}
    source = runnable.docs_dir / "notebooks" / "one.py"
    source.write_text(source.read_text() + "\n# %%\nvalue + 1\n")
    assert statuses(runnable) == {"helper.py": "cached", "one.py": "executed"}
    assert statuses(runnable, force=True) == {"helper.py": "executed", "one.py": "executed"}


def test_docstrings_and_comments_of_the_package_do_not_rerun_notebooks(runnable):
    module = runnable.root / "calcml" / "module.py"
    module.write_text('"""A module."""\n\n\ndef f():\n    """Return 1."""\n    return 1\n')
    assert statuses(runnable) == {"helper.py": "executed", "one.py": "executed"}
    module.write_text('"""Reworded."""\n\n\ndef f():  # why\n    """Return one."""\n    return 1\n')
    assert statuses(runnable) == {"helper.py": "cached", "one.py": "cached"}
    module.write_text('"""Reworded."""\n\n\ndef f():\n    """Return one."""\n    return 2\n')
    assert statuses(runnable) == {"helper.py": "executed", "one.py": "executed"}


def test_execute_runs_only_the_notebooks_named(runnable):
    one = runnable.docs_dir / "notebooks" / "one.py"
    assert statuses(runnable, only=[one]) == {"one.py": "executed"}
    assert not runnable.report_path.exists(), "a partial run must not stand for the whole build"
    assert statuses(runnable) == {"helper.py": "executed", "one.py": "cached"}


def test_report_lists_each_notebook_and_the_environment(runnable):
    build_docs.execute_all(runnable, log=lambda line: None)
    report = json.loads(runnable.report_path.read_text())
    assert [n["path"] for n in report["notebooks"]] == [
        "docs/notebooks/helper.py",
        "docs/notebooks/one.py",
    ]
    assert {n["status"] for n in report["notebooks"]} == {"executed"}
    assert all(n["seconds"] > 0 for n in report["notebooks"])
    assert {"python", "numpy", "jax", "jax_devices", "date"} <= report.keys()


def test_failing_cell_names_notebook_cell_line_and_exception(runnable):
    source = runnable.docs_dir / "notebooks" / "one.py"
    source.write_text(NOTEBOOK + "\n# %%\nratio = 1\nratio = value / 0\n")
    with pytest.raises(build_docs.NotebookError) as error:
        build_docs.execute_all(runnable, log=lambda line: None)
    first_line = str(error.value).splitlines()[0]
    line = source.read_text().splitlines().index("ratio = value / 0") + 1
    assert first_line == (
        f"docs/notebooks/one.py:{line}: cell 4, line 2: ZeroDivisionError: division by zero"
    )
    assert not runnable.executed_path(source).exists()


def test_failed_build_leaves_the_previous_site_intact(runnable, capsys):
    argv = ["--root", str(runnable.root)]
    assert build_docs.main(argv) == 0
    index = runnable.site_dir / "index.html"
    before = index.read_bytes()
    source = runnable.docs_dir / "notebooks" / "one.py"
    source.write_text(NOTEBOOK + "\n# %%\nraise RuntimeError('boom')\n")
    assert build_docs.main(argv) == 1
    assert "RuntimeError: boom" in capsys.readouterr().err
    source.write_text(NOTEBOOK)
    # A broken link is a warning, which --strict turns into a failed render.
    (runnable.docs_dir / "index.md").write_text("# Home\n\n[gone](missing.md)\n")
    assert build_docs.main(argv) == 1
    assert "mkdocs build --strict failed" in capsys.readouterr().err
    assert index.read_bytes() == before
    assert sorted(p.name for p in runnable.root.iterdir() if "site" in p.name) == ["site"]


def test_unchanged_rebuild_does_nothing(runnable, capsys):
    argv = ["--root", str(runnable.root)]
    assert build_docs.main(argv) == 0
    stamp = (runnable.site_dir / "index.html").stat().st_mtime_ns
    capsys.readouterr()
    assert build_docs.main(argv) == 0
    assert re.match(r"site up to date", capsys.readouterr().out)
    assert (runnable.site_dir / "index.html").stat().st_mtime_ns == stamp
    (runnable.docs_dir / "index.md").write_text("# Home, edited\n")
    assert build_docs.main(argv) == 0
    assert "edited" in (runnable.site_dir / "index.html").read_text()


def test_force_renders_even_when_current(runnable, capsys):
    argv = ["--root", str(runnable.root)]
    assert build_docs.main(argv) == 0
    assert build_docs.main([*argv, "--force"]) == 0
    out = capsys.readouterr().out
    assert out.count("executed  docs/notebooks/one.py") == 2
    shutil.rmtree(runnable.site_dir)
    assert build_docs.main(argv) == 0
    assert (runnable.site_dir / "index.html").exists()


def test_notebooks_that_run_alone_run_after_the_others(runnable):
    header = "# ---\n# jupyter:\n#   calcml:\n#     run_alone: true\n# ---\n\n"
    (runnable.docs_dir / "notebooks" / "alone.py").write_text(header + NOTEBOOK)
    lines = []
    build_docs.execute_all(runnable, log=lines.append)
    assert [line.split()[1] for line in lines][-1] == "docs/notebooks/alone.py"
    assert len(lines) == 3
