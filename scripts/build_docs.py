"""Build the calcml site: execute the notebooks (cached by content), then render with MkDocs.

Stages, each runnable alone::

    python scripts/build_docs.py              # execute, then render
    python scripts/build_docs.py execute      # only execute the notebooks into the cache
    python scripts/build_docs.py execute docs/tutorials/x.py   # only these notebooks
    python scripts/build_docs.py render       # only render site/ (executes what the cache lacks)
    python scripts/build_docs.py --force      # re-execute every notebook and render again

Notebooks are the jupytext ``.py`` files under ``docs/``. An executed notebook is cached under
``.cache/notebooks/`` with a key made of its source, the code of the calcml package (docstrings
and comments aside), the lock file and the Python version, so any change to the package's code
re-runs every notebook. The rendered
site is keyed the same way on all of its inputs: when none changed, nothing is done at all.
Rendering goes to a temporary folder that replaces ``site/`` only when MkDocs succeeds.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = "requirements.lock"
# Inputs of the rendered site besides docs/: a change to any of them renders again.
SITE_INPUTS = ("mkdocs.yml", "calcml", "scripts", LOCK_FILE, "pyproject.toml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(RuntimeError):
    """A notebook cell raised; the message names the notebook, cell, line and exception."""


@dataclasses.dataclass(frozen=True)
class Project:
    """Where the sources, the cache and the site of one MkDocs project live."""

    root: Path
    docs_dir: Path
    cache_dir: Path
    site_dir: Path

    @classmethod
    def at(cls, root: Path, site_dir: Path | None = None, cache_dir: Path | None = None):
        root = root.resolve()
        cache_dir = cache_dir or Path(os.environ.get("CALCML_CACHE_DIR", root / ".cache"))
        return cls(
            root, root / "docs", Path(cache_dir).resolve(), (site_dir or root / "site").resolve()
        )

    def notebooks(self) -> list[Path]:
        """The notebook sources: every ``.py`` file under ``docs/``."""
        return sorted(self.docs_dir.rglob("*.py"))

    def executed_path(self, source: Path) -> Path:
        return (
            self.cache_dir / "notebooks" / source.relative_to(self.docs_dir).with_suffix(".ipynb")
        )

    @property
    def report_path(self) -> Path:
        return self.cache_dir / "build-report.json"


@dataclasses.dataclass
class Result:
    path: str
    status: str  # "executed" or "cached"
    seconds: float  # wall time in this build
    run_seconds: float  # how long its last execution took


def _hash_paths(
    paths: Iterable[Path], base: Path, content: Callable[[Path], bytes] = Path.read_bytes
) -> hashlib._Hash:
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or not file.exists():
                continue
            digest.update(str(file.relative_to(base)).encode() + b"\0" + content(file) + b"\0")
    return digest


def _code_fingerprint() -> Callable[[Path], bytes]:
    """``calcml._source.code_fingerprint``, loaded by path: importing calcml would load JAX."""
    spec = importlib.util.spec_from_file_location("_calcml_source", ROOT / "calcml" / "_source.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.code_fingerprint


def environment_key(project: Project) -> str:
    """Hash of what every notebook depends on besides its own source.

    calcml's modules count by their code only (:func:`calcml._source.code_fingerprint`), so
    editing a docstring or a comment re-renders the API pages without re-running notebooks.
    """
    digest = _hash_paths(
        [project.root / "calcml", project.root / LOCK_FILE],
        project.root,
        content=_code_fingerprint(),
    )
    digest.update(sys.version.encode())
    return digest.hexdigest()


def notebook_key(source: Path, env_key: str) -> str:
    return hashlib.sha256(env_key.encode() + source.read_bytes()).hexdigest()


def site_key(project: Project) -> str:
    inputs = [project.docs_dir, *(project.root / name for name in SITE_INPUTS)]
    digest = _hash_paths(inputs, project.root)
    digest.update(sys.version.encode() + str(project.site_dir).encode())
    return digest.hexdigest()


def _source_line(source_text: str, cells: list, index: int, line_in_cell: int) -> int | None:
    """Line of the .py file that holds line ``line_in_cell`` of code cell ``index``."""
    position = 0
    for i, cell in enumerate(cells):
        found = source_text.find(cell.source, position) if cell.source else -1
        if found < 0:
            continue
        if i == index:
            return source_text.count("\n", 0, found) + line_in_cell
        position = found + len(cell.source)
    return None


def _describe_failure(source: Path, nb, error: Exception, project: Project) -> str:
    """Name the notebook, the cell, the line and the exception of a failed execution."""
    failed = [
        (index, output)
        for index, cell in enumerate(nb.cells)
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    if not failed:
        return f"{source.relative_to(project.root)}: {type(error).__name__}: {error}"
    index, output = failed[0]
    traceback = ANSI.sub("", "\n".join(output.get("traceback", [])))
    match = re.search(r"Cell In\[\d+\], line (\d+)", traceback)
    line_in_cell = int(match.group(1)) if match else 1
    file_line = _source_line(source.read_text(), nb.cells, index, line_in_cell)
    where = f"{source.relative_to(project.root)}:{file_line}" if file_line else str(source)
    return (
        f"{where}: cell {index + 1}, line {line_in_cell}: {output['ename']}: {output['evalue']}\n"
        f"{traceback}"
    )


def execute_notebook(source: Path, project: Project) -> float:
    """Execute one notebook into the cache; return the seconds it took.

    Raises
    ------
    NotebookError
        If a cell raises. Nothing is written to the cache then.
    """
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    nb = jupytext.read(source)
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # jupytext draws random ids; fixed ones keep builds identical
    # Every notebook runs in the same kernel, so the pages never depend on a contributor's setup.
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,  # timestamps in the notebook would make every build differ
        resources={"metadata": {"path": str(source.parent)}},
    )
    try:
        # Our own event loop, closed when done: each worker thread would otherwise leak one.
        # The kernel's stderr only warns that its loopback TCP is unencrypted.
        asyncio.run(client.async_execute(stderr=subprocess.DEVNULL))
    except CellExecutionError as error:
        raise NotebookError(_describe_failure(source, nb, error, project)) from None
    destination = project.executed_path(source)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".ipynb.partial")
    nbformat.write(nb, partial)
    partial.replace(destination)
    return time.perf_counter() - start


def _cache_record(source: Path, project: Project) -> Path:
    return project.executed_path(source).with_suffix(".json")


def runs_alone(source: Path) -> bool:
    """Whether the notebook asks to run with no other kernel beside it (timing notebooks do).

    Set in the jupytext header: ``calcml: {run_alone: true}`` under ``jupyter:``.
    """
    import jupytext

    return bool(jupytext.read(source).metadata.get("calcml", {}).get("run_alone"))


def execute_all(
    project: Project,
    force: bool = False,
    jobs: int | None = None,
    log=print,
    only: Iterable[Path] | None = None,
) -> list[Result]:
    """Execute every notebook (or those in ``only``) whose cache entry is missing or stale.

    One kernel per notebook, ``jobs`` (default: the CPU count) at a time; then the notebooks
    that run alone (benchmarks), one at a time, so no other kernel competes for the cores.
    Logs a line per notebook as it finishes. Raises NotebookError naming every failure.
    """
    env_key = environment_key(project)
    results: dict[Path, Result] = {}
    to_run: dict[Path, str] = {}
    chosen = {path.resolve() for path in only} if only else None
    for source in project.notebooks():
        if chosen is not None and source.resolve() not in chosen:
            continue
        key = notebook_key(source, env_key)
        record_path = _cache_record(source, project)
        record = json.loads(record_path.read_text()) if record_path.exists() else {}
        fresh = record.get("key") == key and project.executed_path(source).exists()
        if fresh and not force:
            result = Result(_rel(source, project), "cached", 0.0, record["seconds"])
            results[source] = result
            log(f"cached    {result.path}  (ran in {result.run_seconds:.1f} s)")
        else:
            to_run[source] = key
    alone = {source for source in to_run if runs_alone(source)}
    failures = []
    for batch, workers in ((set(to_run) - alone, jobs or os.cpu_count() or 1), (alone, 1)):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(execute_notebook, source, project): source for source in batch}
            for future in as_completed(futures):
                source = futures[future]
                try:
                    seconds = future.result()
                except NotebookError as error:
                    failures.append(str(error))
                    log(f"FAILED    {_rel(source, project)}")
                    continue
                record = {"key": to_run[source], "seconds": round(seconds, 2)}
                _cache_record(source, project).write_text(json.dumps(record))
                results[source] = Result(_rel(source, project), "executed", seconds, seconds)
                log(f"executed  {_rel(source, project)}  {seconds:.1f} s")
    if failures:
        raise NotebookError("\n\n".join(failures))
    ordered = [results[source] for source in sorted(results)]
    if chosen is None:  # the report describes the whole site's build
        write_report(project, ordered)
    return ordered


def _rel(source: Path, project: Project) -> str:
    return str(source.relative_to(project.root))


def write_report(project: Project, results: list[Result]) -> None:
    # The provenance the benchmarks record: versions, devices, CPU, date and git commit.
    from calcml import provenance

    report = {"notebooks": [dataclasses.asdict(r) for r in results], **provenance()}
    for entry in report["notebooks"]:
        entry["seconds"] = round(entry["seconds"], 2)
    project.report_path.parent.mkdir(parents=True, exist_ok=True)
    project.report_path.write_text(json.dumps(report, indent=2) + "\n")


def _site_stamp(project: Project) -> Path:
    name = hashlib.sha256(str(project.site_dir).encode()).hexdigest()[:16]
    return project.cache_dir / "site-keys" / name


def site_is_current(project: Project) -> bool:
    stamp = _site_stamp(project)
    return (
        (project.site_dir / "index.html").exists()
        and stamp.exists()
        and (stamp.read_text() == site_key(project))
    )


def render(project: Project, config_file: Path) -> None:
    """Render the site with ``mkdocs build --strict`` into a temporary folder, then swap it in.

    On failure the previous site is left as it was and ``RuntimeError`` carries MkDocs' output.
    """
    key = site_key(project)
    # A folder of its own, so two builds at once cannot write into each other's staging area.
    staging = Path(
        tempfile.mkdtemp(prefix=f".{project.site_dir.name}.staging-", dir=project.site_dir.parent)
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CALCML_CACHE_DIR": str(project.cache_dir)}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(config_file),
        "--site-dir",
        str(staging),
    ]
    completed = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise RuntimeError(f"mkdocs build --strict failed:\n{completed.stdout}{completed.stderr}")
    previous = Path(f"{staging}.previous")
    if project.site_dir.exists():
        project.site_dir.replace(previous)
    staging.replace(project.site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    _site_stamp(project).parent.mkdir(parents=True, exist_ok=True)
    _site_stamp(project).write_text(key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", nargs="?", choices=["all", "execute", "render"], default="all")
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="with execute: only these notebook sources"
    )
    parser.add_argument("--force", action="store_true", help="re-execute every notebook")
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (mkdocs.yml)")
    parser.add_argument("--site-dir", type=Path, help="where to write the site (default site/)")
    parser.add_argument("--jobs", type=int, help="parallel kernels (default: CPU count)")
    args = parser.parse_args(argv)
    project = Project.at(args.root, site_dir=args.site_dir)
    unknown = [path for path in args.notebooks if path.resolve() not in set(project.notebooks())]
    if args.notebooks and args.stage != "execute":
        parser.error("notebook paths go with the execute stage only")
    if unknown:
        parser.error(
            f"not notebook sources under {project.docs_dir}: {', '.join(map(str, unknown))}"
        )
    start = time.perf_counter()
    try:
        if args.stage == "render" or (args.stage == "all" and not args.force):
            if site_is_current(project):
                print(f"site up to date: {project.site_dir} ({time.perf_counter() - start:.2f} s)")
                return 0
        execute_all(project, force=args.force, jobs=args.jobs, only=args.notebooks or None)
        if args.stage != "execute":
            render(project, project.root / "mkdocs.yml")
            print(f"rendered  {project.site_dir}")
    except (NotebookError, RuntimeError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
