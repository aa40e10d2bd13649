"""Rendering of the variant stage: planned conversions as changes, analyses as findings.

One ``Change`` per replaced span, widened until its OpenCC step replays on its own;
mainland vocabulary and mixed documents become ``Finding``s.
"""

from __future__ import annotations

import bisect
import operator
import re

from fixenc.convert import convert_with
from fixenc.model import Candidate, Change, Finding, Kind, Op, Passage, Region, Step, VariantLabel
from fixenc.protect import Protection
from fixenc.stages.variant.evidence import _BMP_HAN_LAST, _candidate_regex, _is_candidate
from fixenc.stages.variant.probe import REPLAY_WIDEN_MAX, _diff
from fixenc.stages.variant.segment import EVIDENCE_MAX, EVIDENCE_PRIOR, _Analysis

# A mainland word in Traditional text is a hint, not proof: OpenCC's Taiwan phrase table
# also maps words that Taiwan uses too (項目→專案), so one hit is reported at 0.5 and the
# confidence grows with the count like the label confidence.
VOCABULARY_PRIOR = 1.0


def _convert_piece(
    text: str, start: int, end: int, config: str, reason: str, confidence: float
) -> list[Change]:
    """``config`` applied to ``text[start:end]`` whole, as one change per replaced span.

    The piece is converted once; its changed spans come from comparing the two texts line
    by line (``_diff``), and whether each span replays on its own is checked for all spans
    in one more OpenCC call (one span per line: no OpenCC phrase crosses a line break).
    Only a span that does not replay alone (a phrase that needs its neighbour) pays for
    widening. Every span depends only on its own line, so converting a document whole
    or passage by passage gives the same changes.

    >>> [(c.before, c.after) for c in _convert_piece("调色板和头发", 0, 6, "s2twp", "", 1.0)]
    [('调色板', '調色盤'), ('头发', '頭髮')]
    """
    piece = text[start:end]
    out = convert_with(config, piece)
    if out == piece:
        return []
    spans = [(i1, i2, out[j1:j2]) for i1, i2, j1, j2 in _diff(piece, out)]
    alone = _convert_lines(config, [piece[i:j] for i, j, _after in spans])
    step = (Step(Op.OPENCC, config),)
    kept: list[tuple[int, int, str, bool]] = []  # (start, end, after, replays)
    if alone is not None and all(map(operator.eq, alone, (a for _i, _j, a in spans))):
        # The usual case: every span replays on its own.
        spans_alone = [(i, j, after, True) for i, j, after in spans]
        return _changes(piece, start, spans_alone, step, reason, confidence)
    lines = _Lines(piece, out)
    n = 0
    while n < len(spans):
        i, j, after = spans[n]
        n += 1
        if alone is not None and alone[n - 1] == after:
            kept.append((i, j, after, True))
            continue
        line_start, line_end, shift = lines.around(i)
        if shift is None:  # the line changed length: no position-by-position window
            floor = max(kept[-1][1] if kept else 0, line_start)
            ceiling = min(spans[n][0] if n < len(spans) else len(piece), line_end)
            kept.append(_replayable(piece, (i, j), after, config, (floor, ceiling)))
            continue
        # The line converts position by position, so a window may swallow neighbouring
        # changes (调色板 → 調色盤 is one phrase with two changed characters).
        window = _replay_window(piece, out, (i, j), shift, config, (line_start, line_end))
        if window is None:
            kept.append((i, j, after, False))
            continue
        s, e = window
        merged = False
        while kept and kept[-1][1] > s:
            s = min(s, kept.pop()[0])
            merged = True
        while n < len(spans) and spans[n][0] < e:
            e = max(e, spans[n][1])
            n += 1
            merged = True
        window_after = out[s - shift : e - shift]
        replays = not merged or convert_with(config, piece[s:e]) == window_after
        kept.append((s, e, window_after, replays))
    return _changes(piece, start, kept, step, reason, confidence)


def _changes(
    piece: str,
    start: int,
    spans: list[tuple[int, int, str, bool]],
    step: tuple[Step, ...],
    reason: str,
    confidence: float,
) -> list[Change]:
    """One change per (start, end, after, replays) span of ``piece`` (at ``start`` of the
    text); a span that does not replay alone records its answer instead of the step."""
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
        for i, j, after, replays in spans
    ]


