"""Discovery: which files a run reads, and why the others are skipped.

Stage: read (choosing what to read). Directories are walked recursively in a stable
order, ``.gitignore`` files honoured with git's own semantics (via ``pathspec``),
``include``/``exclude`` globs applied, symbolic links skipped unless asked for, files
over the size cap and non-regular files (FIFOs, sockets, devices) skipped with a reason,
and version-control folders never entered. Every skip carries a ``SkipReason``, which is
what summaries count and exit codes decide on; its message is for people.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fixenc.files.io import MAX_FILE_BYTES, SKIP_MESSAGES, is_stale_temp, too_large_message
from fixenc.model import SkipReason

if TYPE_CHECKING:
    import pathspec

# Directories that belong to version control or tooling and never hold user text.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "__pycache__", ".tox", ".nox"}
)

# Suffixes of backup copies: fixenc's own ``--backup`` default and what editors, patch
# and merge tools leave (``a.txt.orig``, ``a.txt.bak``, ``a.txt~``). A file carrying one
# of these (or the run's ``--backup`` suffix) beside the file it copies is a backup:
# repairing it in place would destroy the original the user kept (and a second
# ``--backup`` run would make ``a.txt.orig.orig``).
BACKUP_SUFFIXES = (".orig", ".bak", "~")

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
    # Names ending in one of these beside the file they copy are backups, not input.
    backup_suffixes: tuple[str, ...] = BACKUP_SUFFIXES

    def _base(self) -> Path:
        return (self.base or Path.cwd()).absolute()


@dataclass(frozen=True, slots=True)
class Entry:
    """One path a walk met: to process, skipped with a reason, or an error."""

    path: Path
    explicit: bool
    skip: SkipReason | None = None
    message: str = ""  # what a person reads about the skip
    error: str = ""  # the path could not be examined (an unreadable directory)

    @property
    def to_process(self) -> bool:
        return self.skip is None and not self.error


def _skipped(path: Path, explicit: bool, reason: SkipReason, message: str = "") -> Entry:
    return Entry(path, explicit, reason, message or SKIP_MESSAGES[reason])


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
        if entry.to_process:
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
            yield Entry(root, True)  # the file flow reports the error in its words
            continue
        if not stat.S_ISDIR(info.st_mode):
            reason = matcher.file_reason(root)
            message = ""
            if reason is None and is_stale_temp(root):
                reason = SkipReason.STALE_TEMP
            if reason is None and not stat.S_ISREG(info.st_mode):
                reason = SkipReason.NOT_REGULAR
            if reason is None and info.st_size > selection.max_bytes:
                reason = SkipReason.TOO_LARGE
                message = too_large_message(info.st_size, selection.max_bytes)
            if reason is None and (info.st_dev, info.st_ino) in seen:
                reason = SkipReason.DUPLICATE
            seen.add((info.st_dev, info.st_ino))
            yield Entry(root, True) if reason is None else _skipped(root, True, reason, message)
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
        cause = (exc.strerror or str(exc)).lower()
        yield Entry(directory, False, error=f"cannot list directory: {cause}")
        return
    if ignores is not None:
        ignores.enter(directory)
    siblings = {item.name for item in entries}
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
            yield _skipped(path, False, SkipReason.SYMLINK)
            continue
        if ignores is not None and ignores.ignored(path, is_dir=is_dir):
            yield _skipped(path, False, SkipReason.GITIGNORE)
            continue
        if is_dir:
            if matcher.excluded(path, is_dir=True):
                yield _skipped(path, False, SkipReason.EXCLUDED)
                continue
            yield from _walk_dir(path, selection, matcher, ignores, seen)
            continue
        if is_stale_temp(path):
            yield _skipped(path, False, SkipReason.STALE_TEMP)
            continue
        if is_backup(item.name, siblings, selection.backup_suffixes):
            yield _skipped(path, False, SkipReason.BACKUP)
            continue
        reason = matcher.file_reason(path)
        if reason is not None:
            yield _skipped(path, False, reason)
            continue
        try:
            st = item.stat(follow_symlinks=True)
        except OSError:
            yield Entry(path, False)  # dangling link or vanished: the file flow reports it
            continue
        if not stat.S_ISREG(st.st_mode):
            yield _skipped(path, False, SkipReason.NOT_REGULAR)
        elif st.st_size > selection.max_bytes:
            message = too_large_message(st.st_size, selection.max_bytes)
            yield _skipped(path, False, SkipReason.TOO_LARGE, message)
        elif (st.st_dev, st.st_ino) in seen:
            yield _skipped(path, False, SkipReason.DUPLICATE)
        else:
            seen.add((st.st_dev, st.st_ino))
            yield Entry(path, False)
    if ignores is not None:
        ignores.leave(directory)


class _Patterns:
    """``include``/``exclude`` globs in ``.gitignore`` syntax, anchored at the base."""

    def __init__(self, selection: Selection) -> None:
        self._base = selection._base()
        self._include = _spec(selection.include) if selection.include else None
        self._exclude = _spec(selection.exclude) if selection.exclude else None

    def _relative(self, path: Path, is_dir: bool) -> str:
        absolute = Path(os.path.abspath(path))
        try:
            rel = absolute.relative_to(self._base).as_posix()
        except ValueError:
            rel = absolute.as_posix().lstrip("/")
        return rel + "/" if is_dir else rel

    def excluded(self, path: Path, *, is_dir: bool) -> bool:
        return self._exclude is not None and self._exclude.match_file(self._relative(path, is_dir))

    def file_reason(self, path: Path) -> SkipReason | None:
        if self.excluded(path, is_dir=False):
            return SkipReason.EXCLUDED
        if self._include is not None and not self._include.match_file(self._relative(path, False)):
            return SkipReason.NOT_INCLUDED
        return None


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
    return _spec(lines) if lines else None


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    """Patterns in ``.gitignore`` syntax. pathspec is imported here, when there are
    patterns, not with this module: named files (a pre-commit run) need none, and the
    import costs about 14 ms, a twentieth of a short run (issue 12: start-up)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def is_backup(name: str, siblings: Collection[str], suffixes: Iterable[str]) -> bool:
    """Whether ``name`` is a backup copy of one of its ``siblings``.

    >>> is_backup("a.txt.orig", {"a.txt", "a.txt.orig"}, BACKUP_SUFFIXES)
    True
    >>> is_backup("patch.orig", {"patch.orig"}, BACKUP_SUFFIXES)  # nothing it copies
    False
    """
    return any(
        suffix and name.endswith(suffix) and name[: -len(suffix)] in siblings for suffix in suffixes
    )


def is_source(path: Path) -> bool:
    """Whether ``path`` names program source (by its extension, or a Makefile).

    >>> is_source(Path("src/app.PY")), is_source(Path("README.md")), is_source(Path("Makefile"))
    (True, False, True)
    """
    return path.suffix.lower() in SOURCE_SUFFIXES or path.name in ("Makefile", "Dockerfile")


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
