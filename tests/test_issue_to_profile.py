"""The issue-to-profile converter (python -m tools.issue_to_profile): every
real profile comes back byte for byte through the issue the site's editor
opens; answers given one by one make a profile that passes make check; a
tender gains one interested member; hostile issues are refused with their
message, never a traceback, and nothing is written."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from building import ROOT, SITE_TODAY
import issue_forms
from issue_forms import REQUESTS, issue_body
from tools.issue_to_profile import RequestError, convert, write
from tools.issue_to_profile.convert import Converter
from tools.issue_to_profile.issue_body import MAX_BODY_BYTES
from tools.synthetic import copy_project

TODAY = dt.date.fromisoformat(SITE_TODAY)
PROFILES = sorted((ROOT / "members").glob("*.md"))
CHECKED = "I have checked these details today, and they may be published on the site."


@pytest.fixture(scope="module")
def converter() -> Converter:
    return Converter(ROOT, TODAY)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def run_converter(root: Path, body: str | bytes, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    body_file = tmp_path / "issue-body.md"
    body_file.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    env = {**os.environ, "PYTHONPATH": str(root / "plugins"), "SITE_TODAY": SITE_TODAY}
    return subprocess.run([sys.executable, "-m", "tools.issue_to_profile", str(body_file), "--issue", "17", *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# -- the site's editor: the whole file, byte for byte ------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=lambda path: path.stem)
def test_every_real_profile_comes_back_byte_for_byte(converter, profile):
    text = profile.read_text(encoding="utf-8")
    body = issue_body({"request": REQUESTS["update"], "profile": profile.stem, "profile_file": text})
    change = converter.convert(body)
    assert (change.path, change.request) == (f"members/{profile.stem}.md", "update")
    assert change.text.encode("utf-8") == profile.read_bytes()
    assert change.unchanged


def test_every_real_profile_sent_as_new_is_written_byte_for_byte(tmp_path):
    empty = copy_project(tmp_path / "project", with_members=False)
    converter = Converter(empty, TODAY)
    for profile in PROFILES:
        body = issue_body({"request": REQUESTS["add"], "profile": profile.stem,
                           "profile_file": profile.read_text(encoding="utf-8")})
        write(converter.convert(body), empty)
        assert (empty / "members" / profile.name).read_bytes() == profile.read_bytes(), profile.name


def test_a_pasted_file_with_windows_line_ends_and_stray_space_comes_back_byte_for_byte(converter):
    profile = ROOT / "members/living-options-devon.md"
    text = profile.read_text(encoding="utf-8")
    pasted = "\n  \r\n" + text.replace("\n", "\r\n") + "   \r\n\r\n"
    body = issue_body({"request": REQUESTS["update"], "profile": "living-options-devon", "profile_file": pasted})
    body = body.replace(f"```markdown\n{pasted.strip()}\n```", f"```markdown\n{pasted}\n```")
    assert converter.convert(body).text.encode("utf-8") == profile.read_bytes()


def test_a_file_pasted_in_its_own_fence_is_unwrapped(converter):
    profile = ROOT / "members/disc.md"
    text = profile.read_text(encoding="utf-8")
    body = issue_body({"request": REQUESTS["update"], "profile": "https://example.org/consortium/members/disc/",
                       "profile_file": f"```yaml\n{text}```"})
    assert converter.convert(body).text == text


# -- answers given one by one ------------------------------------------------------------------


NEW_ORGANISATION = {
    "request": REQUESTS["add"],
    "name": "Calder Valley Food Network",
    "summary": "A community food network running pantries and cooking clubs in Calderdale.",
    "legal_form": "Charitable incorporated organisation (CIO)",
    "vcse": "Yes",
    "charity_number": "01234567"[1:],  # a leading zero is kept as written
    "membership_tier": "Associate member",
    "services": "Health and wellbeing, Employment, education and skills, Community development",
    "areas": "Yorkshire and the Humber",
    "website": "https://example.org/calder-food",
    "email": "hello@example.org",
    "looking_for_partners": "Yes",
    "partnership_interests": "Food and health bids\nwith other Calderdale groups.",
    "policies": "- Safeguarding\n- Equality and diversity\n",
    "maintainers": "calder-food\n",
    "about": "We run pantries.\n\n### Where we work\n\nAcross Calderdale.",
}


def test_answers_one_by_one_make_a_profile_that_passes_make_check(project_copy, tmp_path):
    result = run_converter(project_copy, issue_body(NEW_ORGANISATION), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ("Issue #17: wrote members/calder-valley-food-network.md: Add the profile "
                             "members/calder-valley-food-network.md.\n")
    text = (project_copy / "members/calder-valley-food-network.md").read_text(encoding="utf-8")
    assert 'charity_number: "1234567"\n' in text
    assert "services:\n  - health-and-wellbeing\n  - employment-and-skills\n  - community-development\n" in text
    assert 'partnership_interests: "Food and health bids with other Calderdale groups."\n' in text
    assert f"last_verified: {SITE_TODAY}\n---\nWe run pantries.\n\n### Where we work\n\nAcross Calderdale.\n" in text
    check = subprocess.run([sys.executable, "-m", "validation", "--strict", "members/calder-valley-food-network.md"],
                           cwd=project_copy, env={**os.environ, "PYTHONPATH": str(project_copy / "plugins"),
                                                  "SITE_TODAY": SITE_TODAY},
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout


def test_an_update_changes_only_the_answered_fields(converter):
    before = (ROOT / "members/living-options-devon.md").read_text(encoding="utf-8")
    body = issue_body({"request": REQUESTS["update"], "profile": "living-options-devon",
                       "services": "Disability, Advice and advocacy", "track_record": (
                           "Lead partner of the Fusion Consortium in Devon, solely accountable to the local "
                           "authority commissioner for the consortium's finances and delivery\n"
                           "Advice line for disabled people in Devon, 2024 to 2026"),
                       "website": "https://example.org/lod"})
    change = converter.convert(body)
    assert changed_lines(before, change.text) == [
        "+  - advice-and-advocacy",
        '+website: "https://example.org/lod"',
        '+  - "Advice line for disabled people in Devon, 2024 to 2026"',
    ]
    assert change.text.index("website:") < change.text.index("can_lead_bids:"), "in the schema's order"


def test_a_profile_is_named_by_its_address_its_editors_address_or_its_short_name():
    from tools.issue_to_profile.convert import member_slug

    for answer in ("disc", " https://example.org/consortium/members/disc/ ", "https://example.org/members/disc",
                   "https://example.org/contribute/profile/?member=disc"):
        assert member_slug(answer) == "disc", answer


def test_a_dropdown_left_unchosen_leaves_its_field_as_it_is(converter):
    before = (ROOT / "members/disc.md").read_text(encoding="utf-8")
    body = issue_body({"request": REQUESTS["update"], "profile": "disc", "size_band": "None", "vcse": "None",
                       "services": "None"})
    assert converter.convert(body).text == before


def test_an_update_moves_last_verified_to_today():
    converter = Converter(ROOT, dt.date(2027, 1, 5))
    before = (ROOT / "members/disc.md").read_text(encoding="utf-8")
    change = converter.convert(issue_body({"request": REQUESTS["update"], "profile": "disc",
                                           "phone": "0113 496 0001"}))
    added = [line for line in changed_lines(before, change.text) if line.startswith("+")]
    assert sorted(added) == ["+last_verified: 2027-01-05", '+phone: "0113 496 0001"']
    assert all("phone" in line or "last_verified" in line for line in changed_lines(before, change.text))


def test_confirming_nothing_has_changed_moves_only_last_verified():
    converter = Converter(ROOT, dt.date(2027, 3, 1))
    before = (ROOT / "members/havs.md").read_text(encoding="utf-8")
    change = converter.convert(issue_body({"request": REQUESTS["confirm"], "profile": "havs"}))
    assert [line for line in changed_lines(before, change.text) if line.startswith("+")] == \
        ["+last_verified: 2027-03-01"]
    # From the editor: the browser's date, unless that is still tomorrow in the UK.
    sent = before.replace(f"last_verified: {SITE_TODAY}", "last_verified: 2027-02-28")
    change = converter.convert(issue_body({"request": REQUESTS["confirm"], "profile": "havs", "profile_file": sent}))
    assert change.text == sent


def test_confirming_refuses_a_file_that_changes_more():
    before = (ROOT / "members/havs.md").read_text(encoding="utf-8")
    sent = before.replace("summary: \"", "summary: \"Not much, really. ", 1)
    assert sent != before
    with pytest.raises(RequestError) as refused:
        Converter(ROOT, TODAY).convert(issue_body({"request": REQUESTS["confirm"], "profile": "havs",
                                                   "profile_file": sent}))
    assert str(refused.value) == (
        "You chose \"Confirm nothing has changed\", but the profile file changes more than the date it was "
        "checked. To make those changes, choose \"Update an existing profile\" (edit the issue).")


# -- a tender ------------------------------------------------------------------------------


def test_interest_in_a_tender_adds_one_line_and_keeps_every_other_byte(project_copy, tmp_path):
    tender = project_copy / "content/tenders/example-youth-employment-wolverhampton.md"
    before = tender.read_text(encoding="utf-8")
    body = issue_body({"request": REQUESTS["tender"], "profile": "disc",
                       "tender": "https://example.org/tenders/example-youth-employment-wolverhampton/"})
    result = run_converter(project_copy, body, tmp_path)
    assert result.returncode == 0, result.stdout
    after = tender.read_text(encoding="utf-8")
    assert after == before.replace("interested_members:\n  - example-youth-trust\n",
                                   "interested_members:\n  - example-youth-trust\n  - disc\n")
    # Said again (the issue edited): nothing more to change.
    result = run_converter(project_copy, body, tmp_path)
    assert result.returncode == 0 and "nothing to change" in result.stdout
    assert tender.read_text(encoding="utf-8") == after


def test_interest_in_a_tender_without_interested_members_starts_the_list(converter):
    before = (ROOT / "content/tenders/norfolk-link-host-contract.md").read_text(encoding="utf-8")
    assert "interested_members" not in before
    change = converter.convert(issue_body({"request": REQUESTS["tender"], "profile": "voluntary-norfolk",
                                           "tender": "norfolk-link-host-contract"}))
    assert changed_lines(before, change.text) == ["+interested_members:", "+  - voluntary-norfolk"]
    assert change.text.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]


# -- hostile issues ------------------------------------------------------------------------------

DISC = (ROOT / "members/disc.md").read_text(encoding="utf-8")
HAVS = (ROOT / "members/havs.md").read_text(encoding="utf-8")


def disc_with(extra: str) -> str:
    return DISC.replace("---\n", "---\n" + extra, 1)


def update(**answers) -> str:
    return issue_body({"request": REQUESTS["update"], "profile": "disc", **answers})


NOT_READ = "The profile file cannot be read:\n\n- line 2: {}\n\nFix these, then edit the issue: it is checked again."
NOT_PUBLISHED = "The profile cannot be published as it is:\n\n- {}\n\nFix these, then edit the issue: it is checked again."
HOSTILE = {
    "an unknown question": (
        issue_body({"request": REQUESTS["update"] + "\n\n### slug\n\n../../.github/workflows/x", "profile": "disc"}),
        "The answer to \"What would you like to do?\" contains the heading `### slug`, which is not a question of "
        "this form, so it cannot be used. Remove it and write each answer under its own question, then edit "
        "the issue."),
    "an unknown field in the file": (
        update(profile_file=disc_with("save_as: \"../../index.html\"\n")),
        "The profile file has the field `save_as`, which profiles do not have. Remove it (the fields a profile "
        "can have are listed in CONTRIBUTING.md), then edit the issue."),
    "another profile's file": (
        update(profile_file=HAVS),
        "The issue is for the profile `disc`, but the organisation `Harrow Association of Voluntary Services "
        "(HAVS)` already has its profile in members/havs.md. Choose that profile (its short name is `havs`), "
        "then edit the issue."),
    "a new profile named as an existing one": (
        issue_body({"request": REQUESTS["add"], "profile": "harrow-avs",
                    "profile_file": HAVS}),
        "The issue is for a new profile, but the organisation `Harrow Association of Voluntary Services (HAVS)` "
        "already has its profile in members/havs.md. Choose that profile (its short name is `havs`), then edit "
        "the issue."),
    "a path out of members/": (
        issue_body({"request": REQUESTS["add"], "profile": "../../.github/workflows/check",
                    "profile_file": DISC}),
        "`../../.github/workflows/check` is not the short name of a profile: a short name has only lower-case "
        "letters, digits and single hyphens (no '/', '..' or spaces), for example example-community-trust. Edit "
        "the issue and write the page's address or its short name."),
    "an address with ../": (
        update(profile="https://example.org/members/../../etc/passwd"),
        "`https://example.org/members/../../etc/passwd` is not the address of a profile on the site: it should "
        "end /members/<short-name>/. Copy the address of the page, then edit the issue."),
    "a tender path out of content/tenders/": (
        issue_body({"request": REQUESTS["tender"], "profile": "disc", "tender": "..%2f..%2fmembers%2fdisc"}),
        "`..%2f..%2fmembers%2fdisc` is not the short name of a tender: a short name has only lower-case letters, "
        "digits and single hyphens (no '/', '..' or spaces), for example example-community-trust. Edit the "
        "issue and write the page's address or its short name."),
    "a YAML alias bomb": (
        update(profile_file=disc_with('a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n')),
        NOT_READ.format("anchors and aliases ('&' and '*') are not allowed; write the value out in full")),
    "a YAML tag": (
        update(profile_file=disc_with('website: !!python/object/apply:os.system ["id"]\n')),
        NOT_READ.format("the YAML tag '!!python/object/apply:os.system' is not allowed; remove the tag (the part "
                        "starting with '!')")),
    "a field given twice": (
        update(profile_file=disc_with('name: "Someone else"\n')),
        "The profile file cannot be read:\n\n- line 3: the field 'name' is given twice; keep one of them\n\nFix "
        "these, then edit the issue: it is checked again."),
    "two YAML documents": (
        update(profile_file=disc_with('name: "X"\n--- !!str\nmore\n...\n')),
        "The profile file cannot be read:\n\n- line 3: the front matter is not valid YAML: but found another "
        "document; check the indentation and put quotes around values that contain ': ' or start with a "
        "special character\n\nFix these, then edit the issue: it is checked again."),
    "a merge key": (
        update(profile_file=disc_with("<<: {name: x}\n")),
        NOT_READ.format("merge keys ('<<') are not allowed; write the fields out in full")),
    "a script in a field": (
        update(name="<script>alert(1)</script>"),
        NOT_PUBLISHED.format("\"Organisation name (needed for a new profile)\": HTML is not allowed in fields; "
                             "write plain text without '<' tags")),
    "a script in the file's text": (
        update(profile_file=DISC + "\n<script>alert(1)</script>\n"),
        None),  # the line number is the file's: checked below
    "HTML in the about text": (
        update(about='<img src=x onerror="alert(1)">'),
        NOT_PUBLISHED.format("\"About your organisation\": raw HTML ('<img>') is not allowed; use Markdown "
                             "instead: **bold**, [link text](https://example.org), '## ' for headings")),
    "a javascript: address": (
        update(website="javascript:alert(1)"),
        NOT_PUBLISHED.format("\"Website\": 'javascript:alert(1)' is not a web address; write the full address "
                             "starting with https://")),
    "a choice the form does not offer": (
        update(services="Disability, Hacking"),
        "`Hacking` is not one of the choices for \"Services (needed for a new profile)\". Edit the issue and "
        "choose from the list."),
    "text that is not the form": (
        "Please add us: name: x\n\n### What would you like to do?\n\nAdd a new profile",
        "The issue's text does not follow the form: it should start with the question \"### What would you "
        "like to do?\". Open a new issue with the form \"Add or update a member profile\" and answer its "
        "questions there."),
    "a request the form does not offer": (
        issue_body({"request": "Delete every profile", "profile": "disc"}),
        "`Delete every profile` is not one of the choices for \"What would you like to do?\": choose \"Add a new "
        "profile\", \"Update an existing profile\", \"Confirm nothing has changed\", \"Say we could bid for a "
        "tender\"."),
    "an unticked box": (
        issue_body({"request": REQUESTS["update"], "profile": "disc"}, ticked=False),
        f"Tick the box \"{CHECKED}\" at the end of the form (edit the issue), so that we know the details may be "
        f"published."),
    "an existing profile sent as new": (
        issue_body({"request": REQUESTS["add"], "name": "DISC"}),
        "There is already a profile called `disc` (members/disc.md). To change it, choose \"Update an existing "
        "profile\"; for a new organisation, give it a short name of its own."),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=lambda case: case.replace(" ", "-"))
def test_a_hostile_issue_is_refused_with_its_message(converter, case):
    body, message = HOSTILE[case]
    with pytest.raises(RequestError) as refused:
        converter.convert(body)
    if message is None:
        line = DISC.count("\n") + 2
        message = NOT_PUBLISHED.format(f"line {line}, body: raw HTML ('<script>') is not allowed; use Markdown "
                                       f"instead: **bold**, [link text](https://example.org), '## ' for headings")
    assert str(refused.value) == message


def test_an_issue_of_more_than_a_megabyte_is_refused_before_it_is_read(project_copy, tmp_path):
    body = update(about="word " * (MAX_BODY_BYTES // 5)).encode("utf-8")
    assert len(body) > MAX_BODY_BYTES
    result = run_converter(project_copy, body, tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == ("Issue #17 could not be turned into a change.\n\nThe issue's text is longer than "
                             "1024 KB, far more than a profile needs, so it was not read. Shorten it, then edit "
                             "the issue.\n")


def test_a_refused_issue_writes_nothing_and_shows_no_traceback(project_copy, tmp_path):
    before = {path: path.read_bytes() for path in (project_copy / "members").iterdir()}
    for case in ("a path out of members/", "a YAML alias bomb", "a script in a field"):
        result = run_converter(project_copy, HOSTILE[case][0], tmp_path)
        assert result.returncode == 1 and result.stderr == "", result.stderr
        assert "Traceback" not in result.stdout and HOSTILE[case][1] in result.stdout
    assert {path: path.read_bytes() for path in (project_copy / "members").iterdir()} == before


def test_the_converter_writes_only_under_members_and_tenders(project_copy):
    from tools.issue_to_profile import Change

    for path in ("members/../pelicanconf.md", ".github/workflows/x.md", "members/Bad Name.md", "members/x.py"):
        with pytest.raises(RequestError, match="is not a file this workflow may write"):
            write(Change("add", path, "text", "", "x"), project_copy)
    settings = (project_copy / "pelicanconf.py").read_bytes()
    (project_copy / "members/linked.md").symlink_to(project_copy / "pelicanconf.py")
    with pytest.raises(RequestError, match="is not a file this workflow may write"):
        write(Change("add", "members/linked.md", "text", "", "linked"), project_copy)
    assert (project_copy / "pelicanconf.py").read_bytes() == settings


def test_the_converter_has_help():
    result = subprocess.run([sys.executable, "-m", "tools.issue_to_profile", "--help"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "interested_members" in result.stdout


LABELS = [element["attributes"]["label"] for element in issue_forms.FORM["body"] if "id" in element]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(LABELS).map(lambda label: f"### {label}"),
                          st.sampled_from(list(REQUESTS.values()) + ["_No response_", "disc", "---", "```markdown",
                                                                     "```", "name: x", "- [X] " + CHECKED]),
                          st.text(max_size=40)), max_size=30))
def test_any_issue_text_gives_a_change_or_a_message(converter, lines):
    try:
        change = converter.convert("\n\n".join(lines))
    except RequestError as error:
        assert str(error)
    else:
        assert change.path.startswith(("members/", "content/tenders/"))
