"""Fixtures shared by the tests: the project root and a site built by the real build script."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so CI and a contributor see the same result.
settings.register_profile("calcml", derandomize=True, deadline=None)
settings.load_profile("calcml")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_docs  # noqa: E402


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site, built once per session by scripts/build_docs.py into a temporary folder.

    It shares the notebook cache with `make docs`, so only stale notebooks execute.
    """
    site = tmp_path_factory.mktemp("built") / "site"
    assert build_docs.main(["--site-dir", str(site)]) == 0
    return site
