"""A disk cache for markdown-exec: a lesson's code blocks run again only when their inputs change.

markdown-exec runs every ``exec="on"`` block on every build, so each save under ``mkdocs serve``
re-ran (and re-drew the figures of) every lesson. The cache keys a block's HTML on its code, its
options, the code of the blocks before it in the same ``session``, and the notebooks' own
environment key (every file of ``calcml/``, the lock file, the Python version). A block whose
key is unchanged is not run.

Sessions share state between blocks, so a block that has to run after cached blocks of its
session first replays them (their output is discarded), and sees the state it would have had.
A block whose execution logged a warning or an error is never cached.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any


class _Warnings(logging.Handler):
    """Counts the warnings and errors markdown-exec logs (it logs a failed block, not raises)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class ExecCache:
    """Wraps markdown-exec's fence formatter; one instance per build.

    Parameters
    ----------
    directory : Path
        Where the cached HTML lives, one small JSON file per block.
    environment : str
        The key of everything the code can import (``build_docs.environment_key``).
    """

    def __init__(self, directory: Path, environment: str) -> None:
        self.directory = directory
        self.environment = environment
        # Per session: the key chain so far, and the blocks served from the cache since the
        # session last ran for real (to replay before a block that must run).
        self.chains: dict[str, str] = {}
        self.skipped: dict[str, list[Callable[[], Any]]] = {}
        self.used: set[Path] = set()
        self.warnings = _Warnings()
        logging.getLogger("mkdocs.plugins.markdown_exec").addHandler(self.warnings)

    def wrap(self, formatter: Callable[..., str]) -> Callable[..., str]:
        def cached(src: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
            session = options.get("session")
            described = json.dumps(
                [language, class_name, options, src], sort_keys=True, default=str
            )
            previous = self.chains.get(session, "") if session else ""
            key = hashlib.sha256(
                f"{self.environment}\0{previous}\0{described}".encode()
            ).hexdigest()
            if session:
                self.chains[session] = key

            def run() -> str:
                return formatter(src, language, class_name, options, md, **kwargs)

            path = self.directory / f"{key}.json"
            self.used.add(path)
            if path.exists():
                if session:
                    self.skipped.setdefault(session, []).append(run)
                return json.loads(path.read_text())["html"]
            for replay in self.skipped.pop(session, []) if session else []:
                replay()
            before = self.warnings.count
            html = run()
            if self.warnings.count == before:
                self.directory.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".partial")
                partial.write_text(json.dumps({"html": str(html)}))
                partial.replace(path)
            return html

        return cached

    def close(self) -> None:
        """Stop counting warnings, and delete the entries this build did not use.

        Every build renders every page, so an entry no page used belongs to code since edited.
        """
        logging.getLogger("mkdocs.plugins.markdown_exec").removeHandler(self.warnings)
        for path in self.directory.glob("*.json"):
            if path not in self.used:
                path.unlink(missing_ok=True)
