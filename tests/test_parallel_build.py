"""Large sites use both cores: half of the pages are written, and the search
index built, in forked processes. The result must be the very same site."""

from __future__ import annotations

import filecmp

from building import run_build


def differences(left, right) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [f"{left}: only in one build: {name}" for name in comparison.left_only + comparison.right_only]
    found += [f"{left}/{name} differs" for name in comparison.diff_files + comparison.funny_files]
    for name, sub in comparison.subdirs.items():
        found += differences(sub.left, sub.right)
    return found


def test_a_build_on_two_cores_writes_the_same_site_as_on_one(site, tmp_path):
    settings = tmp_path / "two_cores.py"
    settings.write_text("from pelicanconf import *  # noqa\n"
                        "CONTENT_TYPES_PARALLEL_FROM = 0\n"
                        "SEARCH_BACKGROUND_FROM = 0\n", encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, settings=str(settings))
    assert result.returncode == 0, result.stdout + result.stderr
    # filecmp's shallow check trusts equal sizes and times; compare contents.
    filecmp.clear_cache()
    assert differences(str(site), str(output)) == []


REBUILD = r"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, os.getcwd())
from tools.build import build
import content_types.reading as reading

def run():
    assert build(output=sys.argv[1], quiet=True) == 0
    return reading.files_read

first = run()
profile = Path("members/disc.md")
profile.write_text(profile.read_text(encoding="utf-8") + "\nA sentence added for the rebuild test.\n", encoding="utf-8")
second = run()
services = Path("content/_data/services.yml")
services.write_text(services.read_text(encoding="utf-8").replace("label: Youth services", "label: Work with young people"),
                    encoding="utf-8")
print(json.dumps({"first": first, "second": second, "third": run()}))
"""


def test_a_rebuild_in_the_same_process_reads_only_what_changed(tmp_path):
    """make serve rebuilds in one process and keeps what it read from files
    that did not change; an edited profile must show its edit, and a change
    to a vocabulary must make every file be read again."""
    import json
    import os
    import subprocess
    import sys

    from building import SITE_TODAY
    from tools.synthetic import copy_project

    project = copy_project(tmp_path / "project")
    output = tmp_path / "output"
    env = {**os.environ, "SITE_TODAY": SITE_TODAY, "SITEURL": "", "PYTHONPATH": str(project / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([sys.executable, "-c", REBUILD, str(output)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = json.loads(result.stdout.strip().splitlines()[-1])
    files = sum(1 for folder in ("members", "case_studies", "content") for _ in (project / folder).rglob("*.md"))
    assert (kept["first"], kept["second"], kept["third"]) == (files, 1, files)
    assert "A sentence added for the rebuild test." in (output / "members" / "disc" / "index.html").read_text()
    # The renamed service shows: the vocabulary was read again, not kept.
    assert "Work with young people" in (output / "members" / "services" / "youth-services" / "index.html").read_text()


# The tests of share() below make the two processes meet rather than sleep
# and hope: each waits, at a set point, for something only the other does.
# The waits' timeouts only stop a broken share() from hanging the suite.
MEETING = 60


def test_shared_work_is_split_between_two_processes_and_comes_back_in_order():
    import multiprocessing
    import os
    from collections import Counter

    from incremental import parallel

    # Each process's first chunk waits until the other has started one too:
    # so both must take chunks, whichever starts first.
    both_started = multiprocessing.get_context("fork").Barrier(2)
    met: set[int] = set()  # each process has its own copy

    def tagged(chunk):
        if os.getpid() not in met:
            met.add(os.getpid())
            both_started.wait(MEETING)
        return [(item, os.getpid()) for item in chunk]

    items = list(range(400))
    done = parallel.share(tagged, items, 5, in_background=True)
    assert [item for item, _ in done] == items
    items_per_process = Counter(pid for _, pid in done)
    assert len(items_per_process) == 2 and os.getpid() in items_per_process
    assert all(count % 5 == 0 for count in items_per_process.values()), "whole chunks, each done once"
    alone = parallel.share(lambda chunk: [(item, os.getpid()) for item in chunk], items, 5, in_background=False)
    assert [item for item, _ in alone] == items and {pid for _, pid in alone} == {os.getpid()}


def test_a_second_process_does_not_collect_garbage():
    import gc

    from incremental import parallel

    assert gc.isenabled()
    assert parallel.start(gc.isenabled, (), in_background=True).result() is False
    assert gc.isenabled()


def test_a_failure_in_the_second_process_fails_the_shared_work():
    import multiprocessing
    import os

    import pytest

    from incremental import parallel

    here = os.getpid()
    failed_there = multiprocessing.get_context("fork").Event()

    def failing_there(chunk):
        if os.getpid() != here:
            failed_there.set()
            raise ValueError("a chunk failed in the second process")
        assert failed_there.wait(MEETING), "the second process took no chunk"
        return chunk

    with pytest.raises(parallel.BackgroundError, match="a chunk failed in the second process"):
        parallel.share(failing_there, list(range(400)), 5, in_background=True)


def test_a_failure_here_stops_the_second_process_at_its_next_chunk(monkeypatch):
    """The second process is told to stop rather than do the other chunks:
    it finishes the chunk it is on and takes no other."""
    import multiprocessing
    import os

    import pytest

    from incremental import parallel

    context = multiprocessing.get_context("fork")
    here = os.getpid()
    started_there, waited_for = context.Event(), context.Event()
    chunks_there = context.Value("i", 0)
    result = parallel._Forked.result

    def waiting_for_the_second_process(self):
        waited_for.set()  # share() has told the second process to stop
        return result(self)

    monkeypatch.setattr(parallel._Forked, "result", waiting_for_the_second_process)

    def failing_here(chunk):
        if os.getpid() == here:
            assert started_there.wait(MEETING), "the second process took no chunk"
            raise ValueError("a chunk failed in this process")
        with chunks_there.get_lock():
            chunks_there.value += 1
        started_there.set()
        assert waited_for.wait(MEETING), "this process never waited for the second one"
        return chunk

    with pytest.raises(ValueError, match="a chunk failed in this process"):
        parallel.share(failing_here, list(range(4000)), 5, in_background=True)
    assert chunks_there.value == 1, f"the second process went on to do {chunks_there.value - 1} of the 799 others"


def test_a_build_that_turns_typogrify_on_is_told_it_is_not_applied(tmp_path):
    """Content files are read with the frontmatter reader directly
    (content_types/reading.py), which leaves Pelican's TYPOGRIFY out: a
    setting that would change nothing must say so, not pass in silence."""
    settings = tmp_path / "typogrify.py"
    settings.write_text("from pelicanconf import *  # noqa\nTYPOGRIFY = True\n", encoding="utf-8")
    result = run_build(tmp_path / "output", settings=str(settings))
    assert result.returncode == 0, result.stdout + result.stderr
    printed = result.stdout + result.stderr
    assert printed.count("WARNING: content_types: TYPOGRIFY is not applied to the content files; "
                         "set TYPOGRIFY = False in pelicanconf.py") == 1, printed


def _driven(script: str, tmp_path) -> dict:
    """Run ``script`` in a copy of the project, given an output folder;
    what it printed last, as JSON."""
    import json
    import os
    import subprocess
    import sys

    from tools.synthetic import copy_project

    project = copy_project(tmp_path / "project")
    env = {**os.environ, "SITEURL": "", "PYTHONPATH": str(project / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([sys.executable, "-c", script, str(project / "output")], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


GARBAGE = r"""
import gc, json, os, sys
sys.path.insert(0, os.getcwd())
from pelican import signals
from tools.build import build, tidy

