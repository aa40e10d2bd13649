"""Mixed documents in batches: the per-passage records, with the work done per document.

A document that mixes Simplified and Traditional paragraphs takes the per-passage
analysis (``variant._full_stage``): each passage it converts gets a plan, its evidence
counted for its reason, one OpenCC call and records of its own. A few microseconds of
Python each came to several times OpenCC's own time on a document of short paragraphs
(issue 11: 958 converted passages per MB, about 17 ms beyond ``t2s``'s 6). Here the
same records come from a few calls per document:

- the passages' evidence characters from one ``findall`` each and their lines from one
  ``str.count`` each, both called through ``map`` (no Python step per passage);
- the passages converted with one configuration in ONE OpenCC call, joined by a blank
  line (``SEPARATOR``). No key of OpenCC's dictionaries holds a line break (a test reads
  every dictionary of every configuration the stage uses), so no phrase joins across
  it and OpenCC converts each passage exactly as it would alone; and the blank line
  converts to itself, so it ends every run of changed lines at a passage's edge: the
  runs ``render._changed_runs`` finds in the joined text are each passage's own;
- the records built by ``Change.each``, in the per-passage path's order (by offset).

Passages whose plan needs more than their label (a mixed clause; a Traditional passage
carrying a regional standard's marks, which asks for the vocabulary lookup) are planned
as the per-passage path plans them, and converted in the same batches. Tests compare the
two paths on mixed, real and random text.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import typing
from collections.abc import Iterator

from fixenc.convert import convert_with
from fixenc.model import Change, Finding, Kind, Op, Passage, Step, VariantLabel
from fixenc.stages.variant.evidence import _chars
from fixenc.stages.variant.plan import _any_mark, _plan, _planned, _why
from fixenc.stages.variant.prefilter import prefilters
from fixenc.stages.variant.render import (
    _changed_runs,
    _convert_piece,
    _document_reason,
    _mixed_finding,
    _passage_finding,
    _passage_reason,
    _reason_of,
    _reported,
)
from fixenc.stages.variant.segment import EVIDENCE_MAX, _Analysis, _confidence
from fixenc.targets import TargetSpec

# What joins the passages of one OpenCC call: a blank line. No dictionary key holds a
# line break, so OpenCC converts the text on each side of it as it would alone, and an
# empty line is never changed, so no run of changed lines crosses it.
SEPARATOR = "\n\n"

# Every label, and those of passages in one script.
_LABELS: tuple[VariantLabel, ...] = typing.get_args(VariantLabel)
_ONE_SCRIPT: tuple[VariantLabel, ...] = ("zh-Hans", "zh-Hant")

# A piece to convert: (start, end, reason, confidence).
_Piece = tuple[int, int, str, float]
# A record: (start, end, before, after, reason, confidence), as ``Change.each`` takes it.
_Row = tuple[int, int, str, str, str, float]


def batched_changes(
    analysis: _Analysis,
    target: TargetSpec,
    document: VariantLabel | None,
    whole: tuple[str, float] | None,
) -> list[Change]:
    """The changes of ``variant._full_stage``'s per-passage loop, computed in batches.

    ``document``: the document's label (``plan._document_label_of``); ``whole``: its
    deciding characters and confidence when it is in one script and the target converts
    (``render._document_evidence``), which every converted passage then reports.
    """
    units = analysis.units
    # ``_planned`` depends on the label alone here: asked once per label, not per unit.
    labels_planned = {label for label in _LABELS if _planned(label, target, document)}
    planned = [k for k in analysis.chinese() if units[k].label in labels_planned]
    # A unit without evidence follows its document (``plan._plan``).
    labels = [units[k].label for k in planned]
    if document is not None:
        labels = [document if label == "both" else label for label in labels]
    at_once: dict[tuple[VariantLabel, str], list[int]] = {}
    if target.simplified:
        at_once[("zh-Hans", target.simplified)] = [
            k for k, label in zip(planned, labels, strict=True) if label == "zh-Hans"
        ]
    slow = [k for k, label in zip(planned, labels, strict=True) if label == "mixed"]
    trad = [k for k, label in zip(planned, labels, strict=True) if label == "zh-Hant"]
    configs = set(target.traditional.values())
    if len(configs) == 1:
        at_once[("zh-Hant", configs.pop())] = trad
    elif trad:  # OpenCC's own standard, unless regional marks ask (``plan._plan``)
        marked = _marked(analysis, trad)
        at_once[("zh-Hant", target.traditional["opencc"])] = [
            k for k, m in zip(trad, marked, strict=True) if not m
        ]
        slow += [k for k, m in zip(trad, marked, strict=True) if m]
    text, protection = analysis.text, analysis.protection
    groups: dict[str, list[_Piece]] = {}
    for (label, config), ks in at_once.items():
        if not ks:
            continue
        groups.setdefault(config, []).extend(
            _explained(analysis, ks, label, config, _why(label, target), document, whole)
        )
    for k in slow:  # planned as the per-passage path plans them
        found = explain_passage(analysis, k, target, document, whole)
        if found is not None:
            passage, config, reason, confidence = found
            groups.setdefault(config, []).extend(
                (s, e, reason, confidence) for s, e in protection.free(passage.start, passage.end)
            )
    changes: list[Change] = []
    for config, pieces in groups.items():
        changes += Change.each(
            convert_together(text, sorted(pieces), config),
            kind=Kind.VARIANT,
            steps=(Step(Op.OPENCC, config),),
        )
    if len(groups) > 1:
        changes.sort(key=operator.attrgetter("start"))
    return changes


def explain_passage(
    analysis: _Analysis,
    k: int,
    target: TargetSpec,
    document: VariantLabel | None,
    whole: tuple[str, float] | None,
) -> tuple[Passage, str, str, float] | None:
    """The passage of unit ``k``, the configuration that converts it, and the reason and
    confidence of its records; ``None`` when it is not converted. The per-passage path
    (``variant._full_stage``) asks this of every unit, the batches of the units whose
    plan needs more than their label."""
    passage = analysis.passage(k)
    plan = _plan(analysis, passage, target, document)
    if plan is None:
        return None
    if whole is not None and document is not None:
        reason = _document_reason(plan.why, plan.config, document, whole[0])
        return passage, plan.config, reason, whole[1]
    reason = _passage_reason(plan.why, plan.config, passage, document)
    return passage, plan.config, reason, passage.confidence


def batched_findings(analysis: _Analysis) -> list[Finding]:
    """``render._mixed_findings`` in batches: the passages in one script that are
    reported are explained from per-document passes, as converted ones are; mixed
    passages are built one by one.

    The document's totals stay ``_Analysis.evidence_totals``, which stops counting the
    majority once it passes the minority: listing every passage's evidence to sum it
    cost a Traditional document with a Simplified paragraph here and there (``keep``'s
    usual case) twice as much.
    """
    majority, reported = _reported(analysis)
    units, text = analysis.units, analysis.text
    out: list[Finding] = []
    for label in _ONE_SCRIPT:
        ks = [k for k in reported if units[k].label == label]
        if not ks:
            continue
        starts = [units[k].start for k in ks]
        ends = [units[k].end for k in ks]
        found = _evidence(analysis, ks, label, starts, ends)
        firsts, lasts = _lines_of(analysis, starts, ends)
        out += map(
            _mixed_finding,
            itertools.repeat(text),
            starts,
            ends,
            firsts,
            lasts,
            itertools.repeat(label),
            map(_distinct, found),
            _confidences(label, found),
            itertools.repeat(majority),
        )
    for k in reported:
        if units[k].label == "mixed":
            out.append(_passage_finding(analysis, k, majority))
    out.sort(key=operator.attrgetter("start"))
    return out


def _confidences(label: VariantLabel, found: list[list[str]]) -> Iterator[float]:
    """The confidence of each passage in one script (``segment._confidence``) from its
    evidence characters."""
    if label == "zh-Hant":
        return (_confidence(label, n, 0, 1) for n in map(len, found))
    return (_confidence(label, 0, n, 1) for n in map(len, found))


def _marked(analysis: _Analysis, ks: list[int]) -> list[bool]:
    """Whether each unit of ``ks`` holds a character marking a regional standard
    outside protected regions (``plan._has_marks``)."""
    units, text, protection = analysis.units, analysis.text, analysis.protection
    marks = _any_mark().search
    if not protection.spans:
        starts = [units[k].start for k in ks]
        ends = [units[k].end for k in ks]
        return list(map(operator.truth, map(marks, itertools.repeat(text), starts, ends)))
    return [
        any(marks(text, s, e) for s, e in protection.free(units[k].start, units[k].end)) for k in ks
    ]


def _explained(
    analysis: _Analysis,
    ks: list[int],
    label: VariantLabel,
    config: str,
    why: str,
    document: VariantLabel | None,
    whole: tuple[str, float] | None,
) -> Iterator[_Piece]:
    """The pieces of the units ``ks`` (one script, ``label``, converted with ``config``),
    each with its passage's reason and confidence as the per-passage path gives them."""
    units, protection = analysis.units, analysis.protection
    starts = [units[k].start for k in ks]
    ends = [units[k].end for k in ks]
    reasons: Iterator[str]
    confidences: Iterator[float]
    if whole is not None and document is not None:
        reasons = itertools.repeat(_document_reason(why, config, document, whole[0]))
        confidences = itertools.repeat(whole[1])
    else:
        found = _evidence(analysis, ks, label, starts, ends)
        firsts, lasts = _lines_of(analysis, starts, ends)
        evidence = list(map(_distinct, found))
        reasons = map(
            _reason_of,
            itertools.repeat(why),
            itertools.repeat(config),
            firsts,
            lasts,
            itertools.repeat(label),
            evidence,
            itertools.repeat(document),
        )
        confidences = _confidences(label, found)
    # Not strict: a document's reason and confidence repeat without end.
    if not protection.spans:
        yield from zip(starts, ends, reasons, confidences, strict=False)
        return
    for start, end, reason, confidence in zip(starts, ends, reasons, confidences, strict=False):
        for s, e in protection.free(start, end):
            yield s, e, reason, confidence


