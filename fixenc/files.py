"""Discovery, reading and atomic writing of files; the only stage that touches disk.

Stage: read (first) and write (last). Writing is atomic: a temporary file in the same
directory is written, fsynced, given the original's permissions, then ``os.replace``d
over the original, so an interrupted run leaves each file wholly old or wholly new. A
file whose content did not change is never touched (its mtime stays), and a file that
changed on disk while it was processed is not overwritten.

Discovery (``walk``) decides what is read at all: directories recursively in a stable
order, ``.gitignore`` files honoured with git's own semantics (via ``pathspec``),
``include``/``exclude`` globs, symbolic links skipped unless asked for, files over the
size cap and non-regular files (FIFOs, sockets, devices) skipped with a reason, and
version-control folders never entered. Only a SIGKILL can leave a temporary file behind
(the process gets no chance to remove it); ``walk`` recognises those by name and the
next ``fix`` run removes them (``remove_stale_temp``).
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from fixenc.decode import (
    SNIFF_BYTES,
    AmbiguousEncodingError,
    BinaryInputError,
    DecodeError,
    decode,
)
from fixenc.model import Decoded, FileOutcome, Options, Status
from fixenc.pipeline import is_legacy, repair

# Directories that belong to version control or tooling and never hold user text.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "__pycache__", ".tox", ".nox"}
)
# Files above this size are skipped with a message: fixenc holds a file in memory
# several times over (bytes, text, repaired text); 64 MiB keeps a 2-core CI box safe.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Extensions of program source, where stages must be more careful (identifiers and
# string literals are not prose): ``Options.is_source_code`` is set for these. The list
# is GitHub Linguist's most common programming languages plus shell and config formats
# that hold code; prose formats (.md, .txt, .rst, .html) are deliberately absent.
SOURCE_SUFFIXES = frozenset(
    {
        ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".cs", ".java", ".kt", ".kts", ".scala",
        ".go", ".rs", ".swift", ".m", ".mm", ".py", ".pyi", ".rb", ".php", ".pl", ".pm",
        ".lua", ".r", ".jl", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".vue", ".dart",
        ".sh", ".bash", ".zsh", ".ps1", ".bat", ".sql", ".el", ".clj", ".hs", ".ml", ".ex",
        ".exs", ".erl", ".fs", ".vb", ".groovy", ".gradle", ".cmake", ".mk",
    }
)  # fmt: skip

# Files larger than this are sniffed before being read whole (``read_file(sniff=True)``);
# below it, reading everything costs about as much as a second system call.
SNIFF_MIN_BYTES = 1024 * 1024
# decode.py's first rule for binary input, applied early to a file's first SNIFF_BYTES;
# the message is decode's, word for word (tests/test_files.py checks both agree).
BINARY_MESSAGE = "binary file (contains NUL bytes); skipped"
# UTF-32-LE's BOM starts with UTF-16-LE's; UTF-32-BE's starts with NULs, so it is listed.
_BOM_PREFIXES = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)

# Temporary files are named ``.<name>.<pid>.<random>.fixenc-tmp`` (``tempfile.mkstemp``'s
# random part is 8 characters of ``[a-z0-9_]``), so a leftover one is recognisable, and
# the process that wrote it can be asked whether it still runs before it is removed.
TEMP_SUFFIX = ".fixenc-tmp"
_TEMP_NAME = re.compile(
    r"^\.(?P<original>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$"
)

# Why a path was skipped. The text before the first ";" or "(" is the category that
# summaries count; the rest tells a person what to do about it.
SKIP_SYMLINK = "symbolic link; pass --follow-symlinks to follow links"
SKIP_GITIGNORE = "ignored by .gitignore"
SKIP_EXCLUDED = "excluded by an exclude pattern"
SKIP_NOT_INCLUDED = "not matched by an include pattern"
SKIP_NOT_REGULAR = "not a regular file (FIFO, socket or device)"
SKIP_STALE_TEMP = "temporary file left by an interrupted run"
SKIP_TOO_LARGE = "larger than the size cap"
SKIP_DUPLICATE = "already processed through another link"
# Skips that need no person's attention when met while walking a directory: they are
# shown only with --verbose and do not change the exit code. A file too large to check
# is not routine: the run cannot vouch for it.
ROUTINE_SKIPS = (
    "binary file",
    SKIP_SYMLINK,
    SKIP_GITIGNORE,
    SKIP_EXCLUDED,
    SKIP_NOT_INCLUDED,
    SKIP_NOT_REGULAR,
    SKIP_STALE_TEMP,
    SKIP_DUPLICATE,
)


class FileError(OSError):
    """A file could not be read or written; the message names the path and the cause."""


class ChangedOnDiskError(FileError):
    """The file changed between reading and writing; it was left as it is now."""


class BinaryFileError(FileError):
    """The file's first bytes say it is binary; the rest was not read."""


