"""Untrusted content cannot break the build or run script on the site.

Profiles arrive as pull requests from outside the team. What validation
refuses (raw HTML, script links) must be refused by ``make check`` and the
build alike, with the same exact messages; what it lets through, however
much it looks like markup, must reach the built pages as text, and a real
browser must run nothing from it. The build itself must fail plainly,
never with a traceback, whatever it is given.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from building import SITE_TODAY, run_build
from conftest import serve
from frontmatter.problems import ContentError
from frontmatter.render import Renderer
from site_helpers import page as built_page
from test_build import snapshot
from tools.synthetic import copy_project, example_profile

SCRIPT_ATTEMPTS = example_profile(
    "Example Script Attempt", "An example profile that tries to run script, made up for the tests.",
    """This example profile tries to run script in three ways.

<script>alert(1)</script>

Our logo: <img src=x onerror=alert(1)>

Read [our policy](javascript:alert(1)).
""")
REFUSED = [
    "members/example-script-attempt.md:15:1: error: body: raw HTML ('<script>') is not allowed; use Markdown "
    "instead: **bold**, [link text](https://example.org), '## ' for headings",
    "members/example-script-attempt.md:17:11: error: body: raw HTML ('<img>') is not allowed; use Markdown "
    "instead: **bold**, [link text](https://example.org), '## ' for headings",
    "members/example-script-attempt.md:19:19: error: body: the link 'javascript:alert(1)' uses 'javascript:', "
    "which is not allowed; links must start with https://, http://, mailto: or tel:, or be a path on this site "
    "such as /members/",
]

# Everything here passes validation, because it is text that only looks
# like markup: code spans and blocks, escaped characters, '<' and '&' in
# fields. All of it must reach the page as text.
LOOKALIKE_NAME = 'Example Lookalike Trust & Co. (3 < 5) "quoted"'
LOOKALIKE_SUMMARY = "An example profile whose text only looks like markup: 3 < 5 & 'quotes' stay text."
LOOKALIKE = example_profile(f"'{LOOKALIKE_NAME}'", f'"{LOOKALIKE_SUMMARY}"', """\
This body only looks like markup; every part of it shows as text.

Inline code: `<script>alert(1)</script>`, `<img src=x onerror=alert(1)>` and `[x](javascript:alert(1))`.

```html
<script>alert(1)</script>
<img src=x onerror=alert(1)>
<a href="javascript:alert(1)" onclick="alert(1)">x</a>
[x](javascript:alert(1))
```

Escaped: &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;.

