"""The one file flow: read → decode → repair → encode → write, ending in an outcome.

Stage: all of them, for one input. The CLI (files and standard input), the library
(``fix_bytes``, ``fix_path``, ``detect`` on bytes) and the worker processes all go
through here, so a file is treated the same whichever way it comes in: source files get
``Options.is_source_code`` (their identifiers are protected), protected terms hold in
``detect`` as in ``fix``, and every refusal is a typed outcome rather than a message
someone has to parse.

Bad input never raises here: it becomes a ``FileOutcome`` whose status and skip reason
say what happened. ``Processed.error`` keeps the exception for the library, which
raises it to its caller.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from fixenc import pipeline
from fixenc.chars import count_line_breaks
from fixenc.decode import charsets, declared, decode, encode, is_legacy
from fixenc.errors import (
    AmbiguousEncodingError,
    BinaryInputError,
    DecodeError,
    FileError,
    FixencError,
    Option,
    Spelling,
    describe,
)
from fixenc.files import (
    MAX_FILE_BYTES,
    AtomicWriter,
    Snapshot,
    Streaming,
    check_writable,
    is_source,
    open_file,
    read_file,
    same_bytes,
    write_atomic,
    write_new,
)
from fixenc.files import stream as stream_
from fixenc.model import (
    Change,
    Decoded,
    Detection,
    FileOutcome,
    Finding,
    Kind,
    Options,
    Result,
    SkipReason,
    Status,
)


@dataclass(frozen=True, slots=True)
class Job:
    """What to do with every input of a run; sent to each worker once."""

    options: Options
    write: bool = False
    keep_encoding: bool = False
    backup_suffix: str | None = None
    max_bytes: int = MAX_FILE_BYTES
    # Report findings and the script-variant map instead of repairing (``detect``).
    detect: bool = False
    # Who reads the outcomes' messages: the command line spells advice as flags.
    spelling: Spelling = Spelling.LIBRARY
    # Stream files from this size on (``process_streamed``); ``None`` reads every file
    # whole, as the library does, whose callers get the repaired text back.
    streaming: Streaming | None = None


@dataclass(frozen=True, slots=True)
class Processed:
    """One input's outcome, plus what only the caller in this process needs: the bytes
    to write to standard output, and the exception the library re-raises."""

    outcome: FileOutcome
    data: bytes | None = None  # the repaired bytes (``None`` when nothing was decoded)
    error: FixencError | None = None


# Encodings whose strict reading of the input round-trips to the same bytes (the BOM is
# kept by ``encode`` as it was found).
UNCHANGED_BYTES = frozenset({"utf-8", "ascii"})


def process_path(
    path: Path, job: Job, *, explicit: bool = True, output_path: Path | None = None
) -> Processed:
    """Read, repair and (when ``job.write``) save one file; never raises for bad input.

    ``explicit`` is True for a path the user named: a binary file named on purpose is an
    error, one met while walking a directory a routine skip (and large files met while
    walking are sniffed before they are read whole). A symbolic link the user chose to
    follow is repaired where it points, so the link stays a link. With ``output_path``
    the repaired copy goes there and the original is left alone; an output file that
    already holds the same bytes is not rewritten.
    """
    if job.streaming is not None and not job.detect and _size(path) >= job.streaming.min_bytes:
        return process_streamed(path, job, explicit=explicit, output_path=output_path)
    return _process_whole(path, job, explicit=explicit, output_path=output_path)


def _process_whole(path: Path, job: Job, *, explicit: bool, output_path: Path | None) -> Processed:
    name = str(path)
    try:
        data, snapshot = read_file(path, max_bytes=job.max_bytes, sniff=not explicit)
    except FileError as exc:
        return _unread(name, exc, job)
    processed = process_data(data, job, name=name, source=path, explicit=explicit)
    outcome = processed.outcome
    if not job.write or job.detect or processed.data is None or outcome.result is None:
        return processed
    mirror = output_path is not None and output_path != path
    if processed.data == data and not mirror:
        return processed
    result, status = outcome.result, outcome.status
    try:
        if output_path is not None and mirror:
            if same_bytes(output_path, processed.data):
                # Already up to date from an earlier run: the copy holds the repair.
                return dataclasses.replace(
                    processed,
                    outcome=dataclasses.replace(outcome, written=status is Status.CHANGED),
                )
            write_new(output_path, processed.data, snapshot.mode)
        else:
            target = Path(os.path.realpath(path)) if path.is_symlink() else path
            write_atomic(target, processed.data, snapshot, backup_suffix=job.backup_suffix)
    except FileError as exc:
        failed = FileOutcome(name, Status.ERROR, result, message=describe(exc, job.spelling))
        return Processed(failed, processed.data, exc)
    except OSError as exc:
        message = f"cannot write: {exc.strerror or exc}"
        failed = FileOutcome(name, Status.ERROR, result, message=message)
        return Processed(failed, processed.data, FileError(path, message))
    return Processed(FileOutcome(name, status, result, written=True), processed.data)


def process_data(
    data: bytes,
    job: Job,
    *,
    name: str = "<stdin>",
    source: Path | None = None,
    explicit: bool = True,
) -> Processed:
    """Decode and repair (or detect on) ``data``; ``source`` is the file it came from,
    which decides whether it is program source."""
    try:
        decoded = decode(data, assume_encoding=job.options.assume_encoding, lang=job.options.lang)
    except DecodeError as exc:
        return _undecoded(name, exc, job, explicit=explicit)
    options = _options_for(job.options, source)
    if job.detect:
        detection = pipeline.detect(decoded.text, options, decoded=decoded)
        return Processed(_detected(name, detection))
    result = pipeline.repair(decoded.text, options, decoded=decoded)
    if is_legacy(decoded.encoding) and not job.keep_encoding:
        # Transcoded to UTF-8: a <meta charset> or <?xml encoding?> must say so too.
        result = declared.update(result)
    if result.text == decoded.text and decoded.encoding in UNCHANGED_BYTES:
        # Unchanged text read strictly as UTF-8 encodes back to the very bytes it came
        # from: the copy is not made (clean text should cost about a scan, issue 12).
        new_data = data
    else:
        new_data = encode(result.text, decoded, keep_encoding=job.keep_encoding)
    return Processed(FileOutcome(name, _status(result, new_data, data), result), new_data)


def process_streamed(
    path: Path, job: Job, *, explicit: bool = True, output_path: Path | None = None
) -> Processed:
    """Read, repair and save a large file piece by piece, in memory that does not grow
    with it (``files.stream``); never raises for bad input.

    The encoding is decided on a bounded prefix (``stream.DETECT_BYTES``) and every
    piece is decoded with an incremental decoder of it; bytes further on that it cannot
    decode send the file through the encoding's supersets again (as ``decode`` confirms a
    whole file), and if none reads it the file is left untouched. Each piece goes
    through the pipeline on its own, its records shifted to offsets and lines of the
    whole file, and its bytes straight to the temporary file that replaces the original
    at the end. The outcome carries every record but no text. An encoding that is not
    ASCII-compatible (UTF-16/32) cannot be cut at its line breaks by bytes; such a file
    is read whole.
    """
    assert job.streaming is not None, "streaming a file needs Job.streaming"
    name = str(path)
    try:
        handle, snapshot = open_file(path, max_bytes=job.max_bytes, sniff=not explicit)
    except FileError as exc:
        return _unread(name, exc, job)
    with handle:
        try:
            head = handle.read(stream_.DETECT_BYTES)
            decoded = decode(
                _whole_lines(head, complete=len(head) < stream_.DETECT_BYTES),
                assume_encoding=job.options.assume_encoding,
                lang=job.options.lang,
            )
        except DecodeError as exc:
            return _undecoded(name, exc, job, explicit=explicit)
        except OSError as exc:
            return _unread(name, FileError(path, str(exc.strerror or exc)), job)
        if not stream_.ascii_compatible(decoded.encoding):
            handle.close()
            return _process_whole(path, job, explicit=explicit, output_path=output_path)
        first = "utf-8" if decoded.encoding == "ascii" else decoded.encoding
        encodings = charsets.chain(first) if is_legacy(first) else (first,)
        for encoding in encodings:
            handle.seek(0)
            try:
                return _stream(path, handle, job, snapshot, decoded, encoding, output_path)
            except _LaterBytes:
                continue  # later bytes need a superset; the temporary file is gone
    error = AmbiguousEncodingError(
        f"the start reads as {decoded.encoding} but later bytes do not",
        decoded.candidates,
        advice=(Option.ASSUME_ENCODING,),
    )
    return _undecoded(name, error, job, explicit=explicit)


def _whole_lines(head: bytes, *, complete: bool) -> bytes:
    """The prefix up to its last line break, so that detection sees no cut character."""
    if complete:
        return head
    cut = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    return head[:cut] if cut else head


def _stream(
    path: Path,
    handle: BinaryIO,
    job: Job,
    snapshot: Snapshot,
    decoded: Decoded,
    encoding: str,
    output_path: Path | None,
) -> Processed:
    """One pass over the file in ``encoding``; ``_LaterBytes`` if it does not fit."""
    assert job.streaming is not None
    name = str(path)
    options = _options_for(job.options, path)
    mirror = output_path is not None and output_path != path
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    writer: AtomicWriter | None = None
    read_only: FileError | None = None
    if job.write and mirror:
        assert output_path is not None
        writer = AtomicWriter(output_path, mode=snapshot.mode)
    elif job.write:
        try:
            check_writable(target, snapshot)
        except FileError as exc:
            read_only = exc
        else:
            writer = AtomicWriter(
                target, mode=snapshot.mode, snapshot=snapshot, backup_suffix=job.backup_suffix
            )
    shifted = _Shifted()
    template = dataclasses.replace(decoded, encoding=encoding, bom=b"")
    decoder = stream_.incremental_decoder(encoding)
    handle.seek(len(decoded.bom))
    changed = False
    try:
        with writer if writer is not None else contextlib.nullcontext(None) as out:
            if out is not None:
                out.write(decoded.bom)
            for raw in stream_.pieces(handle, job.streaming.chunk_bytes):
                text = _decoded_piece(decoder, raw)
                piece = dataclasses.replace(template, text=text)
                result = pipeline.repair(text, options, decoded=piece)
                if is_legacy(encoding) and not job.keep_encoding:
                    result = declared.update(result)
                new = encode(result.text, piece, keep_encoding=job.keep_encoding)
                changed = changed or new != raw
                if out is not None:
                    out.write(new)
                shifted.add(result, text)
            _decoded_piece(decoder, b"", final=True)  # a character cut off at the end
            if writer is not None and not changed and not mirror:
                writer.discard()
    except FileError as exc:
        failed = FileOutcome(name, Status.ERROR, message=describe(exc, job.spelling))
        return Processed(failed, error=exc)
    except OSError as exc:
        message = f"cannot write: {exc.strerror or exc}"
        return Processed(FileOutcome(name, Status.ERROR, message=message))
    reported = encoding if shifted.non_ascii or decoded.encoding != "ascii" else "ascii"
    result = shifted.result(reported, decoded.confidence)
    status = Status.CHANGED if changed else _status(result, b"", b"")
    if changed and job.write and not mirror and read_only is not None:
        failed = FileOutcome(name, Status.ERROR, result, message=describe(read_only, job.spelling))
        return Processed(failed, error=read_only)
    written = writer is not None and (changed or mirror)
    return Processed(FileOutcome(name, status, result, written=written))


class _LaterBytes(Exception):
    """Bytes past the detection prefix that the chosen encoding cannot decode."""


def _decoded_piece(decoder: codecs.IncrementalDecoder, raw: bytes, *, final: bool = False) -> str:
    try:
        return decoder.decode(raw, final)
    except UnicodeDecodeError as exc:
        raise _LaterBytes from exc


class _Shifted:
    """The records of a streamed file's pieces, moved to whole-file offsets and lines.

    Pieces start at line starts, so a column never moves. The whole-file transcoding
    change that the pipeline records for each piece of a legacy file is kept once,
    spanning the file.
    """

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.findings: list[Finding] = []
        self.chars = 0
        self.lines = 0
        self.non_ascii = False
        self._transcoded: Change | None = None

    def add(self, result: Result, text: str) -> None:
        chars, lines = self.chars, self.lines
        for change in result.changes:
            if _transcoding(change):
                self._transcoded = self._transcoded or change
                continue
            self.changes.append(_moved(change, chars, lines))
        self.findings.extend(_moved(f, chars, lines) for f in result.findings)
        self.chars += len(text)
        self.lines += count_line_breaks(text)
        self.non_ascii = self.non_ascii or not text.isascii()

    def result(self, encoding: str, confidence: float) -> Result:
        changes = self.changes
        if self._transcoded is not None:
            whole = dataclasses.replace(self._transcoded, end=self.chars)
            changes = [whole, *changes]
        return Result(
            text="",
            original="",
            changes=tuple(changes),
            findings=tuple(self.findings),
            encoding=encoding,
            encoding_confidence=confidence,
        )


_Record = TypeVar("_Record", Change, Finding)


def _moved(record: _Record, chars: int, lines: int) -> _Record:
    if not chars:
        return record
    return dataclasses.replace(
        record, start=record.start + chars, end=record.end + chars, line=record.line + lines
    )


def _transcoding(change: Change) -> bool:
    """The pipeline's record that a legacy file is written as UTF-8: a DECODE change
    with no text of its own (a declaration update has its before and after)."""
    return change.kind is Kind.DECODE and not change.before and not change.after


def _options_for(options: Options, source: Path | None) -> Options:
    """Program source gets its identifiers protected."""
    if source is not None and not options.is_source_code and is_source(source):
        return dataclasses.replace(options, is_source_code=True)
    return options


def _unread(name: str, exc: FileError, job: Job) -> Processed:
    """A file that could not be read, or that fixenc does not read (a skip)."""
    message = describe(exc, job.spelling)
    if exc.skip is not None:
        skipped = FileOutcome(name, Status.SKIPPED, message=message, skip=exc.skip)
        return Processed(skipped, error=exc)
    return Processed(FileOutcome(name, Status.ERROR, message=message), error=exc)


def _undecoded(name: str, exc: DecodeError, job: Job, *, explicit: bool) -> Processed:
    """Bytes that are not text, or not text fixenc can read for sure."""
    message = describe(exc, job.spelling)
    skip: SkipReason | None = None
    if isinstance(exc, BinaryInputError) and not explicit:
        skip = SkipReason.BINARY
    elif isinstance(exc, AmbiguousEncodingError):
        skip = SkipReason.AMBIGUOUS_ENCODING
    status = Status.ERROR if skip is None else Status.SKIPPED
    # An ambiguous file is never written from a guess: it is left as it is, with the
    # candidates.
    candidates = exc.candidates if isinstance(exc, AmbiguousEncodingError) else ()
    outcome = FileOutcome(name, status, message=message, skip=skip, encoding_candidates=candidates)
    return Processed(outcome, error=exc)


def _size(path: Path) -> int:
    """The size of ``path``, or -1 when it cannot be seen (reading it will say why)."""
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _status(result: Result, new_data: bytes, data: bytes) -> Status:
    if new_data != data:
        return Status.CHANGED
    return Status.FLAGGED if result.needs_attention else Status.UNCHANGED


def _detected(name: str, detection: Detection) -> FileOutcome:
    return FileOutcome(name, Status.UNCHANGED, detection=detection)
