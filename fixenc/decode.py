"""Bytes → text: BOM, strict UTF-8, then legacy detection; keeps its evidence.

Stage: decode. Order matters: a BOM is proof, strict UTF-8 is near proof (legacy
multi-byte text almost never validates as UTF-8 by accident), and only then do we ask
chardet — whose confidence is unreliable on short inputs (it calls a 4-byte GBK ``设计``
MacRoman), so thin evidence is reported as ambiguous rather than guessed.

The byte-level facts needed to write the file back (BOM, newline style) are kept in the
returned ``Decoded``; the text itself keeps its original newlines.

>>> decode("Café\\r\\n".encode("utf-8")).newline
'\\r\\n'
>>> decode("這是一段繁體中文的測試文字，用來檢查編碼偵測。".encode("big5")).encoding
'big5'
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import replace

from fixenc.model import Decoded, EncodingGuess


class DecodeError(ValueError):
    """The bytes cannot be turned into text safely; the message says what to do."""


class BinaryInputError(DecodeError):
    """The input looks like a binary file (NUL bytes or many control bytes)."""


class AmbiguousEncodingError(DecodeError):
    """Several encodings fit and the evidence is too thin to choose; see ``candidates``."""

    def __init__(self, message: str, candidates: tuple[EncodingGuess, ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the file the binary sniff reads: git and file(1) look at the first 8 KiB.
SNIFF_BYTES = 8192
# Control bytes other than \t \n \r \f \v and ESC above this share of the sniffed bytes
# mean binary. 10% is well above what real text carries (form feeds in old source,
# stray ESC in logs) and well below what executables and images show.
MAX_CONTROL_RATIO = 0.10
# Fewer non-ASCII bytes than this is too little evidence to choose between legacy
# encodings on our own: 12 bytes is six double-byte characters, below which chardet's
# answers were wrong in the field notes (设计, 你好, 漢字 are 4 bytes).
MIN_EVIDENCE_BYTES = 12
# chardet 7 reads at most this much itself (field notes); passing more costs time only.
CHARDET_MAX_BYTES = 200_000
# The legacy encodings fixenc considers for a file that is not UTF-8, as Python codecs.
# GB18030 stands for GBK/GB2312 (a superset that decodes them identically).
LEGACY_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc_jp", "cp949", "cp1252")
# Languages whose usual legacy encodings these are, for the --lang hint.
LANG_ENCODINGS = {
    "zh": ("gb18030", "big5"),
    "zh-hans": ("gb18030",),
    "zh-hant": ("big5",),
    "ja": ("shift_jis", "euc_jp"),
    "ko": ("cp949",),
    **{code: ("cp1252",) for code in ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no")},
}
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def decode(data: bytes, *, assume_encoding: str | None = None, lang: str | None = None) -> Decoded:
    """Decode ``data``; raise ``DecodeError`` (or a subclass) when that is not safe."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            return _decoded(text, encoding, 1.0, bom=bom, reason="byte order mark")
    _reject_binary(data)
    if assume_encoding:
        name = _codec_name(assume_encoding)
        return _decoded(_strict(data, name), name, 1.0, reason="named by the user")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _decoded(text, "ascii" if data.isascii() else "utf-8", 1.0, reason="valid UTF-8")
    guesses = rank_encodings(data, lang=lang)
    if not guesses:
        raise DecodeError(
            "not valid UTF-8 and no known encoding decodes it; name one with --assume-encoding"
        )
    best = guesses[0]
    evidence = len(_NON_ASCII.findall(data))
    thin = evidence < MIN_EVIDENCE_BYTES or best.thin
    if thin and lang is None and len(guesses) > 1:
        names = ", ".join(f"{g.encoding} {g.confidence:.2f}" for g in guesses[:4])
        raise AmbiguousEncodingError(
            f"too little text to tell its encoding ({evidence} non-ASCII bytes; candidates: "
            f"{names}); name it with --assume-encoding or give a hint with --lang",
            tuple(guesses),
        )
    return Decoded(
        text=data.decode(best.encoding),
        encoding=best.encoding,
        confidence=best.confidence,
        newline=newline_style(data.decode(best.encoding)),
        candidates=tuple(guesses),
    )


def rank_encodings(data: bytes, *, lang: str | None = None) -> list[EncodingGuess]:
    """Candidate legacy encodings that decode ``data`` strictly, best first.

    chardet proposes (its top answers, plus every legacy encoding that decodes the bytes
    strictly), and the plausibility model decides: the winner is the decoding that reads
    most like real text, because chardet's confidence is unreliable on short inputs. A
    language hint restricts the candidates to that language's encodings.
    """
    import chardet

    from fixenc import plausibility

    allowed: Sequence[str] = LEGACY_ENCODINGS
    if lang:
        allowed = LANG_ENCODINGS.get(lang.lower(), LEGACY_ENCODINGS)
    detector: dict[str, float] = {}
    for guess in chardet.detect_all(data[:CHARDET_MAX_BYTES]):
        name = guess.get("encoding")
        if not name:
            continue
        codec = _family(_codec_name(name))
        if codec in allowed and codec not in detector and _decodes(data, codec):
            detector[codec] = float(guess.get("confidence") or 0.0)
    for codec in allowed:
        if codec not in detector and _decodes(data, codec):
            detector[codec] = 0.0
    model_lang = lang.lower().split("-")[0] if lang else None
    ranked = plausibility.rank_encodings(data, list(detector), lang=model_lang)
    return [replace(g, reason=f"{g.reason}; chardet {detector[g.encoding]:.2f}") for g in ranked]


def newline_style(text: str) -> str | None:
    """The one newline convention ``text`` uses, or ``None`` if it has none or several."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    styles = [nl for nl, n in (("\r\n", crlf), ("\r", cr), ("\n", lf)) if n]
    return styles[0] if len(styles) == 1 else None


def _decoded(
    text: str, encoding: str, confidence: float, *, bom: bytes = b"", reason: str
) -> Decoded:
    return Decoded(
        text=text,
        encoding=encoding,
        confidence=confidence,
        bom=bom,
        newline=newline_style(text),
        candidates=(EncodingGuess(encoding, confidence, reason),),
    )


def _reject_binary(data: bytes) -> None:
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise BinaryInputError("binary file (contains NUL bytes); skipped")
    if head and len(_CONTROL.findall(head)) / len(head) > MAX_CONTROL_RATIO:
        raise BinaryInputError("binary file (many control bytes); skipped")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not valid {encoding} at byte {exc.start}; name the right one with --assume-encoding"
        ) from exc


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _codec_name(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise DecodeError(
            f"unknown encoding {name!r}; use a Python codec name such as gbk"
        ) from exc


# chardet's names for members of one family, mapped to the codec fixenc decodes with.
_FAMILIES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "big5hkscs": "big5",
    "cp950": "big5",
    "cp932": "shift_jis",
    "euc_kr": "cp949",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "iso8859-15": "cp1252",
}


def _family(codec: str) -> str:
    return _FAMILIES.get(codec, codec)
