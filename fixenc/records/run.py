"""The command line's record mode: ``fixenc fix|check SHARD... --field NAME``.

Stage: none (scheduling and wording for record mode). Shards are repaired one per task,
in this process or in worker processes (``-j``); what is printed about each record and
shard, and the change log, come out in shard order either way.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from fixenc.errors import FixencError
from fixenc.files import AtomicWriter, mirror_path
from fixenc.fixer import Fixer
from fixenc.model import Kind
from fixenc.records.lines import DEFAULT_ID_FIELD, LineFix, RecordStatus, log_entry
from fixenc.records.shards import (
    ShardKind,
    ShardSummary,
    discover_shards,
    fix_shard,
    fix_stdin,
    shard_format,
)

# The path that means standard input (and, with ``fix``, standard output).
STDIN = "-"


def run(
    roots: Sequence[Path],
    fixer: Fixer,
    *,
    write: bool,
    output_dir: Path | None = None,
    change_log: Path | None = None,
    id_field: str | None = DEFAULT_ID_FIELD,
    verbosity: int = 0,
    jobs: int = 1,
    err: IO[str] | None = None,
) -> tuple[int, int, int]:
    """Fix (or, without ``write``, check) every shard; print one line per shard and one
    per malformed record to ``err``. Returns (shards with changes, shards needing a person
    (malformed or flagged records), shards in error), from which the CLI takes its exit code.

    With ``jobs`` other than 1 (0: every core), shards are repaired in worker processes,
    one shard per task; what is printed and logged is the same, in the same order.
    """
    out = err or sys.stderr
    stdin = [str(r) for r in roots] == [STDIN]  # standard input: alone, as the CLI checks
    shards = [] if stdin else list(discover_shards(roots))
    tasks = [
        _ShardTask(s, mirror_path(s, roots, output_dir) if output_dir else None, write, id_field)
        for s in shards
    ]
    changed = attention = errors = 0
    log_writer = AtomicWriter(change_log, mode=0o644) if change_log is not None else None
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(log_writer) if log_writer is not None else None

        def emit(entry: dict[str, object]) -> None:
            _print_entry(entry, out, write=write, verbosity=verbosity)
            if log is not None:
                log.write(json.dumps(entry, ensure_ascii=False).encode() + b"\n")

        done: Iterator[_Done] = _run_tasks(tasks, fixer, emit, jobs)
        if stdin:
            done = iter([(fix_stdin(fixer, write=write, id_field=id_field, emit=emit), None)])
        for summary, error in done:
            if summary is None:
                errors += 1
                out.write(f"error: {error}\n")
                continue
            changed += summary.changed > 0
            attention += (summary.malformed + summary.flagged) > 0
            if verbosity >= 0 or summary.malformed:
                out.write(_shard_line(summary, write, fixer.field) + "\n")
    return changed, attention, errors


@dataclass(frozen=True, slots=True)
class _ShardTask:
    source: Path
    destination: Path | None
    write: bool
    id_field: str | None


# A shard's summary, or the error that stopped it (its log entries say it did not land).
_Done = tuple[ShardSummary, None] | tuple[None, FixencError]
EntrySink = Callable[[dict[str, object]], None]


def _run_tasks(
    tasks: list[_ShardTask], fixer: Fixer, emit: EntrySink, jobs: int
) -> Iterator[_Done]:
    """Each shard's outcome, in order, its log entries handed to ``emit`` first."""
    from fixenc.runner import default_jobs

    workers = min(jobs or default_jobs(), len(tasks))
    if workers <= 1:
        for task in tasks:
            yield _run_task(task, fixer, emit)
        return
    import concurrent.futures
    import multiprocessing

    # fork where it exists: workers start at once with fixenc imported (as runner does),
    # and share the caches built here once, frozen out of the collector's reach; where
    # workers are spawned, each builds its own in the initializer.
    method = "fork" if sys.platform.startswith("linux") else None
    fixer.warm()
    gc.freeze()
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context(method),
            initializer=fixer.warm,
        ) as pool:
            for entries, done in pool.map(_run_task_collecting, tasks, [fixer] * len(tasks)):
                for entry in entries:
                    emit(entry)
                yield done
    finally:
        gc.unfreeze()


def _run_task(task: _ShardTask, fixer: Fixer, emit: EntrySink) -> _Done:
    parquet = (fmt := shard_format(task.source)) is not None and fmt.kind is ShardKind.PARQUET

    def on_record(number: int, fix: LineFix) -> None:
        emit(log_entry(str(task.source), number, fix, parquet=parquet))

    try:
        summary = fix_shard(
            task.source,
            fixer,
            destination=task.destination,
            write=task.write,
            id_field=task.id_field,
            on_record=on_record,
        )
    except FixencError as exc:
        # The entries already emitted for this shard did not land: say so in the log.
        emit({"shard": str(task.source), "status": "error", "error": str(exc)})
        return None, exc
    return summary, None


def _run_task_collecting(task: _ShardTask, fixer: Fixer) -> tuple[list[dict[str, object]], _Done]:
    """In a worker: the shard's log entries travel back with its outcome."""
    entries: list[dict[str, object]] = []
    return entries, _run_task(task, fixer, entries.append)


def _print_entry(entry: dict[str, object], out: IO[str], *, write: bool, verbosity: int) -> None:
    """The line a person reads about one record: every malformed one, and with
    ``--verbose`` every changed or flagged one."""
    status = entry["status"]
    if status == RecordStatus.MALFORMED.value:
        where = f"row {entry['row']}" if "row" in entry else str(entry["line"])
        out.write(f"{entry['shard']}:{where}: malformed record passed through unchanged: ")
        out.write(f"{entry['error']}\n")
    elif verbosity > 0 and "counts" in entry:
        where = f"row {entry['row']}" if "row" in entry else str(entry["line"])
        if status == RecordStatus.CHANGED.value:
            done = "fixed" if write else "would fix"
            counts = cast(dict[str, int], entry["counts"])
        else:  # flagged: nothing applied, damage found
            done = "needs attention:"
            counts = cast(dict[str, int], entry.get("findings", {}))
        out.write(f"{entry['shard']}:{where}: {done} {_counts(counts)}\n")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counts.items())


def _shard_line(summary: ShardSummary, write: bool, field: str) -> str:
    verb = "fixed" if write else "would fix"
    parts = [f"{summary.path}: {verb} {summary.changed} of {summary.records} records"]
    if summary.changes:
        ordered = {k.value: summary.changes[k.value] for k in Kind if summary.changes[k.value]}
        parts[0] += f" ({_counts(ordered)})"
    if summary.flagged:
        parts.append(f"{summary.flagged} need attention")
    if summary.malformed:
        parts.append(f"{summary.malformed} malformed passed through unchanged")
    if summary.no_field:
        parts.append(f"{summary.no_field} without a string {field!r}")
    return "; ".join(parts)
