"""Recorded GPU results: stale when the benchmark code has changed, the file read back, the
recording script's merge and refusal, and the report of them on a page."""

import json

import pytest

from calcml import bench, benchmark_code_hash, gpu_records_report, load_gpu_records, mark_stale

HAS_GPU = bench._gpu_devices() != []


def record(code_hash, gpu=True):
    """A synthetic record, as scripts/record_gpu_benchmarks.py writes one."""
    devices = ["cpu:0 cpu"] + (["gpu:0 NVIDIA Test GPU"] if gpu else [])
    provenance = {"code_hash": code_hash, "gpu": gpu, "jax_devices": devices}
    provenance |= {"date": "2025-01-01T00:00:00+00:00", "jax": "0.7.0"}
    if code_hash is None:
        del provenance["code_hash"]
    return {"provenance": provenance, "derivatives": [], "gradients": [], "ratios": []}


def test_records_are_stale_when_the_code_hash_differs():
    records = [record("current"), record("older"), record(None), {"derivatives": []}]
    marked = mark_stale(records, code_hash="current")
    assert [r["stale"] for r in marked] == [False, True, True, True]
    assert all("stale" not in r for r in records)  # the records themselves are left alone


def test_records_are_compared_with_the_installed_code_by_default():
    marked = mark_stale([record(benchmark_code_hash()), record("0" * 64)])
    assert [r["stale"] for r in marked] == [False, True]


def test_a_record_that_is_not_a_dict_is_named():
    with pytest.raises(TypeError, match=r"^records\[1\] must be a dict, got list"):
        mark_stale([record("a"), []], code_hash="a")


def test_recorded_file_round_trip(tmp_path):
    path = tmp_path / "gpu.json"
    path.write_text(json.dumps({"records": [record(benchmark_code_hash()), record("old")]}))
    assert [r["stale"] for r in load_gpu_records(path)] == [False, True]
    assert load_gpu_records(tmp_path / "missing.json") == []


def test_the_shipped_records_load():
    records = load_gpu_records()
    assert isinstance(records, list)
    assert all(isinstance(r["stale"], bool) for r in records)


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "is not valid JSON"), ('{"records": 3}', "must hold")],
)
def test_a_malformed_records_file_is_named(tmp_path, text, message):
    path = tmp_path / "gpu.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=f"^path .*gpu.json.* {message}"):
        load_gpu_records(path)


def test_record_script_keeps_one_record_per_gpu_model():
    import record_gpu_benchmarks as script

    h100, a100 = record("a"), record("b")
    a100["provenance"]["jax_devices"] = ["cpu:0 cpu", "gpu:0 NVIDIA A100"]
    newer = record("c")
    merged = script.merge([h100, a100], newer)
    assert merged == [a100, newer]


@pytest.mark.skipif(HAS_GPU, reason="checks the refusal on a machine without a GPU")
def test_record_script_refuses_without_a_gpu(tmp_path, capsys):
    import record_gpu_benchmarks as script

    assert script.main(["--output", str(tmp_path / "gpu.json")]) == 2
    assert "no GPU" in capsys.readouterr().err
    assert not (tmp_path / "gpu.json").exists()
    assert script.main(["--allow-cpu"]) == 2  # never into the package


# --- The report -----------------------------------------------------------------------------


def suite_row(method, backend):
    return {"method": method, "backend": backend, "n": 100, "median": 1e-3}


def test_report_shows_each_gpu_record_with_its_gpu_rows_only():
    current = record(benchmark_code_hash())
    current["gradients"] = [suite_row("reverse", "cpu"), suite_row("reverse", "gpu")]
    on_cpu = record("x", gpu=False)
    text = gpu_records_report(mark_stale([current, record("old"), on_cpu]))
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3  # two GPU records, one table: CPU rows and CPU records left out
    assert "current: the benchmark code of this build" in paragraphs[0]
    assert paragraphs[1].startswith('<table class="calcml-timings"')
    assert "reverse on GPU" in paragraphs[1] and "on CPU" not in paragraphs[1]
    assert "**STALE**" in paragraphs[2] and "`old`" in paragraphs[2]


def test_report_says_when_nothing_is_recorded_and_what_this_build_found():
    assert gpu_records_report([]) == "**No GPU results have been recorded yet.**"
    found = gpu_records_report([], build={"gpu": True, "jax_backend": "gpu"})
    assert found.startswith("This build found a GPU")


@pytest.mark.parametrize(
    ("records", "error", "message"),
    [
        ([record("a")], ValueError, r"^records\[0\] lacks \['stale'\]"),
        ([[]], TypeError, r"^records\[0\] must be a dict, got list"),
    ],
)
def test_report_names_a_record_it_cannot_show(records, error, message):
    with pytest.raises(error, match=message):
        gpu_records_report(records)
