"""Shared fixtures: the real site, built once per test session.

Our plugins are imported as top-level packages, as Pelican's PLUGIN_PATHS
loads them. Builds run ``python -m tools.build`` in a subprocess, exactly as
``make build`` does, with SITE_TODAY fixed so statuses are reproducible.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PLUGINS = TESTS.parent / "plugins"
for folder in (PLUGINS, TESTS.parent, TESTS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from building import ROOT, SUBPATH, run_build  # noqa: E402


@pytest.fixture(scope="session")
def project():
    """The real content's validation project, as of the tests' SITE_TODAY."""
    import datetime as dt

    from building import SITE_TODAY
    from validation.project import Project

    return Project(ROOT, dt.date.fromisoformat(SITE_TODAY))


@pytest.fixture(scope="session")
def members(project) -> dict:
    """Each real member's slug and its validated front matter."""
    entries, _, _ = project.check_all()
    return {slug: meta for slug, (_, meta) in entries["member"].items()}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real content, built at the root of a host (SITEURL empty)."""
    output = tmp_path_factory.mktemp("site") / "output"
    result = run_build(output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory) -> tuple[Path, str]:
    """The real content built for https://example.org/consortium; returns the
    output folder and the SITEURL."""
    siteurl = f"https://example.org/{SUBPATH}"
    output = tmp_path_factory.mktemp("subpath") / SUBPATH
    result = run_build(output, siteurl=siteurl)
    assert result.returncode == 0, result.stdout + result.stderr
    return output, siteurl


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """The built site served on loopback (http://127.0.0.1:PORT)."""
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Chromium was found: .ci/run should have installed it")
        pytest.skip("no Chromium found (install Debian's chromium package); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        # The site's Content Security Policy refuses what Playwright does in
        # a page (its waits evaluate strings; add_script_tag injects axe
        # inline), so every context sets it aside unless a test asks for it
        # with bypass_csp=False, as test_content_security_policy.py does to
        # check every page type against it.
        instance.new_context = functools.partial(instance.new_context, bypass_csp=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.page_errors = errors
    yield tab
    context.close()
