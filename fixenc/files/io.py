"""Reading whole files and replacing them atomically: the only code that writes to disk.

Stage: read (first) and write (last). Writing is atomic: a temporary file in the same
directory is written, fsynced, given the original's permissions, then ``os.replace``d
over the original, so an interrupted run leaves each file wholly old or wholly new. A
file whose content did not change is never touched (its mtime stays), and a file that
changed on disk while it was processed is not overwritten. Only a SIGKILL can leave a
temporary file behind (the process gets no chance to remove it); discovery recognises
those by name and the next in-place run removes them (``remove_stale_temp``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from fixenc.decode import sniff as sniff_
from fixenc.errors import (
    ChangedOnDiskError,
    FileError,
    Option,
    ReadOnlyError,
    Spelling,
    advice_text,
)
from fixenc.model import SkipReason

# Files above this size are skipped with a message: fixenc holds a file in memory
# several times over (bytes, text, repaired text); 64 MiB keeps a 2-core CI box safe.
MAX_FILE_BYTES = 64 * 1024 * 1024
# Files larger than this are sniffed before being read whole (``read_file(sniff=True)``);
# below it, reading everything costs about as much as a second system call.
SNIFF_MIN_BYTES = 1024 * 1024
SNIFF_BYTES = sniff_.SNIFF_BYTES

# What a person reads about each skip (the reason's value is the category summaries
# count); a file over the size cap says its size (``too_large_message``).
SKIP_MESSAGES = {
    SkipReason.SYMLINK: "symbolic link; pass --follow-symlinks to follow links",
    SkipReason.GITIGNORE: "ignored by .gitignore",
    SkipReason.EXCLUDED: "excluded by an exclude pattern",
    SkipReason.NOT_INCLUDED: "not matched by an include pattern",
    SkipReason.NOT_REGULAR: "not a regular file (FIFO, socket or device)",
    SkipReason.STALE_TEMP: "temporary file left by an interrupted run",
    SkipReason.BACKUP: "backup copy of the file beside it (name it to process it)",
    SkipReason.DUPLICATE: "already processed through another link",
    SkipReason.BINARY: sniff_.BINARY_NUL,
}

# Temporary files are named ``.<name>.<pid>.<random>.fixenc-tmp`` (``tempfile.mkstemp``'s
# random part is 8 characters of ``[a-z0-9_]``), so a leftover one is recognisable, and
# the process that wrote it can be asked whether it still runs before it is removed.
TEMP_SUFFIX = ".fixenc-tmp"
_TEMP_NAME = re.compile(
    r"^\.(?P<original>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$"
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file looked like when it was read, to detect a change before writing."""

    size: int
    mtime_ns: int
    mode: int
    uid: int = -1  # owner, carried over when the writer may (root fixing others' files)
    gid: int = -1


def read_file(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, sniff: bool = False
) -> tuple[bytes, Snapshot]:
    """Read ``path`` whole; raise ``FileError`` with a message a person can act on.

    A file fixenc does not process raises ``FileError`` with its ``skip`` reason set:
    not a regular file, over ``max_bytes``, or — with ``sniff`` — a large file whose
    first bytes hold a NUL and no byte order mark, refused before the rest is read (a
    tree of images and archives should cost a few KiB a file, not their whole size).
    """
    handle, snapshot = open_file(path, max_bytes=max_bytes, sniff=sniff)
    with handle, _reading(path):
        data = handle.read()
    return data, snapshot


