"""Run a command; stop it with a plain message if it runs far past its normal time.

    python3 -m tools.time_limit --minutes 10 --normal "under a minute" --what "The site build" -- make build

The workflows wrap the build and ``make check`` in this, so a change that
makes them crawl (issue 19: a content file that sends a check into
super-linear time) fails with a sentence saying what happened, instead of
running for hours or being cut off by the job's limit without a word. On
time-out the command and everything it started get SIGTERM, then SIGKILL
30 seconds later; the exit status is 124, as with timeout(1). Otherwise the
command's own exit status is passed on, and a cancelled run's SIGINT or
SIGTERM reaches the command too. Standard library only: it runs
before the project is set up.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

TIMED_OUT = 124
GRACE_SECONDS = 30


def message(what: str, limit: str, normal: str) -> str:
    return (f"{what} was stopped because it ran for more than {limit}; it normally takes {normal}. Something "
            f"made it far slower than usual: look first at the content files this change adds or edits, for "
            f"example one that is very long or full of the same character repeated. Nothing from this run was "
            f"published.")


def run(command: list[str], seconds: float) -> int | None:
    """The command's exit status, or None if it was stopped at the limit."""
    process = subprocess.Popen(command, start_new_session=True)
    # The command runs in a group of its own (so it can be stopped whole); a
    # cancelled run's signal is passed on to it.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda received, _frame: _signal_group(process, received))
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        return None


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)  # the command and everything it started
    except ProcessLookupError:
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tools.time_limit", description=__doc__.split("\n")[0])
    limit = parser.add_mutually_exclusive_group(required=True)
    limit.add_argument("--minutes", type=float)
    limit.add_argument("--seconds", type=float)
    parser.add_argument("--what", required=True, help="what the command is, for the message")
    parser.add_argument("--normal", required=True, help="how long it normally takes, in words")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command after --")
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    shown = f"{args.minutes:g} minutes" if args.minutes is not None else f"{args.seconds:g} seconds"
    status = run(command, seconds)
    if status is not None:
        return status if status >= 0 else 128 - status  # killed by a signal: as a shell says it
    text = message(args.what, shown, args.normal)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(f"::error title={args.what} took too long::{text}", flush=True)
    print(f"error: {text}", flush=True)
    return TIMED_OUT


if __name__ == "__main__":
    sys.exit(main())
