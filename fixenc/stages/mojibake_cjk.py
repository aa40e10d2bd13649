"""Stage: repair East-Asian mojibake by codec round trips (before the Latin stage).

What it fixes: text whose bytes were decoded with the wrong codec, when every byte is
still there — UTF-8 read as GBK/GB18030, Big5, Shift_JIS, EUC-KR/CP949 or Windows-1252;
GBK, Big5, Shift_JIS, EUC-KR read as Windows-1252, Latin-1, CP437 or CP866; Big5 read as
GBK and GBK read as Big5, Big5 read as GB18030 (its bytes in GBK's user-defined areas
became private-use characters); a lenient Windows-1252 reader that kept the undefined
bytes as C1 controls; and any two of these stacked (``ROUND_TRIPS``). UTF-8 emoji read as
GBK (``馃槀`` → ``😂``) and Latin-script UTF-8 read as Shift_JIS or CP949 (``cafﾃｩ``,
``caf챕``) are judged by rules of their own, since the character tables know neither.

Why it is safe: it runs only where the cheap pass (``plausibility.suspects``) saw
something, and a candidate is applied only when (1) it decodes strictly, (2) re-encoding
it along the inverse path reproduces the input exactly (lossless), (3) the result is
plausible language while the input is not, by a clear margin. A UTF-8 round trip that
yields plausible Latin text (``CafÃ©``) is left to ftfy's stage, and a span touching a
lost byte (U+FFFD or a stray ``?``) is left to the lost-byte stage, which can rank the
candidates for the byte that is gone. Positive evidence comes first
(``plausibility.evidence``): box drawing, repeated letters, a word formed with the
neighbours, garble quoted on purpose, a reading that explains a fragment of Latin garble
or swallows half an ASCII word are all left as they are. Garble does not stop at a space:
once a line holds clear repairs by one codec path (two of them, four CJK characters, or
an emoji read back), its other pieces are tried with that path's reader family
(``READER_FAMILIES``: a lenient reader, Latin-1 and Windows-1252 are one reader for a
line), still lossless and plausible, so one particle or a closing 。 is enough.

When to turn it off: on text that quotes mojibake on purpose (a table of garble).

>>> from fixenc.model import Context, Options
>>> from fixenc.replay import replay
>>> out = stage("标题：浣犲ソ涓栫晫。", Context(Options()))
>>> [(c.before, c.after, replay(c.steps, c.before)) for c in out.changes]
[('浣犲ソ涓栫晫', '你好世界', '你好世界')]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from fixenc import plausibility
from fixenc.chars import (
    ALPHABETS,
    CJK_LETTERS,
    CJK_PUNCT,
    EMOJI,
    HANGUL,
    MEMORY_GARBAGE,
    PUA,
    SINGLE_BYTE_READERS,
    UTF8_PAIRS_AS_CP949,
    LazyPattern,
    line_end,
    line_start,
)
from fixenc.model import (
    Change,
    Context,
    Kind,
    Op,
    Origin,
    StageOutput,
    Step,
    reported_only,
)
from fixenc.plausibility import evidence, letters
from fixenc.replay import codec

# (codec the text was wrongly read with, codec the bytes really were in). The order
# breaks ties: the most common confusions in the wild come first.
ROUND_TRIPS: tuple[tuple[str, str], ...] = (
    ("gbk", "utf-8"),
    ("gb18030", "utf-8"),
    ("big5", "utf-8"),
    ("shift_jis", "utf-8"),
    ("cp932", "utf-8"),
    ("euc-kr", "utf-8"),
    ("cp949", "utf-8"),
    ("cp1252", "utf-8"),
    ("latin-1", "utf-8"),
    *(
        (single, legacy)
        for legacy in ("gbk", "gb18030", "big5", "shift_jis", "cp932", "euc-kr", "cp949")
        # a lenient Windows-1252 decoder passes 0x81, 0x8D, 0x8F, 0x90 and 0x9D through as
        # C1 controls: ftfy's sloppy codec reads both, so the repair does not stop there
        for single in ("cp1252", "sloppy-windows-1252", "latin-1", "cp437", "cp866")
    ),
    ("gbk", "big5"),
    ("big5", "gbk"),
    # Big5 read as GB18030: Big5 bytes in GBK's user-defined areas (AAA1–AFFE,
    # F8A1–FEFE, A140–A7A0) became private-use characters, which GB18030 maps back
    ("gb18030", "big5"),
)
SINGLE_BYTE = frozenset({"cp1252", "sloppy-windows-1252", "latin-1", "cp437", "cp866"})
DOUBLE_BYTE = frozenset({"gbk", "gb18030", "big5", "shift_jis", "cp932", "euc-kr", "cp949"})
MAX_LAYERS = 2

# A repair must leave at least this many CJK characters, side by side: one character
# is too little evidence (``Äã`` → 你 is as likely to be a name in Latin-1 as a garbled
# 你), and so are two lone ones with ASCII between them (a regular expression's Latin
# range ``[À-ÖØ-Üß]`` in botocore's data read ``ÖØ-Üß`` as EUC-KR 路-輻).
MIN_CJK_AFTER = 2
# The repaired text must be at least this much less bad than the input (decibans per
# character; about 4 is "twice as likely per character"). Garble sits 15–40 dB above
# clean text (tests/test_plausibility.py), so 8 is a clear margin.
MIN_GAIN = 8.0
# A multi-byte reading (UTF-8 or a DBCS read as a DBCS) produces mostly CJK characters:
# at least this share of the input's non-ASCII characters must be CJK (Han, kana, Hangul,
# full-width forms) for such a hypothesis to be tried; Cyrillic or accented Latin words
# that happen to be encodable in GBK are not garble of this kind.
MIN_CJK_SHARE_MULTIBYTE = 0.6
# The repaired span must be mostly CJK too: an ASCII word glued inside it (合ES) means the
# decoding split real text, not garble.
MIN_CJK_SHARE_AFTER = 0.6
# Input that is shaped like a word of an alphabetic script (all letters, one case
# pattern: ``сигнал``, ``Größe``) gets a stricter bar: the result must have at least
# this many CJK characters and a mean cost this low.
WORDLIKE_MIN_CJK = 4
WORDLIKE_MAX_COST = 30.0
# GBK read as Big5 (and back) turns real characters into other real characters (你好 ↔
# 斕疑): a span of fewer double-byte characters than this is a look-alike, not evidence
# (the ASCII between them counts for nothing: ``：%s:%s：`` is two characters, 券 券).
# Four is not enough: a four-character idiom or reduplication standing alone is a rare
# word, and one in about 20,000 real dictionary words reads as another such word (in
# pypinyin's phrases_dict 目眢心忳 → ヘ易み受 and 疲疲沓沓 → 妮妮搶搶, in OpenCC's
# dictionaries 矇矇矓矓 → 茅茅娘娘). A shorter piece beside a clear repair is still
# repaired by its line's consensus.
MIN_DBCS_SWAP = 5
# A reading with no CJK whose letters are words of one alphabet at or below this mean
# cost (decibans per letter, letter model) is real text already, never a middle layer
# to read again as CJK. Measured (benchmarks/bench_recall.py): Cyrillic and Greek words
# read back from UTF-8-as-GBK garble cost 10–14 (транслитерацией 11.5, λείπει 12.5); the
# alphabetic middle a real two-layer garble leaves costs far more (Shift_JIS kana read
# as CP866, ``ВаВвВдВжВи``, 24–36; Latin-1 garble ``Ïðèìåð`` 55).
REAL_WORDS_COST = 20.0
# The double-byte readers whose UTF-8 reading of a span is asked for above.
UTF8_WORD_READERS = ("gbk", "big5", "shift_jis", "euc-kr")
# Confidence of an applied repair: lossless round trip, plausible result.
CONFIDENCE = 0.95
CONFIDENCE_TWO_LAYERS = 0.9

# Pieces are split at ASCII whitespace only: a single-byte reading shows the trail byte
# 0xA0 as a no-break space and 0x85 as NEL (``‚\xa0`` is あ in Shift_JIS read as cp1252).
_WS = LazyPattern(r"[^ \t\n\r\f\v]+")
_EMOJI = LazyPattern(f"[{EMOJI}]")
# An emoji proper, not only what joins emoji (ZWJ, variation selector 16, keycap).
_PICTOGRAPH = LazyPattern("[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff]")
_LOST = LazyPattern("[\ufffd?]")
_PUA = LazyPattern(f"[{PUA}]")
_CJK_PUNCT_ONLY = LazyPattern(f"[{CJK_PUNCT}]+")
# ASCII that stays as it is around a piece's punctuation (``4。``, ``(RTL)``).
_ASCII_TEXT = "".join(chr(i) for i in range(0x20, 0x7F))
# Private-use characters count with the CJK ones: they are what GBK's and Big5's
# user-defined areas read as (Big5 read as GB18030), never Latin or Cyrillic text.
# Bopomofo, enclosed and compatibility CJK (㎝) and the vertical and small forms (﹍)
# are CJK too: GBK and Big5 rows of symbols that each other's text reads as.
_CJK_CLASS = (
    f"{CJK_LETTERS}\u3000-\u303f\u3100-\u312f\u31a0-\u31bf\u3200-\u33ff"
    f"\ufe30-\ufe6f\uff00-\uffef{PUA}"
)
_HAS_CJK = LazyPattern(f"[{CJK_LETTERS}]")
_CJK_RUN = LazyPattern(f"[{CJK_LETTERS}]+")
_CJK_CHAR = LazyPattern(f"[{_CJK_CLASS}]")
_REPEAT = LazyPattern(r"(.)\1\1")
# An ASCII letter glued to a CJK letter in a result (合ES) means the decoding split real
# text. CJK punctuation around an ASCII word (「soft」, ：SERVFAIL) is how CJK prose
# quotes one, and a printf conversion (「%s」, %1$s) is a placeholder, not a word.
_GLUED_CLASS = f"{CJK_LETTERS}{PUA}"
_GLUED_RE = LazyPattern(f"[{_GLUED_CLASS}][A-Za-z]|[A-Za-z][{_GLUED_CLASS}]")
_PRINTF = LazyPattern(
    r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn]"
)


def _glued(text: str) -> bool:
    """An ASCII letter touches a CJK letter in ``text``, printf conversions set aside.

    >>> _glued("合ES"), _glued("「soft」"), _glued("訊息「%s」")
    (True, False, False)
    """
    return _GLUED_RE.search(_PRINTF.sub(" ", text)) is not None


@dataclass(frozen=True, slots=True)
class Repair:
    """One round-trip repair of ``text[start:end]``."""

    start: int
    end: int
    before: str
    after: str
    steps: tuple[Step, ...]
    gain: float
    layers: int
    # found by a line's consensus (``_line_consensus``), not on the span's own evidence
    consensus: bool = False

    @property
    def reason(self) -> str:
        pairs = [(self.steps[i].arg, self.steps[i + 1].arg) for i in range(0, len(self.steps), 2)]
        told = "; then ".join(f"{dec} text read as {enc}" for enc, dec in reversed(pairs))
        return f"{told} (lossless round trip)"


def stage(text: str, context: Context) -> StageOutput | None:
    """See ``_stage``. Text decoded from a legacy file is not repaired: decoding explains
    it (single-byte: nothing to say; multi-byte: what looks like garble is reported)."""
    if context.origin is Origin.LEGACY_SINGLE_BYTE:
        return None
    out = _stage(text, context)
    if context.origin is Origin.LEGACY_MULTI_BYTE:
        return reported_only(out, "CJK round trip; not applied to text decoded from a legacy file")
    return out


def _stage(text: str, context: Context) -> StageOutput | None:
    """Repair East-Asian round-trip mojibake; ``None`` when the cheap pass finds nothing."""
    repairs = find_repairs(text, context)
    if not repairs:
        return None
    changes = tuple(
        Change(
            kind=Kind.MOJIBAKE,
            start=r.start,
            end=r.end,
            before=r.before,
            after=r.after,
            reason=r.reason,
            confidence=CONFIDENCE if r.layers == 1 else CONFIDENCE_TWO_LAYERS,
            steps=r.steps,
        )
        for r in repairs
    )
    return StageOutput(changes, ())


@functools.cache
def _register_codecs() -> None:
    """Make the lenient reader and the readers of ``chars.SINGLE_BYTE_READERS`` (ftfy's
    codecs) known, once a span needs them: registering imports ftfy, which clean text
    never needs (issue 12: start-up)."""
    for name in (*SINGLE_BYTE, *SINGLE_BYTE_READERS):
        codec(name)


def find_repairs(text: str, context: Context) -> list[Repair]:
    """All non-overlapping round-trip repairs in ``text``, left to right.

    >>> from fixenc.model import Options
    >>> [(r.before, r.after) for r in find_repairs("ÖÐÎÄ±àÂë", Context(Options()))]
    [('ÖÐÎÄ±àÂë', '中文编码')]
    """
    lang = context.options.lang
    spans = plausibility.suspects(text, context)
    if not spans:
        return []
    _register_codecs()
    found: list[Repair] = []
    memo: dict[str, list[Repair]] = {}
    for start, end in _clusters(text, spans):
        found.extend(_repair_piece(text, start, end, lang, memo))
    if found:
        found = _line_consensus(text, found, lang)
    # a text with no Han or Hangul has no syllable standing alone (2 ms per MB to look);
    # where they stand was found by the cheap pass (``pair_places``), or proved absent
    hangul = plausibility.has_han_or_hangul(text, context)
    alone = plausibility.pair_places(text, context).alone if hangul else []
    lone = _lone_latin_letters(text, found, alone) if alone else []
    found = sorted(found + lone, key=lambda r: r.start)
    source = context.options.is_source_code
    kept = [r for r in found if _evidence(text, r, source_code=source)]
    kept = [r for r in kept if not _fragment(text, r, kept)]
    kept = [r for r in kept if not _latin_path(r.steps) or not _cjk_prose_line(text, r, kept)]
    # A weak span (box drawing alone, a few symbols alone) is garble only beside another
    # span of the same line, repaired to the same codec, that shows more (Korean read as
    # cp437: ``│╗└╧ ╛╞─º``); on its own it is a drawing (``├──┐``) or a list of symbols
    # (``®©°·»``).
    shown = {(line_start(text, r.start), r.steps[-1].arg) for r in kept if not _weak(r)}
    return [
        r for r in kept if not _weak(r) or (line_start(text, r.start), r.steps[-1].arg) in shown
    ]


def _evidence(text: str, r: Repair, *, source_code: bool) -> bool:
    """The span carries the signature of the mis-decoding and not of correct text
    (``plausibility.evidence``): no drawn line or repeated letter, no word it forms with
    its neighbours, nothing quoted on purpose, and no single-byte reading that cuts an
    ASCII word in two (``[®©°·»{start`` read as Big5 swallows the ``{`` of ``{start``)."""
    if evidence.repeated_run(r.before) or evidence.repeated_run(
        r.after, evidence.MAX_REPEAT_RESULT
    ):
        return False
    if evidence.straddles_word(text, r.start, r.end):
        return False
    if evidence.quoted_on_purpose(text, r.start, r.end, source_code=source_code):
        return False
    piece = _piece_at(text, r.start)
    if not r.consensus and piece is not None and _is_ftfys(piece.group().strip(_EDGE_PUNCT), ()):
        return False  # the whole word is UTF-8 some single-byte reader garbled: Latin stage

    return not (r.steps[0].arg in SINGLE_BYTE and _cuts_ascii_word(text, r.start, r.end))


def _cjk_prose_line(text: str, r: Repair, kept: list[Repair]) -> bool:
    """A Latin reading on a line of CJK prose: more CJK on the line is left outside the
    line's Latin readings than they cover, so the "garble" is a word of that prose glued
    to markup (``\\fI캣`` in a Korean manual page is 캣, not Ĺ)."""
    lo, hi = line_start(text, r.start), line_end(text, r.start)
    mine = [k for k in kept if _latin_path(k.steps) and lo <= k.start < hi]
    covered = sum(len(_HAS_CJK.findall(k.before)) for k in mine)
    total = len(_HAS_CJK.findall(text, lo, hi))
    return total - covered > covered


def _fragment(text: str, r: Repair, kept: list[Repair]) -> bool:
    """The reading explains only a fragment of the garble around it: the non-ASCII,
    non-CJK characters touching the span that no other repair covers are at least as
    many as the span's own (``ãƒâ¢ã¢â‚¬`` is layers of UTF-8 read as Windows-1252, and
    the euc-kr reading of its middle ``â¢ã¢`` as 手瑟 explains none of the rest)."""
    covered = [(k.start, k.end) for k in kept if k is not r]

    def loose(i: int) -> bool:
        ch = text[i]
        return (
            not ch.isascii()
            and not ch.isspace()
            and not _CJK_CHAR.match(ch)
            and not any(a <= i < b for a, b in covered)
        )

    count = 0
    i = r.start - 1
    while i >= 0 and loose(i):
        count, i = count + 1, i - 1
    i = r.end
    while i < len(text) and loose(i):
        count, i = count + 1, i + 1
    return count >= len(r.before)


def _weak(r: Repair) -> bool:
    """Box drawing alone, or a short single-byte reading of symbols with no letter."""
    if evidence.drawing(r.before):
        return True
    return (
        r.steps[0].arg in SINGLE_BYTE
        and not any(ch.isalpha() for ch in r.before)
        and len(r.after) < MIN_CJK_SYMBOLS_ONLY
    )


# A single-byte reading of symbols alone (no letter among them: ``®©°·»``) must give at
# least this many CJK characters: common Big5 lead bytes show as Latin-1 symbols, but a
# few symbols in a row are more often a list of symbols than a double-byte text.
MIN_CJK_SYMBOLS_ONLY = 4


def _cuts_ascii_word(text: str, start: int, end: int) -> bool:
    """The span begins or ends with an ASCII byte that continues an ASCII word outside
    it: the reading took half a token of correct text as a trail byte. Not when a C1
    control leads that byte: no text holds one, so it is a lead byte shown by a lenient
    reader, and the ASCII after it is its trail (``\x81B`` is 。 in Shift_JIS).

    >>> _cuts_ascii_word("»{start", 0, 2), _cuts_ascii_word("\x81BMODE", 0, 2)
    (True, False)
    """

    def word(ch: str) -> bool:
        return ch.isascii() and (ch.isalnum() or ch == "_")

    left = start > 0 and text[start].isascii() and word(text[start - 1])
    right = (
        end < len(text)
        and text[end - 1].isascii()
        and word(text[end])
        and not (end >= 2 and _C1.match(text[end - 2]))
    )
    return left or right


_C1 = LazyPattern("[\u0080-\u009f]")


# Suspects closer than this (characters) belong to one stretch of garble, and a stretch
# is searched with this much context on each side (within its whitespace-free piece):
# garble is dense with suspects, clean text between two stretches is not searched.
CLUSTER_GAP = 24
CLUSTER_MARGIN = 24


def _clusters(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge nearby suspect spans into stretches, widened by CLUSTER_MARGIN but never
    across whitespace (no codec searched here puts whitespace inside a character)."""
    out: list[tuple[int, int]] = []
    piece: re.Match[str] | None = None
    for s, e in spans:
        if piece is None or not piece.start() <= s < piece.end():
            # Suspects come in order: one look per piece keeps a long line of garble
            # linear (walking back to the piece's start for each suspect was quadratic).
            piece = _piece_at(text, s)
        if piece is None:
            continue
        lo = max(piece.start(), s - CLUSTER_MARGIN)
        hi = min(piece.end(), e + CLUSTER_MARGIN)
        if out and lo <= out[-1][1] + CLUSTER_GAP and piece.start() <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


# Repairs of one hypothesis on a line needed before the rest of that line's pieces are
# tried with it under the relaxed rule (space-separated Korean words are short: ÀÌ → 이),
# or, from fewer repairs, this many CJK characters they gave (one clause of garble is as
# much evidence as two words: WORDLIKE_MIN_CJK is the bar a word-shaped span must clear).
CONSENSUS_MIN = 2
CONSENSUS_MIN_CJK = 4
# Readers that are one reader for a line: each later one reads what an earlier one does
# plus a few bytes (a lenient Windows-1252 decoder also the five undefined bytes, Latin-1
# every C1 control, CP949 the Hangul EUC-KR lacks, GB18030 GBK's user-defined areas,
# cp932 NEC and IBM extensions). A line's repairs vote for the family, and its other
# pieces are tried with each member in turn.
READER_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("cp1252", "sloppy-windows-1252", "latin-1"),
    ("euc-kr", "cp949"),
    ("gbk", "gb18030"),
    ("shift_jis", "cp932"),
)
_FAMILY = {name: family for family in READER_FAMILIES for name in family}


def _line_consensus(text: str, found: list[Repair], lang: str | None) -> list[Repair]:
    """Extend a hypothesis that repaired several pieces of a line to its other pieces.

    Garble does not stop at a space: when a line holds repairs by the same codec path, a
    short piece between them (one Korean word, one syllable) is judged in that light —
    it still has to round-trip losslessly and read as CJK, but one character is enough.
    """
    extra: list[Repair] = []
    by_line: dict[int, dict[tuple[tuple[str, ...], str, int], list[int]]] = {}
    for r in found:
        votes = by_line.setdefault(line_start(text, r.start), {})
        key = (_FAMILY.get(r.steps[0].arg, (r.steps[0].arg,)), r.steps[1].arg, len(r.steps))
        tally = votes.setdefault(key, [0, 0])
        tally[0] += 1
        # an emoji read back is a clause's worth of evidence: F0 9F is 馃 in GBK
        clause = _PICTOGRAPH.search(r.after) and r.steps[-1].arg == "utf-8"
        tally[1] += CONSENSUS_MIN_CJK if clause else len(_HAS_CJK.findall(r.after))
    for line, votes in by_line.items():
        (readers, dec, length), (count, cjk) = max(votes.items(), key=lambda kv: kv[1])
        latin = length == 2 and readers[0] in LATIN_VIA_DBCS and dec == "utf-8"
        if length != 2 or not (latin or count >= CONSENSUS_MIN or cjk >= CONSENSUS_MIN_CJK):
            continue
        for piece in _WS.finditer(text, line, line_end(text, line)):
            a, b = piece.span()
            if piece.group().isascii() or any(a < r.end and b > r.start for r in found):
                continue
            best: list[Repair] = []
            for enc in readers:  # the reader of the family that explains the most
                steps = (Step(Op.ENCODE, enc), Step(Op.DECODE, dec))
                got = [
                    _consensus_repair(piece.group(), ra, rb, rafter, steps, lang)
                    for ra, rb, rafter in _decodable_regions(
                        piece.group(), _segments(piece.group(), enc), dec
                    )
                ]
                repairs = [_shift(r, a) for r in got if r is not None]
                if _covered(repairs) > _covered(best):
                    best = repairs
            extra.extend(best)
    return sorted(found + extra, key=lambda r: r.start)


def _covered(repairs: list[Repair]) -> int:
    return sum(r.end - r.start for r in repairs)


def _consensus_repair(
    piece: str, a: int, b: int, after: str, steps: tuple[Step, ...], lang: str | None
) -> Repair | None:
    """``piece[a:b]`` → ``after`` under a line's consensus: lossless, and letters of one
    alphabet (the Latin path) or plausible CJK without signs of garble."""
    before = piece[a:b]
    if not _lossless(before, after, steps):
        return None
    if _latin_path(steps):
        # Latin words of a line whose other words were Latin read as Shift_JIS
        # or CP949: the word alone (``챕``, ``o첫``) is letters once repaired
        letters = [ch for ch in after if not ch.isascii()]
        if (
            letters
            and all(_LATIN_WORD_CHAR.match(ch) for ch in letters)
            and evidence.one_alphabet(after)
            and not _HAS_CJK.search(after)
        ):
            return Repair(a, b, before, after, steps, MIN_GAIN, 1, consensus=True)
        return None
    if plausibility.count_signs(after):
        return None
    if (
        _CJK_PUNCT_ONLY.fullmatch(after.strip(_ASCII_TEXT))
        and not plausibility.score(before, lang=lang).plausible
    ):
        # a line's closing 。 or a lone 、 between its ASCII words: punctuation alone
        return Repair(a, b, before, after, steps, MIN_GAIN, 1, consensus=True)
    s_after = plausibility.score(after, lang=lang)
    if s_after.cjk == 0 or s_after.cost > plausibility.PLAUSIBLE_COST:
        return None
    if _glued(after) or _cjk_share(after) < MIN_CJK_SHARE_AFTER:
        return None
    gain = _badness(before, lang) - s_after.badness
    return Repair(a, b, before, after, steps, gain, 1, consensus=True)


def _piece_at(text: str, pos: int) -> re.Match[str] | None:
    """The whitespace-delimited piece of ``text`` containing ``pos``.

    No codec of the families searched here puts an ASCII space, tab or newline inside
    a multi-byte character, so mojibake never spans them.
    """
    start = pos
    while start > 0 and text[start - 1] not in " \t\n\r\f\v":
        start -= 1
    return _WS.match(text, start)


def _repair_piece(
    text: str, start: int, end: int, lang: str | None, memo: dict[str, list[Repair]]
) -> list[Repair]:
    """The repairs of the piece ``text[start:end]``. They depend on the piece and the
    language alone, so a piece met again in the same text (a lone syllable such as
    ``키`` in a Korean catalogue, a ``»`` before a dash in a Russian one) is judged once
    (``memo``): its 44 round trips cost 0.1–4 ms (issue 12)."""
    piece = text[start:end]
    if piece not in memo:
        memo[piece] = _piece_repairs(piece, lang)
    return [_shift(r, start) for r in memo[piece]]


def _piece_repairs(piece: str, lang: str | None) -> list[Repair]:
    """Non-overlapping round-trip repairs of ``piece``, best gain first, at offsets
    within it."""
    if piece.isascii():
        # Every codec in ROUND_TRIPS maps ASCII to itself both ways: an ASCII piece (a
        # "?" the cheap pass flagged) has no round trip, only the lost-byte stage's reading.
        return []
    candidates: list[Repair] = []
    lossy = "\ufffd" in piece
    segments: dict[str, list[_Segment]] = {}  # per codec: the 44 round trips share 12
    asked = _Asked(lang)
    for enc, dec in ROUND_TRIPS:
        if lossy and (dec == "utf-8" or enc in DOUBLE_BYTE):
            continue  # garble with lost bytes: the lost-byte stage takes the whole run
        if enc not in segments:
            segments[enc] = _segments(piece, enc)
        for a, b, after in _decodable_regions(piece, segments[enc], dec):
            if dec == "utf-8" and _foreign_edge(after):
                a, b, after = _cjk_ends(piece, a, b, after, enc)
            steps = (Step(Op.ENCODE, enc), Step(Op.DECODE, dec))
            repair = _judge(piece, a, b, after, steps, lang, asked)
            if repair is not None:
                candidates.append(repair)
    # best gain first; keep non-overlapping ones
    candidates.sort(key=lambda r: (-r.gain * (r.end - r.start), r.layers))
    chosen: list[Repair] = []
    for r in candidates:
        if all(r.end <= c.start or r.start >= c.end for c in chosen):
            chosen.append(r)
    return sorted(chosen, key=lambda r: r.start)


def _foreign_edge(text: str) -> bool:
    """``text`` starts or ends with a letter or mark that is neither ASCII nor CJK."""
    return any(
        not ch.isascii() and not _CJK_CHAR.match(ch) and unicodedata.category(ch)[0] in "LM"
        for ch in {text[:1], text[-1:]} - {""}
    )


def _cjk_ends(piece: str, a: int, b: int, after: str, enc: str) -> tuple[int, int, str]:
    """A UTF-8 reading of CJK text cut back to where its CJK starts and ends.

    Two clean Han characters next to garble can be valid UTF-8 for one letter of another
    script (GBK 支援 is D6 A7 D4 AE: a Hebrew accent and a Cyrillic letter), and the
    decodable run swallows them (``骞镐娇鐢ㄥ埌支援`` read as 幸使用到֧Ԯ; seen by
    benchmarks/bench_recall.py). Such a letter glued to the CJK reading is the
    neighbour's bytes, not the garble's: the region shrinks, a character at a time,
    until its reading ends in something else, as long as CJK is left. Real text so glued
    (中文é garbled as one run) then keeps its edge garbled: less repaired, never wrong.

    >>> _cjk_ends("骞镐娇鐢ㄥ埌支援", 0, 8, "幸使用到\u05a7\u052e", "gbk")
    (0, 6, '幸使用到')
    """
    lo, hi, best = a, b, after
    while _foreign_edge(best):
        shrunk = None
        for x, y in ((lo + 1, hi), (lo, hi - 1), (lo + 1, hi - 1)):
            if y - x < 1:
                continue
            try:
                reading = piece[x:y].encode(enc).decode("utf-8")
            except UnicodeError:
                continue
            if _HAS_CJK.search(reading) and len(reading) < len(best):
                shrunk = (x, y, reading)
                break
        if shrunk is None:
            return a, b, after
        lo, hi, best = shrunk
    return lo, hi, best


def _shift(r: Repair, by: int) -> Repair:
    return Repair(
        r.start + by, r.end + by, r.before, r.after, r.steps, r.gain, r.layers, r.consensus
    )


@dataclass(frozen=True, slots=True)
class _Segment:
    """``piece[start:end]``, characters one codec can encode, with their bytes and the
    byte offset where each character starts (the last entry: the end)."""

    start: int
    end: int
    bounds: tuple[int, ...]
    data: bytes


def _segments(piece: str, enc: str) -> list[_Segment]:
    """The maximal runs of ``piece`` that ``enc`` can encode, encoded: computed once per
    codec and shared by the readings that follow it (issue 12: a CJK span cost 4–15 ms,
    most of it encoding the same characters again for each round trip)."""
    out = []
    i = 0
    n = len(piece)
    while i < n:
        while i < n and _char_bytes(piece[i], enc) is None:
            i += 1
        j = i
        bounds = [0]
        chunks: list[bytes] = []
        while j < n and (b := _char_bytes(piece[j], enc)) is not None:
            chunks.append(b)
            bounds.append(bounds[-1] + len(b))
            j += 1
        if j > i:
            out.append(_Segment(i, j, tuple(bounds), b"".join(chunks)))
        i = j
    return out


# Characters whose bytes are remembered per codec: the characters of suspect spans are
# few and recur (a Korean text's rare syllables, its symbols), and encoding one costs
# a call and, for the characters a codec lacks, an exception. Bounded: ~3 MB at most.
CHAR_BYTES_CACHE = 16_384


@functools.lru_cache(maxsize=CHAR_BYTES_CACHE)
def _char_bytes(ch: str, enc: str) -> bytes | None:
    """``ch`` encoded by ``enc``, or ``None`` when ``enc`` cannot encode it (U+FFFD, a
    lost byte, counts as not encodable)."""
    if ch == "\ufffd":
        return None
    try:
        return ch.encode(enc)
    except UnicodeEncodeError:
        return None


def _decodable_regions(
    piece: str, segments: list[_Segment], dec: str
) -> Iterator[tuple[int, int, str]]:
    """Maximal runs of ``piece`` whose bytes (``segments``, of one codec) decode
    strictly as ``dec``.

    Runs start and end on character boundaries, contain something other than ASCII,
    and have their unchanged ASCII edges trimmed.
    """
    for segment in segments:
        yield from _regions_in_segment(piece, segment, dec)


def _regions_in_segment(piece: str, segment: _Segment, dec: str) -> Iterator[tuple[int, int, str]]:
    i, j, bounds, data = segment.start, segment.end, segment.bounds, segment.data
    k = 0  # index into the segment's characters
    count = j - i
    while k < count:
        try:
            after = data[bounds[k] :].decode(dec)
            yield from _trimmed(piece, i + k, j, after)
            return
        except UnicodeDecodeError as err:
            bad = bounds[k] + err.start
        # the longest prefix ending on a character boundary at or before the bad byte
        m = k
        while m + 1 <= count and bounds[m + 1] <= bad:
            m += 1
        while m > k:
            try:
                after = data[bounds[k] : bounds[m]].decode(dec)
            except UnicodeDecodeError:
                m -= 1
                continue
            yield from _trimmed(piece, i + k, i + m, after)
            break
        # skip past the character holding the bad byte
        nxt = k
        while nxt + 1 <= count and bounds[nxt + 1] <= bad:
            nxt += 1
        k = max(nxt + 1, k + 1)


def _trimmed(piece: str, a: int, b: int, after: str) -> Iterator[tuple[int, int, str]]:
    before = piece[a:b]
    if before == after or before.isascii():
        return
    # unchanged ASCII at either edge is not part of the repair
    lead = 0
    while (
        lead < min(len(before), len(after))
        and before[lead] == after[lead]
        and before[lead].isascii()
    ):
        lead += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - lead
        and before[-1 - tail] == after[-1 - tail]
        and before[-1 - tail].isascii()
    ):
        tail += 1
    yield a + lead, b - tail, after[lead : len(after) - tail]


@dataclass(slots=True)
class _Asked:
    """What ``_judge`` asks about the same span of one piece again and again: the
    round trips read the same regions (issue 12: a CJK span cost 4–15 ms). Kept for
    one piece only."""

    lang: str | None
    plausible: dict[str, bool] = field(default_factory=dict)
    ftfys: dict[tuple[str, str], bool] = field(default_factory=dict)
    utf8_words: dict[str, bool] = field(default_factory=dict)

    def is_plausible(self, text: str) -> bool:
        if text not in self.plausible:
            self.plausible[text] = plausibility.score(text, lang=self.lang).plausible
        return self.plausible[text]

    def reads_as_utf8_words(self, before: str) -> bool:
        if before not in self.utf8_words:
            self.utf8_words[before] = _utf8_words(before)
        return self.utf8_words[before]

    def is_ftfys(self, before: str, steps: tuple[Step, ...]) -> bool:
        # only a single-byte first reader changes what _is_ftfys tries
        key = (before, steps[0].arg if steps and steps[0].arg in SINGLE_BYTE else "")
        if key not in self.ftfys:
            self.ftfys[key] = _is_ftfys(before, steps)
        return self.ftfys[key]


def _judge(
    piece: str,
    a: int,
    b: int,
    after: str,
    steps: tuple[Step, ...],
    lang: str | None,
    asked: _Asked | None = None,
) -> Repair | None:
    """Accept ``piece[a:b]`` → ``after`` when it is lossless and clearly more plausible."""
    asked = asked or _Asked(lang)
    before = piece[a:b]
    if (a > 0 and _LOST.match(piece[a - 1])) or (b < len(piece) and _LOST.match(piece[b])):
        return None  # touches a lost byte: the lost-byte stage owns this span
    if not _lossless(before, after, steps):
        return None
    if MEMORY_GARBAGE.search(before):
        return None  # 锟斤拷, 烫烫烫, 屯屯屯: flagged by the lost-byte stage, not decodable
    if steps[1].arg == "utf-8" and steps[0].arg in LATIN_VIA_DBCS and not _HAS_CJK.search(after):
        return _latin_reading(piece, a, b, after, steps, lang)
    if asked.is_plausible(before):
        return None  # never "repair" text that already reads as real language
    if asked.reads_as_utf8_words(before):
        return None  # UTF-8 words of an alphabet read as a DBCS: no CJK reading is right
    if asked.is_ftfys(before, steps):
        return None
    if not _readable(before, steps[0].arg, steps[1].arg):
        return None
    if steps[1].arg == "utf-8" and _PICTOGRAPH.search(after):
        return _emoji_reading(before, a, b, after, steps, lang)
    s_after = plausibility.score(after, lang=lang)
    layers = len(steps) // 2
    if not s_after.plausible and layers < MAX_LAYERS:
        deeper = _second_layer(before, after, steps, lang)
        if deeper is not None:
            return Repair(a, b, before, deeper[0], deeper[1], deeper[2], MAX_LAYERS)
        return None
    if not _acceptable(before, after, s_after):
        return None
    gain = _badness(before, lang) - s_after.badness
    if gain < MIN_GAIN:
        return None
    return Repair(a, b, before, after, steps, gain, layers)


# Double-byte readers that turn UTF-8 Latin-script text into CJK-looking garble: Shift_JIS
# shows each lead byte 0xC2–0xDF as a half-width katakana (``cafﾃｩ``), CP949 shows a
# two-byte sequence as one Hangul syllable (``caf챕``).
LATIN_VIA_DBCS = frozenset({"shift_jis", "cp932", "cp949", "euc-kr"})
# What a Latin word on such a line may be once repaired: letters (Latin Extended
# Additional too: Vietnamese, ẞ), Latin-1 punctuation (« », ¿) and general punctuation
# (’, –, narrow no-break space).
_LATIN_WORD_CHAR = LazyPattern(f"[{dict(ALPHABETS)['latin']}\u00a0-\u00bf\u2000-\u206f]")


def _latin_path(steps: tuple[Step, ...]) -> bool:
    return len(steps) == 2 and steps[0].arg in LATIN_VIA_DBCS and steps[1].arg == "utf-8"


def _latin_reading(
    piece: str, a: int, b: int, after: str, steps: tuple[Step, ...], lang: str | None
) -> Repair | None:
    """UTF-8 Latin-script text read as Shift_JIS or CP949. The evidence is where the
    garble stands: inside a Latin word (an ASCII letter touches it, ``caf챕``) — on both
    sides when the garble is itself a plausible syllable (Korean glues nouns to English
    words: ``Windows창`` is "Windows window"; ``ch창teau`` is château), or at the start of
    a word of small letters (``채quivalent``) — and the word it makes is letters of one
    alphabet."""
    before = piece[a:b]
    inside = any(ch.isascii() and ch.isalpha() for ch in before)  # ``ﾃｩpuisﾃｩ``
    left = inside or (piece[a - 1 : a].isascii() and piece[a - 1 : a].isalpha())
    right = inside or (piece[b : b + 1].isascii() and piece[b : b + 1].isalpha())
    # Korean glues a noun after a word (``Ctrl키``), not before a small letter: garble
    # that starts a word of small letters (``채quivalent``) is a letter of that word
    starts_word = (
        right
        and not left
        and piece[b : b + 1].islower()
        and not after[-1:].isupper()
        and (a == 0 or not piece[a - 1].isalnum())
    )
    # touching no ASCII letter it is no Latin reading, however it scores (a Korean word
    # of one syllable: scoring it was most of a Korean catalogue's CJK stage)
    if (
        not (left and right)
        and not starts_word
        and (not (left or right) or plausibility.score(before, lang=lang).plausible)
    ):
        return None
    word = piece[:a] + after + piece[b:]
    letters = [ch for ch in word if not ch.isascii()]
    if (
        not letters
        or not all(_LATIN_WORD_CHAR.match(ch) for ch in letters)
        or not evidence.one_alphabet(word)
    ):
        return None
    return Repair(a, b, before, after, steps, MIN_GAIN, 1)


# A Hangul syllable standing alone in a line of Latin words is a one-letter word of UTF-8
# read as CP949 (``é`` = C3 A9 → ``챕``) when its letter is a one-letter word this well
# in the language the line's words are in: à 17 (French), é 21 (Portuguese), è 19
# (Italian); â, ó, ù, ű (what 창, 처, 첫, 키 would read as) cost 26–82 in the languages
# of such lines and stay (â is a Welsh word, 12 dB, but not an English one, 56). A Korean word of one syllable among Latin words
# would be the line's only Hangul too, so the line must hold at least this many ASCII
# words and no other Hangul.
ONE_LETTER_WORD_COST = 22.0
LONE_LETTER_MIN_WORDS = 2
# A syllable standing alone as a word. It opens with its class and looks behind after it
# (``(?<!\S)`` first made the engine try every position of the text: 8 ms per MB of
# Russian, issue 12); the look-behind spans the syllable itself.
_LONE_SYLLABLE = LazyPattern(f"[{UTF8_PAIRS_AS_CP949}](?<!\\S.)(?![^\\s.,;:!?])")
_ASCII_WORD = LazyPattern(r"\b[A-Za-z]{2,}\b")
_HANGUL = LazyPattern(f"[{HANGUL}]")
_LONE_STEPS = (Step(Op.ENCODE, "cp949"), Step(Op.DECODE, "utf-8"))


def _lone_latin_letters(
    text: str, found: list[Repair], alone: Iterable[int] | None = None
) -> list[Repair]:
    """One-letter Latin words read as CP949, alone in a line of Latin words. ``alone``:
    where the syllables ``_LONE_SYLLABLE`` finds stand, when known.

    >>> [(r.before, r.after) for r in _lone_latin_letters("ativos 챕 exibido.", [])]
    [('챕', 'é')]
    >>> _lone_latin_letters("Ctrl 키 or Alt 키", []), _lone_latin_letters("첫 page", [])
    ([], [])
    """
    out: list[Repair] = []
    if alone is None:
        alone = [m.start() for m in _LONE_SYLLABLE.finditer(text)]
    for at in alone:
        if any(r.start <= at < r.end for r in found):
            continue
        lo, hi = line_start(text, at), line_end(text, at)
        lone = {x.start() for x in _LONE_SYLLABLE.finditer(text, lo, hi)}
        if any(h.start() not in lone for h in _HANGUL.finditer(text, lo, hi)):
            continue  # Korean on the line: the syllable may be one of its words
        if len(_ASCII_WORD.findall(text, lo, hi)) < LONE_LETTER_MIN_WORDS:
            continue
        syllable = text[at]
        after = syllable.encode("cp949").decode("utf-8", errors="replace")
        if len(after) != 1 or not after.isalpha() or not _LATIN_WORD_CHAR.match(after):
            continue
        line = text[lo:at] + after + text[at + 1 : hi]
        _, _, lang = letters.text_cost(line, letters.models_for(after), all_words=True)
        if not lang or letters.mean_cost(after, [lang]) > ONE_LETTER_WORD_COST:
            continue  # not a word in the line's own language (Welsh has â; English not)
        out.append(Repair(at, at + 1, syllable, after, _LONE_STEPS, MIN_GAIN, 1))
    return out


def _emoji_reading(
    before: str, a: int, b: int, after: str, steps: tuple[Step, ...], lang: str | None
) -> Repair | None:
    """UTF-8 with emoji read as a double-byte codec (``😂`` → ``馃槀``): the plausibility
    tables know no emoji, so the emoji are set aside and what is left must be plausible
    CJK text, or nothing but ASCII. The evidence is the emoji's own bytes: F0 9F, the lead
    of every 4-byte emoji, is a rare character in GBK (馃), and a 3-byte one such as ❤️
    (E2 9D A4 EF B8 8F) reads as kana among Han (鉂わ笍)."""
    rest = _EMOJI.sub("", after)
    if any(not ch.isascii() and not _CJK_CHAR.match(ch) for ch in rest):
        return None
    if _HAS_CJK.search(rest):
        s_rest = plausibility.score(rest, lang=lang)
        if not s_rest.plausible or _glued(rest):
            return None
    return Repair(a, b, before, after, steps, MIN_GAIN, 1)


def _second_layer(
    before: str, middle: str, steps: tuple[Step, ...], lang: str | None
) -> tuple[str, tuple[Step, ...], float] | None:
    best: tuple[str, tuple[Step, ...], float] | None = None
    # Each codec encodes ``middle`` once, whichever reading follows (the 44 round trips
    # share 12 encoders), and ``before`` is scored once: a span of Latin-1 symbols
    # tries a second layer under some twenty first ones (issue 12: 6 ms a span).
    encoded: dict[str, bytes | None] = {}
    before_badness: float | None = None
    for enc, dec in ROUND_TRIPS:
        if enc not in encoded:
            try:
                encoded[enc] = middle.encode(enc)
            except UnicodeEncodeError:
                encoded[enc] = None
        data = encoded[enc]
        if data is None:
            continue
        try:
            after = data.decode(dec)
        except UnicodeDecodeError:
            continue
        more = (Step(Op.ENCODE, enc), Step(Op.DECODE, dec))
        if after == middle or not _readable(middle, enc, dec):
            continue
        if not _lossless(before, after, steps + more):
            continue
        s_after = plausibility.score(after, lang=lang)
        if not _acceptable(before, after, s_after):
            continue
        if before_badness is None:
            before_badness = _badness(before, lang)
        gain = before_badness - s_after.badness
        if gain >= MIN_GAIN and (best is None or gain > best[2]):
            best = (after, steps + more, gain)
    return best


def _readable(text: str, enc: str, dec: str) -> bool:
    """Whether ``text`` may be garble of ``dec`` text read as ``enc``, in whichever layer:
    a multi-byte reading gives mostly CJK, and a swap of the two Chinese codecs needs
    ``MIN_DBCS_SWAP`` characters (a second layer of two, 峇峇 → 有有 in OpenCC's
    dictionaries, is as much a look-alike as a first).

    >>> _readable("斕疑斕疑斕", "big5", "gbk"), _readable("斕疑", "big5", "gbk")
    (True, False)
    >>> _readable("ЫЫ", "big5", "gbk"), _readable("Ã©", "latin-1", "utf-8")
    (False, True)
    """
    if enc not in SINGLE_BYTE and _cjk_share(text) < MIN_CJK_SHARE_MULTIBYTE:
        return False
    return not (
        enc in DOUBLE_BYTE
        and dec in DOUBLE_BYTE
        and sum(1 for ch in text if not ch.isascii()) < MIN_DBCS_SWAP
        and not _PUA.search(text)  # a user-defined character is no look-alike of text
    )


def _real_words(text: str) -> bool:
    """``text`` has no CJK and reads as plain words of one alphabet (``REAL_WORDS_COST``).

    >>> _real_words("транслитерацией"), _real_words("ВаВвВдВжВи"), _real_words("ä½ å¥½")
    (True, False, False)
    """
    return (
        not _HAS_CJK.search(text)
        and any(ch.isalpha() and not ch.isascii() for ch in text)
        and evidence.one_alphabet(text)
        and letters.mean_cost(text) <= REAL_WORDS_COST
    )


def _utf8_words(before: str) -> bool:
    """``before`` is UTF-8 text of an alphabetic script read by a double-byte reader
    (``褌褉邪薪褋谢懈褌械褉邪褑懈械泄`` is транслитерацией read as GBK): its UTF-8 reading is
    real words, so re-reading it as CJK by any other path (GBK as Big5, a second layer
    on the Cyrillic) only trades one garble for another.

    >>> _utf8_words("袣袝袪校袙袗袧袧携"), _utf8_words("浣犲ソ涓栫晫")
    (True, False)
    """
    for reader in UTF8_WORD_READERS:
        try:
            utf8 = before.encode(reader).decode("utf-8")
        except UnicodeError:
            continue
        if _real_words(utf8):
            return True
    return False


def _cjk_share(text: str) -> float:
    non_ascii = sum(1 for ch in text if not ch.isascii())
    return len(_CJK_CHAR.findall(text)) / non_ascii if non_ascii else 0.0


def _acceptable(before: str, after: str, s_after: plausibility.Score) -> bool:
    """The result reads as real CJK text, and is not a real word re-read as CJK."""
    if not s_after.plausible or s_after.cjk < MIN_CJK_AFTER:
        return False
    if max(map(len, _CJK_RUN.findall(after)), default=0) < MIN_CJK_AFTER:
        return False  # lone characters between ASCII (路-輻 from a regex's [À-ÖØ-Üß])
    if _REPEAT.search(after) and not _REPEAT.search(before):
        return False  # 戚戚戚戚 out of 屯屯屯屯: a repeated byte pattern, not text
    if _glued(after) or _cjk_share(after) < MIN_CJK_SHARE_AFTER:
        return False
    if _wordlike(before):
        return s_after.cjk >= WORDLIKE_MIN_CJK and s_after.cost <= WORDLIKE_MAX_COST
    return True


def _wordlike(text: str) -> bool:
    """All letters in one case pattern (``сигнал``, ``Größe``, ``OPÇÕES``)."""
    return (
        text.isalpha()
        and not _HAS_CJK.search(text)
        and (text.islower() or text.isupper() or text.istitle())
    )


def _lossless(before: str, after: str, steps: tuple[Step, ...]) -> bool:
    """Re-encoding ``after`` along the inverse path must give back ``before`` exactly."""
    value: str = after
    try:
        for i in range(len(steps) - 2, -1, -2):
            enc, dec = steps[i].arg, steps[i + 1].arg
            value = value.encode(dec).decode(enc)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return value == before


# ASCII punctuation around a word, left out when the whole word is tried as UTF-8.
_EDGE_PUNCT = ".,;:!?()[]{}\"'"


def _is_ftfys(before: str, steps: tuple[Step, ...]) -> bool:
    """A single-byte reading of valid UTF-8 that is not CJK text (``CafÃ©``, Cyrillic
    read as KOI8) belongs to the Latin stage, whichever single-byte reader shows it."""
    first = (steps[0].arg,) if steps and steps[0].arg in SINGLE_BYTE else ()
    for reader in dict.fromkeys((*first, *SINGLE_BYTE_READERS)):
        try:
            utf8 = before.encode(reader).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError, LookupError):
            continue
        # plain words of one alphabet: the Latin stage will repair it
        if not _HAS_CJK.search(utf8) and evidence.one_alphabet(utf8):
            return True
    return False


def _badness(text: str, lang: str | None) -> float:
    """Badness of the input span; text without CJK has no language score of its own here,
    so it counts as bad as the implausibility threshold plus its signs."""
    s = plausibility.score(text, lang=lang)
    if s.cjk == 0:
        return plausibility.PLAUSIBLE_COST + MIN_GAIN + plausibility.SIGN_COST * s.signs
    return s.badness
