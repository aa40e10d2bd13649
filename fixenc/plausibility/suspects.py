"""The cheap pass: where East-Asian mojibake or lost bytes *could* be.

Stage: detect (the first look, shared by every repair stage). One compiled regular
expression finds every place worth a closer look: U+FFFD and private-use characters,
half-width katakana, runs of Latin-1/cp1252 letters and symbols, box drawing mixed with
letters, rare Han characters close to other rare or out-of-place characters, Han glued
to Hangul, a ``?`` inside running text. On clean text it matches rarely, and a text
without a match is ruled out at the cost of that single scan.

>>> suspects("这是一段完全正常的中文。")
[]
>>> suspects("浣犲ソ")
[(1, 3)]
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from importlib import resources

from fixenc.chars import (
    BOX,
    CP1252_HIGH,
    EMOJI_LEAD_READ_AS_GBK,
    HALFWIDTH_KANA,
    HAN,
    HANGUL,
    HEAP_FILL_READ_AS_GBK,
    KANA,
    PUA,
    REPLACEMENT_READ_AS_GBK,
    STACK_FILL_READ_AS_GBK,
    UTF8_PAIRS_AS_CP949,
    LazyPattern,
)
from fixenc.model import Context
from fixenc.plausibility.tables import common_han, load_model

# The cp1252 specials that also are everyday CJK punctuation (……, ——, “”, ‘’) do not
# trigger a look on their own: a cp1252 reading of DBCS bytes always has a Latin-1
# letter or symbol next to them.
CP1252_TRIGGER = "".join(
    c for c in CP1252_HIGH if c not in "\u2026\u2014\u2013\u2018\u2019\u201c\u201d\u2022"
)


def _ranges(chars: frozenset[str], lo: int, hi: int) -> str:
    """A regex class body for the code points in [lo, hi] *not* in ``chars``.

    Written with literal characters: the regex parser reads them several times faster
    than ``\\uXXXX`` escapes, and these classes hold thousands of ranges.
    """
    parts: list[str] = []
    start: int | None = None
    for cp in range(lo, hi + 2):
        inside = cp <= hi and chr(cp) not in chars
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            parts.append(f"{chr(start)}-{chr(cp - 1)}" if cp - 1 > start else chr(start))
            start = None
    return "".join(parts)


# Hangul syllables outside this many most frequent ones count as rare: KS X 1001 (EUC-KR)
# encodes 2350 precomposed syllables, the ones in ordinary use; UTF-8 read as CP949 lands
# mostly in CP949's extension area of 8822 rarely used syllables.
COMMON_HANGUL = 2350
# Shortest run of Latin-1/cp1252 upper-half characters worth a look: two garbled
# double-byte characters make four, and Shift_JIS or Big5 text read as cp1252 splits
# them with ASCII trail bytes into runs of three (“ú–{Œê). European words rarely have
# three such letters in a row (Größe has two).
MIN_LATIN_RUN = 3
# How far (in characters) the confirming pattern looks around a trigger character.
CONFIRM_WINDOW = 8


# Han outside the unified block's common characters: Extension A and compatibility forms.
RARE_HAN_BLOCKS = "\u3400-\u4dbf\uf900-\ufaff"
# The rare Han and rare Hangul classes, derived from the frequency tables and shipped, so
# that a process scanning clean CJK text loads no table (deriving them costs ~1 s: all
# four tables). Rebuilt by scripts/build_rare_classes.py; a test checks it is current.
RARE_CLASSES_FILE = "rare-classes.txt"


def derive_rare_classes() -> tuple[str, str]:
    """Regex class bodies of rare Han (unified block) and rare Hangul, from the tables."""
    rare_han = _ranges(common_han(), 0x4E00, 0x9FFF)
    ko = load_model("ko")
    ranked = sorted((c for c in ko.uni if "\uac00" <= c <= "\ud7a3"), key=ko.uni.__getitem__)
    rare_hangul = _ranges(frozenset(ranked[:COMMON_HANGUL]), 0xAC00, 0xD7A3)
    return rare_han, rare_hangul


def read_rare_classes() -> tuple[str, str]:
    """The shipped classes (``derive_rare_classes`` at build time)."""
    ref = resources.files("fixenc") / "data" / RARE_CLASSES_FILE
    rows = [r for r in ref.read_text(encoding="utf-8").splitlines() if not r.startswith("#")]
    rare_han, rare_hangul = rows
    return rare_han, rare_hangul


@functools.cache
def _rare_classes() -> tuple[str, str]:
    """Regex class bodies of rare Han and rare Hangul (see the constants above)."""
    rare_han, rare_hangul = read_rare_classes()
    return rare_han + RARE_HAN_BLOCKS, rare_hangul


@functools.cache
def _trigger_regex() -> re.Pattern[str]:
    """One character class: every suspicious pattern starts with one of these characters.

    A class-led pattern lets the regex engine skip clean text at memchr-like speed, which
    is what makes the fast path cost about one scan.
    """
    rare_han, rare_hangul = _rare_classes()
    return re.compile(
        f"[\ufffd{PUA}{HALFWIDTH_KANA}{rare_han}{rare_hangul}\u0080-\u00ff{CP1252_TRIGGER}{BOX}?{UTF8_PAIRS_AS_CP949}{EMOJI_LEAD_READ_AS_GBK}{STACK_FILL_READ_AS_GBK}{HEAP_FILL_READ_AS_GBK}]"
    )


@functools.cache
def _confirm_regex() -> re.Pattern[str]:
    """The suspicious patterns themselves, tried only near a trigger character."""
    return _confirm_pattern(rare=True)


@functools.cache
def _confirm_near_no_rare() -> re.Pattern[str]:
    """``_confirm_regex`` for a window with no rare Han or Hangul (see below)."""
    return _confirm_pattern(rare=False)


def _confirm_pattern(*, rare: bool) -> re.Pattern[str]:
    """The suspicious patterns; without ``rare``, the patterns that need a rare Han or Hangul character are left
    out: near no such character this pattern finds what the whole one finds (the same
    alternatives in the same order, less ones that cannot match there), and it compiles
    in a few milliseconds where the rare classes, written out six times, cost about
    50 ms (issue 12: start-up)."""
    rare_han, rare_hangul = _rare_classes()
    odd = (
        f"{rare_han}{rare_hangul}{HALFWIDTH_KANA}{PUA}\u0391-\u03c9\u0401-\u045f\uff21-\uff5a{BOX}"
    )
    latin = f"\u0080-\u00ff{CP1252_HIGH}"
    letters = "\u0080-\u00ff\u0391-\u03c9\u0401-\u045f"
    # a rare Han or Hangul with another rare or out-of-place character close by, or
    # glued to the other script
    with_rare = [
        f"[{rare_han}{rare_hangul}][^\\s]{{0,2}}?[{odd}{KANA}]",
        f"[{odd}][^\\s]{{0,2}}?[{rare_han}{rare_hangul}]",
        f"[{rare_hangul}][{HAN}]|[{HAN}][{rare_hangul}]|[{rare_han}][{HANGUL}]|[{HANGUL}][{rare_han}]",
    ]
    alternatives = [
        f"[\ufffd{PUA}{HALFWIDTH_KANA}]",
        *(with_rare if rare else ()),
        f"[{latin}]{{{MIN_LATIN_RUN},}}",  # DBCS bytes read as Latin-1/cp1252
        # a C1 control: no one writes one in text, a lenient or Latin-1 reader of double-
        # byte text shows lead bytes as them (\x8ds in Shift_JIS 行 read as cp1252)
        "[\u0080-\u009f]",
        f"[{BOX}][{letters}{BOX}]|[{letters}][{BOX}]",  # DBCS bytes read as cp437/cp866
        f"{EMOJI_LEAD_READ_AS_GBK}[^\\s]",  # an emoji's UTF-8 read as GBK (馃槀 for 😂)
        # UTF-8 Latin letters read as CP949, inside a Latin word (caf챕)
        f"[A-Za-z][{UTF8_PAIRS_AS_CP949}]|[{UTF8_PAIRS_AS_CP949}][A-Za-z]",
        # ... or standing alone as a word (``tamanho 챕 desconhecido``)
        f"(?<!\\S)[{UTF8_PAIRS_AS_CP949}](?![^\\s.,;:!?])",
        f"{REPLACEMENT_READ_AS_GBK[:2]}|{STACK_FILL_READ_AS_GBK * 2}|{HEAP_FILL_READ_AS_GBK * 2}",
        # a '?' glued inside running text (a lost double-byte character)
        "[^\\s?]\\?+(?=[^\\s\"'”’」』)\\]}>,.;:!?]|[;,:]\\?)|\\?{2,}",
    ]
    return re.compile("|".join(alternatives))


@functools.cache
def _light_sign() -> re.Pattern[str]:
    """A pattern that matches wherever an alternative of ``_confirm_near_no_rare``
    could: each alternative holds a character of the class ``signs``, a run of three
    Latin-1/cp1252 characters, or a ``?`` glued to what follows. It opens with one
    class, which the regex engine skips to in C, and checks which case it is in with
    look-behinds (the light pattern itself is an alternation with no common first
    character: the engine would try it at every position)."""
    signs = (
        f"\ufffd{PUA}{HALFWIDTH_KANA}{BOX}{UTF8_PAIRS_AS_CP949}{EMOJI_LEAD_READ_AS_GBK}"
        "\u0080-\u009f"  # a C1 control is an alternative of its own
        f"{REPLACEMENT_READ_AS_GBK[0]}{STACK_FILL_READ_AS_GBK}{HEAP_FILL_READ_AS_GBK}"
    )
    latin = f"\u0080-\u00ff{CP1252_HIGH}"
    glued = "[^\\s\"'”’」』)\\]}>.!]"
    return re.compile(
        f"[{signs}{latin}?]"
        f"(?:(?<=[{signs}])|(?<=[{latin}])[{latin}]{{{MIN_LATIN_RUN - 1}}}|(?<=\\?){glued})"
    )


def suspects(text: str, context: Context | None = None) -> list[tuple[int, int]]:
    """Spans the cheap pass cannot rule out; empty means the text is clean.

    With a ``context``, the scan runs once per text for the whole repair call:
    consecutive stages ask about the same text.
    """
    if context is None:
        return _scan(text)
    return context.once("suspects", text, _scan)


# The blocks the rare classes are drawn from (the unified block, Extension A, the
# compatibility ideographs, Hangul syllables): a text with none of their characters, as
# most European text, has no rare one.
_RARE_BLOCKS = LazyPattern(f"[{RARE_HAN_BLOCKS}\u4e00-\u9fff\uac00-\ud7a3]")


def _near_rare(text: str, lo: int, hi: int, trigger: re.Pattern[str]) -> bool:
    """Whether ``text[lo:hi]`` holds a trigger character of the rare blocks: every rare
    character is one (a test checks it), and the few common ones among them (烫, 馃, the
    Hangul of UTF-8 read as CP949) only send the window to the whole pattern, whose rare
    alternatives cannot match without a rare character. No set of the 32,000 rare
    characters is built: that cost a pre-commit run 5–30 ms."""
    return any(_RARE_BLOCKS.match(m.group()) for m in trigger.finditer(text, lo, hi))


def _scan(text: str) -> list[tuple[int, int]]:
    """Every trigger character in turn, the confirm pattern searched in a window around
    it. Near no rare character the light pattern does; and when the light pattern
    cannot match anywhere in the whole text (``_light_sign``: a match inside a window
    is one in the text, since the patterns look neither behind nor past the window's
    end), such a trigger is passed over without a search: a French or English text,
    whose every accented letter is a trigger, costs two scans instead of a search
    per letter. (Chinese text, whose triggers are mostly rare characters, asks whether
    the light pattern can match only when a trigger is far from any.)

    A text with no character of the rare blocks at all (Russian, French) is never near
    a rare one, and its light signs are listed once: only the triggers whose window can
    hold one are visited (``_regions``), with those just before them, whose visit moves
    where the next window may open (a Russian catalogue's « and » were 2,500 visits and
    searches per MB, for 15 light signs)."""
    if _RARE_BLOCKS.search(text) is not None:
        return _confirmed(text, _trigger_regex().finditer(text), None)
    light_starts = [m.start() for m in _light_sign().finditer(text)]
    if not light_starts:
        return []  # only the rare patterns could match, and there is no rare character
    trigger = _trigger_regex()
    hits = (hit for lo, hi in _regions(light_starts) for hit in trigger.finditer(text, lo, hi))
    return _confirmed(text, hits, light_starts)


def _confirmed(
    text: str, hits: Iterable[re.Match[str]], light_starts: list[int] | None
) -> list[tuple[int, int]]:
    """The spans the confirm pattern finds around ``hits`` (see ``_scan``); with
    ``light_starts``, the text holds no character of the rare blocks and those are all
    the places the light pattern can match."""
    light_anywhere = None if light_starts is None else bool(light_starts)
    trigger = _trigger_regex()
    out: list[tuple[int, int]] = []
    pos = 0
    for hit in hits:
        at = hit.start()
        if at < pos:
            continue  # inside the span just found
        lo, hi = max(pos, at - CONFIRM_WINDOW // 2), at + CONFIRM_WINDOW
        # the window holds the trigger itself, which is often the rare-block character
        near_rare = light_starts is None and (
            _RARE_BLOCKS.match(text, at) is not None or _near_rare(text, lo, hi, trigger)
        )
        if not near_rare and light_anywhere is None:
            light_anywhere = _light_sign().search(text) is not None
        if near_rare:
            confirm = _confirm_regex()
        elif light_anywhere and (light_starts is None or _light_within(light_starts, lo, hi)):
            confirm = _confirm_near_no_rare()
        else:
            pos = at + 1
            continue
        found = confirm.search(text, lo, hi)
        if found is not None and found.end() > at:
            out.append(found.span())
            pos = found.end()
        else:
            pos = at + 1
    return out


def _regions(light_starts: list[int]) -> Iterator[tuple[int, int]]:
    """Stretches of the text holding every trigger whose window can hold a light sign
    (``_light_within``), each led in by the reach of a window back
    (``CONFIRM_WINDOW // 2``): a trigger visited or passed over there decides where the
    next window opens, and one before the lead-in does not. Overlapping stretches merge.

    >>> list(_regions([20, 25, 60]))
    [(9, 32), (49, 67)]
    """
    back = CONFIRM_WINDOW - 1 + CONFIRM_WINDOW // 2
    ahead = CONFIRM_WINDOW // 2 + LIGHT_SIGN_OVERLAP + 1
    lo = hi = -1
    for start in light_starts:
        if start - back > hi:
            if hi >= 0:
                yield lo, hi
            lo = max(0, start - back)
        hi = start + ahead
    if hi >= 0:
        yield lo, hi


# The longest match of ``_light_sign`` (three Latin-1/cp1252 characters): ``finditer``
# steps over a start that lies inside the match before it, at most this much later.
LIGHT_SIGN_OVERLAP = MIN_LATIN_RUN - 1


def _light_within(starts: list[int], lo: int, hi: int) -> bool:
    """Whether ``_light_sign`` can match in ``text[lo:hi]``, given where ``finditer``
    found it (``starts``): a match of the light confirm pattern there holds one.

    >>> _light_within([10, 40], 12, 20), _light_within([10, 40], 13, 20)
    (True, False)
    """
    i = bisect.bisect_left(starts, lo - LIGHT_SIGN_OVERLAP)
    return i < len(starts) and starts[i] < hi


def has_suspects(text: str, context: Context | None = None) -> bool:
    """True when the cheap pass finds anything."""
    return bool(suspects(text, context))