class TooLargeError(FileError):
    """The file is over the size cap; raise ``--max-size`` to process it."""


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

    With ``sniff``, a large file whose first bytes hold a NUL (and no byte order mark)
    raises ``BinaryFileError`` before the rest is read: a tree of images and archives
    should cost a few KiB a file, not their whole size.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileError(f"{path}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            # Reading a FIFO blocks until a writer comes; a device may never end.
            raise FileError(f"{path}: {SKIP_NOT_REGULAR}")
        if info.st_size > max_bytes:
            raise TooLargeError(f"{path}: {too_large_message(info.st_size, max_bytes)}")
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES) if sniff and info.st_size > SNIFF_MIN_BYTES else b""
            if head and looks_binary(head):
                raise BinaryFileError(f"{path}: {BINARY_MESSAGE}")
            data = head + handle.read()
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
    mode = stat.S_IMODE(info.st_mode)
    return data, Snapshot(info.st_size, info.st_mtime_ns, mode, info.st_uid, info.st_gid)


def looks_binary(head: bytes) -> bool:
    """NUL bytes without a byte order mark: decode would refuse the file as binary.

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), looks_binary("é".encode("utf-16"))
    (True, False)
    """
    return b"\x00" in head and not head.startswith(_BOM_PREFIXES)


