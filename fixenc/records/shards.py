"""Corpus shards: JSONL (plain, gzip, zstd) and Parquet, streamed record by record.

Stage: read and write, for record mode. Corpora for search and model training come as
shards of many gigabytes, so a shard is streamed: memory holds one line (or one Parquet
batch) at a time, whatever the shard's size. The output shard is written atomically (a
temporary file, then one rename), in place or under an output directory, compressed as
the input was; a truncated or corrupt shard is an error, never a shorter output.
"""

from __future__ import annotations

import contextlib
import enum
import gzip
import io
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from fixenc.errors import FileError, FixencError
from fixenc.files import AtomicWriter, snapshot_of
from fixenc.fixer import Fixer
from fixenc.records.lines import (
    DEFAULT_ID_FIELD,
    LOGGED,
    LineFix,
    RecordStatus,
    fix_raw_line,
    log_entry,
)

# gzip's own command-line default: within a few percent of level 9's size, several
# times faster to write (level 9 would make compression the bottleneck of a fix run).
GZIP_LEVEL = 6
# zstd's own default level (the ``zstd`` tool's): fast, and the usual level for corpora.
ZSTD_LEVEL = 3
# Rows read from a Parquet shard at a time, and so the size of each written row group:
# with web documents of a few KiB this keeps a batch to tens of MiB.
PARQUET_BATCH_ROWS = 8192
# Read-buffer size for JSONL shards: large sequential reads, small next to a line.
READ_BUFFER = 1 << 20


class ShardKind(str, enum.Enum):
    """How records are laid out: one JSON object per line, or Parquet columns."""

    JSONL = "jsonl"
    PARQUET = "parquet"


class Compression(str, enum.Enum):
    """How a JSONL shard's bytes are compressed (its output is compressed the same way)."""

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


def discover_shards(roots: Sequence[Path]) -> Iterator[Path]:
    """Shards named on the command line, and those found (sorted) inside directories."""
    for root in roots:
        if root.is_dir():
            found = (p for p in root.rglob("*") if p.is_file() and shard_format(p) is not None)
            yield from sorted(found)
        else:
            yield root
