"""The inputs that once stalled ``make check`` now get a prompt answer.

Each case from issue 19, written into a copy of the small valid project:
``python -m validation`` must finish and report exactly what it should.
How long each takes is printed by ``make bench-hostile``; that the patterns
behind them grow linearly is tested in ``test_patterns.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from frontmatter.problems import ContentError
from frontmatter.render import Renderer
from test_validation import ROOT, TODAY, make_project
from tools.synthetic import example_profile

SUMMARY = "An example member profile for the validation tests, made up for demonstration."


def member(name: str, body: str, summary: str = SUMMARY) -> str:
    return example_profile(f"Example {name}", summary, body, last_verified="2025-01-15")


#: name → (files, the lines make check prints before its summary)
CASES = {
    # 3 KB: a line of two thousand backticks after some text (135 s before).
    "backticks": ({"members/example-backticks.md": member(
        "Backticks", "This is example data.\n\nSome text " + "`" * 2000 + "\n" + "More text. " * 60 + "\n")}, []),
    # A heading of a few thousand spaces, which a link's heading check reads (100 s before).
    "heading-of-spaces": ({
        "members/example-heading.md": member("Heading", "## Our work" + " " * 3000 + "x\n\nText.\n"),
        "members/example-heading-link.md": member("Heading Link", "See [their work](/members/example-heading/#our-work).\n"),
    }, ["members/example-heading-link.md:13:18: error: body: the link '/members/example-heading/#our-work' goes to a "
        "heading that does not exist; the headings on that page are: our-work-x"]),
    # A field value with 100,000 spaces (48 s before).
    "field-of-spaces": ({"members/example-field.md": member("Field", "Text.\n", '"Example <' + " " * 100000 + 'b"')}, [
        "members/example-field.md:3:1: error: summary: is too long (100010 characters; at most 300); shorten it",
        "members/example-field.md:3:10: error: summary: HTML is not allowed in fields; write plain text without '<' tags",
    ]),
    # A reference link definition of 100,000 spaces (87 s before).
    "reference-of-spaces": ({"members/example-reference.md": member("Reference", "[a]:" + " " * 100000 + "\n")}, [
        "members/example-reference.md:13:1: error: body: the paragraph is longer than 5000 characters, more than "
        "Markdown can safely render; split it into shorter paragraphs, with a blank line between them",
    ]),
    # 81 KB after a fence that is never closed: passed in 0.3 s, then took 44 s to build.
    "unclosed-fence": ({"members/example-unclosed-fence.md": member("Unclosed Fence", "```\n" + "[a *b " * 13500 + "\n")}, [
        "members/example-unclosed-fence.md:14:193: error: body: brackets ('[') are nested more than 32 levels deep, "
        "more than Markdown can safely render; close each '[' with ']' sooner, or write '\\[' for a bracket that is "
        "only text",
    ]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_make_check_answers_the_issue_s_case_with_what_it_should_report(tmp_path, case):
    files, expected = CASES[case]
    root = make_project(tmp_path / "project")
    for source, text in files.items():
        (root / source).write_text(text, encoding="utf-8")
    env = {**os.environ, "SITE_TODAY": TODAY, "PYTHONPATH": str(ROOT / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([sys.executable, "-m", "validation"], cwd=root, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.stderr == ""
    assert result.stdout.splitlines()[:-1] == expected
    assert result.returncode == (1 if expected else 0)


def test_raw_html_that_got_past_validation_shows_as_text_rather_than_being_stripped():
    html = Renderer().render("Hello <b>there</b>.\n\n<div>\n<script>alert(1)</script>\n</div>\n\n`<i>` &amp; <https://example.org/>")
    assert html == ("<p>Hello &lt;b&gt;there&lt;/b&gt;.</p>\n"
                    "<p>&lt;div&gt;\n&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;/div&gt;</p>\n"
                    '<p><code>&lt;i&gt;</code> &amp; <a href="https://example.org/" rel="noopener noreferrer">'
                    "https://example.org/</a></p>")


def test_a_link_the_sanitiser_would_drop_fails_the_render_naming_its_line():
    """Validation refuses these first; the renderer is the second guard, so
    that no link is dropped from a page without a word."""
    with pytest.raises(ContentError) as caught:
        Renderer().render("Intro.\n\nRead [our policy](data:text/html,hi) or [this]({filename}/members/a.md).",
                          "members/example.md", 14)
    hint = "links must start with https://, http://, mailto: or tel:, or be a path on this site such as /members/"
    assert [p.format() for p in caught.value.problems] == [
        f"members/example.md:16:19: error: body: the link 'data:text/html,hi' cannot be kept on the page; {hint}",
        f"members/example.md:16:48: error: body: the link '{{filename}}/members/a.md' cannot be kept on the page; "
        f"{hint}",
    ]
