"""Build the search files on the second core while the pages are written.

Pelican writes every page after ``all_generators_finalized``; the search
index needs only the documents, which are ready by then. With enough
documents to be worth it, :func:`start` forks a process that builds the
search files while this one renders pages, and :func:`result` waits for
them at ``finalized``. Below the threshold (and where ``fork`` does not
exist) the work is done at once, in this process.
"""

from __future__ import annotations

import multiprocessing
import traceback


class SearchBuildError(RuntimeError):
    """The background build failed; the message holds its traceback."""


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
            raise SearchBuildError(f"the search index process stopped (exit code {self.process.exitcode})")
        finally:
            self.receiver.close()
        self.process.join()
        if not ok:
            raise SearchBuildError(value)
        return value


def start(function, args: tuple, in_background: bool):
    """Run ``function(*args)``; returns an object whose ``result()`` gives
    its return value (waiting for it if it runs in the background)."""
    if in_background and "fork" in multiprocessing.get_all_start_methods():
        return _Forked(function, args)
    return _Done(function(*args))
