"""Every error fixenc raises, under one base, so a caller can catch "fixenc refused" once.

Stage: none (shared vocabulary). Each family also derives from the built-in exception a
caller would expect (``ValueError`` for input that cannot be used, ``OSError`` for the
file system), so existing ``except`` clauses keep working. The families:

- ``DecodeError`` (``ValueError``): bytes that cannot safely become text —
  ``BinaryInputError`` (NUL or control bytes), ``AmbiguousEncodingError`` (several
  encodings fit; ``candidates`` holds them).
- ``FileError`` (``OSError``): a file that cannot be read or written; ``path`` and
  ``detail`` say which and why, ``skip`` marks a file fixenc does not process —
  ``ChangedOnDiskError`` (edited while it was processed), ``ReadOnlyError`` (its mode
  forbids writing).
- ``ConfigError`` (``ValueError``): ``[tool.fixenc]``, an argument or an option value
  is invalid.
- ``ReplayError`` (``ValueError``): recorded steps that cannot be replayed.

Advice is data: an error lists the ``Option`` values that would help, and the message
spells them the way its reader passes them — keyword arguments for the library
(``assume_encoding='gbk'``), flags on the command line (``--assume-encoding gbk``).

>>> issubclass(AmbiguousEncodingError, FixencError), issubclass(FileError, OSError)
(True, True)
>>> e = DecodeError("not valid UTF-8", advice=(Option.ASSUME_ENCODING,))
>>> str(e)
"not valid UTF-8; name the encoding with assume_encoding='gbk' (for example)"
>>> e.in_words(Spelling.COMMAND_LINE)
'not valid UTF-8; name the encoding with --assume-encoding gbk (for example)'
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fixenc.model import EncodingGuess, SkipReason


class Spelling(enum.Enum):
    """Who reads a message, and so how an option is spelled in it."""

    LIBRARY = "library"  # keyword arguments: assume_encoding='gbk'
    COMMAND_LINE = "command line"  # flags: --assume-encoding gbk


class Option(enum.Enum):
    """An option a message can advise; ``_ADVICE`` spells it for each reader."""

    ASSUME_ENCODING = "assume_encoding"
    LANG = "lang"
    MAX_SIZE = "max_bytes"


# (what the option does, its library spelling, its command-line spelling)
_ADVICE: dict[Option, tuple[str, str, str]] = {
    Option.ASSUME_ENCODING: (
        "name the encoding with",
        "assume_encoding='gbk' (for example)",
        "--assume-encoding gbk (for example)",
    ),
    Option.LANG: ("give a language hint with", "lang='zh'", "--lang zh"),
    Option.MAX_SIZE: (
        "raise the cap with",
        "max_bytes=",
        "--max-size or max-size in [tool.fixenc]",
    ),
}


def advice_text(advice: tuple[Option, ...], spelling: Spelling) -> str:
    """``"; name the encoding with … or give a language hint with …"`` (empty if none).

    >>> advice_text((Option.LANG,), Spelling.COMMAND_LINE)
    '; give a language hint with --lang zh'
    """
    if not advice:
        return ""
    index = 1 if spelling is Spelling.LIBRARY else 2
    return "; " + " or ".join(f"{_ADVICE[o][0]} {_ADVICE[o][index]}" for o in advice)


class FixencError(Exception):
    """Base of every error fixenc raises on purpose; the message says what to do.

    ``str(error)`` speaks to a library caller; ``in_words(Spelling.COMMAND_LINE)`` is
    what the command line prints.
    """

    def __init__(self, message: str, *, advice: tuple[Option, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return self.in_words(Spelling.LIBRARY)

    def in_words(self, spelling: Spelling) -> str:
        """The whole message, options spelled for ``spelling``."""
        return self.message + advice_text(self.advice, spelling)

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take different constructor arguments: rebuild from the state.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls: type[FixencError], args: tuple[object, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


# --- decoding: bytes that cannot safely become text -----------------------------------
class DecodeError(FixencError, ValueError):
    """The bytes cannot be turned into text safely."""


class BinaryInputError(DecodeError):
    """The input looks like a binary file (NUL bytes or many control bytes)."""


class AmbiguousEncodingError(DecodeError):
    """Several encodings fit and the evidence is too thin to choose; see ``candidates``."""

    def __init__(
        self,
        message: str,
        candidates: tuple[EncodingGuess, ...] = (),
        *,
        advice: tuple[Option, ...] = (),
    ) -> None:
        super().__init__(message, advice=advice)
        self.candidates = candidates


# --- files -----------------------------------------------------------------------------
class FileError(FixencError, OSError):
    """A file could not be read or written; the message names the path and the cause.

    ``detail`` is the cause alone; ``skip`` is set when the file was not an error but a
    file fixenc does not process (not a regular file, over the size cap, binary): the
    caller decides on that field, never on the message.
    """

    def __init__(
        self,
        path: object,
        detail: str,
        *,
        skip: SkipReason | None = None,
        advice: tuple[Option, ...] = (),
    ) -> None:
        super().__init__(f"{path}: {detail}", advice=advice)
        self.path = str(path)
        self.detail = detail
        self.skip = skip

    def detail_in(self, spelling: Spelling) -> str:
        """The cause with its advice, without the path (a report prints that apart)."""
        return self.detail + advice_text(self.advice, spelling)

    def in_words(self, spelling: Spelling) -> str:
        return f"{self.path}: {self.detail_in(spelling)}"


class ChangedOnDiskError(FileError):
    """The file changed between reading and writing; it was left as it is now."""


class ReadOnlyError(FileError):
    """The file's mode forbids writing it; it was left as it is."""


# --- configuration and arguments -----------------------------------------------------
class ConfigError(FixencError, ValueError):
    """``[tool.fixenc]``, an argument or an option value is invalid; the message says
    which and why."""


# --- replay -----------------------------------------------------------------------------
class ReplayError(FixencError, ValueError):
    """Recorded steps cannot be replayed on the text they were given."""


def describe(error: BaseException, spelling: Spelling) -> str:
    """What a person reads about ``error``: fixenc's own in ``spelling``, others as is.

    >>> describe(FileError("a.txt", "permission denied"), Spelling.COMMAND_LINE)
    'permission denied'
    """
    if isinstance(error, FileError):
        return error.detail_in(spelling)
    if isinstance(error, FixencError):
        return error.in_words(spelling)
    return str(error)
