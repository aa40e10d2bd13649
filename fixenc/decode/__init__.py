"""Bytes → text: BOM, strict UTF-8, then legacy detection; keeps its evidence.

Stage: decode. Order matters: a BOM is proof (``sniff``), strict UTF-8 is near proof
(legacy multi-byte text almost never validates as UTF-8 by accident), and only then do
we ask chardet (``legacy``) — whose confidence is unreliable on short inputs, so thin
evidence is reported as ambiguous rather than guessed.

The byte-level facts needed to write the text back faithfully (BOM, newline style) are
kept in the returned ``Decoded``; ``encode`` is the way back. The text itself keeps its
original newlines.

>>> decode("Café\\r\\n".encode("utf-8")).newline
'\\r\\n'
>>> decode("這是一段繁體中文的測試文字，用來檢查編碼偵測。".encode("big5")).encoding
'big5'
"""

from __future__ import annotations

import re

from fixenc.decode import legacy, sniff
from fixenc.errors import AmbiguousEncodingError, DecodeError
from fixenc.model import Decoded, EncodingGuess

_NON_ASCII = re.compile(rb"[\x80-\xff]")


def decode(data: bytes, *, assume_encoding: str | None = None, lang: str | None = None) -> Decoded:
    """Decode ``data``; raise ``DecodeError`` (or a subclass) when that is not safe."""
    found = sniff.bom_of(data)
    if found is not None:
        bom, encoding = found
        text = _strict(data[len(bom) :], encoding)
        return _decoded(text, encoding, 1.0, bom=bom, reason="byte order mark")
    sniff.reject_binary(data)
    if assume_encoding:
        name = legacy.codec_name(assume_encoding)
        return _decoded(_strict(data, name), name, 1.0, reason="named by the user")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _decoded(text, "ascii" if data.isascii() else "utf-8", 1.0, reason="valid UTF-8")
    guesses = legacy.rank_encodings(data, lang=lang)
    if not guesses:
        raise DecodeError(
            "not valid UTF-8 and no known encoding decodes it; name one with --assume-encoding"
        )
    # Ranked on a prefix: confirm on the whole file, falling back to the next candidate
    # when later bytes do not decode.
    confirmed = next(((g, t) for g in guesses if (t := _full(data, g.encoding)) is not None), None)
    if confirmed is None:
        raise DecodeError(
            "not valid UTF-8 and no known encoding decodes it; name one with --assume-encoding"
        )
    best, text = confirmed
    guesses = guesses[guesses.index(best) :]
    evidence = len(_NON_ASCII.findall(data, 0, legacy.DETECT_BYTES))
    thin = evidence < legacy.MIN_EVIDENCE_BYTES or best.thin
    if thin and lang is None and len(guesses) > 1:
        names = ", ".join(f"{g.encoding} {g.confidence:.2f}" for g in guesses[:4])
        raise AmbiguousEncodingError(
            f"too little text to tell its encoding ({evidence} non-ASCII bytes; candidates: "
            f"{names}); name it with --assume-encoding or give a hint with --lang",
            tuple(guesses),
        )
    return Decoded(
        text=text,
        encoding=best.encoding,
        confidence=best.confidence,
        newline=newline_style(text),
        candidates=tuple(guesses),
    )


def is_legacy(encoding: str) -> bool:
    """Legacy encodings are transcoded to UTF-8 on write; Unicode ones are kept."""
    return not encoding.startswith("utf") and encoding != "ascii"


def encode(text: str, decoded: Decoded | None, *, keep_encoding: bool = False) -> bytes:
    """Turn repaired text back into bytes the way the input was stored.

    Unicode input keeps its encoding and BOM; legacy input becomes UTF-8 unless
    ``keep_encoding`` asks to write it back as it was (if the text still fits).

    >>> encode("你好", decode("你好".encode("utf-8-sig")))
    b'\\xef\\xbb\\xbf\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd'
    """
    if decoded is None:
        return text.encode("utf-8")
    if is_legacy(decoded.encoding):
        return text.encode(decoded.encoding if keep_encoding else "utf-8")
    encoding = "utf-8" if decoded.encoding == "ascii" else decoded.encoding
    return decoded.bom + text.encode(encoding)


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


def _full(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not valid {encoding} at byte {exc.start}; name the right one with --assume-encoding"
        ) from exc
