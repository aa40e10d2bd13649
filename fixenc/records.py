"""Record mode: repair one field of every record in JSONL or Parquet corpus shards.

Stage: all of them, for each record, through the one pipeline (``Fixer``). Corpora for
search and model training come as shards of many gigabytes (``.jsonl``, ``.jsonl.gz``,
``.jsonl.zst``, ``.parquet``), so a shard is streamed: memory holds one line (or one
Parquet batch) at a time, whatever the shard's size.

Do no harm, record by record: a line is written back byte for byte unless its field
changed, and then only that field's JSON string is replaced — keys, order, spacing,
escapes and numbers elsewhere on the line stay as they were. A line that is not a JSON
object (truncated, not UTF-8, an array) is reported with its line number and passed
through unchanged, never dropped; a record without the field (or with a non-string
value) is passed through too. The output shard is written atomically (a temporary file,
then one rename), in place or under an output directory, compressed as the input was.
An optional change log lists each changed, flagged or malformed record: its line (or
Parquet row), its id, the kinds of change and their counts, so the cleaning can be audited.

>>> fixer = Fixer()
>>> fix = fix_line('{"id": 1, "text": "CafÃ©", "n": 1.50}\\n', fixer)
>>> fix.status.value, fix.line
('changed', '{"id": 1, "text": "Café", "n": 1.50}\\n')
>>> fix_line('{"id": 2, "text": "trunc', fixer).status.value
'malformed'
"""

from __future__ import annotations

import contextlib
import enum
import gzip
import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from fixenc.errors import FileError, FixencError
from fixenc.files import AtomicWriter, mirror_path, snapshot_of
from fixenc.fixer import Fixer
from fixenc.model import Kind, Result

# The record field that names a record in the change log, when present (C4, FineWeb and
# most crawl exports carry an ``id``).
DEFAULT_ID_FIELD = "id"
# gzip's own command-line default: within a few percent of level 9's size, several
# times faster to write (level 9 would make compression the bottleneck of a fix run).
GZIP_LEVEL = 6
# zstd's own default level (the ``zstd`` tool's): fast, and the usual level for corpora.
ZSTD_LEVEL = 3
# Rows read from a Parquet shard at a time, and so the size of each written row group:
# with web documents of a few KiB this keeps a batch to tens of MiB.
PARQUET_BATCH_ROWS = 8192
# The path that means standard input (and, with ``fix``, standard output).
STDIN = "-"
# Read-buffer size for JSONL shards: large sequential reads, small next to a line.
READ_BUFFER = 1 << 20

_BOM = "\ufeff"
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder()


class ShardKind(str, enum.Enum):
    JSONL = "jsonl"
    PARQUET = "parquet"


class Compression(str, enum.Enum):
    NONE = ""
    GZIP = "gzip"
    ZSTD = "zstd"


@dataclass(frozen=True, slots=True)
class ShardFormat:
    """How a shard is stored, read from its name."""

    kind: ShardKind
    compression: Compression = Compression.NONE


# Name endings of shards, longest first (one row per format).
_SUFFIXES: tuple[tuple[str, ShardFormat], ...] = (
    *(
        (f"{stem}{ending}", ShardFormat(ShardKind.JSONL, compression))
        for stem in (".jsonl", ".ndjson")
        for ending, compression in (
            (".gz", Compression.GZIP),
            (".zst", Compression.ZSTD),
            ("", Compression.NONE),
        )
    ),
    (".parquet", ShardFormat(ShardKind.PARQUET)),
)


def shard_format(path: Path) -> ShardFormat | None:
    """The shard's format from its name, or ``None`` if it is not a shard.

    >>> shard_format(Path("c4-00001.jsonl.zst"))
    ShardFormat(kind=<ShardKind.JSONL: 'jsonl'>, compression=<Compression.ZSTD: 'zstd'>)
    >>> shard_format(Path("notes.txt")) is None
    True
    """
    name = path.name.lower()
    for suffix, fmt in _SUFFIXES:
        if name.endswith(suffix):
            return fmt
    return None


