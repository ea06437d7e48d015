"""A rebuild in one process (make serve) writes exactly what a clean build
of the same files writes, whatever the templates read and however many
hops away (plugins/incremental/README.md).

Two plain cases a theme author would write, then a property test: random
sequences of edits (front matter of any type, bodies, templates,
vocabularies, new, deleted and renamed files), each followed by a rebuild
in one process and a byte-for-byte comparison with a clean build."""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st

from building import SITE_TODAY, run_build
from test_parallel_build import differences
from tools.synthetic import copy_project

#: Builds in one process, as make serve does, once per line on stdin; after
#: each, one line: RESULT {"status": ..., "rendered": ...}.
DRIVER = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
from tools.build import build
for _ in sys.stdin:
    status = build(output=sys.argv[1], quiet=True)
    try:
        import incremental
        rendered = incremental.last_build_rendered()
    except ImportError:
        rendered = None
    print("RESULT " + json.dumps({"status": status, "rendered": rendered}), flush=True)
"""


class Serve:
    """A build process kept alive between edits, like make serve."""

    def __init__(self, project: Path, output: Path):
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


def differs_from_a_clean_build(project: Path, output: Path, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    reference = folder / "clean"
    result = run_build(reference, root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    filecmp.clear_cache()
    found = differences(str(output), str(reference))
    subprocess.run(["rm", "-rf", str(reference)], check=False)
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_value_two_hops_away(tmp_path):
    """A member page showing each of its case studies' model's summary
    (member → case study → model) changes when the model's summary does."""
    project = copy_project(tmp_path / "project")
    edit(project / "theme" / "templates" / "member.html", "{% block content %}",
         "{% block content %}{% for case_study, role in member.case_studies %}"
         "<p>{{ case_study.model_page.metadata.summary }}</p>{% endfor %}")
    output = project / "output"
    serve = Serve(project, output)
    try:
        assert serve.build()["status"] == 0, "".join(serve.printed)
        edit(project / "content" / "models" / "lead-partner.md", 'summary: "One member',
             'summary: "Edited two hops away. One member')
        assert serve.build()["status"] == 0, "".join(serve.printed)
        assert "Edited two hops away." in (output / "members" / "disc" / "index.html").read_text()
        assert differs_from_a_clean_build(project, output, tmp_path / "clean") == []
    finally:
        serve.close()


def test_another_objects_body(tmp_path):
    """A guides list showing each guide's word count changes when a guide's
    text does."""
    project = copy_project(tmp_path / "project")
    edit(project / "theme" / "templates" / "guides.html", "{{ guide.metadata.summary }}",
         "{{ guide.metadata.summary }} ({{ guide.content | striptags | wordcount }} words)")
    output = project / "output"
    serve = Serve(project, output)
    try:
        assert serve.build()["status"] == 0, "".join(serve.printed)
        guide = project / "content" / "guides" / "top-tips.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nSome more words for the rebuild test.\n",
                         encoding="utf-8")
        assert serve.build()["status"] == 0, "".join(serve.printed)
        assert differs_from_a_clean_build(project, output, tmp_path / "clean") == []
    finally:
        serve.close()


# -- the property: any sequence of edits ------------------------------------------

#: Template snippets a theme author might add, each reading something else:
#: another object's body, values two hops away (through a case study's
#: partners, a tender's matches), every member's front matter, a filter
#: over a list, the vocabularies.
SNIPPETS = [
    "{% for case_study, role in member.case_studies %}<p>{{ case_study.model_page.metadata.summary }}</p>{% endfor %}",
    "{% for g in guides %}<p>{{ g.content | striptags | wordcount }}</p>{% endfor %}",
    "<p>{% for m in members %}{{ m.metadata.summary | length }} {% endfor %}</p>",
    "{% if page is defined %}<p>{{ page.metadata | length }} {{ page.content | length }}</p>{% endif %}",
    "<p>{% for t in tenders %}{% for match in t.matches %}{{ match.member.title }} {% endfor %}{% endfor %}</p>",
    "<p>{% for c in case_studies %}{% for p in c.partner_list %}{% if p.member %}{{ p.member.metadata.summary }}"
    "{% endif %}{% endfor %}{% endfor %}</p>",
    "<p>{{ models | map(attribute='title') | join(', ') }} {{ vocab | length }}</p>",
    "<p>{% for e in past_events | sort(attribute='title') %}{{ e.url }} {% endfor %}</p>",
]
TEMPLATES = ["member.html", "guides.html", "case_study.html", "model.html", "member_facet.html", "members.html",
             "tender.html", "guide.html", "base.html"]
