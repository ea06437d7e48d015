"""Search at scale, measured: issue 6's benchmark.

For each size (1,000 and 10,000 generated members by default) it copies the
project into a temporary folder, adds that many synthetic members (the real
content stays as it is), builds the site and prints:

- the index build time (lunr, Python) beside the whole build's;
- the bytes, raw and gzipped, a browser downloads before the first result
  of /search/?q=… (page, CSS, scripts, first index), and each search file;
- in Debian's Chromium, with the real lunr.js: the time to load the index
  (median of fresh page loads) and to answer each keystroke of a few
  typed queries, and the time to fetch the members' full text on demand.

It then compares the figures with the targets. Nothing is written into the
project. Run it with ``make bench`` or:

    .venv/bin/python -m tools.bench_search [--members 1000 10000] [--json figures.json]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

KB = 1000
#: members -> (most gzipped bytes before the first result, slowest keystroke in ms or None)
TARGETS = {1_000: (200 * KB, None), 10_000: (1000 * KB, 50.0)}
FIRST_QUERY = "Leeds"
TYPED_QUERIES = ["leeds", "community care", "youth services", "{charity_number}", "hub and spoke"]
FULL_TEXT_QUERY = "trustees"  # only in members' body text (tools/synthetic.py)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SITE_TODAY = "2026-11-22"


# -- building ---------------------------------------------------------------------


def build_site(project: Path, output: Path) -> dict:
    """Build ``project`` into ``output`` in this process, timing the whole
    build and the search plugin's parts."""
    import search_index.files as files
    import search_index.writer as writer
    from tools.build import build

    timings = {"documents": 0.0, "lunr_first": 0.0, "lunr_shards": 0.0, "search_files": 0.0}

    def timed(function, key, shard_key=None):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                if shard_key and args and [name for name, _ in args[0]] == ["body"]:
                    timings[shard_key] += elapsed
                else:
                    timings[key] += elapsed
        return wrapper

    originals = (writer.search_documents, writer.search_files, files.packed_index)
    writer.search_documents = timed(writer.search_documents, "documents")
    writer.search_files = timed(writer.search_files, "search_files")
    files.packed_index = timed(files.packed_index, "lunr_first", "lunr_shards")
    os.environ.update({"SITEURL": "", "SITE_TODAY": SITE_TODAY})
    started = time.perf_counter()
    try:
        # The index is built in this process (not beside the pages, as a
        # large build does), so that its parts can be timed here.
        status = build(output=str(output), overrides={"PATH": str(project), "SEARCH_BACKGROUND_FROM": 10**9},
                       quiet=True)
    finally:
        writer.search_documents, writer.search_files, files.packed_index = originals
    timings["site"] = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"the build of {project} failed (exit status {status})")
    return timings


def file_sizes(output: Path) -> dict:
    index = json.loads((output / "search" / "index.json").read_text(encoding="utf-8"))
    sizes = {"index.json": _sizes(output / "search" / "index.json")}
    for shard in index["shards"]:
        sizes[shard["url"]] = _sizes(output / "search" / shard["url"])
    return {"documents": len(index["docs"]), "files": sizes, "shards": index["shards"]}


def _sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