class _Lines:
    """The lines of a piece and of its conversion, paired (no OpenCC key holds a line
    break, so both have the same lines)."""

    def __init__(self, piece: str, out: str) -> None:
        breaks = [m.span() for m in _LINE_BREAK.finditer(piece)]
        out_breaks = [m.span() for m in _LINE_BREAK.finditer(out)]
        self._paired = len(breaks) == len(out_breaks)
        self._starts = [0] + [e for _s, e in breaks]
        self._ends = [s for s, _e in breaks] + [len(piece)]
        self._out_starts = [0] + [e for _s, e in out_breaks]
        self._out_ends = [s for s, _e in out_breaks] + [len(out)]

    def around(self, i: int) -> tuple[int, int, int | None]:
        """The line holding ``i`` (start, end without its break) and, when it converts
        to a line of the same length, the shift from its positions to the conversion's."""
        k = bisect.bisect_right(self._starts, i) - 1
        start, end = self._starts[k], self._ends[k]
        if not self._paired:
            return start, end, None
        out_start, out_end = self._out_starts[k], self._out_ends[k]
        return start, end, start - out_start if out_end - out_start == end - start else None


# One line break of either kind (OpenCC treats ``\r`` as an ordinary character, but it
# holds no dictionary key either).
_LINE_BREAK = re.compile("\r\n|\r|\n")


def _replay_window(
    piece: str, out: str, span: tuple[int, int], shift: int, config: str, line: tuple[int, int]
) -> tuple[int, int] | None:
    """The smallest window around ``span`` (at most ``REPLAY_WIDEN_MAX`` characters wider,
    within its line) that ``config`` converts on its own exactly as it did in context.

    >>> _replay_window("调色板", "調色盤", (2, 3), 0, "s2twp", (0, 3))
    (0, 3)
    """
    i, j = span
    for extra in range(1, REPLAY_WIDEN_MAX + 1):
        for left in range(extra + 1):
            s, e = i - left, j + extra - left
            inside = s >= line[0] and e <= line[1]
            if inside and convert_with(config, piece[s:e]) == out[s - shift : e - shift]:
                return s, e
    return None


def _convert_lines(config: str, texts: list[str]) -> list[str] | None:
    """Each of ``texts`` converted alone, in one OpenCC call (``None`` if a text holds a
    line break, which would shift the lines)."""
    if any("\n" in t or "\r" in t for t in texts):
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


# A document's confidence counts at most this many candidate characters: by then
# n / (n + EVIDENCE_PRIOR) is 0.999, and counting on would only cost time.
DOCUMENT_COUNT_MAX = 1000


def _document_evidence(
    text: str, protection: Protection, probes: tuple[str, ...]
) -> tuple[str, float]:
    """The deciding characters and the confidence of a document in one script.

    Counted over the characters that can be evidence (``_candidate_regex``) outside
    protected regions, so that a document converted whole and one converted passage by
    passage say the same: the first ``EVIDENCE_MAX`` distinct ones, and n / (n + prior).

    >>> _document_evidence("我们是学生", Protection(()), ("s2t", "s2tw", "s2hk"))
    ('们学', 0.6666666666666666)
    """
    pattern = _candidate_regex(probes)
    seen: dict[str, None] = {}
    count = 0
    for start, end in protection.free(0, len(text)):
        for m in pattern.finditer(text, start, end):
            if count >= DOCUMENT_COUNT_MAX:
                break
            char = m.group()
            if len(char) == 1 and ord(char) > _BMP_HAN_LAST and not _is_candidate(char, probes):
                continue  # a supplementary character that is no candidate
            count += 1
            if len(seen) < EVIDENCE_MAX:
                seen[char] = None
    return "".join(seen), count / (count + EVIDENCE_PRIOR)


def _document_reason(why: str, config: str, label: VariantLabel, deciding: str) -> str:
    return f"{why} (OpenCC {config}): the document is {label}, deciding {deciding}"


def _passage_reason(why: str, config: str, passage: Passage, document: VariantLabel | None) -> str:
    return (
        f"{why} (OpenCC {config}): passage at lines {passage.line_start}–{passage.line_end} "
        + (
            f"is {passage.label}"
            if passage.label != "both"
            else f"has no distinguishing characters and follows the {document} document"
        )
        + (f", deciding {''.join(passage.evidence)}" if passage.evidence else "")
    )


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
