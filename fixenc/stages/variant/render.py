"""Rendering of the variant stage: planned conversions as changes, analyses as findings.

One ``Change`` per replaced span, widened until its OpenCC step replays on its own;
mainland vocabulary and mixed documents become ``Finding``s.
"""

from __future__ import annotations

from fixenc.convert import convert_with
from fixenc.model import Candidate, Change, Finding, Kind, Op, Region, Step
from fixenc.stages.variant.plan import _Plan
from fixenc.stages.variant.probe import REPLAY_WIDEN_MAX, _diff
from fixenc.stages.variant.segment import _Analysis

# A mainland word in Traditional text is a hint, not proof: OpenCC's Taiwan phrase table
# also maps words that Taiwan uses too (項目→專案), so one hit is reported at 0.5 and the
# confidence grows with the count like the label confidence.
VOCABULARY_PRIOR = 1.0


def _convert_piece(
    analysis: _Analysis, start: int, end: int, plan: _Plan, reason: str, confidence: float
) -> list[Change]:
    """``plan.config`` applied to ``text[start:end]`` whole, as one change per replaced span.

    The piece is converted once; its changed spans come from comparing the two texts, and
    whether each span replays on its own is checked for all spans in one more OpenCC call
    (the spans, one per line: no OpenCC phrase crosses a line break). Only a span that
    does not replay alone (a phrase that needs its neighbour) pays for ``_replayable``.
    """
    piece = analysis.text[start:end]
    out = convert_with(plan.config, piece)
    if out == piece:
        return []
    spans = _spans(piece, out)
    alone = _convert_lines(plan.config, [piece[i:j] for i, j, _after in spans])
    kept: list[tuple[int, int, str, bool]] = []  # (start, end, after, replays)
    n = 0
    while n < len(spans):
        i, j, after = spans[n]
        n += 1
        if alone is not None and alone[n - 1] == after:
            kept.append((i, j, after, True))
            continue
        if len(out) == len(piece):
            # Equal lengths align position by position, so a window may swallow its
            # neighbouring changes (调色板 → 調色盤 is one phrase, two changed characters).
            window = _replay_window(piece, out, (i, j), plan.config)
            if window is not None:
                s, e = window
                merged = False
                while kept and kept[-1][1] > s:
                    s = min(s, kept.pop()[0])
                    merged = True
                while n < len(spans) and spans[n][0] < e:
                    e = max(e, spans[n][1])
                    n += 1
                    merged = True
                replays = not merged or convert_with(plan.config, piece[s:e]) == out[s:e]
                kept.append((s, e, out[s:e], replays))
                continue
            kept.append((i, j, after, False))
            continue
        floor = kept[-1][1] if kept else 0
        ceiling = spans[n][0] if n < len(spans) else len(piece)
        kept.append(_replayable(piece, (i, j), after, plan.config, (floor, ceiling)))
    step = (Step(Op.OPENCC, plan.config),)
    return [
        Change(
            kind=Kind.VARIANT,
            start=start + i,
            end=start + j,
            before=piece[i:j],
            after=after,
            reason=reason,
            confidence=confidence,
            steps=step if replays else (Step(Op.REPLACE, after),),
        )
        for i, j, after, replays in kept
    ]


def _replay_window(
    piece: str, out: str, span: tuple[int, int], config: str
) -> tuple[int, int] | None:
    """The smallest window around ``span`` (at most ``REPLAY_WIDEN_MAX`` characters wider,
    within its line) that ``config`` converts on its own exactly as it did in context.

    >>> _replay_window("调色板", "調色盤", (2, 3), "s2twp")
    (0, 3)
    """
    i, j = span
    line_start = piece.rfind("\n", 0, i) + 1
    line_end = piece.find("\n", j)
    line_end = len(piece) if line_end < 0 else line_end
    for extra in range(1, REPLAY_WIDEN_MAX + 1):
        for left in range(extra + 1):
            s, e = i - left, j + extra - left
            if s >= line_start and e <= line_end and convert_with(config, piece[s:e]) == out[s:e]:
                return s, e
    return None


def _spans(piece: str, out: str) -> list[tuple[int, int, str]]:
    """The replaced spans (start, end, replacement) of ``piece`` converted to ``out``.

    >>> _spans("我们的软件", "我們的軟體")
    [(1, 2, '們'), (3, 5, '軟體')]
    """
    if len(out) != len(piece):
        return [(i1, i2, out[j1:j2]) for i1, i2, j1, j2 in _diff(piece, out)]
    runs: list[list[int]] = []
    for i in _changed_positions(piece, out):
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(i, j, out[i:j]) for i, j in runs]


def _changed_positions(a: str, b: str) -> list[int]:
    """Positions where equal-length ``a`` and ``b`` differ; unchanged lines cost one
    comparison each (in C), changed ones a comparison per character."""
    positions: list[int] = []
    base = 0
    for x, y in zip(a.split("\n"), b.split("\n"), strict=True):
        if x != y:
            positions += [base + k for k, (c, d) in enumerate(zip(x, y, strict=True)) if c != d]
        base += len(x) + 1
    return positions


def _convert_lines(config: str, texts: list[str]) -> list[str] | None:
    """Each of ``texts`` converted alone, in one OpenCC call (``None`` if a text holds a
    line break, which would shift the lines)."""
    if any("\n" in t for t in texts):
        return None
    converted = convert_with(config, "\n".join(texts)).split("\n")
    return converted if len(converted) == len(texts) else None


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
