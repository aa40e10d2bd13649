"""Runs the file flow (``process.process_path``) over many files, across processes when
that pays.

Stage: none (scheduling). Before a pool starts, the parent builds the expensive objects
once — the OpenCC converters, frequency tables and compiled patterns the stages cache at
module level — by repairing a warm-up text, and freezes them out of the garbage
collector's reach; the forked workers share those pages and reuse them for every file
they are given. Small runs stay in-process: starting workers costs more than they save.

Outcomes come back in input order, so output is the same whatever ``jobs`` is. The
text of unchanged files is dropped from outcomes before they travel back, so a run over
a large corpus holds only the changed files' text in memory.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fixenc.model import FileOutcome, Options, Status
from fixenc.pipeline import repair
from fixenc.process import Job, process_path

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

# The pool's modules (concurrent.futures, which imports logging, and multiprocessing)
# are imported when a pool is started: a run of a few files, as pre-commit makes, never
# starts one, and they cost about 20 ms of its start-up (issue 12).

# Below this many files a run stays in one process. From benchmarks/bench_pool.py on the
# 2-core machine: starting two forked workers costs about 12 ms and each result sent back
# about 0.1 ms, while one process repairs a small damaged file in about 0.33 ms, so with
# both cores free the pool breaks even near 100 such files (heavier stages, such as CJK
# round trips and OpenCC, move that lower). While other jobs held the second core the
# pool lost at every size; ``--jobs 1`` is there for such machines.
MIN_FILES_FOR_POOL = 100
# Files handed to a worker at a time: large enough to amortise the round trip, small
# enough that the progress bar moves and the last chunks balance across workers.
MAX_CHUNK = 32
CHUNKS_PER_WORKER = 8

# Text that sends every stage down its slow path once: Latin and CJK mojibake, both
# Chinese scripts, an inline pinyin annotation, and a lost-byte sequence. The
# annotation is on a character no conversion produces (你), so the pinyin stage builds
# its patterns and converters but stops before it needs pypinyin's readings: pypinyin
# takes about 56 MiB, and only a file with a converted character annotated in toneless
# pinyin needs it (a worker then loads it itself). Issue 12: under 150 MiB a worker.
WARM_TEXT = "CafÃ© 浣犲ソ 這是繁體 这是简体 你(nǐ)好 锟斤拷 ÄãºÃ\n"

OutcomeSink = Callable[[FileOutcome], None]


@dataclass(frozen=True, slots=True)
class Task:
    """What to do with every file of a run; sent to each worker once."""

    job: Job
    # Keep the before/after text of changed files in outcomes: diffs, the inline view of
    # ``check`` and the HTML report need it; a plain ``fix`` over a corpus does not.
    keep_text: bool = True


@dataclass(frozen=True, slots=True)
class Item:
    """One file to process."""

    path: Path
    explicit: bool = False
    output_path: Path | None = None


def default_jobs() -> int:
    """The cores this process may use (affinity-aware where the platform says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def warm(options: Options) -> None:
    """Build the stages' cached objects now, so the first real file does not pay."""
    repair(WARM_TEXT, options)


def run(
    items: Sequence[Item],
    task: Task,
    sink: OutcomeSink,
    *,
    jobs: int = 0,
    started: Callable[[], None] | None = None,
) -> None:
    """Process ``items`` and hand each outcome to ``sink``, in input order.

    ``jobs`` 0 means every core. A worker that dies (killed, out of memory) ends the
    pool: the files it had not reported are handed to ``sink`` as errors and nothing is
    retried — every file on disk is still wholly old or wholly new, and running again
    finishes the job. ``KeyboardInterrupt`` propagates after the workers stop, and only
    after every file they finished has been handed to ``sink``: a file rewritten before
    the interruption is always reported.

    ``started`` is called once the workers exist (at once without a pool): the place to
    start a thread, such as the progress bar's, that must not run while they are forked.
    """
    jobs = jobs or default_jobs()
    if jobs == 1 or len(items) < MIN_FILES_FOR_POOL:
        if started is not None:
            started()
        for item in items:
            sink(_slim(_process(item, task), keep_text=task.keep_text))
        return
    from concurrent.futures import ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    workers = min(jobs, len(items))
    # Build the caches here, once, and freeze them out of the collector's reach: the
    # forked workers share those pages instead of each building its own copy. Only the
    # stages' caches: warming the decoder's letter tables here too (decoding a legacy
    # sample of each script) left the heap so fragmented that the workers' own
    # allocations dirtied the shared pages: unique memory per worker rose from 98 to
    # 248 MiB on bench_tree.py's first 2,000 files.
    warm(task.job.options)
    gc.freeze()
    chunk = max(1, min(MAX_CHUNK, len(items) // (workers * CHUNKS_PER_WORKER)))
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(task,),
    )
    futures: list[Future[list[FileOutcome]]] = []
    reported = 0  # chunks handed to sink, in order
    broken = False
    try:
        # Every chunk is submitted at once; with fork the pool forks all its workers on
        # the first submission, before it starts its own thread.
        futures = [executor.submit(_work_chunk, c) for c in chunks]
        if started is not None:
            started()
        for future in futures:
            for outcome in future.result():
                sink(outcome)
            reported += 1
    except BrokenProcessPool:
        broken = True
        for part in chunks[reported:]:
            for item in part:
                sink(_unconfirmed(item))
    except KeyboardInterrupt:
        # Workers ignore SIGINT and SIGTERM: stop handing out chunks, let the ones in
        # hand finish, then report every finished one, so that no file rewritten
        # before the interruption goes unlisted. Chunks never started were not touched.
        for future in futures[reported:]:
            future.cancel()
        wait(futures[reported:])
        for future in futures[reported:]:
            if future.cancelled():
                continue
            try:
                finished = future.result()
            except BrokenProcessPool:
                continue
            for outcome in finished:
                sink(outcome)
        raise
    finally:
        if broken:
            _kill_workers(executor)
        executor.shutdown(wait=not broken, cancel_futures=True)
        gc.unfreeze()


def _unconfirmed(item: Item) -> FileOutcome:
    return FileOutcome(
        str(item.path),
        Status.ERROR,
        message="not confirmed: a worker process died before reporting on "
        "this file (it is wholly old or wholly new); run fixenc again",
    )


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    """After a worker died, stop the survivors at once rather than join them.

    A worker killed while it held the task queue's lock can leave the others blocked on
    that lock forever, and joining them would hang the run (seen once in about thirty
    SIGKILLs of one worker). Stopping a survivor mid-write loses nothing: files are
    replaced atomically, so the file stays wholly old and at most a temporary file is
    left, which the next run removes.
    """
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.kill()


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` where it exists: workers start in milliseconds with fixenc imported.

    It is safe here because the pool forks all its workers before it starts its own
    thread (CPython does so for the fork method), and fixenc starts no threads.
    """
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


_TASK: Task | None = None


def _init_worker(task: Task) -> None:
    """Keep the task (the caches came warm with the fork), and leave Ctrl-C to the
    parent: it stops handing out files and waits for the ones in flight, so no worker
    dies mid-write."""
    global _TASK
    _TASK = task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A SIGTERM sent to the whole process group (a CI timeout, ``kill -- -PGID``) reaches
    # the workers too: they leave it to the parent, which turns it into an interrupt.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _work_chunk(items: Sequence[Item]) -> list[FileOutcome]:
    assert _TASK is not None, "worker used before its initializer ran"
    return [_slim(_process(item, _TASK), keep_text=_TASK.keep_text) for item in items]


def _process(item: Item, task: Task) -> FileOutcome:
    """One file; a bug met on one file is that file's error, not the end of the run."""
    try:
        return _process_unguarded(item, task)
    except Exception as exc:  # reported per file, with what to do
        return FileOutcome(
            str(item.path),
            Status.ERROR,
            message=f"internal error ({type(exc).__name__}: {exc}); the file was left as "
            "it was; please report this with the file",
        )


def _process_unguarded(item: Item, task: Task) -> FileOutcome:
    return process_path(
        item.path, task.job, explicit=item.explicit, output_path=item.output_path
    ).outcome


def _slim(outcome: FileOutcome, *, keep_text: bool = True) -> FileOutcome:
    """Drop what no report needs: the decoded copy always, the text of unchanged files
    without findings (and of the others unless ``keep_text``). Changes and findings are kept whole.

    >>> from fixenc.model import Result
    >>> r = Result("abc", "abc", encoding="ascii")
    >>> _slim(FileOutcome("a.txt", Status.UNCHANGED, r)).result.original
    ''
    """
    result = outcome.result
    if result is None:
        return outcome
    # An unchanged file with findings (a mixed-script document) keeps its text too: the
    # listing shows each finding in its line.
    listed = outcome.status in (Status.CHANGED, Status.FLAGGED, Status.ERROR) or result.findings
    if keep_text and listed:
        return replace(outcome, result=replace(result, decoded=None))
    slim = replace(result, text="", original="", decoded=None)
    return replace(outcome, result=slim)
