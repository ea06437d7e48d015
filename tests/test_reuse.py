"""make serve's rebuilds update the site in place, writing only the pages
whose inputs changed (plugins/incremental/). After every kind of
edit the folder must be exactly what a clean build of the same files
writes, and a content error must leave it as it was."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys

import pytest

from building import SITE_TODAY, run_build
from test_parallel_build import differences
from tools.synthetic import copy_project

#: Builds in one process, as make serve does, once per line on stdin; after
#: each, one line: RESULT {"status": ..., "rendered": ..., "pages": ...}.
DRIVER = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
from tools.build import build
import incremental
from incremental import state
seen = {}
import search_index.documents as documents
original_text = documents.html_to_text
made_log = sys.argv[1] + ".documents-made"
def made(html):  # called once for each search document made anew, in whichever process
    with open(made_log, "a") as log:
        log.write("+")
    return original_text(html)
documents.html_to_text = made
import search_index.packing as packing
original_words = packing._words
def analysed(text):  # called once for each text lunr's pipeline is run on
    with open(made_log + "-texts", "a") as log:
        log.write("+")
    return original_words(text)
packing._words = analysed
import member_data.writer as member_data
original_record = member_data.member_record
def record(member, siteurl):  # called once for each member whose open-data lines are made anew
    with open(made_log + "-members", "a") as log:
        log.write("+")
    return original_record(member, siteurl)
member_data.member_record = record
for _ in sys.stdin:
    seen.clear()
    open(made_log, "w").close()
    open(made_log + "-texts", "w").close()
    open(made_log + "-members", "w").close()
    status = build(output=sys.argv[1], quiet=True)
    if status == 0:
        seen.update(rendered=incremental.last_build_rendered(), pages=len(state.committed.pages))
    with open(made_log) as log:
        seen["documents_made"] = len(log.read())
    with open(made_log + "-texts") as log:
        seen["texts_analysed"] = len(log.read())
    with open(made_log + "-members") as log:
        seen["member_lines_made"] = len(log.read())
    print("RESULT " + json.dumps({"status": status, **seen}), flush=True)
"""


class Serve:
    """A build process kept alive between edits, like make serve."""

    def __init__(self, project, output):
        env = {**os.environ, "SITEURL": "", "SITE_TODAY": SITE_TODAY, "PYTHONPATH": str(project / "plugins")}
        env.pop("GITHUB_ACTIONS", None)
        self.process = subprocess.Popen([sys.executable, "-c", DRIVER, str(output)], cwd=project, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.printed: list[str] = []

    def build(self) -> dict:
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
            self.printed.append(line)
        raise AssertionError("the build process ended:\n" + "".join(self.printed))

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("reuse") / "project")
    output = project / "output"
    serve = Serve(project, output)
    first = serve.build()
    assert first["status"] == 0, "".join(serve.printed)
    assert first["rendered"] == first["pages"] > 50
    yield project, output, serve
    serve.close()


