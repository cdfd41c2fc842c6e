"""Benchmark numbers in words: each duration in its unit, powers of ten as powers, ratios that
read back as the ratio, and the argument errors."""

import pytest

from calcml import format_ratio, format_seconds, format_size


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0, "0 ns"), (3e-9, "3 ns"), (5.72e-6, "5.72 µs"), (0.2391, "239 ms"), (1.5, "1.5 s")]
    + [(90.0, "1.5 min"), (7200.0, "2 h")],
)
def test_format_seconds_picks_the_unit(seconds, text):
    assert format_seconds(seconds) == text


@pytest.mark.parametrize("seconds", [-1.0, float("inf"), float("nan"), "1", True])
def test_format_seconds_names_a_bad_duration(seconds):
    with pytest.raises(ValueError, match=r"^seconds must be a finite number >= 0"):
        format_seconds(seconds)


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1"), (10, "10"), (100, "10²"), (10**6, "10⁶"), (10**12, "10¹²"), (2500, "2,500")],
)
def test_format_size_writes_powers_of_ten_as_powers(n, text):
    assert format_size(n) == text


@pytest.mark.parametrize("n", [0, -10, 2.0, "10", True])
def test_format_size_names_a_bad_size(n):
    with pytest.raises(ValueError, match=r"^n must be an integer >= 1, got "):
        format_size(n)


@pytest.mark.parametrize("ratio", [0.25, 0.9, 1.0, 3.21, 1e4])
def test_format_ratio_reads_back_as_the_ratio(ratio):
    """ "k× slower" means a ratio k, "k× faster" a ratio 1/k, to the one decimal shown."""
    number, word = format_ratio(ratio).split("× ")
    assert (float(number) if word == "slower" else 1 / float(number)) == pytest.approx(
        ratio, rel=0.05
    )
    assert word == ("slower" if ratio >= 1 else "faster")


@pytest.mark.parametrize("ratio", [0, -1.0, float("inf"), float("nan"), "2", True])
def test_format_ratio_names_a_bad_ratio(ratio):
    with pytest.raises(ValueError, match=r"^ratio must be a positive finite number, got "):
        format_ratio(ratio)
