"""Evidence of the variant stage: which characters prove a passage Traditional or Simplified.

A character is evidence for its script only when every conversion away from that script
changes it, in context and alone, and the other script's national character set lacks
it. The candidates are static, so they are computed once per process as character
classes that one regex scan can test.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from fixenc.chars import HAN, KANA_HANGUL_ANY
from fixenc.convert import convert_with
from fixenc.protect import Protection
from fixenc.stages.variant.prefilter import Keeper, prefilters
from fixenc.stages.variant.probe import _changed, _changes_alone

_HAN = re.compile(f"[{HAN}]")

_PROBES_TRAD = ("t2s", "tw2s", "hk2s")
_PROBES_SIMP = ("s2t", "s2tw", "s2hk")


@dataclass(frozen=True, slots=True)
class _Evidence:
    """The positions that are Traditional or Simplified evidence, with range counts."""

    trad: frozenset[int]
    simp: frozenset[int]
    _trad_sorted: list[int]
    _simp_sorted: list[int]

    @classmethod
    def of(cls, text: str, protection: Protection) -> _Evidence:
        trad = _all_changed(text, _PROBES_TRAD, protection)
        simp = _all_changed(text, _PROBES_SIMP, protection)
        return cls(frozenset(trad), frozenset(simp), sorted(trad), sorted(simp))

    def chars(self, text: str, start: int, end: int) -> tuple[list[str], list[str]]:
        """The (Traditional, Simplified) evidence characters inside ``[start, end)``."""
        return (
            [text[i] for i in _between(self._trad_sorted, start, end)],
            [text[i] for i in _between(self._simp_sorted, start, end)],
        )

    def counts(self, start: int, end: int) -> tuple[int, int]:
        """(Traditional, Simplified) evidence counts inside ``[start, end)``."""
        return (
            bisect.bisect_left(self._trad_sorted, end)
            - bisect.bisect_left(self._trad_sorted, start),
            bisect.bisect_left(self._simp_sorted, end)
            - bisect.bisect_left(self._simp_sorted, start),
        )


class _StaticEvidence:
    """``_Evidence`` from static character classes: what ``_all_changed`` finds, with
    OpenCC asked only about the few characters whose context matters.

    A candidate (``_candidate_class``) that no context can leave as it is under any of
    the probes (``prefilter``'s context classes, derived from OpenCC's dictionaries) is
    evidence wherever it stands outside protected regions, so a regex finds, counts and
    lists it. The other candidates (万, 种, 据 among Simplified ones; rare ones among
    Traditional) are probed as ``_all_changed`` probes them, on their own lines, by the
    configurations whose context can leave them alone, and only where the run of
    characters that can (a keeper: 种放, 拮据) stands around them when the shipped data
    says where that is. Tests compare the two on every dictionary key, on real mixed
    translations and on random text.

    The evidence of a range is looked up per range: a paragraph in one script is
    labelled with one search per script, not character by character.
    """

    def __init__(
        self,
        free: str,
        trad: tuple[re.Pattern[str], list[int]],
        simp: tuple[re.Pattern[str], list[int]],
    ) -> None:
        self.free = free  # the text with protected regions blanked
        self._trad, self._simp = trad, simp
        self._last: tuple[tuple[int, int], tuple[list[str], list[str]]] | None = None

    @classmethod
    def of(
        cls,
        text: str,
        protection: Protection,
        *,
        safe: bool = False,
        trad_hits: list[int] | None = None,
    ) -> _StaticEvidence | None:
        """The evidence of ``text``, or ``None`` when the static classes do not apply
        (no shipped context classes for this OpenCC, or text that OpenCC treats in a
        way the classes do not model: see ``_STATIC_UNSAFE``; ``safe``: the caller's
        scan found none of it). ``trad_hits``: where the caller's scan found the
        Traditional context characters in ``text`` (``unusual_or_context``)."""
        trad, simp = _static_classes(_PROBES_TRAD), _static_classes(_PROBES_SIMP)
        if trad is None or simp is None or (not safe and _unsafe(text)):
            return None
        free = _blanked(text, protection)
        return cls(
            free,
            _static_evidence(text, free, trad, trad_hits),
            _static_evidence(text, free, simp),
        )

    def has(self, start: int, end: int) -> tuple[bool, bool]:
        """Whether ``[start, end)`` holds (Traditional, Simplified) evidence."""
        return _has(self._trad, self.free, start, end), _has(self._simp, self.free, start, end)

    def has_each(self, starts: list[int], ends: list[int]) -> tuple[list[bool], list[bool]]:
        """``has`` of each range ``[starts[i], ends[i])``: without excluded positions,
        one search per range called through ``map`` (no Python step per range)."""
        return _has_each(self._trad, self.free, starts, ends), _has_each(
            self._simp, self.free, starts, ends
        )

    def counts(self, start: int, end: int) -> tuple[int, int]:
        """(Traditional, Simplified) evidence counts inside ``[start, end)``."""
        trad, simp = self.chars(self.free, start, end)
        return len(trad), len(simp)

    def totals(self) -> tuple[int, int]:
        """(Traditional, Simplified) evidence counts of the whole text, exact but for
        the larger one, counted only until it passes the other: all a majority needs.

        Each side is counted ``TOTAL_CHUNK`` characters at a time, always the side with
        the smaller count so far (the one less far on a tie), and counting stops when
        the side with the smaller count has seen the whole text: the other, having at
        least as many, is ahead or equal; equal counts are both exact. So the larger
        side costs about as much as the smaller one. Counting creates a string per
        evidence character, and in a Traditional document with a few Simplified
        paragraphs the Traditional side is a third of the text.
        """
        n = len(self.free)
        sides = (self._trad, self._simp)
        counts, done = [0, 0], [0, 0]
        while True:
            low = min((0, 1), key=lambda k: (counts[k], done[k]))
            high = 1 - low
            if done[low] == n and (counts[high] > counts[low] or done[high] == n):
                return counts[0], counts[1]
            k = low if done[low] < n else high
            end = min(done[k] + TOTAL_CHUNK, n)
            counts[k] += _count(sides[k], self.free, done[k], end)
            done[k] = end

    def chars_of(self, label: str, start: int, end: int) -> tuple[list[str], list[str]]:
        """``chars`` of a range known to hold no evidence but of ``label``'s script."""
        trad = _chars(self._trad, self.free, start, end) if label == "zh-Hant" else []
        simp = _chars(self._simp, self.free, start, end) if label == "zh-Hans" else []
        return trad, simp

    def chars(self, text: str, start: int, end: int) -> tuple[list[str], list[str]]:
        """The (Traditional, Simplified) evidence characters inside ``[start, end)``
        (``text`` is the analysed text; the lists come from ``free``, which is the same
        there). Kept for the last range asked: a unit asks for counts, then characters."""
        key = (start, end)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        found = _chars(self._trad, self.free, start, end), _chars(self._simp, self.free, start, end)
        self._last = (key, found)
        return found