VOCABULARIES = ["services", "areas", "topics", "partner_roles", "legal_forms"]

EDIT = st.one_of(
    st.tuples(st.just("field"), st.integers(0, 999), st.integers(0, 999), st.integers(0, 999)),
    st.tuples(st.just("body"), st.integers(0, 999), st.integers(0, 2)),
    st.tuples(st.just("template"), st.sampled_from(TEMPLATES), st.integers(0, len(SNIPPETS) - 1)),
    st.tuples(st.just("vocabulary"), st.sampled_from(VOCABULARIES), st.integers(0, 999)),
    st.tuples(st.just("new"), st.integers(0, 999)),
    st.tuples(st.just("delete"), st.integers(0, 999)),
    st.tuples(st.just("rename"), st.integers(0, 999)),
)


def content_files(project: Path) -> list[Path]:
    return sorted([*project.glob("members/*.md"), *project.glob("case_studies/*.md"),
                   *(p for p in project.glob("content/*/*.md") if p.parent.name != "_data")])


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def joined(front: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + body


def mutated(value, choice: int, others: list):
    """``value`` changed, keeping its type; ``others``: the same field's
    values in other files of the type (a valid vocabulary term, say)."""
    import datetime as dt

    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, (dt.date, dt.datetime)):
        return value + dt.timedelta(days=1)
    if isinstance(value, str):
        # A word alone is most often a code (a vocabulary term, a slug):
        # another file's value for the field is more likely valid.
        alternatives = [other for other in others if isinstance(other, str) and other != value]
        if alternatives and (" " not in value or choice % 3 == 2):
            return alternatives[choice % len(alternatives)]
        return value + " Edited." if choice % 2 == 0 else "Edited " + value
    if isinstance(value, dict) and value:
        key = sorted(value)[choice % len(value)]
        return {**value, key: mutated(value[key], choice // 7, [o.get(key) for o in others if isinstance(o, dict)])}
    if isinstance(value, list) and value:
        if isinstance(value[0], dict):
            return [mutated(value[0], choice, [o[0] for o in others if isinstance(o, list) and o]), *value[1:]]
        if choice % 3 == 0 and len(value) > 1:
            return value[:-1]
        if choice % 3 == 1:
            return list(reversed(value))
        extra = [item for other in others if isinstance(other, list) for item in other if item not in value]
        return value + extra[:1] if extra else list(reversed(value))
    return value


def pick(files: list[Path], which, project: Path) -> Path:
    return project / which if isinstance(which, str) else files[which % len(files)]


def apply_edit(project: Path, edit: tuple, number: int) -> None:
    kind = edit[0]
    files = content_files(project)
    if kind == "field":
        path = pick(files, edit[1], project)
        front, body = split(path.read_text(encoding="utf-8"))
        names = sorted(front)
        name = edit[2] if isinstance(edit[2], str) else names[edit[2] % len(names)]
        others = [split(p.read_text(encoding="utf-8"))[0].get(name) for p in path.parent.glob("*.md") if p != path]
        front[name] = mutated(front[name], edit[3], others)
        path.write_text(joined(front, body), encoding="utf-8")
    elif kind == "body":
        path = pick(files, edit[1], project)
        text = path.read_text(encoding="utf-8")
        if edit[2] == 0:
            text += f"\nA paragraph added by the property test ({number}).\n"
        elif edit[2] == 1:
            front, body = split(text)
            text = joined(front, body.replace(" the ", " the edited ", 1))
        else:
            front, _ = split(text)
            text = joined(front, "")
        path.write_text(text, encoding="utf-8")
    elif kind == "template":
        template = project / "theme" / "templates" / edit[1]
        anchor = "<main " if edit[1] == "base.html" else "{% block content %}"
        text = template.read_text(encoding="utf-8")
        snippet = SNIPPETS[edit[2]]
        at = text.index(anchor) + (0 if anchor == "<main " else len(anchor))
        template.write_text(text[:at] + f"<!-- {number} -->" + snippet + text[at:], encoding="utf-8")
    elif kind == "vocabulary":
        path = project / "content" / "_data" / f"{edit[1]}.yml"
        labels = [m.start() for m in re.finditer(r"\n  label: ", path.read_text(encoding="utf-8"))]
        text = path.read_text(encoding="utf-8")
        at = labels[edit[2] % len(labels)] + len("\n  label: ")
        path.write_text(text[:at] + "Edited " + text[at:], encoding="utf-8")
    elif kind == "new":
        members = sorted(project.glob("members/*.md"))
        source = members[edit[1] % len(members)]
        front, body = split(source.read_text(encoding="utf-8"))
        front["name"] = f"Property Test Organisation {number}"
        (project / "members" / f"property-test-organisation-{number}.md").write_text(joined(front, body),
                                                                                    encoding="utf-8")
    elif kind in ("delete", "rename"):
        # Most real files are named by others (a case study's partners, a
        # guide's links), so the build refuses to lose them: the files this
        # test added come first, when there are any.
        added = sorted(project.glob("members/property-test-*.md")) + sorted(project.glob("members/renamed-*.md"))
        path = pick(added or files, edit[1], project)
        if kind == "delete":
            path.unlink()
        else:
            path.rename(path.with_name(f"renamed-{number}-{path.name}"))


def snapshot(project: Path) -> dict[Path, bytes]:
    """Every file an edit may touch, to put back an edit the build refuses."""
    folders = ["members", "case_studies", "content", "theme/templates"]
    return {p: p.read_bytes() for folder in folders for p in (project / folder).rglob("*") if p.is_file()}


def restore(project: Path, saved: dict[Path, bytes]) -> None:
    for folder in ["members", "case_studies", "content", "theme/templates"]:
        for path in (project / folder).rglob("*"):
            if path.is_file() and path not in saved:
                path.unlink()
    for path, data in saved.items():
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    folder = tmp_path_factory.mktemp("property")
    project = copy_project(folder / "project")
    output = project / "output"
    serve = Serve(project, output)
    assert serve.build()["status"] == 0, "".join(serve.printed)
    yield project, output, serve, folder, [0]
    serve.close()


@settings(max_examples=int(os.environ.get("REBUILD_EXAMPLES", "10")), deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@example(edits=[("template", "member.html", 0), ("field", "content/models/lead-partner.md", "summary", 0)])
@example(edits=[("template", "guides.html", 1), ("body", "content/guides/top-tips.md", 0)])
@example(edits=[("field", "members/barca-leeds.md", "summary", 0), ("field", "members/disc.md", "services", 2),
                ("new", 3), ("rename", 0), ("delete", 0)])
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_a_rebuild_equals_a_clean_build(serving, edits):
    """After each edit of any sequence, make serve's folder is byte for byte
    what a clean build of the same files writes. An edit the build refuses
    (a profile renamed that a case study names, say) is put back, and the
    site rebuilt, as its author would."""
    project, output, serve, folder, count = serving
    for edit in edits:
        count[0] += 1
        saved = snapshot(project)
        apply_edit(project, edit, count[0])
        if serve.build()["status"] != 0:
            restore(project, saved)
            assert serve.build()["status"] == 0, "".join(serve.printed[-20:])
        assert differs_from_a_clean_build(project, output, folder / "clean") == [], edit
