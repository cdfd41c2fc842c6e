"""GPU benchmark results recorded elsewhere: shipped with the package, marked when stale, reported.

CI builds the site without a GPU. ``scripts/record_gpu_benchmarks.py``, run on a machine with
one, stores its results with their [`provenance`][calcml.bench.provenance] in the package's
``gpu_benchmarks.json``. [`load_gpu_records`][calcml.bench_records.load_gpu_records] reads them
back, [`mark_stale`][calcml.bench_records.mark_stale] marks each one stale when the benchmark
code has changed since it ran (its [`benchmark_code_hash`][calcml.bench.benchmark_code_hash]
differs from the installed code's), and
[`gpu_records_report`][calcml.bench_records.gpu_records_report] presents them on a page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from calcml.bench import benchmark_code_hash
from calcml.bench_report import timing_table

GPU_RECORDS = "gpu_benchmarks.json"
_SUITES = ("derivatives", "gradients", "ratios")


def mark_stale(records: Iterable[dict], code_hash: str | None = None) -> list[dict]:
    """Copies of ``records``, each with ``stale``: whether its code hash differs from this one.

    A record is a dict with at least ``provenance``, itself holding ``code_hash``, the
    [`benchmark_code_hash`][calcml.bench.benchmark_code_hash] of the code it ran. A record
    without one is stale: nothing says which code it measured.

    Parameters
    ----------
    records : iterable of dict
        Benchmark records.
    code_hash : str, optional
        The hash to compare with; default: that of the code installed now.

    Returns
    -------
    list of dict
        The records, shallow copies, with ``stale`` set to ``True`` or ``False``.

    Raises
    ------
    TypeError
        If a record is not a dict.

    Examples
    --------
    >>> from calcml import mark_stale
    >>> records = [{"provenance": {"code_hash": "abc"}}, {"provenance": {"code_hash": "old"}}]
    >>> [record["stale"] for record in mark_stale(records, code_hash="abc")]
    [False, True]
    """
    current = benchmark_code_hash() if code_hash is None else code_hash
    marked = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise TypeError(f"records[{index}] must be a dict, got {type(record).__name__}")
        recorded = (record.get("provenance") or {}).get("code_hash")
        marked.append({**record, "stale": recorded is None or recorded != current})
    return marked


def load_gpu_records(path: str | os.PathLike | None = None) -> list[dict]:
    """GPU benchmark results recorded earlier, each marked stale or current.

    ``scripts/record_gpu_benchmarks.py`` writes them, on a machine with a GPU, into the file
    ``gpu_benchmarks.json`` of the package, as ``{"records": [record, ...]}``: each record holds
    the ``provenance`` of its run and the rows of the suites.

    Parameters
    ----------
    path : str or path-like, optional
        A records file to read instead of the package's.

    Returns
    -------
    list of dict
        The records, with ``stale`` set by [`mark_stale`][calcml.bench_records.mark_stale];
        empty when the file is missing or holds none.

    Raises
    ------
    ValueError
        If the file is not JSON of that shape.

    Examples
    --------
    >>> from calcml import load_gpu_records
    >>> isinstance(load_gpu_records(), list)
    True
    """
    if path is None:
        source = resources.files("calcml") / GPU_RECORDS
        text = source.read_text() if source.is_file() else None
    else:
        source = Path(path)
        text = source.read_text() if source.is_file() else None
    if text is None:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"path {str(source)!r} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("records", []), list):
        raise ValueError(f"path {str(source)!r} must hold {{'records': [...]}}")
    return mark_stale(data.get("records", []))


def gpu_records_report(records: Iterable[dict], build: dict[str, Any] | None = None) -> str:
    """Markdown of the GPU results recorded elsewhere, each marked current or **STALE**.

    For each record measured on a GPU: the GPU, when and with which JAX it was measured, whether
    the benchmark code has changed since, and a table of its GPU rows for each suite.

    Parameters
    ----------
    records : iterable of dict
        Records as [`load_gpu_records`][calcml.bench_records.load_gpu_records] returns them,
        each with ``provenance`` and ``stale``; those measured without a GPU are left out.
    build : dict, optional
        The [`provenance`][calcml.bench.provenance] of this build: when given, the report opens
        by saying whether this build measured on a GPU itself.

    Returns
    -------
    str
        Paragraphs and HTML tables ([`timing_table`][calcml.bench_report.timing_table]), or a
        line saying that no GPU results have been recorded.

    Raises
    ------
    TypeError
        If a record is not a dict.
    ValueError
        If a record lacks ``provenance`` or ``stale``.

    Examples
    --------
    >>> from calcml import gpu_records_report
    >>> print(gpu_records_report([], build={"gpu": False, "jax_backend": "cpu"}))
    **This build found no GPU** (JAX backend `cpu`): none of its rows was measured on a GPU.
    <BLANKLINE>
    **No GPU results have been recorded yet.**
    >>> about = {"gpu": True, "jax_devices": ["cpu:0 cpu", "gpu:0 NVIDIA H100"], "jax": "0.7.2"}
    >>> record = {"provenance": {**about, "date": "2025-06-01", "code_hash": "0123456789abcd"}}
    >>> print(gpu_records_report([{**record, "stale": True}]))  # doctest: +NORMALIZE_WHITESPACE
    **gpu:0 NVIDIA H100**, recorded 2025-06-01 with JAX 0.7.2, benchmark code `0123456789ab`:
    **STALE**: the benchmark code has changed since.
    """
    records = list(records)
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise TypeError(f"records[{index}] must be a dict, got {type(record).__name__}")
        missing = {"provenance", "stale"} - set(record)
        if missing:
            raise ValueError(
                f"records[{index}] lacks {sorted(missing)}: load it with load_gpu_records"
            )
    parts = []
    if build is not None and build.get("gpu"):
        parts.append("This build found a GPU: its rows were measured on it, beside the CPU's.")
    elif build is not None:
        parts.append(
            f"**This build found no GPU** (JAX backend `{build.get('jax_backend')}`): none of its"
            " rows was measured on a GPU."
        )
    records = [r for r in records if r["provenance"].get("gpu")]
    if not records:
        parts.append("**No GPU results have been recorded yet.**")
    for record in records:
        about = record["provenance"]
        if record["stale"]:
            status = "**STALE**: the benchmark code has changed since"
        else:
            status = "current: the benchmark code of this build"
        code = (about.get("code_hash") or "unknown")[:12]
        parts.append(
            f"**{about['jax_devices'][-1]}**, recorded {about['date']} with JAX"
            f" {about['jax']}, benchmark code `{code}`: {status}."
        )
        for suite in _SUITES:
            rows = [r for r in record.get(suite, []) if r["backend"] == "gpu"]
            if rows:
                parts.append(timing_table(rows, html=True))
    return "\n\n".join(parts)
