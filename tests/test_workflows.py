"""The GitHub Actions workflows: valid for GitHub, and deploying what the build script builds.

Every file in .github/workflows/ is checked against GitHub's workflow schema (shipped inside
check-jsonschema, so this runs offline). The docs workflow is then read as data: it deploys only
on a push to main, uses the Python the lock file was resolved for, keys its notebook cache on the
inputs scripts/build_docs.py keys on, and uploads the folder the build script writes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import build_docs
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
DOCS_WORKFLOW = WORKFLOWS / "docs.yml"
PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")

PUSH_TO_MAIN = {"event_name": "push", "ref": "refs/heads/main"}
PULL_REQUEST = {"event_name": "pull_request", "ref": "refs/pull/1/merge"}
PUSH_TO_BRANCH = {"event_name": "push", "ref": "refs/heads/feature"}


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def check_schema(*files: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema"]
    command += ["vendor.github-workflows", *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    """A workflow as data. YAML 1.1 reads the key ``on`` as True; it is put back as "on"."""
    data = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def workflow() -> dict:
    return load(DOCS_WORKFLOW)


def steps_using(workflow: dict, action: str) -> list[tuple[str, dict]]:
    """(job name, step) for every step of every job that uses ``action`` at any version."""
    found = []
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if step.get("uses", "").split("@")[0] == action:
                found.append((name, step))
    return found


def only_step(workflow: dict, action: str) -> tuple[str, dict]:
    found = steps_using(workflow, action)
    assert len(found) == 1, f"expected one step using {action}, found {len(found)}"
    return found[0]


# --- A small evaluator for the `if:` expressions this workflow uses ------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*))"
)


def evaluate(condition: str | bool | None, github: dict) -> bool:
    """Evaluate a GitHub Actions ``if:`` condition against a ``github`` context.

    Covers ``==``, ``!=``, ``&&``, ``||``, ``!``, parentheses, string literals and ``github.*``
    properties; anything else fails the test instead of being guessed at. No condition is true.
    ``!`` is read with Python's precedence, which differs from GitHub's only in ``!a == b``.
    """
    if condition is None:
        return True
    if isinstance(condition, bool):
        return condition
    text = condition.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    python, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match and match.end() > position, f"cannot read {text[position:]!r} in {condition!r}"
        position = match.end()
        if match["string"] is not None:
            python.append(repr(match["string"][1:-1].replace("''", "'")))
        elif match["op"] is not None:
            python.append({"&&": " and ", "||": " or ", "!": " not "}.get(match["op"], match["op"]))
        elif match["name"] in ("true", "false"):
            python.append(match["name"].capitalize())
        else:
            assert match["name"].startswith("github."), f"unsupported {match['name']!r}"
            python.append(match["name"])
    namespace = {"github": SimpleNamespace(**github), "__builtins__": {}}
    return bool(eval("".join(python), namespace))  # only the tokens read above get here


def test_evaluator_reads_conditions_like_github():
    condition = "${{ github.event_name == 'push' && !(github.ref != 'refs/heads/main') }}"
    assert evaluate(condition, PUSH_TO_MAIN)
    assert not evaluate(condition, PULL_REQUEST)
    assert evaluate("github.event_name == 'pull_request' || false", PULL_REQUEST)
    with pytest.raises(AssertionError, match="unsupported"):
        evaluate("always()", PUSH_TO_MAIN)


# --- Schema -------------------------------------------------------------------------------------


def test_every_workflow_matches_githubs_schema():
    files = workflow_files()
    assert DOCS_WORKFLOW in files
    completed = check_schema(*files)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    """The docs workflow with `runs-on` misspelt in one job: the same check must fail on it."""
    text = DOCS_WORKFLOW.read_text()
    assert "\n    runs-on:" in text
    broken = tmp_path / "docs.yml"
    broken.write_text(text.replace("\n    runs-on:", "\n    runs_on:", 1))
    completed = check_schema(broken)
    assert completed.returncode != 0
    assert "'runs-on' is a required property" in completed.stdout


# --- Deployment ---------------------------------------------------------------------------------


def test_workflow_runs_on_pushes_to_main_and_pull_requests(workflow):
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers


def test_pages_actions_run_only_on_push_to_main(workflow):
    """Every Pages step, with its job's condition, runs on a push to main and on nothing else."""
    for action in PAGES_ACTIONS:
        name, step = only_step(workflow, action)
        job = workflow["jobs"][name]

        def runs(github, job=job, step=step):
            return evaluate(job.get("if"), github) and evaluate(step.get("if"), github)

        assert runs(PUSH_TO_MAIN), f"{action} does not run on a push to main"
        assert not runs(PULL_REQUEST), f"{action} runs on pull requests"
        assert not runs(PUSH_TO_BRANCH), f"{action} runs on pushes to other branches"


def test_deploy_job_deploys_only_a_built_and_tested_site(workflow):
    deploy_name, _ = only_step(workflow, "actions/deploy-pages")
    upload_name, _ = only_step(workflow, "actions/upload-pages-artifact")
    deploy = workflow["jobs"][deploy_name]
    assert not evaluate(deploy.get("if"), PULL_REQUEST)
    needs = deploy.get("needs", [])
    assert upload_name in ([needs] if isinstance(needs, str) else needs)
    runs = [step.get("run", "") for step in workflow["jobs"][upload_name]["steps"]]
    uses = [step.get("uses", "").split("@")[0] for step in workflow["jobs"][upload_name]["steps"]]
    upload_at = uses.index("actions/upload-pages-artifact")
    assert any(run.startswith("make docs") for run in runs[:upload_at]), "not built by make docs"
    assert any(run.startswith("make test") for run in runs[:upload_at]), "uploaded before tests"