# -- measuring in Chromium -----------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def first_result(browser, base: str, output: Path) -> dict:
    """One fresh visit of /search/?q=FIRST_QUERY: what was downloaded
    before the first result showed, and how long things took."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/search/?q={quote(FIRST_QUERY)}")
    page.wait_for_selector(".app-search-result", timeout=120_000)
    timing = page.evaluate("""() => {
        const answer = performance.getEntriesByName("app-search:first-answer")[0];
        const shown = answer.startTime + answer.duration;
        const navigation = performance.getEntriesByType("navigation")[0];
        const resources = performance.getEntriesByType("resource")
            .filter(entry => entry.responseEnd <= shown)
            .map(entry => [entry.name, entry.encodedBodySize]);
        return {
            shown: shown,
            load: performance.getEntriesByName("app-search:load-index")[0].duration,
            fetchAndLoad: performance.getEntriesByName("app-search:fetch-and-load-index")[0].duration,
            downloads: [[navigation.name, navigation.encodedBodySize]].concat(resources),
        };
    }""")
    top = page.eval_on_selector_all(".app-search-result__link", "links => links.slice(0, 5).map(a => a.pathname)")
    context.close()
    if errors:
        raise SystemExit(f"page errors on the search page: {errors}")
    downloads = []
    for url, raw in timing["downloads"]:
        path = output / urlsplit(url).path.lstrip("/")
        if path.is_dir() or str(urlsplit(url).path).endswith("/"):
            path = path / "index.html"
        zipped = len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else raw
        downloads.append((urlsplit(url).path, raw, zipped))
    return {"shown_ms": timing["shown"], "load_ms": timing["load"], "fetch_and_load_ms": timing["fetchAndLoad"],
            "downloads": downloads, "top": top}


def keystrokes(browser, base: str, members: int) -> dict:
    """Type each query a key at a time; per key, the time from the input
    event to the results being on the page, and search.js's own measure of
    searching and rendering."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/search/")
    page.wait_for_function("performance.getEntriesByName('app-search:load-index').length > 0", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.evaluate("""() => document.querySelector('#app-search-q').addEventListener('input',
        () => { window.benchInputAt = performance.now(); })""")
    field = page.locator("#app-search-q")
    per_query = {}
    # A generated member's charity number (tools/synthetic.py numbers them from 1000001).
    queries = [query.format(charity_number=f"{1_000_000 + max(1, members // 2):07d}") for query in TYPED_QUERIES]
    for query in queries:
        field.fill("")
        page.wait_for_timeout(50)
        times = []
        for character in query:
            page.evaluate("performance.clearMeasures('app-search:answer')")
            page.keyboard.type(character)
            page.wait_for_function("performance.getEntriesByName('app-search:answer').length > 0")
            key_to_results, search_and_render = page.evaluate("""() => {
                const answer = performance.getEntriesByName('app-search:answer')[0];
                return [answer.startTime + answer.duration - window.benchInputAt, answer.duration]; }""")
            times.append((character, key_to_results, search_and_render))
        count = page.locator(".app-search__count").text_content() if page.locator(".app-search__count").count() else ""
        per_query[query] = {"keys": times, "results": count}
    context.close()
    return per_query


def full_text_on_demand(browser, base: str, shards: list[dict]) -> dict:
    """Search for a word only the members' body text holds; how long until
    the members' shard is loaded and searched."""
    members = next((shard for shard in shards if shard["name"] == "members"), None)
    if members is None or members["prefetch"]:
        return {"prefetched": True}
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/search/")
    page.wait_for_function("performance.getEntriesByName('app-search:load-index').length > 0", timeout=120_000)
    page.wait_for_load_state("networkidle")
    field = page.locator("#app-search-q")
    field.fill(FULL_TEXT_QUERY)
    started = time.perf_counter()
    field.press("Enter")
    name = f"app-search:load-shard {base}/search/{members['url']}"
    page.wait_for_function(f"performance.getEntriesByName({json.dumps(name)}).length > 0", timeout=300_000)
    page.wait_for_function("document.querySelectorAll('.app-search-result').length > 0")
    elapsed = (time.perf_counter() - started) * 1000
    load = page.evaluate(f"performance.getEntriesByName({json.dumps(name)})[0].duration")
    count = page.locator(".app-search__count").text_content()
    context.close()
    return {"prefetched": False, "enter_to_results_ms": elapsed, "fetch_and_load_ms": load, "results": count,
            "bytes": members["bytes"], "gzip_bytes": members["gzipBytes"]}


# -- running and reporting ---------------------------------------------------------------


def run(members: int, repeat: int, browser) -> dict:
    from tools.synthetic import copy_project, write_members

    with tempfile.TemporaryDirectory(prefix=f"bench-search-{members}-") as folder:
        project = copy_project(Path(folder) / "project")
        write_members(project / "members", members)
        output = Path(folder) / "output"
        print(f"\n== {members:,} generated members: building…", flush=True)
        figures = {"members": members, "build": build_site(project, output)}
        figures.update(file_sizes(output))
        with served(output) as base:
            visits = [first_result(browser, base, output) for _ in range(repeat)]
            figures["first_result"] = visits[0]
            for key in ("shown_ms", "load_ms", "fetch_and_load_ms"):
                figures["first_result"][key] = statistics.median(visit[key] for visit in visits)
            figures["keystrokes"] = keystrokes(browser, base, members)
            figures["full_text"] = full_text_on_demand(browser, base, figures["shards"])
        shutil.rmtree(project, ignore_errors=True)
    report(figures)
    return figures


def report(figures: dict) -> None:
    build = figures["build"]
    print(f"documents indexed: {figures['documents']:,}")
    print(f"build: whole site {build['site']:.1f} s; search index {build['search_files'] + build['documents']:.1f} s "
          f"(reading documents {build['documents']:.1f} s, lunr first index {build['lunr_first']:.1f} s, "
          f"lunr full-text shards {build['lunr_shards']:.1f} s, packing and writing the rest)")
    print("search files (raw / gzipped):")
    for name, (raw, zipped) in figures["files"].items():
        print(f"  {name:<36} {raw / KB:>9,.1f} KB / {zipped / KB:>8,.1f} KB")
    first = figures["first_result"]
    raw = sum(item[1] for item in first["downloads"])
    zipped = sum(item[2] for item in first["downloads"])
    print(f"before the first result of /search/?q={FIRST_QUERY}: {raw / KB:,.1f} KB raw, {zipped / KB:,.1f} KB gzipped")
    for path, item_raw, item_zipped in first["downloads"]:
        print(f"  {path:<36} {item_raw / KB:>9,.1f} KB / {item_zipped / KB:>8,.1f} KB")
    print(f"top results for {FIRST_QUERY!r}: {', '.join(first['top'])}")
    print(f"index load in Chromium (median): unpack + lunr.Index.load {first['load_ms']:.0f} ms; "
          f"with fetch and JSON parsing {first['fetch_and_load_ms']:.0f} ms; first result shown at "
          f"{first['shown_ms']:.0f} ms after navigation start")
    all_keys = []
    for query, typed in figures["keystrokes"].items():
        keys = [item[1] for item in typed["keys"]]
        work = [item[2] for item in typed["keys"]]
        all_keys += keys
        print(f"  typing {query!r:<18} key to results: median {statistics.median(keys):5.1f} ms, "
              f"slowest {max(keys):5.1f} ms (search and render: slowest {max(work):5.1f} ms) -> {typed['results']}")
    figures["slowest_key_ms"] = max(all_keys)
    figures["median_key_ms"] = statistics.median(all_keys)
    print(f"keystrokes: median {figures['median_key_ms']:.1f} ms, slowest {figures['slowest_key_ms']:.1f} ms")
    full = figures["full_text"]
    if full.get("prefetched"):
        print("members' full text: small enough to be prefetched after the first result")
    else:
        print(f"members' full text on demand ({FULL_TEXT_QUERY!r}): {full['gzip_bytes'] / KB:,.1f} KB gzipped; "
              f"fetched and loaded in {full['fetch_and_load_ms']:.0f} ms; "
              f"Enter to results {full['enter_to_results_ms']:.0f} ms "
              f"-> {full['results']}")
    figures["before_first_result"] = {"raw": raw, "gzip": zipped}
    verdicts(figures)


def verdicts(figures: dict) -> None:
    target_bytes, target_key = TARGETS.get(figures["members"], (None, None))
    verdict = []
    zipped = figures["before_first_result"]["gzip"]
    if target_bytes:
        verdict.append(_verdict(f"gzipped before the first result ≤ {target_bytes / KB:,.0f} KB",
                                zipped <= target_bytes, f"{zipped / KB:,.1f} KB"))
    if target_key:
        slowest = figures["slowest_key_ms"]
        verdict.append(_verdict(f"every keystroke < {target_key:.0f} ms", slowest < target_key,
                                f"slowest {slowest:.1f} ms"))
    figures["verdicts"] = verdict
    for line in verdict:
        print(line)


def _verdict(target: str, met: bool, measured: str) -> str:
    return f"{'MEETS' if met else 'MISSES'} target: {target} (measured {measured})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=5, help="fresh page loads to take the median of")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        parser.error("Chromium is needed (Debian's chromium package, or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        # The site's Content Security Policy refuses Playwright's waits (they
        # evaluate strings), so every context sets it aside, as the tests'
        # browser fixture does (tests/conftest.py).
        browser.new_context = functools.partial(browser.new_context, bypass_csp=True)
        print(f"Chromium {browser.version}; {os.cpu_count()} CPUs; KB = 1,000 bytes; gzip level 6")
        for members in args.members:
            results.append(run(members, args.repeat, browser))
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(line.startswith("MEETS") for figures in results for line in figures["verdicts"]) else 1


if __name__ == "__main__":
    sys.exit(main())