# What OpenCC treats in a way the static classes do not model: an Ideographic Description
# Character makes it copy the sequence that follows as it is (``⿰们们`` stays), variation
# selectors sit on the character before them, compatibility ideographs are rewritten by
# the normalisation stage before any key is matched, and supplementary Han characters
# (compatibility supplement included) are candidates one by one (``_is_candidate``).
# Text holding any takes ``_Evidence``.
_STATIC_UNSAFE = re.compile(
    "[\u2ff0-\u2fff\u31ef\ufe00-\ufe0f\uf900-\ufaff\U000e0100-\U000e01ef\U00020000-\U0003134f]"
)
# The same with every supplementary character: the regex engine tests a class with
# several supplementary ranges member by member (about 0.3 s per MB), one bitmap and one
# range at about a scan's speed. Only text with supplementary characters pays the first.
_STATIC_UNSAFE_QUICK_CLASS = "\u2ff0-\u2fff\u31ef\ufe00-\ufe0f\uf900-\ufaff\U00010000-\U0010ffff"
_STATIC_UNSAFE_QUICK = re.compile(f"[{_STATIC_UNSAFE_QUICK_CLASS}]")


@functools.cache
def unusual_or_context() -> re.Pattern[str] | None:
    """One class of kana, hangul, ``_STATIC_UNSAFE_QUICK`` and the Traditional probes'
    context characters; ``None`` when the last are not a class scan. The analysis asks
    the text about the first three (whether the static classes apply) and
    ``_static_evidence`` about the last: one scan instead of two (1.5 against 2.8 ms
    per MB of a mixed document).
    """
    static = _static_classes(_PROBES_TRAD)
    if static is None or static.scan is None or static.scan_keepers:
        return None
    body = static.scan.pattern[1:-1]  # a class: ``[...]``
    return re.compile(f"[{KANA_HANGUL_ANY}{_STATIC_UNSAFE_QUICK_CLASS}{body}]")