class RecordStatus(str, enum.Enum):
    """What happened to one record (one line of a JSONL shard, one Parquet row)."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    FLAGGED = "flagged"  # nothing applied, but damage a person must look at
    MALFORMED = "malformed"  # not a JSON object: passed through unchanged
    NO_FIELD = "no-field"  # the field is missing or not a string: passed through
    BLANK = "blank"  # an empty line: passed through, not a record


# Statuses that go to the change log (and to the caller's ``on_record``).
LOGGED = frozenset({RecordStatus.CHANGED, RecordStatus.FLAGGED, RecordStatus.MALFORMED})


@dataclass(frozen=True, slots=True)
class LineFix:
    """One record's outcome: ``line`` is what to write (the input itself unless CHANGED)."""

    line: str
    status: RecordStatus
    result: Result | None = None  # set when the field was repaired or flagged
    record_id: Any = None
    error: str = ""  # why a MALFORMED line is not a record


def fix_line(
    line: str, fixer: Fixer, *, field: str | None = None, id_field: str | None = DEFAULT_ID_FIELD
) -> LineFix:
    """Repair ``field`` of the JSON object on ``line`` (its line ending, if any, is kept).

    Everything on the line but that field's string stays as it was written.
    """
    name = fixer.field if field is None else field
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    prefix = _BOM if body.startswith(_BOM) else ""  # a UTF-8 BOM before the first record
    body = body[len(prefix) :]
    if not body.strip(" \t"):
        return LineFix(line, RecordStatus.BLANK)
    if _SURROGATE.search(body):
        # Undecodable bytes carried as lone surrogates (``errors="surrogateescape"``).
        return LineFix(line, RecordStatus.MALFORMED, error="not UTF-8")
    try:
        record = json.loads(body)
    except json.JSONDecodeError as exc:
        return LineFix(
            line, RecordStatus.MALFORMED, error=f"not JSON: {exc.msg} (column {exc.colno})"
        )
    except RecursionError:
        return LineFix(line, RecordStatus.MALFORMED, error="not JSON: nested too deeply")
    if not isinstance(record, dict):
        kind = type(record).__name__
        return LineFix(line, RecordStatus.MALFORMED, error=f"a JSON {kind}, not an object")
    record_id = record.get(id_field) if id_field else None
    value = record.get(name)
    if not isinstance(value, str):
        return LineFix(line, RecordStatus.NO_FIELD, record_id=record_id)
    if value.isascii():
        return LineFix(line, RecordStatus.UNCHANGED, record_id=record_id)
    result = fixer.repair(value)
    if result.text == value:
        if result.needs_attention:
            return LineFix(line, RecordStatus.FLAGGED, result, record_id)
        return LineFix(line, RecordStatus.UNCHANGED, record_id=record_id)
    start, end = value_span(body, name)
    # Keep the line's own escaping: a value written as \\u escapes stays ASCII.
    token = json.dumps(result.text, ensure_ascii=body[start:end].isascii())
    new = f"{prefix}{body[:start]}{token}{body[end:]}{ending}"
    return LineFix(new, RecordStatus.CHANGED, result, record_id)


def fix_raw_line(
    raw: bytes, fixer: Fixer, *, field: str | None = None, id_field: str | None = DEFAULT_ID_FIELD
) -> tuple[bytes, LineFix]:
    """``fix_line`` on the bytes of a line: the bytes to write, and the outcome.

    A line that is not UTF-8 is malformed (JSON text is UTF-8) and written back as it was.
    """
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = f"not UTF-8 (byte 0x{raw[exc.start]:02X} at byte {exc.start + 1})"
        return raw, LineFix("", RecordStatus.MALFORMED, error=error)
    fix = fix_line(line, fixer, field=field, id_field=id_field)
    if fix.status is RecordStatus.CHANGED:
        return fix.line.encode("utf-8"), fix
    return raw, fix