seen = []
signals.all_generators_finalized.connect(lambda generators: seen.append(gc.isenabled()), weak=False)
statuses = [build(output=sys.argv[1], quiet=True), build(output=sys.argv[1], quiet=True)]
after = gc.isenabled()
garbage = []
garbage.append(garbage)  # a cycle only the collector can free
del garbage
statuses.append(build(output=sys.argv[1] + "-once", quiet=True, remember=False))
collected = gc.collect()
tidy()
print(json.dumps({"statuses": statuses, "during": seen, "after": after, "collected": collected}))
"""


def test_builds_pause_the_garbage_collector(tmp_path):
    """Builds run with the cyclic collector paused, as its full collections
    walk everything the build keeps (and make serve keeps between builds);
    it is on again afterwards, for tidy() and the rest of the process. The
    second processes the work is shared with never collect."""
    found = _driven(GARBAGE, tmp_path)
    assert found["statuses"] == [0, 0, 0]
    assert found["during"] == [False, False, False]
    assert found["after"] is True and found["collected"] >= 1


COMPILED = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
import fastjsonschema, jinja2
log = sys.argv[1] + ".compiled"

def logged(original, what):
    def compile(*args, **kwargs):
        with open(log, "a") as file:
            file.write(f"{what} {os.getpid()}\n")
        return original(*args, **kwargs)
    return compile

fastjsonschema.compile = logged(fastjsonschema.compile, "schema")
jinja2.Environment.compile = logged(jinja2.Environment.compile, "template")
from tools.build import build
status = build(output=sys.argv[1], quiet=True, remember=False,
               overrides={"CONTENT_TYPES_PARALLEL_FROM": 0, "SEARCH_BACKGROUND_FROM": 0})
with open(log) as file:
    compiled = [line.split() for line in file]
print(json.dumps({"status": status, "pid": os.getpid(), "compiled": compiled}))
"""


def test_the_second_process_inherits_the_compiled_schemas_and_templates(tmp_path):
    """Reading and writing are shared with a forked process, which inherits
    what this one has compiled: each compiling its own schemas' checks and
    the theme's templates took 0.45 s of CPU more per build."""
    found = _driven(COMPILED, tmp_path)
    assert found["status"] == 0
    assert {what for what, _ in found["compiled"]} == {"schema", "template"}
    assert [line for line in found["compiled"] if int(line[1]) != found["pid"]] == []


def test_make_checks_helpers_inherit_the_compiled_schemas(tmp_path, monkeypatch):
    import datetime as dt
    import os

    import fastjsonschema

    import validation.checkers as checkers
    import validation.project as project_module
    from building import ROOT, SITE_TODAY

    log = tmp_path / "compiled"
    original = fastjsonschema.compile

    def logged(*args, **kwargs):
        with open(log, "a") as file:
            file.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(checkers.fastjsonschema, "compile", logged)
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project_module, "_CHUNK", 2)
    monkeypatch.setattr(project_module, "_worker_count", lambda: 2)
    checked = project_module.Project(ROOT, dt.date.fromisoformat(SITE_TODAY)).check_all()
    assert checked[2] > 50
    assert set(log.read_text().split()) == {str(os.getpid())}


def test_both_fork_pools_follow_one_rule_and_work_in_one_process_where_forking_is_unsafe(monkeypatch):
    """On macOS, where forking is unsafe, neither the build's pool nor make
    check's forks: the work is done in this process, with the same results."""
    import os

    from incremental import parallel
    from validation import project

    monkeypatch.setattr(project.sys, "platform", "darwin")
    assert not project.can_fork() and project._worker_count() == 1
    here = os.getpid()
    assert parallel.share(lambda chunk: [(item, os.getpid()) for item in chunk], list(range(6)), 2, True) == \
        [(item, here) for item in range(6)]
    assert parallel.start(os.getpid, (), in_background=True).result() == here