def same_as_a_clean_build(project, output, tmp_path) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    reference = tmp_path / "clean"
    result = run_build(reference, root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    filecmp.clear_cache()
    return differences(str(output), str(reference))


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rebuilds_on_two_cores(tmp_path):
    """A large site makes its search files and open data in forked
    processes on rebuilds too (SEARCH_BACKGROUND_FROM,
    CONTENT_TYPES_PARALLEL_FROM), which send back only what they made anew:
    after each edit the site must be what a clean build writes, and the
    next rebuild must still keep the documents and member lines it can."""
    project = copy_project(tmp_path / "project")
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write("\nSEARCH_BACKGROUND_FROM = 0\nCONTENT_TYPES_PARALLEL_FROM = 0\n")
    output = project / "output"
    serve = Serve(project, output)
    try:
        first = serve.build()
        assert first["status"] == 0, "".join(serve.printed)
        assert first["documents_made"] > 50
        assert first["member_lines_made"] == len(list((project / "members").glob("*.md")))
        profile = project / "members" / "barca-leeds.md"
        for number in (1, 2):
            edit(profile, "\nsummary: ", f"\nsummary: Edited {number} for the reuse test. ")
            result = serve.build()
            assert result["status"] == 0, "".join(serve.printed)
            assert 1 <= result["documents_made"] <= 5, result
            # Only the changed documents' texts go through lunr's pipeline.
            assert 1 <= result["texts_analysed"] <= 4 * result["documents_made"], result
            assert result["member_lines_made"] == 1, result
            assert same_as_a_clean_build(project, output, tmp_path / f"summary-{number}") == []
        profile.write_text(profile.read_text(encoding="utf-8") + "\nA sentence for the reuse test.\n",
                           encoding="utf-8")
        result = serve.build()
        assert result["status"] == 0 and result["documents_made"] == 1, result
        assert 1 <= result["texts_analysed"] <= 4, result
        assert same_as_a_clean_build(project, output, tmp_path / "text") == []
        result = serve.build()
        assert result["documents_made"] == result["texts_analysed"] == 0, result
    finally:
        serve.close()


def test_nothing_changed_renders_nothing(served, tmp_path):
    project, output, serve = served
    result = serve.build()
    assert result["status"] == 0 and result["rendered"] == 0
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_editing_a_profiles_text_renders_its_page_alone(served, tmp_path):
    project, output, serve = served
    profile = project / "members" / "barca-leeds.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nA sentence added for the reuse test.\n",
                       encoding="utf-8")
    result = serve.build()
    assert result["status"] == 0 and result["rendered"] == 1
    assert "A sentence added for the reuse test." in (output / "members" / "barca-leeds" / "index.html").read_text()
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_editing_a_case_studys_text_renders_its_page_alone(served, tmp_path):
    project, output, serve = served
    study = sorted((project / "case_studies").glob("*.md"))[0]
    study.write_text(study.read_text(encoding="utf-8") + "\nA closing line for the reuse test.\n", encoding="utf-8")
    result = serve.build()
    assert result["status"] == 0 and result["rendered"] == 1
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_a_new_summary_renders_the_pages_that_show_it(served, tmp_path):
    """A summary shows on the profile, its cards on directory pages and the
    case study naming it: those are rendered, not the other members'."""
    project, output, serve = served
    edit(project / "members" / "barca-leeds.md", "\nsummary: ", "\nsummary: Edited for the reuse test. ")
    result = serve.build()
    assert result["status"] == 0 and 1 < result["rendered"] < result["pages"] / 2, result
    # Its search document is made again, and those of the few pages related
    # to it (the case studies naming it), not every member's.
    assert 1 <= result["documents_made"] <= 5, result
    assert "Edited for the reuse test." in (output / "members" / "index.html").read_text()
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_a_new_service_changes_the_counts_too(served, tmp_path):
    project, output, serve = served
    edit(project / "members" / "barca-leeds.md", "\nservices:\n", "\nservices:\n  - housing-and-homelessness\n")
    result = serve.build()
    assert result["status"] == 0, "".join(serve.printed)
    assert (output / "members" / "services" / "housing-and-homelessness" / "index.html").read_text().count(
        "BARCA-Leeds") >= 1
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_a_new_name_renders_the_pages_that_show_it(served, tmp_path):
    """A name is a link text and an order: the directory's pages that list
    the member, and the pages that link to it, are rendered; the profiles
    of members it is not related to are not."""
    project, output, serve = served
    edit(project / "members" / "barca-leeds.md", 'name: "BARCA-Leeds"', 'name: "BARCA Leeds (edited)"')
    result = serve.build()
    assert result["status"] == 0 and 1 < result["rendered"] < result["pages"], result
    assert "BARCA Leeds (edited)" in (output / "members" / "index.html").read_text()
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_editing_a_case_studys_partners_and_a_tender(served, tmp_path):
    project, output, serve = served
    edit(project / "case_studies" / "fusion-consortium-devon.md", "    member: westbank\n", "")
    assert serve.build()["status"] == 0, "".join(serve.printed)
    assert same_as_a_clean_build(project, output, tmp_path / "partners") == []
    edit(project / "content" / "tenders" / "example-youth-employment-wolverhampton.md",
         "interested_members:\n  - example-youth-trust\n", "interested_members:\n  - example-youth-trust\n  - barca-leeds\n")
    assert serve.build()["status"] == 0, "".join(serve.printed)
    assert same_as_a_clean_build(project, output, tmp_path / "tender") == []


