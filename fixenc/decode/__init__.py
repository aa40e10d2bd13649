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

from fixenc.decode import charsets, legacy, sniff
from fixenc.errors import AmbiguousEncodingError, DecodeError, Option
from fixenc.model import Decoded, EncodingGuess


def decode(data: bytes, *, assume_encoding: str | None = None, lang: str | None = None) -> Decoded:
    """Decode ``data``; raise ``DecodeError`` (or a subclass) when that is not safe."""
    found = sniff.bom_of(data)
    if found is not None:
        bom, encoding = found
        text = _strict(data[len(bom) :], encoding)
        return _decoded(text, encoding, 1.0, bom=bom, reason="byte order mark")
    # Before the binary sniff: UTF-16/32 without a BOM is full of NUL bytes.
    layout = sniff.unicode_without_bom(data)
    if layout is not None and (wide := _full(data, layout)) is not None:
        return _decoded(wide, layout, 1.0, reason="UTF-16/32 layout without a byte order mark")
    sniff.reject_binary(data)
    if assume_encoding:
        name = legacy.codec_name(assume_encoding)
        return _decoded(_strict(data, name), name, 1.0, reason="named by the user")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not (data.isascii() and sniff.seven_bit_escapes(data)):
            return _decoded(text, "ascii" if data.isascii() else "utf-8", 1.0, reason="valid UTF-8")
        # ISO-2022 or HZ escapes in ASCII bytes: a decided reading wins, else ASCII it is
        seven = [g for g in legacy.rank_encodings(data, lang=lang) if not g.thin]
        if not seven or (t := _full(data, seven[0].encoding)) is None or t == text:
            return _decoded(text, "ascii", 1.0, reason="valid UTF-8")
        return Decoded(
            t,
            seven[0].encoding,
            seven[0].confidence,
            newline=newline_style(t),
            candidates=tuple(seven),
        )
    guesses = legacy.rank_encodings(data, lang=lang)
    if not guesses:
        raise DecodeError(
            "not valid UTF-8 and no known encoding decodes it", advice=(Option.ASSUME_ENCODING,)
        )
    best = guesses[0]
    if best.thin:
        names = ", ".join(f"{g.encoding} ({g.reason})" for g in guesses[:4])
        raise AmbiguousEncodingError(
            f"cannot tell its encoding for sure (candidates: {names})",
            tuple(guesses),
            advice=(Option.ASSUME_ENCODING, Option.LANG),
        )
    # Decided on a prefix: confirm on the whole file. Later bytes may need the named
    # encoding's superset (a cp932 extension deep in a Shift_JIS file), nothing else.
    confirmed = next(
        ((c, t) for c in charsets.chain(best.encoding) if (t := _full(data, c)) is not None), None
    )
    if confirmed is None:
        raise AmbiguousEncodingError(
            f"the start reads as {best.encoding} but later bytes do not",
            tuple(guesses),
            advice=(Option.ASSUME_ENCODING,),
        )
    encoding, text = confirmed
    if encoding != best.encoding:
        best = EncodingGuess(
            encoding, best.confidence, f"{best.reason}; whole file needs {encoding}"
        )
        guesses = [best, *guesses[1:]]
    return Decoded(
        text=text,
        encoding=best.encoding,
        confidence=best.confidence,
        newline=newline_style(text),
        candidates=tuple(guesses),
    )


def is_single_byte(encoding: str) -> bool:
    """Whether ``encoding`` is a single-byte code page (cp1251, koi8-r, cp437, ...)."""
    return charsets.is_single_byte(encoding)


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
    if "\r" not in text:  # the common case: one scan fewer
        return "\n" if "\n" in text else None
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
            f"not valid {encoding} at byte {exc.start}", advice=(Option.ASSUME_ENCODING,)
        ) from exc