def too_large_message(size: int, max_bytes: int) -> str:
    """Say how large, what the cap is, and how to change it.

    >>> too_large_message(100 * 2**20, 64 * 2**20).split(";")[0]
    'larger than the size cap (100.0 MiB > 64.0 MiB)'
    """
    return (
        f"{SKIP_TOO_LARGE} ({size / 2**20:.1f} MiB > {max_bytes / 2**20:.1f} MiB); "
        "raise it with --max-size or max-size in [tool.fixenc]"
    )


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
    mtime differ from ``snapshot``. The backup, when asked for, is made before the
    replacement, so a crash between the two leaves the original in both places.
    """

    def before_replace(tmp: Path) -> None:
        _carry_owner(tmp, snapshot)
        os.chmod(tmp, snapshot.mode)  # after chown, which may clear setuid/setgid bits
        current = path.stat()
        if (current.st_size, current.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns):
            raise ChangedOnDiskError(
                f"{path}: changed on disk while it was processed; left as it is"
            )
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


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True, slots=True)
class Selection:
    """Which files a walk yields. Patterns use ``.gitignore`` syntax: a pattern without
    a slash matches a name at any depth (``*.min.js``, ``vendor/``); one with a slash is
    anchored at ``base`` (the directory of the configuration file, else the current
    directory)."""

    include: tuple[str, ...] = ()  # empty: every file
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    follow_symlinks: bool = False
    max_bytes: int = MAX_FILE_BYTES
    base: Path | None = None
    # Directories never entered, such as the --output-dir when it lies inside the tree:
    # walking it would repair last run's copies into copies of copies.
    prune: frozenset[Path] = frozenset()

    def _base(self) -> Path:
        return (self.base or Path.cwd()).absolute()


@dataclass(frozen=True, slots=True)
class Entry:
    """One path a walk met: to process, skipped with a reason, or an error."""

    path: Path
    explicit: bool
    skip: str = ""
    error: str = ""  # the path could not be examined (an unreadable directory)


def discover(
    paths: Iterable[Path], *, follow_symlinks: bool = False, selection: Selection | None = None
) -> Iterator[tuple[Path, bool]]:
    """Yield ``(path, explicit)`` for every file to process under ``paths``.

    ``explicit`` is True for a path the user named (errors about it are errors, not
    skips). See ``walk`` for what is skipped; this drops the skipped entries.
    """
    if selection is None:
        selection = Selection(follow_symlinks=follow_symlinks)
    for entry in walk(paths, selection):
        if not entry.skip and not entry.error:
            yield entry.path, entry.explicit


def walk(paths: Iterable[Path], selection: Selection) -> Iterator[Entry]:
    """Yield every file under ``paths`` once, in a stable order, each with its fate.

    A path the user named is processed even when a ``.gitignore`` ignores it (pre-commit
    and the user chose it), but ``exclude``/``include`` still apply to it, so patterns in
    ``[tool.fixenc]`` hold for hooks too (what ruff calls ``force-exclude``). Inside
    directories, symbolic links are skipped unless ``follow_symlinks``; a followed link
    to a file or directory already seen is skipped, so link loops end.
    """
    matcher = _Patterns(selection)
    seen: set[tuple[int, int]] = set()
    for root in paths:
        if str(root) == "-":
            yield Entry(root, True)
            continue
        try:
            info = root.stat()
        except OSError:
            yield Entry(root, True)  # process_file reports the error in its words
            continue
        if not stat.S_ISDIR(info.st_mode):
            reason = matcher.file_reason(root)
            if not reason and is_stale_temp(root):
                reason = SKIP_STALE_TEMP
            if not reason and not stat.S_ISREG(info.st_mode):
                reason = SKIP_NOT_REGULAR
            if not reason and info.st_size > selection.max_bytes:
                reason = too_large_message(info.st_size, selection.max_bytes)
            if not reason and (info.st_dev, info.st_ino) in seen:
                reason = SKIP_DUPLICATE
            seen.add((info.st_dev, info.st_ino))
            yield Entry(root, True, reason)
            continue
        ignores = _GitIgnores(root) if selection.respect_gitignore else None
        yield from _walk_dir(root, selection, matcher, ignores, seen)


def _walk_dir(
    directory: Path,
    selection: Selection,
    matcher: _Patterns,
    ignores: _GitIgnores | None,
    seen: set[tuple[int, int]],
) -> Iterator[Entry]:
    try:
        info = directory.stat()
    except OSError:
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return  # a link loop, or a directory reached twice
    seen.add(key)
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        yield Entry(directory, False, error=f"cannot list directory: {reason}")
        return
    if ignores is not None:
        ignores.enter(directory)
    for item in entries:
        path = Path(item.path)
        try:
            is_link = item.is_symlink()
            is_dir = item.is_dir(follow_symlinks=selection.follow_symlinks)
        except OSError:
            is_link, is_dir = False, False
        if is_dir and (item.name in SKIP_DIRS or Path(os.path.abspath(path)) in selection.prune):
            continue  # never entered, never reported: they hold no user text
        if is_link and not selection.follow_symlinks:
            yield Entry(path, False, SKIP_SYMLINK)
            continue
        if ignores is not None and ignores.ignored(path, is_dir=is_dir):
            yield Entry(path, False, SKIP_GITIGNORE)
            continue
        if is_dir:
            if matcher.excluded(path, is_dir=True):
                yield Entry(path, False, SKIP_EXCLUDED)
                continue
            yield from _walk_dir(path, selection, matcher, ignores, seen)
            continue
        if is_stale_temp(path):
            yield Entry(path, False, SKIP_STALE_TEMP)
            continue
        reason = matcher.file_reason(path)
        if reason:
            yield Entry(path, False, reason)
            continue
        try:
            st = item.stat(follow_symlinks=True)
        except OSError:
            yield Entry(path, False)  # dangling link or vanished: process_file reports it
            continue
        if not stat.S_ISREG(st.st_mode):
            yield Entry(path, False, SKIP_NOT_REGULAR)
        elif st.st_size > selection.max_bytes:
            yield Entry(path, False, too_large_message(st.st_size, selection.max_bytes))
        elif (st.st_dev, st.st_ino) in seen:
            yield Entry(path, False, SKIP_DUPLICATE)
        else:
            seen.add((st.st_dev, st.st_ino))
            yield Entry(path, False)
    if ignores is not None:
        ignores.leave(directory)


class _Patterns:
    """``include``/``exclude`` globs in ``.gitignore`` syntax, anchored at the base."""

    def __init__(self, selection: Selection) -> None:
        self._base = selection._base()
        self._include = (
            pathspec.GitIgnoreSpec.from_lines(selection.include) if selection.include else None
        )
        self._exclude = (
            pathspec.GitIgnoreSpec.from_lines(selection.exclude) if selection.exclude else None
        )

    def _relative(self, path: Path, is_dir: bool) -> str:
        absolute = Path(os.path.abspath(path))
        try:
            rel = absolute.relative_to(self._base).as_posix()
        except ValueError:
            rel = absolute.as_posix().lstrip("/")
        return rel + "/" if is_dir else rel

    def excluded(self, path: Path, *, is_dir: bool) -> bool:
        return self._exclude is not None and self._exclude.match_file(self._relative(path, is_dir))

    def file_reason(self, path: Path) -> str:
        if self.excluded(path, is_dir=False):
            return SKIP_EXCLUDED
        if self._include is not None and not self._include.match_file(self._relative(path, False)):
            return SKIP_NOT_INCLUDED
        return ""


class _GitIgnores:
    """The ``.gitignore`` files in force while walking one root, deepest last.

    Git's rule: the deepest file with a matching pattern decides, and within a file the
    last matching pattern wins (``!`` re-includes). Files above the walked root count up
    to the repository's top (the directory holding ``.git``), as does
    ``.git/info/exclude``; outside a repository the root's own ``.gitignore`` files are
    still honoured, since a tree copied out of git keeps its intent.
    """

    def __init__(self, root: Path) -> None:
        self._stack: list[tuple[Path, pathspec.GitIgnoreSpec | None]] = []
        absolute = Path(os.path.abspath(root))
        chain: list[Path] = []  # directories above the root, up to the repository's top
        top: Path | None = None
        for directory in (absolute, *absolute.parents):
            if directory != absolute:
                chain.append(directory)
            if (directory / ".git").exists():
                top = directory
                break
        if top is None:
            chain = []  # not in a repository: ancestors' ignore files are not ours
        else:
            self._stack.append((top, _load_spec(top / ".git" / "info" / "exclude")))
        for parent in reversed(chain):
            self._stack.append((parent, _load_spec(parent / ".gitignore")))
        if absolute != top and self.ignored(absolute, is_dir=True):
            # The user named an ignored directory (``fixenc fix build/``): that choice
            # overrides the rules above it; its own .gitignore files still count.
            self._stack = []

    def enter(self, directory: Path) -> None:
        absolute = Path(os.path.abspath(directory))
        self._stack.append((absolute, _load_spec(absolute / ".gitignore")))

    def leave(self, directory: Path) -> None:
        if self._stack and self._stack[-1][0] == Path(os.path.abspath(directory)):
            self._stack.pop()

    def ignored(self, path: Path, *, is_dir: bool) -> bool:
        absolute = Path(os.path.abspath(path))
        for base, spec in reversed(self._stack):
            if spec is None:
                continue
            try:
                rel = absolute.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                return bool(result.include)
        return False


def _load_spec(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


# ----------------------------------------------------------------------- the unit of work


def process_file(
    path: Path,
    options: Options,
    *,
    write: bool,
    explicit: bool = True,
    keep_encoding: bool = False,
    backup_suffix: str | None = None,
    output_path: Path | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> FileOutcome:
    """Read, repair and (when ``write``) save one file; never raises for bad input.

    A symbolic link the user chose to follow is repaired where it points, so the link
    stays a link. With ``output_path`` the repaired copy goes there and the original is
    left alone; an output file that already holds the same bytes is not rewritten.
    """
    name = str(path)
    try:
        data, snapshot = read_file(path, max_bytes=max_bytes, sniff=not explicit)
    except BinaryFileError:
        return FileOutcome(name, Status.SKIPPED, message=BINARY_MESSAGE)
    except TooLargeError as exc:
        return FileOutcome(name, Status.SKIPPED, message=str(exc).removeprefix(f"{name}: "))
    except FileError as exc:
        message = str(exc).removeprefix(f"{name}: ")
        if message == SKIP_NOT_REGULAR:
            return FileOutcome(name, Status.SKIPPED, message=message)
        return FileOutcome(name, Status.ERROR, message=message)
    try:
        decoded = decode(data, assume_encoding=options.assume_encoding, lang=options.lang)
    except BinaryInputError as exc:
        return FileOutcome(name, Status.ERROR if explicit else Status.SKIPPED, message=str(exc))
    except AmbiguousEncodingError as exc:
        return FileOutcome(name, Status.SKIPPED, message=str(exc))
    except DecodeError as exc:
        return FileOutcome(name, Status.ERROR, message=str(exc))
    if not options.is_source_code and is_source(path):
        options = dataclasses.replace(options, is_source_code=True)
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
            if _same_bytes(output_path, new_data):
                # Already up to date from an earlier run: the copy holds the repair.
                return FileOutcome(name, status, result, written=status is Status.CHANGED)
            _write_new(output_path, new_data, snapshot.mode)
        else:
            target = Path(os.path.realpath(path)) if path.is_symlink() else path
            write_atomic(target, new_data, snapshot, backup_suffix=backup_suffix)
    except ChangedOnDiskError as exc:
        return FileOutcome(name, Status.ERROR, result, message=str(exc).split(": ", 1)[-1])
    except OSError as exc:
        return FileOutcome(
            name, Status.ERROR, result, message=f"cannot write: {exc.strerror or exc}"
        )
    return FileOutcome(name, status, result, written=True)


def is_source(path: Path) -> bool:
    """Whether ``path`` names program source (by its extension, or a Makefile).

    >>> is_source(Path("src/app.PY")), is_source(Path("README.md")), is_source(Path("Makefile"))
    (True, False, True)
    """
    return path.suffix.lower() in SOURCE_SUFFIXES or path.name in ("Makefile", "Dockerfile")


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Write a file in an output tree atomically (no original to compare against)."""
    _replace_atomically(path, data, lambda tmp: os.chmod(tmp, mode))


def mirror_path(path: Path, roots: Sequence[Path], output_dir: Path) -> Path:
    """Where ``path`` goes under ``output_dir``: its place relative to the root it came from.

    >>> mirror_path(Path("docs/a/b.txt"), [Path("docs")], Path("out")).as_posix()
    'out/docs/a/b.txt'
    >>> mirror_path(Path("x/c.txt"), [Path("x/c.txt")], Path("out")).as_posix()
    'out/c.txt'
    """
    for root in roots:
        if path != root and path.is_relative_to(root):
            # "." and ".." have no name of their own: their files go straight under DIR.
            name = root.name if root.name not in ("", "..") else ""
            return output_dir / name / path.relative_to(root)
    return output_dir / path.name
