"""The Content Security Policy (CONTENT_SECURITY_POLICY in pelicanconf.py).

Every built page carries it in a <meta http-equiv> and holds nothing it
would refuse (inline script, style or event handler, javascript: URL, a form
that submits elsewhere); in Chromium, with the policy also sent as a header,
no page of any type, with search and the directory's filters in use, reports
a violation.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

import pelicanconf
from building import ROOT
from site_helpers import html_files, soup

POLICY = pelicanconf.CONTENT_SECURITY_POLICY
#: What the README asks a host that can send headers to add.
HEADERS = {
    "Content-Security-Policy": POLICY + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
#: Script types a browser treats as data, never runs.
DATA_SCRIPTS = {"application/json", "application/ld+json"}


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_the_policy_is_strict():
    policy = directives(POLICY)
    assert policy["default-src"] == ["'self'"]
    for name in ("script-src", "style-src", "img-src", "connect-src", "base-uri", "form-action"):
        assert policy[name] == ["'self'"], name
    assert policy["object-src"] == ["'none'"] and policy["frame-src"] == ["'none'"]
    assert not re.search(r"unsafe-|data:|\*|https?:", POLICY), POLICY
    # Directives a browser ignores in a <meta> element belong in headers only.
    assert not {"frame-ancestors", "report-uri", "sandbox"} & set(policy)


def test_the_readme_gives_hosts_the_headers_the_tests_serve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    given = dict(re.findall(r"^  ([A-Za-z-]+): (.+)$", readme, re.M))
    assert given == HEADERS


# -- the built pages --------------------------------------------------------------------------


def _scheme(value: str) -> str:
    """A URL's scheme as a browser reads it: leading spaces and control
    characters, and tabs and newlines anywhere, do not count."""
    cleaned = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                      "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                      "\x1e\x1f ")
    return cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""


def refused(document) -> list[str]:
    """What on a page the policy would refuse, in words."""
    found = []
    head = document.head
    first = head.find_all(recursive=False)[:2] if head else []
    if len(first) < 2 or first[0].name != "meta" or not first[0].has_attr("charset") or \
            first[1].name != "meta" or first[1].get("http-equiv", "").lower() != "content-security-policy":
        found.append("the policy is not the first thing in <head> after <meta charset>")
    elif first[1].get("content") != POLICY:
        found.append(f"the page's policy is {first[1].get('content')!r}, not pelicanconf's")
    for tag in document.find_all(True):
        if tag.name == "script" and not tag.has_attr("src") and tag.get("type", "").lower() not in DATA_SCRIPTS:
            found.append(f"an inline script: {str(tag)[:80]}")
        if tag.name == "style":
            found.append(f"a <style> block: {str(tag)[:80]}")
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"an event handler attribute: <{tag.name} {name}>")
            if name.lower() == "style":
                found.append(f"a style attribute: <{tag.name} style={value!r}>")
            values = value if isinstance(value, list) else [value]
            if any(_scheme(v) == "javascript" for v in values):
                found.append(f"a javascript: URL: <{tag.name} {name}={value!r}>")
    return found


def test_every_page_carries_the_policy_and_nothing_it_would_refuse(site):
    pages = html_files(site)
    assert len(pages) > 100
    problems = [f"{path.relative_to(site)}: {problem}" for path in pages for problem in refused(soup(path))]
    assert problems == [], "\n".join(problems[:20])


def test_the_check_finds_what_the_policy_refuses():
    from bs4 import BeautifulSoup

    page = BeautifulSoup(
        f'<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<style>p{}</style><script>go()</script><script type="application/ld+json">{}</script></head>'
        '<body><p style="color:red" onclick="go()"><a href=" JAVA\tSCRIPT:go()">x</a></p></body></html>',
        "html.parser")
    assert sorted(problem.split(":")[0] for problem in refused(page)) == [
        "a <style> block", "a javascript", "a style attribute", "an event handler attribute", "an inline script"]
    late = BeautifulSoup('<html><head><meta charset="utf-8"><title>x</title></head></html>', "html.parser")
    assert refused(late) == ["the policy is not the first thing in <head> after <meta charset>"]


def test_structured_data_is_the_only_inline_script_and_is_there_to_check(site):
    kinds = {script.get("type") for path in html_files(site) for script in soup(path).find_all("script")
             if not script.has_attr("src")}
    assert "application/ld+json" in kinds and kinds <= DATA_SCRIPTS


def test_every_form_submits_to_the_site(site):
    """form-action 'self': a form that sends people to another host (GitHub,
    a mailto: address) would do nothing; such a thing is a link."""
    forms = 0
    for path in html_files(site):
        for form in soup(path).find_all("form"):
            forms += 1
            for target in [form.get("action", "")] + [b["formaction"] for b in form.find_all(formaction=True)]:
                parts = urlsplit(target)
                assert not parts.scheme and not parts.netloc, f"{path.relative_to(site)}: a form submits to {target}"
    assert forms > 100  # the header's search form is on every page


OWN_SCRIPTS = sorted((ROOT / "theme" / "static" / "js").glob("*.js"))
#: What script-src 'self' (no 'unsafe-eval') and style-src 'self' refuse in code.
REFUSED_IN_CODE = re.compile(
    r"\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(\s*['\"]|\bset(?:Timeout|Interval)\s*\(\s*['\"`]"
    r"|setAttribute\s*\(\s*['\"](?:style|on\w+)['\"]|<\w[^>]*\s(?:style|on\w+)\s*=|\bjavascript:")


@pytest.mark.parametrize("script", OWN_SCRIPTS, ids=lambda path: path.name)
def test_the_themes_scripts_neither_evaluate_strings_nor_write_inline_styles(script):
    code = script.read_text(encoding="utf-8")
    found = [match.group(0) for match in REFUSED_IN_CODE.finditer(code)]
    assert found == [], f"{script.name}: {found}"


def test_the_code_check_finds_what_the_policy_refuses():
    code = ("eval(x); new Function('a'); setTimeout('go()', 1); node.setAttribute('style', 'x');"
            " node.setAttribute(\"onclick\", 'x'); html = '<p style=\"x\">'; a.href = 'javascript:go()';")
    assert len(REFUSED_IN_CODE.findall(code)) == 7
    assert not REFUSED_IN_CODE.search("node.style.display = 'none'; var style = 'x'; setTimeout(go, 1); evaluate(x);")


# -- in Chromium, with the policy sent as a header too ---------------------------------------

#: Records every violation the page reports, from before its first script.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.effectiveDirective + " refused " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber + (event.sample ? " (" + event.sample + ")" : ""));
});
"""

