"""Benchmark hostile content (issue 19): how long ``make check``, the
renderer and the build take on the profiles that once stalled them.

    python -m tools.bench_hostile              # make check and the renderer for every case
    python -m tools.bench_hostile --build      # and the whole build of the site with each case added

Each case is one member profile added to a copy of the real project. Every
figure is measured in this run (the best of ``--runs`` runs): ``make check``
as a fresh process, the body's render in this one, and with ``--build``
``make build``'s own process; with the exit status, so a refused case shows
as refused. The targets: ``make check`` within a few seconds and the build
within a minute for any content file of 1 MB or less.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.synthetic import copy_project, example_profile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

SUMMARY = "An example profile for the hostile-content benchmark, made up for it."


def _member(name: str, body: str, summary: str = SUMMARY) -> str:
    return example_profile(f"Example {name}", summary, body)


#: name → (what it is, the profile's text)
CASES = {
    "plain": ("a plain profile, for comparison", _member("Plain", "Plain text. " * 200 + "\n")),
    "backticks": ("3 KB: a line of 2,000 backticks after some text",
                  _member("Backticks", "Some text " + "`" * 2000 + "\n" + "More text. " * 60 + "\n")),
    "heading-of-spaces": ("a heading of 3,000 spaces, linked to from itself",
                          _member("Heading Of Spaces", "## Our work" + " " * 3000 + "x\n\n"
                                  "See [it](/members/example-heading-of-spaces/#our-work-x).\n")),
    "field-of-spaces": ("a field value of 100,000 spaces after '<'",
                        _member("Field Of Spaces", "Text.\n", '"Example <' + " " * 100000 + '."')),
    "reference-of-spaces": ("a link definition of 100,000 spaces", _member("Reference Of Spaces",
                                                                           "[a]:" + " " * 100000 + "\n")),
    "unclosed-fence": ("81 KB after a code fence never closed",
                       _member("Unclosed Fence", "```\n" + "[a *b " * 13500 + "\n")),
    "many-unclosed-fences": ("600 KB: 100,000 code fences never closed",
                             _member("Many Unclosed Fences", "```a\n\n" * 100000)),
    "many-headings": ("1 MB: headings that share one name, one a line",
                      _member("Many Headings", "# a\n\n" * 200000)),
    "long-headings": ("1 MB: 200 headings of 5,000 characters (valid)",
                      _member("Long Headings", ("# " + "a b " * 1200 + "\n\n") * 200)),
    "long-links": ("1 MB: 240 links of 4,000 characters (valid)",
                   _member("Long Links", ("[a](https://example.org/" + "a" * 4000 + ")\n\n") * 240)),
    "long-code-block": ("1 MB: one code block of markup-like text (valid)",
                        _member("Long Code Block", "```\n" + "<script>[a](javascript:x) *a* `b`\n" * 28000 + "```\n")),
}


def _environment(project: Path) -> dict:
    env = {**os.environ, "SITE_TODAY": "2026-11-22", "SITEURL": "", "PYTHONPATH": str(project / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    return env


def _timed(command: list[str], project: Path, runs: int) -> tuple[float, int]:
    best, status = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        status = subprocess.run(command, cwd=project, env=_environment(project), capture_output=True,
                                timeout=900).returncode
        best = min(best, time.perf_counter() - started)
    return best, status


def _render_seconds(text: str, runs: int) -> float:
    from frontmatter.render import Renderer

    body = text.split("\n---\n", 1)[1]
    renderer = Renderer()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        try:
            renderer.render(body)
        except Exception:  # noqa: BLE001 - the figure is the time, whatever the answer
            pass
        best = min(best, time.perf_counter() - started)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make bench-hostile", description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="also time the whole build with each case")
    parser.add_argument("--runs", type=int, default=2, help="runs per figure; the best is shown (default 2)")
    parser.add_argument("--render-all", action="store_true",
                        help="also render the bodies make check refuses (Python-Markdown's own time, can be minutes)")
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"only these cases (of: {', '.join(CASES)})")
    args = parser.parse_args(argv)
    unknown = [case for case in args.cases if case not in CASES]
    if unknown:
        parser.error(f"no case {', '.join(unknown)}; the cases are: {', '.join(CASES)}")
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        project = copy_project(Path(folder) / "project")
        print(f"{'case':22} {'size':>8} {'make check':>11} {'render':>8} {'build':>9}  what")
        for name in args.cases or CASES:
            what, text = CASES[name]
            path = project / "members" / f"example-{name}.md"
            path.write_text(text, encoding="utf-8")
            try:
                check, status = _timed([sys.executable, "-m", "validation"], project, args.runs)
                verdict = "refused" if status else "passed"
                render = (f"{_render_seconds(text, args.runs):7.2f}s" if status == 0 or args.render_all
                          else "      -")
                build = "        -"
                if args.build:
                    seconds, built = _timed([sys.executable, "-m", "tools.build", "--output", str(project / "output")],
                                            project, 1)
                    build = f"{seconds:7.1f}s{'!' if built else ' '}"
                print(f"{name:22} {len(text.encode()) / 1024:6.0f}KB {check:9.2f}s {verdict[0]} {render} {build}  {what}"
                      f" ({verdict})", flush=True)
            finally:
                path.unlink()
    print("make check: the best of the runs, exit status p(assed) or r(efused); render: Python-Markdown and nh3 on "
          "the body alone, for bodies make check passes; build: make build of the whole site with the case, '!' "
          "when it was refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