def test_a_tender_that_closes_and_an_event_that_is_past(served, tmp_path):
    """Which tenders are closed and which events past follows from their
    dates, not from the directory's groups: the list pages that show them
    must change, though their other values are as they were."""
    project, output, serve = served
    edit(project / "content" / "tenders" / "example-youth-employment-wolverhampton.md",
         'endDate: "2026-12-02 12:00"', 'endDate: "2026-11-02 12:00"')
    result = serve.build()
    assert result["status"] == 0, "".join(serve.printed)
    archive = (output / "tenders" / "archive" / "index.html").read_text()
    assert "example-youth-employment-wolverhampton" in archive
    assert same_as_a_clean_build(project, output, tmp_path / "tender") == []
    event = project / "content" / "events" / "forum-5-accessing-business-support.md"
    edit(event, "start: '2024-02-26 13:00'\nend: '2024-02-26 15:00'", "start: '2026-12-10 13:00'\nend: '2026-12-10 15:00'")
    result = serve.build()
    assert result["status"] == 0, "".join(serve.printed)
    assert same_as_a_clean_build(project, output, tmp_path / "event") == []


def test_a_new_profile_and_a_deleted_one(served, tmp_path):
    project, output, serve = served
    source = (project / "members" / "barca-leeds.md").read_text(encoding="utf-8")
    added = project / "members" / "reuse-test-org.md"
    added.write_text(source.replace("name: ", "name: Reuse Test Org ", 1), encoding="utf-8")
    assert serve.build()["status"] == 0
    assert (output / "members" / "reuse-test-org" / "index.html").is_file()
    assert same_as_a_clean_build(project, output, tmp_path / "added") == []
    added.unlink()
    assert serve.build()["status"] == 0
    assert not (output / "members" / "reuse-test-org").exists()
    assert same_as_a_clean_build(project, output, tmp_path / "deleted") == []


def test_a_content_error_leaves_the_site_as_it_was(served, tmp_path):
    project, output, serve = served
    before = tmp_path / "before"
    shutil.copytree(output, before)
    profile = project / "members" / "barca-leeds.md"
    good = profile.read_text(encoding="utf-8")
    profile.write_text(good.replace("\nsummary: ", "\nsummary: [unclosed ", 1), encoding="utf-8")
    result = serve.build()
    assert result["status"] == 1
    assert any("members/barca-leeds.md" in line for line in serve.printed)
    assert any("the previous output/ is unchanged" in line for line in serve.printed)
    filecmp.clear_cache()
    assert differences(str(output), str(before)) == []
    profile.write_text(good, encoding="utf-8")
    result = serve.build()
    assert result["status"] == 0 and result["rendered"] == 0  # still updating in place
    assert same_as_a_clean_build(project, output, tmp_path) == []


def test_editing_a_template_renders_the_pages_made_with_it(served, tmp_path):
    project, output, serve = served
    edit(project / "theme" / "templates" / "member.html", "{% block content %}",
         "{% block content %}<!-- edited for the reuse test -->")
    result = serve.build()
    assert result["status"] == 0 and result["rendered"] == len(list((project / "members").glob("*.md")))
    assert "edited for the reuse test" in (output / "members" / "barca-leeds" / "index.html").read_text()
    assert same_as_a_clean_build(project, output, tmp_path / "member") == []
    edit(project / "theme" / "templates" / "base.html", "<main ", "<!-- edited for the reuse test --><main ")
    result = serve.build()
    assert result["status"] == 0 and result["rendered"] == result["pages"]
    assert same_as_a_clean_build(project, output, tmp_path / "base") == []


def test_a_vocabularys_lookups_made_in_one_build_do_not_count_as_a_change():
    """A vocabulary read again from an unchanged file is the same, though
    the last build's copy answered (and kept) lookups this one has not yet:
    those caches are not values a page shows. A term that did change is."""
    from dataclasses import replace

    from incremental.compare import same
    from validation.vocabularies import Term, Vocabulary

    def areas():
        return Vocabulary("areas", "content/_data/areas.yml", {
            "uk": Term("uk", "UK"), "england": Term("england", "England", parent="uk"),
            "leeds": Term("leeds", "Leeds", parent="england")})

    used, fresh = areas(), areas()
    assert used.ancestors("leeds") == ("england", "uk") and used.children("uk") == ("england",)
    assert used.descendants("uk") == ("england", "leeds")
    assert same(used, fresh)
    fresh.terms["leeds"] = replace(fresh.terms["leeds"], label="Leeds City")
    assert not same(used, fresh)