def value_span(document: str, key: str) -> tuple[int, int]:
    """Where the value of ``key`` lies in the text of a JSON object (the last occurrence,
    since ``json.loads`` keeps the last of duplicate keys). ``document`` must be valid.

    >>> doc = '{"a": [1, {"text": 0}], "text" : "x\\\\"y", "b": null}'
    >>> start, end = value_span(doc, "text"); doc[start:end]
    '"x\\\\"y"'
    """

    def skip(pos: int) -> int:
        match = _WS.match(document, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    pos = skip(0) + 1  # past "{"
    span: tuple[int, int] | None = None
    while True:
        pos = skip(pos)
        if document[pos] == "}":
            break
        name, pos = _DECODER.raw_decode(document, pos)
        pos = skip(skip(pos) + 1)  # past ":"
        _, end = _DECODER.raw_decode(document, pos)
        if name == key:
            span = (pos, end)
        pos = skip(end)
        if document[pos] != ",":
            break
        pos += 1
    if span is None:
        raise KeyError(key)
    return span


@dataclass(slots=True)
class ShardSummary:
    """What a run did to one shard: counts only, so memory stays flat."""

    path: str
    records: int = 0  # lines (or rows) read, blank lines excepted
    changed: int = 0
    flagged: int = 0
    malformed: int = 0
    no_field: int = 0
    bytes_in: int = 0  # uncompressed bytes read (JSONL)
    changes: Counter[str] = field(default_factory=Counter)
    written: bool = False

    def count(self, fix: LineFix) -> None:
        status = fix.status
        if status is RecordStatus.BLANK:
            return
        self.records += 1
        if status is RecordStatus.CHANGED:
            self.changed += 1
        elif status is RecordStatus.FLAGGED:
            self.flagged += 1
        elif status is RecordStatus.MALFORMED:
            self.malformed += 1
        elif status is RecordStatus.NO_FIELD:
            self.no_field += 1
        if fix.result is not None and status is RecordStatus.CHANGED:
            self.changes.update(fix.result.counts())


# Called with the record's line number (JSONL, 1-based) or row (Parquet, 0-based).
RecordSink = Callable[[int, LineFix], None]


def fix_shard(
    source: Path,
    fixer: Fixer,
    *,
    destination: Path | None = None,
    write: bool = True,
    field: str | None = None,
    id_field: str | None = DEFAULT_ID_FIELD,
    on_record: RecordSink | None = None,
) -> ShardSummary:
    """Stream ``source`` through ``fixer``; hand every changed, flagged or malformed
    record to ``on_record``.

    With ``write``, the repaired shard replaces ``source`` atomically (only if a record
    changed, and only if the shard did not change meanwhile) or, with ``destination``,
    is written there (always, so the output holds every shard). Raises ``FileError`` if
    the shard cannot be read or written, or its format needs a missing optional extra.
    """
    fmt = shard_format(source)
    if fmt is None:
        raise FileError(source, "not a corpus shard (.jsonl, .jsonl.gz, .jsonl.zst, .parquet)")
    summary = ShardSummary(str(source))
    sink = on_record or (lambda number, fix: None)
    try:
        snapshot = snapshot_of(source)
        in_place = destination is None or _same_file(destination, source)
        if not write:
            _stream(source, fmt, None, fixer, field, id_field, summary, sink)
            return summary
        target = source if in_place or destination is None else destination
        writer = AtomicWriter(target, mode=snapshot.mode, snapshot=snapshot if in_place else None)
        with writer as handle:
            _stream(source, fmt, handle, fixer, field, id_field, summary, sink)
            if in_place and not summary.changed:
                writer.discard()  # nothing changed: the shard keeps its bytes and mtime
        summary.written = not (in_place and not summary.changed)
    except FileNotFoundError:
        raise FileError(source, "no such file or directory") from None
    except PermissionError as exc:
        raise FileError(exc.filename or source, "permission denied") from None
    except FixencError:
        raise
    except _shard_errors() as exc:
        # A corrupt or truncated compressed stream (gzip, zstd) or Parquet file.
        raise FileError(source, f"cannot read or write the shard: {exc}") from None
    return summary


def _shard_errors() -> tuple[type[Exception], ...]:
    """What reading or writing a shard raises when the shard (not fixenc) is at fault:
    I/O, a corrupt or truncated gzip or zstd stream, a corrupt Parquet file."""
    errors: tuple[type[Exception], ...] = (OSError, EOFError, ValueError)
    try:
        import zstandard
    except ImportError:
        return errors
    return (*errors, zstandard.ZstdError)


def _same_file(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _stream(
    source: Path,
    fmt: ShardFormat,
    out: BinaryIO | None,
    fixer: Fixer,
    field: str | None,
    id_field: str | None,
    summary: ShardSummary,
    sink: RecordSink,
) -> None:
    if fmt.kind is ShardKind.PARQUET:
        _stream_parquet(source, out, fixer, field, id_field, summary, sink)
        return
    with (
        _open_lines(source, fmt.compression) as lines,
        _compressed(out, fmt.compression) as sink_out,
    ):
        fix_lines(lines, sink_out, fixer, field, id_field, summary, sink)


def fix_lines(
    lines: Iterable[bytes],
    out: IO[bytes] | None,
    fixer: Fixer,
    field: str | None,
    id_field: str | None,
    summary: ShardSummary,
    sink: RecordSink,
) -> None:
    """The JSONL loop: each line (with its ending) repaired, counted and written to ``out``."""
    for number, raw in enumerate(lines, 1):
        summary.bytes_in += len(raw)
        data, fix = fix_raw_line(raw, fixer, field=field, id_field=id_field)
        summary.count(fix)
        if fix.status in LOGGED:
            sink(number, fix)
        if out is not None:
            out.write(data)


def fix_stdin(
    fixer: Fixer,
    *,
    write: bool,
    id_field: str | None = DEFAULT_ID_FIELD,
    emit: Callable[[dict[str, object]], None],
) -> ShardSummary:
    """Plain JSONL from standard input; with ``write``, the lines go to standard output
    (as each is read: a pipeline stage, ``zstdcat a.jsonl.zst | fixenc fix - --field text``)."""
    summary = ShardSummary("<stdin>")
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer if write else None

    def on_record(number: int, fix: LineFix) -> None:
        emit(log_entry(summary.path, number, fix))

    fix_lines(stdin, stdout, fixer, None, id_field, summary, on_record)
    if stdout is not None:
        stdout.flush()
    return summary


@contextlib.contextmanager
def _open_lines(path: Path, compression: Compression) -> Iterator[IO[bytes]]:
    """The shard's decompressed bytes, to iterate line by line."""
    if compression is Compression.GZIP:
        with gzip.open(path, "rb") as handle:
            yield cast(IO[bytes], handle)
    elif compression is Compression.ZSTD:
        with path.open("rb") as raw, io.BufferedReader(_ZstdReader(raw), READ_BUFFER) as handle:
            yield handle
    else:
        with path.open("rb", buffering=READ_BUFFER) as handle:
            yield handle


@contextlib.contextmanager
def _compressed(out: BinaryIO | None, compression: Compression) -> Iterator[IO[bytes] | None]:
    """A writer that compresses into ``out`` as the input was; closed (flushed) on exit."""
    if out is None or compression is Compression.NONE:
        yield out
    elif compression is Compression.GZIP:
        # mtime=0 and no file name: the same records give the same bytes.
        with gzip.GzipFile(
            filename="", mode="wb", fileobj=out, compresslevel=GZIP_LEVEL, mtime=0
        ) as handle:
            yield cast(IO[bytes], handle)
    else:
        zstandard = _zstandard()
        compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        with compressor.stream_writer(out, closefd=False) as handle:
            yield handle


class _ZstdReader(io.RawIOBase):
    """The decompressed bytes of a zstd stream of one or more frames.

    A stream that ends inside a frame raises ``EOFError``, as ``gzip`` does: a truncated
    shard must be an error, never a shorter output (zstandard's own ``stream_reader``
    just stops there).
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._context = _zstandard().ZstdDecompressor()
        self._frame = self._context.decompressobj()
        self._fed = False  # the current frame has been given bytes
        self._out = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._pos >= len(self._out):
            chunk = self._raw.read(READ_BUFFER)
            if not chunk:
                if self._fed and not self._frame.eof:
                    raise EOFError("the zstd stream ends in the middle of a frame (truncated)")
                return 0
            self._out, self._pos = self._decompress(chunk), 0
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def _decompress(self, chunk: bytes) -> bytes:
        parts = []
        while chunk:
            parts.append(self._frame.decompress(chunk))
            self._fed = True
            if not self._frame.eof:
                break
            chunk = self._frame.unused_data  # the next frame starts here
            self._frame, self._fed = self._context.decompressobj(), False
        return b"".join(parts)


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise _missing_extra("zstd", "zstandard", ".jsonl.zst") from None
    return zstandard


def _missing_extra(extra: str, package: str, what: str) -> FixencError:
    return FixencError(f"{what} shards need the {package} package: pip install 'fixenc[{extra}]'")


def _stream_parquet(
    source: Path,
    out: BinaryIO | None,
    fixer: Fixer,
    field: str | None,
    id_field: str | None,
    summary: ShardSummary,
    sink: RecordSink,
) -> None:
    """Parquet: the field must be a string column; nulls pass through as NO_FIELD."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise _missing_extra("parquet", "pyarrow", ".parquet") from None
    name = fixer.field if field is None else field
    shard = pq.ParquetFile(source)
    schema = shard.schema_arrow
    index = schema.get_field_index(name)
    if index < 0:
        raise FileError(source, f"no column {name!r}; columns: {', '.join(schema.names)}")
    column_type = schema.field(index).type
    if not (pa.types.is_string(column_type) or pa.types.is_large_string(column_type)):
        raise FileError(source, f"column {name!r} holds {column_type}, not strings")
    id_index = schema.get_field_index(id_field) if id_field else -1
    meta = shard.metadata
    codec = meta.row_group(0).column(index).compression.lower() if meta.num_row_groups else "snappy"
    writer = pq.ParquetWriter(out, schema, compression=codec) if out is not None else None
    row = 0
    try:
        for batch in shard.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            values = batch.column(index).to_pylist()
            ids = batch.column(id_index).to_pylist() if id_index >= 0 else None
            repaired = list(values)
            for i, value in enumerate(values):
                record_id = ids[i] if ids is not None else None
                fix = _fix_value(value, fixer, record_id)
                summary.count(fix)
                if fix.status in LOGGED:
                    sink(row + i, fix)
                if fix.status is RecordStatus.CHANGED:
                    repaired[i] = fix.line
            row += len(values)
            if writer is None:
                continue
            if repaired != values:
                columns = list(batch.columns)
                columns[index] = pa.array(repaired, type=column_type)
                batch = pa.RecordBatch.from_arrays(columns, schema=batch.schema)
            writer.write_batch(batch)
    finally:
        if writer is not None:
            writer.close()


def _fix_value(value: object, fixer: Fixer, record_id: Any) -> LineFix:
    """One Parquet cell: ``LineFix.line`` carries the repaired value."""
    if not isinstance(value, str):
        return LineFix("", RecordStatus.NO_FIELD, record_id=record_id)
    if value.isascii():
        return LineFix(value, RecordStatus.UNCHANGED, record_id=record_id)
    result = fixer.repair(value)
    if result.text != value:
        return LineFix(result.text, RecordStatus.CHANGED, result, record_id)
    status = RecordStatus.FLAGGED if result.needs_attention else RecordStatus.UNCHANGED
    return LineFix(value, status, result if status is RecordStatus.FLAGGED else None, record_id)


def log_entry(shard: str, number: int, fix: LineFix, *, parquet: bool = False) -> dict[str, object]:
    """One change-log record: where (line, or Parquet row), which record, what changed.

    >>> fix = fix_line('{"id": "a1", "text": "CafÃ© ÄãºÃ"}', Fixer())
    >>> log_entry("s.jsonl", 3, fix)
    {'shard': 's.jsonl', 'line': 3, 'id': 'a1', 'status': 'changed', 'kinds': ['mojibake'], 'counts': {'mojibake': 2}}
    """
    entry: dict[str, object] = {"shard": shard, "row" if parquet else "line": number}
    entry["id"] = fix.record_id
    entry["status"] = fix.status.value
    if fix.status is RecordStatus.MALFORMED:
        entry["error"] = fix.error
        return entry
    result = fix.result
    if result is not None:
        counts = result.counts()
        entry["kinds"] = list(counts)
        entry["counts"] = counts
        findings = Counter(f.kind.value for f in result.findings)
        if findings:
            entry["findings"] = dict(findings)
    return entry


def discover_shards(roots: Sequence[Path]) -> Iterator[Path]:
    """Shards named on the command line, and those found (sorted) inside directories."""
    for root in roots:
        if root.is_dir():
            found = (p for p in root.rglob("*") if p.is_file() and shard_format(p) is not None)
            yield from sorted(found)
        else:
            yield root


# ----- the command line's record mode (``fixenc fix|check SHARD --field NAME``) ------------


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

    # fork where it exists: workers start at once with fixenc imported (as runner does).
    method = "fork" if sys.platform.startswith("linux") else None
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=fixer.warm,
    ) as pool:
        for entries, done in pool.map(_run_task_collecting, tasks, [fixer] * len(tasks)):
            for entry in entries:
                emit(entry)
            yield done


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
        done = "fixed" if write and status == RecordStatus.CHANGED.value else str(status)
        counts = cast(dict[str, int], entry["counts"])
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