def _unsafe(text: str) -> bool:
    """Whether ``text`` holds a character of ``_STATIC_UNSAFE``.

    >>> _unsafe("我们😀"), _unsafe("我们⿰"), _unsafe("𠮷")
    (False, True, True)
    """
    m = _STATIC_UNSAFE_QUICK.search(text)
    return m is not None and (
        _STATIC_UNSAFE.match(m.group()) is not None
        or _STATIC_UNSAFE.search(text, m.end()) is not None
    )


@dataclass(frozen=True, slots=True)
class _Static:
    """The static classes of one script's probes."""

    candidates: re.Pattern[str]  # every BMP candidate
    # (probe configuration, the candidates whose context it may leave unchanged, a
    # pattern of the keys that can do so, or ``None``: then every occurrence is probed)
    context: tuple[tuple[str, frozenset[str], re.Pattern[str] | None], ...]
    # One scan for every probe's occurrences: its keepers together when each probe has
    # them (a pattern that skips to the kept characters, run on the text, whose
    # protected parts OpenCC sees too), else the class of every context character (run
    # on the text with protected regions blanked); each hit is then told apart.
    scan: re.Pattern[str] | None = None
    scan_keepers: bool = False


@functools.cache
def _static_classes(probes: tuple[str, ...]) -> _Static | None:
    filters = prefilters()
    if filters is None or not all(filters.keeps_length(c) for c in probes):
        return None
    candidates = _candidate_class(probes)
    context: list[tuple[str, frozenset[str], re.Pattern[str] | None]] = []
    for config in probes:
        chars = filters.context(config)
        if chars is None:
            return None
        chars &= candidates
        if not chars:
            continue
        rows = filters.keepers(config)
        keepers = None
        if rows is not None:
            mine = [Keeper.load(row) for row in rows if row[0] in chars]  # row[0]: its char
            # The kept characters first, so that the engine skips to them at a scan's
            # speed; each alternative then checks the run around the one it met.
            runs: dict[str, set[str]] = defaultdict(set)
            for k in mine:
                runs[k.char].add(k.pattern())
            keepers = re.compile(
                "|".join(f"{re.escape(c)}(?:{'|'.join(sorted(runs[c]))})" for c in sorted(runs))
                or "(?!)"
            )
        context.append((config, chars, keepers))
    # The candidates' class (its supplementary range never matches: such text takes the
    # probes, ``_STATIC_UNSAFE``), compiled once for both uses.
    members = _candidate_regex(probes)
    if not context:
        return _Static(members, ())
    found = [k for _c, _chars, k in context]
    if all(k is not None for k in found):
        scan = re.compile("|".join(dict.fromkeys(k.pattern for k in found if k is not None)))
        return _Static(members, tuple(context), scan, scan_keepers=True)
    every = "".join(sorted(frozenset().union(*(chars for _c, chars, _k in context))))
    return _Static(members, tuple(context), re.compile(f"[{re.escape(every)}]"))


def _blanked(text: str, protection: Protection) -> str:
    """``text`` with every protected character but line breaks made a space: what the
    evidence and Han scans look at (protected text is neither), at its own offsets."""
    if not protection.spans:
        return text
    pieces: list[str] = []
    kept = 0
    for start, end in protection.spans:
        start, end = max(start, kept), max(end, kept)
        pieces.append(text[kept:start])
        pieces.append(_LINE_BREAK_OR_OTHER.sub(_space, text[start:end]))
        kept = end
    pieces.append(text[kept:])
    return "".join(pieces)


_LINE_BREAK_OR_OTHER = re.compile("[^\r\n]+")


