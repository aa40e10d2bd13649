"""Stage: convert script variant — per-passage detection and phrase-aware conversion.

Runs after pinyin-noise removal, so that OpenCC's phrase matching sees whole words;
OpenCC itself is reached through ``fixenc.convert``, and what each target converts is a
row of ``fixenc.targets``.

Detection. Each passage (a paragraph; a sentence or CJK run where a line is mixed) is
labelled ``zh-Hans``, ``zh-Hant``, ``both`` (no distinguishing characters, e.g. 中文),
``mixed`` or ``none`` (no Han). A character is *Simplified evidence* only when every
Simplified→Traditional standard (OpenCC's ``s2t``, Taiwan's ``s2tw``, Hong Kong's
``s2hk``) would change it in context, and *Traditional evidence* only when every
Traditional→Simplified direction (``t2s``, ``tw2s``, ``hk2s``) would. Probing with
``s2t`` alone calls ordinary Traditional characters (吃, 群, 床) Simplified, because
OpenCC's own standard prefers 喫, 羣, 牀. The character must also change on its own
(OpenCC's phrase 了解→瞭解 is no evidence against 了) and be missing from the other
script's national character set (雇 is in Big5, so it is Traditional too). Kana or
hangul mark a paragraph or document as Japanese or Korean, never converted.

Regional hints. OpenCC's Taiwan phrase table maps mainland words to Taiwan ones
(软件→軟體, 信息→資訊). Traditional text that still carries the mainland word
(軟件) was very likely machine-converted from Simplified; that is reported, and it
steers the choice of the Traditional→Simplified configuration.

Conversion. A passage already in the target variant is never converted (``s2t`` on
Traditional rewrites 雇→僱 and 天文台→天文臺). Targets: ``zh-Hans`` (``t2s``, ``tw2s`` or
``hk2s`` by the passage's standard); ``zh-Hant`` (``s2t`` where all three Traditional
standards agree a character must change); ``zh-TW`` (``s2twp``, Taiwan phrases; ``t2tw``
for Traditional passages); ``zh-HK`` (``s2hk``; ``t2hk``). A mixed passage is converted
only at its evidence characters, so its correct part is left alone; a passage without
evidence follows its document when the document is in one variant. Every replaced span
is its own ``Change`` whose steps replay it with the OpenCC configuration that produced
it.

Turn it off with target ``keep`` (the default): then mixed documents and mainland
vocabulary in Traditional text are only reported.

Speed. Whether a character *can* be evidence does not depend on its context, so the
candidates of each script are computed once per process as two character classes; one
regex scan per class proves most clean documents need nothing (``_nothing_to_do``), and
only the rest pays for the full per-passage analysis. Clean Traditional text still pays
for the mainland-vocabulary lookup (three OpenCC passes): the binding does not expose
OpenCC's phrase table, so no cheaper test is known to find every word that lookup finds.

>>> from fixenc.model import Context, Options
>>> out = stage("他们的软件\\n", Context(Options(target="zh-TW")))
>>> [(c.before, c.after, c.steps[0].arg) for c in out.changes]
[('们', '們', 's2twp'), ('软件', '軟體', 's2twp')]
>>> stage("他們的軟體\\n", Context(Options(target="zh-Hant"))) is None
True
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fixenc.chars import CJK_PUNCT, HAN, KANA_HANGUL_ANY, LINE, LineIndex
from fixenc.convert import convert_with
from fixenc.model import (
    Candidate,
    Change,
    Context,
    Finding,
    Kind,
    Op,
    Options,
    Passage,
    Region,
    StageOutput,
    Step,
    VariantLabel,
)
from fixenc.protect import Protection
from fixenc.targets import TO_SIMPLIFIED, Standard, TargetSpec, spec

# --- character classes ------------------------------------------------------------------
_HAN = re.compile(f"[{HAN}]")
_HAN_RUN = re.compile(f"[{HAN}]+")
# Kana and Hangul: a passage containing them is Japanese or Korean, whose kanji/hanja are
# not Chinese script variants (Japanese 国 is not "Simplified").
_KANA_HANGUL = re.compile(f"[{KANA_HANGUL_ANY}]")
# Sentence ends used to split a mixed line: full-width and ASCII terminators.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|$)")
# A run of Han characters and the CJK punctuation between them: the unit inside a
# mixed-language line ("The word 軟體 means software").
_CJK_RUN = re.compile(f"[{HAN}][{HAN}{CJK_PUNCT}]*")

# --- thresholds ---------------------------------------------------------------------------
# Share of kana/hangul among CJK letters from which a paragraph (or document) is Japanese
# or Korean. Japanese prose runs 60–70% kana, kanji-dense news headlines still above 30%;
# Chinese text borrows at most a stray の (web slang for 的), far below 10%.
FOREIGN_SHARE = 0.1
# Confidence of a label with n evidence characters is n / (n + PRIOR): one deciding
# character gives 0.5, three 0.75, ten 0.91 — a Laplace-style prior of one pseudo-count
# against the label, since a single character can be a quotation or a misfire.
EVIDENCE_PRIOR = 1.0
# Evidence characters listed per passage: enough to show why, short enough to read.
EVIDENCE_MAX = 10
# A mainland word in Traditional text is a hint, not proof: OpenCC's Taiwan phrase table
# also maps words that Taiwan uses too (項目→專案), so one hit is reported at 0.5 and the
# confidence grows with the count like the label confidence.
VOCABULARY_PRIOR = 1.0
# Widening a change that does not replay on its own (a phrase needs its neighbour):
# OpenCC's phrase keys are at most a few characters, so a few steps either side suffice.
REPLAY_WIDEN_MAX = 4

_PROBES_TRAD = ("t2s", "tw2s", "hk2s")
_PROBES_SIMP = ("s2t", "s2tw", "s2hk")


# Equal-length conversions are compared chunk by chunk (string equality runs in C) and
# character by character only inside differing chunks; 256 is a few lines of prose.
_CHUNK = 256


def _changed(text: str, config: str) -> set[int]:
    """The positions of ``text`` that ``config`` would change, in context."""
    out = convert_with(config, text)
    if out == text:
        return set()
    if len(out) == len(text):
        positions: set[int] = set()
        for base in range(0, len(text), _CHUNK):
            a, b = text[base : base + _CHUNK], out[base : base + _CHUNK]
            if a != b:
                positions.update(base + i for i in range(len(a)) if a[i] != b[i])
        return positions
    return {i for i1, i2, _j1, _j2 in _diff(text, out) for i in range(i1, i2)}


# Characters no OpenCC configuration rewrites: line breaks and CJK sentence punctuation.
# Two texts split at them line up piece by piece, which keeps every diff small (difflib is
# quadratic in the length it is given).
_ANCHOR = re.compile("([\r\n。！？，；])")


def _diff(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The differing (i1, i2, j1, j2) spans of ``a`` and its conversion ``b``."""
    a_parts, b_parts = _ANCHOR.split(a), _ANCHOR.split(b)
    if len(a_parts) != len(b_parts):
        a_parts, b_parts = [a], [b]
    spans: list[tuple[int, int, int, int]] = []
    i = j = 0
    for x, y in zip(a_parts, b_parts, strict=True):
        if x != y:
            if len(x) == len(y):
                k = 0
                while k < len(x):
                    if x[k] == y[k]:
                        k += 1
                        continue
                    m = k
                    while m < len(x) and x[m] != y[m]:
                        m += 1
                    spans.append((i + k, i + m, j + k, j + m))
                    k = m
            else:
                matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
                spans += [
                    (i + i1, i + i2, j + j1, j + j2)
                    for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                    if tag != "equal"
                ]
        i += len(x)
        j += len(y)
    return spans


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
    for config in configs:
        if not positions:
            break
        out = convert_with(config, text)
        if len(out) == len(text):
            positions = [i for i in positions if out[i] != text[i]]
        else:
            changed = _changed(text, config)
            positions = [i for i in positions if i in changed]
    return set(positions)


