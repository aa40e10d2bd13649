"""Positive evidence: is a suspect span the signature of a mis-decoding, or correct text?

Stage: detect (shared by the mojibake repair stages). A repair stage proposes a reading
because a span *could* be garble; before it is applied, the span must also look like
what a codec produces from another's bytes, and not like the correct text that happens
to share its characters. These checks say no for the shapes of correct text that the
round trips used to take for garble (all found in real files, see
``tests/test_regressions.py``):

* a run of one character repeated (``────``, ``▒▒▒▒``, ``áááá``): garble repeats a byte
  pattern only as often as the text repeats a character, and a run of three identical
  characters means a byte repeated six times;
* a span made only of box drawing and block elements (``├──┐``): what cp437/cp866 show
  for 0xB0–0xDF, but far more often a drawing than a double-byte text;
* a span that forms a known word with its neighbours (``雄赳赳``): rare characters are
  real when the word model knows them in that company;
* text quoted on purpose: doctest lines (``>>> fix("CafÃ©")``) anywhere, and in source
  code any comment or docstring paragraph that talks about encodings.

>>> repeated_run("Loading ▒▒▒▒ done")
True
>>> drawing("├──┐"), drawing("╓╨╬─Ω")
(True, False)
>>> straddles_word("他雄赳赳地", 2, 4)
True
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping

from fixenc.chars import ALPHABETS, BOX, CJK_LETTERS, LazyPattern, line_end, line_start
from fixenc.plausibility.tables import MODELS, load_model

# Identical characters in a row that mark a drawn line, shading or emphasis rather than
# garble. In the garble, four identical characters of a single-byte reading are one
# byte four times over: two identical double-byte characters whose lead byte equals
# their trail byte (北北, 後後), which prose does not write (three happen: 中文 in Big5
# is A4 A4 A4 E5, ``¤¤¤å``). In a repair's result, three identical characters (北北北)
# come from a repeated byte pattern, not from text.
MAX_REPEAT_GARBLE = 4
MAX_REPEAT_RESULT = 3
_DRAWING = LazyPattern(f"[{BOX}\\s]+")
_CJK = LazyPattern(f"[{CJK_LETTERS}]")
# Longest word looked up around a span (the word tables hold words of up to 4 characters).
WORD_REACH = 4

# Doctest prompts: an example's input quotes text exactly as the code receives it.
_DOCTEST = LazyPattern(r"[ \t]*(?:>>>|\.\.\.)\s")
# Vocabulary of prose that talks about encodings: codec names and the words around them.
_ENCODING_TALK = LazyPattern(
    r"(?i)(?<![a-z])(?:utf-?8|utf-?16|utf-?32|ascii|latin-?1|iso-?8859|windows-?125\d|"
    r"cp\d{3,4}|mac-?roman|koi8|gbk|gb2312|gb18030|big5|shift[_-]?jis|sjis|euc-?(?:kr|jp)|"
    r"mojibake|charset|codecs?|encod(?:e|ed|es|ing|ings)|decod(?:e|ed|es|ing)|garbled?|"
    r"乱码|編碼|编码|文字化け)(?![a-z])"
)
_PARAGRAPH_BREAK = LazyPattern(r"\n[ \t#*/-]*\n")
# A quotation within one line, in ASCII or typographic marks.
_QUOTATION = LazyPattern("\"[^\"\n]+\"|'[^'\n]+'|“[^”\n]+”|‘[^’\n]+’|«[^»\n]+»|„[^“”\n]+[“”]")
# A literal in running text: ``rst``, `markdown` (the span between matching backticks).
# A backtick glued to a letter or digit outside the span is no delimiter but a byte of
# garble (0x60 is a trail byte in GBK, Big5 and Shift_JIS: ``åeÕ`µÄ``).
_CODE_SPAN = LazyPattern(r"(?<![^\W_])(`+)(?!`).+?(?<!`)\1(?![`\w])")


def repeated_run(span: str, limit: int = MAX_REPEAT_GARBLE) -> bool:
    """The span holds a run of ``limit`` identical non-ASCII characters."""
    run = 1
    for prev, ch in itertools.pairwise(span):
        run = run + 1 if ch == prev and not ch.isascii() else 1
        if run >= limit:
            return True
    return False


def drawing(span: str) -> bool:
    """The span is made only of box-drawing and block characters (and spaces)."""
    return _DRAWING.fullmatch(span) is not None


@functools.cache
def _words() -> tuple[Mapping[str, float], ...]:
    # Each model's own word table, not a merged copy: merging the four tables (or a
    # set of their words) took 14–22 MiB that every worker carried (issue 12).
    return tuple(load_model(name).words for name in MODELS)


def straddles_word(text: str, start: int, end: int) -> bool:
    """A known word of the word model covers both a character of ``text[start:end]``
    and a CJK character right outside it: the span is read in the company it keeps."""
    words = _words()
    for edge in (start, end):
        if not (0 < edge < len(text)) or not (
            _CJK.match(text[edge - 1]) and _CJK.match(text[edge])
        ):
            continue
        for a in range(max(0, edge - WORD_REACH + 1), edge):
            for b in range(edge + 1, min(len(text), a + WORD_REACH) + 1):
                if any(text[a:b] in table for table in words):
                    return True
    return False


def quoted_on_purpose(text: str, start: int, end: int, *, source_code: bool) -> bool:
    """Garble quoted on purpose: a doctest line; in source code, a paragraph of a
    comment or docstring that talks about encodings (a library about mojibake shows
    examples of it; rewriting them breaks its tests and its documentation); in prose, a
    quotation in a paragraph that talks about encodings (ftfy's changelog: ``such as
    "aoÃ»t" -> "août"``; libxslt's: ``Unicode #2030 (UTF-8 'â€°')``).

    >>> text = 'Fixed mojibake such as "aoÃ»t".'
    >>> quoted_on_purpose(text, 26, 28, source_code=False)
    True
    >>> quoted_on_purpose('He said "aoÃ»t".', 11, 13, source_code=False)
    False
    """
    first, last = line_start(text, start), line_end(text, start)
    if _DOCTEST.match(text, first, last):
        return True
    if any(m.start() <= start and end <= m.end() for m in _CODE_SPAN.finditer(text, first, last)):
        return True  # ``quoted`` as a literal: an example, shown as it is
    if not source_code and not any(
        m.start() < start and end < m.end() for m in _QUOTATION.finditer(text, first, last)
    ):
        return False
    lo, hi = _docstring(text, start, end) if source_code else (-1, -1)
    if hi < 0:
        lo = max((m.end() for m in _PARAGRAPH_BREAK.finditer(text, 0, start)), default=0)
        brk = _PARAGRAPH_BREAK.search(text, end)
        hi = brk.start() if brk else len(text)
    if not source_code:
        # A quotation is about what is said beside it: a file with no blank line (JSON,
        # a data file) is one "paragraph", and a word such as "encoding" anywhere in it
        # would cover every quoted string (botocore's ``doesnâ€™t``, real damage).
        lo, hi = (
            max(lo, _lines_before(text, first, QUOTE_REACH)),
            min(hi, _lines_after(text, last, QUOTE_REACH)),
        )
    return _ENCODING_TALK.search(text, lo, hi) is not None


# How many lines around a quotation in prose may say that it is about encodings.
QUOTE_REACH = 2


def _lines_before(text: str, pos: int, n: int) -> int:
    for _ in range(n):
        if pos == 0:
            break
        pos = text.rfind("\n", 0, pos - 1) + 1
    return pos


def _lines_after(text: str, pos: int, n: int) -> int:
    for _ in range(n):
        nxt = text.find("\n", pos + 1)
        if nxt < 0:
            return len(text)
        pos = nxt
    return pos


# What names the replacement character itself (``U+FFFD``, "replacement character").
_NAMES_REPLACEMENT = LazyPattern(r"(?i)u\+fffd|replacement char")


def names_replacement(text: str, start: int, end: int) -> bool:
    """The paragraph around ``text[start:end]``, within QUOTE_REACH lines of it, names
    the replacement character: a U+FFFD there is the character discussed, not bytes lost
    (Node.js's manual: "the Unicode replacement character `U+FFFD` � will be used";
    ftfy's changelog).

    >>> t = "Invalid bytes become the replacement character �.\\n\\nBartosz Fe�ski\\n"
    >>> names_replacement(t, 47, 48), names_replacement(t, 61, 62)
    (True, False)
    """
    lo = max((m.end() for m in _PARAGRAPH_BREAK.finditer(text, 0, start)), default=0)
    brk = _PARAGRAPH_BREAK.search(text, end)
    lo = max(lo, _lines_before(text, line_start(text, start), QUOTE_REACH))
    hi = min(
        brk.start() if brk else len(text), _lines_after(text, line_end(text, start), QUOTE_REACH)
    )
    return _NAMES_REPLACEMENT.search(text, lo, hi) is not None


def _docstring(text: str, start: int, end: int) -> tuple[int, int]:
    """The triple-quoted string around ``text[start:end]``, or (-1, -1)."""
    for quote in ('"""', "'''"):
        if text.count(quote, 0, start) % 2 == 1:
            lo = text.rfind(quote, 0, start)
            hi = text.find(quote, end)
            return lo, (hi if hi >= 0 else len(text))
    return -1, -1


# Alphabets a single-byte reading of UTF-8 decodes into; a word in one of them, with no
# symbol that garble brings (box drawing, math, C1 controls, private use, CJK), reads.
_ALPHABETS = tuple(LazyPattern(f"[{letters}]") for _, letters in ALPHABETS)
_GARBLE_SYMBOLS = LazyPattern(
    f"[\u0080-\u009f\u2200-\u22ff{BOX}\ue000-\uf8ff\ufffd{CJK_LETTERS}\u00a4\u00a6\u00a8\u00ac\u00af\u00b8]"
)


def one_alphabet(text: str) -> bool:
    """``text`` reads as words of one alphabet: every letter in one of ``_ALPHABETS`` and
    no symbol that garble brings. Used where a repair's result must be plain text.

    >>> one_alphabet("déjà vu"), one_alphabet("çõ"), one_alphabet("Ã©t")
    (True, True, True)
    >>> one_alphabet("Привет café"), one_alphabet("┬┐")
    (False, False)
    """
    if _GARBLE_SYMBOLS.search(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return any(all(rx.match(ch) for ch in letters) for rx in _ALPHABETS)