def _space(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _static_evidence(
    text: str, free: str, static: _Static, hits: list[int] | None = None
) -> tuple[re.Pattern[str], list[int]]:
    """The class of candidates, and the sorted positions of those that are no evidence
    here: the occurrences a probe's context may leave unchanged (near one of the keys
    that can, when the probe has one conversion stage), probed as ``_all_changed``
    probes them, on their own lines. ``hits``: where ``static.scan``, a class, matches
    ``text`` (a superset of its matches in ``free``), when the caller knows."""
    if static.scan is None:
        return static.candidates, []
    excluded: set[int] = set()
    if hits is None:
        hits = [m.start() for m in static.scan.finditer(text if static.scan_keepers else free)]
    for config, chars, keepers in static.context:
        # Outside protected regions, near a keeper of this probe when it has some.
        asked = [
            i
            for i in hits
            if free[i] in chars and (keepers is None or keepers.match(text, i) is not None)
        ]
        asked = [i for i in asked if i not in excluded]
        if not asked:
            continue
        out = convert_with(config, _their_lines(text, asked))
        if len(out) == len(text):
            excluded.update(i for i in asked if out[i] == text[i])
        else:  # pragma: no cover - lengths are kept (``keeps_length``)
            changed = _changed(text, config)
            excluded.update(i for i in asked if i not in changed)
    return static.candidates, sorted(excluded)


def _has(found: tuple[re.Pattern[str], list[int]], free: str, start: int, end: int) -> bool:
    pattern, excluded = found
    m = pattern.search(free, start, end)
    if not excluded:
        return m is not None
    while m is not None and _between(excluded, m.start(), m.start() + 1):
        m = pattern.search(free, m.start() + 1, end)
    return m is not None


def _has_each(
    found: tuple[re.Pattern[str], list[int]], free: str, starts: list[int], ends: list[int]
) -> list[bool]:
    pattern, excluded = found
    if excluded:
        return [_has(found, free, s, e) for s, e in zip(starts, ends, strict=True)]
    return list(map(operator.truth, map(pattern.search, itertools.repeat(free), starts, ends)))


# Characters counted at a time by ``_StaticEvidence.totals``: a few paragraphs, so that
# the larger side stops soon after passing the smaller; per call the cost is a few µs.
TOTAL_CHUNK = 16_384


def _count(found: tuple[re.Pattern[str], list[int]], free: str, start: int, end: int) -> int:
    pattern, excluded = found
    less = bisect.bisect_left(excluded, end) - bisect.bisect_left(excluded, start)
    return len(pattern.findall(free, start, end)) - less


def _chars(found: tuple[re.Pattern[str], list[int]], free: str, start: int, end: int) -> list[str]:
    pattern, excluded = found
    if not _between(excluded, start, end):
        return pattern.findall(free, start, end)
    out = set(excluded)
    return [m.group() for m in pattern.finditer(free, start, end) if m.start() not in out]


def _between(ordered: list[int], start: int, end: int) -> list[int]:
    return ordered[bisect.bisect_left(ordered, start) : bisect.bisect_left(ordered, end)]


def _all_changed(text: str, configs: Sequence[str], protection: Protection) -> set[int]:
    """Evidence: every configuration changes the character both in context and alone,
    and the other script's character set lacks it.

    In context, so that a phrase decides (干涉 is Traditional, 干部 Simplified); alone,
    so that a phrase-table preference is no evidence (OpenCC writes 了解 as 瞭解, yet
    了解 is ordinary Traditional text); outside the other charset, because 雇 is as
    Traditional as 僱 although all three s2t* standards rewrite it.
    """
    candidates = "".join(sorted(c for c in set(text) if _is_candidate(c, configs)))
    if not candidates:
        return set()
    pattern = re.compile(f"[{re.escape(candidates)}]")
    positions = [
        m.start() for s, e in protection.free(0, len(text)) for m in pattern.finditer(text, s, e)
    ]
    filters = prefilters()
    source = text
    if positions and filters is not None and all(filters.keeps_length(c) for c in configs):
        source = _their_lines(text, positions)
    for config in configs:
        if not positions:
            break
        out = convert_with(config, source)
        if len(out) == len(text):
            positions = [i for i in positions if out[i] != text[i]]
        else:
            changed = _changed(text, config)
            positions = [i for i in positions if i in changed]
    return set(positions)


def _their_lines(text: str, positions: list[int]) -> str:
    """``text`` with the lines that hold none of ``positions`` (ascending, none a line
    break) blanked: between the kept lines, only the line breaks next to them stay.

    Each line keeps its place and length, so converting the result with a configuration
    that keeps lengths changes the kept lines exactly as converting ``text`` would
    (OpenCC converts each line on its own) and position ``i`` still means character
    ``i``, while the blanked lines cost almost nothing to convert. In a mixed document
    each script's candidates sit on about a third to a half of the lines.

    >>> _their_lines("甲\\n乙乙\\n丙\\n丁\\n戊", [0, 7])
    '甲\\n    \\n丁\\n戊'
    """
    pieces: list[str] = []
    kept = 0  # end of the text taken so far
    end = -1
    for i in positions:
        if i < end:
            continue
        start = text.rfind("\n", 0, i) + 1
        end = text.find("\n", i)
        end = len(text) if end < 0 else end
        pieces.append(_blank(text[kept:start]))
        pieces.append(text[start:end])
        kept = end
    pieces.append(_blank(text[kept:]))
    return "".join(pieces)


def _blank(gap: str) -> str:
    """A run of blanked lines: its first and last characters (the line breaks around the
    kept lines) stay, everything between becomes spaces, at C speed. What OpenCC makes
    of the blanked run is never looked at, and it keeps its length."""
    return gap if len(gap) <= 2 else gap[0] + " " * (len(gap) - 2) + gap[-1]


def _is_candidate(char: str, configs: Sequence[str]) -> bool:
    """Could ``char`` be evidence for ``configs``' source script, whatever its context?

    The static half of ``_all_changed``: a Han character that every configuration
    changes on its own and that the other script's character set lacks.
    """
    if len(char) == 1 and _BMP_HAN_FIRST <= ord(char) <= _BMP_HAN_LAST:
        return char in _candidate_class(tuple(configs))
    return (
        _HAN.match(char) is not None
        and all(_changes_alone(config, char) for config in configs)
        and not _in_charset(char, _OTHER_CHARSET[configs[0]])
    )


# The Basic Multilingual Plane part of ``HAN`` (〇, Extension A, the Unified block and
# the compatibility ideographs): about 28,000 characters, whose candidate classes cost
# about 40 ms to compute once per process. Extensions B–H (70,000 rare characters) are
# checked one at a time when met, and send the text down the full analysis.
_BMP_HAN = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_BMP_HAN_FIRST, _BMP_HAN_LAST = 0x3007, 0xFAFF
_SUPPLEMENTARY_HAN = "\U00020000-\U0003134f"


@functools.cache
def _candidate_class(configs: tuple[str, ...]) -> frozenset[str]:
    """The BMP Han characters ``_is_candidate`` accepts for ``configs``, computed once.

    Each configuration converts all the characters in one call, one per line: no OpenCC
    phrase spans a line break, so each line converts exactly as the character alone
    would (tests check this against ``_changes_alone`` character by character).
    """
    chars = [chr(i) for first, last in _BMP_HAN for i in range(first, last + 1)]
    changed = set(chars)
    for config in configs:
        converted = convert_with(config, "\n".join(chars)).split("\n")
        if len(converted) != len(chars):  # pragma: no cover - an OpenCC that adds lines
            changed &= {c for c in chars if _changes_alone(config, c)}
            continue
        changed &= {c for c, out in zip(chars, converted, strict=True) if out != c}
    other = _OTHER_CHARSET[configs[0]]
    return frozenset(c for c in changed if not _in_charset(c, other))


@functools.cache
def _candidate_regex(configs: tuple[str, ...]) -> re.Pattern[str]:
    """Any character that may be evidence for ``configs``: the BMP candidates and every
    supplementary Han character (too rare to precompute; the full analysis decides)."""
    members = "".join(sorted(_candidate_class(configs)))
    return re.compile(f"[{re.escape(members)}{_SUPPLEMENTARY_HAN}]")


# A character in the other script's common character set is an ordinary character of
# that script, whatever OpenCC prefers. Traditional: Big5's level 1, the 5,401 frequently
# used characters (常用字, bytes A440–C67E); 63 characters every s2t* standard rewrites
# are there — 雇, 于, 后, 里, 干, 范, 余. Big5's level 2 (7,652 less frequent characters)
# holds 54 more that OpenCC rewrites — 扰, 机, 网, 体, 价 — which in Chinese text are the
# Simplified forms, so they count as evidence. Simplified: GB 2312, 16 characters every
# t2s* rewrites (乾, 後, 於, 徵). Counted over U+4E00–U+9FFF with OpenCC 1.4.2.
_BIG5_LEVEL1 = "big5-level1"
_BIG5_LEVEL1_FIRST, _BIG5_LEVEL1_LAST = 0xA440, 0xC67E
_OTHER_CHARSET = {"s2t": _BIG5_LEVEL1, "t2s": "gb2312"}


@functools.cache
def _in_charset(char: str, codec: str) -> bool:
    """Whether ``codec`` (a Python codec, or ``_BIG5_LEVEL1``) has ``char``.

    >>> _in_charset("雇", _BIG5_LEVEL1), _in_charset("扰", _BIG5_LEVEL1), _in_charset("扰", "cp950")
    (True, False, True)
    """
    try:
        encoded = char.encode("cp950" if codec == _BIG5_LEVEL1 else codec)
    except UnicodeEncodeError:
        return False
    if codec == _BIG5_LEVEL1:
        return (
            len(encoded) == 2
            and _BIG5_LEVEL1_FIRST <= int.from_bytes(encoded, "big") <= _BIG5_LEVEL1_LAST
        )
    return True
