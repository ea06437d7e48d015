"""The profile editor (/contribute/profile/): the form made from the member
schema, the canonical profile file it writes, its messages (make check's
own), the three ways to send a profile, "nothing has changed", and "We
could bid for this" on an open tender.

The build tests read the real site with BeautifulSoup; the browser tests
drive Debian's Chromium by keyboard, and check each file the editor makes
with the real validator, in a copy of the project."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from building import ROOT, SITE_TODAY
from contribute.profile_file import layout, write_profile
from frontmatter.parse import parse_document, read_document
from site_helpers import page
from tools.synthetic import copy_project
from validation.schemas import load_schemas
from validation.validate import DocumentValidator
from validation.vocabularies import load_vocabularies

MEMBERS = sorted((ROOT / "members").glob("*.md"))
EDITOR = "contribute/profile/"
LOD = ROOT / "members" / "living-options-devon.md"
#: GitHub refuses longer addresses (see the README).
URL_LIMIT = 8000


@pytest.fixture(scope="module")
def vocabularies() -> dict:
    return load_vocabularies(ROOT)


@pytest.fixture(scope="module")
def member_schema(vocabularies) -> dict:
    return load_schemas(vocabularies)["member"]


def config(site) -> dict:
    return json.loads(page(site, EDITOR).find("script", id="app-profile-editor-config").string)


def validator_says(schema, vocabularies, text: str, field: str) -> list[str]:
    """What make check reports for ``field`` of a profile, as 'message; hint'."""
    document = parse_document(text.encode("utf-8"), "members/living-options-devon.md")
    _, problems = DocumentValidator("member", schema, vocabularies, dt.date.fromisoformat(SITE_TODAY)).validate(document)
    return [f"{p.message}; {p.hint}" if p.hint else p.message for p in problems if p.field == field]


#: The day the editing tests' browser reads the editor on: after the day
#: Living Options Devon was last checked (SITE_TODAY), which editing moves on.
EDITED_ON = "2026-11-25"


def make_check_on(tmp_path: Path, slug: str, text: str, today: str = SITE_TODAY) -> subprocess.CompletedProcess:
    """`python -m validation` (make check), as of ``today``, on a copy of the project with this profile
    written into members/."""
    project = copy_project(tmp_path / "project")
    (project / "members" / f"{slug}.md").write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "validation"], cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project / "plugins"), "SITE_TODAY": today, "PATH": "/usr/bin:/bin"},
                          timeout=120)


# -- the canonical layout -----------------------------------------------------------------


@pytest.mark.parametrize("path", MEMBERS, ids=[p.stem for p in MEMBERS])
def test_every_real_profile_is_in_the_canonical_layout(path, member_schema):
    document = read_document(path, str(path))
    assert write_profile(document.meta, document.body, layout(member_schema)) == path.read_text(encoding="utf-8")


def test_the_canonical_layout_quotes_whatever_yaml_could_read_differently(member_schema, vocabularies):
    meta = {"name": "No", "summary": "Yes: a summary with a colon, # a hash and \"quotes\".", "legal_form": "not-stated",
            "company_number": "01234567", "membership_tier": "full", "services": ["carers"], "areas": ["leeds"],
            "maintainers": ["@not-a-name", "octocat"], "last_verified": "2026-01-05", "vcse": "true"}
    text = write_profile(meta, "", layout(member_schema))
    assert 'name: "No"' in text and 'company_number: "01234567"' in text and "vcse: true" in text
    assert "  - octocat" in text and '  - "@not-a-name"' in text and "last_verified: 2026-01-05" in text
    assert parse_document(text.encode(), "members/x.md").meta == meta


# -- the page the build writes -----------------------------------------------------------


def test_editor_has_a_labelled_control_for_every_field_a_member_fills_in(site, member_schema, vocabularies):
    document = page(site, EDITOR)
    form = document.select_one("[data-editor-form]")
    shown = [group["data-field"] for group in form.select("[data-field]")]
    expected = [name for name in member_schema["properties"] if name not in ("sources", "example")]
    assert shown == expected + ["body"]
    for name in expected:
        group = form.select_one(f'[data-field="{name}"]')
        label = group.find(["label", "legend"]).get_text(" ", strip=True)
        assert label.endswith("(required)") == (name in member_schema["required"]), name
        assert group.find(id=f"field-{name}-error") is not None
        assert document.find(id=f"field-{name}") is not None or group.select_one("[data-list]") is not None
    services = form.select('input[type="checkbox"][name="services"]')
    assert [(box["value"], document.find("label", attrs={"for": box["id"]}).get_text()) for box in services] == \
        [(term.id, term.label) for term in vocabularies["services"].terms.values()]
    legal_forms = form.select('select[name="legal_form"] option')[1:]
    assert [option["value"] for option in legal_forms] == list(vocabularies["legal_forms"].terms)
    assert form.select_one('[data-field="website"] input')["type"] == "url"
    assert form.select_one('[data-field="email"] input')["type"] == "email"
    assert "Markdown" in document.find(id="field-body-hint").get_text() or "[the words]" in document.find(id="field-body-hint").get_text()


def test_editor_page_has_no_inline_script_style_or_handler(site):
    for url in (EDITOR, "tenders/example-community-recovery-leeds/", "members/living-options-devon/"):
        document = page(site, url)
        for script in document.find_all("script"):
            assert script.get("src") or script.get("type") in ("application/json", "application/ld+json") \
                or "app-no-js" in script.get_text(), url  # base.html's class switch is not this page's
        assert not document.find_all(style=True), url
        assert not [tag for tag in document.find_all(True) if any(a.startswith("on") for a in tag.attrs)], url
        assert "javascript:" not in str(document), url


def test_member_schema_code_is_standalone_and_compiles_nothing(site):
    code = (site / "theme/js/member-schema.js").read_text(encoding="utf-8")
    assert "new Function" not in code and "eval(" not in code
    # It runs where there is no module system and no network: only `window`.
    script = ("const vm = require('vm'); const fs = require('fs'); const sandbox = {window: {}};"
              "vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), sandbox);"
              "const check = sandbox.window.appMemberSchema;"
              "console.log(JSON.stringify([check({}), check.errors.map(e => e.params.missingProperty)]))")
    ran = subprocess.run(["node", "-e", script, str(site / "theme/js/member-schema.js")],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == [False, ["name", "summary", "legal_form", "membership_tier", "services",
                                              "areas", "last_verified"]]
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["ajv"] == "8.20.0"
    assert "ajv 8.20.0" in code


def test_each_profile_page_holds_what_the_editor_loads(site):
    for path in MEMBERS:
        data = json.loads(page(site, f"members/{path.stem}/").find("script", id="app-profile-data").string)
        document = read_document(path, str(path))
        assert data == {"slug": path.stem, "meta": document.meta, "body": document.body.strip("\n")}


def test_editor_messages_are_taken_from_the_validator(site, member_schema, vocabularies):
    messages = config(site)["messages"]
    original = LOD.read_text(encoding="utf-8")
    bad_website = original.replace("can_lead_bids: true\n", 'website: "javascript:alert(1)"\ncan_lead_bids: true\n')
    web = messages["website"]["web"]
    assert validator_says(member_schema, vocabularies, bad_website, "website") == \
        [f"{web['message'].replace('{value}', 'javascript:alert(1)')}; {web['hint']}"]
    # A required field left empty: make check's message, with what to do in
    # the form in place of the line to add to the file.
    required = messages["name"]["required"]
    said = validator_says(member_schema, vocabularies, re.sub(r"^name: .*\n", "", original, flags=re.M), "name")
    assert said == [f"{required['message']}; add 'name:' (The organisation's name as registered or as it calls "
                    "itself)"] and required["hint"] == "type it in"
    controls = {field["name"]: field["control"] for field in config(site)["fields"]}
    for name in member_schema["required"]:
        assert messages[name]["required"] == {"message": "is missing", "hint": {
            "text": "type it in", "date": "type the date, for example 2026-05-01", "select": "choose one from the list",
            "checkboxes": "tick at least one"}[controls[name]]}, name


def test_without_javascript_the_page_offers_the_template_and_the_email_route(site):
    document = page(site, EDITOR)
    assert document.select_one('[data-module="app-profile-editor"]').has_attr("hidden")
    fallback = document.select_one("[data-editor-fallback]")
    assert not fallback.has_attr("hidden")
    links = [a["href"] for a in fallback.find_all("a")]
    assert any(href.startswith("https://github.com/example-consortium/consortium-directory/new/main?"
                               "filename=members/your-organisation-name.md&value=") for href in links)
    template = site / "contribute/profile/member-template.md"
    assert template.read_text(encoding="utf-8").startswith("---\n# A new member profile.")
    assert "/contribute/profile/member-template.md" in links
    email = next(urlsplit(href) for href in links if href.startswith("mailto:"))
    assert email.path == "maintainers@example.org"
    assert parse_qs(email.query)["body"] == [template.read_text(encoding="utf-8")]
    for name in ("Organisation name", "Legal form", "Services", "Areas served"):
        assert name in fallback.get_text()


def test_open_tenders_offer_we_could_bid_for_this_and_closed_ones_do_not(site):
    opened = page(site, "tenders/example-community-recovery-leeds/")
    form = opened.select_one("form.app-bid-interest")
    assert form["action"] == "/contribute/profile/" and form["method"] == "get"
    assert form.find("input", attrs={"name": "tender"})["value"] == "example-community-recovery-leeds"
    assert form.find("input", attrs={"name": "member"})["id"] == "bid-interest-member"
    # The browser's "Please match the requested format" goes on to say which format.
    assert "such as living-options-devon" in form.find("input", attrs={"name": "member"})["title"]
    assert form.find("button").get_text() == "We could bid for this"
    assert page(site, "tenders/northumberland-hidden-harm-service-2008/").select_one("form.app-bid-interest") is None


def test_the_contribute_page_and_home_page_lead_to_the_form_first(site):
    contribute = page(site, "contribute/")
    first = contribute.select_one(".app-ways-in a")
    assert first["href"] == "/contribute/profile/"
    home = page(site, "")
    links = [a["href"] for a in home.find_all("a")]
    assert "/contribute/profile/" in links
    assert links.index("/contribute/profile/") < next(
        (i for i, href in enumerate(links) if href.startswith("https://github.com/")), len(links))


# -- in the browser ----------------------------------------------------------------------


def tab_to(page, selector: str, limit: int = 400, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} never got the focus by keyboard")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.insert_text(text)


def choose_option(page, selector: str, value: str) -> None:
    tab_to(page, selector)
    for _ in range(60):
        if page.evaluate("s => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not among the options of {selector}")


def check_box(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")


def submit(page) -> None:
    tab_to(page, '[data-editor-form] button[type="submit"]')
    page.keyboard.press("Enter")


def profile_file(page) -> str:
    page.wait_for_selector("[data-result]:not([hidden])")
    return page.eval_on_selector("[data-profile-file]", "element => element.textContent")


def open_editor(page, site_url, query: str = "", loads_a_profile: bool = True) -> None:
    page.goto(f"{site_url}/{EDITOR}{query}")
    page.wait_for_selector('[data-module="app-profile-editor"]:not([hidden])')
    if "member=" in query and loads_a_profile:
        page.wait_for_function("document.getElementById('field-name').value !== ''")


@pytest.fixture
def sized_page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.page_errors = errors
    yield tab
    context.close()


@pytest.mark.browser
def test_the_javascript_writer_gives_back_every_real_profile_byte_for_byte(page, site_url):
    """Byte for byte but for the date it was last checked, which sending
    the form moves to today."""
    page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{EDITED_ON}T10:00:00+00:00"))
    for path in MEMBERS:
        open_editor(page, site_url, f"?member={path.stem}")
        page.click('[data-editor-form] button[type="submit"]')
        original = path.read_text(encoding="utf-8")
        assert original.count("\nlast_verified: ") == 1, path.name
        expected = re.sub(r"^last_verified: .*$", f"last_verified: {EDITED_ON}", original, flags=re.MULTILINE)
        assert profile_file(page) == expected, path.name
    assert not page.page_errors


@pytest.mark.browser
@pytest.mark.parametrize("sized_page", [320, 1280], indirect=True, ids=["320px", "1280px"])
def test_a_new_organisation_by_keyboard_only_makes_a_valid_profile(sized_page, site_url, tmp_path):
    page = sized_page
    open_editor(page, site_url)
    type_into(page, "#field-name", "Example Friends of the Park")
    type_into(page, "#field-summary", "A volunteer group that looks after a park in Leeds.")
    choose_option(page, "#field-legal_form", "unincorporated-association")
    choose_option(page, "#field-membership_tier", "associate")
    check_box(page, '[name="services"][value="play-and-leisure"]')
    check_box(page, '[name="areas"][value="leeds"]')
    type_into(page, "#field-company_number", "07654321")
    type_into(page, "#field-website", "https://example.org/park")
    tab_to(page, "#field-track_record-add")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("Ran the park's summer activity days, 2025")
    for policy in ("Safeguarding", "A policy added by mistake"):  # a list item added, then one removed
        tab_to(page, "#field-policies-add")
        page.keyboard.press("Enter")
        page.keyboard.insert_text(policy)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Remove policy 2"
    page.keyboard.press("Enter")
    assert page.locator('[data-list="policies"] input').count() == 1
    type_into(page, "#field-body", "We look after the park.\n\nAnyone can join.")
    submit(page)
    text = profile_file(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert 'company_number: "07654321"' in text and "  - play-and-leisure" in text
    assert 'policies:\n  - "Safeguarding"\ntrack_record:\n  - "Ran the park\'s summer activity days, 2025"\n' in text
    assert text.endswith("---\nWe look after the park.\n\nAnyone can join.\n")
    today = page.evaluate("() => new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/London'}).format(new Date())")
    assert f"last_verified: {today}\n" in text
    checked = make_check_on(tmp_path, "example-friends-of-the-park", text, today)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    download = page.get_attribute("[data-download]", "download")
    assert download == "example-friends-of-the-park.md"
    assert not page.page_errors


def edit_living_options_devon(page, site_url) -> str:
    """Add a service and a track-record line to Living Options Devon, by
    keyboard, on EDITED_ON (10:00 in London); return the file."""
    page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{EDITED_ON}T10:00:00+00:00"))
    open_editor(page, site_url, "?member=living-options-devon")
    check_box(page, '[name="services"][value="carers"]')
    tab_to(page, "#field-track_record-add")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("Ran a user-led advice line in Devon")
    submit(page)
    return profile_file(page)


@pytest.mark.browser
@pytest.mark.parametrize("sized_page", [320, 1280], indirect=True, ids=["320px", "1280px"])
def test_editing_living_options_devon_changes_only_what_was_changed(sized_page, site_url, tmp_path):
    text = edit_living_options_devon(sized_page, site_url)
    original = LOD.read_text(encoding="utf-8")
    track_record = [line for line in original.splitlines() if line.startswith("  - \"Lead partner")][0]
    expected = original.replace("services:\n  - disability\n", "services:\n  - disability\n  - carers\n") \
        .replace(track_record + "\n", track_record + '\n  - "Ran a user-led advice line in Devon"\n') \
        .replace(f"last_verified: {SITE_TODAY}\n", f"last_verified: {EDITED_ON}\n")
    # Sending changes is checking the profile: its date moves to today, and
    # the form said so by the field, where the member could change it back.
    assert f"last_verified: {SITE_TODAY}\n" in original and text == expected
    note = sized_page.locator("#field-last_verified-note")
    assert note.is_visible() and note.text_content() == \
        f"Set to today, as you are checking the profile now. It was {SITE_TODAY}."
    assert "field-last_verified-note" in sized_page.get_attribute("#field-last_verified", "aria-describedby")
    checked = make_check_on(tmp_path, "living-options-devon", text, today=EDITED_ON)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sized_page.evaluate("document.documentElement.scrollWidth") <= sized_page.viewport_size["width"]


@pytest.mark.browser
def test_a_clock_behind_the_profile_s_date_does_not_move_it_back(page, site_url):
    page.clock.set_fixed_time(dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc))  # before SITE_TODAY
    open_editor(page, site_url, "?member=living-options-devon")
    assert page.input_value("#field-last_verified") == SITE_TODAY
    assert page.is_hidden("#field-last_verified-note")


@pytest.mark.browser
@pytest.mark.parametrize("field, value, selector", [
    ("email", "bob", "#field-email"),
    ("website", "javascript:alert(1)", "#field-website"),
    ("website", "https://www.example.org@elsewhere.example/", "#field-website"),
    ("email", "info%40example.org?bcc=someone%40elsewhere.example&x=@example.org", "#field-email"),
    ("name", "", "#field-name"),
    ("body", "See [our site](javascript:alert(1)).", "#field-body"),
])
def test_a_mistake_shows_make_checks_message_by_the_field_and_in_the_summary(
        page, site_url, member_schema, vocabularies, field, value, selector):
    open_editor(page, site_url, "?member=living-options-devon")
    type_into(page, selector, value)
    submit(page)
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    original = LOD.read_text(encoding="utf-8")
    if field == "body":
        wrong = original[: original.index("\n---\n") + 5] + value + "\n"
    elif value:
        wrong = original.replace("last_verified:", f'{field}: "{value}"\nlast_verified:', 1)
    else:
        wrong = re.sub(rf"^{field}: .*\n", "", original, flags=re.M)
    expected = validator_says(member_schema, vocabularies, wrong, field)
    assert len(expected) == 1
    if not value:  # make check says to add the line; the form says what to do in the form
        assert expected[0].startswith("is missing; add 'name:'")
        expected = ["is missing; type it in"]
    inline = page.text_content(f"#field-{field}-error")
    assert inline == f"Error: {expected[0]}"
    links = page.locator("[data-error-summary] a")
    assert links.count() == 1
    assert links.first.inner_text().endswith(f": {expected[0]}")
    assert links.first.get_attribute("href") == selector
    links.first.press("Enter")
    assert page.evaluate(f"document.activeElement.matches('{selector}')")
    assert page.is_hidden("[data-result]")
    assert not page.page_errors


@pytest.mark.browser
def test_axe_finds_nothing_on_the_empty_filled_and_error_states(page, site_url):
    from test_browser_accessibility import describe, run_axe

    open_editor(page, site_url)
    assert not (violations := run_axe(page)), describe(violations)
    open_editor(page, site_url, "?member=living-options-devon&tender=example-community-recovery-leeds")
    assert not (violations := run_axe(page)), describe(violations)
    type_into(page, "#field-email", "bob")
    type_into(page, "#field-name", "")
    submit(page)
    page.wait_for_selector("[data-error-summary]:not([hidden])")
    assert not (violations := run_axe(page)), describe(violations)
    type_into(page, "#field-email", "")
    type_into(page, "#field-name", "Living Options Devon")
    submit(page)
    profile_file(page)
    assert not (violations := run_axe(page)), describe(violations)
    assert not page.page_errors


@pytest.mark.browser
def test_github_and_email_routes_hold_the_file(page, site_url):
    text = edit_living_options_devon(page, site_url)
    github = urlsplit(page.get_attribute("[data-github-link]", "href"))
    assert f"{github.scheme}://{github.netloc}{github.path}" == \
        "https://github.com/example-consortium/consortium-directory/issues/new"
    query = parse_qs(github.query, keep_blank_values=True)
    assert query == {"template": ["add-or-update-member.yml"], "title": ["Member profile: Living Options Devon"],
                     "request": ["Update an existing profile"], "profile": ["living-options-devon"],
                     "profile_file": [text]}
    assert page.is_hidden("[data-github-paste]")
    email = urlsplit(page.get_attribute("[data-email-link]", "href"))
    assert email.scheme == "mailto" and email.path == "maintainers@example.org"
    assert parse_qs(email.query) == {"subject": ["Member profile: Living Options Devon"], "body": [text]}
    download = page.get_attribute("[data-download]", "href")
    assert unquote(download.removeprefix("data:text/markdown;charset=utf-8,")) == text
    assert page.get_attribute("[data-download]", "download") == "living-options-devon.md"


@pytest.mark.browser
def test_a_profile_too_long_for_an_address_is_pasted_on_github(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    opened = []
    page.route("https://github.com/**", lambda route: (opened.append(route.request.url),
                                                        route.fulfill(body="<title>GitHub</title>")))
    open_editor(page, site_url, "?member=living-options-devon")
    long_body = "\n\n".join(f"Paragraph {n}: " + "the consortium's work in Devon, told at length. " * 40
                            for n in range(5))
    tab_to(page, "#field-body")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(long_body)
    submit(page)
    text = profile_file(page)
    href = page.get_attribute("[data-github-link]", "href")
    query = parse_qs(urlsplit(href).query, keep_blank_values=True)
    assert "profile_file" not in query and query["request"] == ["Update an existing profile"]
    assert len(href) < URL_LIMIT
    full = href + "&profile_file=" + re.sub(r"[^A-Za-z0-9\-_.!~*'()]", lambda m: "".join(
        f"%{b:02X}" for b in m.group().encode()), text)
    assert len(full) > URL_LIMIT
    assert page.is_visible("[data-github-paste]")
    assert "Profile file" in page.inner_text("[data-github-paste]")
    page.evaluate("navigator.clipboard.writeText('')")  # so that what is read below was copied by the click
    tab_to(page, "[data-github-link]")
    page.keyboard.press("Enter")
    page.wait_for_url("https://github.com/**")
    assert opened and "profile_file" not in opened[0]
    page.goto(f"{site_url}/{EDITOR}")
    assert page.evaluate("navigator.clipboard.readText()") == text
    context.close()


@pytest.mark.browser
def test_nothing_has_changed_moves_only_last_verified_to_today_in_the_uk(page, site_url):
    # 23:30 in UTC on 30 June is already 1 July in London (British Summer Time).
    page.clock.set_fixed_time(dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.timezone.utc))
    open_editor(page, site_url, "?member=living-options-devon")
    tab_to(page, "[data-confirm-unchanged]")
    page.keyboard.press("Enter")
    text = profile_file(page)
    original = LOD.read_text(encoding="utf-8")
    assert "last_verified: 2026-11-22\n" in original
    assert text == original.replace("last_verified: 2026-11-22\n", "last_verified: 2027-07-01\n")
    query = parse_qs(urlsplit(page.get_attribute("[data-github-link]", "href")).query)
    assert query["request"] == ["Confirm nothing has changed"] and query["profile_file"] == [text]


@pytest.mark.browser
def test_we_could_bid_for_this_leads_to_the_github_and_email_routes(page, site_url):
    page.goto(f"{site_url}/tenders/example-community-recovery-leeds/")
    type_into(page, "#bid-interest-member", "living-options-devon")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-tender-interest]:not([hidden])")
    github = urlsplit(page.get_attribute("[data-tender-github]", "href"))
    assert parse_qs(github.query, keep_blank_values=True) == {
        "template": ["add-or-update-member.yml"],
        "title": ["Tender interest: living-options-devon for example-community-recovery-leeds"],
        "request": ["Say we could bid for a tender"], "profile": ["living-options-devon"],
        "tender": ["example-community-recovery-leeds"]}
    email = urlsplit(page.get_attribute("[data-tender-email]", "href"))
    assert email.path == "maintainers@example.org"
    assert parse_qs(email.query)["subject"] == ["Tender interest: living-options-devon for example-community-recovery-leeds"]
    assert "living-options-devon" in parse_qs(email.query)["body"][0]
    # The panel the member came for is the first thing on the page, naming
    # the tender as its page does; "Nothing has changed?" comes after it.
    assert "could bid for the tender \u201cCommunity recovery service for Leeds\u201d" in \
        page.inner_text("[data-tender-summary]")
    assert page.evaluate("document.querySelector('[data-tender-interest]').compareDocumentPosition("
                         "document.querySelector('[data-unchanged]')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert not page.page_errors


@pytest.mark.browser
def test_a_button_does_not_touch_the_text_after_it_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    gap = ("([button, after]) => document.querySelector(after).getBoundingClientRect().top"
           " - document.querySelector(button).getBoundingClientRect().bottom")
    open_editor(page, site_url, "?member=living-options-devon")
    assert page.evaluate(gap, ["[data-confirm-unchanged]", "[data-editor-form] > p"]) >= 16
    page.goto(f"{site_url}/tenders/example-community-recovery-leeds/")
    assert page.evaluate(gap, [".app-bid-interest button", ".app-bid-interest__row + p"]) >= 16
    context.close()


@pytest.mark.browser
def test_an_unknown_member_or_tender_is_said_plainly(page, site_url):
    open_editor(page, site_url, "?member=no-such-member", loads_a_profile=False)
    page.wait_for_selector("[data-load-error]:not([hidden])")
    assert "There is no member profile 'no-such-member'" in page.inner_text("[data-load-error]")
    assert page.is_hidden("[data-editor-form]")
    open_editor(page, site_url, "?member=living-options-devon&tender=no-such-tender")
    page.wait_for_selector("[data-load-error]:not([hidden])")
    assert "There is no tender 'no-such-tender'" in page.inner_text("[data-load-error]")
    assert page.is_hidden("[data-tender-interest]")


@pytest.mark.browser
def test_a_new_profile_may_not_take_the_name_of_one_that_exists(page, site_url):
    open_editor(page, site_url)
    # Values only the site's editors use are not offered to a new profile...
    assert page.locator('#field-legal_form option[value="not-stated"]').count() == 0
    type_into(page, "#field-name", "Living Options Devon")
    type_into(page, "#field-summary", "A second profile for an organisation that has one.")
    choose_option(page, "#field-legal_form", "charitable-company")
    choose_option(page, "#field-membership_tier", "full")
    check_box(page, '[name="services"][value="disability"]')
    check_box(page, '[name="areas"][value="devon"]')
    submit(page)
    page.wait_for_selector("[data-error-summary]:not([hidden])")
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    assert "there is already a profile at /members/living-options-devon/" in page.text_content("#field-name-error")
    assert page.is_hidden("[data-result]")
    # ... but kept for a profile that has one.
    open_editor(page, site_url, "?member=living-options-devon")
    assert page.input_value("#field-legal_form") == "not-stated"


@pytest.mark.browser
def test_without_javascript_the_editor_says_what_to_do_instead(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/{EDITOR}")
    assert page.is_visible("[data-editor-fallback]")
    assert page.is_hidden('[data-module="app-profile-editor"]')
    context.close()


@pytest.mark.browser
def test_a_field_is_checked_as_soon_as_the_member_leaves_it(page, site_url):
    open_editor(page, site_url)
    type_into(page, "#field-email", "bob")
    assert page.is_hidden("#field-email-error")  # not while typing the first time
    page.keyboard.press("Tab")
    assert page.text_content("#field-email-error") == \
        "Error: 'bob' is not an email address; write it as name@example.org, without 'mailto:'"
    assert page.get_attribute("#field-email", "aria-invalid") == "true"
    assert page.is_hidden("#field-name-error")  # an empty field is not an error before the form is sent
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.insert_text("@example.org")
    assert page.is_hidden("#field-email-error")  # corrected as it is typed
    assert page.get_attribute("#field-email", "aria-invalid") is None


def test_without_node_or_ajv_the_build_says_what_to_install(tmp_path, monkeypatch, member_schema):
    from contribute.files import _write_schema_code

    target = tmp_path / "output" / "theme" / "js" / "member-schema.js"
    with pytest.raises(ValueError, match=r"node_modules/ajv is missing: run `make setup`"):
        _write_schema_code(member_schema, target, tmp_path)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on it
    with pytest.raises(ValueError, match=r"Node.js \(`node`\) is not installed"):
        _write_schema_code(member_schema, target, tmp_path)
    assert not target.exists()
