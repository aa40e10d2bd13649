"""Rendering of the variant stage: planned conversions as changes, analyses as findings.

One ``Change`` per run of changed lines, replayed by the OpenCC configuration that
produced it; mainland vocabulary and mixed documents become ``Finding``s.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Sequence

from fixenc.convert import convert_with
from fixenc.model import Candidate, Change, Finding, Kind, Op, Passage, Step, VariantLabel
from fixenc.protect import Protection
from fixenc.stages.variant.evidence import _BMP_HAN_LAST, _candidate_regex, _is_candidate
from fixenc.stages.variant.prefilter import prefilters
from fixenc.stages.variant.segment import EVIDENCE_MAX, EVIDENCE_PRIOR, _Analysis

# A mainland word in Traditional text is a hint, not proof: OpenCC's Taiwan phrase table
# also maps words that Taiwan uses too (項目→專案), so one hit is reported at 0.5 and the
# confidence grows with the count like the label confidence.
VOCABULARY_PRIOR = 1.0


def _convert_piece(
    text: str, start: int, end: int, config: str, reason: str, confidence: float
) -> list[Change]:
    """``config`` applied to ``text[start:end]`` whole, as one change per run of changed lines.

    The piece is converted once (in OpenCC's C++ code); its lines and the converted
    lines are compared as strings (``_changed_runs``), and each run of consecutive lines
    that changed is one ``Change`` whose ``before`` is those lines (without the final
    line break) and whose step is ``config``. No OpenCC dictionary key holds a line
    break, so OpenCC converts every line on its own: the step replays each record
    exactly, and converting a document whole or passage by passage gives the same
    records (a run never crosses the blank line that ends a paragraph).

    Why lines, not characters: a record per changed character or word cost ten to
    twenty times OpenCC's own conversion (40,000–80,000 records per MB of prose, issue
    11), while a run of lines is about one record per paragraph; and a character span
    cut out of its line does not always replay (头发 → 頭髮 needs 头 to turn 发 into 髮).
    Reports still show the characters that differ inside a record (the HTML report and
    ``--diff`` compare ``before`` and ``after``).

    >>> [(c.before, c.after) for c in _convert_piece("调色板\\nabc\\n头发", 0, 10, "s2twp", "", 1.0)]
    [('调色板', '調色盤'), ('头发', '頭髮')]
    """
    piece = text[start:end]
    out = convert_with(config, piece)
    if out == piece:
        return []
    filters = prefilters()
    same_length = filters is not None and filters.keeps_length(config)
    return Change.many(
        _changed_runs(piece, out, offset=start, same_length=same_length),
        kind=Kind.VARIANT,
        reason=reason,
        confidence=confidence,
        steps=(Step(Op.OPENCC, config),),
    )


def _changed_runs(
    piece: str, out: str, *, offset: int = 0, same_length: bool = False
) -> list[tuple[int, int, str, str]]:
    """``(start, end, before, after)`` for each run of consecutive lines of ``piece``
    that differ from the lines of ``out`` at the same index: ``before`` is those lines
    at ``[start - offset, end - offset)`` of ``piece``, ``after`` their lines in ``out``,
    each without the run's final line break (nor a CRLF line's "\\r": no key holds it).

    Lines end as ``chars.LINE_BREAK`` says (CRLF, CR or LF), as the passages of the
    full analysis do, so a blank line of either kind ends a run in both paths.

    ``same_length``: every character of ``out`` converts the character of ``piece`` at
    its position (the configuration keeps lengths, ``prefilter``), so the lines of both
    start at the same offsets and are counted once. The lines are compared in C
    (``map``, ``compress``), with one Python step per run: the runs are the gaps
    between unchanged lines (blank lines included).

    >>> _changed_runs("a\\nb\\nc\\r\\nd", "a\\nB\\nC\\r\\nd", offset=10, same_length=True)
    [(12, 15, 'b\\nc', 'B\\nC')]
    """
    lines, converted = _lines(piece), _lines(out)
    if len(lines) != len(converted):  # pragma: no cover - an OpenCC that adds line breaks
        return [(offset, offset + len(piece), piece, out)]
    same = [-1, *itertools.compress(itertools.count(), map(operator.eq, lines, converted))]
    same.append(len(lines))
    # Where each line starts: the lengths of the lines before it, plus one break each.
    before = list(itertools.accumulate(map(len, lines), initial=0))
    after = before if same_length else list(itertools.accumulate(map(len, converted), initial=0))
    runs: list[tuple[int, int, str, str]] = []
    for first, last in itertools.pairwise(same):
        if last - first == 1:
            continue
        first += 1  # the run is lines [first, last)
        i, j = before[first] + first, before[last] + last - 1
        k, m = after[first] + first, after[last] + last - 1
        if piece[j - 1 : j] == "\r" and out[m - 1 : m] == "\r":
            j, m = j - 1, m - 1
        runs.append((offset + i, offset + j, piece[i:j], out[k:m]))
    return runs


def _lines(text: str) -> list[str]:
    """``text`` split at LF, and at each CR that no LF follows: the lines of
    ``chars.LINE_BREAK`` (a CRLF line keeps its CR, which ``_changed_runs`` leaves out of
    a run). A lone CR is rare, so text without a CR pays one search at memchr speed.

    >>> _lines("a\\r\\nb\\rc\\nd")
    ['a\\r', 'b', 'c', 'd']
    """
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        # Read a lone CR as an LF: one character for another keeps every offset.
        text = _LONE_CR.sub("\n", text)
    return text.split("\n")


_LONE_CR = re.compile("\r(?!\n)")


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
    return _reason_of(
        why,
        config,
        passage.line_start,
        passage.line_end,
        passage.label,
        passage.evidence,
        document,
    )


def _reason_of(
    why: str,
    config: str,
    line_start: int,
    line_end: int,
    label: VariantLabel,
    evidence: tuple[str, ...],
    document: VariantLabel | None,
) -> str:
    """``_passage_reason`` from the passage's parts (``batch`` builds no ``Passage``)."""
    return (
        f"{why} (OpenCC {config}): passage at lines {line_start}–{line_end} "
        + (
            f"is {label}"
            if label != "both"
            else f"has no distinguishing characters and follows the {document} document"
        )
        + (f", deciding {''.join(evidence)}" if evidence else "")
    )


