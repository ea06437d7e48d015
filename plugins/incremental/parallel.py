"""Work on the second core: these machines have two, and Pelican uses one.

:func:`start` runs a function in a forked process (which sees everything
this one has read, with nothing to copy over) and returns a handle whose
``result()`` waits for its return value; an exception in the child is
raised in the parent as :class:`BackgroundError` with the child's
traceback, so nothing fails silently. Used by the search and open-data
plugins to make their files while the pages are written. Where forking is
not safe (``validation.project.can_fork``: Windows, macOS), or when asked,
the work is done at once, in this process.

:func:`share` does a list of work on both processes, each taking the next
chunk when it is done with one: so both finish together, even when work
started with :func:`start` takes a share of the cores meanwhile. Used to
read the content files and to write the pages.
"""

from __future__ import annotations

import gc
import multiprocessing

from validation.project import can_fork
import traceback


class BackgroundError(RuntimeError):
    """The work in the second process failed; the message holds its traceback."""


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Forked:
    def __init__(self, function, args):
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)

        def child():
            # A second process lives for one task: the garbage it makes goes
            # when it ends. Its cyclic collector is turned off, as each of its
            # collections walked all it shares with this one (and copied the
            # pages holding it): 2.5 s of CPU in a 10,000-member build.
            gc.disable()
            try:
                sender.send((True, function(*args)))
            except BaseException:  # report it to the parent, which fails the build
                sender.send((False, traceback.format_exc()))
            finally:
                sender.close()

        self.process = context.Process(target=child, daemon=True)
        self.process.start()
        sender.close()

    def result(self):
        try:
            ok, value = self.receiver.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self.process.join()
            raise BackgroundError(f"the second process stopped (exit code {self.process.exitcode})")
        finally:
            self.receiver.close()
        self.process.join()
        if not ok:
            raise BackgroundError(value)
        return value


def start(function, args: tuple, in_background: bool):
    """Run ``function(*args)``; returns an object whose ``result()`` gives
    its return value (waiting for it if it runs in the background)."""
    if in_background and can_fork():
        return _Forked(function, args)
    return _Done(function(*args))


def share(function, items: list, chunk_size: int, in_background: bool) -> list:
    """``function(chunk)`` for every ``chunk_size`` items in turn, in this
    process and (if ``in_background``) a forked one; returns the lists the
    calls returned, joined in the order of the items."""
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    if not in_background or len(chunks) < 2 or not can_fork():
        return [result for chunk in chunks for result in function(chunk)]
    taken = multiprocessing.get_context("fork").Value("l", 0)

    def take() -> dict:
        done = {}
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(chunks):
                return done
            done[index] = function(chunks[index])

    other = _Forked(take, ())
    try:
        mine = take()
    except BaseException:
        with taken.get_lock():  # the other process stops at its next chunk
            taken.value = len(chunks)
        try:
            other.result()
        except BackgroundError:
            pass  # the error here is the one to report
        raise
    done = {**mine, **other.result()}
    return [result for index in range(len(chunks)) for result in done[index]]
