"""Work on the second core: these machines have two, and Pelican uses one.

:func:`start` runs a function in a forked process (which sees everything
this one has read, with nothing to copy over) and returns a handle whose
``result()`` waits for its return value; an exception in the child is
raised in the parent as :class:`BackgroundError` with the child's
traceback, so nothing fails silently. Used to write half of the pages in
a second process and, by the search plugin, to build the index while the
pages are written. Where ``fork`` does not exist, or when asked, the work
is done at once, in this process.
"""

from __future__ import annotations

import multiprocessing
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
    if in_background and "fork" in multiprocessing.get_all_start_methods():
        return _Forked(function, args)
    return _Done(function(*args))
