"""Legacy encodings: chardet proposes, the plausibility model decides.

Stage: decode (after BOM and strict UTF-8 have failed). chardet's confidence is
unreliable on short inputs (it calls a 4-byte GBK ``设计`` MacRoman), so every candidate
that decodes the bytes strictly is read, and the reading that looks most like real text
wins; when that is not clearly ahead, the caller is told the evidence is thin.

>>> [g.encoding for g in rank_by_plausibility("你好世界".encode("gbk"), ["big5", "gbk", "shift_jis"])]
['gbk', 'big5']
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Sequence
from dataclasses import replace

from fixenc import plausibility
from fixenc.errors import DecodeError
from fixenc.model import EncodingGuess

# Fewer non-ASCII bytes than this is too little evidence to choose between legacy
# encodings on our own: 12 bytes is six double-byte characters, below which chardet's
# answers were wrong in the field notes (设计, 你好, 漢字 are 4 bytes).
MIN_EVIDENCE_BYTES = 12
# chardet 7 reads at most this much itself (field notes); passing more costs time only.
CHARDET_MAX_BYTES = 200_000
# The plausibility model reads at most this much of the file: 64 KiB is some 30 000
# CJK characters, far more than any ranking needs (a verdict settles within a few
# hundred characters), and scoring costs tens of microseconds per character, so a 35 MB
# file scored whole took minutes. The winner is then confirmed on the whole file.
DETECT_BYTES = 65_536
# Of that prefix the model scores this many characters from the first non-ASCII one:
# 2 000 characters hold over a thousand CJK characters, while a verdict settles within a
# few dozen (THIN_EVIDENCE_CJK), and scoring costs microseconds per character.
SCORE_CHARS = 2_000
# A logistic exponent beyond this saturates confidence at 0 or 1 in floating point;
# clamping it keeps math.exp from overflowing on very implausible readings.
MAX_EXPONENT = 60.0
# The legacy encodings fixenc considers for a file that is not UTF-8, as Python codecs.
# GB18030 stands for GBK/GB2312 (a superset that decodes them identically).
LEGACY_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc_jp", "cp949", "cp1252")
# Languages whose usual legacy encodings these are, for the language hint.
LANG_ENCODINGS = {
    "zh": ("gb18030", "big5"),
    "zh-hans": ("gb18030",),
    "zh-hant": ("big5",),
    "ja": ("shift_jis", "euc_jp"),
    "ko": ("cp949",),
    **{code: ("cp1252",) for code in ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no")},
}
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

# Inputs with fewer CJK characters than this are "thin evidence": the best guess is
# reported, but its confidence is capped (chardet calls 4-byte GBK 设计 MacRoman).
THIN_EVIDENCE_CJK = 6
THIN_CONFIDENCE_CAP = 0.5
# Two decodings whose costs differ by less than this are a tie (decibans per character).
TIE_MARGIN = 3.0


def rank_encodings(data: bytes, *, lang: str | None = None) -> list[EncodingGuess]:
    """Candidate legacy encodings that decode ``data`` strictly, best first.

    chardet proposes (its top answers, plus every legacy encoding that decodes the bytes
    strictly), and the plausibility model decides. A language hint restricts the
    candidates to that language's encodings.
    """
    import chardet

    allowed: Sequence[str] = LEGACY_ENCODINGS
    if lang:
        allowed = LANG_ENCODINGS.get(lang.lower(), LEGACY_ENCODINGS)
    detector: dict[str, float] = {}
    for guess in chardet.detect_all(data[:CHARDET_MAX_BYTES]):
        name = guess.get("encoding")
        if not name:
            continue
        codec = _FAMILIES.get(codec_name(name), codec_name(name))
        if codec in allowed and codec not in detector and decodes_prefix(data, codec):
            detector[codec] = float(guess.get("confidence") or 0.0)
    for codec in allowed:
        if codec not in detector and decodes_prefix(data, codec):
            detector[codec] = 0.0
    model_lang = lang.lower().split("-")[0] if lang else None
    ranked = rank_by_plausibility(data, list(detector), lang=model_lang)
    return [replace(g, reason=f"{g.reason}; chardet {detector[g.encoding]:.2f}") for g in ranked]


def rank_by_plausibility(
    data: bytes, candidates: Sequence[str], *, lang: str | None = None
) -> list[EncodingGuess]:
    """Rank the candidate encodings of ``data`` by how plausible each strict decoding is.

    Contract: candidates that do not decode strictly are dropped; the rest come back best
    first, each with a confidence in 0–1 and a reason. Confidence is capped at
    THIN_CONFIDENCE_CAP when the decoded text has fewer than THIN_EVIDENCE_CJK CJK
    characters or when the runner-up is within TIE_MARGIN: the caller should then keep the
    bytes unchanged unless the user named an encoding or a language. ``lang`` restricts
    the language model ("zh", "ja", "ko").
    """
    scored: list[tuple[float, str, plausibility.Score]] = []
    for enc in dict.fromkeys(candidates):
        text = decode_prefix(data, enc)
        if text is None:
            continue
        start = next((i for i, ch in enumerate(text) if ch > "\x7f"), 0)
        s = plausibility.score(text[start : start + SCORE_CHARS], lang=lang)
        scored.append(
            (s.badness if s.cjk else plausibility.PLAUSIBLE_COST + 1 + 10 * s.signs, enc, s)
        )
    scored.sort(key=lambda t: t[0])
    out: list[EncodingGuess] = []
    for i, (bad, enc, s) in enumerate(scored):
        gap = (scored[1][0] - bad) if i == 0 and len(scored) > 1 else 0.0
        exponent = min(MAX_EXPONENT, (bad - plausibility.PLAUSIBLE_COST) / 4.0)
        conf = 1.0 / (1.0 + math.exp(exponent))
        thin = s.cjk < THIN_EVIDENCE_CJK or (i == 0 and len(scored) > 1 and gap < TIE_MARGIN)
        if thin or i > 0:
            conf = min(conf, THIN_CONFIDENCE_CAP)
        reason = (
            f"{s.cjk} CJK characters, {bad:.1f} dB per character ({s.model or 'no CJK'}), "
            f"{s.signs} signs of garble" + ("; thin evidence" if thin else "")
        )
        out.append(EncodingGuess(enc, round(conf, 4), reason, thin=thin))
    return out


def decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes strictly with ``encoding``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_prefix(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly as the start of a longer stream, or ``None``.

    Only ``DETECT_BYTES`` are read; a multi-byte character cut at that boundary is left
    out rather than counted as an error.

    >>> decode_prefix("你好".encode("gbk")[:3], "gbk")
    '你'
    """
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        return str(decoder.decode(data[:DETECT_BYTES], final=len(data) <= DETECT_BYTES))
    except (UnicodeDecodeError, LookupError):
        return None


def decodes_prefix(data: bytes, encoding: str) -> bool:
    """Whether the first ``DETECT_BYTES`` of ``data`` decode strictly with ``encoding``."""
    return decode_prefix(data, encoding) is not None


def codec_name(name: str) -> str:
    """Python's canonical name for a codec; ``DecodeError`` for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise DecodeError(
            f"unknown encoding {name!r}; use a Python codec name such as gbk"
        ) from exc