def open_file(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, sniff: bool = False
) -> tuple[BinaryIO, Snapshot]:
    """Open ``path`` for reading after the checks ``read_file`` makes (the caller
    closes the handle): the way in for a file too large to read whole."""
    with _reading(path):
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileError(path, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            # Reading a FIFO blocks until a writer comes; a device may never end.
            reason = SkipReason.NOT_REGULAR
            raise FileError(path, SKIP_MESSAGES[reason], skip=reason)
        if info.st_size > max_bytes:
            message = too_large_message(info.st_size, max_bytes, spelling=None)
            raise FileError(path, message, skip=SkipReason.TOO_LARGE, advice=(Option.MAX_SIZE,))
        handle = path.open("rb")
        try:
            if sniff and info.st_size > SNIFF_MIN_BYTES:
                if sniff_.looks_binary(handle.read(SNIFF_BYTES)):
                    raise FileError(path, sniff_.BINARY_NUL, skip=SkipReason.BINARY)
                handle.seek(0)
        except BaseException:
            handle.close()
            raise
    mode = stat.S_IMODE(info.st_mode)
    return handle, Snapshot(info.st_size, info.st_mtime_ns, mode, info.st_uid, info.st_gid)


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn what the system says about a failed read into a ``FileError`` to act on."""
    try:
        yield
    except FileNotFoundError:
        raise FileError(path, "no such file or directory") from None
    except PermissionError:
        raise FileError(path, "permission denied") from None
    except IsADirectoryError:
        raise FileError(path, "is a directory") from None
    except FileError:
        raise
    except OSError as exc:
        raise FileError(path, str(exc.strerror or exc)) from None


def too_large_message(
    size: int, max_bytes: int, *, spelling: Spelling | None = Spelling.COMMAND_LINE
) -> str:
    """Say how large, what the cap is, and (for ``spelling``) how to change it.

    >>> too_large_message(100 * 2**20, 64 * 2**20)
    'larger than the size cap (100.0 MiB > 64.0 MiB); raise the cap with --max-size or max-size in [tool.fixenc]'
    """
    advice = advice_text((Option.MAX_SIZE,), spelling) if spelling else ""
    return (
        f"{SkipReason.TOO_LARGE.value} ({size / 2**20:.1f} MiB > {max_bytes / 2**20:.1f} MiB)"
        + advice
    )


def write_atomic(
    path: Path, data: bytes, snapshot: Snapshot, *, backup_suffix: str | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permissions and owner.

    Raises ``ReadOnlyError`` for a file its owner marked read-only (no write bit for
    this process, whoever it runs as: a root run treats ``0444`` as a request too),
    ``ChangedOnDiskError`` when the file's size or mtime differ from ``snapshot``, and
    ``FileError`` when the new file could not keep the original's owner and group; in
    each case the file is left as it is. The backup, when asked for, is made before the
    replacement, so a crash between the two leaves the original in both places; an
    existing backup is kept, since it holds the oldest original.
    """
    check_writable(path, snapshot)

    def before_replace(tmp: Path) -> None:
        _carry_owner(tmp, snapshot)
        os.chmod(tmp, snapshot.mode)  # after chown, which may clear setuid/setgid bits
        current = path.stat()
        if (current.st_size, current.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns):
            raise ChangedOnDiskError(path, "changed on disk while it was processed; left as it is")
        _backup(path, backup_suffix)

    _replace_atomically(path, data, before_replace)


def check_writable(path: Path, snapshot: Snapshot) -> None:
    """Raise ``ReadOnlyError`` for a file whose mode forbids this process to write it."""
    if not _writable(snapshot):
        raise ReadOnlyError(path, READ_ONLY_MESSAGE)


def _backup(path: Path, suffix: str | None) -> None:
    """Copy ``path`` beside itself before it is replaced; an existing backup is kept,
    since it holds the oldest original."""
    if suffix:
        backup = path.with_name(path.name + suffix)
        if not backup.exists():
            _copy_atomic(path, backup)


# What a person reads about a read-only file (``write_atomic``).
READ_ONLY_MESSAGE = "read-only file; left as it is (make it writable to let fixenc repair it)"


def _writable(snapshot: Snapshot) -> bool:
    """Whether the mode bits that apply to this process allow writing (root included)."""
    if snapshot.uid < 0:
        return bool(snapshot.mode & stat.S_IWUSR)
    if snapshot.uid == os.geteuid():
        return bool(snapshot.mode & stat.S_IWUSR)
    if snapshot.gid == os.getegid() or snapshot.gid in os.getgroups():
        return bool(snapshot.mode & stat.S_IWGRP)
    if os.geteuid() == 0:  # root may write anything; honour the owner's own bit
        return bool(snapshot.mode & stat.S_IWUSR)
    return bool(snapshot.mode & stat.S_IWOTH)


def _replace_atomically(path: Path, data: bytes, before_replace: Callable[[Path], None]) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, let ``before_replace``
    prepare (or veto, by raising) the swap, then ``os.replace`` it over ``path``. Any
    failure removes the temporary file; the target is only ever wholly old or new."""
    try:
        fd, tmp_name = _mkstemp(path.name, path.parent)
    except OSError as exc:
        raise _directory_error(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        before_replace(tmp)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise _directory_error(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(path.parent)


def _directory_error(path: Path, exc: OSError) -> FileError:
    """A new file cannot be made or renamed beside ``path``: when the directory is the
    cause (not writable, read-only file system), say so and name it, since the file's
    own permissions are not what stands in the way."""
    directory = path.parent if str(path.parent) else Path(".")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        cause = "read-only file system" if exc.errno == errno.EROFS else "permission denied"
        return FileError(path, f"cannot write: its directory {directory} is not writable ({cause})")
    return FileError(path, f"cannot write: {exc.strerror or exc}")


def _carry_owner(tmp: Path, snapshot: Snapshot) -> None:
    """Give the new file the original's owner and group, or refuse the replacement.

    A new file takes the writer's owner and the group of the directory or the writer;
    an owner may give it any group they belong to, root any owner. When neither can
    restore what the original had, replacing it would change who may read it: the
    file is left as it is instead.
    """
    if snapshot.uid < 0:
        return
    made = os.stat(tmp)
    if (made.st_uid, made.st_gid) == (snapshot.uid, snapshot.gid):
        return
    try:
        os.chown(tmp, snapshot.uid, snapshot.gid)
    except OSError:
        raise FileError(
            tmp.with_name(_original_name(tmp)),
            "cannot keep its owner and group (the new file would belong to this user); "
            "left as it is",
        ) from None


def _original_name(tmp: Path) -> str:
    match = _TEMP_NAME.match(tmp.name)
    return match["original"] if match else tmp.name


def _copy_atomic(source: Path, destination: Path) -> None:
    """Copy ``source`` (bytes, mode and times) so that ``destination`` is never partial."""
    try:
        fd, tmp_name = _mkstemp(destination.name, destination.parent)
    except OSError as exc:
        raise _directory_error(destination, exc) from None
    os.close(fd)
    try:
        shutil.copy2(source, tmp_name)
        try:
            os.replace(tmp_name, destination)
        except OSError as exc:
            raise _directory_error(destination, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


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


def _mkstemp(name: str, directory: Path) -> tuple[int, str]:
    """A temporary file next to ``name``, named so that ``is_stale_temp`` knows it."""
    return tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=directory)


def is_stale_temp(path: Path) -> bool:
    """True for a name ``write_atomic`` gives its temporary files.

    >>> is_stale_temp(Path("notes/.a.txt.4242.k3j_9x0q.fixenc-tmp")), is_stale_temp(Path("a.txt"))
    (True, False)
    """
    return _TEMP_NAME.match(path.name) is not None


def remove_stale_temp(path: Path) -> bool:
    """Delete a temporary file that a killed run left behind; True if it was removed.

    A file whose writer is still running (another fixenc working in the same tree) is
    left alone: removing it would make that run's rename fail.
    """
    match = _TEMP_NAME.match(path.name)
    if match is None or path.is_symlink() or _running(int(match["pid"])):
        return False
    try:
        path.unlink()
    except OSError:
        return False
    return True


def _running(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 checks without sending)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but is someone else's, or we cannot tell: keep the file
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process whose parent died too may linger unreaped (an init that does not
    reap, as in some containers); it answers signal 0 but will never write again."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc (macOS) or gone: trust the signal check
    return stat_line.rpartition(")")[2].split()[:1] == ["Z"]


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds exactly ``data``."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_new(path: Path, data: bytes, mode: int) -> None:
    """Write a file in an output tree atomically (no original to compare against)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_atomically(path, data, lambda tmp: os.chmod(tmp, mode))


def copy_verbatim(source: Path, destination: Path) -> None:
    """Copy what ``source`` is into an output tree, unchanged: a symbolic link as a
    link with the same target (never followed, so nothing outside the tree is read), a
    directory (an ignored or excluded one) with its contents, links inside it as links,
    a file atomically with its mode. An up-to-date copy is left alone."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        target = os.readlink(source)
        if destination.is_symlink() and os.readlink(destination) == target:
            return
        if destination.is_symlink() or destination.is_file():
            destination.unlink()
        os.symlink(target, destination)
    elif source.is_dir():
        shutil.copytree(source, destination, symlinks=True, dirs_exist_ok=True)
    elif not (destination.is_file() and _same_file_content(source, destination)):
        _copy_atomic(source, destination)


def _same_file_content(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as left, b.open("rb") as right:
            while True:
                chunk = left.read(1 << 20)
                if chunk != right.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


class AtomicWriter:
    """Stream a file's new content to a temporary file, then replace the target at once.

    For outputs too large to hold in memory (a corpus shard): the caller writes through
    the handle ``with`` returns; on a clean exit the temporary file is fsynced, given
    ``mode`` and renamed over ``path``; on an exception, or after ``discard()`` (nothing
    changed: leave the target and its mtime alone), it is removed. With ``snapshot`` the
    target must still be as it was read, else ``ChangedOnDiskError`` and it is left alone;
    with ``backup_suffix`` the target is copied beside itself first (as ``write_atomic``).
    """

    def __init__(
        self,
        path: Path,
        *,
        mode: int,
        snapshot: Snapshot | None = None,
        backup_suffix: str | None = None,
    ) -> None:
        self.path = path
        self.mode = mode
        self.snapshot = snapshot
        self.backup_suffix = backup_suffix
        self._tmp: Path | None = None
        self._handle: BinaryIO | None = None
        self._discard = False

    def __enter__(self) -> BinaryIO:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _mkstemp(self.path.name, self.path.parent)
        self._tmp = Path(tmp_name)
        self._handle = os.fdopen(fd, "wb")
        return self._handle

    def discard(self) -> None:
        """Keep the target as it is: the temporary file is removed on exit."""
        self._discard = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._handle is not None and self._tmp is not None
        tmp = self._tmp
        try:
            if exc_type is not None or self._discard:
                self._handle.close()
                tmp.unlink()
                return
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.chmod(tmp, self.mode)
            if self.snapshot is not None:
                _carry_owner(tmp, self.snapshot)
                os.chmod(tmp, self.mode)  # after chown, which may clear setuid/setgid bits
                current = self.path.stat()
                if (current.st_size, current.st_mtime_ns) != (
                    self.snapshot.size,
                    self.snapshot.mtime_ns,
                ):
                    raise ChangedOnDiskError(
                        self.path, "changed on disk while it was processed; left as it is"
                    )
                _backup(self.path, self.backup_suffix)
            os.replace(tmp, self.path)
        except BaseException:
            self._handle.close()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _fsync_directory(self.path.parent)


def snapshot_of(path: Path) -> Snapshot:
    """What ``path`` looks like now, to notice a change before replacing it."""
    info = path.stat()
    return Snapshot(
        info.st_size, info.st_mtime_ns, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid
    )
