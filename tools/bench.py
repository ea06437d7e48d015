"""The build benchmark (issue 9): our build beside bare Pelican, measured.

For each size (1,000 and 10,000 synthetic members by default) it copies the
project into a temporary folder, writes that many members (tools/synthetic.py;
the real content is never touched) and measures, on the same files:

- our full build (``python -m tools.build``: validation, relationships,
  facet pages, search, data) and bare Pelican (its default theme, no plugins,
  its own Markdown reader) on a copy of the same Markdown files, as a ratio;
- ``make check`` alone (``python -m validation``);
- each of those three ``ROUNDS`` times, taking turns, keeping the best (this
  machine's speed drifts from minute to minute: best-of is the figure
  least disturbed by it), and printing every run;
- a rebuild after editing one profile, as ``make serve`` does it (the
  second build in the same process, which updates the site in place, with
  the garbage of each build collected after it, as ``make serve`` does while
  it waits for the next edit): once after adding a sentence to its text,
  once after changing its summary in the front matter, with the number of
  pages each rendered;
- the peak memory (largest resident set) of each;
- the size of the output, of what the search page downloads before its first
  result, and of the directory's first page (gzipped at level 6).

It prints a table, compares it with the targets, and writes the table with
the machine and the versions to ``docs/benchmarks.md`` (between the markers
there, so the written analysis around it stays).

    make bench                       # .venv/bin/python -m tools.bench
    .venv/bin/python -m tools.bench --members 1000 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

from tools.synthetic import ROOT, copy_project, write_members

SITE_TODAY = "2026-11-22"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
#: Targets at 10,000 members; at other sizes they scale in proportion.
TARGETS = {"ratio": 0.5, "check_s": 3.0, "rebuild_s": 2.0, "peak_mb": 1000.0}  # rebuild: issue 20
#: How many times each full build and make check run, taking turns.
ROUNDS = 2
SIZE_TARGETS = {"search_kb": (200, 1000), "first_page_kb": (100, 100)}  # (at 1,000, at 10,000)

BARE_SETTINGS = """
PATH = {path!r}
OUTPUT_PATH = {output!r}
ARTICLE_PATHS = []
PAGE_PATHS = ["members", "case_studies", "content"]
STATIC_PATHS = []
# Our files have no `title`; bare Pelican takes one from the file name so
# that it builds every page instead of skipping them.
FILENAME_METADATA = r"(?P<title>.*)"
# members/consortico.md and case_studies/consortico.md share a slug: keep
# each folder's pages apart, as our URLs do.
PATH_METADATA = r"(?P<section>.*)/[^/]*"
PAGE_URL = "{{section}}/{{slug}}/"
PAGE_SAVE_AS = "{{section}}/{{slug}}/index.html"
# Pelican's default theme lists every page in the menu of every page, which
# makes a site of pages quadratic (44 s for 1,000 members, against 5 s
# without); a fair baseline leaves that out.
DISPLAY_PAGES_ON_MENU = False
PLUGINS = []
PLUGIN_PATHS = []
TIMEZONE = "Europe/London"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""

REBUILD_PROBE = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, os.getcwd())
from tools.build import build, tidy
import incremental

def timed(label):
    started = time.perf_counter()
    assert build(output={output!r}, overrides={{"PATH": os.getcwd()}}, quiet=True) == 0
    print(f"{{label}} {{time.perf_counter() - started:.3f}} {{incremental.last_build_rendered()}}")
    tidy()  # as make serve does after each build, before the next edit

timed("FIRST")
profile = Path({profile!r})
text = profile.read_text(encoding="utf-8")
profile.write_text(text + "\\nEdited for the rebuild benchmark.\\n", encoding="utf-8")
timed("REBUILD")
# The front matter alone: the text stays as the last edit left it.
edited = profile.read_text(encoding="utf-8")
profile.write_text(edited.replace("\\nsummary: ", "\\nsummary: Edited for the rebuild benchmark. ", 1), encoding="utf-8")
timed("REBUILD_META")
"""


def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, str]:
    """Run ``command``; return its wall time in seconds, its peak resident
    memory in MB and its output. Fails loudly if it fails."""
    environment = {**os.environ, "SITE_TODAY": SITE_TODAY, "SITEURL": "", "PYTHONPATH": str(cwd / "plugins"),
                   **(env or {})}
    environment.pop("GITHUB_ACTIONS", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd} (exit {process.returncode}):\n{output[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, output


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"])


def page_weight(output: Path, page: str, extra: list[str] = ()) -> int:
    """Gzipped bytes of a page, its scripts and stylesheets, and ``extra`` files."""
    html = output / page
    parser = _Assets()
    parser.feed(html.read_text(encoding="utf-8"))
    files = [html, *(output / url.split("?")[0].lstrip("/") for url in parser.urls), *(output / e for e in extra)]
    return sum(gz(f) for f in dict.fromkeys(files))


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def measure(count: int, work: Path, rounds: int = ROUNDS) -> dict:
    project = copy_project(work / "project")
    (project / ".venv").symlink_to(ROOT / ".venv")
    write_members(project / "members", count)
    python = sys.executable
    figures = {"members": count}

    bare = copy_project(work / "bare")
    shutil.rmtree(bare / "members")
    shutil.copytree(project / "members", bare / "members")
    # This machine's speed drifts from minute to minute, so the two builds
    # (and make check) take turns, each into a fresh folder, ``rounds``
    # times; the figures are the best of each, the least disturbed.
    runs = {"bare": [], "build": [], "check": []}
    for number in range(rounds):
        settings = f"bare_settings_{number}.py"
        (bare / settings).write_text(BARE_SETTINGS.format(path=str(bare), output=str(work / f"bare-out-{number}")))
        runs["bare"].append(run([python, "-m", "pelican", "-s", settings, "-q"], bare))
        output = work / f"output-{number}"
        runs["build"].append(run([python, "-m", "tools.build", "--output", str(output)], project))
        runs["check"].append(run([python, "-m", "validation"], project))
    for name, measured in runs.items():
        figures[f"{name}_s"] = min(seconds for seconds, _, _ in measured)
        figures[f"{name}_mb"] = max(megabytes for _, megabytes, _ in measured)
        figures[f"{name}_runs"] = [seconds for seconds, _, _ in measured]
    profile = sorted((project / "members").glob("*.md"))[count // 2]
    probe = REBUILD_PROBE.format(output=str(work / "rebuild-out"), profile=str(profile))
    _, figures["rebuild_mb"], printed = run([python, "-c", probe], project)
    for label, key in (("REBUILD", "rebuild"), ("REBUILD_META", "rebuild_meta")):
        found = re.search(rf"^{label} ([0-9.]+) ([0-9]+)$", printed, re.MULTILINE)
        figures[f"{key}_s"], figures[f"{key}_pages"] = float(found.group(1)), int(found.group(2))

    figures["output_mb"] = folder_bytes(output) / 1e6
    figures["output_files"] = sum(1 for f in output.rglob("*") if f.is_file())
    figures["search_kb"] = page_weight(output, "search/index.html", ["search/index.json"]) / 1000
    figures["first_page_kb"] = page_weight(output, "members/index.html") / 1000
    figures["ratio"] = figures["build_s"] / figures["bare_s"]
    return figures


def runs_line(row: dict) -> str:
    """Every timing behind a row's best-of figures, in the order they ran."""
    def listed(name):
        return ", ".join(f"{seconds:.1f}" if name != "check" else f"{seconds:.2f}" for seconds in row[f"{name}_runs"])
    return (f"- {row['members']:,} members, best of {len(row['build_runs'])} runs taking turns: our build "
            f"{listed('build')} s; bare Pelican {listed('bare')} s; make check {listed('check')} s.")


