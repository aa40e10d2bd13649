"""Character knowledge every stage shares: one home for each class, signature and rule.

Stage: none (shared vocabulary). Classes are regex class bodies (no brackets), so that a
stage can combine them: ``re.compile(f"[{HAN}{KANA}]")``. What a codec produces is
derived from the codec itself (``upper_half``), not typed out, so that a table of
"characters a cp1252 reading yields" cannot drift from what cp1252 does.

>>> import re
>>> bool(re.fullmatch(f"[{HAN}]+", "漢字〇𠀀")), bool(re.search(f"[{KANA}]", "漢字"))
(True, False)
>>> upper_half("cp1252")[:4]
'€‚ƒ„'
>>> text = "a\\r\\nb\\rc"
>>> [text[s:e] for s, e in line_spans(text)]
['a\\r\\n', 'b\\r', 'c']
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any


def upper_half(codec: str, first: int = 0x80, last: int = 0x9F) -> str:
    """The characters ``codec`` decodes the single bytes ``first``–``last`` to, in order;
    bytes it leaves undefined are skipped. ftfy's "sloppy-" codecs (``sloppy-windows-1252``)
    are their base codec with each undefined byte read as the code point of that value
    (0x81 → U+0081), as a lenient decoder shows them; they are computed here, so that
    this module needs no ftfy."""
    if codec.startswith(SLOPPY):
        base = codec.removeprefix(SLOPPY)
        return "".join(
            bytes([b]).decode(base, errors="ignore") or chr(b) for b in range(first, last + 1)
        )
    return "".join(bytes([b]).decode(codec, errors="ignore") for b in range(first, last + 1))


# ftfy's name prefix for a codec that keeps undefined bytes as C1 code points.
SLOPPY = "sloppy-"


# --- scripts ------------------------------------------------------------------------
# CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B–H, and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Hiragana and katakana letters, with the prolonged-sound mark and iteration marks.
KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
# Precomposed Hangul syllables (what Korean prose is written in).
HANGUL = "\uac00-\ud7a3"
# Anything that makes a passage Japanese or Korean rather than Chinese: kana of every
# block (half-width included) and Hangul jamo as well as syllables.
KANA_HANGUL_ANY = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
HALFWIDTH_KANA = "\uff61-\uff9f"
# The Basic Multilingual Plane's private-use area: where GBK's and Big5's user-defined
# code points land when read by the other codec.
PUA = "\ue000-\uf8ff"
# Box drawing, block elements and shades (what CP437/CP866 show for high bytes).
BOX = "\u2500-\u259f"
# Emoji and what joins them: pictographs (U+1F000–U+1FAFF, flags' regional indicators and
# skin tones included), dingbats and symbols, variation selector 16, zero-width joiner,
# the keycap mark.
EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\ufe0f\u200d\u20e3"
# CJK punctuation and symbols, full-width forms, and curly quotes: what sits between Han
# characters in Chinese prose.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff65“”‘’"
# Letters of any CJK script: the units the plausibility tables score.
CJK_LETTERS = f"{HAN}{KANA}{HANGUL}"
# The alphabets a single-byte reading of UTF-8 decodes into, as regex class bodies of
# their letters (Latin: ASCII, Latin-1 without × and ÷, Extended-A and -B, and Latin
# Extended Additional, where Vietnamese and ẞ live). The repair stages judge a result's
# script with them (plausibility.evidence.one_alphabet, the Latin stage's _script_of).
ALPHABETS: tuple[tuple[str, str], ...] = (
    ("latin", "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"),
    ("cyrillic", "\u0400-\u04ff"),
    ("greek", "\u0370-\u03ff"),
    ("arabic", "\u0600-\u06ff"),
    ("hebrew", "\u0590-\u05ff"),
)

# Windows-1252's printable characters for 0x80–0x9F (€ ‚ ƒ … Ÿ): what a cp1252 reading of
# UTF-8 continuation bytes or of double-byte text produces besides Latin-1.
CP1252_HIGH = upper_half("cp1252")

# --- UTF-8 seen through a single-byte codec ----------------------------------------------
# The single-byte codecs a UTF-8 stream is read with by mistake: ftfy's own plan
# (``ftfy.chardata.CHARMAP_ENCODINGS``: Latin-1, Windows-1250/1/2/3/4/7 in ftfy's "sloppy"
# form that keeps undefined bytes, ISO-8859-2, MacRoman, cp437), then the DOS, KOI8, ISO
# and Mac code pages ftfy does not try. One row per codec: the suspect pattern of each
# is generated from the codec itself (``utf8_seen_as``).
FTFY_READERS: tuple[str, ...] = (
    "latin-1",
    "sloppy-windows-1252",
    "sloppy-windows-1251",
    "sloppy-windows-1250",
    "sloppy-windows-1253",
    "sloppy-windows-1254",
    "sloppy-windows-1257",
    "iso-8859-2",
    "macroman",
    "cp437",
)
OTHER_READERS: tuple[str, ...] = (
    "cp850",
    "cp866",
    "koi8-r",
    "koi8-u",
    "iso-8859-5",
    "iso-8859-7",
    "iso-8859-15",
    "mac-cyrillic",
)
SINGLE_BYTE_READERS = FTFY_READERS + OTHER_READERS
# UTF-8 lead bytes whose second byte is often 0xA0 that a program turned into a plain
# space (ftfy's ``ALTERED_UTF8_RE``: à, Š, Π, Р, Arabic-Indic digits, no-break space).
A0_LEADS = bytes([0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9])


def _class(codec: str, first: int, last: int) -> str:
    return "[" + "".join(re.escape(c) for c in upper_half(codec, first, last)) + "]"


@functools.cache
def utf8_seen_as(codec: str, *, a0: bool = False) -> str:
    """A regex (no groups) for one whole UTF-8 sequence as ``codec`` shows it: a lead
    byte with as many continuation bytes as it announces; a lead byte whose continuation
    was lost (U+FFFD), and with ``a0`` one whose 0xA0 continuation became a space (ftfy
    restores those only for its own readers: for KOI8 "е " would match every line).

    >>> re.fullmatch(utf8_seen_as("sloppy-windows-1251"), "Рџ") is not None
    True
    >>> re.fullmatch(utf8_seen_as("cp437"), "┬┐") is not None
    True
    """
    lead2, lead3 = _class(codec, 0xC2, 0xDF), _class(codec, 0xE0, 0xEF)
    lead4, cont = _class(codec, 0xF0, 0xF4), _class(codec, 0x80, 0xBF)
    a0_leads = "[" + "".join(re.escape(upper_half(codec, b, b)) for b in A0_LEADS) + "]"
    pattern = (
        f"{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}}"
        f"|[{lead2[1:-1]}{lead3[1:-1]}{lead4[1:-1]}]\ufffd"
    )
    return pattern + f"|{a0_leads} " if a0 else pattern


def utf8_pairs_seen_as(codec: str) -> str:
    """Regex class body of the characters a double-byte ``codec`` reads from a two-byte
    UTF-8 sequence (lead 0xC2–0xDF, continuation 0x80–0xBF): UTF-8 Latin letters read as
    CP949 (``é`` = C3 A9 → ``챕``).

    >>> "챕" in utf8_pairs_seen_as("cp949")
    True
    """
    chars = set()
    for lead in range(0xC2, 0xE0):
        for cont in range(0x80, 0xC0):
            chars.add(bytes([lead, cont]).decode(codec, errors="ignore"))
    return "".join(sorted(c for c in chars if len(c) == 1 and not c.isascii()))


# The Hangul syllables CP949 shows for UTF-8 two-byte sequences of Latin letters (leads
# 0xC2–0xC9: U+0080–U+027F). Higher leads read as Hanja, which are everyday Han
# characters: as a trigger they would send all Chinese text down the slow path.
UTF8_PAIRS_AS_CP949 = "".join(c for c in utf8_pairs_seen_as("cp949") if "\uac00" <= c <= "\ud7a3")


# The first two bytes of every emoji in UTF-8 (F0 9F: U+1F000–U+1FFFF) read as GBK: 馃,
# a rare character, always followed by the GBK reading of the last two bytes.
EMOJI_LEAD_READ_AS_GBK = b"\xf0\x9f".decode("gbk")


# --- signatures of unrecoverable damage -------------------------------------------------
# U+FFFD U+FFFD saved as UTF-8 (EF BF BD EF BF BD) and read as GBK: 锟斤拷.
REPLACEMENT_READ_AS_GBK = "\ufffd\ufffd".encode("utf-8").decode("gbk")
# Uninitialised memory of MSVC debug builds read as GBK: stack bytes 0xCC give 烫, heap
# bytes 0xCD give 屯.
STACK_FILL_READ_AS_GBK = b"\xcc\xcc".decode("gbk")
HEAP_FILL_READ_AS_GBK = b"\xcd\xcd".decode("gbk")
# Repetitions needed before 烫/屯 count as memory garbage: 烫烫 is real colloquial
# Chinese (热烫烫), three or more in a row is not.
MIN_MEMORY_RUN = 3
MEMORY_GARBAGE = re.compile(
    f"{REPLACEMENT_READ_AS_GBK}|{STACK_FILL_READ_AS_GBK}{{{MIN_MEMORY_RUN}}}"
    f"|{HEAP_FILL_READ_AS_GBK}{{{MIN_MEMORY_RUN}}}"
)

# --- punctuation ----------------------------------------------------------------------
# Full-width punctuation as converters and byte-level edits narrow it to ASCII (the
# full stop narrows to ".", so it maps back to the ideographic 。).
NARROWED = {"!": "！", ",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）"}

# --- pinyin ----------------------------------------------------------------------------
# One pinyin syllable as a converter inserts it: lower-case letters with tone marks
# (precomposed or combining) and an optional tone number.
PINYIN_SYLLABLE = "[a-zü\u00e0-\u01dc\u0300-\u036f]{1,7}[1-5]?"
# Anything a reader would take for romanisation inside brackets: several syllables,
# capitals, apostrophes and hyphens, tone numbers 0–5.
PINYIN_TEXT = "[A-Za-z\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff:'’ 0-5-]{1,40}"


@functools.cache
def readings(char: str) -> frozenset[str]:
    """Every reading of ``char`` in the spellings a converter may use: tone marks,
    tone numbers (ü as v), and the neutral tone bare or as 5 or 0.

    >>> sorted(r for r in readings("來") if r.startswith("l"))
    ['lai2', 'lai4', 'lài', 'lái']
    """
    entry = _pinyin_table().get(ord(char[0])) if char else None
    if entry is None:
        return frozenset()
    marked = entry.split(",")
    out = set(marked) | {_tone_number(r).replace("ü", "v") for r in marked}
    neutral = {r for r in out if r.isascii() and r.isalpha()}
    out |= {r + "5" for r in neutral} | {r + "0" for r in neutral}
    return frozenset(out)


# Tone marks as combining characters, and their tone numbers.
_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def _tone_number(syllable: str) -> str:
    """A syllable with its tone mark as a number at the end, as pypinyin's TONE3 style
    writes it (ü and ê kept; the neutral tone without a number).

    >>> _tone_number("lǜ"), _tone_number("ế"), _tone_number("ńg"), _tone_number("de")
    ('lü4', 'ê2', 'ng2', 'de')
    """
    import unicodedata

    marks = unicodedata.normalize("NFD", syllable)
    tone = next((_TONES[ch] for ch in marks if ch in _TONES), "")
    bare = "".join(ch for ch in marks if ch not in _TONES)
    return unicodedata.normalize("NFC", bare) + tone


@functools.cache
def _pinyin_table() -> _PinyinTable:
    """pypinyin's table of single characters' readings (code point → ``"lái,lài"``),
    read from its data file without importing pypinyin: the package loads its
    dictionary of 400,000 phrases on import (about 56 MiB), and a character's readings
    need none of it (issue 12: a worker under 150 MiB; ``tests/test_pinyin_noise.py``
    checks every entry against pypinyin itself)."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return _PinyinTable({})
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    with path.open(encoding="utf-8") as fh:
        return _PinyinTable(json.load(fh))


