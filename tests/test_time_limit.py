"""tools.time_limit: the build and make check stop with a plain message
far past their normal time, and otherwise pass on the command's status."""

from __future__ import annotations

import os
import subprocess
import sys

from building import ROOT


def time_limit(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    return subprocess.run([sys.executable, "-m", "tools.time_limit", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_command_past_its_limit_is_stopped_with_a_plain_message():
    result = time_limit("--seconds", "0.5", "--what", "The site build", "--normal", "under a minute", "--",
                        sys.executable, "-c", "import time; time.sleep(50)")
    assert result.returncode == 124
    text = ("The site build was stopped because it ran for more than 0.5 seconds; it normally takes under a "
            "minute. Something made it far slower than usual")
    assert result.stdout.startswith(f"::error title=The site build took too long::{text}")
    assert f"\nerror: {text}" in result.stdout


def test_a_command_within_its_limit_keeps_its_exit_status():
    result = time_limit("--minutes", "5", "--what", "make check", "--normal", "a second", "--",
                        sys.executable, "-c", "print('checked'); raise SystemExit(3)")
    assert (result.returncode, result.stdout) == (3, "checked\n")


def test_a_cancelled_run_stops_the_command_too(tmp_path):
    import signal
    import time

    started = tmp_path / "started"
    process = subprocess.Popen([sys.executable, "-m", "tools.time_limit", "--minutes", "5", "--what", "x",
                                "--normal", "y", "--", sys.executable, "-c",
                                f"import pathlib, time; pathlib.Path({str(started)!r}).touch(); time.sleep(50)"],
                               cwd=ROOT)
    while not started.exists():
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM  # the command was stopped, not left asleep
