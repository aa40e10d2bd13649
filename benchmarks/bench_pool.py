"""When does the worker pool pay? In-process versus two workers, by number of files.

Not a test: it prints milliseconds (best of three, the machine is shared). The break-even
sets ``runner.MIN_FILES_FOR_POOL``. Run it on an idle machine: other processes competing
for the cores make the pool look worse than it is.

    python benchmarks/bench_pool.py                 # small files (a few hundred bytes)
    FIXENC_BENCH_LINES=60 python benchmarks/bench_pool.py   # about 5 KB files
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from fixenc import runner
from fixenc.model import Options
from fixenc.process import Job

LINES = int(os.environ.get("FIXENC_BENCH_LINES", "5"))
COUNTS = (10, 25, 50, 100, 200, 400)
REPEATS = 3


def _files(directory: Path, n: int) -> list[runner.Item]:
    for old in directory.iterdir():
        old.unlink()
    for i in range(n):
        text = f"line one\nCafÃ© au lait {i}\nthis is é plain\n" * LINES
        (directory / f"f{i:04d}.txt").write_text(text, encoding="utf-8")
    return [runner.Item(p) for p in sorted(directory.iterdir())]


def main() -> None:
    task = runner.Task(Job(Options()))
    runner.warm(Options())
    threshold = runner.MIN_FILES_FOR_POOL
    with tempfile.TemporaryDirectory() as tmp:
        for n in COUNTS:
            items = _files(Path(tmp), n)
            timings = {}
            for jobs, minimum in ((1, 10**9), (2, 0)):
                runner.MIN_FILES_FOR_POOL = minimum
                best = float("inf")
                for _ in range(REPEATS):
                    start = time.perf_counter()
                    runner.run(items, task, lambda outcome: None, jobs=jobs)
                    best = min(best, time.perf_counter() - start)
                timings[jobs] = best * 1000
            print(f"{n:5d} files: in-process {timings[1]:7.1f} ms, 2 workers {timings[2]:7.1f} ms")
    runner.MIN_FILES_FOR_POOL = threshold


if __name__ == "__main__":
    main()
