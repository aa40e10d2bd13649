"""Whole-document conversion of the variant stage: a document in one script, at once.

When a document's candidates are of one script (and it holds no kana or hangul), every
passage would be converted with the same configuration (or one per paragraph, where the
Traditional standard decides it), so the stage converts each unprotected piece of the
whole text once and skips the per-passage analysis. The records are the analysis's own:
tests compare the two paths.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from fixenc.chars import KANA_HANGUL_ANY, line_end, line_start
from fixenc.model import Change, Options, StageOutput, VariantLabel
from fixenc.protect import Protection
from fixenc.stages.variant.evidence import (
    _PROBES_SIMP,
    _PROBES_TRAD,
    _all_changed,
    _candidate_regex,
)
from fixenc.stages.variant.plan import _any_mark, _by_standard, _has_marks, _why
from fixenc.stages.variant.prefilter import prefilters
from fixenc.stages.variant.render import _convert_piece, _document_evidence, _document_reason
from fixenc.stages.variant.segment import _KANA_HANGUL, _paragraphs
from fixenc.stages.variant.vocabulary import _mainland_words
from fixenc.targets import Standard, TargetSpec, spec


class _Candidates:
    """Whether the text holds candidates of each script, and kana or hangul: one regex
    scan each, run at most once per stage call and only when asked.

    A clean document costs whole scans, so each candidate scan also looks for kana and
    hangul (one class): no kana or hangul stands before the first member it finds, so
    the kana scan starts there (``foreign``), and is saved when it found nothing.
    Likewise the Simplified scan, which runs to the end of every Traditional document,
    also looks for what such a document is asked next under ``target`` (``_also``): when
    it finds nothing, those classes are absent too (``absent``), and their own scans
    are saved.
    """

    def __init__(self, text: str, target: TargetSpec | None = None) -> None:
        self._text = text
        self._kana_from = 0  # no kana or hangul before this offset (a combined scan's stop)
        self._target = target.name if target is not None else None
        self._quiet = False  # the Simplified scan found nothing of its combined class

    @functools.cached_property
    def trad(self) -> bool:
        return self._has(_PROBES_TRAD, self._first(_PROBES_TRAD))

    @functools.cached_property
    def simp(self) -> bool:
        return self._has(_PROBES_SIMP, self._simp_first)

    @functools.cached_property
    def _also(self) -> tuple[re.Pattern[str], ...]:
        # Built when the Simplified scan first runs (the regional marks cost a few
        # OpenCC passes over every Han character, once per process).
        return _also(self._target) if self._target is not None else ()

    @functools.cached_property
    def foreign(self) -> bool:
        """Kana or hangul anywhere (what marks Japanese or Korean paragraphs).

        The Simplified scan runs first (up to its first member, which it would do when
        asked next anyway): the kana scan then starts where it stopped, and is skipped
        when it reached the end. A Traditional document under ``zh-Hans`` is asked this
        before ``simp``, and paid a second whole scan for it (1.5 ms per MB).
        """
        if self._kana_from < len(self._text):
            self._simp_first  # noqa: B018 - the combined scan, for where kana can start
        return (
            self._kana_from < len(self._text)
            and _KANA_HANGUL.search(self._text, self._kana_from) is not None
        )

    def absent(self, pattern: re.Pattern[str] | None) -> bool:
        """True when the class ``pattern`` provably matches nowhere in the text: it was
        scanned with the Simplified candidates and that scan found nothing (False when
        unknown). Runs the Simplified scan if it has not run yet."""
        return pattern is not None and pattern in self._also and not self.simp and self._quiet

    @functools.cached_property
    def _simp_first(self) -> int:
        return self._first(_PROBES_SIMP, self._also)

    def _first(self, probes: tuple[str, ...], also: tuple[re.Pattern[str], ...] = ()) -> int:
        """Where the first member of the combined class stands (the end when none)."""
        run = _until_combined(probes, also).match(self._text)  # always matches, maybe ""
        first = run.end() if run is not None else 0
        self._kana_from = max(self._kana_from, first)
        if first == len(self._text):
            self._quiet = self._quiet or bool(also)
        return first

    def _has(self, probes: tuple[str, ...], first: int) -> bool:
        """Whether a candidate of ``probes`` stands at or after ``first``, where the first
        member of their combined class stands (the end when none)."""
        if first == len(self._text):
            return False
        pattern = _candidate_regex(probes)
        return (
            pattern.match(self._text, first) is not None
            or pattern.search(self._text, first + 1) is not None
        )


@functools.cache
def _combined(probes: tuple[str, ...], also: tuple[re.Pattern[str], ...] = ()) -> re.Pattern[str]:
    """The candidates of ``probes``, every kana and hangul, and the classes ``also``, as
    one class (a superset: callers check what a match is).

    Supplementary members are replaced by the whole supplementary range: the regex
    engine checks such members one by one after its BMP bitmap, and a class joined from
    several that each hold some scanned at a quarter of the speed of either (8 against
    1.8 ms per MB of Traditional text).
    """
    parts = [_candidate_regex(probes), *also]
    bodies = [_SUPPLEMENTARY.sub("", p.pattern[1:-1]) for p in parts]
    rest = "\U00010000-\U0010ffff" if any(_SUPPLEMENTARY.search(p.pattern) for p in parts) else ""
    return re.compile("[" + "".join(bodies) + KANA_HANGUL_ANY + rest + "]")


@functools.cache
def _until_combined(
    probes: tuple[str, ...], also: tuple[re.Pattern[str], ...] = ()
) -> re.Pattern[str]:
    """Everything up to the first character of ``_combined``: its match ends where that
    character stands (at the end when there is none). The regex engine runs a negated
    class in a tight loop, 17 % faster than a search for the class (1.5 against 1.8 ms
    per MB of Traditional text).

    >>> [_until_combined(_PROBES_TRAD).match(t).end() for t in ("中文這個", "中文abc")]
    [2, 5]
    """
    return re.compile("[^" + _combined(probes, also).pattern[1:-1] + "]*")


# A supplementary character of a class body, or a range of them.
_SUPPLEMENTARY = re.compile("[\U00010000-\U0010ffff](?:-[\U00010000-\U0010ffff])?")


@functools.cache
def _also(name: str) -> tuple[re.Pattern[str], ...]:
    """The classes a Traditional document is scanned for after its Simplified
    candidates under ``target``, when they are plain classes: the regional marks that
    choose the Traditional → Simplified configuration (``_by_paragraph_standard``), or
    the characters that can start a change of the target's normalisation (``t2tw``,
    ``t2hk``: ``prefilter``), for the target named ``name``."""
    target = spec(name)
    if not target.converts:
        return ()
    patterns: list[re.Pattern[str] | None] = []
    if target.script == "zh-Hans":
        if len(set(target.traditional.values())) > 1:
            patterns.append(_any_mark())
    else:
        filters = prefilters()
        configs = sorted(set(target.traditional.values()))
        if filters is not None:
            patterns += [filters.change_class(c) for c in configs]
    return tuple(p for p in patterns if p is not None and _is_class(p))


# One character class, not negated, whose body is escapes and characters other than "]".
_ONE_CLASS = re.compile(r"\[(?!\^)(?:\\.|[^\\\]])*\]", re.DOTALL)


def _is_class(pattern: re.Pattern[str]) -> bool:
    r"""Whether ``pattern`` is one plain character class without flags of its own.

    >>> _is_class(re.compile("[a-c\\]]")), _is_class(re.compile("(?!)")), _is_class(re.compile("[a]|[b]"))
    (True, False, False)
    """
    return pattern.flags == re.UNICODE and _ONE_CLASS.fullmatch(pattern.pattern) is not None


# At most this many candidate characters are probed in context to prove that a document
# in one script really holds evidence of it: the first one nearly always does (only
# phrases such as 干涉 make a candidate no evidence); past that, the full analysis decides.
CONFIRM_MAX = 8

# ``_whole_document``'s answer when it does not apply (``None`` means "nothing to do").
_NOT_WHOLE = StageOutput()


@dataclass(frozen=True, slots=True)
class _WholePlan:
    """How a document in one script is converted whole: its label, the probes of its
    script, its protected regions, and ``(start, end, configuration)`` segments."""

    label: VariantLabel
    probes: tuple[str, ...]
    protection: Protection
    segments: tuple[tuple[int, int, str], ...]


def _whole_document(
    text: str, options: Options, found: _Candidates | None = None
) -> StageOutput | None:
    """A document in one script, converted whole: what ``_full_stage`` gives, at about
    the cost of OpenCC's own conversion plus the records; ``_NOT_WHOLE`` when it does
    not apply (see ``_whole_plan``).

    OpenCC never matches across a line break, and a change depends only on its own line
    (``_convert_piece``), so converting the unprotected pieces of the whole text gives
    the same changes as converting passage by passage; the reasons and confidence are
    the document's in both (``_document_reason``).
    """
    plan = _whole_plan(text, options, found)
    if plan is None:
        return _NOT_WHOLE
    why = _why(plan.label, spec(options.target))
    deciding, confidence = _document_evidence(text, plan.protection, plan.probes)
    changes: list[Change] = []
    for seg_start, seg_end, config in plan.segments:
        reason = _document_reason(why, config, plan.label, deciding)
        for start, end in plan.protection.free(seg_start, seg_end):
            changes += _convert_piece(text, start, end, config, reason, confidence)
    return StageOutput(tuple(changes)) if changes else None


def _whole_plan(text: str, options: Options, found: _Candidates | None = None) -> _WholePlan | None:
    """The plan of ``_whole_document``, or ``None`` when it does not apply.

    It applies when the target converts, the text has no kana or hangul (no Japanese or
    Korean paragraph), it has candidates of only one script, and at least one of them is
    evidence in context. Then every passage is of that script, or has no evidence and
    follows the document, so the full analysis would convert every passage with the
    target's configuration for that script (by paragraph, where the configuration
    depends on the Traditional standard). Traditional text under a Traditional target
    also needs its mainland vocabulary reported passage by passage: when it has any, the
    full analysis does that.
    """
    target = spec(options.target)
    if not target.converts:
        return None
    found = found or _Candidates(text, target)
    trad = found.trad
    if trad == found.simp or found.foreign:
        return None
    probes = _PROBES_TRAD if trad else _PROBES_SIMP
    protection = Protection.of(text, options)
    if not _confirmed(text, protection, probes):
        return None
    if not trad:
        segments = [(0, len(text), target.simplified)] if target.simplified else []
        return _WholePlan("zh-Hans", probes, protection, tuple(segments))
    if target.script == "zh-Hant" and _mainland_words(text, protection):
        return None
    segments = _by_paragraph_standard(text, target.traditional, protection, found)
    return _WholePlan("zh-Hant", probes, protection, tuple(segments))


def _confirmed(text: str, protection: Protection, probes: tuple[str, ...]) -> bool:
    """Whether one of the first ``CONFIRM_MAX`` candidates outside protected regions is
    evidence in context (each probed on its own line, which is all OpenCC sees of it)."""
    pattern = _candidate_regex(probes)
    tried = 0
    for start, end in protection.free(0, len(text)):
        for m in pattern.finditer(text, start, end):
            first, last = line_start(text, m.start()), line_end(text, m.start())
            if m.start() - first in _all_changed(text[first:last], probes, Protection(())):
                return True
            tried += 1
            if tried >= CONFIRM_MAX:
                return False
    return False


def _by_paragraph_standard(
    text: str,
    configs: Mapping[Standard, str],
    protection: Protection,
    found: _Candidates | None = None,
) -> list[tuple[int, int, str]]:
    """``(start, end, configuration)`` segments covering ``text``: one configuration when
    the target's does not depend on the standard or no character marks one, else each
    paragraph's (a passage of a one-script document is a paragraph, and one with
    mainland vocabulary follows OpenCC's standard, as in ``_plan``)."""
    if not configs:
        return []
    if len(set(configs.values())) == 1:
        return [(0, len(text), next(iter(configs.values())))]
    if (found is not None and found.absent(_any_mark())) or not _has_marks(text):
        # No character marks a regional standard: OpenCC's own.
        return [(0, len(text), configs["opencc"])]
    words = _mainland_words(text, protection)
    starts = [w[0] for w in words]
    segments: list[tuple[int, int, str]] = []
    for start, end in _paragraphs(text):
        k = bisect.bisect_left(starts, start)
        mainland = k < len(words) and words[k][1] <= end
        free = "".join(text[s:e] for s, e in protection.free(start, end))
        config = _by_standard(configs, free, mainland)
        if segments and segments[-1][2] == config:
            segments[-1] = (segments[-1][0], end, config)
        else:
            segments.append((start, end, config))
    return segments