# Evidence characters of a passage read for its first ``EVIDENCE_MAX`` distinct ones
# before all of them are: in prose they stand among its first two dozen or so (a passage
# of the benchmark holds 46); when they do not, all are read.
EVIDENCE_LOOK = 2 * EVIDENCE_MAX


def _distinct(chars: list[str]) -> tuple[str, ...]:
    """The first ``EVIDENCE_MAX`` distinct characters of ``chars`` (``Passage.evidence``).

    >>> _distinct(list("们们学学们这个说话来时为对这样会还发现问题")), _distinct(list("们"))
    (('们', '学', '这', '个', '说', '话', '来', '时', '为', '对'), ('们',))
    """
    found = dict.fromkeys(chars[:EVIDENCE_LOOK])
    if len(found) < EVIDENCE_MAX and len(chars) > EVIDENCE_LOOK:
        found = dict.fromkeys(chars)
    return tuple(found)[:EVIDENCE_MAX]


def _lines_of(
    analysis: _Analysis, starts: list[int], ends: list[int]
) -> tuple[list[int], list[int]]:
    """The first and last lines (``_Analysis.line_of``) of each range ``[starts[i],
    ends[i])`` (ascending, disjoint): the last is the line of the last character, or of
    the start when the range is empty.

    Without a "\r", the line breaks between one offset and the next are counted in C
    (``str.count``, at memchr speed), not looked up among every line's start.
    """
    lasts = list(map(max, map(operator.sub, ends, itertools.repeat(1)), starts))
    text = analysis.text
    if "\r" in text:
        line_starts = analysis._line_starts
        return (
            list(map(bisect.bisect_right, itertools.repeat(line_starts), starts)),
            list(map(bisect.bisect_right, itertools.repeat(line_starts), lasts)),
        )
    offsets = [x for pair in zip(starts, lasts, strict=True) for x in pair]
    breaks = map(text.count, itertools.repeat("\n"), [0, *offsets[:-1]], offsets)
    lines = list(itertools.accumulate(breaks, initial=1))[1:]
    return lines[0::2], lines[1::2]


