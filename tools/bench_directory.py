"""Benchmark the member directory at scale (issue 5): build N synthetic
members and measure, in Chromium, what a visitor downloads and waits for.

    python -m tools.bench_directory --members 1000 10000
    python -m tools.bench_directory --members 10000 --keep /tmp/directory-10k
    python -m tools.bench_directory --measure /tmp/directory-10k   # no build

Prints a table; every figure is measured in this run. A filter change is
timed in the page from the click to the next frame: the click, the list and
counts being rebuilt, then style, layout and paint (two animation frames,
so the first frame after the click has been rendered).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.synthetic import copy_project, write_members

TARGETS = {"first_page_kb": 100, "filter_data_kb": 500, "filter_ms": 100}
#: The filters clicked, each twice (on, then off again later), mixing a small
#: group, the largest one (areas) and a yes/no filter.
CLICKS = ("#filter-service-youth-services", "#filter-area-leeds", "#filter-lead",
          "#filter-service-health-and-wellbeing", "#filter-area-yorkshire-and-the-humber",
          "#filter-service-youth-services", "#filter-area-leeds", "#filter-lead",
          "#filter-service-health-and-wellbeing", "#filter-area-yorkshire-and-the-humber")
#: Runs in the page: clicks a box and resolves, in milliseconds, once the
#: frame after the click has been rendered. It starts just after a frame, so
#: that the click does not wait for one already under way.
TIME_A_CLICK = """async selector => {
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    const box = document.querySelector(selector);
    if (!box) { throw new Error("no " + selector + " on the page"); }
    await frame();
    const started = performance.now();
    box.click();
    await frame();  // style, layout and paint of this frame follow its callbacks
    await frame();  // ...and are done by the next one
    return performance.now() - started;
}"""


def gz_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), 6)) / 1024


def build(project: Path, output: Path) -> float:
    env = {**os.environ, "SITE_TODAY": "2026-11-22", "SITEURL": "", "PYTHONPATH": str(project / "plugins")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tools.build", "--output", str(output)], cwd=project, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - started


def measure_filtering(output: Path) -> dict:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-background-networking"])
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/members/")
            page.wait_for_selector(".app-directory--live")
            ready_ms = (time.perf_counter() - started) * 1000
            timings = []
            for box in CLICKS:
                if page.query_selector(box) is None:
                    continue  # a vocabulary without this value
                timings.append(page.evaluate(TIME_A_CLICK, box))
            browser.close()
    finally:
        server.shutdown()
    timings.sort()
    return {"ready_ms": ready_ms, "filter_ms_median": timings[len(timings) // 2], "filter_ms_max": timings[-1]}


def measure(output: Path, count: int, seconds: float | None) -> dict:
    figures = {
        "members": count,
        "build_s": seconds,
        "first_page_kb": gz_kb(output / "members" / "index.html"),
        "filter_data_kb": gz_kb(output / "members" / "filter-data.json"),
        "filter_data_raw_kb": (output / "members" / "filter-data.json").stat().st_size / 1024,
    }
    figures.update(measure_filtering(output))
    return figures


def run(count: int, keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-directory-") as folder:
        project = copy_project(Path(folder) / "project")
        write_members(project / "members", count)
        output = Path(folder) / "output"
        seconds = build(project, output)
        figures = measure(output, count, seconds)
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(output, keep)
        return figures


def members_in(output: Path) -> int:
    import json

    return len(json.loads((output / "members" / "filter-data.json").read_text(encoding="utf-8"))["members"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="copy the largest build's output here, to --measure it again later")
    parser.add_argument("--measure", type=Path, metavar="FOLDER",
                        help="measure a site built before (with --keep) instead of building")
    args = parser.parse_args(argv)
    if args.measure:
        rows = [measure(args.measure, members_in(args.measure), None)]
    else:
        largest = max(args.members)
        rows = [run(n, args.keep if n == largest else None) for n in args.members]
    print("| members | build (s) | /members/ first page (KB gz) | filter data (KB gz / raw) | page ready (ms) | "
          "filter change median / max (ms) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        build_s = "(not built)" if r["build_s"] is None else f"{r['build_s']:.1f}"
        print(f"| {r['members']:,} | {build_s} | {r['first_page_kb']:.1f} | "
              f"{r['filter_data_kb']:.0f} / {r['filter_data_raw_kb']:.0f} | {r['ready_ms']:.0f} | "
              f"{r['filter_ms_median']:.1f} / {r['filter_ms_max']:.1f} |")
    largest = max(rows, key=lambda r: r["members"])
    print(f"\nTargets at {largest['members']:,} members: first page < {TARGETS['first_page_kb']} KB gz "
          f"({'met' if largest['first_page_kb'] < TARGETS['first_page_kb'] else 'MISSED'}), filter data "
          f"< {TARGETS['filter_data_kb']} KB gz ({'met' if largest['filter_data_kb'] < TARGETS['filter_data_kb'] else 'MISSED'}), "
          f"filter change < {TARGETS['filter_ms']} ms ({'met' if largest['filter_ms_max'] < TARGETS['filter_ms'] else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