@functools.cache
def _changes_alone(config: str, char: str) -> bool:
    return convert_with(config, char) != char


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


# A character in the other script's national character set is an ordinary character of
# that script, whatever OpenCC prefers: 117 characters every s2t* standard rewrites are
# in Big5 (cp950) — 雇, 于, 后, 里, 干, 范, 余 — and 16 that every t2s* rewrites are in
# GB 2312 (乾, 後, 於, 徵). Counted over U+4E00–U+9FFF with OpenCC 1.4.2.
_OTHER_CHARSET = {"s2t": "cp950", "t2s": "gb2312"}


@functools.cache
def _in_charset(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


# --- passages ----------------------------------------------------------------------------
@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    label: VariantLabel
    foreign: bool  # Japanese or Korean


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

    def __init__(self, text: str, options: Options) -> None:
        self.text = text
        self.options = options
        self.protection = Protection.of(text, options)
        self.evidence = _Evidence.of(text, self.protection)
        self._lines = LineIndex(text)
        units = self._units()
        self.passages = tuple(self._passage(u) for u in units)

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
        """Mark a paragraph Japanese or Korean when it, or the whole document, is."""
        foreign = self._document_foreign or (
            bool(units) and _is_foreign(self.text, units[0].start, units[-1].end)
        )
        if not foreign or not units:
            return units
        # One unit per foreign paragraph: its sentences are not Chinese passages.
        whole = self._unit(units[0].start, units[-1].end)
        whole.foreign = True
        return [whole]

    @functools.cached_property
    def _document_foreign(self) -> bool:
        return _is_foreign(self.text, 0, len(self.text))

    def _split(self, start: int, end: int) -> list[_Unit]:
        """One line as units: whole if it agrees with itself, else sentences, else runs."""
        unit = self._unit(start, end)
        if unit.label != "mixed":
            return [unit]
        pieces: list[_Unit] = []
        for s in _SENTENCE.finditer(self.text, start, end):
            if s.start() == s.end():
                continue
            sentence = self._unit(s.start(), s.end())
            if sentence.label == "mixed":
                runs = [
                    self._unit(r.start(), r.end())
                    for r in _CJK_RUN.finditer(self.text, s.start(), s.end())
                ]
                if len(runs) > 1:
                    pieces += runs
                    continue
            pieces.append(sentence)
        return pieces

    def _unit(self, start: int, end: int) -> _Unit:
        trad, simp = self.evidence.counts(start, end)
        han = self._han(start, end)
        return _Unit(start, end, _label(trad, simp, han), foreign=False)

    def _passage(self, unit: _Unit) -> Passage:
        trad, simp = self.evidence.counts(unit.start, unit.end)
        han = self._han(unit.start, unit.end)
        label = _label(trad, simp, han)
        trad_chars, simp_chars = self.evidence.chars(self.text, unit.start, unit.end)
        # A mixed passage lists its minority first: that is what makes it mixed.
        chars = {
            "zh-Hant": trad_chars,
            "zh-Hans": simp_chars,
            "mixed": simp_chars + trad_chars if simp <= trad else trad_chars + simp_chars,
        }.get(label, [])
        region: Region | None = None
        words: tuple[str, ...] = ()
        if unit.foreign:
            region = Region.FOREIGN
        elif label == "zh-Hant":
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
        return self._lines.position(offset)[0]

    @functools.cached_property
    def _vocabulary(self) -> list[tuple[int, int, str, str]]:
        return list(_mainland_words(self.text, self.protection))

    def mainland_words(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """Mainland words inside ``[start, end)``: (start, end, word, Taiwan word)."""
        # The words are sorted and do not overlap (``_mainland_words``), so their starts
        # and ends both ascend: bisect instead of scanning every word for every passage.
        words = self._vocabulary
        if not words:
            return []
        first = bisect.bisect_left(self._vocabulary_starts, start)
        out: list[tuple[int, int, str, str]] = []
        for v in words[first:]:
            if v[0] >= end:
                break
            if v[1] <= end:
                out.append(v)
        return out

    @functools.cached_property
    def _vocabulary_starts(self) -> list[int]:
        return [v[0] for v in self._vocabulary]


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

    >>> _is_foreign("東京の天気", 0, 5), _is_foreign("我の" + "中文" * 20, 0, 42)
    (True, False)
    """
    kana = len(_KANA_HANGUL.findall(text, start, end))
    if not kana:
        return False
    return kana / (kana + len(_HAN.findall(text, start, end))) >= FOREIGN_SHARE


def _merge_units(units: list[_Unit]) -> list[_Unit]:
    """Join neighbours of one paragraph that agree; ``both``/``none`` join a neighbour."""
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


# --- regional vocabulary -----------------------------------------------------------------
def _mainland_words(text: str, protection: Protection) -> list[tuple[int, int, str, str]]:
    """Mainland words in Traditional text, found through OpenCC's Taiwan phrase table.

    ``s2tw`` and ``s2twp`` differ only by that table, so where they disagree on the
    Simplified form of the text, the text holds a word the table maps to Taiwan usage.
    Each hit widens to the shortest span that triggers the phrase on its own, i.e. the
    word itself.
    """
    out: list[tuple[int, int, str, str]] = []
    for start, end in protection.free(0, len(text)):
        piece = text[start:end]
        if not _HAN.search(piece):
            continue
        simplified = convert_with("t2s", piece)
        plain = convert_with("s2tw", simplified)
        phrased = convert_with("s2twp", simplified)
        if plain == phrased or len(plain) != len(piece):
            continue
        for i1, i2, _j1, _j2 in _diff(plain, phrased):
            word = _phrase_around(piece, i1, i2)
            if word is None:
                continue
            s, e = word
            if out and out[-1][1] > start + s:
                continue  # one phrase can yield several diff opcodes
            taiwan = convert_with("s2twp", convert_with("t2s", piece[s:e]))
            out.append((start + s, start + e, piece[s:e], taiwan))
    return out


def _phrase_around(text: str, i1: int, i2: int) -> tuple[int, int] | None:
    for extra in range(REPLAY_WIDEN_MAX + 1):
        for left in range(extra + 1):
            s, e = i1 - left, i2 + extra - left
            if s < 0 or e > len(text) or e - s < 2:
                continue
            word = text[s:e]
            simplified = convert_with("t2s", word)
            if convert_with("s2tw", simplified) != convert_with("s2twp", simplified):
                return s, e
    return None


# --- conversion --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Plan:
    """How to convert one passage: a configuration, and whether only evidence moves."""

    config: str
    restricted: bool  # only evidence characters may change (mixed passages)
    why: str
    # With ``restricted``: a configuration whose changes are also allowed — the regional
    # variant normalisation (t2tw, t2hk) a Traditional passage would get, so that the
    # result needs nothing on a second run.
    variants: str | None = None
    # Without ``restricted``: only positions every one of these configurations changes
    # may change — the common core of several standards.
    consensus: tuple[str, ...] = ()


def _document_label(found: Sequence[Passage]) -> VariantLabel | None:
    """The document's variant when every Chinese passage with evidence agrees.

    A passage without evidence (a heading 里面, a line 於是) is in the variant of its
    document, so it converts along with it; in a mixed document it stays as it is.
    """
    labels = {p.label for p in found if p.region is not Region.FOREIGN} - {"both", "none"}
    return labels.pop() if len(labels) == 1 and labels <= {"zh-Hans", "zh-Hant"} else None


def _plan(
    analysis: _Analysis, passage: Passage, target: TargetSpec, document: VariantLabel | None
) -> _Plan | None:
    """How ``target`` converts ``passage`` (its row of ``fixenc.targets``), or ``None``."""
    label = passage.label
    if label == "both" and document is not None:
        label = document
    if label in ("both", "none") or not target.converts:
        return None
    text = analysis.text[passage.start : passage.end]
    if label == "zh-Hant":
        if not target.traditional:
            return None
        config = _by_standard(target.traditional, text, passage)
        if target.script == "zh-Hans":
            return _Plan(config, False, f"Traditional → {target.short}")
        # Already Traditional: only normalise character variants to the regional standard.
        return _Plan(config, False, f"Traditional variants → {target.name} standard")
    if label == "mixed":
        if target.mixed is None:
            return None
        if isinstance(target.mixed, str):
            return _Plan(target.mixed, True, f"Simplified → {target.short}", target.mixed_variants)
        config = _by_standard(target.mixed, text, passage)
        return _Plan(config, True, f"Traditional → {target.short}")
    if target.simplified is None:
        return None
    why = f"Simplified → {target.short}"
    return _Plan(target.simplified, False, why, consensus=target.consensus)


def _by_standard(configs: Mapping[Standard, str], text: str, passage: Passage) -> str:
    """The configuration for the standard ``text`` follows (told only when it matters)."""
    if len(set(configs.values())) == 1:
        return next(iter(configs.values()))
    return configs[_standard(text, passage)]


def _standard(text: str, passage: Passage) -> Standard:
    """The Traditional standard the passage's characters follow.

    A character decides for Taiwan when converting the passage to Simplified and back
    with the Taiwan standard reproduces it but OpenCC's standard does not (裡, 群, 著);
    likewise for Hong Kong. Mainland vocabulary means the text came from Simplified via
    OpenCC's own standard.

    >>> _standard("裡面很著急", Passage(0, 5, 1, 1, "zh-Hant", 0.5))
    'taiwan'
    """
    if passage.region is Region.MAINLAND:
        return "opencc"
    trips: tuple[tuple[Standard, str], ...] = (
        ("opencc", "s2t"),
        ("taiwan", "s2tw"),
        ("hongkong", "s2hk"),
    )
    back = {
        name: convert_with(_from, convert_with(TO_SIMPLIFIED[name], text)) for name, _from in trips
    }
    if any(len(v) != len(text) for v in back.values()):
        return "opencc"
    score = {
        name: sum(
            1 for c, b, o in zip(text, back[name], back["opencc"], strict=True) if c == b != o
        )
        for name in ("taiwan", "hongkong")
    }
    if score["taiwan"] > score["hongkong"]:
        return "taiwan"
    if score["hongkong"] > score["taiwan"]:
        return "hongkong"
    return "opencc"


def _convert_piece(
    analysis: _Analysis, start: int, end: int, plan: _Plan, reason: str, confidence: float
) -> list[Change]:
    piece = analysis.text[start:end]
    out = convert_with(plan.config, piece)
    if out == piece:
        return []
    spans: list[tuple[int, int, str]]
    if len(out) == len(piece):
        allowed = _allowed(analysis, start, piece, plan)
        spans = []
        i = 0
        while i < len(piece):
            if piece[i] != out[i] and (allowed is None or i in allowed):
                j = i
                while j < len(piece) and piece[j] != out[j] and (allowed is None or j in allowed):
                    j += 1
                spans.append((i, j, out[i:j]))
                i = j
            else:
                i += 1
    elif plan.restricted or plan.consensus:
        return []  # cannot align a length-changing conversion with per-character choices
    else:
        spans = [(i1, i2, out[j1:j2]) for i1, i2, j1, j2 in _diff(piece, out)]
    changes: list[Change] = []
    floor = 0
    for n, (i, j, after) in enumerate(spans):
        ceiling = spans[n + 1][0] if n + 1 < len(spans) else len(piece)
        i, j, after, replays = _replayable(piece, (i, j), after, plan.config, (floor, ceiling))
        changes.append(
            Change(
                kind=Kind.VARIANT,
                start=start + i,
                end=start + j,
                before=piece[i:j],
                after=after,
                reason=reason,
                confidence=confidence,
                steps=(Step(Op.OPENCC, plan.config),) if replays else (Step(Op.REPLACE, after),),
            )
        )
        floor = j
    return changes


def _allowed(analysis: _Analysis, start: int, piece: str, plan: _Plan) -> set[int] | None:
    """The positions of ``piece`` the plan may change; ``None`` for all of them."""
    if plan.restricted:
        evidence = {i for i in range(len(piece)) if start + i in analysis.evidence.trad} | {
            i for i in range(len(piece)) if start + i in analysis.evidence.simp
        }
        return evidence | (_changed(piece, plan.variants) if plan.variants else set())
    if plan.consensus:
        agreed = _changed(piece, plan.consensus[0])
        for config in plan.consensus[1:]:
            agreed &= _changed(piece, config)
        return agreed
    return None


def _replayable(
    piece: str, span: tuple[int, int], after: str, config: str, bounds: tuple[int, int]
) -> tuple[int, int, str, bool]:
    """Widen a span over unchanged neighbours until ``config`` replays it on its own.

    A phrase conversion may need its neighbours (``s2t`` turns 发 alone into 發, but 头发
    into 頭髮); widening, within ``bounds`` (the neighbouring changes), keeps the change
    self-contained. Gives up after ``REPLAY_WIDEN_MAX`` steps and says so.

    >>> _replayable("理发", (1, 2), "髮", "s2t", (0, 2))
    (0, 2, '理髮', True)
    """
    i, j = span
    if convert_with(config, piece[i:j]) == after:
        return i, j, after, True
    floor, ceiling = bounds
    for extra in range(1, REPLAY_WIDEN_MAX + 1):
        for left in range(extra + 1):
            s, e = i - left, j + extra - left
            if s < floor or e > ceiling:
                continue
            widened = piece[s:i] + after + piece[j:e]
            if convert_with(config, piece[s:e]) == widened:
                return s, e, widened, True
    return i, j, after, False


# --- the stage ---------------------------------------------------------------------------
def stage(text: str, context: Context) -> StageOutput | None:
    """Convert passages to ``options.target``; report mixed documents and regional hints.

    Returns ``None`` after one regex scan when the text has no Han characters, or when
    the caller says the text is Japanese or Korean; after one or two more regex scans
    when no character of the text can be evidence that matters for the target (see
    ``_nothing_to_do``); clean Traditional text under ``keep`` or ``zh-Hant`` also pays
    the mainland-vocabulary lookup. Everything else takes the full analysis.
    """
    options = context.options
    if not _HAN.search(text) or options.lang in ("ja", "ko"):
        return None
    if _nothing_to_do(text, options):
        return None
    return _full_stage(text, options)


def _nothing_to_do(text: str, options: Options) -> bool:
    """The fast path: True when the full analysis would provably find nothing.

    Evidence characters are a subset of two static character classes, so one regex scan
    per class tells which labels can occur at all. Without Traditional evidence there is
    no zh-Hant or mixed passage, hence nothing to convert to Simplified, no mixed document
    and no mainland vocabulary. Without Simplified evidence there is no zh-Hans or mixed
    passage, hence nothing for a target without a Traditional normalisation to convert
    and no mixed document to report; what remains is mainland vocabulary, looked up
    directly.

    Targets with a regional standard (``zh-TW``, ``zh-HK``) also normalise each
    Traditional passage (``t2tw``, ``t2hk``). Without Simplified evidence no line is
    split, so a passage is whole lines; without a protected region its pieces are those
    lines; and OpenCC never matches across a line break (its dictionaries are line-based
    text, so no key holds one). So when the whole text converts to itself, every piece
    does too (one pass at about 170 MB/s).
    """
    target = spec(options.target)
    trad = _candidate_regex(_PROBES_TRAD).search(text) is not None
    if not trad:
        if target.simplified is None:
            return True
        return _candidate_regex(_PROBES_SIMP).search(text) is None
    if target.script == "zh-Hans" or _candidate_regex(_PROBES_SIMP).search(text) is not None:
        return False
    protection = Protection.of(text, options)
    normalisations = set(target.traditional.values())
    if normalisations and (
        protection.spans or any(convert_with(config, text) != text for config in normalisations)
    ):
        return False
    return not _mainland_words(text, protection)


def _full_stage(text: str, options: Options) -> StageOutput | None:
    """The stage without the fast path: the whole analysis (tests compare the two)."""
    analysis = _Analysis(text, options)
    document = _document_label(analysis.passages)
    changes: list[Change] = []
    findings: list[Finding] = []
    target = spec(options.target)
    for passage in analysis.passages:
        if passage.region is Region.FOREIGN:
            continue
        plan = _plan(analysis, passage, target, document)
        if plan is None:
            continue
        reason = (
            f"{plan.why} (OpenCC {plan.config}): passage at lines {passage.line_start}–"
            f"{passage.line_end} "
            + (
                f"is {passage.label}"
                if passage.label != "both"
                else f"has no distinguishing characters and follows the {document} document"
            )
            + (f", deciding {''.join(passage.evidence)}" if passage.evidence else "")
            + (
                "; only its Simplified/Traditional-only characters converted"
                if plan.restricted
                else ""
            )
        )
        for start, end in analysis.protection.free(passage.start, passage.end):
            changes += _convert_piece(analysis, start, end, plan, reason, passage.confidence)
    if target.script != "zh-Hans":
        findings += _vocabulary_findings(analysis)
    if not target.converts:
        findings += _mixed_findings(analysis)
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))


def _vocabulary_findings(analysis: _Analysis) -> list[Finding]:
    out: list[Finding] = []
    for passage in analysis.passages:
        if passage.label != "zh-Hant" or passage.region is not Region.MAINLAND:
            continue
        words = analysis.mainland_words(passage.start, passage.end)
        confidence = len(words) / (len(words) + VOCABULARY_PRIOR)
        for start, end, word, taiwan in words:
            out.append(
                Finding(
                    kind=Kind.VARIANT,
                    start=start,
                    end=end,
                    text=word,
                    reason=(
                        f"mainland vocabulary in Traditional text (Taiwan usage: {taiwan}); "
                        "a sign the text was machine-converted from Simplified"
                    ),
                    confidence=confidence,
                    candidates=(Candidate(taiwan, confidence, "OpenCC Taiwan phrases (s2twp)"),),
                )
            )
    return out


def _mixed_findings(analysis: _Analysis) -> list[Finding]:
    """Under ``keep``, a document in two variants is reported, passage by passage."""
    weight = {"zh-Hans": 0, "zh-Hant": 0}
    chinese = [p for p in analysis.passages if p.region is not Region.FOREIGN]
    for p in chinese:
        trad, simp = analysis.evidence.counts(p.start, p.end)
        weight["zh-Hant"] += trad
        weight["zh-Hans"] += simp
    majority = max(weight, key=lambda k: weight[k])
    out: list[Finding] = []
    two_variants = all(weight.values())
    for p in chinese:
        if p.label == "mixed" or (two_variants and p.label in weight and p.label != majority):
            what = "mixes Simplified and Traditional" if p.label == "mixed" else f"is {p.label}"
            out.append(
                Finding(
                    kind=Kind.VARIANT,
                    start=p.start,
                    end=p.end,
                    text=analysis.text[p.start : p.end],
                    reason=(
                        f"passage at lines {p.line_start}–{p.line_end} {what} in a mostly "
                        f"{majority} document; deciding {''.join(p.evidence)}"
                    ),
                    confidence=p.confidence,
                )
            )
    return out