def test_deploy_job_has_pages_permissions_environment_and_concurrency(workflow):
    name, step = only_step(workflow, "actions/deploy-pages")
    job = workflow["jobs"][name]
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert job["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"
    assert job["concurrency"]["group"] == "pages"
    assert job["concurrency"]["cancel-in-progress"] is False
    # Every other job gets the read-only default.
    assert workflow["permissions"] == {"contents": "read"}
    others = [n for n, j in workflow["jobs"].items() if n != name and "permissions" in j]
    assert not others, f"jobs with their own permissions: {others}"


def test_upload_path_is_the_site_the_build_script_writes(workflow):
    _, step = only_step(workflow, "actions/upload-pages-artifact")
    site_dir = build_docs.Project.at(ROOT).site_dir
    assert step["with"]["path"] == "site" == str(site_dir.relative_to(ROOT))


# --- Python and caches --------------------------------------------------------------------------


def test_python_is_the_minor_version_the_lock_was_resolved_for(workflow):
    first_line = (ROOT / build_docs.LOCK_FILE).read_text().splitlines()[0]
    match = re.fullmatch(
        r"# Exact versions for Python (\d+\.\d+), written by make lock\.", first_line
    )
    assert match, f"unexpected first line of the lock file: {first_line!r}"
    steps = steps_using(workflow, "actions/setup-python")
    assert steps
    for _, step in steps:
        version = step["with"]["python-version"]
        # Unquoted, YAML reads 3.10 as the float 3.1: the version must be a string.
        assert isinstance(version, str), f"python-version {version!r} is not quoted"
        assert version == match[1]
        assert step["with"]["cache"] == "pip"
        assert step["with"]["cache-dependency-path"] == build_docs.LOCK_FILE


def _glob_regex(pattern: str) -> re.Pattern:
    """The files an Actions glob (as in hashFiles) matches, as a regex over relative paths."""
    regex = ""
    for part in re.split(r"(\*\*/|\*\*|\*|\?)", pattern):
        regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part) or re.escape(
            part
        )
    return re.compile(regex)


def _hashed_globs(expression: str) -> list[str]:
    return [
        glob
        for arguments in re.findall(r"hashFiles\(([^)]*)\)", expression)
        for glob in re.findall(r"'([^']*)'", arguments)
    ]


def notebook_cache_inputs(monkeypatch) -> list[str]:
    """Every file scripts/build_docs.py keys an executed notebook on, relative to the root."""
    project = build_docs.Project.at(ROOT)
    hashed: list[Path] = []
    real_hash_paths = build_docs._hash_paths

    def recording(paths, base, **kwargs):
        paths = list(paths)
        hashed.extend(paths)
        return real_hash_paths(paths, base, **kwargs)

    monkeypatch.setattr(build_docs, "_hash_paths", recording)
    build_docs.environment_key(project)
    files = [*project.notebooks()]
    for path in hashed:
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return [str(file.relative_to(ROOT)) for file in files if "__pycache__" not in file.parts]


def test_notebook_cache_is_keyed_on_the_build_scripts_inputs(workflow, monkeypatch):
    monkeypatch.delenv("CALCML_CACHE_DIR", raising=False)  # the runner never sets it
    _, python = only_step(workflow, "actions/setup-python")
    cache_steps = [
        step
        for _, step in steps_using(workflow, "actions/cache")
        if step["with"]["path"].strip().rstrip("/") == ".cache"
    ]
    assert len(cache_steps) == 1, "expected one actions/cache step for .cache"
    key = cache_steps[0]["with"]["key"]
    assert build_docs.Project.at(ROOT).cache_dir == ROOT / ".cache"

    globs = [_glob_regex(glob) for glob in _hashed_globs(key)]
    inputs = notebook_cache_inputs(monkeypatch)
    assert "requirements.lock" in inputs
    assert any(path.startswith("calcml/") for path in inputs)
    assert any(path.startswith("docs/") and path.endswith(".py") for path in inputs)
    missing = [path for path in inputs if not any(g.fullmatch(path) for g in globs)]
    assert not missing, f"cache key does not hash {missing}"
    # The script keys on sys.version too: the full version setup-python installed.
    assert f"steps.{python['id']}.outputs.python-version" in key


def test_restore_keys_are_prefixes_of_the_cache_key(workflow):
    [(_, step)] = [
        s for s in steps_using(workflow, "actions/cache") if s[1]["with"]["path"] == ".cache"
    ]
    key = step["with"]["key"]
    restore_keys = [k.strip() for k in step["with"]["restore-keys"].splitlines() if k.strip()]
    assert restore_keys, "no restore-keys: any changed notebook would re-run them all"
    for restore_key in restore_keys:
        assert key.startswith(restore_key) and key != restore_key


def test_browser_tests_get_a_browser_the_runner_has(workflow):
    for name, job in workflow["jobs"].items():
        if any(step.get("run", "").startswith("make test") for step in job.get("steps", [])):
            browser = {**workflow.get("env", {}), **job.get("env", {})}.get("CALCML_CHROMIUM")
            assert browser and browser.startswith("/"), f"job {name} leaves CALCML_CHROMIUM unset"