def scaled(target: float, members: int) -> float:
    return target * members / 10_000


def verdicts(row: dict) -> list[str]:
    n = row["members"]
    small = n <= 1_000
    checks = [
        ("full build ÷ bare Pelican", row["ratio"], TARGETS["ratio"], "{:.2f}"),
        ("make check (s)", row["check_s"], scaled(TARGETS["check_s"], n), "{:.2f}"),
        ("rebuild after editing a profile's text (s)", row["rebuild_s"], scaled(TARGETS["rebuild_s"], n), "{:.2f}"),
        ("rebuild after editing a profile's front matter (s)", row["rebuild_meta_s"], scaled(TARGETS["rebuild_s"], n),
         "{:.2f}"),
        ("peak memory (MB)", max(row["build_mb"], row["rebuild_mb"]), TARGETS["peak_mb"], "{:.0f}"),
        ("search download (KB gz)", row["search_kb"], SIZE_TARGETS["search_kb"][0 if small else 1], "{:.0f}"),
        ("directory first page (KB gz)", row["first_page_kb"], SIZE_TARGETS["first_page_kb"][0 if small else 1],
         "{:.0f}"),
    ]
    lines = []
    for label, value, target, form in checks:
        met = value <= target
        miss = "" if met else f", misses by {(value / target - 1) * 100:.0f}%"
        lines.append(f"- {n:,} members, {label}: {form.format(value)} against at most {form.format(target)}: "
                     f"{'met' if met else 'MISSED'}{miss}")
    return lines


def table(rows: list[dict]) -> str:
    head = ("| members | our build (s) | bare Pelican (s) | ratio | make check (s) | "
            "rebuild after editing a profile's text (s, pages rendered) | "
            "rebuild after editing its front matter (s, pages rendered) | "
            "peak memory build / bare / rebuild (MB) | output (MB, files) | search download (KB gz) | "
            "/members/ first page (KB gz) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    body = [f"| {r['members']:,} | {r['build_s']:.1f} | {r['bare_s']:.1f} | {r['ratio']:.2f} | {r['check_s']:.2f} | "
            f"{r['rebuild_s']:.2f}, {r['rebuild_pages']:,} | {r['rebuild_meta_s']:.2f}, {r['rebuild_meta_pages']:,} | "
            f"{r['build_mb']:.0f} / {r['bare_mb']:.0f} / {r['rebuild_mb']:.0f} | "
            f"{r['output_mb']:.0f}, {r['output_files']:,} | {r['search_kb']:.0f} | {r['first_page_kb']:.0f} |"
            for r in rows]
    return "\n".join([head, *body])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import yaml

    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("pelican", "Markdown", "PyYAML", "lunr",
                                                                          "Jinja2", "jsonschema"))
    return (f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({cpu}), "
            f"{memory:.0f} GiB, {platform.system()} {platform.release()}; Python {platform.python_version()}; "
            f"{versions}; libyaml {'yes' if yaml.__with_libyaml__ else 'no'}.")


def write_doc(text: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in current:
        current += f"\n{BEGIN}\n{END}\n"
    before, rest = current.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--no-write", action="store_true", help=f"do not update {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    rows = []
    for count in args.members:
        print(f"Measuring {count:,} members...", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"bench-{count}-") as folder:
            rows.append(measure(count, Path(folder)))
    result = "\n".join([machine(), "", table(rows), "", *[runs_line(row) for row in rows], "",
                        *[line for row in rows for line in verdicts(row)]])
    print(result)
    if not args.no_write:
        write_doc(result)
        print(f"\nWrote the figures to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