def _vocabulary_findings(analysis: _Analysis) -> list[Finding]:
    out: list[Finding] = []
    for passage in analysis.mainland_passages():
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
    majority, reported = _reported(analysis)
    return [_passage_finding(analysis, k, majority) for k in reported]


def _passage_finding(analysis: _Analysis, k: int, majority: VariantLabel) -> Finding:
    """The finding for the analysis's passage ``k``, from its own fields."""
    p = analysis.passage(k)
    return _mixed_finding(
        analysis.text,
        p.start,
        p.end,
        p.line_start,
        p.line_end,
        p.label,
        p.evidence,
        p.confidence,
        majority,
    )


def _reported(analysis: _Analysis) -> tuple[VariantLabel, list[int]]:
    """The document's majority script, and the units reported under ``keep``: mixed
    ones, and in a document with evidence of both scripts those of the minority (their
    labels are their passages': a ``Passage`` is built only for what is reported)."""
    trad, simp = analysis.evidence_totals()
    weight: dict[VariantLabel, int] = {"zh-Hans": simp, "zh-Hant": trad}
    majority = max(weight, key=lambda k: weight[k])
    two_variants = all(weight.values())
    units = analysis.units
    return majority, [
        k
        for k in analysis.chinese()
        if units[k].label == "mixed"
        or (two_variants and units[k].label in weight and units[k].label != majority)
    ]


def _mixed_finding(
    text: str,
    start: int,
    end: int,
    line_start: int,
    line_end: int,
    label: VariantLabel,
    evidence: Sequence[str],
    confidence: float,
    majority: VariantLabel,
) -> Finding:
    """The finding of one reported passage (``_mixed_findings``)."""
    what = "mixes Simplified and Traditional" if label == "mixed" else f"is {label}"
    return Finding(
        kind=Kind.VARIANT,
        start=start,
        end=end,
        text=text[start:end],
        reason=(
            f"passage at lines {line_start}–{line_end} {what} in a mostly "
            f"{majority} document; deciding {''.join(evidence)}"
        ),
        confidence=confidence,
    )
