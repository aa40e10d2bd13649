"""Rendering of the variant stage: planned conversions as changes, analyses as findings.

One ``Change`` per replaced span, widened until its OpenCC step replays on its own;
mainland vocabulary and mixed documents become ``Finding``s.
"""

from __future__ import annotations

from fixenc.convert import convert_with
from fixenc.model import Candidate, Change, Finding, Kind, Op, Region, Step
from fixenc.stages.variant.plan import _Plan
from fixenc.stages.variant.probe import REPLAY_WIDEN_MAX, _changed, _diff
from fixenc.stages.variant.segment import _Analysis

# A mainland word in Traditional text is a hint, not proof: OpenCC's Taiwan phrase table
# also maps words that Taiwan uses too (項目→專案), so one hit is reported at 0.5 and the
# confidence grows with the count like the label confidence.
VOCABULARY_PRIOR = 1.0


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