An ampersand & and a comparison 1 < 2 are only text.
""")
LOOKALIKE_SLUG = "example-lookalike"


def make_check(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_TODAY": SITE_TODAY, "PYTHONPATH": str(project / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "validation"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def lookalike_site(tmp_path_factory) -> Path:
    """The real site plus the profile that only looks like markup, built."""
    project = copy_project(tmp_path_factory.mktemp("lookalike") / "project")
    (project / "members" / f"{LOOKALIKE_SLUG}.md").write_text(LOOKALIKE, encoding="utf-8")
    output = project / "output"
    result = run_build(output, root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


# -- what validation refuses, make check and the build refuse alike --------------------------------


def test_script_attempts_are_refused_by_make_check_and_the_build_with_the_same_messages(tmp_path):
    project = copy_project(tmp_path / "project")
    output = project / "output"
    assert run_build(output, root=project).returncode == 0
    before = snapshot(output)
    (project / "members" / "example-script-attempt.md").write_text(SCRIPT_ATTEMPTS, encoding="utf-8")

    checked = make_check(project)
    assert checked.returncode == 1
    assert checked.stdout.splitlines()[:-1] == REFUSED
    assert checked.stderr == ""

    built = run_build(output, root=project)
    assert built.returncode == 1
    assert built.stdout.splitlines()[:len(REFUSED)] == REFUSED
    assert "previous output/ is unchanged" in built.stdout
    assert "Traceback" not in built.stdout + built.stderr
    assert snapshot(output) == before


def test_file_names_that_would_overwrite_the_site_s_own_pages_fail_the_build_plainly(tmp_path):
    project = copy_project(tmp_path / "project")
    page = "---\ntitle: Example search page\nsummary: An example page whose name the site's search page has.\n---\nBody.\n"
    (project / "content" / "pages" / "search.md").write_text(page, encoding="utf-8")
    tender = (project / "content" / "tenders" / "example-household-reuse-west-midlands.md").read_text(encoding="utf-8")
    (project / "content" / "tenders" / "archive.md").write_text(tender, encoding="utf-8")
    built = run_build(project / "output", root=project)
    assert built.returncode == 1
    assert ("content/pages/search.md:1:1: error: file name: 'search' cannot be used as a slug: /search/ is already "
            "the search page; rename the file; its name is the page's address") in built.stdout
    assert ("content/tenders/archive.md:1:1: error: file name: 'archive' cannot be used as a slug: /tenders/archive/ "
            "is already the list of closed tenders; rename the file; its name is the page's address") in built.stdout
    assert "Traceback" not in built.stdout + built.stderr
    assert not (project / "output").exists()


# -- the build fails plainly, whatever it is given --------------------------------------------------


def test_the_renderer_turns_markdown_too_deep_to_render_into_a_problem_naming_the_file():
    # Validation refuses this first; the renderer's guard is the second line.
    with pytest.raises(ContentError) as caught:
        Renderer().render("*a " * 1200 + "x" + " a*" * 1200, "members/deep.md", 14)
    assert [p.format() for p in caught.value.problems] == [
        "members/deep.md:14:1: error: body: the text is nested too deeply for Markdown to render; "
        "use fewer levels of lists, quotes, links and emphasis"]
    assert Renderer().render("*fine*") == "<p><em>fine</em></p>"


def test_an_unexpected_failure_inside_pelican_is_one_plain_line(tmp_path):
    project = copy_project(tmp_path / "project")
    output = project / "output"
    assert run_build(output, root=project).returncode == 0
    before = snapshot(output)
    (project / "plugins" / "breaks_the_build").mkdir()
    (project / "plugins" / "breaks_the_build" / "__init__.py").write_text(
        "from pelican import signals\n"
        "from pelican.writers import FileOverwriteFailedError\n\n\n"
        "def fail(pelican):\n"
        "    raise FileOverwriteFailedError(f'Failed to overwrite \"{pelican.output_path}/search/index.html\"')\n\n\n"
        "def register():\n"
        "    signals.finalized.connect(fail)\n", encoding="utf-8")
    (project / "brokenconf.py").write_text("from pelicanconf import *  # noqa\n\nPLUGINS = [*PLUGINS, 'breaks_the_build']\n",
                                           encoding="utf-8")
    built = run_build(output, root=project, settings="brokenconf.py")
    assert built.returncode == 1
    assert 'error: the build stopped: Failed to overwrite "output/search/index.html"' in built.stdout.splitlines()
    assert "previous output/ is unchanged" in built.stdout
    assert "Traceback" not in built.stdout + built.stderr
    assert snapshot(output) == before
    assert not list(project.glob(".output.*")), "the staging folder was left behind"


def test_building_into_a_folder_that_cannot_exist_is_a_plain_error(tmp_path):
    result = run_build(tmp_path / "no-such-folder" / "output")
    assert result.returncode == 2
    assert result.stdout.strip() == (f"error: cannot build into {tmp_path / 'no-such-folder' / 'output'}: "
                                     f"the folder {tmp_path / 'no-such-folder'} does not exist")
    assert "Traceback" not in result.stdout + result.stderr


def test_the_built_site_can_be_read_by_everyone(lookalike_site):
    """The staging folder starts private (mkdtemp); the site is public."""
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(lookalike_site.stat().st_mode) == 0o777 & ~umask  # 0o755 with the usual umask


# -- what validation lets through reaches the pages as text ------------------------------------------


def test_text_that_looks_like_markup_is_text_on_the_profile(lookalike_site):
    profile = built_page(lookalike_site, f"members/{LOOKALIKE_SLUG}/")
    assert profile.find("h1").get_text(" ", strip=True) == LOOKALIKE_NAME
    content = profile.find("main")
    assert not content.find_all(["img", "b", "iframe", "object", "embed", "form"])
    assert not [tag for tag in content.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert not [a for a in content.find_all("a", href=True) if a["href"].lower().lstrip().startswith("javascript")]
    text = content.get_text(" ")
    for shown in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
                  "1 < 2", LOOKALIKE_SUMMARY):
        assert shown in text, shown
    # An example carries no JSON-LD at all; tests/test_structured_data.py
    # shows text like this staying inside the block of a real profile.
    assert profile.find_all("script", type="application/ld+json") == []


def test_text_that_looks_like_markup_stays_text_in_the_open_data(lookalike_site):
    members = json.loads((lookalike_site / "data" / "members.json").read_text(encoding="utf-8"))
    text = json.dumps(members, ensure_ascii=False)
    assert LOOKALIKE_NAME in text or json.dumps(LOOKALIKE_NAME, ensure_ascii=False)[1:-1] in text
    assert LOOKALIKE_NAME in (lookalike_site / "data" / "members.csv").read_text(encoding="utf-8-sig").replace('""', '"')


# -- and a real browser runs nothing from it -------------------------------------------------------


def own_scripts_only(page, base: str) -> list[str]:
    """The page's scripts that are not the site's own."""
    return page.evaluate("""base => [...document.scripts].filter(s =>
        !(s.src && s.src.startsWith(base + '/theme/js/')) &&
        !(s.type === 'application/ld+json') &&
        // The profile editor's data block: data, never run, and with no '<' that could end it early.
        !(s.type === 'application/json' && s.id === 'app-profile-data' && !s.textContent.includes('<')) &&
        !(s.type === 'application/json' && s.id === 'app-day-rules' && !s.src)
    ).map(s => s.outerHTML.slice(0, 120))""", base)


@pytest.mark.browser
@pytest.mark.parametrize("url", [f"members/{LOOKALIKE_SLUG}/", "members/", "search/?q=" + quote("lookalike"),
                                 "search/?q=" + quote("<script>alert(1)</script>")])
def test_no_script_runs_from_content_in_the_browser(page, lookalike_site, url):
    server = serve(lookalike_site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{base}/{url}")
        page.wait_for_load_state("networkidle")
        if url.startswith("search/"):
            page.wait_for_function("document.querySelector('[role=status]').textContent.trim().length > 0",
                                   timeout=15_000)
        if url.startswith("members/") and url != "members/":
            assert LOOKALIKE_NAME in page.locator("h1").inner_text()
        # Anything injected ran while the page loaded, or was queued then:
        # let the tasks already queued run (an order, not a length of time).
        page.evaluate("() => new Promise(resolve => setTimeout(resolve))")
        assert dialogs == []
        assert page.page_errors == []
        assert own_scripts_only(page, base) == []
        assert page.evaluate("document.querySelectorAll('main img, main iframe, main object, main embed').length") == 0
    finally:
        server.shutdown()


@pytest.mark.browser
def test_the_lookalike_member_is_found_by_search_and_shown_as_text(page, lookalike_site):
    server = serve(lookalike_site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page.goto(f"{base}/search/?q=" + quote("lookalike"))
        page.wait_for_function("document.querySelector('[role=status]').textContent.trim().length > 0",
                               timeout=15_000)
        results = page.locator(".app-search__results").inner_text()
        assert "Example Lookalike Trust & Co. (3 < 5)" in results
        assert page.page_errors == []
    finally:
        server.shutdown()
