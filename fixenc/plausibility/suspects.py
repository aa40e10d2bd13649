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
from dataclasses import dataclass
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
CP1252_CJK_PUNCTUATION = "\u2026\u2014\u2013\u2018\u2019\u201c\u201d\u2022"
CP1252_TRIGGER = "".join(c for c in CP1252_HIGH if c not in CP1252_CJK_PUNCTUATION)


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
def _light_sign(*, with_pairs: bool = True) -> re.Pattern[str]:
    """A pattern that matches wherever an alternative of ``_confirm_near_no_rare``
    could: each alternative holds a character of the class ``signs``, a run of three
    Latin-1/cp1252 characters, or a ``?`` glued to what follows. It opens with one
    class, which the regex engine skips to in C, and checks which case it is in with
    look-behinds (the light pattern itself is an alternation with no common first
    character: the engine would try it at every position). Without ``with_pairs``, the
    syllables CP949 reads from two-byte UTF-8 are left out (``_hangul_signs`` finds them
    where they can be garble)."""
    pairs = UTF8_PAIRS_AS_CP949 if with_pairs else ""
    signs = (
        f"\ufffd{PUA}{HALFWIDTH_KANA}{BOX}{pairs}{EMOJI_LEAD_READ_AS_GBK}"
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
    blocks = has_han_or_hangul(text, context)
    return context.once("suspects", text, lambda t: _scan(t, rare_blocks=blocks, context=context))


def has_han_or_hangul(text: str, context: Context | None = None) -> bool:
    """Whether ``text`` holds a character of the blocks the rare classes are drawn from
    (Han, Hangul syllables): asked once per text with a ``context``, by the cheap pass
    and by a stage that needs Hangul (issue 12: a scan each costs 1–2 ms per MB).

    >>> has_han_or_hangul("Москва"), has_han_or_hangul("키 and 中")
    (False, True)
    """
    if context is None:
        return _RARE_BLOCKS.search(text) is not None
    return context.once("han-or-hangul", text, lambda t: _han_or_hangul(t, context))


def has_han(text: str, context: Context | None = None) -> bool:
    """Whether ``text`` holds a Han character (``chars.HAN``: the variant stage's
    question), asked once per text with a ``context``. The cheap pass's scan for the
    rare blocks answers it too when it finds no character of either, as in European
    text, or a Han one first (issue 12: a scan each costs 1.7 ms per MB).

    >>> has_han("Москва"), has_han("〇 and 키"), has_han("키")
    (False, True, False)
    """
    if context is None:
        return _HAN_CHAR.search(text) is not None
    return context.once(_HAN_MEMO, text, lambda t: _HAN_CHAR.search(t) is not None)


def _han_or_hangul(text: str, context: Context) -> bool:
    """``has_han_or_hangul``, recording in ``context`` what its scan says of ``has_han``."""
    run = _UNTIL_HAN_OR_RARE_BLOCKS.match(text)  # always matches, maybe ""
    first = run.end() if run is not None else 0  # where the first of either stands
    if first == len(text):
        context.once(_HAN_MEMO, text, lambda _t: False)
        return False
    if _HAN_CHAR.match(text, first) is not None:
        context.once(_HAN_MEMO, text, lambda _t: True)
    if _RARE_BLOCKS.match(text, first) is not None:
        return True
    return _RARE_BLOCKS.search(text, first + 1) is not None


# The blocks the rare classes are drawn from (the unified block, Extension A, the
# compatibility ideographs, Hangul syllables): a text with none of their characters, as
# most European text, has no rare one.
_RARE_BLOCKS = LazyPattern(f"[{RARE_HAN_BLOCKS}\u4e00-\u9fff\uac00-\ud7a3]")
# Han (``chars.HAN``), and everything up to the first character of either class: one
# scan asks about both. The regex engine runs a negated class in a tight loop, faster
# than a search for the class (1.6 against 1.9 ms per MB of Cyrillic text).
_HAN_CHAR = LazyPattern(f"[{HAN}]")
_UNTIL_HAN_OR_RARE_BLOCKS = LazyPattern(f"[^{HAN}{RARE_HAN_BLOCKS}\u4e00-\u9fff\uac00-\ud7a3]*")
_HAN_MEMO = "han"


def _near_rare(text: str, lo: int, hi: int, trigger: re.Pattern[str]) -> bool:
    """Whether ``text[lo:hi]`` holds a trigger character of the rare blocks: every rare
    character is one (a test checks it), and the few common ones among them (烫, 馃, the
    Hangul of UTF-8 read as CP949) only send the window to the whole pattern, whose rare
    alternatives cannot match without a rare character. No set of the 32,000 rare
    characters is built: that cost a pre-commit run 5–30 ms."""
    return any(_RARE_BLOCKS.match(m.group()) for m in trigger.finditer(text, lo, hi))


def _scan(
    text: str, *, rare_blocks: bool | None = None, context: Context | None = None
) -> list[tuple[int, int]]:
    """Every trigger character in turn, the confirm pattern searched in a window around
    it. Near no rare character the light pattern does; and when the light pattern
    cannot match anywhere in the whole text (``_light_sign``: a match inside a window
    is one in the text, since the patterns look neither behind nor past the window's
    end), such a trigger is passed over without a search: a French or English text,
    whose every accented letter is a trigger, costs two scans instead of a search
    per letter. (Chinese text, whose triggers are mostly rare characters, asks whether
    the light pattern can match only when a trigger is far from any.) ``rare_blocks``
    says whether the text holds a character of the rare blocks, when it is known.

    Where the places the confirm pattern can match are listed once (its signs), only
    the triggers whose window can hold one are visited (``_regions``), with those just
    before them, whose visit moves where the next window may open:

    * a text with no character of the rare blocks at all (Russian, French) is never
      near a rare one, and its signs are the light pattern's (a Russian catalogue's
      « and » were 2,500 visits and searches per MB, for 15 light signs);
    * a text with Hangul (``_hangul_signs``): every syllable CP949 reads from two-byte
      UTF-8 is a trigger, a Korean text's most common ones among them (트, 표, 키:
      12,000 per MB), and few stand where garble can (40 ms per MB went to them).

    With a ``context``, where those syllables stand (``pair_places``) is shared with the
    CJK stage's lone-letter rule, and a text none of whose triggers is one has none."""
    if rare_blocks is None:
        rare_blocks = _RARE_BLOCKS.search(text) is not None
    if rare_blocks:
        hits = [m.start() for m in _trigger_regex().finditer(text)]
        pairs = _pairs()
        if not any(text[h] in pairs for h in hits):
            if context is not None:  # each such syllable is a trigger: there is none
                context.once(_PAIR_PLACES_MEMO, text, lambda _t: _NO_PAIR_PLACES)
            # no Hangul of that kind (Chinese, Japanese)
            return _confirmed(text, hits, every_trigger=hits)
        signs, word_starts = _hangul_signs(text, hits, pair_places(text, context))
        stretches = _merged([*_regions(signs), *_cut_word_regions(word_starts, hits)])
        visits = (h for lo, hi in stretches for h in _between(hits, lo, hi))
        return _confirmed(text, visits, signs=signs, cut_words=True)
    light_starts = [m.start() for m in _light_sign().finditer(text)]
    if not light_starts:
        return []  # only the rare patterns could match, and there is no rare character
    trigger = _trigger_regex()
    visits = (
        m.start() for lo, hi in _regions(light_starts) for m in trigger.finditer(text, lo, hi)
    )
    return _confirmed(text, visits, signs=light_starts, rare=False)


def _confirmed(
    text: str,
    hits: Iterable[int],
    *,
    signs: list[int] | None = None,
    rare: bool = True,
    cut_words: bool = False,
    every_trigger: list[int] | None = None,
) -> list[tuple[int, int]]:
    """The spans the confirm pattern finds around the triggers at ``hits`` (see
    ``_scan``). With ``signs``, those are all the places where the confirm pattern can
    match (``_sign_within``), and with ``cut_words`` also a window's last character when
    it opens a word with a syllable of ``_pairs`` (``_hangul_signs``); without ``rare``,
    the text holds no character of the rare blocks, and the signs are the light
    pattern's. ``every_trigger``: where all the text's triggers stand, when known
    (``_light_anywhere``; and a window near a rare character is one that holds a
    trigger of the rare blocks, ``_near_rare``)."""
    light_anywhere = None if rare else bool(signs)
    trigger = _trigger_regex()
    # with every trigger known, those of the rare blocks: a window is near one when it
    # holds one (a bisection, not a scan of the window for triggers)
    rare_triggers = (
        [h for h in every_trigger if _RARE_BLOCKS.match(text, h)]
        if rare and every_trigger is not None
        else None
    )
    if rare_triggers == [] and not _light_anywhere(text, every_trigger):
        return []  # no window is near a rare character, and no light sign is anywhere
    out: list[tuple[int, int]] = []
    pos = 0
    for at in hits:
        if at < pos:
            continue  # inside the span just found
        lo, hi = max(pos, at - CONFIRM_WINDOW // 2), at + CONFIRM_WINDOW
        if (
            signs is not None
            and not _sign_within(signs, lo, hi)
            and not (cut_words and _PAIRS_OPENING_WORD.match(text, hi - 1, hi))
        ):
            pos = at + 1
            continue
        # the window holds the trigger itself, which is often the rare-block character
        near_rare = rare and (
            _RARE_BLOCKS.match(text, at) is not None
            or (
                _near_rare(text, lo, hi, trigger)
                if rare_triggers is None
                else _any_within(rare_triggers, lo, hi)
            )
        )
        if not near_rare and light_anywhere is None:
            light_anywhere = _light_anywhere(text, every_trigger)
        if near_rare:
            confirm = _confirm_regex()
        elif light_anywhere:
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


def _light_anywhere(text: str, triggers: list[int] | None = None) -> bool:
    """Whether the light pattern (``_light_sign``) matches anywhere in ``text``.

    Every light match opens with a trigger, or with one of the cp1252 punctuation marks
    the trigger class leaves out (``CP1252_CJK_PUNCTUATION``; a test checks that there
    are no others). So given where all the triggers stand, a text without those marks
    is answered by a match tried at each trigger, not a scan: Traditional Chinese whose
    triggers were 1,074 '?' paid 1.4 ms per MB for the scan (issue 12).

    >>> _light_anywhere("這是什麼? 好。", [4]), _light_anywhere("這是什麼?好。", [4])
    (False, True)
    """
    light = _light_sign()
    if triggers is not None and not any(ch in text for ch in CP1252_CJK_PUNCTUATION):
        return any(light.match(text, at) for at in triggers)
    return light.search(text) is not None


# A syllable CP949 reads from two-byte UTF-8 (``챕`` for é, ``_pairs``) where
# the confirm pattern's alternatives for them take it in the whole text (touching an
# ASCII letter, or a word of its own); and one opening a word, which they take where a
# window's end cuts the word after it (the window is the string the pattern sees).
_PAIRS_IN_CONTEXT = LazyPattern(
    f"[{UTF8_PAIRS_AS_CP949}](?:(?<=[A-Za-z].)|(?=[A-Za-z])|(?<!\\S.)(?![^\\s.,;:!?]))"
)
_PAIRS_OPENING_WORD = LazyPattern(f"[{UTF8_PAIRS_AS_CP949}](?<!\\S.)")
# The two, and one standing alone as a word (``mojibake_cjk._LONE_SYLLABLE``), in one
# scan (``_pair_places``: three cost 2 ms per MB of Korean each), each match telling
# which by the group it ends with: opening a word and (1) alone, (2) before an ASCII
# letter, (3) neither; (4) not opening a word, touching an ASCII letter. The patterns
# above stay as the references that a test compares it with.
_PAIR_PLACES = LazyPattern(
    f"[{UTF8_PAIRS_AS_CP949}]"
    "(?:(?<!\\S.)(?:(?![^\\s.,;:!?])()|(?=[A-Za-z])()|())|(?:(?<=[A-Za-z].)|(?=[A-Za-z]))())"
)
_ALONE, _OPENING_BEFORE_LETTER, _OPENING, _TOUCHING_LETTER = 1, 2, 3, 4
_PAIR_PLACES_MEMO = "pair-places"


@dataclass(frozen=True, slots=True)
class PairPlaces:
    """Where the syllables CP949 reads from two-byte UTF-8 stand, in order: as
    ``_PAIRS_IN_CONTEXT``, ``_PAIRS_OPENING_WORD`` and ``mojibake_cjk._LONE_SYLLABLE``
    find them (each list is shared: read, never changed)."""

    in_context: list[int]
    word_starts: list[int]
    alone: list[int]


_NO_PAIR_PLACES = PairPlaces([], [], [])


def _pair_places(text: str) -> PairPlaces:
    """``PairPlaces`` of ``text`` from one scan.

    >>> _pair_places("가 트리 x트 표 키x")
    PairPlaces(in_context=[6, 8, 10], word_starts=[2, 8, 10], alone=[8])
    """
    kinds = [(m.start(), m.lastindex) for m in _PAIR_PLACES.finditer(text)]
    return PairPlaces(
        in_context=[p for p, k in kinds if k != _OPENING],
        word_starts=[p for p, k in kinds if k != _TOUCHING_LETTER],
        alone=[p for p, k in kinds if k == _ALONE],
    )


def pair_places(text: str, context: Context | None = None) -> PairPlaces:
    """Where the syllables CP949 reads from two-byte UTF-8 stand (``PairPlaces``):
    asked once per text with a ``context``, by the cheap pass for a text with Hangul
    and by the CJK stage's lone-letter rule; the cheap pass records that a text has
    none when none of its triggers is one."""
    if context is None:
        return _pair_places(text)
    return context.once(_PAIR_PLACES_MEMO, text, _pair_places)


def _hangul_signs(
    text: str, hits: list[int], places: PairPlaces | None = None
) -> tuple[list[int], list[int]]:
    """Where the confirm pattern can match in a text with Hangul, in order: every
    trigger but a common syllable of ``_pairs`` (each rare character is a trigger, and
    every alternative for rare characters holds one), such a syllable where its own
    alternatives take it (``_PAIRS_IN_CONTEXT``), and the light pattern's other signs.
    Second, the syllables that open a word (``_PAIRS_OPENING_WORD``): signs only for
    the window that ends just after one. ``places``: where those syllables stand, when
    known.

    >>> _hangul_signs("가 트리 x트 표", [2, 6, 8])
    ([6, 8], [2, 8])
    >>> _hangul_signs("가트리 표현", [1, 4])
    ([], [4])
    """
    if places is None:
        places = _pair_places(text)
    common = _common_pairs()
    signs = {h for h in hits if text[h] not in common}
    signs.update(places.in_context)
    signs.update(m.start() for m in _light_sign(with_pairs=False).finditer(text))
    return sorted(signs), places.word_starts


def _cut_word_regions(word_starts: list[int], hits: list[int]) -> Iterator[tuple[int, int]]:
    """For each syllable opening a word at ``p``, the one trigger whose window ends just
    after it (at ``p + 1 - CONFIRM_WINDOW``), when there is one, led in as in
    ``_regions``.

    >>> list(_cut_word_regions([9, 30], [2, 5, 20]))
    [(0, 3)]
    """
    triggers = set(hits)
    for p in word_starts:
        at = p + 1 - CONFIRM_WINDOW
        if at in triggers:
            yield max(0, at - CONFIRM_WINDOW // 2), at + 1


def _merged(stretches: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``stretches`` in order, overlapping ones merged.

    >>> _merged([(5, 9), (0, 3), (2, 4), (9, 10)])
    [(0, 4), (5, 10)]
    """
    out: list[list[int]] = []
    for lo, hi in sorted(stretches):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


@functools.cache
def _pairs() -> frozenset[str]:
    """The syllables CP949 reads from two-byte UTF-8: all of them are triggers."""
    return frozenset(UTF8_PAIRS_AS_CP949)


@functools.cache
def _common_pairs() -> frozenset[str]:
    """The syllables of ``_pairs`` that are not rare (most of them: 트, 표, 키)."""
    _, rare_hangul = _rare_classes()
    return _pairs() - _class_chars(rare_hangul)


def _class_chars(body: str) -> frozenset[str]:
    """The characters of a class body written by ``_ranges`` (literal characters and
    ``a-b`` ranges, no escapes: it holds Hangul alone here).

    >>> sorted(_class_chars("가-각핫"))
    ['가', '각', '핫']
    """
    out: set[str] = set()
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.update(map(chr, range(ord(body[i]), ord(body[i + 2]) + 1)))
            i += 3
        else:
            out.add(body[i])
            i += 1
    return frozenset(out)


def _between(hits: list[int], lo: int, hi: int) -> list[int]:
    """The positions of ``hits`` (in order) in ``[lo, hi)``."""
    return hits[bisect.bisect_left(hits, lo) : bisect.bisect_left(hits, hi)]


def _regions(light_starts: list[int]) -> Iterator[tuple[int, int]]:
    """Stretches of the text holding every trigger whose window can hold a sign
    (``_sign_within``), each led in by the reach of a window back
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


# The longest match of ``_light_sign`` (three Latin-1/cp1252 characters; the other signs
# are one character): ``finditer`` steps over a start that lies inside the match before
# it, at most this much later.
LIGHT_SIGN_OVERLAP = MIN_LATIN_RUN - 1


def _any_within(starts: list[int], lo: int, hi: int) -> bool:
    """Whether one of ``starts`` (sorted) lies in ``[lo, hi)``.

    >>> _any_within([10, 40], 5, 11), _any_within([10, 40], 11, 40)
    (True, False)
    """
    i = bisect.bisect_left(starts, lo)
    return i < len(starts) and starts[i] < hi


def _sign_within(starts: list[int], lo: int, hi: int) -> bool:
    """Whether a sign lies in ``text[lo:hi]``, given where ``finditer`` found the
    signs (``starts``): a match of the confirm pattern there holds one.

    >>> _sign_within([10, 40], 12, 20), _sign_within([10, 40], 13, 20)
    (True, False)
    """
    i = bisect.bisect_left(starts, lo - LIGHT_SIGN_OVERLAP)
    return i < len(starts) and starts[i] < hi


def has_suspects(text: str, context: Context | None = None) -> bool:
    """True when the cheap pass finds anything."""
    return bool(suspects(text, context))
