"""MkDocs hooks: serve executed notebooks from the build cache; keep every page light and offline.

- Notebook sources (``docs/**/*.py``) are swapped for their executed ``.ipynb`` from the cache
  of ``build_docs.py``, executing whatever is stale first (so ``mkdocs serve`` re-runs exactly the
  notebooks whose inputs changed).
- mkdocs-jupyter inlines ~570 KB of JupyterLab CSS and a CDN MathJax into every notebook page;
  those are replaced by one cached stylesheet and the site's own MathJax.
- MathJax 3 is served from the site itself, copied from the ``django-static-mathjax`` package.
- Notebook figures take their alternative text from the ``alt`` metadata of their cell.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
import sys
from pathlib import Path

import mathjax
import mkdocs_jupyter
import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).parent))
import build_docs  # noqa: E402
from exec_cache import ExecCache  # noqa: E402

log = logging.getLogger("mkdocs.hooks.calcml")

MATHJAX_DIR = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
# tex-chtml.js bundles TeX input and HTML output; the rest it loads on demand.
MATHJAX_FILES = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y"]
JUPYTER_ASSETS = Path(mkdocs_jupyter.__file__).parent / "templates" / "mkdocs_html" / "assets"
JUPYTER_CSS = "assets/stylesheets/jupyter.css"
CLIPBOARD_JS = "assets/javascripts/clipboard.umd.js"
REPORT_MARKER = "<!-- build-report -->"
NO_ALT = 'alt="No description has been provided for this image"'
PLAIN_TOKEN = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')
COPY_ICON = re.compile(r'<svg[^>]*class="clipboard-copy-icon".*?</svg>', re.S)

_notebooks: dict[str, Path] = {}  # src_uri of an executed notebook -> its jupytext source
_exec_cache: list[ExecCache] = []  # the lessons' code blocks of this build


def _project(config) -> build_docs.Project:
    return build_docs.Project.at(Path(config.config_file_path).parent)


def on_config(config):
    # markdown-exec's own on_config (a plugin, so it runs before hooks) has added its fences.
    project = _project(config)
    cache = ExecCache(project.cache_dir / "markdown-exec", build_docs.environment_key(project))
    fences = config.mdx_configs["pymdownx.superfences"]["custom_fences"]
    for fence in fences:
        if fence["validator"].__module__.startswith("markdown_exec"):
            fence["format"] = cache.wrap(fence["format"])
    _exec_cache[:] = [cache]
    return config


def on_post_build(config) -> None:
    for cache in _exec_cache:
        cache.close()
    _exec_cache.clear()


@event_priority(100)  # before mkdocs-jupyter, so it wraps the executed notebooks
def on_files(files: Files, config) -> Files:
    project = _project(config)
    try:
        build_docs.execute_all(project, log=log.info)
    except build_docs.NotebookError as error:
        raise PluginError(f"notebook execution failed:\n{error}") from None
    _notebooks.clear()
    for file in list(files):
        if file.src_uri.endswith(".py"):
            files.remove(file)
            source = Path(file.abs_src_path)
            # A real File rooted in the cache, not File.generated: mkdocs-jupyter's wrapper
            # reads abs_src_path, which it cannot see on a generated file.
            executed = File(
                file.src_uri[:-3] + ".ipynb",
                src_dir=str(project.cache_dir / "notebooks"),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
            _notebooks[executed.src_uri] = source
            files.append(executed)
    for name in MATHJAX_FILES:
        path = MATHJAX_DIR / name
        items = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for item in items:
            uri = "assets/mathjax/" + item.relative_to(MATHJAX_DIR).as_posix()
            files.append(File.generated(config, uri, abs_src_path=str(item)))
    files.append(File.generated(config, JUPYTER_CSS, content=_jupyter_css()))
    files.append(
        File.generated(config, CLIPBOARD_JS, abs_src_path=str(JUPYTER_ASSETS / "clipboard.umd.js"))
    )
    if project.report_path.exists():
        files.append(
            File.generated(config, "build-report.json", abs_src_path=str(project.report_path))
        )
    return files


def _jupyter_css() -> str:
    """JupyterLab's notebook styles, once for the whole site, following Material's palette."""
    light = (JUPYTER_ASSETS / "theme-light.css").read_text()
    dark = (
        (JUPYTER_ASSETS / "theme-dark.css")
        .read_text()
        .replace(".jupyter-wrapper", "[data-md-color-scheme=slate] .jupyter-wrapper")
    )
    return "\n".join([(JUPYTER_ASSETS / "index.css").read_text(), light, dark])


def on_page_markdown(markdown: str, page, config, files) -> str:
    if REPORT_MARKER in markdown:
        markdown = markdown.replace(REPORT_MARKER, _report_markdown(_project(config)))
    return markdown


def _report_markdown(project: build_docs.Project) -> str:
    if not project.report_path.exists():
        raise PluginError(f"no build report at {project.report_path}: run scripts/build_docs.py")
    report = json.loads(project.report_path.read_text())
    rows = [
        f"| `{n['path']}` | {n['status']} | {n['run_seconds']:.1f} | {n['seconds']:.1f} |"
        for n in report["notebooks"]
    ]
    return "\n".join(
        [
            "| Notebook | This build | Run time (s) | Time in this build (s) |",
            "| --- | --- | ---: | ---: |",
            *rows,
            "",
            f"Built {report['date']} with Python {report['python']}, NumPy {report['numpy']} and "
            f"JAX {report['jax']} on {', '.join(report['jax_devices'])}.",
        ]
    )


def on_page_context(context, page, config, nav):
    # "Edit this page" on a notebook opens its jupytext source, not the generated .ipynb.
    source = _notebooks.get(page.file.src_uri)
    if source is not None and page.edit_url:
        page.edit_url = page.edit_url[: -len(".ipynb")] + ".py"
    return context


def on_post_page(output: str, page, config) -> str:
    source = _notebooks.get(page.file.src_uri)
    if source is None:
        return output
    return _slim_notebook_page(output, page, Path(page.file.abs_src_path))


def _slim_notebook_page(output: str, page, executed: Path) -> str:
    """Drop the inline styles and scripts mkdocs-jupyter repeats on every notebook page."""
    start = output.index("<article")
    end = output.index("</article>", start)
    head, body, tail = output[:start], output[start:end], output[end:]
    body = re.sub(r"<style[^>]*>.*?</style>", "", body, flags=re.S)
    body = re.sub(
        r"<script(?![^>]*application/vnd\.jupyter)[^>]*>.*?</script>", "", body, flags=re.S
    )
    body = body.replace('class="highlight-ipynb', 'class="highlight highlight-ipynb')
    # Plain names and whitespace look the same without their Pygments spans.
    body = PLAIN_TOKEN.sub(r"\1", body)
    # One copy icon in CSS (extra.css) instead of an inline SVG in every code cell.
    body = COPY_ICON.sub("", body)
    body = _add_alt_texts(body, executed)
    base = posixpath.relpath("/", "/" + posixpath.dirname(page.file.dest_uri) + "/")
    link = f'<link rel="stylesheet" href="{posixpath.join(base, JUPYTER_CSS)}">'
    return head + link + body + tail


def _add_alt_texts(body: str, executed: Path) -> str:
    """Give each figure the ``alt`` of its cell's metadata; a figure without one fails the build."""
    notebook = nbformat.read(executed, as_version=4)
    alts = [
        cell.metadata.get("alt")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if any(key.startswith("image/") for key in output.get("data", {}))
    ]
    parts = body.split(NO_ALT)
    if len(parts) - 1 != len(alts) or not all(alts):
        raise PluginError(
            f"{executed.name}: every cell with a figure needs alt text in its metadata "
            f'(jupytext: # %% alt="What the figure shows"); found {len(parts) - 1} figures and '
            f"alt texts {alts}"
        )
    return "".join(
        part + (f'alt="{html.escape(alt)}"' if i < len(alts) else "")
        for i, (part, alt) in enumerate(zip(parts, [*alts, None], strict=True))
    )
