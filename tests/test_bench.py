"""make bench (tools/bench.py) runs, on a small synthetic project, and
measures what it says it does."""

from __future__ import annotations

from tools import bench, bench_parallel


def test_the_benchmark_measures_a_small_project(tmp_path):
    row = bench.measure(40, tmp_path)
    assert row["members"] == 40
    for key in ("build_s", "bare_s", "check_s", "rebuild_s", "rebuild_meta_s", "search_kb", "first_page_kb"):
        assert row[key] > 0, key
    assert row["ratio"] == row["build_s"] / row["bare_s"]
    # Each full build and make check ran ROUNDS times; the figure is the best.
    for name in ("build", "bare", "check"):
        assert len(row[f"{name}_runs"]) == bench.ROUNDS >= 2
        assert row[f"{name}_s"] == min(row[f"{name}_runs"])
    assert "best of 2 runs taking turns" in bench.runs_line(row)
    # The text edit renders the profile's page alone; the summary edit, the
    # pages that show it (its profile and the directory pages listing it).
    assert row["rebuild_pages"] == 1
    assert 1 < row["rebuild_meta_pages"] < 40
    lines = bench.verdicts(row)
    assert any("rebuild after editing a profile's front matter" in line for line in lines)
    assert "| 40 |" in bench.table([row])


def test_the_parallel_benchmark_times_shared_work_and_a_stopped_failure():
    work = bench_parallel.shared_work(items=40, chunk=5, chunk_s=0.0005)
    assert work["chunks"] == 8 and sum(work["chunks_per_process"]) == 8
    assert work["alone_s"] > 0 and work["both_s"] > 0 and work["speed_up"] == work["alone_s"] / work["both_s"]
    failure = bench_parallel.failure_here(items=40, chunk=5, chunk_s=0.0005)
    assert failure["stopped_s"] > 0 and failure["rest_alone_s"] == 7 * 0.0005
    shared, stopped = bench_parallel.report(work, failure)
    assert shared.startswith("Shared work (8 chunks") and "chunks each process did" in shared
    assert stopped.startswith("A failure in this process stopped the shared work after")
