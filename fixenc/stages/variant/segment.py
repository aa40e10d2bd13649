"""Passage segmentation of the variant stage: the script-variant map of a text.

Paragraphs, split into sentences and CJK runs where a line mixes scripts, each labelled
by its evidence (``zh-Hans``, ``zh-Hant``, ``both``, ``mixed``, ``none``) and marked
Japanese or Korean when kana or hangul say so.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from fixenc.chars import CJK_PUNCT, HAN, HANGUL, KANA_HANGUL_ANY, LINE, LINE_BREAK
from fixenc.model import Options, Passage, Region, VariantLabel
from fixenc.protect import Protection
from fixenc.stages.variant.evidence import (
    _HAN,
    _STATIC_UNSAFE_QUICK_CLASS,
    _Evidence,
    _in_charset,
    _StaticEvidence,
    unusual_or_context,
)
from fixenc.stages.variant.prefilter import prefilters
from fixenc.stages.variant.vocabulary import _mainland_words

_HAN_RUN = re.compile(f"[{HAN}]+")

# Kana and Hangul: a passage containing them is Japanese or Korean, whose kanji/hanja are
# not Chinese script variants (Japanese 国 is not "Simplified").
_KANA_HANGUL = re.compile(f"[{KANA_HANGUL_ANY}]")
_KANA_HANGUL_RUN = re.compile(f"[{KANA_HANGUL_ANY}]+")
_HANGUL = re.compile(f"[{HANGUL}]")
# Kana, hangul and what the static evidence leaves to the probes, as one class.
_NOT_STATIC = re.compile(f"[{KANA_HANGUL_ANY}{_STATIC_UNSAFE_QUICK_CLASS}]")
# Sentence ends used to split a mixed line: full-width and ASCII terminators.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|$)")
# Clause ends used to split a mixed sentence further: commas, enumeration commas, colons.
_CLAUSE = re.compile(r"[^，、：,:\n]*(?:[，、：,:]+|$)")
# A run of Han characters, with the CJK punctuation and spaces between them: the unit
# inside a mixed-language line ("The word 軟體 means software"). Spaces alone do not
# split a run: "元数据 元數據" is one clause of Chinese, written with spaces.
_CJK_RUN = re.compile(f"[{HAN}](?:[{HAN}{CJK_PUNCT}]| +(?=[{HAN}]))*")

# A paragraph: lines that are not blank (``str.strip`` leaves something: ``\S`` is its
# complement, code point for code point), from a line's start. Found in C: the line
# loop it replaces cost 26 ms per MB of short paragraphs.
_PARAGRAPH = re.compile(r"(?<![^\r\n])[^\S\r\n]*\S[^\r\n]*(?:(?:\r\n|\r|\n)[^\S\r\n]*\S[^\r\n]*)*")
# The same for text without a "\r" (``.`` is any character but "\n"): half the time
# of the three kinds of break (1.2 against 2.4 ms per MB of short paragraphs).
_PARAGRAPH_LF = re.compile(r"(?<![^\n])[^\S\n]*\S.*(?:\n[^\S\n]*\S.*)*")


# --- thresholds ---------------------------------------------------------------------------
# Share of kana/hangul among CJK letters from which a paragraph (or document) is Japanese
# or Korean. Japanese prose runs 60–70% kana, kanji-dense news headlines still above 30%;
# Chinese text borrows at most a stray の (web slang for 的), far below 10%.
FOREIGN_SHARE = 0.1
# Characters counted at first by ``_is_foreign`` (then twice as many each round): a
# paragraph is one round; ``bench_pipeline``'s Japanese corpus (1 MB, 449,000
# characters, 44 % kana) settles after three rounds, a quarter of it, where counting
# everything took 2–3 times a plain scan.
SHARE_CHUNK = 16_384
# Confidence of a label with n evidence characters is n / (n + PRIOR): one deciding
# character gives 0.5, three 0.75, ten 0.91 — a Laplace-style prior of one pseudo-count
# against the label, since a single character can be a quotation or a misfire.
EVIDENCE_PRIOR = 1.0
# Evidence characters listed per passage: enough to show why, short enough to read.
EVIDENCE_MAX = 10


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    label: VariantLabel
    foreign: bool  # Japanese or Korean
    # Its paragraph holds evidence of one script at most (``_static_units``): the other
    # script's evidence need not be looked for.
    one_script: bool = False


def _label(trad: int, simp: int, han: int) -> VariantLabel:
    if han == 0:
        return "none"
    if trad and simp:
        return "mixed"
    if trad:
        return "zh-Hant"
    if simp:
        return "zh-Hans"
    return "both"


def _confidence(label: VariantLabel, trad: int, simp: int, han: int) -> float:
    if label == "none":
        return 1.0
    if label == "mixed":
        n = min(trad, simp)
    else:
        n = {"zh-Hant": trad, "zh-Hans": simp, "both": han}[label]
    return n / (n + EVIDENCE_PRIOR)


def passages(text: str, options: Options | None = None) -> tuple[Passage, ...]:
    """The script-variant map of ``text``: one ``Passage`` per run of like-labelled text.

    A paragraph (lines up to a blank line) is one passage unless its lines disagree;
    a line with both kinds of evidence is split into sentences, and a mixed sentence in a
    mixed-language line into CJK runs. Passages without evidence (``both``) join their
    neighbours.

    >>> [(p.label, p.line_start, p.evidence) for p in passages("我们是学生。\\n\\n這個很好。\\n")]
    [('zh-Hans', 1, ('们', '学')), ('zh-Hant', 3, ('這', '個'))]
    """
    return _Analysis(text, options or Options()).passages


class _Analysis:
    """Everything the stage and ``passages`` need, computed once per text."""

    def __init__(self, text: str, options: Options, *, vocabulary: bool = True) -> None:
        """``vocabulary=False``: Traditional passages are not searched for mainland
        words up front (a conversion to Simplified reports none; three OpenCC passes per
        passage), so no passage is marked ``Region.MAINLAND``; ``mainland_words`` still
        answers when asked."""
        self.text = text
        self.options = options
        self._vocabulary = vocabulary
        self.protection = Protection.of(text, options)
        # Kana or hangul ask for the paragraph-by-paragraph Japanese and Korean checks;
        # one scan tells that the text has neither, nor what the static classes leave
        # to the probes.
        static: _StaticEvidence | None = None
        unusual, trad_hits = _unusual(text)
        if unusual is None:
            static = _StaticEvidence.of(text, self.protection, safe=True, trad_hits=trad_hits)
        elif not _KANA_HANGUL.search(text, unusual.start()):
            static = _StaticEvidence.of(text, self.protection)
        self._static = static
        self.evidence: _Evidence | _StaticEvidence = static or _Evidence.of(text, self.protection)
        units = self._units() if static is None else self._static_units(static)
        # The units are the passages' spans, and their labels are the passages' (tests
        # check it): the stage builds a ``Passage`` only where it needs one.
        self.units = tuple(units)
        self._built: dict[int, Passage] = {}
        self._chars: dict[int, tuple[list[str], list[str]]] = {}

    @functools.cached_property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(self.passage(k) for k in range(len(self.units)))

    def passage(self, k: int) -> Passage:
        """The passage of unit ``k``, built once."""
        found = self._built.get(k)
        if found is None:
            found = self._built[k] = self._passage(self.units[k], self._unit_chars(k))
        return found

    def chinese(self) -> list[int]:
        """The indices of the units that are not Japanese or Korean."""
        return [k for k, u in enumerate(self.units) if not u.foreign]

    def mainland_passages(self) -> list[Passage]:
        """The passages marked ``Region.MAINLAND`` (as ``_passage`` marks them)."""
        if not self._vocabulary:
            return []
        return [
            self.passage(k)
            for k in self.chinese()
            if self.units[k].label == "zh-Hant"
            and self.mainland_words(self.units[k].start, self.units[k].end)
        ]

    def evidence_totals(self) -> tuple[int, int]:
        """(Traditional, Simplified) evidence counts summed over the Chinese passages;
        with static evidence (no Japanese or Korean passage, and every evidence
        character lies in a passage), the text's, exact but for the larger one
        (``_StaticEvidence.totals``: what a majority needs)."""
        if self._static is not None:
            return self._static.totals()
        trad = simp = 0
        for k in self.chinese():
            trad_chars, simp_chars = self._unit_chars(k)
            trad += len(trad_chars)
            simp += len(simp_chars)
        return trad, simp

    def _unit_chars(self, k: int) -> tuple[list[str], list[str]]:
        found = self._chars.get(k)
        if found is None:
            unit = self.units[k]
            if unit.one_script and self._static is not None:
                found = self._static.chars_of(unit.label, unit.start, unit.end)
            else:
                found = self.evidence.chars(self.text, unit.start, unit.end)
            self._chars[k] = found
        return found

    def _static_units(self, evidence: _StaticEvidence) -> list[_Unit]:
        """``_units`` with static evidence: a paragraph in one script (or none) is
        labelled at once, from two searches for evidence and two for Han text (the
        searches of every paragraph called through ``map``); only a paragraph with
        evidence of both scripts is labelled line by line.

        What ``_merge_units`` makes of a paragraph whose lines are all ``L``, ``both``
        or ``none``: the lines without Han before its first Han line and after its last
        one are ``none`` units, and everything between is one unit, ``L`` (``both``
        when no line has evidence).
        """
        out: list[_Unit] = []
        text, free = self.text, evidence.free
        spans = _paragraphs(text)
        starts, ends = [s for s, _e in spans], [e for _s, e in spans]
        # Each paragraph's searches, called through ``map``: no Python step per search.
        trads, simps = evidence.has_each(starts, ends)
        firsts = map(_HAN.search, itertools.repeat(free), starts, ends)
        for start, end, trad, simp, first in zip(starts, ends, trads, simps, firsts, strict=True):
            if trad and simp:
                units: list[_Unit] = []
                for m in LINE.finditer(text, start, end):
                    units += self._split(m.start(), m.start() + len(m.group().rstrip("\r\n")))
                out += _merge_units(self._foreign(units))
                continue
            if first is None:
                out.append(_Unit(start, end, "none", foreign=False))
                continue
            at = first.start()
            first_line = start if at == start else _line_start(text, start, at)
            last_end = _last_han_line_end(text, free, first_line, at, end)
            if first_line > start:
                out.append(_Unit(start, _end_before(text, first_line), "none", foreign=False))
            label: VariantLabel = "zh-Hant" if trad else "zh-Hans" if simp else "both"
            out.append(_Unit(first_line, last_end, label, False, True))  # one script
            if last_end < end:
                after = last_end + (2 if text.startswith("\r\n", last_end) else 1)
                out.append(_Unit(after, end, "none", foreign=False))
        return out

    def _units(self) -> list[_Unit]:
        out: list[_Unit] = []
        paragraph: list[_Unit] = []
        for m in LINE.finditer(self.text):
            content = m.group().rstrip("\r\n")
            if not content.strip():
                out += _merge_units(self._foreign(paragraph))
                paragraph = []
                continue
            paragraph += self._split(m.start(), m.start() + len(content))
        out += _merge_units(self._foreign(paragraph))
        return out

    def _foreign(self, units: list[_Unit]) -> list[_Unit]:
        """Mark a paragraph Japanese or Korean when it, or the whole document, is, or
        when the document has Japanese (Korean) paragraphs and every Han character of
        this one is in that language's national character set: a Japanese page's list
        of addresses (東京都新宿区, few kana) is Japanese, not "mixed" Chinese. One
        character outside that set (们, 这, 说) keeps the paragraph Chinese."""
        if not units:
            return units
        start, end = units[0].start, units[-1].end
        foreign = (
            self._document_foreign
            or _is_foreign(self.text, start, end)
            or self._foreign_neighbourhood(start, end)
        )
        if not foreign:
            return units
        # One unit per foreign paragraph: its sentences are not Chinese passages.
        whole = self._unit(units[0].start, units[-1].end)
        whole.foreign = True
        return [whole]

    @functools.cached_property
    def _document_foreign(self) -> bool:
        return _is_foreign(self.text, 0, len(self.text))

    @functools.cached_property
    def _foreign_codecs(self) -> tuple[str, ...]:
        """The national character sets of the Japanese or Korean paragraphs (by kana
        share) this document has: ``shift_jis`` (JIS X 0208), ``euc_kr`` (KS X 1001)."""
        if not _KANA_HANGUL.search(self.text):
            return ()
        codecs: dict[str, None] = {}
        for start, end in _paragraphs(self.text):
            if _is_foreign(self.text, start, end):
                codecs[_national_charset(self.text, start, end)] = None
        return tuple(codecs)

    def _foreign_neighbourhood(self, start: int, end: int) -> bool:
        """Every Han character in a foreign paragraph's character set."""
        if not self._foreign_codecs:
            return False
        han = set(_HAN.findall(self.text, start, end))
        return bool(han) and any(
            all(_in_charset(c, codec) for c in han) for codec in self._foreign_codecs
        )

    def _split(self, start: int, end: int) -> list[_Unit]:
        """One line as units: whole if it agrees with itself, else sentences, else runs."""
        unit = self._unit(start, end)
        if unit.label != "mixed":
            return [unit]
        return self._split_mixed(unit, (_SENTENCE, _CLAUSE, _CJK_RUN))

    def _split_mixed(self, unit: _Unit, patterns: tuple[re.Pattern[str], ...]) -> list[_Unit]:
        """A mixed unit split by the first pattern (sentences, then clauses, then CJK
        runs), each piece that is still mixed by the next; what stays mixed is a unit.

        A mixed clause is converted whole, so it is the smallest unit that keeps a
        converted word next to its converted neighbours.
        """
        if unit.label != "mixed" or not patterns:
            return [unit]
        pieces = [
            self._unit(m.start(), m.end())
            for m in patterns[0].finditer(self.text, unit.start, unit.end)
            if m.start() != m.end()
        ]
        if len(pieces) <= 1:
            return self._split_mixed(unit, patterns[1:])
        out: list[_Unit] = []
        for piece in pieces:
            out += self._split_mixed(piece, patterns[1:])
        return out

    def _unit(self, start: int, end: int) -> _Unit:
        # A label needs only whether each script has evidence: with static evidence two
        # searches, not the characters.
        if self._static is not None:
            has_trad, has_simp = self._static.has(start, end)
            trad, simp = int(has_trad), int(has_simp)
        else:
            trad, simp = self.evidence.counts(start, end)
        # Evidence characters are Han: the count decides only between "both" and "none".
        han = 1 if trad or simp else self._han(start, end)
        return _Unit(start, end, _label(trad, simp, han), foreign=False)

    def _passage(self, unit: _Unit, found: tuple[list[str], list[str]]) -> Passage:
        trad_chars, simp_chars = found
        trad, simp = len(trad_chars), len(simp_chars)
        # Evidence characters are Han; the count is the confidence of "both" only.
        han = 1 if trad or simp else self._han(unit.start, unit.end)
        label = _label(trad, simp, han)
        # A mixed passage lists its minority first: that is what makes it mixed.
        if label == "mixed":
            chars = simp_chars + trad_chars if simp <= trad else trad_chars + simp_chars
        else:
            chars = {"zh-Hant": trad_chars, "zh-Hans": simp_chars}.get(label, [])
        region: Region | None = None
        words: tuple[str, ...] = ()
        if unit.foreign:
            region = Region.FOREIGN
        elif label == "zh-Hant" and self._vocabulary:
            words = tuple(
                dict.fromkeys(w for _s, _e, w, _tw in self.mainland_words(unit.start, unit.end))
            )
            if words:
                region = Region.MAINLAND
        line_start, line_end = self.line_of(unit.start), self.line_of(max(unit.end - 1, unit.start))
        return Passage(
            start=unit.start,
            end=unit.end,
            line_start=line_start,
            line_end=line_end,
            label=label,
            confidence=_confidence(label, trad, simp, han),
            evidence=tuple(dict.fromkeys(chars))[:EVIDENCE_MAX],
            region=region,
            words=words,
        )

    def _han(self, start: int, end: int) -> int:
        """Han characters in ``[start, end)`` outside protected regions.

        Counted from the runs of Han characters found once per text: every line is
        counted as a unit and again inside its passage, and a scan per count was a
        fifth of the analysis.
        """
        if self._static is not None:  # protected text is blank there
            return sum(map(len, _HAN_RUN.findall(self._static.free, start, end)))
        if not self.protection.spans:  # one free piece: the range itself
            return self._han_before(end) - self._han_before(start)
        return sum(
            self._han_before(e) - self._han_before(s) for s, e in self.protection.free(start, end)
        )

    def _han_before(self, offset: int) -> int:
        """Han characters in ``[0, offset)``."""
        runs = self._han_runs
        j = bisect.bisect_right(runs.starts, offset) - 1
        if j < 0:
            return 0
        return runs.before[j] + min(offset, runs.ends[j]) - runs.starts[j]

    @functools.cached_property
    def _han_runs(self) -> _Runs:
        return _Runs.of(_HAN_RUN, self.text)

    def line_of(self, offset: int) -> int:
        """The 1-based line of ``offset`` (as ``chars.LineIndex`` counts lines)."""
        return bisect.bisect_right(self._line_starts, offset)

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        """Where each line starts; built when a passage first asks. Without a "\r",
        from the lengths of the lines that ``str.split`` cuts (in C), about a third of
        a regex walk over the breaks."""
        if "\r" in self.text:
            return [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
        return list(
            itertools.accumulate((len(line) + 1 for line in self.text.split("\n")), initial=0)
        )[:-1]

    def mainland_words(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """Mainland words inside ``[start, end)``: (start, end, word, Taiwan word).

        Looked up per passage, and only for the passages that ask (Traditional ones):
        the lookup costs three OpenCC passes, wasted on the Simplified part of a mixed
        document.
        """
        key = (start, end)
        words = self._words.get(key)
        if words is None:
            if self._no_mainland_line(start, end):
                words = []
            else:
                words = _mainland_words(self.text, self.protection, start, end)
            self._words[key] = words
        return words

    def _no_mainland_line(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` is a Traditional passage in none of whose lines the
        prefilter finds a string that can be a mainland word: then ``_mainland_words``
        finds none there either (each line it looks at is part of one of those), and
        one pass over all Traditional passages replaces one per passage."""
        return (start, end) in self._without_mainland_lines

    @functools.cached_property
    def _without_mainland_lines(self) -> frozenset[tuple[int, int]]:
        filters = prefilters()
        if filters is None:
            return frozenset()
        spans = [(u.start, u.end) for u in self.units if u.label == "zh-Hant" and not u.foreign]
        # Joined by line breaks, each passage keeps its own lines (OpenCC and the
        # prefilter read line by line).
        starts = list(itertools.accumulate((e - s + 1 for s, e in spans), initial=0))
        found = filters.mainland_lines("\n".join(self.text[s:e] for s, e in spans))
        flagged = {bisect.bisect_right(starts, line_start) - 1 for line_start, _e in found}
        return frozenset(span for k, span in enumerate(spans) if k not in flagged)

    @functools.cached_property
    def _words(self) -> dict[tuple[int, int], list[tuple[int, int, str, str]]]:
        return {}


def _unusual(text: str) -> tuple[re.Match[str] | None, list[int] | None]:
    """The first character of ``_NOT_STATIC`` in ``text``, and when there is none, where
    the Traditional context characters stand (``evidence.unusual_or_context``: one
    scan for both, which are rare; ``None`` when not known)."""
    merged = unusual_or_context()
    if merged is None:
        return _NOT_STATIC.search(text), None
    hits: list[int] = []
    for m in merged.finditer(text):
        if _NOT_STATIC.match(text, m.start()) is not None:
            return m, None
        hits.append(m.start())  # not one of ``_NOT_STATIC``: a context character
    return None, hits


@dataclass(frozen=True, slots=True)
class _Runs:
    """The maximal runs a pattern matches, with the total length of the runs before each."""

    starts: list[int]
    ends: list[int]
    before: list[int]

    @classmethod
    def of(cls, pattern: re.Pattern[str], text: str) -> _Runs:
        spans = [m.span() for m in pattern.finditer(text)]
        before = [0, *itertools.accumulate(e - s for s, e in spans)][:-1] if spans else []
        return cls([s for s, _ in spans], [e for _, e in spans], before)


def _is_foreign(text: str, start: int, end: int) -> bool:
    """Kana or hangul make up at least ``FOREIGN_SHARE`` of the CJK letters here.

    Counted in chunks of growing size (``SHARE_CHUNK``), stopping as soon as the rest of
    the range cannot change the answer: whatever its characters are, the share ends up
    between ``kana / (kana + han + rest)`` and ``(kana + rest) / (kana + han + rest)``.
    A whole Japanese or Korean document settles after a fraction of it. Once a chunk
    reads as Chinese, the kana of the whole rest are counted at once (one scan that
    finds few runs), and the Han characters then only until there are too many of them:
    a Chinese document with a few Japanese paragraphs settles early too.

    Han characters are counted only once their count could settle something: while the
    kana are ``FOREIGN_SHARE`` of all the characters read, no count of Han can say no
    (the kana are that share of the letters too), and yes is settled without one when
    the kana are that share of the whole range, or cannot be even with no Han at all. A
    Japanese document is then one count of its kana over a quarter of it (the Han count
    of that quarter was 2 ms per MB, issue 12).

    >>> _is_foreign("東京の天気", 0, 5), _is_foreign("我の" + "中文" * 20, 0, 42)
    (True, False)
    """
    if _KANA_HANGUL.search(text, start, end) is None:
        return False
    kana = han = 0
    counted = start  # Han characters are counted in [start, counted)
    total: int | None = None  # the kana of the whole range, once counted
    pos, size = start, SHARE_CHUNK
    while True:
        stop = min(end, pos + size)
        if total is None:
            kana += _letters(_KANA_HANGUL_RUN, text, pos, stop)
        pos, size = stop, size * 2
        rest = end - pos
        if total is None and kana >= FOREIGN_SHARE * (pos - start):
            # kana + han + rest <= end - start: the share is at least kana / (end - start)
            if kana >= FOREIGN_SHARE * (end - start):
                return True
            if kana < FOREIGN_SHARE * (kana + rest):
                continue  # no count of Han could say yes yet either (rest > 0 here)
        han += _letters(_HAN_RUN, text, counted, pos)
        counted = pos
        if total is None:
            if kana and kana / (kana + han + rest) >= FOREIGN_SHARE:
                return True
            if not rest or (kana + rest) / (kana + han + rest) < FOREIGN_SHARE:
                return False
            if han and kana / (kana + han) < FOREIGN_SHARE:
                total = kana + _letters(_KANA_HANGUL_RUN, text, pos, end)
        if total is not None:  # the share is total / (total + Han), Han to be bounded
            if total / (total + han) < FOREIGN_SHARE:
                return False
            if total / (total + han + rest) >= FOREIGN_SHARE:
                return True


def _letters(runs: re.Pattern[str], text: str, start: int, end: int) -> int:
    """How many characters the runs of ``runs`` in ``[start, end)`` hold (a run is one
    match: fewer objects than one per character, 2–3× faster)."""
    return sum(map(len, runs.findall(text, start, end)))


def _national_charset(text: str, start: int, end: int) -> str:
    """The national character set of a Japanese or Korean paragraph, as a codec: KS X
    1001 (``euc_kr``) when it holds hangul, else JIS X 0208 (``shift_jis``)."""
    return "euc_kr" if _HANGUL.search(text, start, end) is not None else "shift_jis"


def _merge_units(units: list[_Unit]) -> list[_Unit]:
    """Join neighbours of one paragraph that agree; ``both``/``none`` join a neighbour.

    Lines without Han before the paragraph's first Han line and after its last are a
    ``none`` unit of their own: one name in a long English paragraph (a changelog's 张)
    makes that line a passage, not the whole paragraph.

    >>> [(u.start, u.end, u.label) for u in _merge_units([
    ...     _Unit(0, 5, "none", False), _Unit(6, 8, "zh-Hans", False), _Unit(9, 12, "none", False)])]
    [(0, 5, 'none'), (6, 8, 'zh-Hans'), (9, 12, 'none')]
    """
    han = [k for k, u in enumerate(units) if u.label != "none"]
    if not han or (han[0] == 0 and han[-1] == len(units) - 1):
        return _merge_han_units(units)
    first, last = han[0], han[-1]
    out = [_none(units[:first])] if first else []
    out += _merge_han_units(units[first : last + 1])
    return out + ([_none(units[last + 1 :])] if last + 1 < len(units) else [])


def _none(units: list[_Unit]) -> _Unit:
    return _Unit(units[0].start, units[-1].end, "none", any(u.foreign for u in units))


def _merge_han_units(units: list[_Unit]) -> list[_Unit]:
    """``_merge_units`` for units that start and end with Han text."""
    if not units:
        return []
    labelled = [u for u in units if u.label not in ("both", "none")]
    if not labelled:
        han = any(u.label == "both" for u in units)
        return [
            _Unit(
                units[0].start,
                units[-1].end,
                "both" if han else "none",
                any(u.foreign for u in units),
            )
        ]
    out: list[_Unit] = []
    pending_start: int | None = None  # start of leading unlabelled units
    for unit in units:
        if unit.label in ("both", "none"):
            if out:
                out[-1].end = unit.end
                out[-1].foreign |= unit.foreign
            elif pending_start is None:
                pending_start = unit.start
            continue
        if out and out[-1].label == unit.label:
            out[-1].end = unit.end
            out[-1].foreign |= unit.foreign
            continue
        start = pending_start if pending_start is not None and not out else unit.start
        out.append(_Unit(start, unit.end, unit.label, unit.foreign))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph, as ``_Analysis`` sees them: lines up to a
    blank line, from the first line's start to the last line's end before its break.

    >>> _paragraphs("一\\n二\\n\\n三\\r\\n")
    [(0, 3), (5, 6)]
    """
    pattern = _PARAGRAPH if "\r" in text else _PARAGRAPH_LF
    return [m.span() for m in pattern.finditer(text)]


def _line_start(text: str, first: int, pos: int) -> int:
    """Where the line holding ``pos`` starts, looking back no further than ``first``
    (a paragraph's start: ``chars.line_start`` may scan the whole text for a "\r")."""
    return max(text.rfind("\n", first, pos), text.rfind("\r", first, pos), first - 1) + 1


def _last_han_line_end(text: str, free: str, first: int, at: int, end: int) -> int:
    """Where the last line of ``[first, end)`` holding a Han character of ``free``
    ends (``at`` is one, on the first line), walking back line by line.

    Each break is looked for once: a line break kind found before is looked for again
    only below it, and one missing from the paragraph never again, so a paragraph of
    many lines without Han after its first is walked in one pass, not one per line.
    """
    cr, lf = text.rfind("\r", first, end), text.rfind("\n", first, end)
    last_end = end
    while True:
        line = max(cr, lf) + 1
        # The first Han character's line has Han; a later last line is searched.
        if line <= at or _HAN.search(free, line, last_end) is not None:
            return last_end
        last_end = _end_before(text, line)
        if cr >= last_end:
            cr = text.rfind("\r", first, last_end)
        if lf >= last_end:
            lf = text.rfind("\n", first, last_end)


def _end_before(text: str, start: int) -> int:
    """Where the line before the one starting at ``start`` ends, before its break."""
    return start - (2 if text.startswith("\r\n", start - 2) else 1)
