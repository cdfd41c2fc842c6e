"""scripts/exec_cache.py: lessons' code blocks run again only when their inputs change."""

import logging

import pytest
from exec_cache import ExecCache


class Formatter:
    """Stands in for markdown-exec: runs ``src`` in its session's namespace, returns the output."""

    def __init__(self):
        self.sessions = {}
        self.ran = []

    def __call__(self, src, language, class_name, options, md, **kwargs):
        self.ran.append(src)
        namespace = self.sessions.setdefault(options.get("session"), {})
        try:
            exec(src, namespace)
        except Exception as error:  # markdown-exec logs a failing block, it does not raise
            logging.getLogger("mkdocs.plugins.markdown_exec").warning("block failed: %s", error)
            return f"<pre>{error!r}</pre>"
        return f"<p>{namespace.get('out')}</p>"


def build(directory, blocks, environment="env", formatter=None):
    """Render ``blocks`` (pairs of code and session) as one build would; return the outputs."""
    formatter = formatter or Formatter()
    cache = ExecCache(directory, environment)
    fence = cache.wrap(formatter)
    outputs = [
        fence(src, "python", "python", {"session": s} if s else {}, None) for src, s in blocks
    ]
    cache.close()
    return outputs, formatter.ran


@pytest.fixture
def directory(tmp_path):
    return tmp_path / "markdown-exec"


SESSION = [("x = 2\nout = x", "coin"), ("out = x * 10", "coin"), ("out = 'alone'", None)]


def test_an_unchanged_build_runs_nothing_and_gives_the_same_html(directory):
    first, ran = build(directory, SESSION)
    assert first == ["<p>2</p>", "<p>20</p>", "<p>alone</p>"] and len(ran) == 3
    again, ran = build(directory, SESSION)
    assert again == first and ran == []


def test_a_changed_block_replays_the_cached_blocks_of_its_session_first(directory):
    build(directory, SESSION)
    edited = [SESSION[0], ("out = x * 100", "coin"), SESSION[2]]
    outputs, ran = build(directory, edited)
    assert outputs == ["<p>2</p>", "<p>200</p>", "<p>alone</p>"]
    assert ran == ["x = 2\nout = x", "out = x * 100"]


def test_a_changed_block_reruns_the_later_blocks_of_its_session(directory):
    build(directory, SESSION)
    outputs, ran = build(directory, [("x = 3\nout = x", "coin"), *SESSION[1:]])
    assert outputs == ["<p>3</p>", "<p>30</p>", "<p>alone</p>"]
    assert ran == ["x = 3\nout = x", "out = x * 10"]


def test_a_new_environment_runs_everything_again(directory):
    build(directory, SESSION)
    _, ran = build(directory, SESSION, environment="calcml changed")
    assert len(ran) == 3


def test_a_failing_block_is_not_cached(directory):
    blocks = [("out = undefined_name", None)]
    first, ran = build(directory, blocks)
    assert "NameError" in first[0] and len(ran) == 1
    _, ran = build(directory, blocks)
    assert len(ran) == 1, "a failure must show up again on the next build"


def test_entries_no_block_used_are_deleted(directory):
    build(directory, SESSION)
    build(directory, SESSION[:1])
    assert len(list(directory.glob("*.json"))) == 1
