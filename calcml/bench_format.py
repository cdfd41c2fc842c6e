"""Benchmark numbers in words: a duration in its unit, a size as a power of ten, a ratio.

[`format_seconds`][calcml.bench_format.format_seconds] writes ``"239 ms"``,
[`format_size`][calcml.bench_format.format_size] ``"10⁶"`` and
[`format_ratio`][calcml.bench_format.format_ratio] ``"3.2× slower"``: the tables of
[`calcml.bench_report`][calcml.bench_report] use them, and so can sentences that quote a
benchmark.
"""

from __future__ import annotations

import math
from numbers import Real

from calcml._checks import check_int

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_seconds(seconds: float) -> str:
    """A duration in the unit that suits it, to 3 significant digits.

    Parameters
    ----------
    seconds : float
        A non-negative duration.

    Returns
    -------
    str
        For example ``"5.72 µs"``, ``"239 ms"``, ``"1.5 s"``, ``"10 min"`` or ``"2.78 h"``.

    Raises
    ------
    ValueError
        If ``seconds`` is negative or not a finite number.

    Examples
    --------
    >>> from calcml import format_seconds
    >>> format_seconds(5.72e-6), format_seconds(0.2391), format_seconds(600), format_seconds(1e4)
    ('5.72 µs', '239 ms', '10 min', '2.78 h')
    """
    if isinstance(seconds, bool) or not isinstance(seconds, Real) or not 0 <= seconds < math.inf:
        raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
    units = (("h", 3600.0), ("min", 60.0), ("s", 1.0), ("ms", 1e-3), ("µs", 1e-6))
    for unit, scale in units:
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_size(n: int) -> str:
    """A size ``n``: a power of ten from 100 up as ``10²``, ``10³``, ...; others with commas.

    Parameters
    ----------
    n : int
        A size, at least 1.

    Returns
    -------
    str
        For example ``"10⁶"``, ``"10"`` or ``"2,500"``.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 1.

    Examples
    --------
    >>> from calcml import format_size
    >>> format_size(10**6), format_size(10), format_size(2500)
    ('10⁶', '10', '2,500')
    """
    n = check_int("n", n, 1)
    k = round(math.log10(n))
    if 10**k == n and k > 1:
        return f"10{str(k).translate(_SUPERSCRIPTS)}"
    return f"{n:,}"


def format_ratio(ratio: float) -> str:
    """A time ratio in words: ``"3.2× slower"`` for 3.2, ``"2.0× faster"`` for 0.5.

    Parameters
    ----------
    ratio : float
        One time over another, a positive number.

    Returns
    -------
    str
        How many times slower (ratio >= 1) or faster (ratio < 1) the first time is.

    Raises
    ------
    ValueError
        If ``ratio`` is not a positive finite number.

    Examples
    --------
    >>> from calcml import format_ratio
    >>> format_ratio(3.21), format_ratio(0.5), format_ratio(1.0)
    ('3.2× slower', '2.0× faster', '1.0× slower')
    """
    if isinstance(ratio, bool) or not isinstance(ratio, Real) or not 0 < ratio < math.inf:
        raise ValueError(f"ratio must be a positive finite number, got {ratio!r}")
    if ratio >= 1:
        return f"{ratio:.1f}× slower"
    return f"{1 / ratio:.1f}× faster"
