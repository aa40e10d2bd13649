"""fixenc: detect, repair and explain damaged text.

One call for the common case, rich results when you need to know what changed:

>>> import fixenc
>>> fixenc.fix_text("CafÃ© au lait")
'Café au lait'
>>> result = fixenc.repair("CafÃ© au lait")
>>> [(c.kind.value, c.before, c.after, c.line, c.column) for c in result.changes]
[('mojibake', 'Ã©', 'é', 1, 4)]
>>> fixenc.fix_text("你好，世界！（测试）“引号”")  # correct text is never touched
'你好，世界！（测试）“引号”'
>>> fixenc.fix_bytes("這是繁體中文的測試文字，用來檢查編碼偵測。".encode("big5")).encoding
'big5'

For corpora and cluster engines, a ``Fixer`` is a picklable repair function built once
and reused, on strings or on one field of records:

>>> fix = fixenc.Fixer(target="zh-Hans", field="body")
>>> fix({"id": 1, "body": "這份報告"})
{'id': 1, 'body': '这份报告'}

The library is silent: it has no logger and prints nothing, and every error it raises on purpose is a ``fixenc.FixencError`` (``DecodeError``, ``FileError``,
``ConfigError``, ``ReplayError``; see ``fixenc.errors``) whose message says what to do,
in keyword arguments (``assume_encoding='gbk'``), never command-line flags.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from fixenc.errors import (
    AmbiguousEncodingError,
    BinaryInputError,
    ChangedOnDiskError,
    ConfigError,
    DecodeError,
    FileError,
    FixencError,
    ReadOnlyError,
    ReplayError,
)
from fixenc.files import MAX_FILE_BYTES
from fixenc.model import (
    Candidate,
    Change,
    Decoded,
    Detection,
    EncodingGuess,
    Finding,
    Kind,
    Op,
    Options,
    Passage,
    Result,
    Step,
    Target,
)

if TYPE_CHECKING:
    from fixenc import process
    from fixenc.fixer import Fixer

__version__ = "0.1.0"

# What this module imports at once is only the data model, the errors and the file
# constants: the pipeline (every stage, their patterns and tables) is imported by the
# first call that repairs something, and ``Fixer`` on first use. A pre-commit run pays
# its start-up on every commit (issue 12), and ``import fixenc`` alone must stay cheap.
_LAZY = {"Fixer": "fixenc.fixer"}

if not TYPE_CHECKING:  # mypy reads the imports above; a typo stays an error for it

    def __getattr__(name: str) -> object:
        """``Fixer`` and the submodules (``fixenc.pipeline``), imported when first asked
        for, as importing the package used to make them attributes."""
        import importlib

        if name in _LAZY:
            value = getattr(importlib.import_module(_LAZY[name]), name)
            globals()[name] = value
            return value
        if not name.startswith("_"):
            try:
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise  # the submodule exists and lacks a dependency: say which
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AmbiguousEncodingError",
    "BinaryInputError",
    "Candidate",
    "Change",
    "ChangedOnDiskError",
    "ConfigError",
    "DecodeError",
    "Decoded",
    "Detection",
    "EncodingGuess",
    "FileError",
    "Finding",
    "FixencError",
    "Fixer",
    "Kind",
    "Op",
    "Options",
    "Passage",
    "ReadOnlyError",
    "ReplayError",
    "Result",
    "Step",
    "Target",
    "__version__",
    "detect",
    "fix_bytes",
    "fix_path",
    "fix_text",
    "repair",
]


def _options(
    target: Target,
    cjk_punctuation: bool,
    assume_encoding: str | None = None,
    lang: str | None = None,
    protected_terms: tuple[str, ...] = (),
) -> Options:
    from fixenc import targets

    try:
        target = targets.canonical(target)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return Options(
        target=target,
        cjk_punctuation=cjk_punctuation,
        assume_encoding=assume_encoding,
        lang=lang,
        protected_terms=tuple(protected_terms),
    )


def fix_text(text: str, *, target: Target = "keep", cjk_punctuation: bool = False) -> str:
    """Return ``text`` repaired; correct text comes back unchanged.

    ``target`` takes the CLI's names or a region tag (``zh-CN``, ``zh-SG``, ``zh-MO``,
    see ``fixenc.targets.ALIASES``); anything else raises ``ConfigError``.

    >>> fix_text("這份報告", target="zh-CN")
    '这份报告'
    >>> fix_text(b"abc")
    Traceback (most recent call last):
    ...
    TypeError: fix_text takes str, not bytes; use fixenc.fix_bytes(data) to decode and repair bytes (its .text is the repaired text)
    """
    _require_text(text, "fix_text")
    return repair(text, target=target, cjk_punctuation=cjk_punctuation).text


def repair(
    text: str,
    *,
    target: Target = "keep",
    cjk_punctuation: bool = False,
    protected_terms: tuple[str, ...] = (),
) -> Result:
    """Repair ``text`` and return a ``Result`` listing every change and finding."""
    from fixenc import pipeline

    _require_text(text, "repair")
    options = _options(target, cjk_punctuation, protected_terms=protected_terms)
    return pipeline.repair(text, options)


def fix_bytes(
    data: bytes,
    *,
    target: Target = "keep",
    cjk_punctuation: bool = False,
    assume_encoding: str | None = None,
    lang: str | None = None,
    protected_terms: tuple[str, ...] = (),
) -> Result:
    """Decode ``data`` (BOM, UTF-8, or a detected legacy encoding) and repair it.

    ``Result.encoding`` and ``encoding_confidence`` say how it was read; encode
    ``Result.text`` as UTF-8 to store it. Raises ``DecodeError`` for binary input,
    bytes no encoding explains, or too little text to tell (``AmbiguousEncodingError``,
    with the candidates: pass ``assume_encoding`` or ``lang``).
    """
    from fixenc import process

    options = _options(target, cjk_punctuation, assume_encoding, lang, protected_terms)
    return _result(process.process_data(data, process.Job(options)))


def fix_path(
    path: str | PathLike[str],
    *,
    target: Target = "keep",
    cjk_punctuation: bool = False,
    assume_encoding: str | None = None,
    lang: str | None = None,
    protected_terms: tuple[str, ...] = (),
    write: bool = True,
    max_bytes: int = MAX_FILE_BYTES,
) -> Result:
    """Repair the file at ``path``; with ``write`` (the default) save it atomically.

    The file goes through the same flow as on the command line: it is rewritten only
    if its bytes change; BOM, newline style, permissions and owner are kept, legacy
    encodings become UTF-8, and the identifiers of program source are protected. A
    file over ``max_bytes`` is not read. Raises ``FileError`` (``ReadOnlyError`` for a
    file whose mode forbids writing, ``ChangedOnDiskError`` for one edited meanwhile)
    or ``DecodeError``.
    """
    from fixenc import process

    options = _options(target, cjk_punctuation, assume_encoding, lang, protected_terms)
    job = process.Job(options, write=write, max_bytes=max_bytes)
    return _result(process.process_path(Path(path), job))


def detect(
    text_or_bytes: str | bytes,
    *,
    target: Target = "keep",
    assume_encoding: str | None = None,
    lang: str | None = None,
    protected_terms: tuple[str, ...] = (),
) -> Detection:
    """Report what fixenc would change and what it found, without changing anything.

    Every would-be change becomes a ``Finding`` whose first candidate is the repair;
    ``passages`` maps the text's Chinese script variants.

    >>> d = detect("CafÃ©")
    >>> [(f.kind.value, f.text, f.candidates[0].text) for f in d.findings]
    [('mojibake', 'Ã©', 'é')]
    """
    from fixenc import pipeline, process

    options = _options(target, False, assume_encoding, lang, protected_terms)
    if isinstance(text_or_bytes, str):
        return pipeline.detect(text_or_bytes, options)
    processed = process.process_data(text_or_bytes, process.Job(options, detect=True))
    if processed.error is not None:
        raise processed.error
    assert processed.outcome.detection is not None
    return processed.outcome.detection


def _require_text(text: object, function: str) -> None:
    """Bytes given where text is expected: say which function takes them."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{function} takes str, not {type(text).__name__}; use fixenc.fix_bytes(data) to "
            "decode and repair bytes (its .text is the repaired text)"
        )
    if not isinstance(text, str):
        raise TypeError(f"{function} takes str, not {type(text).__name__}")


def _result(processed: process.Processed) -> Result:
    """The library's answer: the result, or the error the flow met, raised."""
    if processed.error is not None:
        raise processed.error
    assert processed.outcome.result is not None
    return processed.outcome.result
