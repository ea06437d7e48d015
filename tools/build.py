"""Build the site with Pelican, all or nothing.

The site is built into a fresh folder beside ``output/`` and swapped into
place only when the build succeeds, so a build with any error exits
non-zero and leaves the previous ``output/`` exactly as it was.

A later build in the same process (``make serve``) updates the folder the
last one wrote in place, writing only the pages that changed
(``plugins/incremental/``). A content error is found before
anything is written, so it too leaves ``output/`` as it was; a failure
while writing says so, and the next build is a full one again.

Usage: ``python -m tools.build [--settings publishconf.py] [--output output]``
(``make build``). SITEURL and SITE_TODAY come from the environment.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))


class _OneLineFormatter(logging.Formatter):
    """Log records as one line each, without tracebacks: those are for the
    developers of a plugin, not for someone whose content failed to build."""

    def format(self, record):
        record.message = record.getMessage()
        return one_line_of(self.formatMessage(record))


def one_line_of(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


class _ErrorCounter(logging.Handler):
    """Counts errors Pelican logs, so none can pass silently."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build(settings_file: str = "pelicanconf.py", output: str = "output", overrides: dict | None = None,
          quiet: bool = False, remember: bool = True) -> int:
    """Build into ``output``; returns an exit status (0 on success).
    ``remember=False`` is for a build no other in this process follows:
    it skips what only an update in place needs.

    A build runs with Python's cyclic garbage collector paused. The build
    keeps half a million objects alive at ten thousand members, and each
    full collection walks all of them, to free little: that took 1.8 s of
    a one-off build and about 1 s of a 5 s rebuild (measured with
    ``gc.callbacks``). The collector is on again afterwards; ``make serve``
    calls :func:`tidy` after each build, while it waits for the next edit,
    so that the next build does not pay for this one's garbage."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(settings_file, output, overrides, quiet, remember)
    finally:
        if collecting:
            gc.enable()


def tidy() -> None:
    """Collect the garbage the last build left (see :func:`build`)."""
    gc.collect()


def _build(settings_file: str, output: str, overrides: dict | None, quiet: bool, remember: bool) -> int:
    from pelican import Pelican
    from pelican.settings import read_settings

    from frontmatter.problems import ContentError
    from validation.report import report_lines
    from validation.vocabularies import VocabularyError

    if os.environ.get("SITE_TODAY"):
        try:
            import datetime as dt

            dt.date.fromisoformat(os.environ["SITE_TODAY"])
        except ValueError:
            print(f"error: SITE_TODAY must be a date written as YYYY-MM-DD, not '{os.environ['SITE_TODAY']}'")
            return 2
    output_path = (ROOT / output).resolve()
    shown = output_path.relative_to(ROOT) if output_path.is_relative_to(ROOT) else output_path
    if not output_path.parent.is_dir():
        print(f"error: cannot build into {shown}: the folder {output_path.parent} does not exist")
        return 2
    if output_path.exists() and not output_path.is_dir():
        print(f"error: cannot build into {shown}: it is a file, not a folder")
        return 2
    from pelican import signals

    import incremental

    incremental.begin(remember)
    signals.all_generators_finalized.connect(_writing_begins)
    # A rebuild in the same process (make serve) updates the site it built
    # last in place, writing only what changed (plugins/incremental/).
    in_place = incremental.updatable(str(output_path))
    try:
        staging = output_path if in_place else Path(
            tempfile.mkdtemp(prefix=f".{output_path.name}.building-", dir=output_path.parent))
        # mkdtemp makes a private folder (mode 700); the site is for everyone
        # to read, so give it the mode any new folder would have.
        if not in_place:
            umask = os.umask(0)
            os.umask(umask)
            staging.chmod(0o777 & ~umask)
    except OSError as error:
        print(f"error: cannot build into {shown}: {error.strerror}")
        return 2
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    started = time.perf_counter()
    try:
        settings = read_settings(str(ROOT / settings_file), override={
            "OUTPUT_PATH": str(staging), "PATH": str(ROOT), **(overrides or {})})
        if not quiet and Path(settings_file).name == "publishconf.py" and not settings.get("SITEURL"):
            print("warning: SITEURL is not set, so sitemap.xml, robots.txt, the feeds and the calendar hold "
                  "addresses without a host; for a deployment, run SITEURL=https://your.host/path make build")
        sub_path = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
        if not quiet and sub_path:
            # Crawlers read robots.txt only at a host's root.
            print(f"note: the site is under the sub-path {sub_path}/, so its robots.txt is served at "
                  f"{sub_path}/robots.txt, where crawlers do not look; to use it, copy it to the root of the "
                  "host (see 'Hosting under a sub-path' in README.md)")
        pelican = Pelican(settings)
        # Pelican's closing line counts articles and pages, which this site
        # has none of ("Processed 0 articles, ... 0 pages"); ours follows.
        from pelican.log import console

        console.quiet, was_quiet = True, console.quiet
        try:
            pelican.run()
        finally:
            console.quiet = was_quiet
    except ContentError as error:
        checked = getattr(error, "files_checked", None) or len({p.source for p in error.problems})
        for line in report_lines(error.problems, checked):
            print(line)
        _discard(staging, in_place)
        return 1
    except VocabularyError as error:
        print(error)
        _discard(staging, in_place)
        return 1
    except Exception as error:  # a problem validation did not foresee: still no traceback
        message = str(error).replace(str(staging), str(shown)).replace(f"{ROOT}{os.sep}", "")
        print(one_line_of(f"error: the build stopped: {message or type(error).__name__}"))
        _discard(staging, in_place)
        return 1
    except BaseException:
        _discard(staging, in_place, quiet=True)
        raise
    finally:
        logging.getLogger().removeHandler(counter)
    if counter.messages:
        for message in counter.messages:
            print(f"error: {message}")
        _discard(staging, in_place)
        return 1
    if in_place:
        for name in incremental.commit(str(output_path)):
            _remove(output_path, name)
    else:
        _swap(staging, output_path)
        incremental.commit(str(output_path))
    if not quiet:
        print(f"Built {shown} in {time.perf_counter() - started:.1f} s")
    return 0


def _writing_begins(generators):
    import incremental

    incremental.writing_begins()


def _discard(staging: Path, in_place: bool, quiet: bool = False) -> None:
    """A failed build: its folder goes (or, if it was updating the site in
    place, the next build will be a full one)."""
    import incremental

    half_written = incremental.failed()
    if not in_place:
        shutil.rmtree(staging, ignore_errors=True)
    if quiet:
        return
    if in_place and half_written:
        print("The site was not built; output/ may be partly updated, so the next build writes all of it again.")
    else:
        print("The site was not built; the previous output/ is unchanged.")


def _remove(output_path: Path, name: str) -> None:
    """Delete a file the site no longer has, and the folders it leaves empty."""
    path = output_path / name
    try:
        path.unlink()
    except OSError:
        return
    for folder in path.parents:
        if folder == output_path:
            break
        try:
            folder.rmdir()
        except OSError:
            break


def _swap(staging: Path, output_path: Path) -> None:
    old = None
    if output_path.exists():
        old = output_path.with_name(f".{output_path.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        output_path.rename(old)
    staging.rename(output_path)
    # Deleting the previous site (tens of thousands of files for a large
    # directory) takes longer than building it on some disks; the new site
    # is already in place, so a process of its own does it, along with any
    # left behind by a build that was stopped.
    leftovers = [old] if old else []
    leftovers += [p for p in output_path.parent.glob(f".{output_path.name}.old-*") if p != old and p.is_dir()]
    if leftovers:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys\nfor f in sys.argv[1:]: shutil.rmtree(f, True)",
                          *map(str, leftovers)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make build", description="Build the site into output/.")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default=os.environ.get("OUTPUT_PATH", "output"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_OneLineFormatter("%(levelname)s: %(message)s"))
    return build(args.settings, args.output, remember=False)


if __name__ == "__main__":
    sys.exit(main())