#: One page of each type the brief names (the rest of each type share its template).
PAGES = [
    "", "members/", "members/disc/", "members/services/drugs-and-alcohol/", "case-studies/",
    "case-studies/leeds-community-drugs-services/", "models/", "models/lead-partner/", "tenders/",
    "tenders/northumberland-hidden-harm-service-2008/", "tenders/archive/", "guides/",
    "guides/what-is-a-consortium/", "guides/resources/", "events/", "events/understanding-consortium-working/",
    "search/?q=" + quote("consortium"), "contribute/", "accessibility/", "data/", "404.html",
]


class _PolicyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a host that can send headers should."""

    def end_headers(self):
        for name, value in HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def policy_site_url(site):
    handler = functools.partial(_PolicyHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def watched(browser):
    """A tab that records policy violations, console errors and messages
    about the policy, and script errors. Unlike the ``page`` fixture's, its
    context keeps the policy in force; so its waits are given functions, as
    Playwright evaluates a string in the page, which the policy refuses."""
    context = browser.new_context(bypass_csp=False)
    tab = context.new_page()
    tab.add_init_script(RECORD_VIOLATIONS)
    tab.page_errors, tab.console_problems = [], []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.on("console", lambda message: tab.console_problems.append(f"{message.type}: {message.text}")
           if message.type == "error" or "Content Security Policy" in message.text else None)
    yield tab
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.console_problems + page.page_errors


def open_page(page, url: str):
    """Open ``url``; once it has loaded, and a script started from its
    data-module has fetched what it needs."""
    response = page.goto(url, wait_until="load")
    if page.locator("[data-module]").count():
        page.wait_for_load_state("networkidle")
    assert response.status == 200, url
    assert response.headers["content-security-policy"] == HEADERS["Content-Security-Policy"]


@pytest.mark.browser
def test_the_browser_reports_a_refused_inline_script(watched, policy_site_url):
    """The recording works: an inline script added to a page is refused and
    reported (so the tests below can fail)."""
    open_page(watched, f"{policy_site_url}/accessibility/")
    watched.evaluate("""() => { const script = document.createElement('script');
        script.textContent = 'window.ran = true'; document.head.appendChild(script); }""")
    watched.wait_for_function("() => window.__violations.length > 0")
    assert watched.evaluate("window.ran") is None
    assert watched.evaluate("window.__violations")[0].startswith("script-src-elem refused inline")


@pytest.mark.browser
@pytest.mark.parametrize("url", PAGES)
def test_no_page_reports_a_violation(watched, policy_site_url, url):
    open_page(watched, f"{policy_site_url}/{url}")
    if url == "members/disc/":
        assert watched.locator("script[type='application/ld+json']").count() == 1
    assert violations(watched) == []


def kinds_of_page(site: Path) -> dict[tuple[str, int], str]:
    """The first page (by path) of each kind the site holds, a kind being
    its first folder and depth: so a page type added later is visited too."""
    kinds: dict[tuple[str, int], str] = {}
    for path in html_files(site):
        parts = path.relative_to(site).parts
        url = "/".join(parts[:-1]) + "/" if parts[-1] == "index.html" and len(parts) > 1 else \
            "/".join(parts).replace("index.html", "")
        kinds.setdefault((parts[0], len(parts)), url)
    return kinds


@pytest.mark.browser
def test_no_page_of_any_other_kind_reports_a_violation(watched, policy_site_url, site):
    named = {url.split("?")[0] for url in PAGES}
    others = sorted(url for url in kinds_of_page(site).values() if url not in named)
    assert others, "every kind of page is among PAGES: this test would visit nothing"
    found = {}
    for url in others:
        open_page(watched, f"{policy_site_url}/{url}")
        if violations(watched):
            found[url] = violations(watched)
    assert found == {}


@pytest.mark.browser
def test_searching_reports_no_violation(watched, policy_site_url):
    open_page(watched, f"{policy_site_url}/")
    watched.fill("#app-header-q", "Leeds")
    watched.press("#app-header-q", "Enter")  # the header's form submits to the search page
    watched.wait_for_url("**/search/?q=Leeds")
    watched.wait_for_selector(".app-search-result")
    field = watched.locator("#app-search-q")
    field.fill("")
    field.press_sequentially("hub and spo", delay=30)
    watched.wait_for_function(
        "() => document.querySelector('[role=status]').textContent.includes('hub and spo')", timeout=15_000)
    assert watched.locator(".app-search-result").count() > 0
    field.fill("consortium agreement")  # needs the full-text shards
    watched.wait_for_load_state("networkidle")
    watched.wait_for_selector(".app-search-result")
    kinds = watched.locator(".app-search__type")
    if kinds.count() > 1:
        kinds.nth(1).click()
    if watched.locator(".app-search__more").count():
        watched.locator(".app-search__more").click()
    assert violations(watched) == []


@pytest.mark.browser
def test_filtering_the_directory_reports_no_violation(watched, policy_site_url):
    open_page(watched, f"{policy_site_url}/members/")
    watched.wait_for_selector(".app-directory--live")
    before = watched.text_content(".app-results-count")
    watched.check("#filter-service-drugs-and-alcohol")
    watched.check("#filter-area-leeds")
    watched.wait_for_function("before => document.querySelector('.app-results-count').textContent !== before",
                             arg=before)
    assert "match the selected filters" in watched.text_content(".app-results-count")
    watched.uncheck("#filter-area-leeds")
    watched.locator(".app-filters button[type=submit]").click()  # form-action: the plain GET form
    watched.wait_for_url("**/members/?*service=drugs-and-alcohol*")
    watched.wait_for_selector(".app-directory--live")
    assert violations(watched) == []
