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

The library is silent: it logs nothing unless you configure logging, and raises
``fixenc.DecodeError`` / ``fixenc.FileError`` with messages that say what to do.
"""

from __future__ import annotations

import logging
from os import PathLike
from pathlib import Path

# The span-detection stage is the module ``fixenc.detect``; load it before the public
# function ``detect`` below takes that name, so a later import of the module (pytest's
# doctests, ``from fixenc.detect import find_spans``) cannot shadow the function.
import fixenc.detect as _detect_stage  # noqa: F401
from fixenc.decode import AmbiguousEncodingError, BinaryInputError, DecodeError, decode
from fixenc.files import FileError, encode_text, read_file, write_atomic
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
from fixenc.pipeline import repair as _repair

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "AmbiguousEncodingError",
    "BinaryInputError",
    "Candidate",
    "Change",
    "DecodeError",
    "Decoded",
    "Detection",
    "EncodingGuess",
    "FileError",
    "Finding",
    "Kind",
    "Op",
    "Options",
    "Passage",
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
    return Options(
        target=target,
        cjk_punctuation=cjk_punctuation,
        assume_encoding=assume_encoding,
        lang=lang,
        protected_terms=tuple(protected_terms),
    )


def fix_text(text: str, *, target: Target = "keep", cjk_punctuation: bool = False) -> str:
    """Return ``text`` repaired; correct text comes back unchanged."""
    return repair(text, target=target, cjk_punctuation=cjk_punctuation).text


def repair(
    text: str,
    *,
    target: Target = "keep",
    cjk_punctuation: bool = False,
    protected_terms: tuple[str, ...] = (),
) -> Result:
    """Repair ``text`` and return a ``Result`` listing every change and finding."""
    return _repair(text, _options(target, cjk_punctuation, protected_terms=protected_terms))


def fix_bytes(
    data: bytes,
    *,
    target: Target = "keep",
    cjk_punctuation: bool = False,
    assume_encoding: str | None = None,
    lang: str | None = None,
) -> Result:
    """Decode ``data`` (BOM, UTF-8, or a detected legacy encoding) and repair it.

    ``Result.encoding`` and ``encoding_confidence`` say how it was read; encode
    ``Result.text`` as UTF-8 to store it. Raises ``DecodeError`` for binary input,
    bytes no encoding explains, or too little text to tell (``AmbiguousEncodingError``,
    with the candidates: pass ``assume_encoding`` or ``lang``).
    """
    options = _options(target, cjk_punctuation, assume_encoding, lang)
    decoded = decode(data, assume_encoding=assume_encoding, lang=lang)
    return _repair(decoded.text, options, decoded=decoded)


def fix_path(
    path: str | PathLike[str],
    *,
    target: Target = "keep",
    cjk_punctuation: bool = False,
    assume_encoding: str | None = None,
    lang: str | None = None,
    write: bool = True,
) -> Result:
    """Repair the file at ``path``; with ``write`` (the default) save it atomically.

    The file is rewritten only if its bytes change; BOM, newline style and permissions
    are kept, legacy encodings become UTF-8. Raises ``FileError`` or ``DecodeError``.
    """
    file = Path(path)
    data, snapshot = read_file(file)
    decoded = decode(data, assume_encoding=assume_encoding, lang=lang)
    result = _repair(
        decoded.text, _options(target, cjk_punctuation, assume_encoding, lang), decoded=decoded
    )
    new_data = encode_text(result.text, decoded)
    if write and new_data != data:
        write_atomic(file, new_data, snapshot)
    return result


def detect(
    text_or_bytes: str | bytes,
    *,
    target: Target = "keep",
    assume_encoding: str | None = None,
    lang: str | None = None,
) -> Detection:
    """Report what fixenc would change and what it found, without changing anything.

    Every would-be change becomes a ``Finding`` whose first candidate is the repair;
    ``passages`` maps the text's Chinese script variants.

    >>> d = detect("CafÃ©")
    >>> [(f.kind.value, f.text, f.candidates[0].text) for f in d.findings]
    [('mojibake', 'Ã©', 'é')]
    """
    options = _options(target, False, assume_encoding, lang)
    decoded = None
    if isinstance(text_or_bytes, bytes):
        decoded = decode(text_or_bytes, assume_encoding=assume_encoding, lang=lang)
        text = decoded.text
    else:
        text = text_or_bytes
    result = _repair(text, options, decoded=decoded)
    findings = [Finding.from_change(c, "applied by fix") for c in result.changes]
    findings.extend(result.findings)
    findings.sort(key=lambda f: (f.start, f.end))
    return Detection(
        findings=tuple(findings),
        passages=_passages(text, options),
        encoding=decoded.encoding if decoded else None,
        encoding_confidence=decoded.confidence if decoded else None,
        encoding_candidates=decoded.candidates if decoded else (),
    )


def _passages(text: str, options: Options) -> tuple[Passage, ...]:
    """The script-variant map (protected regions and source-file mode respected)."""
    from fixenc.variant import passages

    return passages(text, options)
