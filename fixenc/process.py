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

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from fixenc import pipeline
from fixenc.decode import declared, decode, encode, is_legacy
from fixenc.errors import (
    AmbiguousEncodingError,
    BinaryInputError,
    DecodeError,
    FileError,
    FixencError,
    Spelling,
    describe,
)
from fixenc.files import MAX_FILE_BYTES, is_source, read_file, same_bytes, write_atomic, write_new
from fixenc.model import Detection, FileOutcome, Options, Result, SkipReason, Status


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
    name = str(path)
    try:
        data, snapshot = read_file(path, max_bytes=job.max_bytes, sniff=not explicit)
    except FileError as exc:
        message = describe(exc, job.spelling)
        if exc.skip is not None:
            skipped = FileOutcome(name, Status.SKIPPED, message=message, skip=exc.skip)
            return Processed(skipped, error=exc)
        return Processed(FileOutcome(name, Status.ERROR, message=message), error=exc)
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
    options = job.options
    try:
        decoded = decode(data, assume_encoding=options.assume_encoding, lang=options.lang)
    except DecodeError as exc:
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
        outcome = FileOutcome(
            name, status, message=message, skip=skip, encoding_candidates=candidates
        )
        return Processed(outcome, error=exc)
    if source is not None and not options.is_source_code and is_source(source):
        options = dataclasses.replace(options, is_source_code=True)
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


def _status(result: Result, new_data: bytes, data: bytes) -> Status:
    if new_data != data:
        return Status.CHANGED
    return Status.FLAGGED if result.needs_attention else Status.UNCHANGED


def _detected(name: str, detection: Detection) -> FileOutcome:
    return FileOutcome(name, Status.UNCHANGED, detection=detection)