class _PinyinTable:
    """The readings of 42,000 characters packed into one string and two arrays (about
    1 MiB, where a dict of them takes 10): looked up by binary search on code points.

    >>> _PinyinTable({"20320": "nǐ", "22909": "hǎo"}).get(ord("好"))
    'hǎo'
    """

    def __init__(self, raw: dict[str, str]) -> None:
        from array import array

        entries = sorted((int(code), entry) for code, entry in raw.items())
        self._codes = array("I", (code for code, _ in entries))
        self._text = "".join(entry for _, entry in entries)
        self._ends = array("I", itertools.accumulate(len(entry) for _, entry in entries))

    def get(self, code: int) -> str | None:
        i = bisect.bisect_left(self._codes, code)
        if i == len(self._codes) or self._codes[i] != code:
            return None
        return self._text[self._ends[i - 1] if i else 0 : self._ends[i]]


# --- lines ---------------------------------------------------------------------------
# One line with its terminator (CRLF, CR or LF; the last line may lack one).
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def count_line_breaks(text: str) -> int:
    """How many ``LINE_BREAK`` matches ``text`` holds (a CRLF is one), without a scan
    in Python: a streamed file's pieces shift their line numbers by it.

    >>> count_line_breaks("a\\r\\nb\\rc\\n")
    3
    """
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every line of ``text``, terminators included."""
    for m in LINE.finditer(text):
        yield m.span()


def line_start(text: str, pos: int) -> int:
    """Where the line holding ``pos`` starts.

    >>> line_start("ab\\r\\ncd", 5), line_start("ab\\rcd", 4)
    (4, 3)
    """
    newline = text.rfind("\n", 0, pos)
    # only a CR after that LF can start the line: searching the rest of the text for one
    # cost each call a scan back to the start of a text with no CR (issue 12)
    return max(newline, text.rfind("\r", newline + 1, pos)) + 1


def line_end(text: str, pos: int) -> int:
    """Where the line holding ``pos`` ends (before its terminator).

    >>> line_end("ab\\r\\ncd", 0), line_end("abcd", 1)
    (2, 4)
    """
    m = LINE_BREAK.search(text, pos)
    return m.start() if m else len(text)


class LineIndex:
    """Turns offsets of one text into 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` of ``offset``, both 1-based, columns in code points.

        >>> LineIndex("ab\\ncd").position(4)
        (2, 2)
        """
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class LazyPattern:
    """A regular expression compiled on its first use rather than at import.

    Classes of thousands of code points (Han, Hangul, everything a codec shows) take
    1–3 ms each to compile, and a module-level pattern is paid by every process that
    imports its module, needed or not: forty of them were a fifth of a pre-commit run's
    start-up (issue 12). The methods used in fixenc are forwarded, typed.

    >>> p = LazyPattern("[a-c]+")
    >>> p.search("xxabcx").span()
    (2, 5)
    """

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self._source

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)
