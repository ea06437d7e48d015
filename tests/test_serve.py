"""make serve: content is rebuilt in place, and plugin code changes start a new process.

The server runs in a copy of the project, as ``python -m tools.serve`` does
under ``make serve``, and is read back over HTTP. The waits are bounded so
that a broken server fails the test rather than hanging it; nothing here
asserts how long anything takes.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from tools.synthetic import copy_project

SERVING = re.compile(r"Serving the site at http://127\.0\.0\.1:(\d+)/")
CONTEXT = "plugins/contribute/context.py"
DEFAULT_FILE = '"NEW_MEMBER_FILE": "members/your-organisation-name.md"'


class Server:
    """``python -m tools.serve`` in a project folder, its output read line by line."""

    def __init__(self, project: Path):
        env = {**os.environ, "PYTHONPATH": "plugins", "PYTHONUNBUFFERED": "1", "SITE_TODAY": "2026-11-22"}
        env.pop("GITHUB_ACTIONS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.serve", "--port", "0"], cwd=project, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, patience: float = 120) -> re.Match:
        """The first line from now on that matches ``pattern``."""
        found = self.next_match(pattern, patience)
        if not found:
            pytest.fail(f"make serve never printed {pattern!r}; it printed:\n" + "\n".join(self.seen))
        return found

    def next_match(self, pattern: str, patience: float) -> re.Match | None:
        while True:
            try:
                line = self.lines.get(timeout=patience)
            except queue.Empty:
                return None
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found

    def edit(self, path: Path, text: str, pattern: str) -> re.Match:
        """Write ``text`` to ``path`` until the server reacts with ``pattern``.
        The server says it is serving just before its watcher starts, so
        the first write after that line can come too early to be seen."""
        for _ in range(20):
            path.write_text(text, encoding="utf-8")
            found = self.next_match(pattern, 5)
            if found:
                return found
        pytest.fail(f"make serve never printed {pattern!r} after {path.name} changed:\n" + "\n".join(self.seen))

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def fetch(port: str, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "project", with_members=True)
    server = Server(project)
    try:
        yield project, server
    finally:
        server.stop()


def test_a_plugin_code_change_restarts_the_build_with_the_new_code(served):
    project, server = served
    port = server.wait_for(SERVING.pattern).group(1)
    assert "your-organisation-name.md" in fetch(port, "contribute/")

    module = project / CONTEXT
    source = module.read_text(encoding="utf-8")
    assert DEFAULT_FILE in source
    # A half-typed edit: reported with its place, and the site keeps being served.
    server.edit(module, source.replace(DEFAULT_FILE, DEFAULT_FILE[:-1]), rf"^{re.escape(CONTEXT)}:\d+:\d+: error: ")
    server.wait_for(r"^Fix it and save again; the site keeps being served as it was\.$")
    assert "your-organisation-name.md" in fetch(port, "contribute/")

    # The finished edit: a new process, on the same port, builds with the new code.
    server.edit(module, source.replace("your-organisation-name.md", "renamed-by-the-test.md"),
                rf"^Changed code: {re.escape(CONTEXT)}\. Restarting make serve so that the new code runs\.\.\.$")
    assert server.wait_for(SERVING.pattern).group(1) == port
    assert "renamed-by-the-test.md" in fetch(port, "contribute/")


def test_a_content_change_is_rebuilt_in_the_same_process(served):
    project, server = served
    port = server.wait_for(SERVING.pattern).group(1)
    profile = project / "members" / "disc.md"
    text = profile.read_text(encoding="utf-8")
    server.edit(profile, text.rstrip("\n") + "\n\nA sentence the test added.\n",
                r"^Changed: members/disc\.md\. Rebuilding\.\.\.$")
    server.wait_for(r"^Built output in ")
    assert "A sentence the test added." in fetch(port, "members/disc/")
    assert not any(line.startswith("Changed code:") for line in server.seen)