def _evidence(
    analysis: _Analysis, ks: list[int], label: VariantLabel, starts: list[int], ends: list[int]
) -> list[list[str]]:
    """The evidence characters of each unit of ``ks`` (all labelled ``label``), as
    ``_Analysis._unit_chars`` lists them for the label's script."""
    side = 0 if label == "zh-Hant" else 1
    static = analysis._static
    if static is None:
        return [analysis._unit_chars(k)[side] for k in ks]
    found = static._trad if side == 0 else static._simp
    pattern, excluded = found
    if not excluded:
        return list(map(pattern.findall, itertools.repeat(static.free), starts, ends))
    return [_chars(found, static.free, s, e) for s, e in zip(starts, ends, strict=True)]


def convert_together(text: str, pieces: list[_Piece], config: str) -> list[_Row]:
    """``render._convert_piece`` of every piece (ascending, disjoint) with ``config``,
    as rows, from one OpenCC call over the pieces joined by ``SEPARATOR``.

    >>> convert_together("头发 abc 软件", [(0, 2, "a", 0.5), (7, 9, "b", 0.5)], "s2twp")
    [(0, 2, '头发', '頭髮', 'a', 0.5), (7, 9, '软件', '軟體', 'b', 0.5)]
    """
    parts = [text[s:e] for s, e, _r, _c in pieces]
    joined = SEPARATOR.join(parts)
    out = convert_with(config, joined)
    if out == joined:
        return []
    filters = prefilters()
    same_length = filters is not None and filters.keeps_length(config)
    runs = _changed_runs(joined, out, same_length=same_length)
    # Where each piece starts in the joined text.
    at = list(itertools.accumulate((len(p) + len(SEPARATOR) for p in parts), initial=0))
    rows: list[_Row] = []
    for start, end, before, after in runs:
        k = bisect.bisect_right(at, start) - 1
        s, e, reason, confidence = pieces[k]
        shift = s - at[k]
        # A run across a separator: an OpenCC that writes or joins lines (tests make
        # one with a separator that is not a blank line). Each piece on its own then.
        if end + shift > e:
            return _one_by_one(text, pieces, config)
        rows.append((start + shift, end + shift, before, after, reason, confidence))
    return rows


def _one_by_one(text: str, pieces: list[_Piece], config: str) -> list[_Row]:
    """``convert_together`` one OpenCC call per piece (the reference it must equal)."""
    return [
        (c.start, c.end, c.before, c.after, c.reason, c.confidence)
        for s, e, reason, confidence in pieces
        for c in _convert_piece(text, s, e, config, reason, confidence)
    ]
