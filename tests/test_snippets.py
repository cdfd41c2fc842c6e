"""Every ```python block a reader sees on a Markdown page runs as copied.

Each page's blocks run in order, in one fresh interpreter with calcml installed. Lines hidden
from readers with ``# markdown-exec: hide`` are left out, exactly as the page shows the code.
A markdown-exec block with no ``source`` option shows no code, so it is no snippet (the build
still runs it).
"""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\n]*)$")


def python_blocks(markdown: str) -> list[str]:
    """The code of each ```python block a reader sees, in page order."""
    blocks, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        i += 1
        if not opening:
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"]
        body = []
        while i < len(lines) and not (lines[i].strip() == fence and lines[i].startswith(indent)):
            body.append(lines[i])
            i += 1
        i += 1
        words = info.split()
        if not words or words[0] != "python":
            continue
        if 'exec="on"' in info and "source=" not in info:
            continue
        shown = [line for line in body if "# markdown-exec: hide" not in line]
        blocks.append(textwrap.dedent("\n".join(shown)))
    return blocks


PAGES = sorted(p for p in DOCS.rglob("*.md") if python_blocks(p.read_text()))


def test_pages_with_snippets_are_found():
    assert len(PAGES) >= 3, PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_snippets_run_as_copied(page, tmp_path):
    script = "\n\n".join(python_blocks(page.read_text()))
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{page}:\n{result.stderr}"


def test_extractor_keeps_visible_code_and_nested_blocks():
    page = textwrap.dedent("""
        ```python exec="on" source="above"
        a = 1
        print(a)  # markdown-exec: hide
        ```
        ```python exec="on" html="1"
        hidden = True
        ```
        ??? note
            ```python
            b = 2
            ```
        ```bash
        echo no
        ```
    """)
    assert python_blocks(page) == ["a = 1", "b = 2"]
