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
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from fixenc.decode import sniff as sniff_
from fixenc.errors import ChangedOnDiskError, FileError
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
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileError(path, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            # Reading a FIFO blocks until a writer comes; a device may never end.
            reason = SkipReason.NOT_REGULAR
            raise FileError(path, SKIP_MESSAGES[reason], skip=reason)
        if info.st_size > max_bytes:
            message = too_large_message(info.st_size, max_bytes)
            raise FileError(path, message, skip=SkipReason.TOO_LARGE)
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES) if sniff and info.st_size > SNIFF_MIN_BYTES else b""
            if head and sniff_.looks_binary(head):
                raise FileError(path, sniff_.BINARY_NUL, skip=SkipReason.BINARY)
            data = head + handle.read()
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
    mode = stat.S_IMODE(info.st_mode)
    return data, Snapshot(info.st_size, info.st_mtime_ns, mode, info.st_uid, info.st_gid)


def too_large_message(size: int, max_bytes: int) -> str:
    """Say how large, what the cap is, and how to change it.

    >>> too_large_message(100 * 2**20, 64 * 2**20).split(";")[0]
    'larger than the size cap (100.0 MiB > 64.0 MiB)'
    """
    return (
        f"{SkipReason.TOO_LARGE.value} ({size / 2**20:.1f} MiB > {max_bytes / 2**20:.1f} MiB); "
        "raise it with --max-size or max-size in [tool.fixenc]"
    )


def write_atomic(
    path: Path, data: bytes, snapshot: Snapshot, *, backup_suffix: str | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permissions.

    Raises ``ChangedOnDiskError`` (and leaves the file alone) when the file's size or
    mtime differ from ``snapshot``. The backup, when asked for, is made before the
    replacement, so a crash between the two leaves the original in both places.
    """

    def before_replace(tmp: Path) -> None:
        _carry_owner(tmp, snapshot)
        os.chmod(tmp, snapshot.mode)  # after chown, which may clear setuid/setgid bits
        current = path.stat()
        if (current.st_size, current.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns):
            raise ChangedOnDiskError(path, "changed on disk while it was processed; left as it is")
        if backup_suffix:
            _copy_atomic(path, path.with_name(path.name + backup_suffix))

    _replace_atomically(path, data, before_replace)


def _replace_atomically(path: Path, data: bytes, before_replace: Callable[[Path], None]) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, let ``before_replace``
    prepare (or veto, by raising) the swap, then ``os.replace`` it over ``path``. Any
    failure removes the temporary file; the target is only ever wholly old or new."""
    fd, tmp_name = _mkstemp(path.name, path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        before_replace(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(path.parent)


def _carry_owner(tmp: Path, snapshot: Snapshot) -> None:
    """Give the new file the original's owner and group, where this process may."""
    if snapshot.uid < 0 or (snapshot.uid, snapshot.gid) == (os.geteuid(), os.getegid()):
        return
    with contextlib.suppress(OSError):  # not permitted unless root: the writer owns it
        os.chown(tmp, snapshot.uid, snapshot.gid)


def _copy_atomic(source: Path, destination: Path) -> None:
    """Copy ``source`` (bytes, mode and times) so that ``destination`` is never partial."""
    fd, tmp_name = _mkstemp(destination.name, destination.parent)
    os.close(fd)
    try:
        shutil.copy2(source, tmp_name)
        os.replace(tmp_name, destination)
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


class AtomicWriter:
    """Stream a file's new content to a temporary file, then replace the target at once.

    For outputs too large to hold in memory (a corpus shard): the caller writes through
    the handle ``with`` returns; on a clean exit the temporary file is fsynced, given
    ``mode`` and renamed over ``path``; on an exception, or after ``discard()`` (nothing
    changed: leave the target and its mtime alone), it is removed. With ``snapshot`` the
    target must still be as it was read, else ``ChangedOnDiskError`` and it is left alone.
    """

    def __init__(self, path: Path, *, mode: int, snapshot: Snapshot | None = None) -> None:
        self.path = path
        self.mode = mode
        self.snapshot = snapshot
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
