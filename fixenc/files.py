"""Discovery, reading and atomic writing of files; the only stage that touches disk.

Stage: read (first) and write (last). Writing is atomic: a temporary file in the same
directory is written, fsynced, given the original's permissions, then ``os.replace``d
over the original, so an interrupted run leaves each file wholly old or wholly new. A
file whose content did not change is never touched (its mtime stays), and a file that
changed on disk while it was processed is not overwritten.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fixenc.decode import AmbiguousEncodingError, BinaryInputError, DecodeError, decode
from fixenc.model import Decoded, FileOutcome, Options, Status
from fixenc.pipeline import is_legacy, repair

# Directories that belong to version control or tooling and never hold user text.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "__pycache__", ".tox", ".nox"}
)
# Files above this size are skipped with a message: fixenc holds a file in memory
# several times over (bytes, text, repaired text); 64 MiB keeps a 2-core CI box safe.
MAX_FILE_BYTES = 64 * 1024 * 1024


class FileError(OSError):
    """A file could not be read or written; the message names the path and the cause."""


class ChangedOnDiskError(FileError):
    """The file changed between reading and writing; it was left as it is now."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file looked like when it was read, to detect a change before writing."""

    size: int
    mtime_ns: int
    mode: int


def read_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[bytes, Snapshot]:
    """Read ``path`` whole; raise ``FileError`` with a message a person can act on."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileError(f"{path}: is a directory")
        if info.st_size > max_bytes:
            raise FileError(
                f"{path}: larger than {max_bytes} bytes; raise --max-size to process it"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file or directory") from None
    except PermissionError:
        raise FileError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except FileError:
        raise
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None
    return data, Snapshot(info.st_size, info.st_mtime_ns, stat.S_IMODE(info.st_mode))


def encode_text(text: str, decoded: Decoded | None, *, keep_encoding: bool = False) -> bytes:
    """Turn repaired text back into bytes the way the input was stored.

    Unicode files keep their encoding and BOM; legacy files become UTF-8 unless
    ``keep_encoding`` asks to write them back as they were (if the text still fits).

    >>> encode_text("你好", decode("你好".encode("utf-8-sig")))
    b'\\xef\\xbb\\xbf\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd'
    """
    if decoded is None:
        return text.encode("utf-8")
    if is_legacy(decoded.encoding):
        return text.encode(decoded.encoding if keep_encoding else "utf-8")
    encoding = "utf-8" if decoded.encoding == "ascii" else decoded.encoding
    return decoded.bom + text.encode(encoding)


def write_atomic(
    path: Path, data: bytes, snapshot: Snapshot, *, backup_suffix: str | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permissions.

    Raises ``ChangedOnDiskError`` (and leaves the file alone) when the file's size or
    mtime differ from ``snapshot``.
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fixenc-tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, snapshot.mode)
        current = path.stat()
        if (current.st_size, current.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns):
            raise ChangedOnDiskError(
                f"{path}: changed on disk while it was processed; left as it is"
            )
        if backup_suffix:
            shutil.copy2(path, path.with_name(path.name + backup_suffix))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def discover(
    paths: Iterable[Path], *, follow_symlinks: bool = False
) -> Iterator[tuple[Path, bool]]:
    """Yield ``(path, explicit)`` for every file under ``paths``, in a stable order.

    ``explicit`` is True for a path the user named (errors about it are errors, not
    skips). Version-control folders are never entered; symlinks inside directories are
    skipped unless ``follow_symlinks``.
    """
    for root in paths:
        if not root.is_dir() or (root.is_symlink() and not follow_symlinks):
            yield root, True
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                candidate = Path(dirpath) / name
                if candidate.is_symlink() and not follow_symlinks:
                    continue
                yield candidate, False


def process_file(
    path: Path,
    options: Options,
    *,
    write: bool,
    explicit: bool = True,
    keep_encoding: bool = False,
    backup_suffix: str | None = None,
    output_path: Path | None = None,
) -> FileOutcome:
    """Read, repair and (when ``write``) save one file; never raises for bad input."""
    name = str(path)
    try:
        data, snapshot = read_file(path)
    except FileError as exc:
        return FileOutcome(name, Status.ERROR, message=str(exc).removeprefix(f"{name}: "))
    try:
        decoded = decode(data, assume_encoding=options.assume_encoding, lang=options.lang)
    except BinaryInputError as exc:
        return FileOutcome(name, Status.ERROR if explicit else Status.SKIPPED, message=str(exc))
    except AmbiguousEncodingError as exc:
        return FileOutcome(name, Status.SKIPPED, message=str(exc))
    except DecodeError as exc:
        return FileOutcome(name, Status.ERROR, message=str(exc))
    result = repair(decoded.text, options, decoded=decoded)
    new_data = encode_text(result.text, decoded, keep_encoding=keep_encoding)
    mirror = output_path is not None and output_path != path
    if new_data == data:
        status = Status.FLAGGED if result.needs_attention else Status.UNCHANGED
        if not (write and mirror):
            return FileOutcome(name, status, result)
    else:
        status = Status.CHANGED
    if not write:
        return FileOutcome(name, status, result)
    try:
        if mirror:
            assert output_path is not None
            output_path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(output_path, new_data, snapshot.mode)
        else:
            write_atomic(path, new_data, snapshot, backup_suffix=backup_suffix)
    except ChangedOnDiskError as exc:
        return FileOutcome(name, Status.ERROR, result, message=str(exc).removeprefix(f"{name}: "))
    except OSError as exc:
        return FileOutcome(
            name, Status.ERROR, result, message=f"cannot write: {exc.strerror or exc}"
        )
    return FileOutcome(name, status, result, written=True)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Write a file in an output tree atomically (no original to compare against)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fixenc-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
