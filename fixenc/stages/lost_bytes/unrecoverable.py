"""Unrecoverable damage: flag what no reading can undo (锟斤拷, runs of U+FFFD, 烫烫烫 and
屯屯屯 memory fill, runs of '?' in place of CJK characters). Never invents a repair."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from fixenc import plausibility
from fixenc.chars import (
    HAN,
    HEAP_FILL_READ_AS_GBK,
    MIN_MEMORY_RUN,
    REPLACEMENT_READ_AS_GBK,
    STACK_FILL_READ_AS_GBK,
)
from fixenc.model import Context, Finding, Kind
from fixenc.plausibility import evidence

_UNRECOVERABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(f"(?:{REPLACEMENT_READ_AS_GBK})+{REPLACEMENT_READ_AS_GBK[0]}?"),
        "锟斤拷: U+FFFD replacement characters saved as UTF-8 (EF BF BD) and read as GBK; "
        "the original characters are gone",
    ),
    (
        re.compile(f"{STACK_FILL_READ_AS_GBK}{{{MIN_MEMORY_RUN},}}"),
        "烫烫烫: uninitialised stack memory (0xCC, MSVC debug builds) read as GBK",
    ),
    (
        re.compile(f"{HEAP_FILL_READ_AS_GBK}{{{MIN_MEMORY_RUN},}}"),
        "屯屯屯: uninitialised heap memory (0xCD, MSVC debug builds) read as GBK",
    ),
)
_FFFD_RUN = re.compile("\ufffd+")
_FFFD_REASON = "U+FFFD: bytes that could not be decoded were replaced; they are lost"
_QMARK_REASON = "'?' in place of characters the text's encoding could not represent"
# How far around a suspect span the unrecoverable patterns are looked for (a run of
# 锟斤拷 or U+FFFD can be long; the suspect marks where it starts).
UNRECOVERABLE_REACH = 4096
# '?' in place of CJK characters: two or more next to Han, or one between two Han
# characters that no lost-byte hypothesis explains.
# An emphatic "真的吗???" after a question particle is punctuation, not damage.
QUESTION_PARTICLES = "吗嗎呢吧么麼嘛啊呀哪谁誰什"
_QMARK_RUN = re.compile(r"\?{2,}")  # context is checked in _lost_characters (fast scan)
_HAN_CHAR = re.compile(f"[{HAN}]")


# The shortest text each pattern above needs, in their order, then U+FFFD's and '?''s;
# every match opens with it. A pattern whose needle the text lacks cannot match, so five
# substring tests (in C) spare its window scan around every suspect span.
_NEEDLES = (
    REPLACEMENT_READ_AS_GBK,
    STACK_FILL_READ_AS_GBK * MIN_MEMORY_RUN,
    HEAP_FILL_READ_AS_GBK * MIN_MEMORY_RUN,
    "\ufffd",
    "??",
)


def _holds(text: str, needle: str) -> bool:
    """``needle in text``, sooner: a search for its first character (at memory-search
    speed) rules out most texts, and the regex engine's literal search decides the rest
    3–4× faster than ``in`` (0.13–0.16 against 0.43–0.55 ms per MB of Japanese or
    Cyrillic text, measured here for '??'; issue 12).

    >>> _holds("中文??", "??"), _holds("中文?", "??"), _holds("a锟斤", "锟斤拷")
    (True, False, False)
    """
    return needle[0] in text and _literal(needle).search(text) is not None


@functools.cache
def _literal(needle: str) -> re.Pattern[str]:
    return re.compile(re.escape(needle))


def flag(text: str, context: Context, taken: list[tuple[int, int]]) -> list[Finding]:
    """Findings for unrecoverable damage on the suspect spans of ``text``, leaving out
    U+FFFD and '?' runs inside the spans in ``taken`` (already repaired or listed), and
    what is quoted on purpose (``evidence.quoted_on_purpose``)."""
    found = _flag(text, context, taken)
    if not found:
        return found
    source = context.options.is_source_code
    # A program that handles the replacement character names it (``'�'`` in click's,
    # pip's and ftfy's sources, beside "decode" or "encoding"): the character itself, not
    # bytes lost from the file. The audit of real files found `check` failing on them.
    return [
        f
        for f in found
        if not evidence.quoted_on_purpose(text, f.start, f.end, source_code=source)
        and not (set(f.text) == {"\ufffd"} and evidence.names_replacement(text, f.start, f.end))
    ]


def _flag(text: str, context: Context, taken: list[tuple[int, int]]) -> list[Finding]:
    present = [_holds(text, needle) for needle in _NEEDLES]
    if not any(present):
        return []
    patterns = [
        (pattern, reason, needle)
        for (pattern, reason), needle, here in zip(_UNRECOVERABLE, _NEEDLES, present, strict=False)
        if here
    ]
    fffd, qmarks = present[len(_UNRECOVERABLE) :]
    fffd_needle, qmark_needle = _NEEDLES[len(_UNRECOVERABLE) :]
    # each needle's occurrences, met in order by the suspects' windows
    cursors = {
        needle: _Cursor(text, needle)
        for needle, here in zip(_NEEDLES, present, strict=True)
        if here
    }
    findings: list[Finding] = []
    # unrecoverable damage always sits on a suspect span: look only there
    seen: set[tuple[int, int]] = set()
    # Each suspect looks only from where the previous one's span ended (a match that
    # started earlier and reaches this suspect also touched the previous one, which
    # found it) and stops at the first match past its span: the scan stays linear
    # however dense the suspects (a line of 中文� repeated took quadratic time).
    prev_end = 0
    for s, e in plausibility.suspects(text, context):
        lo, hi = max(0, s - UNRECOVERABLE_REACH, prev_end), min(len(text), e + UNRECOVERABLE_REACH)
        prev_end = max(prev_end, e)
        for pattern, reason, needle in patterns:
            for m in _near(pattern, needle, text, lo, hi, e, cursors[needle]):
                if m.end() >= s and m.span() not in seen:
                    seen.add(m.span())
                    prev_end = max(prev_end, m.end())
                    findings.append(_unrecoverable(m.start(), m.end(), text, reason))
        for m in (
            _near(_FFFD_RUN, fffd_needle, text, lo, hi, e, cursors.get(fffd_needle)) if fffd else ()
        ):
            if m.span() in seen or m.end() < s:
                continue
            seen.add(m.span())
            prev_end = max(prev_end, m.end())
            if not any(m.start() < te and m.end() > ts for ts, te in taken):
                findings.append(_unrecoverable(m.start(), m.end(), text, _FFFD_REASON))
        for m in (
            _near(_QMARK_RUN, qmark_needle, text, lo, hi, e, cursors.get(qmark_needle))
            if qmarks
            else ()
        ):
            if m.span() in seen or m.end() < s:
                continue
            seen.add(m.span())
            prev_end = max(prev_end, m.end())
            if _lost_characters(text, m.start(), m.end()) and not any(
                m.start() < te and m.end() > ts for ts, te in taken
            ):
                findings.append(_unrecoverable(m.start(), m.end(), text, _QMARK_REASON))
    return findings


# How far past the last allowed start ``_near`` lets the regex engine look: more than
# the shortest match of any unrecoverable pattern (two '?', three characters of 锟斤拷,
# MIN_MEMORY_RUN of 烫), so that every match starting in time is seen.
NEAR_SLACK = 64


class _Cursor:
    """The first occurrence of ``needle`` in ``text`` at or after a position, for
    positions asked in growing order: each ``str.find`` runs from where the last one
    found an occurrence that the windows have since passed, so all of ``flag``'s windows
    together cost at most one pass over the text. With a find per window, the windows
    of a Korean catalogue's suspects (a '??' in it) covered 93 % of it again, 426 finds
    and 2.4 ms per MB (issue 12). A position asked out of order gets a find of its own.

    >>> c = _Cursor("a???b??", "??")
    >>> c.first(0), c.first(2), c.first(3), c.first(6), c.first(1)
    (1, 2, 5, -1, 1)
    """

    __slots__ = ("_at", "_lo", "_needle", "_text")

    def __init__(self, text: str, needle: str) -> None:
        self._text = text
        self._needle = needle
        self._lo = 0  # the last position asked
        self._at = text.find(needle)  # the first occurrence at or after it (-1: none)

    def first(self, lo: int) -> int:
        if lo < self._lo:
            return self._text.find(self._needle, lo)
        self._lo = lo
        if 0 <= self._at < lo:
            self._at = self._text.find(self._needle, lo)
        return self._at


def _near(
    pattern: re.Pattern[str],
    needle: str,
    text: str,
    lo: int,
    hi: int,
    last_start: int,
    cursor: _Cursor | None = None,
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` starting in ``text[lo:last_start + 1]``, each followed to
    where its run really ends (up to ``hi``, past it for a run that reaches it: a run of
    a million U+FFFD is one finding, found once). The engine never scans further than
    NEAR_SLACK past ``last_start``, so each suspect costs the same however long the line.

    Every match opens with ``needle`` (the pattern's shortest text, ``_NEEDLES``), so
    the engine starts at the needle's first occurrence, which ``str.find`` reaches at
    memory-search speed: most windows hold none (Korean text with one '??' paid a regex
    pass over the window of every suspect). ``cursor``: the needle's occurrences, when
    the windows are met in order (``_Cursor``).
    """
    end = min(hi, last_start + NEAR_SLACK)
    first = text.find(needle, lo, end) if cursor is None else cursor.first(lo)
    if first < 0 or first > last_start or first + len(needle) > end:
        return
    for m in pattern.finditer(text, first, end):
        if m.start() > last_start:
            return
        whole = pattern.match(text, m.start(), hi) or m
        yield pattern.match(text, m.start()) or whole if whole.end() == hi else whole


def _lost_characters(text: str, start: int, end: int) -> bool:
    """A run of '?' stands for lost characters when Han follows it and it does not
    follow a question particle (真的吗??? is emphasis, 我爱???北京 is not)."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if not _HAN_CHAR.match(after):
        return False
    return not before or before not in QUESTION_PARTICLES


def _unrecoverable(start: int, end: int, text: str, reason: str) -> Finding:
    return Finding(Kind.UNRECOVERABLE, start, end, reason, 1.0, text=text[start:end])
