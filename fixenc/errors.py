"""Every error fixenc raises, under one base, so a caller can catch "fixenc refused" once.

Stage: none (shared vocabulary). Each family also derives from the built-in exception a
caller would expect (``ValueError`` for input that cannot be used, ``OSError`` for the
file system), so existing ``except`` clauses keep working.

>>> issubclass(AmbiguousEncodingError, FixencError), issubclass(FileError, OSError)
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fixenc.model import EncodingGuess, SkipReason


class FixencError(Exception):
    """Base of every error fixenc raises on purpose; the message says what to do."""


# --- decoding: bytes that cannot safely become text -----------------------------------
class DecodeError(FixencError, ValueError):
    """The bytes cannot be turned into text safely."""


class BinaryInputError(DecodeError):
    """The input looks like a binary file (NUL bytes or many control bytes)."""


class AmbiguousEncodingError(DecodeError):
    """Several encodings fit and the evidence is too thin to choose; see ``candidates``."""

    def __init__(self, message: str, candidates: tuple[EncodingGuess, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.candidates))


# --- files -----------------------------------------------------------------------------
class FileError(FixencError, OSError):
    """A file could not be read or written; the message names the path and the cause.

    ``detail`` is the cause alone; ``skip`` is set when the file was not an error but a
    file fixenc does not process (not a regular file, over the size cap, binary): the
    caller decides on that field, never on the message.
    """

    def __init__(self, path: object, detail: str, *, skip: SkipReason | None = None) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = str(path)
        self.detail = detail
        self.skip = skip

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_file_error, (type(self), self.path, self.detail, self.skip))


class ChangedOnDiskError(FileError):
    """The file changed between reading and writing; it was left as it is now."""


def _rebuild_file_error(
    cls: type[FileError], path: str, detail: str, skip: SkipReason | None
) -> FileError:
    return cls(path, detail, skip=skip)


# --- configuration and arguments -----------------------------------------------------
class ConfigError(FixencError, ValueError):
    """``[tool.fixenc]`` or an argument is invalid; the message says which and why."""
