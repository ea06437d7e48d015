"""How the build shares work between two processes (incremental/parallel.py),
timed: the figures the tests no longer assert (they check what is done, not
how long it takes; issue 20).

- shared work: ``share()`` over 400 items in chunks of 5, each chunk 2 ms of
  computing, on this process alone and on two, with how many chunks each
  process did and the speed-up;
- a failure here: ``share()`` over 4,000 items in chunks of 5, each 5 ms,
  whose first chunk in this process fails: how long until the failure is
  raised (the second process is told to stop at its next chunk; doing the
  other 799 chunks would take it 4 s).

    make bench                               # runs this first
    .venv/bin/python -m tools.bench_parallel
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter

from incremental import parallel

#: A failure must be raised well before the second process could finish alone.
STOP_TARGET_S = 2.0


def _compute(seconds: float) -> None:
    """Keep a core busy for ``seconds`` (sleeping would leave it free)."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


def shared_work(items: int = 400, chunk: int = 5, chunk_s: float = 0.002) -> dict:
    def tagged(part):
        _compute(chunk_s)
        return [os.getpid() for _ in part]

    timings, chunks = {}, {}
    for label, in_background in (("alone", False), ("both", True)):
        started = time.perf_counter()
        done = parallel.share(tagged, list(range(items)), chunk, in_background=in_background)
        timings[label] = time.perf_counter() - started
        chunks[label] = sorted((count // chunk for count in Counter(done).values()), reverse=True)
    return {"alone_s": timings["alone"], "both_s": timings["both"], "speed_up": timings["alone"] / timings["both"],
            "chunks_per_process": chunks["both"], "chunks": -(-items // chunk)}


def failure_here(items: int = 4000, chunk: int = 5, chunk_s: float = 0.005) -> dict:
    here = os.getpid()

    def failing_here(part):
        _compute(chunk_s)
        if os.getpid() == here:
            raise ValueError("a chunk failed in this process")
        return part

    started = time.perf_counter()
    try:
        parallel.share(failing_here, list(range(items)), chunk, in_background=True)
    except ValueError:
        pass
    else:
        raise SystemExit("share() did not raise the failure in this process")
    chunks = -(-items // chunk)
    return {"stopped_s": time.perf_counter() - started, "rest_alone_s": (chunks - 1) * chunk_s}


def report(work: dict, failure: dict) -> list[str]:
    return [
        f"Shared work ({work['chunks']} chunks of 2 ms): {work['alone_s']:.2f} s on one process, "
        f"{work['both_s']:.2f} s on two (x{work['speed_up']:.2f}); chunks each process did: "
        + ", ".join(str(n) for n in work["chunks_per_process"]),
        f"A failure in this process stopped the shared work after {failure['stopped_s']:.2f} s "
        f"(target under {STOP_TARGET_S:.0f} s; the second process would need {failure['rest_alone_s']:.1f} s "
        f"for the rest): {'met' if failure['stopped_s'] < STOP_TARGET_S else 'NOT MET'}",
    ]


def main(argv=None) -> int:
    argparse.ArgumentParser(prog="python -m tools.bench_parallel", description=__doc__.split("\n")[0]).parse_args(argv)
    print("\n".join(report(shared_work(), failure_here())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
